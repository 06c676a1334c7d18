/**
 * The server's view of the workspace: the disk overlaid with the editor's open documents, grouped into analysis
 * units (a Terraform module is a folder), with one cached analysis per unit.
 *
 * Invariants:
 * - A cached analysis records every file and folder the engine read and the version of each (an open document's
 *   version, or "disk"); it is reused only while every one of those is unchanged. Hover, code actions and
 *   diagnostics all read the same cached analysis, so the text is parsed once per version, not per request.
 * - A change to one file re-evaluates every cached unit that read it (its own module, and a parent module that
 *   calls it as a local module), so diagnostics of the other open files of those units are republished.
 * - Only the most recently used units ({@link ANALYSED_UNITS}) keep their analysis (model, findings with fixes); the
 *   others keep what their analysis read, so a change still reaches them, and are analysed again when asked for.
 * - Files over the size limit (`onus.maxFileSize`, {@link fileSizeLimit}) read as empty: they are skipped, never parsed.
 * - A unit's key is its folder, or for a `.tfvars` file or a CloudFormation template the file itself; the engine is always entered through a file
 *   of the unit's own kind, so a module is never analysed as if it were a tfvars file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeUnitOf, fileKindOf, type Analysis, type AnalyzeOptions } from '../engine/analyze';
import { EvaluationMemo } from '../engine/evaluationMemo';
import type { SuppressionProblem } from '../engine/suppressions';
import type { Finding } from '../engine/types';
import { findUnknownProperties, UNKNOWN_PROPERTY_CODE, type UnknownProperty } from '../engine/unknownProperties';
import type { FileSystem } from '../model/fileSystem';
import type { ModelDiagnostic } from '../model/types';
import { LineIndex } from '../text/lineIndex';
import { cfnSpec } from './cfnSpec';
import { documentKindOf, fileSizeLimit, isAnalysed, isTooLarge, pathOfUri, uriOfPath, type DocumentKind } from './documents';

/** The documents the workspace overlays on the disk (the server's `TextDocuments`, or a plain list in tests). */
export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** An open document Onus analyses, with its kind and engine path. */
export interface TrackedDocument {
  document: TextDocument;
  kind: DocumentKind;
  path: string;
}

/** One unit's analysis with what it was computed from and per-file lookups. */
export class CachedAnalysis {
  private readonly lineIndexes = new Map<string, LineIndex>();
  private findingsByFile: Map<string, Finding[]> | undefined;
  private errorsByFile: Map<string, ModelDiagnostic[]> | undefined;
  private problemsByFile: Map<string, SuppressionProblem[]> | undefined;
  private unknownPropertiesByFile: Map<string, UnknownProperty[]> | undefined;

  constructor(
    /** The unit's key (its folder). */
    readonly unit: string,
    readonly analysis: Analysis,
    /** Every file read, with the version token it had. */
    readonly reads: ReadonlyMap<string, string>,
    /** Every folder listed. */
    readonly folders: ReadonlySet<string>,
    /** The options generation the analysis used. */
    readonly generation: number,
    /** The texts the spans refer to, as read (the engine's model may omit files it could not parse). */
    private readonly texts: ReadonlyMap<string, string>,
  ) {}

  /** The findings located in one file. */
  findingsIn(file: string): Finding[] {
    if (!this.findingsByFile) {
      this.findingsByFile = groupBy(this.analysis.findings, (f) => f.file);
    }
    return this.findingsByFile.get(file) ?? [];
  }

  /** The problems with suppressions (no reason, expired, unused) located in one file. */
  problemsIn(file: string): SuppressionProblem[] {
    if (!this.problemsByFile) {
      this.problemsByFile = groupBy(this.analysis.suppressionProblems, (p) => p.file);
    }
    return this.problemsByFile.get(file) ?? [];
  }

