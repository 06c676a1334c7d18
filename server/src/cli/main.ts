/**
 * The `onus` command: `onus scan PATH… [--format text|json|sarif] [--severity …] [--list-suppressed]` and
 * `onus rules [--format json|text]`. Exit codes: 0 no reported finding, 1 findings, 2 usage or unreadable path.
 */
import type { AnalyzeOptions } from '../engine/analyze';
import { loadBundledRuleSetWithErrors } from '../engine/loadRules';
import { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import { SEVERITIES, type Severity } from '../engine/types';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';
import { PathError, scanPaths } from './scan';

/** The version printed by `--version` and written into SARIF. */
export const VERSION = '0.1.0';

const USAGE = `Usage:
  onus scan PATH... [--format text|json|sarif] [--severity low|medium|high|critical] [--list-suppressed]
  onus rules [--format text|json]
  onus --version | --help

Scans Terraform, CloudFormation and Bicep for the security settings that are the customer's job under the cloud
Shared Responsibility Model.
Exit codes: 0 no finding reported, 1 at least one finding reported, 2 usage error or unreadable PATH.
`;

/** What a command wrote and the exit code it asks for. */
export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A usage error (exit code 2). */
class UsageError extends Error {}

/** Parses `--name value` and `--name=value` options; the rest are positional. */
function parseArgs(args: string[], valued: string[], flags: string[]) {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (flags.includes(name)) {
        options.set(name, 'true');
      } else if (valued.includes(name)) {
        const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) {
          throw new UsageError(`--${name} needs a value`);
        }
        options.set(name, value);
      } else {
        throw new UsageError(`unknown option "${arg}"`);
      }
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}

/** The `rules` command: the catalog as JSON (DESIGN.md) or a table. */
function listRules(ruleSet: RuleSet, format: string): string {
  const rows = ruleSet.rules.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    provider: r.provider,
    owner: r.owner,
    layer: r.layer,
    service: r.service,
    concept: r.concept,
    languages: Object.keys(r.match),
    resourceTypes: Rule.resourceTypes(r),
    fixable: Rule.isFixable(r),
    references: r.references,
    compliance: r.compliance ?? {},
  }));
  if (format === 'json') {
    return JSON.stringify({ rules: rows }, null, 2) + '\n';
  }
  return (
    rows.map((r) => `${r.id.padEnd(44)} ${r.severity.padEnd(8)} ${`${r.owner}/${r.layer}`.padEnd(20)} ${r.title}`).join('\n') +
    `\n${rows.length} rules\n`
  );
}

/** Runs the CLI on arguments (without `node` and the script) and returns what to print and the exit code. */
export function runCli(args: string[], env: { isColor: boolean; today?: string }): CliResult {
  const [command, ...rest] = args;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      return { stdout: USAGE, stderr: '', exitCode: command === undefined ? 2 : 0 };
    }
    if (command === '--version' || command === '-v') {
      return { stdout: `${VERSION}\n`, stderr: '', exitCode: 0 };
    }
    const { ruleSet, errors } = loadBundledRuleSetWithErrors();
    const ruleWarnings = errors.map((e) => `onus: ${e.file}: ${e.message}\n`).join('');
    if (command === 'rules') {
      const { options, positional } = parseArgs(rest, ['format'], []);
      const format = options.get('format') ?? 'text';
      if (positional.length > 0 || !['text', 'json'].includes(format)) {
        throw new UsageError(positional.length > 0 ? `unexpected argument "${positional[0]}"` : `unknown format "${format}"`);
      }
      return { stdout: listRules(ruleSet, format), stderr: ruleWarnings, exitCode: 0 };
    }
    if (command === 'scan') {
      const { options, positional } = parseArgs(rest, ['format', 'severity'], ['list-suppressed']);
      const format = options.get('format') ?? 'text';
      if (!['text', 'json', 'sarif'].includes(format)) {
        throw new UsageError(`unknown format "${format}" (expected text, json or sarif)`);
      }
      const severity = (options.get('severity') ?? 'low') as Severity;
      if (!SEVERITIES.includes(severity)) {
        throw new UsageError(`unknown severity "${severity}" (expected low, medium, high or critical)`);
      }
      if (positional.length === 0) {
        throw new UsageError('scan needs at least one PATH');
      }
      const analyzeOptions: AnalyzeOptions = {
        rules: ruleSet,
        minimumSeverity: severity,
        ...(env.today ? { today: env.today } : {}),
      };
      const result = scanPaths(positional, analyzeOptions);
      const listSuppressed = options.has('list-suppressed');
      const stdout =
        format === 'json'
          ? formatJson(result, listSuppressed)
          : format === 'sarif'
            ? formatSarif(result, ruleSet, VERSION)
            : formatText(result, ruleSet, { isColor: env.isColor, listSuppressed });
      return { stdout, stderr: ruleWarnings, exitCode: result.findings.length > 0 ? 1 : 0 };
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      return { stdout: '', stderr: `onus: ${e.message}\n\n${USAGE}`, exitCode: 2 };
    }
    if (e instanceof PathError) {
      return { stdout: '', stderr: `onus: ${e.message}\n`, exitCode: 2 };
    }
    throw e;
  }
}

/** Whether stdout should be coloured (a terminal, and NO_COLOR unset; FORCE_COLOR forces it). */
function isColorOutput(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') {
    return false;
  }
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') {
    return true;
  }
  return process.stdout.isTTY === true;
}

if (require.main === module) {
  let result: CliResult;
  try {
    result = runCli(process.argv.slice(2), { isColor: isColorOutput() });
  } catch (e) {
    result = { stdout: '', stderr: `onus: internal error: ${(e as Error).stack ?? String(e)}\n`, exitCode: 2 };
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
