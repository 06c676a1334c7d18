/**
 * Plans a rule's fix intent (`set`, `remove`) against the model and asks the format's renderer for text edits.
 *
 * The plan follows the finding: when several blocks could hold the setting, it edits the one the finding points at.
 */
import type { Entry, ObjectValue, Resource, Scalar, Value } from '../model/types';
import type { Blame } from './conditions';
import { splitPath, type PathHit } from './paths';
import type { CompanionIntent, DocumentValue, FixIntent } from './rule';
import type { Fix, TextEdit } from './types';

/** Turns planned edits into text for one format (HCL, YAML, JSON, Bicep); returns undefined when it cannot. */
export interface FixRenderer {
  /** Replaces the value of an existing attribute. */
  replaceValue(text: string, entry: Entry, value: Scalar | Scalar[], file: string): TextEdit[] | undefined;
  /** Inserts `segments` (nested blocks, then the attribute) into an existing block. */
  insert(text: string, object: ObjectValue, segments: string[], value: Scalar | Scalar[], file: string): TextEdit[] | undefined;
  /** Removes an attribute. */
  remove(text: string, entry: Entry, file: string): TextEdit[] | undefined;
  /** Adds a companion resource after `resource`; absent (or undefined) where the format cannot. */
  addResource?(text: string, resource: Resource, companion: CompanionIntent, file: string): TextEdit[] | undefined;
  /** Removes the items at `indexes` (ascending, not all of them empty) from the list that is `entry`'s value. */
  removeItems?(text: string, entry: Entry, indexes: number[], file: string): TextEdit[] | undefined;
}

/** Replaces `{resource}` in every string of a document with the resource's reference (bounded by the renderers' depth). */
export function withReference(value: DocumentValue, reference: string, depth = 0): DocumentValue {
  if (typeof value === 'string') {
    return value.split('{resource}').join(reference);
  }
  if (value === null || typeof value !== 'object' || depth > 32) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => withReference(v, reference, depth + 1));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withReference(v, reference, depth + 1)]));
}

/** What a fix is planned from. */
export interface FixContext {
  subject: PathHit;
  blame: Blame | undefined;
  resource: Resource;
  renderer: FixRenderer | undefined;
  textOf: (file: string) => string | undefined;
  /** Whether a companion may be added to the resource (none refers to it yet, nothing it conflicts with is set). */
  canAddCompanion?: (companion: CompanionIntent) => boolean;
}

/** Whether a value already equals the intended one (so the fix would change nothing). */
function isAlready(entry: Entry, value: Scalar | Scalar[]): boolean {
  const v = entry.value;
  if (Array.isArray(value)) {
    return (
      v.kind === 'array' &&
      v.items.length === value.length &&
      v.items.every((item, i) => item.kind === 'scalar' && item.value === value[i])
    );
  }
  return v.kind === 'scalar' && v.value === value;
}

/** Describes an intent as a quick-fix title. */
function defaultTitle(intent: FixIntent): string {
  if (intent.set) {
    return `Set ${intent.set.path} = ${JSON.stringify(intent.set.value)}`;
  }
  if (intent.add) {
    return `Add a ${intent.add.type}`;
  }
  if (intent.removeItems) {
    return `Remove ${intent.removeItems.in?.map((v) => JSON.stringify(v)).join(', ') ?? 'the flagged items'} from ${intent.removeItems.path}`;
  }
  return `Remove ${intent.remove?.path ?? ''}`;
}

/** The indexes of the list items a `removeItems` intent removes; undefined when an item is not a known scalar. */
function itemsToRemove(items: Value[], which: NonNullable<FixIntent['removeItems']>): number[] | undefined {
  const pattern = which.matches !== undefined ? new RegExp(which.matches) : undefined;
  const indexes: number[] = [];
  for (const [i, item] of items.entries()) {
    if (item.kind !== 'scalar') {
      return undefined; // an unknown item might be one to remove, and its text is not a plain literal
    }
    const isListed = which.in?.some((v) => String(v) === String(item.value)) ?? false;
    const isMatched = pattern !== undefined && typeof item.value === 'string' && pattern.test(item.value);
    if (isListed || isMatched) {
      indexes.push(i);
    }
  }
  return indexes;
}

