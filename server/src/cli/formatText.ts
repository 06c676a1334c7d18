/**
 * The human output of `onus scan`: findings grouped by file, each with `file:line:column`, severity, rule id, owner
 * and layer, the message and the fix hint, then problems with suppressions, unknown CloudFormation property names and
 * errors; coloured on a terminal, plain otherwise.
 */
import { MetaRule } from '../engine/metaRules';
import type { RuleSet } from '../engine/ruleSet';
import { remediationFor } from '../engine/remediation';
import type { Finding, Severity } from '../engine/types';
import { UNKNOWN_PROPERTY_CODE } from '../engine/unknownProperties';
import { displayPath, Locator } from './locations';
import type { ScanResult } from './scan';

/** ANSI styling that is a no-op when colour is off. */
function styler(isColor: boolean) {
  const wrap = (code: string) => (s: string) => (isColor ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), yellow: wrap('33'), cyan: wrap('36'), magenta: wrap('35'), underline: wrap('4') };
}


/** How many lines one piece of {@link formatTextChunks} holds. */
const LINES_PER_CHUNK = 1000;

/** Renders a scan result for a terminal. */
export function formatText(result: ScanResult, rules: RuleSet, options: { isColor: boolean; listSuppressed: boolean }): string {
  return [...formatTextChunks(result, rules, options)].join('');
}

/**
 * Renders a scan result for a terminal in pieces of whole lines, whose concatenation is {@link formatText}'s text: a
 * large repository's report is printed as it is made, never held as one string. `findings` are the result's findings
 * in the report's order, a few files' at a time (a streamed scan's, read as they come; the rest is read after them).
 */