  /**
   * The CloudFormation property names AWS's resource specification does not know, in one file (computed on first
   * use, reading the specification's shards of the namespaces the unit uses).
   */
  unknownPropertiesIn(file: string): UnknownProperty[] {
    if (!this.unknownPropertiesByFile) {
      // `.onus.yaml`'s `rules.disabled` (or the user's `onus.rules.disabled`) may turn the check off.
      const isOn = this.analysis.metaRules.has(UNKNOWN_PROPERTY_CODE);
      const found = isOn ? findUnknownProperties(this.analysis.model, cfnSpec, (f) => this.textOf(f)) : [];
      this.unknownPropertiesByFile = groupBy(found, (p) => p.file);
    }
    return this.unknownPropertiesByFile.get(file) ?? [];
  }

  /** The syntax errors (and other reading problems) located in one file. */
  errorsIn(file: string): ModelDiagnostic[] {
    if (!this.errorsByFile) {
      this.errorsByFile = groupBy(this.analysis.errors, (e) => e.file);
    }
    return this.errorsByFile.get(file) ?? [];
  }

  /**
   * The same analysis for other versions of the files it read (whose texts are the same): the per-file lookups
   * already computed are shared, since they depend only on the analysis and the texts.
   */
  withReads(reads: ReadonlyMap<string, string>): CachedAnalysis {
    const copy = new CachedAnalysis(this.unit, this.analysis, reads, this.folders, this.generation, this.texts);
    copy.findingsByFile = this.findingsByFile;
    copy.errorsByFile = this.errorsByFile;
    copy.problemsByFile = this.problemsByFile;
    copy.unknownPropertiesByFile = this.unknownPropertiesByFile;
    for (const [file, index] of this.lineIndexes) {
      copy.lineIndexes.set(file, index);
    }
    return copy;
  }

  /** The texts the analysis read, by file (what {@link Workspace} compares to reuse it for an equal text). */
  readTexts(): ReadonlyMap<string, string> {
    return this.texts;
  }

  /** The text of a file as the analysis read it. */
  textOf(file: string): string | undefined {
    return this.texts.get(file) ?? this.analysis.model.files.find((f) => f.path === file)?.text;
  }

  /** A line index over the text the analysis read for `file` (the spans of its findings refer to that text). */
  lineIndexOf(file: string): LineIndex | undefined {
    let index = this.lineIndexes.get(file);
    if (!index) {
      const text = this.textOf(file);
      if (text === undefined) {
        return undefined;
      }
      index = new LineIndex(text);
      this.lineIndexes.set(file, index);
    }
    return index;
  }
}

/**
 * A folder's listing on disk with the names of open files in it that are not on disk (new or untitled files) added;
 * undefined when the folder neither exists nor holds an open file.
 */
export function withOpenFiles(
  listed: { name: string; isDirectory: boolean }[] | undefined,
  openNames: readonly string[],
): { name: string; isDirectory: boolean }[] | undefined {
  const names = new Set(listed?.map((e) => e.name));
  const extra: { name: string; isDirectory: boolean }[] = [];
  for (const name of openNames) {
    if (!names.has(name)) {
      names.add(name);
      extra.push({ name, isDirectory: false });
    }
  }
  if (!listed && extra.length === 0) {
    return undefined;
  }
  return [...(listed ?? []), ...extra];
}

/** The disk, read with a small cache keyed by modification time and size (a module's files are re-read per edit). */
export function diskFileSystem(): FileSystem {
  const cache = new Map<string, { mtimeMs: number; size: number; text: string }>();
  return {
    readFile(filePath) {
      try {
        const stat = fs.statSync(filePath);
        if (!stat.isFile()) {
          return undefined;
        }
        if (stat.size > fileSizeLimit()) {
          return '';
        }
        const cached = cache.get(filePath);
        if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
          return cached.text;
        }
        let text = fs.readFileSync(filePath, 'utf8');
        // Editors drop the byte order mark, so spans must not count it.
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
        }
        cache.set(filePath, { mtimeMs: stat.mtimeMs, size: stat.size, text });
        return text;
      } catch {
        return undefined;
      }
    },
    readDirectory(folder) {
      try {
        return fs.readdirSync(folder, { withFileTypes: true }).map((entry) => ({
          name: entry.name,
          isDirectory: entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path.join(folder, entry.name))),
        }));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * What is derived from the open documents, kept while the same documents are open at the same versions: every
 * analysis lists folders and checks the documents it read, and with thousands of documents open a walk over all of
 * them (each URI turned into a path) per listing made opening n documents cost n² conversions.
 */
