/**
 * Reuse of rule evaluations between analyses of one unit (the language server re-analyses a unit on every edit): the
 * findings a rule produced on a resource are kept under the resource's fingerprint, and an analysis whose resource
 * has the same fingerprint takes them instead of evaluating the rule again, moved to where the resource now is.
 *
 * A fingerprint holds everything a rule that reads only its resource can see: the resource's fields and lowered body
 * (every value, key and span; spans inside the resource's region relative to it, others as they are), the text of
 * the region (the lines from the resource's first to the line after its last, which fixes are rendered from), and
 * the facts of the whole file a renderer reads (line ending, indentation unit). Two resources with the same
 * fingerprint give the same findings, shifted by the distance between their regions.
 *
 * A rule that reads other resources (a `related` condition, a fix that adds a companion) is reused only while the
 * resources of the types it reads hold the same values as in the last analysis (where they are or how they are
 * written does not matter to it) and every resource keeps its address. A rule with a `check` function is handed the
 * whole model and always runs, as does one whose fix declares a new input (its name depends on every file's
 * inputs). A finding whose fix edits text outside its resource's region (another file) is not kept.
 */
import type { Entry, Model, Resource, Value } from '../model/types';
import { lineEndAt, lineStartAt } from '../text/lines';
import { fileEdit } from '../text/lazyText';
import type { Span } from '../text/span';
import type { RawFinding } from './evaluate';
import type { FixRenderer } from './fixes';
import type { Condition, Rule } from './rule';
import { candidatesOf, typeIndexOf } from './typeMatches';

/** What one rule did on one resource: its findings (as found in the region they were recorded in) and uncertainty. */
interface RuleOutcome {
  findings: RawFinding[];
  isUncertain: boolean;
  /** The steps the evaluation took, charged again when it is reused (so a rule's step budget runs out alike). */
  steps: number;
}

/** The outcomes of the rules on one fingerprint, with the region they were recorded in. */
interface ResourceEntry {
  file: string;
  regionStart: number;
  regionEnd: number;
  outcomes: Map<Rule, RuleOutcome>;
}

/** A resource's fingerprint and region in the current analysis. */
interface Fingerprinted {
  key: string;
  file: string;
  regionStart: number;
  regionEnd: number;
}

/**
 * What a rule reads besides the resource it is evaluated on: `related` conditions and companion fixes read the
 * resources of some types (and the addresses of every resource, to tell what a reference names); a `check` function
 * is handed the whole model. Cached per rule object.
 */
interface Reach {
  /** The rule runs a `check` function: its outcome is never reused. */
  isOpaque: boolean;
  /** The type patterns of the other resources it reads (empty for a rule that reads only its resource). */
  types: string[];
}

const reaches = new WeakMap<Rule, Reach>();

/** Collects the types a condition's `related` parts read, to the depth rules are written with. */
function relatedTypes(condition: Condition | undefined, into: Set<string>, depth = 0): boolean {
  if (condition === undefined) {
    return true;
  }
  if (depth > 64) {
    return false;
  }
  if ('related' in condition) {
    into.add(condition.related.type);
    return relatedTypes(condition.related.where, into, depth + 1);
  }
  if ('all' in condition) {
    return condition.all.every((c) => relatedTypes(c, into, depth + 1));
  }
  if ('any' in condition) {
    return condition.any.every((c) => relatedTypes(c, into, depth + 1));
  }
  if ('not' in condition) {
    return relatedTypes(condition.not, into, depth + 1);
  }
  return true;
}

/** What a rule reads besides its resource. */
export function reachOf(rule: Rule): Reach {
  let reach = reaches.get(rule);
  if (reach === undefined) {
    const types = new Set<string>();
    let isOpaque = false;
    for (const targets of Object.values(rule.match)) {
      for (const t of targets ?? []) {
        // A fix that declares a new input names it after the inputs other files of the module declare.
        isOpaque ||=
          t.check === true || t.fix?.moveToSecretInput !== undefined || !relatedTypes(t.unless, types) || !relatedTypes(t.when, types);
        if (t.fix?.add) {
          types.add(t.fix.add.type);
        }
      }
    }
    reach = { isOpaque, types: [...types].sort() };
    reaches.set(rule, reach);
  }
  return reach;
}

/** Whether a rule's outcome on a resource depends only on that resource and the text around it. */
export function isLocalRule(rule: Rule): boolean {
  const reach = reachOf(rule);
  return !reach.isOpaque && reach.types.length === 0;
}

