/**
 * Reuse of rule evaluations between analyses of one unit (the language server re-analyses a unit on every edit): the
 * findings a rule produced on a resource are kept under the resource's fingerprint, and an analysis whose resource
 * has the same fingerprint takes them instead of evaluating the rule again, moved to where the resource now is.
 *
 * A fingerprint holds everything a rule that reads only its resource can see: the resource's fields and lowered body
 * (every value, key and span; spans inside the resource's region relative to it, others as they are), the text of
 * the region (the lines from the resource's first to the line after its last, which fixes are rendered from), and
 * the facts of the whole file a renderer reads (line ending, indentation unit). Two resources with the same
 * fingerprint give the same findings, shifted by the distance between their regions. Fingerprints are not written
 * out: entries are found by their region's text, and the rest is compared field by field with the resource the entry
 * was recorded from ({@link sameResource}), which allocates nothing.
 *
 * A rule that reads other resources (a `related` condition, a fix that adds a companion) is reused only while the
 * resources of the types it reads hold the same values as in the last analysis (where they are or how they are
 * written does not matter to it) and every resource keeps its address. A rule with a `check` function is handed the
 * whole model and always runs, as does one whose fix declares a new input (its name depends on every file's
 * inputs). A finding whose fix edits text outside its resource's region (another file) is not kept.
 */
import type { Model, ObjectValue, Resource, UnknownValue, Value } from '../model/types';
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

/** A resource with its region: what an entry was recorded from, and what the current analysis looks an entry up by. */
interface Fingerprinted {
  /** The region's text (the key entries are found by). */
  key: string;
  /** The facts of the whole file its renderer reads. */
  layout: string;
  resource: Resource;
  file: string;
  regionStart: number;
  regionEnd: number;
}

/** Where findings were recorded: a file and a region of it, the offsets that move with the resource. */
interface Frame {
  file: string;
  regionStart: number;
  regionEnd: number;
}

/**
 * The outcomes of the rules on one fingerprint: the resource and region of the analysis that last used them (what a
 * resource is compared with), and the frame the findings were recorded in (kept as recorded, moved when taken).
 */
