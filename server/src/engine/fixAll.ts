/**
 * Fix-all over one file's text: the passes that the editor's "Fix all" action, `onus fix` and the resource templates
 * share.
 *
 * Each pass applies the applicable fixes (those whose edits all stay in the file, sorted by position, dropping a fix
 * whose edits overlap an earlier kept one, as vscode-eslint's `Fixes.getApplicable` does; two insertions at the same
 * offset count as overlapping). What a pass dropped is picked up by the next pass over the re-analysed text, as
 * ESLint's fix mode does, so one fix-all leaves nothing fixable behind. A pass that would add a syntax error is
 * discarded and ends the run.
 */
import { applyEdits } from './applyEdits';
import type { Finding, TextEdit } from './types';

/** The most passes fix-all makes (ESLint's limit), so a fix that never settles cannot loop. */
export const MAX_FIX_ALL_PASSES = 10;

/** What re-analysing a file's fixed text gives fix-all: the file's findings and how many syntax errors it has. */
export interface FixAllAnalysis {
  findings: readonly Finding[];
  errorCount: number;
}

/** The outcome of fix-all on one file. */
export interface FixAllResult {
  /** The fixed text (the original text when nothing applied). */
  text: string;
  /** The findings whose fixes were applied, over all passes. */
  applied: Finding[];
  /** The file's findings in the fixed text (those no fix could remove), when the last text was analysed. */
  remaining: readonly Finding[];
  /** Whether a pass was discarded because its result would not parse as well as the text before it. */
  isStoppedBySyntax: boolean;
}

/** Whether two edits touch the same text, or insert at the same offset (their order would be ambiguous). */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) {
    return false;
  }
  return (a.span.start < b.span.end && b.span.start < a.span.end) || a.span.start === b.span.start;
}

function compareEdits(a: TextEdit, b: TextEdit): number {
  return a.file.localeCompare(b.file) || a.span.start - b.span.start || a.span.end - b.span.end;
}

/** Whether a finding has a fix whose edits all stay in `file`. */
export function isFixableIn(finding: Finding, file: string): boolean {
  return finding.fix !== undefined && finding.fix.edits.length > 0 && finding.fix.edits.every((e) => e.file === file);
}

/**
 * The fixes of a file that one fix-all pass applies: those whose edits are all in the file, sorted by their first
 * edit, without overlaps (the first of two overlapping fixes wins).
 */
export function applicableFixes(findings: readonly Finding[], file: string): Finding[] {
  const candidates = findings
    .filter((f) => isFixableIn(f, file))
    .map((f) => ({ finding: f, edits: [...f.fix!.edits].sort(compareEdits) }))
    .sort((a, b) => compareEdits(a.edits[0]!, b.edits[0]!) || a.finding.ruleId.localeCompare(b.finding.ruleId));
  const kept: TextEdit[] = [];
  const out: Finding[] = [];
  for (const candidate of candidates) {
    if (candidate.edits.some((e) => kept.some((k) => editsOverlap(e, k)))) {
      continue;
    }
    kept.push(...candidate.edits);
    out.push(candidate.finding);
  }
  return out;
}

/**
 * Applies every fix of `file` in passes. `first` is the analysis of `text`; `reanalyze` analyses a fixed text (when
 * absent, only the first pass runs). Never throws for bad input; the text returned parses no worse than `text`.
 */
export function fixAll(
  file: string,
  text: string,
  first: FixAllAnalysis,
  reanalyze: ((text: string) => FixAllAnalysis) | undefined,
): FixAllResult {
  let current = text;
  let findings = first.findings;
  let errorCount = first.errorCount;
  const applied: Finding[] = [];
  let isStoppedBySyntax = false;
  for (let pass = 0; pass < MAX_FIX_ALL_PASSES; pass++) {
    const fixes = applicableFixes(findings, file);
    const next = applyEdits(current, fixes.flatMap((f) => f.fix!.edits));
    if (fixes.length === 0 || next === current) {
      break;
    }
    if (!reanalyze) {
      return { text: next, applied: [...applied, ...fixes], remaining: [], isStoppedBySyntax };
    }
    const analysis = reanalyze(next);
    if (analysis.errorCount > errorCount) {
      isStoppedBySyntax = true;
      break;
    }
    current = next;
    applied.push(...fixes);
    errorCount = analysis.errorCount;
    findings = analysis.findings;
  }
  return { text: current, applied, remaining: findings, isStoppedBySyntax };
}