/** The nesting depth past which a resource is not fingerprinted (and so evaluated afresh). */
const MAX_DEPTH = 64;

/** Thrown inside {@link fingerprintOf} when a body nests deeper than {@link MAX_DEPTH}. */
class TooDeep extends Error {}

/** The lines of a file a resource's fingerprint holds, with the facts of the whole file its renderer reads. */
interface Region {
  text: string;
  layout: string;
  start: number;
  end: number;
}

/**
 * Writes a resource's fingerprint; without a region, only what the resource holds (its fields and values, no spans
 * and no text), which is what another resource's rule can read of it. Spans in the resource's file inside [regionStart, regionEnd] are written relative
 * to regionStart, others as they are with their file.
 */
function fingerprintOf(resource: Resource, region: Region | undefined): string {
  const parts: string[] = [];
  const offset = (file: string, at: number): string =>
    region === undefined ? '' : file === resource.file && at >= region.start && at <= region.end ? `${at - region.start}` : `${file}@${at}`;
  const span = (file: string, s: Span | undefined): string => (s ? `${offset(file, s.start)}-${offset(file, s.end)}` : '-');
  const value = (v: Value, depth: number): void => {
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    parts.push(v.kind, v.provenance, span(v.file, v.span));
    switch (v.kind) {
      case 'scalar':
        parts.push(typeof v.value, String(v.value));
        break;
      case 'array':
        parts.push(`${v.items.length}`);
        for (const item of v.items) {
          value(item, depth + 1);
        }
        break;
      case 'object':
        parts.push(`${v.entries.length}`);
        if (v.block) {
          parts.push(span(v.file, v.block.headerSpan), span(v.file, v.block.openSpan), span(v.file, v.block.closeSpan));
        } else {
          parts.push('~');
        }
        for (const e of v.entries) {
          entry(e, v.file, depth + 1);
        }
        break;
      case 'unknown':
        parts.push(v.references.join(' '));
        if (v.partial) {
          parts.push('partial');
          value(v.partial, depth + 1);
        }
        if (v.alternatives) {
          parts.push(`${v.alternatives.length}`);
          for (const a of v.alternatives) {
            parts.push(a.assumption);
            if (a.value) {
              value(a.value, depth + 1);
            } else {
              parts.push('novalue');
            }
          }
        }
        break;
    }
  };
  // An entry's key spans are in its object's file (a value may be re-homed from elsewhere).
  const entry = (e: Entry, file: string, depth: number): void => {
    parts.push('e', e.key, e.isBlock ? 'b' : 'a', span(file, e.keySpan), span(file, e.span));
    value(e.value, depth);
  };
  parts.push(
    resource.format,
    resource.kind,
    resource.type,
    resource.name,
    resource.address,
    resource.file,
    resource.modulePath.join('.'),
    resource.apiVersion ?? '-',
    resource.deploymentNote ?? '-',
    span(resource.file, resource.span),
    span(resource.file, resource.headerSpan),
    span(resource.file, resource.typeSpan),
    JSON.stringify(resource.peerSuppressions ?? null),
  );
  for (const d of resource.declaredSuppressions ?? []) {
    parts.push('declared', JSON.stringify([d.ids, d.reason, d.until ?? null]), span(resource.file, d.span));
  }
  value(resource.body, 0);
  if (region !== undefined) {
    parts.push(region.layout, region.text.slice(region.start, region.end));
  }
  return parts.join('\u0000');
}

/**
 * The evaluations of the last analysis of one unit, by resource fingerprint. Not shared between units; kept by the
 * caller for as long as the unit may be analysed again (the language server keeps one per unit).
 */
export class EvaluationMemo {
  /** The entries the last analysis used or recorded (an analysis drops what it did not use). */
  private previous = new Map<string, ResourceEntry>();
  private current = new Map<string, ResourceEntry>();
  private readonly fingerprints = new Map<Resource, Fingerprinted | null>();
  private readonly layouts = new Map<string, string>();
  /** What the other resources a rule may read looked like, by type pattern ('' for every resource's address). */
  private previousContext = new Map<string, string | null>();
  private currentContext = new Map<string, string | null>();
  private readonly sameContext = new Map<string, boolean>();
  private readonly reusable = new Map<Rule, boolean>();
  private model: Model = { files: [], resources: [], notes: [] };
  private textOf: (file: string) => string | undefined = () => undefined;
  private renderers: Partial<Record<Resource['format'], FixRenderer>> = {};
  /** Rule outcomes taken from the memo and evaluated afresh in the analysis under way (for tests and benchmarks). */
  reused = 0;
  evaluated = 0;

