/**
 * The `onus` command: `scan`, `rules`, `explain` and `test-rules` (see {@link USAGE}). Exit codes: 0 nothing
 * reported, 1 findings (or failed rule tests), 2 usage error or unreadable path. Every command reads the `.onus.yaml`
 * that applies (for `scan`, per file; for the others, the current folder's) and the custom rules it names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalyzeOptions } from '../engine/analyze';
import { bundledCfnSpec } from '../engine/cfnSpecShards';
import { CONFIG_FILE_NAME, ProjectLoader, type Project } from '../engine/config';
import { loadBundledRuleSetWithErrors } from '../engine/loadRules';
import { MetaRule } from '../engine/metaRules';
import { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import { SEVERITIES, type Severity, type SourceProblem } from '../engine/types';
import { diskFileSystem } from '../model/diskFileSystem';
import { explainRule, similarRuleIds, styleMarkdown } from './explain';
import { fixPaths, formatFixRun, remainingCount } from './fix';
import { formatJsonChunks } from './formatJson';
import { formatSarifChunks } from './formatSarif';
import { formatTextChunks } from './formatText';
import { displayPath } from './locations';
import { formatMatrix, MATRIX_FORMATS, matrixOfPaths, type MatrixFormat } from './matrix';
import { PathError, scanStreamed } from './scan';
import { runRuleTests } from './testRules';

/** The version printed by `--version` and written into SARIF. */
export const VERSION = '0.1.0';

