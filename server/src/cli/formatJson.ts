/**
 * The JSON output of `onus scan` (DESIGN.md, "CLI"): version 1, findings, errors (with `.onus.yaml` and custom rule
 * problems first), problems with suppressions, and suppressed findings (with what suppressed them) on request.
 */
import type { Finding, SuppressedFinding } from '../engine/types';
import { displayPath, Locator } from './locations';
import type { ScanResult } from './scan';

/** One finding in the JSON output. */
function findingJson(f: Finding, locator: Locator) {
  const loc = locator.locate(f.file, f.span);
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    owner: f.owner,
    layer: f.layer,
    service: f.service,
    message: f.message,
    file: displayPath(f.file),
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    fixable: f.fix !== undefined,
    ...(f.expiredSuppression ? { expiredSuppression: f.expiredSuppression } : {}),
  };
}

/** Renders a scan result as the JSON document of the CLI contract. */
export function formatJson(result: ScanResult, listSuppressed: boolean): string {
  const locator = new Locator(result.texts);
  const doc: Record<string, unknown> = {
    version: 1,
    findings: result.findings.map((f) => findingJson(f, locator)),
    errors: [
      ...result.projectProblems.map((p) => ({ file: displayPath(p.file), line: p.line, column: p.column, message: p.message })),
      ...result.errors.map((e) => {
        const loc = locator.locate(e.file, e.span);
        return { file: displayPath(e.file), line: loc.line, column: loc.column, message: e.message };
      }),
    ],
    suppressionProblems: result.suppressionProblems.map((p) => {
      const loc = locator.locate(p.file, p.span);
      return {
        ruleId: p.ruleId,
        message: p.message,
        file: displayPath(p.file),
        line: loc.line,
        column: loc.column,
        endLine: loc.endLine,
        endColumn: loc.endColumn,
        fixable: p.fix !== undefined,
      };
    }),
  };
  if (listSuppressed) {
    doc.suppressed = result.suppressed.map((f: SuppressedFinding) => ({
      ...findingJson(f, locator),
      reason: f.reason,
      until: f.until ?? null,
      suppressedBy: f.source,
    }));
  }
  return JSON.stringify(doc, null, 2) + '\n';
}