interface OpenView {
  documents: TextDocument[];
  versions: number[];
  languageIds: string[];
  tracked: TrackedDocument[];
  byPath: ReadonlyMap<string, TextDocument>;
  trackedByFolder: ReadonlyMap<string, TrackedDocument[]>;
  trackedByUnit: ReadonlyMap<string, TrackedDocument[]>;
}

/** The open documents overlaid on the disk, plus unit grouping and the analysis cache. */
export class Workspace {
  /** The current analysis of each recently used unit, least recently used first. */
  private readonly cache = new Map<string, CachedAnalysis>();
  /**
   * Units whose analysis was let go to bound memory (thousands of open files): what it read and listed, so a change
   * to one of those files still re-runs the unit, as if its analysis were cached.
   */
  private readonly released = new Map<string, Pick<CachedAnalysis, 'unit' | 'reads' | 'folders'>>();
  /**
   * The last few analyses of each unit, newest first, kept for their texts: an edit that brings every file back to a
   * text analysed before (undo, redo, a change typed and deleted, a save that formats nothing) reuses that analysis.
   */
  private readonly recent = new Map<string, CachedAnalysis[]>();
  /** Per unit, the rule evaluations of its last analysis, reused for the resources an edit left unchanged. */
  private readonly memos = new Map<string, EvaluationMemo>();
  private view: OpenView | undefined;
  private readonly pathMemo = new Map<string, string | undefined>();
  private readonly kindMemo = new Map<string, { version: number; languageId: string; kind: DocumentKind }>();
  private generation = 0;

  constructor(
    private readonly documents: DocumentSource,
    private readonly disk: FileSystem = diskFileSystem(),
    /** How many units keep their analysis. */
    private readonly analysedUnits: number = ANALYSED_UNITS,
  ) {}

  /** The tracked view of an open document, or undefined when Onus does not analyse it. */
  track(document: TextDocument): TrackedDocument | undefined {
    const kind = this.kindOf(document);
    if (!isAnalysed(kind)) {
      return undefined;
    }
    const filePath = this.enginePathOf(document.uri, kind);
    return filePath === undefined ? undefined : { document, kind, path: filePath };
  }

  /** The engine path of a URI read as `kind`, memoised (`forget` drops a URI's paths when its document closes). */
  private enginePathOf(uri: string, kind: DocumentKind): string | undefined {
    const memoKey = `${kind}\0${uri}`;
    let filePath = this.pathMemo.get(memoKey);
    if (filePath === undefined && !this.pathMemo.has(memoKey)) {
      filePath = pathOfUri(uri, kind);
      this.pathMemo.set(memoKey, filePath);
    }
    return filePath;
  }

  /** The view of the open documents: the last one while no document opened, closed or changed since. */
  private openView(): OpenView {
    const documents = this.documents.all();
    const last = this.view;
    if (
      last !== undefined &&
      last.documents.length === documents.length &&
      documents.every((d, i) => d === last.documents[i] && d.version === last.versions[i] && d.languageId === last.languageIds[i])
    ) {
      return last;
    }
    const tracked = documents.map((document) => this.track(document)).filter((t): t is TrackedDocument => t !== undefined);
    this.view = {
      documents,
      versions: documents.map((d) => d.version),
      languageIds: documents.map((d) => d.languageId),
      tracked,
      byPath: this.pathsOf(documents),
      trackedByFolder: groupBy(tracked, (t) => path.dirname(t.path)),
      trackedByUnit: groupBy(tracked, (t) => this.unitOf(t.path)),
    };
    return this.view;
  }

