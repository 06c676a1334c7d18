/**
 * Publishes findings and syntax errors as LSP diagnostics, debounced per analysis unit.
 *
 * Invariants:
 * - Every diagnostic has `source: "onus"`; a finding's `code` is its rule id, with `codeDescription.href` its docs
 *   page and `data` a {@link DiagnosticData}. No diagnostic depends on the document version: a finding an edit left
 *   at the same range keeps its diagnostic object from one publication to the next.
 * - A publication carries the document version its diagnostics were computed for, and is only sent while that is
 *   still the document's version: a burst of edits publishes once, for the last version.
 * - A change schedules every unit that read the changed file; each run republishes all open files of those units.
 * - When `onus.enable` is false, Onus clears what it published and publishes nothing else.
 */
import { createHash } from 'node:crypto';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { AnalyzeOptions } from '../engine/analyze';
import { ruleDocsUrl } from '../engine/describe';
import { MetaRule } from '../engine/metaRules';
import type { SuppressionProblem } from '../engine/suppressions';
import { UNKNOWN_PROPERTY_CODE, type UnknownProperty } from '../engine/unknownProperties';
import type { Finding, Layer, Owner, Severity, SourceProblem } from '../engine/types';
import type { ModelDiagnostic } from '../model/types';
import type { LineIndex } from '../text/lineIndex';
import { RecentMap } from '../text/recentMap';
import type { Span } from '../text/span';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../protocol';
import { fileSizeLimit, isTooLarge } from './documents';
import type { Guard } from './guard';
import type { CachedAnalysis, TrackedDocument, Workspace } from './workspace';

/** How long the server waits after the last change before analysing, in milliseconds. */
export const DEBOUNCE_MS = 150;

/** The code of the single diagnostic an oversized file gets. */
export const FILE_TOO_LARGE_CODE = 'ONUS001';

/** The LSP severity of a finding of each rule severity. */
export function severityOf(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'critical':
    case 'high':
      return DiagnosticSeverity.Error;
    case 'medium':
      return DiagnosticSeverity.Warning;
    case 'low':
      return DiagnosticSeverity.Information;
  }
}

/** The owner and layer text appended to a finding's summary, e.g. `customer-owned · data layer`. */
export function ownershipText(owner: Owner, layer: Layer): string {
  return `${owner === 'shared' ? 'shared' : `${owner}-owned`} · ${layer} layer`;
}

/**
 * The key of a finding's fix among the findings of its rule at its range: a hash of its message, since one rule may
 * report several settings missing from the same block. It does not depend on where the finding is, so it stays the
 * same while edits elsewhere move the finding.
 */
export function fixIdOf(finding: Finding): string {
  return hashText(finding.message);
}

