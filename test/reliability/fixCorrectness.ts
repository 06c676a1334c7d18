/**
 * Fix correctness over real files: every quick fix Onus offers on a file, applied alone and all together through
 * fix-all (the language server's `fixAllEdit`, the engine's fix-all path), must leave a file that still parses with
 * no new syntax error, without the finding it targeted, without any new finding, and applying again changes nothing
 * (a fixed file offers no fix for the same finding; a second fix-all edits nothing). Shared by
 * `test/reliability/fixCorrectness.test.ts` (fixtures and a corpus sample) and `bench/fixCorrectness.ts` (the corpus).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import type { Finding } from '../../server/src/engine/types';
import { fixAllEdit } from '../../server/src/features/codeActions';
import { Workspace, type CachedAnalysis, type TrackedDocument } from '../../server/src/features/workspace';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** The folder the checked files are placed in (never read from disk). */
const FOLDER = path.resolve('/onus-fix-check/unit');

/** Counts of one or more checked files. */
export interface FixCounts {
  files: number;
  /** Files with at least one fix. */
  filesWithFixes: number;
  /** Single fixes applied and checked. */
  fixes: number;
  /** Single fixes that passed every check. */
  fixesVerified: number;
  /** Fix-all runs that changed the file, and of those the ones that passed every check. */
  fixAll: number;
  fixAllVerified: number;
  /** Findings fix-all removed in all. */
  fixAllFindingsFixed: number;
  /**
   * Follow-on findings: after a fix, another rule reports on the same resource because the fixed setting gated it
   * (versioning enabled, so MFA delete applies; encryption on, so the key's owner is checked). Counted, not failures.
   */
  followOns: number;
}

/** The result of checking one file: its counts and a description of each failure. */
export interface FileCheck {
  counts: FixCounts;
  failures: string[];
}

/** Zero counts. */
export function noCounts(): FixCounts {
  return { files: 0, filesWithFixes: 0, fixes: 0, fixesVerified: 0, fixAll: 0, fixAllVerified: 0, fixAllFindingsFixed: 0, followOns: 0 };
}

/** Adds `b` into `a`. */
export function addCounts(a: FixCounts, b: FixCounts): void {
  for (const key of Object.keys(a) as (keyof FixCounts)[]) {
    a[key] += b[key];
  }
}

/** The language id an editor gives a file, by its name. */
function languageOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tf') || lower.endsWith('.tf.json')) {
    return 'terraform';
  }
  if (lower.endsWith('.bicep')) {
    return 'bicep';
  }
  return lower.endsWith('.json') ? 'json' : 'yaml';
}

/** A one-file workspace holding `text` as `name`, analysed as the language server would. */
class OneFile {
  readonly workspace: Workspace;
  readonly tracked: TrackedDocument | undefined;
  readonly entry: CachedAnalysis | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
    readonly options: AnalyzeOptions,
  ) {
    const filePath = path.join(FOLDER, name);
    const document = TextDocument.create(pathToFileURL(filePath).href, languageOf(name), 1, text);
    const disk = memoryFileSystem({ [filePath]: text });
    this.workspace = new Workspace({ get: (uri) => (uri === document.uri ? document : undefined), all: () => [document] }, disk);
    this.tracked = this.workspace.track(document);
    this.entry = this.tracked ? this.workspace.analyze(this.workspace.unitOf(this.tracked.path), this.tracked.path, options) : undefined;
  }

  get findings(): Finding[] {
    return this.tracked && this.entry ? this.entry.findingsIn(this.tracked.path) : [];
  }

  get errorCount(): number {
    return this.tracked && this.entry ? this.entry.errorsIn(this.tracked.path).length : 0;
  }

  /** The file after fix-all, or undefined when fix-all has nothing to do. */
  fixAll(): string | undefined {
    if (!this.tracked || !this.entry) {
      return undefined;
    }
    const result = fixAllEdit({
      workspace: this.workspace,
      tracked: this.tracked,
      entry: this.entry,
      options: this.options,
      canResolveEdits: false,
      canUseDocumentChanges: false,
    });
    const edits = Object.values(result?.edit.changes ?? {}).flat();
    if (edits.length === 0) {
      return undefined;
    }
    const document = TextDocument.create('file:///x', 'plaintext', 1, this.text);
    return TextDocument.applyEdits(document, edits);
  }
}

/** What identifies a finding across edits: its rule, resource and message (not its offsets, which an edit moves). */
function keyOf(f: Finding): string {
  return `${f.ruleId} | ${f.resource} | ${f.message}`;
}

/** How many findings of each key. */
function countKeys(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    counts.set(keyOf(f), (counts.get(keyOf(f)) ?? 0) + 1);
  }
  return counts;
}

/** Findings of `after` beyond those of `before`, by key. */
function newFindings(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const was = countKeys(before);
  const seen = new Map<string, number>();
  return after.filter((f) => {
    const n = (seen.get(keyOf(f)) ?? 0) + 1;
    seen.set(keyOf(f), n);
    return n > (was.get(keyOf(f)) ?? 0);
  });
}