/** Plans and renders a fix; undefined when the model or the syntax leaves no safe edit. */
export function planFix(intent: FixIntent, ctx: FixContext): Fix | undefined {
  const renderer = ctx.renderer;
  if (intent.add) {
    return planCompanion(intent, intent.add, ctx);
  }
  const path = intent.set?.path ?? intent.remove?.path ?? intent.removeItems?.path;
  if (!renderer || path === undefined || ctx.subject.value.kind !== 'object') {
    return undefined;
  }
  const preferred = new Set<Entry>(
    ctx.blame?.kind === 'value' ? ctx.blame.hit.chain : ctx.blame?.kind === 'missing' ? ctx.blame.miss.chain : [],
  );
  const segments = splitPath(path);
  let object: ObjectValue = ctx.subject.value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const candidates = object.entries.filter((e) => e.key === segment);
    const entry = candidates.find((e) => preferred.has(e)) ?? candidates[0];
    const isLast = i === segments.length - 1;
    const text = ctx.textOf(object.file);
    if (text === undefined) {
      return undefined;
    }
    if (!entry) {
      if (!intent.set || !object.block) {
        return undefined;
      }
      const edits = renderer.insert(text, object, segments.slice(i), intent.set.value, object.file);
      return edits ? { title: intent.title ?? defaultTitle(intent), edits, isSafe: intent.preferred === true } : undefined;
    }
    if (isLast) {
      const file = entry.value.file;
      const entryText = ctx.textOf(file);
      if (entryText === undefined) {
        return undefined;
      }
      if (intent.removeItems) {
        const indexes = entry.value.kind === 'array' ? itemsToRemove(entry.value.items, intent.removeItems) : undefined;
        if (!indexes || indexes.length === 0 || !renderer.removeItems || entry.value.provenance !== 'explicit') {
          return undefined;
        }
        const edits = renderer.removeItems(entryText, entry, indexes, file);
        return edits ? { title: intent.title ?? defaultTitle(intent), edits, isSafe: intent.preferred === true } : undefined;
      }
      if (intent.set) {
        if (isAlready(entry, intent.set.value)) {
          return undefined;
        }
        const edits = renderer.replaceValue(entryText, entry, intent.set.value, file);
        // Replacing a value that came from a variable changes more than this resource: never preferred.
        const isSafe = intent.preferred === true && entry.value.provenance === 'explicit';
        return edits ? { title: intent.title ?? defaultTitle(intent), edits, isSafe } : undefined;
      }
      const edits = renderer.remove(entryText, entry, file);
      return edits ? { title: intent.title ?? defaultTitle(intent), edits, isSafe: intent.preferred === true } : undefined;
    }
    const next = entry.value.kind === 'array' ? itemToFollow(entry.value.items, ctx.blame) : entry.value;
    // An object that is not a block (a Terraform map such as `metadata = { … }`) can have a value replaced; nothing
    // is inserted into it (the insertion above asks for a block).
    if (next?.kind !== 'object') {
      return undefined;
    }
    object = next;
  }
  return undefined;
}

/** The span a blame points into: the offending value, or the object a missing setting belongs in. */
function blameSpan(blame: Blame | undefined): { start: number; end: number } | undefined {
  return blame?.kind === 'value' ? blame.hit.value.span : blame?.kind === 'missing' ? blame.miss.object.span : undefined;
}

/**
 * The list item a fix continues into (a CloudFormation `ServerSideEncryptionConfiguration` is a list): the item
 * holding what the finding points at, or the only item; undefined when it cannot tell.
 */
function itemToFollow(items: Value[], blame: Blame | undefined): Value | undefined {
  const span = blameSpan(blame);
  const holding = span ? items.find((item) => item.span.start <= span.start && span.end <= item.span.end) : undefined;
  return holding ?? (items.length === 1 ? items[0] : undefined);
}

/** Plans a fix that adds a companion resource after the resource (only where the evaluator says one may be added). */
function planCompanion(intent: FixIntent, companion: CompanionIntent, ctx: FixContext): Fix | undefined {
  const text = ctx.textOf(ctx.resource.file);
  if (!ctx.renderer?.addResource || text === undefined || ctx.canAddCompanion?.(companion) !== true) {
    return undefined;
  }
  const edits = ctx.renderer.addResource(text, ctx.resource, companion, ctx.resource.file);
  return edits ? { title: intent.title ?? defaultTitle(intent), edits, isSafe: intent.preferred === true } : undefined;
}