  /** Starts an analysis of `model`. */
  begin(model: Model, textOf: (file: string) => string | undefined, renderers: Partial<Record<Resource['format'], FixRenderer>>): void {
    this.current = new Map();
    this.currentContext = new Map();
    this.sameContext.clear();
    this.reusable.clear();
    this.model = model;
    this.fingerprints.clear();
    this.layouts.clear();
    this.textOf = textOf;
    this.renderers = renderers;
    this.reused = 0;
    this.evaluated = 0;
  }

  /** Ends the analysis: what it did not use is forgotten. */
  end(): void {
    this.previous = this.current;
    this.current = new Map();
    this.previousContext = this.currentContext;
    this.currentContext = new Map();
    this.sameContext.clear();
    this.reusable.clear();
    this.model = { files: [], resources: [], notes: [] };
    this.fingerprints.clear();
    this.layouts.clear();
    this.textOf = () => undefined;
  }

  /**
   * What the resources of a type pattern hold now (their fields and values in model order, without spans or text:
   * a rule reads other resources' values, never where they are), or, for '', every resource's module and address;
   * null when one of them nests too deep to be written.
   */
  private contextOf(type: string): string | null {
    let context = this.currentContext.get(type);
    if (context === undefined) {
      if (type === '') {
        context = this.model.resources.map((r) => `${r.modulePath.join('/')}\u0001${r.address}`).join('\u0002');
      } else {
        context = null;
        try {
          context = candidatesOf(typeIndexOf(this.model.resources), [type])
            .map((r) => fingerprintOf(r, undefined))
            .join('\u0003');
        } catch (error) {
          if (!(error instanceof TooDeep)) {
            throw error;
          }
        }
      }
      this.currentContext.set(type, context);
    }
    return context;
  }

  /** Whether what a rule reads besides its resource is as it was in the previous analysis (and can be told). */
  private isReusable(rule: Rule): boolean {
    let reusable = this.reusable.get(rule);
    if (reusable === undefined) {
      reusable = this.computeReusable(rule);
      this.reusable.set(rule, reusable);
    }
    return reusable;
  }

  /** Computes {@link isReusable}. */
  private computeReusable(rule: Rule): boolean {
    const reach = reachOf(rule);
    if (reach.isOpaque) {
      return false;
    }
    if (reach.types.length === 0) {
      return true;
    }
    const isSame = (type: string): boolean => {
      let same = this.sameContext.get(type);
      if (same === undefined) {
        const now = this.contextOf(type);
        same = now !== null && this.previousContext.get(type) === now;
        this.sameContext.set(type, same);
      }
      return same;
    };
    return isSame('') && reach.types.every(isSame);
  }

  /** Whether what a rule reads besides its resource can be told in this analysis (so its outcomes can be kept). */
  private isRecordable(rule: Rule): boolean {
    const reach = reachOf(rule);
    return !reach.isOpaque && (reach.types.length === 0 || (this.contextOf('') !== null && reach.types.every((t) => this.contextOf(t) !== null)));
  }

  /** The facts of a file's whole text that its renderer reads. */
  private layoutOf(resource: Resource, text: string): string {
    let layout = this.layouts.get(resource.file);
    if (layout === undefined) {
      layout = this.renderers[resource.format]?.layoutOf?.(text, resource.file) ?? '';
      this.layouts.set(resource.file, layout);
    }
    return layout;
  }

  /** The resource's fingerprint and region, or null when it cannot be reused (its file's text is not known). */
  private fingerprinted(resource: Resource): Fingerprinted | null {
    let f = this.fingerprints.get(resource);
    if (f === undefined) {
      f = null;
      const text = this.textOf(resource.file);
      if (text !== undefined && resource.span.end <= text.length) {
        const regionStart = lineStartAt(text, resource.span.start);
        const lineEnd = lineEndAt(text, resource.span.end);
        const next = text.startsWith('\r\n', lineEnd) ? lineEnd + 2 : lineEnd + 1;
        const regionEnd = next > text.length ? text.length : lineEndAt(text, next);
        try {
          const region = { text, layout: this.layoutOf(resource, text), start: regionStart, end: regionEnd };
          f = { key: fingerprintOf(resource, region), file: resource.file, regionStart, regionEnd };
        } catch (error) {
          if (!(error instanceof TooDeep)) {
            throw error;
          }
        }
      }
      this.fingerprints.set(resource, f);
    }
    return f;
  }