  /** A document's kind; YAML and JSON are classified by content, once per document version. */
  private kindOf(document: TextDocument): DocumentKind {
    const memo = this.kindMemo.get(document.uri);
    if (memo && memo.version === document.version && memo.languageId === document.languageId) {
      return memo.kind;
    }
    const needsText = document.languageId === 'yaml' || document.languageId === 'json' || document.languageId === 'jsonc';
    const kind = documentKindOf(document.languageId, document.uri, needsText ? document.getText() : undefined);
    this.kindMemo.set(document.uri, { version: document.version, languageId: document.languageId, kind });
    return kind;
  }

  /** The tracked open document with this URI. */
  trackUri(uri: string): TrackedDocument | undefined {
    const document = this.documents.get(uri);
    return document ? this.track(document) : undefined;
  }

  /** Every open document Onus analyses. */
  trackedDocuments(): TrackedDocument[] {
    return [...this.openView().tracked];
  }

  /** The open document (of any language) whose engine path is `filePath`. */
  openDocumentAt(filePath: string): TextDocument | undefined {
    return this.openDocumentsByPath().get(filePath);
  }

  /** Every open document by engine path (an open document overlays the disk whatever its language). */
  private openDocumentsByPath(): ReadonlyMap<string, TextDocument> {
    return this.openView().byPath;
  }

  /** Documents by engine path. */
  private pathsOf(documents: readonly TextDocument[]): Map<string, TextDocument> {
    const out = new Map<string, TextDocument>();
    for (const document of documents) {
      const kind = this.kindOf(document);
      const filePath = this.enginePathOf(document.uri, kind === 'unsupported' ? 'terraform' : kind);
      if (filePath !== undefined) {
        out.set(filePath, document);
      }
    }
    return out;
  }

  /** The URI to use for a path: the open document's own URI when there is one (so it matches the editor's exactly). */
  uriOf(filePath: string): string {
    return this.openDocumentAt(filePath)?.uri ?? uriOfPath(filePath);
  }

  /**
   * The unit a file belongs to: its folder (a Terraform module) for `.tf` and `.tf.json` files; a `.tfvars` file is a
   * unit by itself (the engine only checks its syntax), though the module that loads it still depends on it.
   */
  unitOf(filePath: string): string {
    const kind = fileKindOf(filePath);
    return kind === 'terraform' || kind === 'terraform-json' ? path.dirname(filePath) : filePath;
  }

  /** The open, analysed documents whose own unit is `unit`. */
  documentsOfUnit(unit: string): TrackedDocument[] {
    return [...(this.openView().trackedByUnit.get(unit) ?? [])];
  }

  /**
   * The units whose analysis depends on `filePath`: its own folder plus every cached unit that read it or listed
   * its folder (a module that calls this folder as a local module).
   */
  unitsAffectedBy(filePath: string): string[] {
    const units = new Set<string>([this.unitOf(filePath)]);
    const folder = path.dirname(filePath);
    for (const entries of [this.cache.values(), this.released.values()]) {
      for (const entry of entries) {
        if (entry.reads.has(filePath) || entry.folders.has(folder)) {
          units.add(entry.unit);
        }
      }
    }
    return [...units];
  }

  /** Drops cached analyses that read `filePath` or listed its folder (an open, close, or a change on disk). */
  invalidate(filePath: string): void {
    const folder = path.dirname(filePath);
    const isAffected = (entry: Pick<CachedAnalysis, 'reads' | 'folders'>) => entry.reads.has(filePath) || entry.folders.has(folder);
    for (const [unit, entry] of this.cache) {
      if (isAffected(entry)) {
        this.cache.delete(unit);
      }
    }
    for (const [unit, entry] of this.released) {
      if (isAffected(entry)) {
        this.released.delete(unit);
      }
    }
    for (const [unit, entries] of this.recent) {
      const kept = entries.filter((entry) => !isAffected(entry));
      if (kept.length === 0) {
        this.recent.delete(unit);
      } else if (kept.length !== entries.length) {
        this.recent.set(unit, kept);
      }
    }
  }