/** A short, stable hash of a text (FNV-1a, 32 bits, base 36). */
function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** LSP's range: a start and an end position. */
type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** Converts a span to an LSP range through a line index of the text the span refers to. */
export function rangeOf(index: LineIndex, span: Span): Range {
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

/** Whether two LSP ranges are the same. */
export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The diagnostic of one finding at `range`, linked to its rule's page by `codeDescription` (shared by the diagnostics of one rule). */
function findingDiagnostic(finding: Finding, range: Range, codeDescription: { href: string }): Diagnostic {
  const data: DiagnosticData = { resource: finding.resource };
  if (hasFix(finding)) {
    data.fixIds = [fixIdOf(finding)];
  }
  return {
    range,
    severity: severityOf(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription,
    message: `${finding.message}${finding.deploymentNote ? ` (${finding.deploymentNote})` : ''} (${ownershipText(finding.owner, finding.layer)})`,
    data,
  };
}

/** Whether a finding has a fix with edits (its diagnostic then names the fix). */
function hasFix(finding: Finding): boolean {
  return finding.fix !== undefined && finding.fix.edits.length > 0;
}

/** Whether two findings give the same diagnostic at the same range (every field the diagnostic is made of). */
function sameDiagnosticContent(a: Finding, b: Finding): boolean {
  return (
    a === b ||
    (a.ruleId === b.ruleId &&
      a.message === b.message &&
      a.deploymentNote === b.deploymentNote &&
      a.owner === b.owner &&
      a.layer === b.layer &&
      a.severity === b.severity &&
      a.resource === b.resource &&
      hasFix(a) === hasFix(b))
  );
}

/** The key of a suppression problem's fix among the problems of its meta rule at its range. */
export function problemFixIdOf(problem: SuppressionProblem): string {
  return hashText(problem.message);
}

/**
 * The diagnostic of a problem with a suppression, under its meta rule's id: a warning for a missing reason, an
 * information for an expired `until=`, and a faded hint (`Unnecessary`) for an unused suppression, whose quick fix
 * removes it.
 */
export function suppressionProblemToDiagnostic(problem: SuppressionProblem, index: LineIndex): Diagnostic {
  const level = MetaRule.byId(problem.ruleId)?.level ?? 'note';
  const data: DiagnosticData = { resource: '' };
  if (problem.fix) {
    data.fixIds = [problemFixIdOf(problem)];
  }
  return {
    range: rangeOf(index, problem.span),
    severity: level === 'warning' ? DiagnosticSeverity.Warning : level === 'note' ? DiagnosticSeverity.Information : DiagnosticSeverity.Hint,
    ...(level === 'hint' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    source: DIAGNOSTIC_SOURCE,
    code: problem.ruleId,
    codeDescription: { href: ruleDocsUrl(problem.ruleId) },
    message: problem.message,
    data,
  };
}

/** The key of an unknown property's fixes among the unknown properties at its range. */
export function unknownPropertyFixIdOf(problem: UnknownProperty): string {
  return hashText(problem.message);
}

/**
 * The warning on a CloudFormation property name that AWS's resource specification does not know, linked to AWS's
 * page of the type that should hold it; its quick fixes rename it to the nearest known names.
 */
export function unknownPropertyToDiagnostic(problem: UnknownProperty, index: LineIndex): Diagnostic {
  const data: DiagnosticData = { resource: problem.resource };
  if (problem.fixes.length > 0) {
    data.fixIds = [unknownPropertyFixIdOf(problem)];
  }
  return {
    range: rangeOf(index, problem.span),
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: UNKNOWN_PROPERTY_CODE,
    codeDescription: { href: problem.docsUrl },
    message: problem.message,
    data,
  };
}

/** The diagnostic of a problem in `.onus.yaml` (code `onus-config`) or a custom rule file (code `onus-rule`). */
export function sourceProblemToDiagnostic(problem: SourceProblem, code: string): Diagnostic {
  const severity = problem.severity ?? 'error';
  return {
    range: {
      start: { line: problem.line - 1, character: problem.column - 1 },
      end: { line: problem.endLine - 1, character: problem.endColumn - 1 },
    },
    severity:
      severity === 'error' ? DiagnosticSeverity.Error : severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code,
    message: problem.message,
  };
}

/** The diagnostic of a syntax error or other problem reading a file. */
export function errorToDiagnostic(error: ModelDiagnostic, index: LineIndex): Diagnostic {
  return {
    range: rangeOf(index, error.span),
    severity:
      error.severity === 'error'
        ? DiagnosticSeverity.Error
        : error.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: error.code,
    message: error.message,
  };
}

/** The single information diagnostic of a file too large to analyse. */
export function fileTooLargeDiagnostic(): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: FILE_TOO_LARGE_CODE,
    message: `File is larger than ${Number((fileSizeLimit() / (1024 * 1024)).toFixed(3))} MB (onus.maxFileSize); Onus did not analyse it`,
  };
}

/** A file's findings and their diagnostics, in the same order, as published last. */
interface PublishedFindings {
  findings: readonly Finding[];
  diagnostics: readonly Diagnostic[];
}

/**
 * The findings of the files published last (by path) and their diagnostics: a finding of the next publication at the
 * same range with the same content gets the same diagnostic object. Typing leaves most findings where they are (or
 * moves them to other offsets on the same lines and characters), so most diagnostics of an edited file are those of
 * the version before; nothing in a diagnostic depends on the version. Kept for the few most recently published files.
 */
export class FindingDiagnosticsCache {
  private readonly byPath = new RecentMap<string, PublishedFindings>(16);

  /** What was published last for `filePath`. */
  get(filePath: string): PublishedFindings | undefined {
    return this.byPath.get(filePath);
  }

  /** Keeps what is published now for `filePath`. */
  set(filePath: string, published: PublishedFindings): void {
    this.byPath.set(filePath, published);
  }
}

/**
 * The diagnostics of a file's findings (sorted by position), reusing those of `last` where a finding is at the same
 * range with the same content and link: a two-pointer walk, as both lists are in the order of their ranges.
 */
function findingDiagnostics(
  findings: readonly Finding[],
  index: LineIndex,
  linkOf: (ruleId: string) => { href: string },
  last: PublishedFindings | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const old = last?.diagnostics ?? [];
  const used = new Uint8Array(old.length);
  let j = 0;
  let line = 0;
  for (const finding of findings) {
    // Findings are in the order of their starts: each position is found from the line of the one before.
    const start = index.positionFrom(finding.span.start, line);
    const range = { start, end: index.positionFrom(finding.span.end, start.line) };
    line = start.line;
    const link = linkOf(finding.ruleId);
    while (j < old.length && isBefore(old[j]!.range.start, start.line, start.character)) {
      j++;
    }
    let reused: Diagnostic | undefined;
    for (let k = j; k < old.length && old[k]!.range.start.line === start.line && old[k]!.range.start.character === start.character; k++) {
      const candidate = old[k]!;
      if (
        used[k] === 0 &&
        sameRange(candidate.range, range) &&
        candidate.codeDescription?.href === link.href &&
        sameDiagnosticContent(last!.findings[k]!, finding)
      ) {
        used[k] = 1;
        reused = candidate;
        break;
      }
    }
    out.push(reused ?? findingDiagnostic(finding, range, link));
  }
  return out;
}

/** Whether a position lies before line `line`, character `character`. */
function isBefore(position: { line: number; character: number }, line: number, character: number): boolean {
  return position.line < line || (position.line === line && position.character < character);
}

/**
 * Every diagnostic of one open document from its unit's analysis: syntax errors first, then findings (not for
 * `.tfvars` files, which only report syntax errors), then problems with suppressions, then in a CloudFormation
 * template the property names AWS's specification does not know, then the model's notes as hints. A custom rule's
 * finding links to its `rule.yaml` rather than the catalog's docs. With `cache`, a finding's diagnostic is the one
 * published last when the finding is at the same range with the same content.
 */
export function provideDiagnostics(entry: CachedAnalysis, tracked: TrackedDocument, cache?: FindingDiagnosticsCache): Diagnostic[] {
  const text = tracked.document.getText();
  if (isTooLarge(text)) {
    return [fileTooLargeDiagnostic()];
  }
  const index = entry.lineIndexOf(tracked.path);
  if (!index) {
    return [];
  }
  const out: Diagnostic[] = entry.errorsIn(tracked.path).map((e) => errorToDiagnostic(e, index));
  if (tracked.kind !== 'terraform-vars') {
    // One link object per rule: thousands of findings share a few hundred rules.
    const links = new Map<string, { href: string }>();
    const linkOf = (ruleId: string) => {
      let link = links.get(ruleId);
      if (link === undefined) {
        link = { href: ruleDocsUrl(ruleId, entry.analysis.ruleSet.byId.get(ruleId)) };
        links.set(ruleId, link);
      }
      return link;
    };
    const findings = entry.findingsIn(tracked.path);
    const diagnostics = findingDiagnostics(findings, index, linkOf, cache?.get(tracked.path));
    cache?.set(tracked.path, { findings, diagnostics });
    for (const diagnostic of diagnostics) {
      out.push(diagnostic);
    }
    for (const problem of entry.problemsIn(tracked.path)) {
      out.push(suppressionProblemToDiagnostic(problem, index));
    }
    if (tracked.kind === 'cloudformation') {
      for (const problem of entry.unknownPropertiesIn(tracked.path)) {
        out.push(unknownPropertyToDiagnostic(problem, index));
      }
    }
    for (const note of entry.analysis.model.notes) {
      if (note.file === tracked.path) {
        out.push({ ...errorToDiagnostic(note, index), severity: DiagnosticSeverity.Hint });
      }
    }
  }
  return out;
}

/** What the scheduler needs from the server. */
export interface DiagnosticsHost {
  workspace: Workspace;
  /** The analysis options in force, or undefined when linting is disabled. */
  options(): AnalyzeOptions | undefined;
  /** Sends `textDocument/publishDiagnostics`. */
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** The server's guard: runs `fn`, and on a failure logs it and returns `fallback`. */
  guard: Guard;
}

/**
 * Debounces analysis per unit and publishes the results. Work for a unit that changes again before its run is
 * dropped (the debounce restarts), and a run yields between units so newer edits are seen.
 */
export class DiagnosticsScheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private isRunning = false;
  /**
   * What was last published per URI (version and diagnostics, or their digest), to skip identical republications.
   * The digest is computed only when a publication for the same version follows, or when the URI leaves the few most
   * recently published ones: after an edit the version differs and the comparison is decided without serialising
   * thousands of diagnostics, and thousands of open files keep a digest each, not their diagnostics.
   */
  private readonly published = new Map<string, PublishedDiagnostics>();
  /** The URIs whose last publication keeps its diagnostics, least recently published first. */
  private readonly recentlyPublished = new Set<string>();
  /** The diagnostics of the findings published last, reused for findings an edit left in place. */
  private readonly findingDiagnostics = new FindingDiagnosticsCache();

  constructor(
    private readonly host: DiagnosticsHost,
    private readonly delayMs: number = DEBOUNCE_MS,
    /** How many URIs keep their last published diagnostics (the others keep a digest of them). */
    private readonly recentlyPublishedCount: number = RECENTLY_PUBLISHED,
  ) {}

  /** Schedules (or re-schedules) every unit whose analysis depends on `filePath`. */
  scheduleFile(filePath: string): void {
    for (const unit of this.host.workspace.unitsAffectedBy(filePath)) {
      this.pending.add(unit);
    }
    this.restartTimer();
  }

  /** Schedules every unit with an open document (settings changed, rules reloaded). */
  scheduleAll(): void {
    for (const tracked of this.host.workspace.trackedDocuments()) {
      const unit = this.host.workspace.unitOf(tracked.path);
      this.pending.add(unit);
    }
    this.restartTimer();
  }

  /** Clears what was published for a closed document. */
  clear(uri: string): void {
    if (this.published.has(uri)) {
      this.published.delete(uri);
      this.recentlyPublished.delete(uri);
      this.host.publish(uri, undefined, []);
    }
  }

  /** Whether analysis work is queued or running (for tests and shutdown). */
  get isIdle(): boolean {
    return this.pending.size === 0 && !this.isRunning && this.timer === undefined;
  }

  /** Stops the timer; queued work is dropped. */
  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.clear();
  }

  private restartTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runBatch();
    }, this.delayMs);
  }

  private runBatch(): void {
    if (this.isRunning) {
      // The running batch picks the new units up when it finishes.
      return;
    }
    this.isRunning = true;
    const next = (): void => {
      const unit = this.pending.values().next().value;
      if (unit === undefined || this.timer !== undefined) {
        // Done, or a newer change restarted the debounce: the remaining units wait for it.
        this.isRunning = false;
        return;
      }
      this.pending.delete(unit);
      const isDone = this.host.guard('diagnostics', false, () => {
        this.runUnit(unit);
        return true;
      });
      if (!isDone) {
        // Clearing diagnostics on failure beats leaving stale ones (STYLE.md section 8).
        this.host.guard('diagnostics', undefined, () => {
          for (const tracked of this.host.workspace.documentsOfUnit(unit)) {
            this.send(tracked.document.uri, tracked.document.version, []);
          }
        });
      }
      setImmediate(next);
    };
    next();
  }

  private runUnit(unit: string): void {
    const { workspace } = this.host;
    const documents = workspace.documentsOfUnit(unit);
    const options = this.host.options();
    if (!options) {
      for (const tracked of documents) {
        this.send(tracked.document.uri, tracked.document.version, []);
      }
      return;
    }
    const first = documents[0];
    if (!first) {
      // No open file needs this unit (a closed module file changed); nothing to publish.
      return;
    }
    // Enter through an open document of the unit itself, so the engine sees the unit's own kind of file.
    const entry = workspace.analyze(unit, first.path, options);
    for (const tracked of documents) {
      // The analysis must have read this version of the document; a result for another version is dropped (the
      // run that the newer version scheduled publishes instead).
      const token = entry.reads.get(tracked.path);
      if (token !== undefined && token !== `v${tracked.document.version}`) {
        continue;
      }
      this.send(tracked.document.uri, tracked.document.version, provideDiagnostics(entry, tracked, this.findingDiagnostics));
    }
  }

  private send(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    const last = this.published.get(uri);
    let digest: string | undefined;
    if (last && last.version === version) {
      last.digest ??= digestOf(last.diagnostics ?? []);
      digest = digestOf(diagnostics);
      if (last.digest === digest) {
        return;
      }
    }
    this.published.set(uri, { version, diagnostics, ...(digest !== undefined ? { digest } : {}) });
    this.recentlyPublished.delete(uri);
    this.recentlyPublished.add(uri);
    for (const oldest of this.recentlyPublished) {
      if (this.recentlyPublished.size <= this.recentlyPublishedCount) {
        break;
      }
      this.recentlyPublished.delete(oldest);
      const entry = this.published.get(oldest);
      if (entry?.diagnostics) {
        entry.digest ??= digestOf(entry.diagnostics);
        delete entry.diagnostics;
      }
    }
    this.host.publish(uri, version, diagnostics);
  }
}

/** A URI's last publication: its version, and its diagnostics or (once compared or no longer recent) their digest. */
interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics?: Diagnostic[];
  digest?: string;
}

/** How many URIs keep their last published diagnostics (the others keep a digest of them). */
const RECENTLY_PUBLISHED = 16;

/** A digest of diagnostics: equal for equal diagnostics (the same JSON), short whatever their number. */
function digestOf(diagnostics: Diagnostic[]): string {
  return createHash('sha256').update(JSON.stringify(diagnostics)).digest('base64');
}
