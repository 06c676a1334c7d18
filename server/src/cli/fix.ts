/**
 * `onus fix`: applies the fixes of every finding (or of the named rules) to the files in place, with the same
 * fix-all passes as the editor's "Fix all" (`engine/fixAll.ts`), or prints them as a unified diff (`--dry-run`).
 *
 * A file is written only when its fixed text parses without errors; a file with syntax errors is left alone, and a
 * file without a fixable finding is never written (so it stays byte for byte as it was).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { analyzeUnitOf, type AnalyzeOptions } from '../engine/analyze';
import { fixAll, isFixableIn, type FixAllAnalysis } from '../engine/fixAll';
import type { Finding } from '../engine/types';
import { diskFileSystem } from '../model/diskFileSystem';
import type { FileSystem } from '../model/fileSystem';
import { LineIndex } from '../text/lineIndex';
import { scanPaths } from './scan';

/** What `onus fix` did to one file. */
export interface FileFix {
  file: string;
  /** The findings whose fixes were applied, in the order applied. */
  applied: Finding[];
  /** Findings of the file left after the fixes (no fix, or one that could not be applied). */
  remaining: Finding[];
  before: string;
  after: string;
  /** Why the file was left as it was although it had fixable findings. */
  skipped?: string;
}

/** The outcome of `onus fix`. */
export interface FixRun {
  files: FileFix[];
  /** Findings of files that had no fixable finding (reported as "no fix"). */
  unfixable: Finding[];
  /** The texts of the files, after fixing, for locations. */
  texts: Map<string, string>;
}

/** A file system that reads through `base` except for the texts it holds. */
function overlay(base: FileSystem, texts: ReadonlyMap<string, string>): FileSystem {
  return {
    readFile: (p) => texts.get(path.resolve(p)) ?? base.readFile(p),
    readDirectory: (dir) => base.readDirectory(dir),
  };
}

/**
 * Fixes the files under `paths`. With `ruleIds`, only those rules' fixes apply. With `isDryRun`, nothing is written.
 * Throws the scan's `PathError` for a path that cannot be read.
 */
export function fixPaths(paths: string[], options: AnalyzeOptions, ruleIds: ReadonlySet<string> | undefined, isDryRun: boolean): FixRun {
  const scan = scanPaths(paths, options);
  const isSelected = (f: Finding) => ruleIds === undefined || ruleIds.has(f.ruleId);
  const byFile = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  const written = new Map<string, string>();
  const files: FileFix[] = [];
  const unfixable: Finding[] = [];
  for (const [file, findings] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const candidates = findings.filter((f) => isSelected(f) && isFixableIn(f, file));
    if (candidates.length === 0) {
      unfixable.push(...findings.filter(isSelected));
      continue;
    }
    const before = scan.texts.get(file) ?? diskFileSystem.readFile(file);
    if (before === undefined) {
      continue;
    }
    const analyze = (text: string): FixAllAnalysis => {
      const analysis = analyzeUnitOf(file, overlay(diskFileSystem, new Map([...written, [file, text]])), options);
      return {
        findings: analysis.findings.filter((f) => f.file === file && isSelected(f)),
        errorCount: analysis.errors.filter((e) => e.file === file).length,
      };
    };
    const first = analyze(before);
    if (first.errorCount > 0) {
      files.push({ file, applied: [], remaining: findings.filter(isSelected), before, after: before, skipped: 'it has syntax errors' });
      continue;
    }
    const result = fixAll(file, before, first, analyze);
    const after = result.text;
    // The fix-all passes never add a syntax error; this re-checks the final text before anything is written.
    if (after !== before && analyze(after).errorCount > 0) {
      files.push({ file, applied: [], remaining: findings.filter(isSelected), before, after: before, skipped: 'the fixed text would not parse' });
      continue;
    }
    if (after !== before) {
      written.set(file, after);
      if (!isDryRun) {
        fs.writeFileSync(file, after);
      }
    }
    files.push({ file, applied: result.applied, remaining: [...result.remaining], before, after });
  }
  const texts = new Map(scan.texts);
  for (const [file, text] of written) {
    texts.set(file, text);
  }
  return { files, unfixable, texts };
}

/** A path relative to the current folder, with forward slashes. */
function display(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/') || file;
}

/** `file:line:column rule-id message` for a finding in the given text. */
function locate(f: Finding, texts: ReadonlyMap<string, string>, cwd: string): string {
  const text = texts.get(f.file);
  const pos = text === undefined ? { line: 0, character: 0 } : new LineIndex(text).positionAt(f.span.start);
  return `${display(f.file, cwd)}:${pos.line + 1}:${pos.character + 1} ${f.ruleId} ${f.message}`;
}

/** The report of a fix run: per file what changed, then what could not be fixed, then totals (or the diffs). */
export function formatFixRun(run: FixRun, cwd: string, isDryRun: boolean): string {
  const lines: string[] = [];
  if (isDryRun) {
    for (const f of run.files) {
      if (f.after !== f.before) {
        const name = display(f.file, cwd);
        lines.push(createTwoFilesPatch(`a/${name}`, `b/${name}`, f.before, f.after, '', '').replace(/^=+\n/, '').trimEnd());
      }
    }
  }
  const verb = isDryRun ? 'would fix' : 'fixed';
  let fixedCount = 0;
  let fileCount = 0;
  const notFixed: string[] = [];
  for (const f of run.files) {
    if (f.skipped) {
      lines.push(`${display(f.file, cwd)}: not changed, ${f.skipped}`);
    } else if (f.applied.length > 0) {
      fixedCount += f.applied.length;
      fileCount++;
      const ids = [...new Set(f.applied.map((a) => a.ruleId))].sort();
      lines.push(`${display(f.file, cwd)}: ${verb} ${f.applied.length} (${ids.join(', ')})`);
    }
    notFixed.push(...f.remaining.map((r) => locate(r, run.texts, cwd)));
  }
  notFixed.push(...run.unfixable.map((r) => locate(r, run.texts, cwd)));
  if (notFixed.length > 0) {
    lines.push('', 'Not fixed (no automatic fix; see `onus explain RULE-ID`):', ...notFixed.map((l) => `  ${l}`));
  }
  lines.push(
    '',
    `${isDryRun ? 'Would fix' : 'Fixed'} ${fixedCount} finding${fixedCount === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}; ${notFixed.length} not fixed.`,
  );
  return `${lines.join('\n').replace(/^\n+/, '')}\n`;
}

/** How many findings a fix run leaves (what a scan afterwards reports). */
export function remainingCount(run: FixRun): number {
  return run.files.reduce((n, f) => n + f.remaining.length, 0) + run.unfixable.length;
}