  /** Forgets what was memoised about a closed document's URI. */
  forget(uri: string): void {
    this.kindMemo.delete(uri);
    for (const key of this.pathMemo.keys()) {
      if (key.endsWith(`\0${uri}`)) {
        this.pathMemo.delete(key);
      }
    }
  }

  /** Drops every cached analysis (settings or rules changed). */
  invalidateAll(): void {
    this.generation++;
    this.cache.clear();
    this.released.clear();
    this.recent.clear();
    this.memos.clear();
  }

  /** Forgets cached analyses of units that no open document needs any more. */
  prune(): void {
    const needed = new Set(this.trackedDocuments().map((t) => this.unitOf(t.path)));
    for (const unit of this.cache.keys()) {
      if (!needed.has(unit)) {
        this.cache.delete(unit);
      }
    }
    for (const unit of this.released.keys()) {
      if (!needed.has(unit)) {
        this.released.delete(unit);
      }
    }
    for (const unit of this.recent.keys()) {
      if (!needed.has(unit)) {
        this.recent.delete(unit);
      }
    }
    for (const unit of this.memos.keys()) {
      if (!needed.has(unit)) {
        this.memos.delete(unit);
      }
    }
  }

  /** The cached analysis of `unit` if it is still current, without computing anything. */
  peek(unit: string): CachedAnalysis | undefined {
    const entry = this.cache.get(unit);
    if (!entry || !this.isCurrent(entry)) {
      return undefined;
    }
    // The most recently used last.
    this.cache.delete(unit);
    this.cache.set(unit, entry);
    return entry;
  }

  /**
   * The analysis of `unit` for the current versions of every file it reads: the cached one when still current,
   * else computed now (synchronously) and cached.
   */
  analyze(unit: string, anyFileOfUnit: string, options: AnalyzeOptions): CachedAnalysis {
    const cached = this.peek(unit);
    if (cached) {
      return cached;
    }
    const same = this.sameTexts(unit);
    if (same) {
      this.remember(same);
      return same;
    }
    const reads = new Map<string, string>();
    const texts = new Map<string, string>();
    const folders = new Set<string>();
    const open = this.openDocumentsByPath();
    const recording: FileSystem = {
      readFile: (filePath) => {
        const document = open.get(filePath);
        let text: string | undefined;
        if (document) {
          reads.set(filePath, versionToken(document));
          text = document.getText();
          if (isTooLarge(text)) {
            text = '';
          }
        } else {
          reads.set(filePath, 'disk');
          text = this.disk.readFile(filePath);
        }
        if (text !== undefined) {
          texts.set(filePath, text);
        }
        return text;
      },
      readDirectory: (folder) => {
        folders.add(folder);
        return this.listFolder(folder);
      },
    };
    // The most recently analysed units keep theirs (the ones being edited), so many open files cost no memory here.
    const memo = this.memos.get(unit) ?? new EvaluationMemo();
    this.memos.delete(unit);
    this.memos.set(unit, memo);
    for (const oldest of this.memos.keys()) {
      if (this.memos.size <= MEMO_UNITS) {
        break;
      }
      this.memos.delete(oldest);
    }
    const analysis = analyzeUnitOf(anyFileOfUnit, recording, { ...options, memo });
    const entry = new CachedAnalysis(unit, analysis, reads, folders, this.generation, texts);
    this.remember(entry);
    return entry;
  }

  /** Makes `entry` the unit's current analysis, and keeps it among the unit's recent ones. */
  private remember(entry: CachedAnalysis): void {
    this.cache.delete(entry.unit);
    this.cache.set(entry.unit, entry);
    this.released.delete(entry.unit);
    const older = (this.recent.get(entry.unit) ?? []).filter((e) => e.analysis !== entry.analysis);
    this.recent.set(entry.unit, [entry, ...older].slice(0, RECENT_ANALYSES));
    for (const [unit, oldest] of this.cache) {
      if (this.cache.size <= this.analysedUnits) {
        break;
      }
      this.cache.delete(unit);
      this.recent.delete(unit);
      this.released.set(unit, { unit, reads: oldest.reads, folders: oldest.folders });
    }
  }