export function* formatTextChunks(
  result: ScanResult,
  rules: RuleSet,
  options: { isColor: boolean; listSuppressed: boolean },
  findings: Iterable<readonly Finding[]> = [result.findings],
): Generator<string> {
  const s = styler(options.isColor);
  const severityColor: Record<Severity, (x: string) => string> = {
    critical: (x) => s.bold(s.magenta(x)),
    high: s.red,
    medium: s.yellow,
    low: s.cyan,
  };
  const locator = new Locator(result.texts);
  let out: string[] = [];
  // The summary's figures, counted as the findings go by.
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let findingCount = 0;
  let fixable = 0;
  let filesWithFindings = 0;
  for (const batch of findings) {
    const byFile = new Map<string, Finding[]>();
    for (const f of batch) {
      const list = byFile.get(f.file);
      if (list) {
        list.push(f);
      } else {
        byFile.set(f.file, [f]);
      }
    }
    filesWithFindings += byFile.size;
    for (const [file, list] of byFile) {
      out.push(s.underline(displayPath(file)));
      for (const f of list) {
        if (out.length >= LINES_PER_CHUNK) {
          yield `${out.join('\n')}\n`;
          out = [];
        }
        findingCount++;
        counts[f.severity]++;
        fixable += f.fix ? 1 : 0;
        const loc = locator.locate(f.file, f.span);
        const rule = rules.byId.get(f.ruleId);
        out.push(
          `  ${displayPath(file)}:${loc.line}:${loc.column}  ${severityColor[f.severity](f.severity.padEnd(8))} ${s.bold(f.ruleId)}  ${s.dim(`${f.owner}-owned · ${f.layer} layer`)}`,
        );
        out.push(`    ${f.message}${f.deploymentNote ? s.dim(` (${f.deploymentNote})`) : ''}`);
        const hint = rule ? (remediationFor(rule.remediation, f.format)[0] ?? '') : '';
        out.push(`    ${s.dim('fix:')} ${hint}${f.fix ? s.dim(` (quick fix: ${f.fix.title})`) : ''}`);
        if (f.expiredSuppression) {
          out.push(`    ${s.yellow(`suppression expired on ${f.expiredSuppression}`)}`);
        }
      }
      out.push('');
    }
  }
  if (options.listSuppressed && result.suppressed.length > 0) {
    out.push(s.bold('Suppressed'));
    for (const f of result.suppressed) {
      if (out.length >= LINES_PER_CHUNK) {
        yield `${out.join('\n')}\n`;
        out = [];
      }
      const loc = locator.locate(f.file, f.span);
      const until = f.until ? ` until ${f.until}` : '';
      out.push(
        `  ${displayPath(f.file)}:${loc.line}:${loc.column}  ${f.ruleId}  ${s.dim(`${f.reason || '(no reason)'}${until} [${f.source}]`)}`,
      );
    }
    out.push('');
  }
  if (result.suppressionProblems.length > 0) {
    out.push(s.bold('Suppressions'));
    for (const p of result.suppressionProblems) {
      const loc = locator.locate(p.file, p.span);
      const level = MetaRule.byId(p.ruleId)?.level ?? 'note';
      const shown = level === 'warning' ? s.yellow(level.padEnd(8)) : s.dim(level.padEnd(8));
      out.push(`  ${displayPath(p.file)}:${loc.line}:${loc.column}  ${shown} ${s.bold(p.ruleId)}  ${p.message}`);
    }
    out.push('');
  }
  if (result.unknownProperties.length > 0) {
    out.push(s.bold('Unknown properties'));
    for (const p of result.unknownProperties) {
      const loc = locator.locate(p.file, p.span);
      out.push(`  ${displayPath(p.file)}:${loc.line}:${loc.column}  ${s.yellow('warning'.padEnd(8))} ${s.bold(UNKNOWN_PROPERTY_CODE)}  ${p.message}`);
    }
    out.push('');
  }
  if (result.errors.length > 0 || result.projectProblems.length > 0) {
    out.push(s.bold('Errors'));
    for (const p of result.projectProblems) {
      const severity = p.severity ?? 'error';
      const shown = severity === 'error' ? s.red('error') : severity === 'warning' ? s.yellow('warning') : s.dim('info');
      out.push(`  ${displayPath(p.file)}:${p.line}:${p.column}  ${shown}  ${p.message}`);
    }
    for (const e of result.errors) {
      const loc = locator.locate(e.file, e.span);
      out.push(`  ${displayPath(e.file)}:${loc.line}:${loc.column}  ${s.red('error')}  ${e.message}`);
    }
    out.push('');
  }
  const remote = result.notes.filter((n) => n.code === 'module-not-fetched');
  if (remote.length > 0) {
    out.push(s.dim(`Note: ${remote.length} remote module call${remote.length === 1 ? ' was' : 's were'} not fetched; their resources are not checked.`));
  }
  const severities = (['critical', 'high', 'medium', 'low'] as Severity[])
    .filter((sev) => counts[sev] > 0)
    .map((sev) => `${counts[sev]} ${sev}`);
  const files = `${result.fileCount} file${result.fileCount === 1 ? '' : 's'} scanned`;
  const problemCount = result.suppressionProblems.length;
  const unknownCount = result.unknownProperties.length;
  const problems =
    (problemCount ? `; ${problemCount} suppression problem${problemCount === 1 ? '' : 's'}` : '') +
    (unknownCount ? `; ${unknownCount} unknown propert${unknownCount === 1 ? 'y' : 'ies'}` : '');
  if (findingCount === 0) {
    out.push(`No findings (${files}${result.suppressed.length ? `, ${result.suppressed.length} suppressed` : ''})${problems}.`);
  } else {
    out.push(
      s.bold(
        `${findingCount} finding${findingCount === 1 ? '' : 's'} (${severities.join(', ')}) in ${filesWithFindings} file${filesWithFindings === 1 ? '' : 's'}; ${files}; ${fixable} with a quick fix${result.suppressed.length ? `; ${result.suppressed.length} suppressed` : ''}${problems}.`,
      ),
    );
  }
  yield `${out.join('\n')}\n`;
}