interface ResourceEntry {
  print: Fingerprinted;
  frame: Frame;
  outcomes: Map<Rule, RuleOutcome>;
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

/** Thrown inside {@link valuesOf} when a body nests deeper than {@link MAX_DEPTH}. */
class TooDeep extends Error {}

/**
 * Writes what another resource's rule can read of a resource: its fields and values, without spans or text. Throws
 * {@link TooDeep} past {@link MAX_DEPTH}.
 */
function valuesOf(resource: Resource): string {
  const parts: string[] = [];
  const value = (v: Value, depth: number): void => {
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    parts.push(v.kind, v.provenance);
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
        parts.push(`${v.entries.length}`, v.block ? 'b' : '~');
        for (const e of v.entries) {
          parts.push('e', e.key, e.isBlock ? 'b' : 'a');
          value(e.value, depth + 1);
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
    JSON.stringify(resource.peerSuppressions ?? null),
  );
  for (const d of resource.declaredSuppressions ?? []) {
    parts.push('declared', JSON.stringify([d.ids, d.reason, d.until ?? null]));
  }
  value(resource.body, 0);
  return parts.join('\u0000');
}

/** Whether a value nests no deeper than {@link MAX_DEPTH} (deeper resources are evaluated afresh, never kept). */
function isShallow(v: Value, depth: number): boolean {
  if (depth > MAX_DEPTH) {
    return false;
  }
  switch (v.kind) {
    case 'scalar':
      return true;
    case 'array':
      for (const item of v.items) {
        if (!isShallow(item, depth + 1)) {
          return false;
        }
      }
      return true;
    case 'object':
      for (const e of v.entries) {
        if (!isShallow(e.value, depth + 1)) {
          return false;
        }
      }
      return true;
    case 'unknown':
      return (
        (v.partial === undefined || isShallow(v.partial, depth + 1)) &&
        (v.alternatives ?? []).every((a) => a.value === undefined || isShallow(a.value, depth + 1))
      );
  }
}

/**
 * Whether two resources, each with its region, have the same fingerprint (their regions' texts are compared by the
 * caller): the same fields, and the same values, keys and spans, where a span in the resource's file inside its
 * region is compared relative to the region's start and any other span as it is, with its file.
 */
function sameResource(a: Fingerprinted, b: Fingerprinted): boolean {
  const ra = a.resource;
  const rb = b.resource;
  return (
    a.layout === b.layout &&
    a.regionEnd - a.regionStart === b.regionEnd - b.regionStart &&
    ra.format === rb.format &&
    ra.kind === rb.kind &&
    ra.type === rb.type &&
    ra.name === rb.name &&
    ra.address === rb.address &&
    ra.file === rb.file &&
    ra.apiVersion === rb.apiVersion &&
    ra.deploymentNote === rb.deploymentNote &&
    sameStrings(ra.modulePath, rb.modulePath) &&
    sameSpan(a, ra.file, ra.span, b, rb.file, rb.span) &&
    sameSpan(a, ra.file, ra.headerSpan, b, rb.file, rb.headerSpan) &&
    sameSpan(a, ra.file, ra.typeSpan, b, rb.file, rb.typeSpan) &&
    samePeerSuppressions(ra, rb) &&
    sameDeclaredSuppressions(a, b) &&
    sameValue(a, ra.body, b, rb.body, 0)
  );
}

/** Whether offset `x` of file `fa` in `a`'s frame is where offset `y` of file `fb` is in `b`'s (see {@link sameResource}). */
function sameOffset(a: Fingerprinted, fa: string, x: number, b: Fingerprinted, fb: string, y: number): boolean {
  const isInA = fa === a.file && x >= a.regionStart && x <= a.regionEnd;
  const isInB = fb === b.file && y >= b.regionStart && y <= b.regionEnd;
  return isInA ? isInB && x - a.regionStart === y - b.regionStart : !isInB && fa === fb && x === y;
}

/** {@link sameOffset} for both ends of two spans (both absent also counts as the same). */
function sameSpan(a: Fingerprinted, fa: string, x: Span | undefined, b: Fingerprinted, fb: string, y: Span | undefined): boolean {
  if (x === undefined || y === undefined) {
    return x === y;
  }
  return sameOffset(a, fa, x.start, b, fb, y.start) && sameOffset(a, fa, x.end, b, fb, y.end);
}

/** Whether two values are the same (kind, provenance, span, content), to {@link MAX_DEPTH}. */
function sameValue(a: Fingerprinted, x: Value, b: Fingerprinted, y: Value, depth: number): boolean {
  if (depth > MAX_DEPTH || x.kind !== y.kind || x.provenance !== y.provenance || !sameSpan(a, x.file, x.span, b, y.file, y.span)) {
    return false;
  }
  switch (x.kind) {
    case 'scalar': {
      const w = (y as typeof x).value;
      return typeof x.value === typeof w && (x.value === w || String(x.value) === String(w));
    }
    case 'array': {
      const items = (y as typeof x).items;
      if (x.items.length !== items.length) {
        return false;
      }
      for (let i = 0; i < items.length; i++) {
        if (!sameValue(a, x.items[i]!, b, items[i]!, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    case 'object':
      return sameObject(a, x, b, y as typeof x, depth);
    case 'unknown':
      return sameUnknown(a, x, b, y as typeof x, depth);
  }
}

/** {@link sameValue} of two objects: block spans, then entries (whose key spans are in their object's file). */
function sameObject(a: Fingerprinted, x: ObjectValue, b: Fingerprinted, y: ObjectValue, depth: number): boolean {
  if (x.entries.length !== y.entries.length) {
    return false;
  }
  if (x.block === undefined || y.block === undefined) {
    if (x.block !== y.block) {
      return false;
    }
  } else if (
    !sameSpan(a, x.file, x.block.headerSpan, b, y.file, y.block.headerSpan) ||
    !sameSpan(a, x.file, x.block.openSpan, b, y.file, y.block.openSpan) ||
    !sameSpan(a, x.file, x.block.closeSpan, b, y.file, y.block.closeSpan)
  ) {
    return false;
  }
  for (let i = 0; i < x.entries.length; i++) {
    const e = x.entries[i]!;
    const f = y.entries[i]!;
    if (
      e.key !== f.key ||
      e.isBlock !== f.isBlock ||
      !sameSpan(a, x.file, e.keySpan, b, y.file, f.keySpan) ||
      !sameSpan(a, x.file, e.span, b, y.file, f.span) ||
      !sameValue(a, e.value, b, f.value, depth + 1)
    ) {
      return false;
    }
  }
  return true;
}

/** {@link sameValue} of two unknown values: references, partial structure and alternatives. */
function sameUnknown(a: Fingerprinted, x: UnknownValue, b: Fingerprinted, y: UnknownValue, depth: number): boolean {
  if (!sameStrings(x.references, y.references)) {
    return false;
  }
  if (x.partial === undefined || y.partial === undefined) {
    if (x.partial !== y.partial) {
      return false;
    }
  } else if (!sameValue(a, x.partial, b, y.partial, depth + 1)) {
    return false;
  }
  if (x.alternatives === undefined || y.alternatives === undefined) {
    return x.alternatives === y.alternatives;
  }
  if (x.alternatives.length !== y.alternatives.length) {
    return false;
  }
  for (let i = 0; i < x.alternatives.length; i++) {
    const p = x.alternatives[i]!;
    const q = y.alternatives[i]!;
    if (p.assumption !== q.assumption) {
      return false;
    }
    if (p.value === undefined || q.value === undefined) {
      if (p.value !== q.value) {
        return false;
      }
    } else if (!sameValue(a, p.value, b, q.value, depth + 1)) {
      return false;
    }
  }
  return true;
}

/** Whether two string lists are equal item by item. */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** Whether two resources declare the same peers' suppressions. */
function samePeerSuppressions(a: Resource, b: Resource): boolean {
  const x = a.peerSuppressions;
  const y = b.peerSuppressions;
  if (x === undefined || y === undefined) {
    return x === y;
  }
  if (x.length !== y.length) {
    return false;
  }
  for (let i = 0; i < x.length; i++) {
    if (x[i]!.peer !== y[i]!.peer || x[i]!.id !== y[i]!.id || x[i]!.reason !== y[i]!.reason) {
      return false;
    }
  }
  return true;
}

/** Whether two resources declare the same suppressions as data, written at the same places. */
function sameDeclaredSuppressions(a: Fingerprinted, b: Fingerprinted): boolean {
  const x = a.resource.declaredSuppressions ?? [];
  const y = b.resource.declaredSuppressions ?? [];
  if (x.length !== y.length) {
    return false;
  }
  for (let i = 0; i < x.length; i++) {
    const d = x[i]!;
    const e = y[i]!;
    if (!sameStrings(d.ids, e.ids) || d.reason !== e.reason || d.until !== e.until || !sameSpan(a, a.file, d.span, b, b.file, e.span)) {
      return false;
    }
  }
  return true;
}

/**
 * The evaluations of the last analysis of one unit, by resource fingerprint. Not shared between units; kept by the
 * caller for as long as the unit may be analysed again (the language server keeps one per unit).
 */
export class EvaluationMemo {
  /** The entries the last analysis used or recorded, by their region's text (an analysis drops what it did not use). */
  private previous = new Map<string, ResourceEntry[]>();
  private current = new Map<string, ResourceEntry[]>();
  private readonly fingerprints = new Map<Resource, Fingerprinted | null>();
  /** Each resource's entry in this analysis once looked up (null: none), so it is compared with the entries once. */
  private readonly matched = new Map<Resource, ResourceEntry | null>();
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
    this.matched.clear();
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
    this.matched.clear();
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
            .map(valuesOf)
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
      if (text !== undefined && resource.span.end <= text.length && isShallow(resource.body, 0)) {
        const regionStart = lineStartAt(text, resource.span.start);
        const lineEnd = lineEndAt(text, resource.span.end);
        const next = text.startsWith('\r\n', lineEnd) ? lineEnd + 2 : lineEnd + 1;
        const regionEnd = next > text.length ? text.length : lineEndAt(text, next);
        f = {
          key: text.slice(regionStart, regionEnd),
          layout: this.layoutOf(resource, text),
          resource,
          file: resource.file,
          regionStart,
          regionEnd,
        };
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
    const delta = f.regionStart - entry.frame.regionStart;
    for (const finding of outcome.findings) {
      out.push(delta === 0 ? finding : shifted(finding, entry.frame, delta));
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
      const delta = entry.frame.regionStart - f.regionStart;
      const own: Frame = { file: f.file, regionStart: f.regionStart, regionEnd: f.regionEnd };
      entry.outcomes.set(rule, { findings: delta === 0 ? findings : findings.map((x) => shifted(x, own, delta)), isUncertain, steps });
    }
  }

  /**
   * The current analysis's entry for a fingerprint: the one recorded or carried already, else the previous analysis's
   * carried over ({@link carried}), else a new one when `create`.
   */
  private entryFor(f: Fingerprinted, create: boolean): ResourceEntry | undefined {
    const known = this.matched.get(f.resource);
    if (known || (known === null && !create)) {
      return known ?? undefined;
    }
    const entry = this.findEntry(f, create);
    this.matched.set(f.resource, entry ?? null);
    return entry;
  }

  /** Computes {@link entryFor}. */
  private findEntry(f: Fingerprinted, create: boolean): ResourceEntry | undefined {
    const here = this.current.get(f.key);
    let entry = here?.find((e) => sameResource(e.print, f));
    if (entry) {
      return entry;
    }
    const earlierList = this.previous.get(f.key);
    const at = earlierList?.findIndex((e) => sameResource(e.print, f)) ?? -1;
    if (earlierList && at >= 0) {
      // Carried once, to this analysis's resource.
      const earlier = earlierList[at]!;
      earlierList.splice(at, 1);
      entry = this.carried(earlier, f);
    } else if (create) {
      entry = { print: f, frame: { file: f.file, regionStart: f.regionStart, regionEnd: f.regionEnd }, outcomes: new Map() };
    } else {
      return undefined;
    }
    if (here) {
      here.push(entry);
    } else {
      this.current.set(f.key, [entry]);
    }
    return entry;
  }

  /**
   * A previous entry carried to this analysis's resource, without the outcomes no longer reusable. The entry then
   * compares with this analysis's resource and text, never an older one's, so a long session of edits keeps no more
   * texts alive through it than the last analysis read; its findings stay in the frame they were recorded in.
   */
  private carried(earlier: ResourceEntry, f: Fingerprinted): ResourceEntry {
    let { outcomes } = earlier;
    for (const rule of outcomes.keys()) {
      if (!this.isReusable(rule)) {
        outcomes = new Map([...outcomes].filter(([r]) => this.isReusable(r)));
        break;
      }
    }
    return { print: f, frame: earlier.frame, outcomes };
  }
}

/** A finding recorded in `entry`'s region, moved by `delta`: offsets in the region move, others stay. */
function shifted(finding: RawFinding, entry: Frame, delta: number): RawFinding {
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