const USAGE = `Usage:
  onus scan PATH... [--format text|json|sarif] [--severity low|medium|high|critical] [--list-suppressed]
  onus matrix PATH... [--format markdown|csv|json|html] [--output FILE] [--severity low|medium|high|critical]
  onus fix PATH... [--rule ID[,ID...]]... [--dry-run] [--severity low|medium|high|critical]
  onus rules [--format text|json] [--provider aws,azure,gcp] [--language terraform,cloudformation,bicep]
             [--severity low|medium|high|critical] [--owner customer,provider,shared]
  onus explain RULE-ID
  onus test-rules DIR [--update]
  onus --version | --help

Scans Terraform, CloudFormation and Bicep for the security settings that are the customer's job under the cloud
Shared Responsibility Model. The nearest .onus.yaml above each file applies (its minimumSeverity unless --severity
is given), with the custom rules it names.
\`matrix\` prints the Responsibility Matrix: the services in use, who owns each layer, and per layer the open
findings and responsibility gaps (it exits 0 whatever it finds).
\`fix\` applies the fixes the editor's quick fixes make to the files in place (\`--dry-run\`: prints them as a
unified diff); it never writes a file that would not parse and exits as \`scan\` would afterwards.
Exit codes: 0 nothing reported, 1 at least one finding (or a suppression without a reason, or a CloudFormation
property name AWS's specification does not know) reported, or a rule test failed; 2 usage error or unreadable PATH.
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

/** Splits a comma-separated option and checks every value against the allowed ones. */
function listOption(options: Map<string, string>, name: string, allowed: readonly string[]): string[] | undefined {
  const raw = options.get(name);
  if (raw === undefined) {
    return undefined;
  }
  const values = raw.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  const wrong = values.find((v) => !allowed.includes(v));
  if (wrong !== undefined || values.length === 0) {
    throw new UsageError(`unknown --${name} "${wrong ?? raw}" (expected ${allowed.join(', ')})`);
  }
  return values;
}

/** A severity option, checked. */
function severityOption(options: Map<string, string>): Severity | undefined {
  const severity = options.get('severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    throw new UsageError(`unknown severity "${severity}" (expected low, medium, high or critical)`);
  }
  return severity as Severity | undefined;
}

/** The `rules` command: the catalog (and custom rules) as JSON (DESIGN.md) or a table, filtered. */
function listRules(ruleSet: RuleSet, options: Map<string, string>): string {
  const format = options.get('format') ?? 'text';
  if (!['text', 'json'].includes(format)) {
    throw new UsageError(`unknown format "${format}"`);
  }
  const providers = listOption(options, 'provider', ['aws', 'azure', 'gcp']);
  const languages = listOption(options, 'language', ['terraform', 'cloudformation', 'bicep']);
  const owners = listOption(options, 'owner', ['customer', 'provider', 'shared']);
  const minimum = SEVERITIES.indexOf(severityOption(options) ?? 'low');
  const rows = ruleSet.rules
    .filter(
      (r) =>
        (!providers || providers.includes(r.provider)) &&
        (!languages || languages.some((l) => l in r.match)) &&
        (!owners || owners.includes(r.owner)) &&
        SEVERITIES.indexOf(r.severity) >= minimum,
    )
    .map((r) => ({
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
      ...(r.isCustom ? { custom: true } : {}),
    }));
  if (format === 'json') {
    return JSON.stringify({ rules: rows }, null, 2) + '\n';
  }
  return (
    rows
      .map((r) => `${r.id.padEnd(44)} ${r.severity.padEnd(8)} ${`${r.owner}/${r.layer}`.padEnd(20)} ${r.title}${r.custom ? ' (custom)' : ''}`)
      .join('\n') + `\n${rows.length} rule${rows.length === 1 ? '' : 's'}\n`
  );
}

/** Problems in `.onus.yaml` and custom rule files as `file:line:column: message` lines for stderr. */
function problemLines(problems: readonly SourceProblem[]): string {
  return problems.map((p) => `onus: ${displayPath(p.file)}:${p.line}:${p.column}: ${p.severity ?? 'error'}: ${p.message}\n`).join('');
}

/** Today's date in UTC as `YYYY-MM-DD`. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Where {@link runCli} runs. */
export interface CliEnvironment {
  isColor: boolean;
  today?: string;
  cwd?: string;
  /**
   * Receives a scan's report in pieces as it is made, which the result's `stdout` then leaves out: a large
   * repository's report is never held as one string. Without it, `stdout` holds everything.
   */
  writeStdout?: (chunk: string) => void;
}

/** Runs the CLI on arguments (without `node` and the script) and returns what to print and the exit code. */
export function runCli(args: string[], env: CliEnvironment): CliResult {
  const [command, ...rest] = args;
  const cwd = env.cwd ?? process.cwd();
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      return { stdout: USAGE, stderr: '', exitCode: command === undefined ? 2 : 0 };
    }
    if (command === '--version' || command === '-v') {
      return { stdout: `${VERSION}\n`, stderr: '', exitCode: 0 };
    }
    const { ruleSet, errors } = loadBundledRuleSetWithErrors();
    const ruleWarnings = problemLines(errors);
    // The CLI runs on the user's own command, so custom rules always load (the editor asks for a trusted workspace).
    const loader = new ProjectLoader(ruleSet, { canLoadCustomRules: true });
    const currentProject = (): Project => loader.resolve(path.join(path.resolve(cwd), CONFIG_FILE_NAME), diskFileSystem);
    if (command === 'rules') {
      const { options, positional } = parseArgs(rest, ['format', 'provider', 'language', 'severity', 'owner'], []);
      if (positional.length > 0) {
        throw new UsageError(`unexpected argument "${positional[0]}"`);
      }
      const project = currentProject();
      return { stdout: listRules(project.ruleSet, options), stderr: ruleWarnings + problemLines(project.problems), exitCode: 0 };
    }
    if (command === 'explain') {
      const { positional } = parseArgs(rest, [], []);
      if (positional.length !== 1) {
        throw new UsageError('explain needs one RULE-ID');
      }
      const id = positional[0]!;
      const project = currentProject();
      const page = explainRule(id, project.ruleSet, diskFileSystem);
      if (page === undefined) {
        const similar = similarRuleIds(id, project.ruleSet);
        const hint = similar.length > 0 ? `; did you mean ${similar.join(', ')}?` : '; `onus rules` lists them';
        return { stdout: '', stderr: `onus: unknown rule "${id}"${hint}\n`, exitCode: 2 };
      }
      return { stdout: `${styleMarkdown(page, env.isColor).trimEnd()}\n`, stderr: ruleWarnings + problemLines(project.problems), exitCode: 0 };
    }
    if (command === 'test-rules') {
      const { options, positional } = parseArgs(rest, [], ['update']);
      if (positional.length !== 1) {
        throw new UsageError('test-rules needs one DIR');
      }
      const run = runRuleTests(positional[0]!, ruleSet, {
        today: env.today ?? todayUtc(),
        isUpdate: options.has('update'),
        fs: diskFileSystem,
        isColor: env.isColor,
      });
      if (!run) {
        throw new PathError(`cannot read folder "${positional[0]!}"`);
      }
      return { stdout: run.lines.join('\n') + '\n', stderr: ruleWarnings, exitCode: run.failed > 0 ? 1 : 0 };
    }
    if (command === 'scan') {
      const { options, positional } = parseArgs(rest, ['format', 'severity'], ['list-suppressed']);
      const format = options.get('format') ?? 'text';
      if (!['text', 'json', 'sarif'].includes(format)) {
        throw new UsageError(`unknown format "${format}" (expected text, json or sarif)`);
      }
      const severity = severityOption(options);
      if (positional.length === 0) {
        throw new UsageError('scan needs at least one PATH');
      }
      const analyzeOptions: AnalyzeOptions = {
        rules: ruleSet,
        project: loader,
        ...(severity ? { minimumSeverity: severity } : {}),
        ...(env.today ? { today: env.today } : {}),
      };
      const scanOptions = { cfnSpec: bundledCfnSpec, isReportOnly: true };
      const listSuppressed = options.has('list-suppressed');
      // Each file's findings are printed (or, in SARIF, converted and held compressed until the rules the log names
      // are known) as soon as no later unit can report in the file, and let go.
      let findingCount = 0;
      const scan = scanStreamed(positional, analyzeOptions, scanOptions);
      const result = scan.result;
      const findings = (function* counted() {
        for (const batch of scan.findings) {
          findingCount += batch.length;
          yield batch;
        }
      })();
      const chunks =
        format === 'json'
          ? formatJsonChunks(result, listSuppressed, findings)
          : format === 'sarif'
            ? formatSarifChunks(result, result.ruleSet, VERSION, findings)
            : formatTextChunks(result, result.ruleSet, { isColor: env.isColor, listSuppressed }, findings);
      let stdout = '';
      if (env.writeStdout) {
        for (const chunk of chunks) {
          env.writeStdout(chunk);
        }
      } else {
        stdout = [...chunks].join('');
      }
      // An unknown CloudFormation property fails the scan, as cfn-lint's invalid-property error fails its run.
      const isFailing =
        findingCount > 0 ||
        result.suppressionProblems.some((p) => MetaRule.byId(p.ruleId)?.isFailing) ||
        result.unknownProperties.length > 0;
      return { stdout, stderr: ruleWarnings, exitCode: isFailing ? 1 : 0 };
    }
    if (command === 'fix') {
      // `--rule` may be repeated; each takes one id or a comma-separated list.
      const ruleIds = new Set<string>();
      const others: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i]!;
        const value = arg === '--rule' ? rest[++i] : arg.startsWith('--rule=') ? arg.slice('--rule='.length) : undefined;
        if (arg === '--rule' || arg.startsWith('--rule=')) {
          if (value === undefined || value.trim() === '') {
            throw new UsageError('--rule needs a value');
          }
          value.split(',').map((v) => v.trim()).filter((v) => v !== '').forEach((v) => ruleIds.add(v));
        } else {
          others.push(arg);
        }
      }
      const { options, positional } = parseArgs(others, ['severity'], ['dry-run']);
      const unknown = [...ruleIds].find((id) => !ruleSet.byId.has(id));
      if (unknown !== undefined) {
        throw new UsageError(`unknown rule "${unknown}" (\`onus rules\` lists them)`);
      }
      if (positional.length === 0) {
        throw new UsageError('fix needs at least one PATH');
      }
      const severity = severityOption(options);
      const isDryRun = options.has('dry-run');
      const run = fixPaths(
        positional,
        { rules: ruleSet, project: loader, ...(severity ? { minimumSeverity: severity } : {}), ...(env.today ? { today: env.today } : {}) },
        ruleIds.size > 0 ? ruleIds : undefined,
        isDryRun,
      );
      return { stdout: formatFixRun(run, cwd, isDryRun), stderr: ruleWarnings, exitCode: remainingCount(run) > 0 ? 1 : 0 };
    }
    if (command === 'matrix') {
      const { options, positional } = parseArgs(rest, ['format', 'severity', 'output'], []);
      const format = options.get('format') ?? 'markdown';
      if (!(MATRIX_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`unknown format "${format}" (expected markdown, csv, json or html)`);
      }
      const severity = severityOption(options);
      if (positional.length === 0) {
        throw new UsageError('matrix needs at least one PATH');
      }
      const matrix = matrixOfPaths(positional, {
        rules: ruleSet,
        project: loader,
        ...(severity ? { minimumSeverity: severity } : {}),
        ...(env.today ? { today: env.today } : {}),
      });
      const text = formatMatrix(matrix, format as MatrixFormat);
      const output = options.get('output');
      if (output === undefined) {
        return { stdout: text, stderr: ruleWarnings, exitCode: 0 };
      }
      try {
        fs.writeFileSync(path.resolve(cwd, output), text);
      } catch (e) {
        return { stdout: '', stderr: `onus: cannot write "${output}": ${(e as Error).message}\n`, exitCode: 2 };
      }
      const s = matrix.summary;
      return {
        stdout: `wrote ${output}: ${s.services} services, ${s.resources} resources, ${s.openFindings} open findings, ${s.gaps} responsibility gaps\n`,
        stderr: ruleWarnings,
        exitCode: 0,
      };
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

/**
 * Writes to a file descriptor before returning. `process.stdout.write` to a pipe queues what the reader has not taken
 * yet, and a scan never yields to the event loop while it prints, so a large report piped to a slow reader used to be
 * held in memory whole; written here, at most one piece is. A pipe that stdout made non-blocking is waited on; a
 * reader that went away (`onus scan … | head`) ends the output, as it ends any command's.
 */
export function synchronousWriter(fd: number): (chunk: string) => void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let isClosed = false;
  // One buffer for every piece, grown to the largest: a buffer per piece is memory outside the heap that only a full
  // collection gives back, and a report's last pieces come faster than collections do.
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    const length = Buffer.byteLength(chunk, 'utf8');
    if (length > buffer.length) {
      buffer = Buffer.alloc(Math.max(length, 2 * buffer.length, 1 << 16));
    }
    buffer.write(chunk, 0, 'utf8');
    let offset = 0;
    while (!isClosed && offset < length) {
      try {
        offset += fs.writeSync(fd, buffer, offset, length - offset);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 1);
        } else if (code === 'EPIPE') {
          isClosed = true;
        } else {
          throw e;
        }
      }
    }
  };
}

if (require.main === module) {
  const writeStdout = synchronousWriter(1);
  let result: CliResult;
  try {
    result = runCli(process.argv.slice(2), { isColor: isColorOutput(), writeStdout });
  } catch (e) {
    result = { stdout: '', stderr: `onus: internal error: ${(e as Error).stack ?? String(e)}\n`, exitCode: 2 };
  }
  writeStdout(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
