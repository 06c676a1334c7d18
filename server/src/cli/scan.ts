/**
 * `onus scan`: collects the IaC files under the given paths, analyses each unit once, and merges the results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf, fileKindOf, isCloudFormationFile, type Analysis, type AnalyzeOptions } from '../engine/analyze';
import { isExcluded } from '../engine/config';
import type { RuleSet } from '../engine/ruleSet';
import type { CfnSpec } from '../engine/cfnSpec';
import type { SuppressionProblem } from '../engine/suppressions';
import type { Finding, SourceProblem, SuppressedFinding } from '../engine/types';
import { findUnknownProperties, UNKNOWN_PROPERTY_CODE, type UnknownProperty } from '../engine/unknownProperties';
import { diskFileSystem } from '../model/diskFileSystem';
import type { FileSystem } from '../model/fileSystem';
import type { ModelDiagnostic, ModelFile } from '../model/types';

/** Folders a recursive scan never enters. */
const SKIPPED_FOLDERS = new Set(['.terraform', '.git', 'node_modules', '.terragrunt-cache']);

/** A problem with a path given on the command line (exit code 2). */
export class PathError extends Error {}

/** Everything one scan found. */
export interface ScanResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: ModelDiagnostic[];
  notes: ModelDiagnostic[];
  /** The text of every file read, for line/column conversion. */
  texts: Map<string, string>;
  /** How many IaC files were collected. */
  fileCount: number;
  /** Problems with suppressions themselves (no reason, expired, unused). */
  suppressionProblems: SuppressionProblem[];
  /** Problems in the `.onus.yaml` and custom rule files read. */
  projectProblems: SourceProblem[];
  /** CloudFormation property names AWS's resource specification does not know (meta rule `onus-cfn-unknown-property`). */
  unknownProperties: UnknownProperty[];
  /** The rules the scan could run: the catalog plus every custom rule loaded. */
  ruleSet: RuleSet;
}

/**
 * The disk, read once per path during a scan (a scan does not expect files to change under it): the walks up to
 * `.onus.yaml` from every file, and a module's files read by each of its callers, cost one read each.
 */
function cachedDisk(): FileSystem {
  const files = new Map<string, string | undefined>();
  const folders = new Map<string, ReturnType<FileSystem['readDirectory']>>();
  return {
    readFile(file) {
      if (!files.has(file)) {
        files.set(file, diskFileSystem.readFile(file));
      }
      return files.get(file);
    },
    readDirectory(folder) {
      if (!folders.has(folder)) {
        folders.set(folder, diskFileSystem.readDirectory(folder));
      }
      return folders.get(folder);
    },
  };
}

/** Collects the IaC files under `root` (recursively), skipping vendored and tool folders. */
function collect(root: string, out: string[], depth = 0): void {
  if (depth > 64) {
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) {
        collect(full, out, depth + 1);
      }
    } else if (entry.isFile() && isScannedName(entry.name)) {
      out.push(full);
    }
  }
}

/** Whether a file lies in a module folder that `terraform init` downloaded (`.terraform/modules/…`). */
function isDownloadedModuleFile(file: string): boolean {
  return file.split(/[\\/]/).some((part, i, parts) => part === '.terraform' && parts[i + 1] === 'modules');
}

/** Whether a file name may hold IaC that a scan analyses (tfvars are read by their module, not on their own). */
function isScannedName(name: string): boolean {
  const kind = fileKindOf(name);
  return kind === 'terraform' || kind === 'terraform-json' || kind === 'maybe-cloudformation' || kind === 'bicep';
}

/**
 * Whether a YAML or JSON file is a CloudFormation template (a file that cannot be read never was IaC to Onus). The
 * parser keeps recent parses, so deciding just before the file's analysis parses it once for both.
 */
function isTemplateFile(file: string, fs: FileSystem): boolean {
  const text = fs.readFile(file);
  return text !== undefined && isCloudFormationFile(file, text);
}

/** Whether the configuration in force for a file excludes it (`.onus.yaml`'s `exclude`). */
function isExcludedFile(file: string, options: AnalyzeOptions, fs: FileSystem): boolean {
  const config = options.project ? options.project.resolve(file, fs).config : options.config;
  return config !== undefined && isExcluded(config, file);
}