  /**
   * A recent analysis of `unit` that read exactly the texts its files have now (open documents compared by text,
   * files on disk unchanged since, as every change on disk invalidates), rebased on the current versions.
   */
  private sameTexts(unit: string): CachedAnalysis | undefined {
    const entries = this.recent.get(unit);
    if (!entries) {
      return undefined;
    }
    const open = this.openDocumentsByPath();
    for (const entry of entries) {
      if (entry.generation !== this.generation) {
        continue;
      }
      const reads = new Map<string, string>();
      const texts = entry.readTexts();
      let isSame = true;
      for (const [filePath, token] of entry.reads) {
        const document = open.get(filePath);
        if (!document) {
          isSame = token === 'disk';
        } else {
          const text = document.getText();
          isSame = token !== 'disk' && texts.get(filePath) === (isTooLarge(text) ? '' : text);
        }
        if (!isSame) {
          break;
        }
        reads.set(filePath, document ? versionToken(document) : 'disk');
      }
      if (isSame) {
        return entry.withReads(reads);
      }
    }
    return undefined;
  }

  /**
   * Analyses the unit of `anyFileOfUnit` as if some files had other texts (fix-all's later passes), without caching.
   */
  analyzeWithTexts(anyFileOfUnit: string, overrides: ReadonlyMap<string, string>, options: AnalyzeOptions): Analysis {
    return analyzeUnitOf(anyFileOfUnit, this.overlay(overrides), options);
  }

  /** The disk overlaid with the open documents (and `overrides`), read without recording: for one-off reads. */
  overlay(overrides: ReadonlyMap<string, string> = new Map()): FileSystem {
    const open = this.openDocumentsByPath();
    return {
      readFile: (filePath) => {
        const override = overrides.get(filePath);
        if (override !== undefined) {
          return override;
        }
        const document = open.get(filePath);
        if (document) {
          const text = document.getText();
          return isTooLarge(text) ? '' : text;
        }
        return this.disk.readFile(filePath);
      },
      readDirectory: (folder) => this.listFolder(folder),
    };
  }

  /**
   * What a worker thread needs to read files as {@link overlay} does: every open document's text by path, and the
   * analysed open documents that folder listings add when they are not on disk.
   */
  overlaySnapshot(): { openTexts: [string, string][]; listedPaths: string[] } {
    const view = this.openView();
    return {
      openTexts: [...view.byPath].map(([filePath, document]) => [filePath, document.getText()]),
      listedPaths: view.tracked.map((t) => t.path),
    };
  }

  /** A folder's entries: the disk's, plus open documents in it that are not on disk (new or untitled files). */
  private listFolder(folder: string): { name: string; isDirectory: boolean }[] | undefined {
    return withOpenFiles(
      this.disk.readDirectory(folder),
      (this.openView().trackedByFolder.get(folder) ?? []).map((tracked) => path.basename(tracked.path)),
    );
  }

  private isCurrent(entry: CachedAnalysis): boolean {
    if (entry.generation !== this.generation) {
      return false;
    }
    const open = this.openDocumentsByPath();
    for (const [filePath, token] of entry.reads) {
      const document = open.get(filePath);
      if ((document ? versionToken(document) : 'disk') !== token) {
        return false;
      }
    }
    return true;
  }
}

/**
 * How many units keep their analysis: the ones being edited or looked at. Thousands of open files would otherwise
 * keep a model and every finding's rendered fix each (the diagnostics are published, the rest is asked for rarely).
 */
const ANALYSED_UNITS = 64;

/** How many earlier analyses of a unit are kept for reuse when the texts come back to one of them. */
const RECENT_ANALYSES = 3;

/** The units whose rule evaluations are kept for reuse by their next analysis (the most recently analysed). */
const MEMO_UNITS = 8;

/** The token recording which version of an open document was read. */
function versionToken(document: TextDocument): string {
  return `v${document.version}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) {
      list.push(item);
    } else {
      out.set(k, [item]);
    }
  }
  return out;
}

function isDirectory(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isDirectory();
  } catch {
    return false;
  }
}