/**
 * Splits new findings into follow-ons (another rule, on a resource a fix changed: the fixed setting gated it) and
 * the rest, which are failures.
 */
function splitFollowOns(added: readonly Finding[], fixed: readonly Finding[]): { followOns: Finding[]; others: Finding[] } {
  const resources = new Set(fixed.map((f) => f.resource));
  const rules = new Set(fixed.map((f) => `${f.ruleId} | ${f.resource}`));
  const followOns = added.filter((f) => resources.has(f.resource) && !rules.has(`${f.ruleId} | ${f.resource}`));
  return { followOns, others: added.filter((f) => !followOns.includes(f)) };
}

/** Whether a finding's fix stays within the file (fix-all applies only those). */
function isLocalFix(f: Finding, file: string): boolean {
  return f.fix !== undefined && f.fix.edits.length > 0 && f.fix.edits.every((e) => e.file === file);
}

/** Checks every fix of one file, alone and through fix-all. */
export function checkFile(name: string, text: string, rules: RuleSet): FileCheck {
  const options: AnalyzeOptions = { rules, today: '2026-01-01' };
  const counts = noCounts();
  const failures: string[] = [];
  counts.files++;
  const original = new OneFile(name, text, options);
  const file = original.tracked?.path;
  if (file === undefined) {
    return { counts, failures };
  }
  const fixable = original.findings.filter((f) => isLocalFix(f, file));
  if (fixable.length === 0) {
    return { counts, failures };
  }
  counts.filesWithFixes++;
  for (const finding of fixable) {
    counts.fixes++;
    const label = `${name}: fix "${finding.fix!.title}" of ${keyOf(finding)}`;
    const fixedText = applyEdits(text, finding.fix!.edits);
    const fixed = new OneFile(name, fixedText, options);
    const problems: string[] = [];
    if (fixedText === text) {
      problems.push('changes nothing');
    }
    if (fixed.errorCount > original.errorCount) {
      problems.push(`adds syntax errors: ${fixed.entry?.errorsIn(file).map((e) => e.message).join('; ')}`);
    }
    const before = countKeys(original.findings).get(keyOf(finding)) ?? 0;
    const after = countKeys(fixed.findings).get(keyOf(finding)) ?? 0;
    // With the finding gone, applying the fix again has nothing to apply to: the file stays as it is.
    if (after >= before) {
      problems.push('the finding is still there');
    }
    const { followOns, others } = splitFollowOns(newFindings(original.findings, fixed.findings), [finding]);
    counts.followOns += followOns.length;
    if (others.length > 0) {
      problems.push(`new findings: ${others.map(keyOf).join('; ')}`);
    }
    if (problems.length === 0) {
      counts.fixesVerified++;
    } else {
      failures.push(`${label}: ${problems.join(', ')}\n--- fixed text ---\n${fixedText}`);
    }
  }
  const allFixed = original.fixAll();
  if (allFixed !== undefined) {
    counts.fixAll++;
    const fixed = new OneFile(name, allFixed, options);
    const problems: string[] = [];
    if (fixed.errorCount > original.errorCount) {
      problems.push(`adds syntax errors: ${fixed.entry?.errorsIn(file).map((e) => e.message).join('; ')}`);
    }
    const { followOns, others } = splitFollowOns(newFindings(original.findings, fixed.findings), fixable);
    counts.followOns += followOns.length;
    // A follow-on may have a fix of its own, which the next fix-all applies; anything else fixable must be gone.
    const remaining = fixed.findings.filter((f) => isLocalFix(f, file) && !followOns.includes(f));
    if (remaining.length > 0) {
      problems.push(`fixable findings remain: ${remaining.map(keyOf).join('; ')}`);
    }
    if (others.length > 0) {
      problems.push(`new findings: ${others.map(keyOf).join('; ')}`);
    }
    if (followOns.length === 0 && fixed.fixAll() !== undefined) {
      problems.push('a second fix-all changes the file again');
    }
    counts.fixAllFindingsFixed += Math.max(0, original.findings.length - fixed.findings.length);
    if (problems.length === 0) {
      counts.fixAllVerified++;
    } else {
      failures.push(`${name}: fix-all: ${problems.join(', ')}\n--- fixed text ---\n${allFixed}`);
    }
  }
  return { counts, failures };
}

/** The bad fixtures of every rule: the files its fixes are written for. */
export function ruleFixtureFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (full.includes(`${path.sep}fixtures${path.sep}`) && full.includes(`${path.sep}bad${path.sep}`) && !full.endsWith('.findings')) {
        out.push(full);
      }
    }
  };
  walk(path.join(root, 'rules'));
  return out;
}

/** The corpus files Onus analyses (by name; YAML and JSON are checked for template content when analysed). */
export function corpusFiles(corpus: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.(tf|tf\.json|bicep|ya?ml|json|template)$/i.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(corpus);
  return out;
}
