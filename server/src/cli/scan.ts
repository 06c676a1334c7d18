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

/** The disk as a scan reads it, which can let go of a file's text no unit will read again. */
interface ScanDisk extends FileSystem {
  forget(file: string): void;
}

/**
 * The disk, read once per path during a scan (a scan does not expect files to change under it): the walks up to
 * `.onus.yaml` from every file, and a module's files read by each of its callers, cost one read each.
 */
function cachedDisk(): ScanDisk {
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
    forget(file) {
      files.delete(file);
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


/** A unit of a scan: a Terraform module folder, a template or a Bicep file. */
interface Unit {
  /** Its number in the walk's order (of each unit's first file): the order the plain scan analyses units in. */
  index: number;
  /** The file it is analysed through: its first in the walk. */
  file: string;
  /** Its collected files; a unit that calls no module reports in no other file. */
  files: string[];
}

/** What a scan works through, decided before any analysis. */
interface Plan {
  units: Unit[];
  disk: ScanDisk;
  candidates: string[];
  /** Files the scan reports in: Terraform and Bicep from the start, a template once its unit is reached. */
  collected: Set<string>;
  explicitFiles: Set<string>;
  isUnderRoot: (file: string) => boolean;
}

/** Collects the files and units of a scan; throws {@link PathError} when a path cannot be read. */
function planScan(paths: string[], options: AnalyzeOptions): Plan {
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
  // Terraform and Bicep files are IaC by name; a YAML or JSON file is decided by content just before its analysis,
  // and joins `collected` then: only its own unit reports findings in it.
  const candidates = files.filter((file) => !isExcludedFile(file, options, disk));
  const collected = new Set(candidates.filter((file) => fileKindOf(file) !== 'maybe-cloudformation'));
  const isUnderRoot = (file: string) => roots.some((r) => file === r || file.startsWith(r + path.sep));
  // A Terraform module is a folder (analysed once, through any of its files); a template is a unit by itself.
  const units = new Map<string, Unit>();
  for (const file of candidates) {
    const kind = fileKindOf(file);
    const key = kind === 'terraform' || kind === 'terraform-json' ? `dir:${path.dirname(file)}` : `file:${file}`;
    const unit = units.get(key);
    if (unit === undefined) {
      units.set(key, { index: units.size, file, files: [file] });
    } else if (!unit.files.includes(file)) {
      unit.files.push(file);
    }
  }
  return { units: [...units.values()], disk, candidates, collected, explicitFiles, isUnderRoot };
}

/** The order of files in a report (equal paths are equal without asking `localeCompare`). */
function compareFiles(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}

/** The report's order of located items: by file, then by offset. */
function compareSpans(a: { file: string; span: { start: number } }, b: { file: string; span: { start: number } }): number {
  return compareFiles(a.file, b.file) || a.span.start - b.span.start;
}

/**
 * An item of a report with where the plain scan meets it: its unit's number and its index in that unit's list. The
 * report sorts items by file, offset and rule, and items equal in those by meeting, as a stable sort of the plain
 * scan's lists does; a scan that analyses units in another order keeps the report the same by these numbers.
 */
interface Met<T> {
  item: T;
  unit: number;
  seq: number;
}

/** Items in the order the plain scan meets them. */
function byMeeting(a: Met<unknown>, b: Met<unknown>): number {
  return a.unit - b.unit || a.seq - b.seq;
}

/** Keeps, of the items with one key, the one the plain scan meets first. */
function keepFirstMet<T>(map: Map<string, Met<T>>, key: string, met: Met<T>): void {
  const kept = map.get(key);
  if (kept === undefined || byMeeting(met, kept) < 0) {
    map.set(key, met);
  }
}

/** Where a located item lies, with a text that tells items apart. */
function spanKey(f: { file: string; span: { start: number; end: number } }, extra: string): string {
  return `${extra}\u0000${f.file}\u0000${f.span.start}\u0000${f.span.end}`;
}

/** The key that tells a finding reported by several units (a module's callers) once. */
function findingKey(f: Finding): string {
  return spanKey(f, `${f.ruleId}:${f.message}`);
}

/**
 * Merges the analyses of a scan's units into one report, whatever order the units come in: findings are held per
 * file until {@link take}n, and everything else until {@link finish}.
 */
class ReportMerger {
  /** The report; its findings are what {@link take} returns, the rest is filled in by {@link finish}. */
  readonly result: ScanResult;
  /** Each file's findings not taken yet, from every unit that reported in it. */
  private readonly pending = new Map<string, Met<Finding>[]>();
  private readonly suppressed = new Map<string, Met<SuppressedFinding>>();
  private readonly errors = new Map<string, Met<ModelDiagnostic>>();
  private readonly notes = new Map<string, Met<ModelDiagnostic>>();
  private readonly projectProblems = new Map<string, Met<SourceProblem>>();
  /** A problem with a suppression is listed where the plain scan first meets it, as the last unit to report it says. */
  private readonly problems = new Map<string, { first: Met<SuppressionProblem>; last: Met<SuppressionProblem> }>();
  private readonly unknownProperties: Met<UnknownProperty>[] = [];
  private readonly matchedSuppressions = new Set<string>();
  /** Files that items printed after the findings (suppressed findings, problems, errors) are located in. */
  private readonly locatedLater = new Set<string>();
  /** The catalog and each `.onus.yaml`'s rule set are merged into the result once, not once per unit. */
  private readonly mergedRuleSets: Set<RuleSet>;

  constructor(
    options: AnalyzeOptions,
    private readonly scanOptions: ScanOptions,
  ) {
    this.mergedRuleSets = new Set([options.rules]);
    this.result = {
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
  }

  /** The files with findings not taken yet. */
  pendingFiles(): IterableIterator<string> {
    return this.pending.keys();
  }

  /** Whether a file has findings not taken yet. */
  isPending(file: string): boolean {
    return this.pending.has(file);
  }

  /** Lets go of a file's text once its findings were printed, unless an item printed later is located in it. */
  release(file: string): void {
    if (!this.locatedLater.has(file)) {
      this.result.texts.delete(file);
    }
  }

  /** Adds the analysis of unit number `unit`, of which `wanted` files are reported; returns the files it has findings in. */
  add(unit: number, analysis: Analysis, wanted: (file: string) => boolean): Set<string> {
    const { result } = this;
    const { cfnSpec, isReportOnly = false } = this.scanOptions;
    if (!this.mergedRuleSets.has(analysis.ruleSet)) {
      this.mergedRuleSets.add(analysis.ruleSet);
      for (const rule of analysis.ruleSet.rules) {
        if (!result.ruleSet.byId.has(rule.id)) {
          result.ruleSet.rules.push(rule);
          result.ruleSet.byId.set(rule.id, rule);
        }
      }
    }
    analysis.model.files.forEach((f: ModelFile) => result.texts.set(f.path, f.text));
    const reportedIn = new Set<string>();
    analysis.findings.forEach((f, seq) => {
      if (!wanted(f.file)) {
        return;
      }
      const met = { item: isReportOnly ? withoutEdits(f) : f, unit, seq };
      const list = this.pending.get(f.file);
      if (list === undefined) {
        this.pending.set(f.file, [met]);
      } else {
        list.push(met);
      }
      reportedIn.add(f.file);
    });
    analysis.suppressed.forEach((f, seq) => {
      if (f.suppressionSpan) {
        this.matchedSuppressions.add(`${f.file}\u0000${f.suppressionSpan.start}`);
      }
      if (wanted(f.file)) {
        keepFirstMet(this.suppressed, spanKey(f, `s:${f.ruleId}`), { item: isReportOnly ? withoutEdits(f) : f, unit, seq });
        this.locatedLater.add(f.file);
      }
    });
    analysis.suppressionProblems.forEach((p, seq) => {
      if (p.ruleId !== 'onus-suppression-unused') {
        this.matchedSuppressions.add(`${p.file}\u0000${p.span.start}`);
      }
      if (wanted(p.file)) {
        const problemKey = `${p.ruleId}\u0000${p.file}\u0000${p.span.start}`;
        const met = { item: p, unit, seq };
        this.locatedLater.add(p.file);
        const kept = this.problems.get(problemKey);
        if (kept === undefined) {
          this.problems.set(problemKey, { first: met, last: met });
        } else {
          kept.first = byMeeting(met, kept.first) < 0 ? met : kept.first;
          kept.last = byMeeting(met, kept.last) > 0 ? met : kept.last;
        }
      }
    });
    analysis.projectProblems.forEach((p, seq) => {
      keepFirstMet(this.projectProblems, `${p.file}\u0000${p.line}\u0000${p.column}\u0000${p.message}`, { item: p, unit, seq });
    });
    if (cfnSpec && analysis.metaRules.has(UNKNOWN_PROPERTY_CODE) && analysis.model.files.some((f) => f.format === 'cloudformation')) {
      const textOf = (f: string) => analysis.model.files.find((m) => m.path === f)?.text;
      findUnknownProperties(analysis.model, cfnSpec, textOf)
        .filter((p) => wanted(p.file))
        .forEach((p, seq) => {
          this.unknownProperties.push({ item: p, unit, seq });
          this.locatedLater.add(p.file);
        });
    }
    analysis.errors.forEach((e, seq) => {
      if (wanted(e.file)) {
        keepFirstMet(this.errors, spanKey(e, `e:${e.message}`), { item: e, unit, seq });
        this.locatedLater.add(e.file);
      }
    });
    analysis.model.notes.forEach((n, seq) => keepFirstMet(this.notes, spanKey(n, `n:${n.message}`), { item: n, unit, seq }));
    return reportedIn;
  }

  /**
   * Takes the findings of `files` in the report's order. A finding that several units report (a module reached by
   * several callers) is kept once: the plain scan keeps every finding of the first unit to report in a file, and of
   * each later unit those whose key was not reported before.
   */
  take(files: Iterable<string>): Finding[] {
    const taken: Met<Finding>[] = [];
    for (const file of files) {
      const list = this.pending.get(file);
      if (list === undefined) {
        continue;
      }
      this.pending.delete(file);
      if (list.every((met) => met.unit === list[0]!.unit)) {
        list.forEach((met) => taken.push(met));
        continue;
      }
      list.sort(byMeeting);
      const firstUnit = list[0]!.unit;
      const keys = new Set<string>();
      for (const met of list) {
        const k = findingKey(met.item);
        if (met.unit !== firstUnit && keys.has(k)) {
          continue;
        }
        keys.add(k);
        taken.push(met);
      }
    }
    taken.sort((a, b) => compareSpans(a.item, b.item) || a.item.ruleId.localeCompare(b.item.ruleId) || byMeeting(a, b));
    return taken.map((met) => met.item);
  }

  /** Completes the report's lists other than the findings, once every unit was added. */
  finish(plan: Plan): ScanResult {
    const { result } = this;
    const sorted = <T>(items: Iterable<Met<T>>, order: (a: T, b: T) => number) =>
      [...items].sort((a, b) => order(a.item, b.item) || byMeeting(a, b)).map((met) => met.item);
    const byRule = (a: { ruleId: string }, b: { ruleId: string }) => a.ruleId.localeCompare(b.ruleId);
    result.fileCount = plan.candidates.filter((file) => plan.collected.has(file)).length;
    result.suppressed = sorted(this.suppressed.values(), (a, b) => compareSpans(a, b) || byRule(a, b));
    result.errors = sorted(this.errors.values(), compareSpans);
    result.notes = sorted(this.notes.values(), () => 0);
    // A module's suppression that one caller's analysis needed is not unused because another's (or the module's own,
    // with its inputs unknown) did not.
    result.suppressionProblems = [...this.problems.values()]
      .filter(({ last: { item: p } }) => p.ruleId !== 'onus-suppression-unused' || !this.matchedSuppressions.has(`${p.file}\u0000${p.span.start}`))
      .sort((a, b) => compareSpans(a.last.item, b.last.item) || byRule(a.last.item, b.last.item) || byMeeting(a.first, b.first))
      .map(({ last }) => last.item);
    result.unknownProperties = sorted(this.unknownProperties, compareSpans);
    result.projectProblems = sorted(this.projectProblems.values(), (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return result;
  }
}

/**
 * Analyses a unit and adds it to the report (a YAML or JSON file that is not a template is skipped); returns the
 * files it has findings in. `onUnit` sees the analysis with the test the scan applies to its files.
 */
function addUnit(
  plan: Plan,
  unit: Unit,
  options: AnalyzeOptions,
  merger: ReportMerger,
  onUnit?: (analysis: Analysis, isReported: (file: string) => boolean) => void,
): { reportedIn: Set<string>; read: string[] } {
  const { file } = unit;
  const { collected, explicitFiles, isUnderRoot, disk } = plan;
  if (fileKindOf(file) === 'maybe-cloudformation') {
    if (!isTemplateFile(file, disk)) {
      return { reportedIn: new Set(), read: [file] };
    }
    collected.add(file);
  }
  // A finding is reported when its file was asked for, when it is in a local module outside every scanned folder
  // that a scanned module calls, or when it is in a module `terraform init` downloaded (a folder the scan itself
  // skips, reached only through a call). A file given by itself outside every scanned folder reports only in itself.
  const explicitOnly = explicitFiles.has(file) && !isUnderRoot(file);
  const wanted = (f: string) =>
    explicitOnly
      ? explicitFiles.has(f)
      : collected.has(f) || (!isUnderRoot(f) && !explicitFiles.has(f)) || isDownloadedModuleFile(f);
  const analysis = analyzeUnitOf(file, disk, options);
  onUnit?.(analysis, wanted);
  return { reportedIn: merger.add(unit.index, analysis, wanted), read: analysis.model.files.map((f) => f.path) };
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
  const plan = planScan(paths, options);
  const merger = new ReportMerger(options, scanOptions);
  for (const unit of plan.units) {
    addUnit(plan, unit, options, merger, onUnit);
  }
  const findings = merger.take([...merger.pendingFiles()]);
  return { ...merger.finish(plan), findings };
}

/** A scan whose findings come in the report's order while the scan goes on. */
export interface StreamedScan {
  /**
   * The findings in the report's order, a few files' at a time, as {@link scanPaths} would list them; the scan runs
   * as they are read.
   */
  findings: Iterable<Finding[]>;
  /** The rest of the report, complete once `findings` has been read to its end (its `findings` stay empty). */
  result: ScanResult;
}

/**
 * Whether a unit may report in files other than its own: a Terraform folder with a `module` block (in the text of any
 * configuration file its lowering reads; in JSON, a key may be written with escapes) or a Bicep file with a module.
 */
function mayCallModules(unit: Unit, disk: FileSystem): boolean {
  const kind = fileKindOf(unit.file);
  if (kind === 'bicep') {
    return disk.readFile(unit.file)?.includes('module') ?? false;
  }
  if (kind !== 'terraform' && kind !== 'terraform-json') {
    return false;
  }
  const folder = path.dirname(unit.file);
  return (disk.readDirectory(folder) ?? []).some(({ name, isDirectory }) => {
    if (isDirectory || !(name.endsWith('.tf') || name.endsWith('.tf.json'))) {
      return false;
    }
    const text = disk.readFile(path.join(folder, name)) ?? '';
    return text.includes('module') || (name.endsWith('.json') && text.includes('\\u'));
  });
}

/**
 * Whether two `.onus.yaml` of the scan define custom rules with one id: the report then describes a rule as the
 * first unit (in the walk) that has it does, which only the plain order knows before the end.
 */
function hasSharedCustomRuleIds(plan: Plan, options: AnalyzeOptions): boolean {
  if (!options.project) {
    return false;
  }
  const checked = new Set<RuleSet>([options.rules]);
  const custom = new Map<string, unknown>();
  for (const unit of plan.units) {
    const { ruleSet } = options.project.resolve(unit.file, plan.disk);
    if (checked.has(ruleSet)) {
      continue;
    }
    checked.add(ruleSet);
    for (const rule of ruleSet.rules) {
      if (!options.rules.byId.has(rule.id)) {
        if ((custom.get(rule.id) ?? rule) !== rule) {
          return true;
        }
        custom.set(rule.id, rule);
      }
    }
  }
  return false;
}

/**
 * Scans the given paths like {@link scanPaths}, giving the findings in the report's order while it goes on, so a
 * large repository's findings are printed and let go unit by unit instead of held until the end. Units that call
 * modules (which report in the modules' files too) are analysed first and their findings held; the others are then
 * analysed in the order of their first file in the report, and before each, the findings of every file that comes
 * before that file are complete and given. Throws {@link PathError} (before any finding) when a path cannot be read.
 */
export function scanStreamed(paths: string[], options: AnalyzeOptions, scanOptions: ScanOptions = {}): StreamedScan {
  const plan = planScan(paths, options);
  const merger = new ReportMerger(options, scanOptions);
  function* findings(): Generator<Finding[]> {
    if (hasSharedCustomRuleIds(plan, options)) {
      plan.units.forEach((unit) => addUnit(plan, unit, options, merger));
      yield merger.take([...merger.pendingFiles()]);
      merger.finish(plan);
      return;
    }
    const callers = new Set(plan.units.filter((unit) => mayCallModules(unit, plan.disk)));
    const others = plan.units
      .filter((unit) => !callers.has(unit))
      .map((unit) => ({ unit, first: unit.files.reduce((a, b) => (compareFiles(b, a) < 0 ? b : a)) }))
      .sort((a, b) => compareFiles(a.first, b.first) || a.unit.index - b.unit.index);
    // Once every caller was analysed, a unit reads only its own files: once a file's findings are printed (or it has
    // none), no unit reads it again (a module's own unit reads it again from the disk), and its text is let go.
    const release = (file: string) => {
      merger.release(file);
      plan.disk.forget(file);
    };
    const readByCallers = new Set([...callers].flatMap((unit) => addUnit(plan, unit, options, merger).read));
    // The callers' files (theirs and their modules'), in the report's order, and the files units added since.
    const held = [...merger.pendingFiles()].sort(compareFiles);
    const isHeld = new Set(held);
    const fresh = new Set<string>();
    [...readByCallers].filter((file) => !isHeld.has(file)).forEach(release);
    let next = 0;
    for (const { unit, first } of others) {
      const due: string[] = [];
      while (next < held.length && compareFiles(held[next]!, first) < 0) {
        due.push(held[next++]!);
      }
      for (const file of fresh) {
        if (compareFiles(file, first) < 0) {
          due.push(file);
          fresh.delete(file);
        }
      }
      if (due.length > 0) {
        yield merger.take(due);
        due.forEach(release);
      }
      const { reportedIn, read } = addUnit(plan, unit, options, merger);
      for (const file of reportedIn) {
        if (compareFiles(file, first) < 0) {
          throw new Error(`${file}: a unit that calls no module reported in a file before its own (${first})`);
        }
        if (!isHeld.has(file)) {
          fresh.add(file);
        }
      }
      read.filter((file) => !merger.isPending(file)).forEach(release);
    }
    const rest = [...held.slice(next), ...fresh];
    yield merger.take(rest);
    rest.forEach(release);
    merger.finish(plan);
  }
  return { findings: findings(), result: merger.result };
}