/** What a scan reports beyond the rules' findings, and what it keeps of them. */
export interface ScanOptions {
  /** Report CloudFormation property names that AWS's specification does not know. */
  cfnSpec?: CfnSpec;
  /**
   * Keep of each fix only its title and whether it is safe (`edits` is empty), as a report prints them: a large
   * repository's rendered fix texts are not held until the report is printed. `onus fix` needs the edits.
   */
  isReportOnly?: boolean;
}

/** A finding as a report keeps it: its fix without the edits. */
function withoutEdits<T extends Finding>(f: T): T {
  return f.fix === undefined || f.fix.edits.length === 0 ? f : { ...f, fix: { title: f.fix.title, edits: [], isSafe: f.fix.isSafe } };
}

/**
 * Scans the given paths; throws {@link PathError} when one cannot be read. `onUnit` sees each unit's analysis with
 * the test the scan applies to its files (a file asked for, or a called module outside every scanned folder).
 */
export function scanPaths(
  paths: string[],
  options: AnalyzeOptions,
  onUnit?: (analysis: Analysis, isReported: (file: string) => boolean) => void,
  scanOptions: ScanOptions = {},
): ScanResult {
  const { cfnSpec, isReportOnly = false } = scanOptions;
  const files: string[] = [];
  const roots: string[] = [];
  const explicitFiles = new Set<string>();
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new PathError(`cannot read "${p}": no such file or folder`);
    }
    if (stat.isDirectory()) {
      try {
        fs.readdirSync(p);
      } catch {
        throw new PathError(`cannot read folder "${p}"`);
      }
      roots.push(path.resolve(p));
      collect(path.resolve(p), files);
    } else {
      try {
        fs.accessSync(p, fs.constants.R_OK);
      } catch {
        throw new PathError(`cannot read file "${p}"`);
      }
      const full = path.resolve(p);
      explicitFiles.add(full);
      files.push(full);
    }
  }
  const disk = cachedDisk();
  // Terraform and Bicep files are IaC by name; a YAML or JSON file is decided by content just before its analysis
  // (below), and joins `collected` then: only its own unit reports findings in it.
  const candidates = files.filter((file) => !isExcludedFile(file, options, disk));
  const collected = new Set(candidates.filter((file) => fileKindOf(file) !== 'maybe-cloudformation'));
  const isUnderRoot = (file: string) => roots.some((r) => file === r || file.startsWith(r + path.sep));
  // A finding is reported when its file was asked for, when it is in a local module outside every scanned folder
  // that a scanned module calls, or when it is in a module `terraform init` downloaded (a folder the scan itself
  // skips, reached only through a call).
  const isReported = (file: string) =>
    collected.has(file) || (!isUnderRoot(file) && !explicitFiles.has(file)) || isDownloadedModuleFile(file);
  // A Terraform module is a folder (analysed once, through any of its files); a template is a unit by itself.
  const units = new Map<string, string>();
  for (const file of candidates) {
    const kind = fileKindOf(file);
    const unit = kind === 'terraform' || kind === 'terraform-json' ? `dir:${path.dirname(file)}` : `file:${file}`;
    if (!units.has(unit)) {
      units.set(unit, file);
    }
  }
  const result: ScanResult = {
    findings: [],
    suppressed: [],
    errors: [],
    notes: [],
    texts: new Map(),
    fileCount: 0,
    suppressionProblems: [],
    projectProblems: [],
    unknownProperties: [],
    ruleSet: { rules: [...options.rules.rules], byId: new Map(options.rules.byId), services: options.rules.services },
  };
  const problems = new Map<string, SuppressionProblem>();
  const matchedSuppressions = new Set<string>();
  const seen = new Set<string>();
  // Each file's kept findings and the unit that first reported in it. A unit's analysis reports a finding once, so
  // keys are made for a file only when a second unit (a module's other caller) reports in it: a repository of
  // independent folders holds no key per finding.
  const keptIn = new Map<string, { unit: number; findings: Finding[]; keys?: Set<string> }>();
  const findingKey = (f: Finding) => key(f, `${f.ruleId}:${f.message}`);
  let unitNumber = 0;
  // The catalog and each `.onus.yaml`'s rule set are merged into the result once, not once per unit.
  const mergedRuleSets = new Set<RuleSet>([options.rules]);
  const key = (f: { file: string; span: { start: number; end: number } }, extra: string) =>
    `${extra}\u0000${f.file}\u0000${f.span.start}\u0000${f.span.end}`;
  for (const file of units.values()) {
    if (fileKindOf(file) === 'maybe-cloudformation') {
      if (!isTemplateFile(file, disk)) {
        continue;
      }
      collected.add(file);
    }
    const analysis = analyzeUnitOf(file, disk, options);
    if (!mergedRuleSets.has(analysis.ruleSet)) {
      mergedRuleSets.add(analysis.ruleSet);
      for (const rule of analysis.ruleSet.rules) {
        if (!result.ruleSet.byId.has(rule.id)) {
          result.ruleSet.rules.push(rule);
          result.ruleSet.byId.set(rule.id, rule);
        }
      }
    }
    const explicitOnly = explicitFiles.has(file) && !isUnderRoot(file);
    const wanted = (f: string) => (explicitOnly ? explicitFiles.has(f) : isReported(f));
    onUnit?.(analysis, wanted);
    analysis.model.files.forEach((f: ModelFile) => result.texts.set(f.path, f.text));
    unitNumber++;
    for (const f of analysis.findings) {
      if (!wanted(f.file)) {
        continue;
      }
      let kept = keptIn.get(f.file);
      if (kept === undefined) {
        kept = { unit: unitNumber, findings: [] };
        keptIn.set(f.file, kept);
      } else if (kept.keys === undefined && kept.unit !== unitNumber) {
        kept.keys = new Set(kept.findings.map(findingKey));
      }
      if (kept.keys !== undefined) {
        const k = findingKey(f);
        if (kept.keys.has(k)) {
          continue;
        }
        kept.keys.add(k);
      }
      const finding = isReportOnly ? withoutEdits(f) : f;
      kept.findings.push(finding);
      result.findings.push(finding);
    }
    for (const f of analysis.suppressed) {
      if (f.suppressionSpan) {
        matchedSuppressions.add(`${f.file}\u0000${f.suppressionSpan.start}`);
      }
      if (wanted(f.file)) {
        const suppressedKey = key(f, `s:${f.ruleId}`);
        if (!seen.has(suppressedKey)) {
          seen.add(suppressedKey);
          result.suppressed.push(isReportOnly ? withoutEdits(f) : f);
        }
      }
    }
    for (const p of analysis.suppressionProblems) {
      if (p.ruleId !== 'onus-suppression-unused') {
        matchedSuppressions.add(`${p.file}\u0000${p.span.start}`);
      }
      if (wanted(p.file)) {
        problems.set(`${p.ruleId}\u0000${p.file}\u0000${p.span.start}`, p);
      }
    }
    for (const p of analysis.projectProblems) {
      const problemKey = `${p.file}\u0000${p.line}\u0000${p.column}\u0000${p.message}`;
      if (!seen.has(problemKey)) {
        seen.add(problemKey);
        result.projectProblems.push(p);
      }
    }
    if (cfnSpec && analysis.metaRules.has(UNKNOWN_PROPERTY_CODE) && analysis.model.files.some((f) => f.format === 'cloudformation')) {
      const textOf = (f: string) => analysis.model.files.find((m) => m.path === f)?.text;
      result.unknownProperties.push(...findUnknownProperties(analysis.model, cfnSpec, textOf).filter((p) => wanted(p.file)));
    }
    for (const e of analysis.errors) {
      if (wanted(e.file) && !seen.has(key(e, `e:${e.message}`))) {
        seen.add(key(e, `e:${e.message}`));
        result.errors.push(e);
      }
    }
    for (const n of analysis.model.notes) {
      if (!seen.has(key(n, `n:${n.message}`))) {
        seen.add(key(n, `n:${n.message}`));
        result.notes.push(n);
      }
    }
  }
  result.fileCount = candidates.filter((file) => collected.has(file)).length;
  const order = (a: { file: string; span: { start: number } }, b: { file: string; span: { start: number } }) =>
    (a.file === b.file ? 0 : a.file.localeCompare(b.file)) || a.span.start - b.span.start;
  result.findings.sort((a, b) => order(a, b) || a.ruleId.localeCompare(b.ruleId));
  result.suppressed.sort((a, b) => order(a, b) || a.ruleId.localeCompare(b.ruleId));
  result.errors.sort(order);
  // A module's suppression that one caller's analysis needed is not unused because another's (or the module's own,
  // with its inputs unknown) did not.
  result.suppressionProblems = [...problems.values()]
    .filter((p) => p.ruleId !== 'onus-suppression-unused' || !matchedSuppressions.has(`${p.file}\u0000${p.span.start}`))
    .sort((a, b) => order(a, b) || a.ruleId.localeCompare(b.ruleId));
  result.unknownProperties.sort(order);
  result.projectProblems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return result;
}