  /**
   * The findings `rule` produced on a resource with the same fingerprint, moved to this resource's region (appended to
   * `out`), and whether the rule was uncertain on it; undefined when there are none to reuse.
   */
  take(rule: Rule, resource: Resource, out: RawFinding[]): { isUncertain: boolean; steps: number } | undefined {
    const f = this.fingerprinted(resource);
    if (f === null) {
      return undefined;
    }
    const entry = this.entryFor(f, false);
    const outcome = entry?.outcomes.get(rule);
    if (!entry || !outcome) {
      return undefined;
    }
    const delta = f.regionStart - entry.regionStart;
    for (const finding of outcome.findings) {
      out.push(delta === 0 ? finding : shifted(finding, entry, delta));
    }
    this.reused++;
    return { isUncertain: outcome.isUncertain, steps: outcome.steps };
  }

  /** Keeps what `rule` produced on `resource` (the findings it appended), for the next analysis. */
  record(rule: Rule, resource: Resource, findings: RawFinding[], isUncertain: boolean, steps: number): void {
    this.evaluated++;
    const f = this.fingerprinted(resource);
    if (f === null || !this.isRecordable(rule)) {
      return;
    }
    // A fix that edits another file, or text outside the region, was rendered from text the fingerprint does not hold.
    for (const finding of findings) {
      for (const edit of finding.fix?.edits ?? []) {
        if (edit.file !== resource.file || edit.span.start < f.regionStart || edit.span.end > f.regionEnd) {
          return;
        }
      }
    }
    // Edits written on first read would hold on to this analysis's text for as long as the memo keeps them: write them.
    for (const finding of findings) {
      for (const edit of finding.fix?.edits ?? []) {
        void edit.newText;
      }
    }
    const entry = this.entryFor(f, true);
    if (entry) {
      // Kept in the frame of the entry's region (the previous analysis's, when carried over).
      const delta = entry.regionStart - f.regionStart;
      const own: ResourceEntry = { file: f.file, regionStart: f.regionStart, regionEnd: f.regionEnd, outcomes: entry.outcomes };
      entry.outcomes.set(rule, { findings: delta === 0 ? findings : findings.map((x) => shifted(x, own, delta)), isUncertain, steps });
    }
  }

  /**
   * The current analysis's entry for a fingerprint: the one recorded or carried already, else the previous analysis's
   * carried over (in its own region, without the outcomes no longer reusable), else a new one when `create`.
   */
  private entryFor(f: Fingerprinted, create: boolean): ResourceEntry | undefined {
    let entry = this.current.get(f.key);
    if (entry) {
      return entry;
    }
    const earlier = this.previous.get(f.key);
    if (earlier) {
      entry = earlier;
      for (const r of earlier.outcomes.keys()) {
        if (!this.isReusable(r)) {
          entry = { ...earlier, outcomes: new Map([...earlier.outcomes].filter(([rule]) => this.isReusable(rule))) };
          break;
        }
      }
    } else if (create) {
      entry = { file: f.file, regionStart: f.regionStart, regionEnd: f.regionEnd, outcomes: new Map() };
    } else {
      return undefined;
    }
    this.current.set(f.key, entry);
    return entry;
  }
}

/** A finding recorded in `entry`'s region, moved by `delta`: offsets in the region move, others stay. */
function shifted(finding: RawFinding, entry: ResourceEntry, delta: number): RawFinding {
  const at = (file: string, offset: number): number =>
    file === entry.file && offset >= entry.regionStart && offset <= entry.regionEnd ? offset + delta : offset;
  const span = (file: string, s: Span): Span => ({ start: at(file, s.start), end: at(file, s.end) });
  const moved: RawFinding = {
    ...finding,
    span: span(finding.file, finding.span),
    anchors: finding.anchors.map((a) => ({ offset: at(entry.file, a.offset), isResource: a.isResource })),
    resourceSpan: span(entry.file, finding.resourceSpan),
    fix: finding.fix && { ...finding.fix, edits: finding.fix.edits.map((e) => fileEdit(e.file, e, span(e.file, e.span))) },
  };
  if (finding.declaredSuppressions) {
    moved.declaredSuppressions = finding.declaredSuppressions.map((d) => (d.span ? { ...d, span: span(entry.file, d.span) } : d));
  }
  return moved;
}
