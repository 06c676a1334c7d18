/**
 * Plans a rule's fix intent (`set`, `remove`) against the model and asks the format's renderer for text edits.
 *
 * The plan follows the finding: when several blocks could hold the setting, it edits the one the finding points at.
 */
import type { Entry, ObjectValue, Resource, Scalar, Value } from '../model/types';
import { isVerbatim, type InsertSetting, type Verbatim } from '../text/insertTree';
import { fileEdit } from '../text/lazyText';
import { nonOverlapping } from './applyEdits';
import type { Blame } from './conditions';
import { segmentsFrom, splitPath, type PathHit } from './paths';
import type { CompanionIntent, DocumentValue, FixIntent, FixItem, FixStep, SecretInputIntent } from './rule';
import type { Fix, TextEdit } from './types';

/** A value a fix writes: a scalar, a list of scalars, or source text (a reference to a companion it adds). */
export type FixValue = Scalar | Scalar[] | Verbatim;

/** A companion resource a renderer wrote: its edits, and (for a companion the resource refers to) the reference. */
export interface AddedResource {
  edits: TextEdit[];
  /** The reference to the companion's `reference.attribute`, in the file's syntax (`aws_kms_key.x.arn`). */
  reference?: Verbatim;
}

/** A new input of the deployment that a renderer declared: its edits, and the reference to it in the file's syntax. */
export interface AddedInput {
  edits: TextEdit[];
  /** `var.storefront_access_token`, `!Ref StorefrontAccessToken`, `{ "Ref": "StorefrontAccessToken" }`. */
  reference: Verbatim;
}

/** Turns planned edits into text for one format (HCL, YAML, JSON, Bicep); returns undefined when it cannot. */
export interface FixRenderer {
  /** Replaces the value of an existing attribute. */
  replaceValue(text: string, entry: Entry, value: FixValue, file: string): TextEdit[] | undefined;
  /**
   * Inserts settings into an existing block: each one's segments (nested blocks, then the attribute) and value; the
   * nested blocks the settings share are written once.
   */
  insert(text: string, object: ObjectValue, settings: InsertSetting[], file: string): TextEdit[] | undefined;
  /** Removes an attribute. */
  remove(text: string, entry: Entry, file: string): TextEdit[] | undefined;
  /**
   * Adds a companion resource after `resource`, under a name for which `isTaken` is false; absent (or undefined)
   * where the format cannot.
   */
  addResource?(
    text: string,
    resource: Resource,
    companion: CompanionIntent,
    file: string,
    isTaken: (name: string) => boolean,
  ): AddedResource | undefined;
  /**
   * Declares a new sensitive input (a Terraform variable, a CloudFormation parameter) in the resource's file for the
   * secret that is `entry`'s value, named after the resource and the entry's key under a name for which `isTaken` is
   * false; undefined where the format cannot, or where the value is not one string literal written in place.
   */
  addSecretInput?(
    text: string,
    resource: Resource,
    entry: Entry,
    input: SecretInputIntent,
    file: string,
    isTaken: (name: string) => boolean,
  ): AddedInput | undefined;
  /**
   * The account itself as a policy principal in the file's syntax: the whole `Principal` (`{ AWS: <arn> }`) or only
   * the ARN; absent where the format has no way to name the account.
   */
  accountPrincipal?(text: string, file: string, form: 'principal' | 'arn'): Verbatim | undefined;
  /** Removes the items at `indexes` (ascending, not all of them empty) from the list that is `entry`'s value. */
  removeItems?(text: string, entry: Entry, indexes: number[], file: string): TextEdit[] | undefined;
  /** Appends `item` to the list that is `entry`'s value, in the list's layout. */
  appendItem?(text: string, entry: Entry, item: FixItem, file: string): TextEdit[] | undefined;
  /**
   * Terraform: adds a nested block `key { … }` holding `fields` to `object`, after `after` (the last block of that name)
   * or, where there is none, at the object's end.
   */
  addRepeatedBlock?(text: string, object: ObjectValue, key: string, fields: Record<string, Scalar>, after: Entry | undefined, file: string): TextEdit[] | undefined;
  /**
   * The facts of a file's whole text that rendering reads beyond the lines of the resource it edits (line ending,
   * indentation unit, the names a new resource must not take), as one string: a fix is reused for an unchanged
   * resource only while these are the same.
   */
  layoutOf?(text: string, file: string): string;
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
  /** Whether a resource of `type` may not take `name` (another resource of the unit uses it). */
  isNameTaken?: (type: string, name: string) => boolean;
  /**
   * Whether a new input of the deployment may be declared for the resource (a managed resource of the root module),
   * and whether `name` is taken by an input of its module (another file of a Terraform module may declare it).
   */
  canAddInput?: () => boolean;
  isInputTaken?: (name: string) => boolean;
}

/** One step as the planner sees it: a rule's step, or the setting that refers to a companion the fix adds. */
type PlannedStep = Omit<FixStep, 'set'> & Pick<FixIntent, 'removeItems'> & { set?: { path: string; value: FixValue; ifMissing?: boolean } };

/** Whether a value already equals the intended one (so the fix would change nothing). */
function isAlready(entry: Entry, value: FixValue): boolean {
  const v = entry.value;
  if (isVerbatim(value)) {
    return false; // a reference to a companion being added cannot be there yet
  }
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
  if (intent.moveToSecretInput) {
    return 'Move the secret to a new sensitive input';
  }
  if (intent.addItem) {
    return `Add ${JSON.stringify(intent.addItem.value)} to ${intent.addItem.path}`;
  }
  if (intent.accountPrincipal) {
    return 'Allow only principals of this account';
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

/** What one step of a fix (its `set` or `remove`, or one of `also`) comes to. */
type StepPlan =
  | { kind: 'edits'; edits: TextEdit[]; isExplicit: boolean }
  | { kind: 'insert'; object: ObjectValue; setting: InsertSetting }
  | { kind: 'nothing' };

/**
 * Plans one step: the edits that replace or remove an attribute, or the insertion it needs; `nothing` when the value
 * is already the intended one or the attribute to remove is absent; undefined when no safe edit exists.
 */
function planStep(
  step: PlannedStep,
  ctx: FixContext,
  renderer: FixRenderer,
  root: ObjectValue,
): StepPlan | undefined {
  if (step.addItem) {
    return planAddItem(step.addItem, ctx, renderer, root);
  }
  const path = step.set?.path ?? step.remove?.path ?? step.removeItems?.path;
  if (path === undefined) {
    return undefined;
  }
  // The entries on the way to what the finding points at (a short chain): where several could hold the setting.
  const preferred: readonly Entry[] =
    ctx.blame?.kind === 'value' ? ctx.blame.hit.chain : ctx.blame?.kind === 'missing' ? ctx.blame.miss.chain : [];
  const segments = splitPath(path);
  let object = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    // The preferred entry of that key, else the first.
    let entry: Entry | undefined;
    for (const e of object.entries) {
      if (e.key === segment) {
        if (preferred.includes(e)) {
          entry = e;
          break;
        }
        entry ??= e;
      }
    }
    if (!entry) {
      if (!step.set) {
        return { kind: 'nothing' };
      }
      return object.block ? { kind: 'insert', object, setting: { segments: segmentsFrom(segments, i), value: step.set.value } } : undefined;
    }
    if (i === segments.length - 1) {
      const file = entry.value.file;
      const entryText = ctx.textOf(file);
      if (entryText === undefined) {
        return undefined;
      }
      if (step.removeItems) {
        const indexes = entry.value.kind === 'array' ? itemsToRemove(entry.value.items, step.removeItems) : undefined;
        if (indexes?.length === 0) {
          return { kind: 'nothing' };
        }
        if (!indexes || !renderer.removeItems || entry.value.provenance !== 'explicit') {
          return undefined;
        }
        const edits = renderer.removeItems(entryText, entry, indexes, file);
        return edits ? { kind: 'edits', edits, isExplicit: true } : undefined;
      }
      if (step.set && (step.set.ifMissing === true || isAlready(entry, step.set.value))) {
        return { kind: 'nothing' };
      }
      const edits = step.set ? renderer.replaceValue(entryText, entry, step.set.value, file) : renderer.remove(entryText, entry, file);
      // Replacing a value that came from a variable changes more than this resource: never preferred.
      return edits ? { kind: 'edits', edits, isExplicit: !step.set || entry.value.provenance === 'explicit' } : undefined;
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

/** Whether a list item (or a field of an entry) is the scalar `value` (compared as text, as conditions compare). */
function isScalar(value: Value | undefined, expected: Scalar): boolean {
  return value?.kind === 'scalar' && String(value.value) === String(expected);
}

/**
 * Plans an `addItem` step: where an entry with the same key exists, its other fields are set (replaced or inserted);
 * where none does, the entry is appended to the list (a new Terraform block after the others of its name, an item at the
 * end of a list, or a new list holding it). `nothing` when the list holds the entry already; undefined when the block
 * holding the list is missing, or an entry's key (or a scalar list's item) is not known, since it might be this one.
 */
function planAddItem(
  which: NonNullable<FixStep['addItem']>,
  ctx: FixContext,
  renderer: FixRenderer,
  root: ObjectValue,
): StepPlan | undefined {
  const segments = [...splitPath(which.path)];
  const key = segments.pop();
  let object: ObjectValue | undefined = root;
  for (const segment of segments) {
    const candidates: Entry[] = object.entries.filter((e) => e.key === segment);
    const next: Value | undefined = candidates.length === 1 ? candidates[0]!.value : undefined;
    object = next?.kind === 'object' ? next : undefined;
    if (!object) {
      return undefined;
    }
  }
  if (key === undefined || !object) {
    return undefined;
  }
  const entries = object.entries.filter((e) => e.key === key);
  const items: Value[] = [];
  for (const entry of entries) {
    if (entry.value.kind === 'array') {
      items.push(...entry.value.items);
    } else if (entry.value.kind === 'object' && entry.isBlock) {
      items.push(entry.value);
    } else {
      return undefined; // a list from an expression (or a dynamic block): its entries are unknown
    }
  }
  const item = which.value;
  const fields = item !== null && typeof item === 'object' ? item : undefined;
  if (fields) {
    const id = which.key === undefined ? undefined : fields[which.key];
    if (id === undefined) {
      return undefined; // an entry is found by its key
    }
    let found: ObjectValue | undefined;
    for (const candidate of items) {
      const name = candidate.kind === 'object' ? candidate.entries.find((e) => e.key === which.key)?.value : undefined;
      if (name?.kind !== 'scalar') {
        return undefined;
      }
      if (!found && isScalar(name, id)) {
        found = candidate as ObjectValue;
      }
    }
    if (found) {
      return planFields(found, fields, which.key!, ctx, renderer);
    }
  } else {
    if (items.some((i) => i.kind !== 'scalar')) {
      return undefined;
    }
    if (items.some((i) => isScalar(i, item as Scalar))) {
      return { kind: 'nothing' };
    }
  }
  const text = ctx.textOf(object.file);
  if (text === undefined) {
    return undefined;
  }
  let edits: TextEdit[] | undefined;
  const list = entries.length === 1 && entries[0]!.value.kind === 'array' ? entries[0] : undefined;
  if (list) {
    edits = list.value.provenance === 'explicit' ? renderer.appendItem?.(text, list, item, list.value.file) : undefined;
  } else if (fields && renderer.addRepeatedBlock && (entries.length > 0 || object.block)) {
    edits = renderer.addRepeatedBlock(text, object, key, fields, entries[entries.length - 1], object.file);
  } else if (entries.length === 0 && object.block) {
    // A new list holding the entry (a template's list of mappings is written the same way).
    return { kind: 'insert', object, setting: { segments: [key], value: [item as Scalar] } };
  }
  return edits ? { kind: 'edits', edits, isExplicit: true } : undefined;
}

/** Sets the fields of an existing entry (all but its key) to the entry's values: replaced where they differ, inserted where absent. */
function planFields(
  entry: ObjectValue,
  fields: Record<string, Scalar>,
  key: string,
  ctx: FixContext,
  renderer: FixRenderer,
): StepPlan | undefined {
  const edits: TextEdit[] = [];
  let isExplicit = true;
  const missing: InsertSetting[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const field = entry.entries.find((e) => e.key === name);
    if (name === key || (field && isAlready(field, value))) {
      continue;
    }
    if (!field) {
      missing.push({ segments: [name], value });
      continue;
    }
    const text = ctx.textOf(field.value.file);
    const replaced = text === undefined ? undefined : renderer.replaceValue(text, field, value, field.value.file);
    if (!replaced) {
      return undefined;
    }
    edits.push(...replaced);
    isExplicit &&= field.value.provenance === 'explicit';
  }
  if (missing.length > 0) {
    const text = ctx.textOf(entry.file);
    const inserted = text === undefined || !entry.block ? undefined : renderer.insert(text, entry, missing, entry.file);
    if (!inserted) {
      return undefined;
    }
    edits.push(...inserted);
  }
  return edits.length === 0 ? { kind: 'nothing' } : { kind: 'edits', edits, isExplicit };
}

/**
 * Plans and renders a fix: its `set` or `remove`, then the steps of `also`, as one edit of the file (settings that go
 * into the same block are inserted together, a missing nested block written once); undefined when the model or the
 * syntax leaves no safe edit for a step, or when the fix's own step would change nothing.
 */
export function planFix(intent: FixIntent, ctx: FixContext): Fix | undefined {
  if (intent.add) {
    return planCompanion(intent, intent.add, ctx);
  }
  if (intent.removeEach) {
    return ctx.renderer && ctx.subject.value.kind === 'object' ? planRemoveEach(intent, ctx, ctx.renderer) : undefined;
  }
  if (intent.moveToSecretInput) {
    return planSecretInput(intent, intent.moveToSecretInput, ctx);
  }
  if (intent.accountPrincipal) {
    return planAccountPrincipal(intent, ctx);
  }
  const steps = stepsOf(intent, ctx.resource);
  if (steps === undefined) {
    return undefined;
  }
  const planned = planSteps(steps, ctx);
  return planned ? { title: titleOf(intent), edits: planned.edits, isSafe: intent.preferred === true && planned.isExplicit } : undefined;
}

/** The titles of intents without their own, and the steps of intents that name no setting of the resource (rules never change). */
const defaultTitles = new WeakMap<FixIntent, string>();
const plainSteps = new WeakMap<FixIntent, PlannedStep[] | null>();

/** An intent's title, or the one {@link defaultTitle} describes it by. */
function titleOf(intent: FixIntent): string {
  if (intent.title !== undefined) {
    return intent.title;
  }
  let title = defaultTitles.get(intent);
  if (title === undefined) {
    title = defaultTitle(intent);
    defaultTitles.set(intent, title);
  }
  return title;
}

/** The intent's step and those of `also`, with the resource's settings written in (see {@link withAttributes}). */
function stepsOf(intent: FixIntent, resource: Resource): PlannedStep[] | undefined {
  let steps = plainSteps.get(intent);
  if (steps === undefined) {
    const all = [intent, ...(intent.also ?? [])];
    steps = all.some((step) => typeof step.set?.value === 'string' && step.set.value.includes('{attribute:')) ? null : all;
    plainSteps.set(intent, steps);
  }
  if (steps !== null) {
    return steps;
  }
  const written = [intent, ...(intent.also ?? [])].map((step) => withAttributes(step, resource));
  return written.some((step) => step === undefined) ? undefined : (written as PlannedStep[]);
}

/** `{attribute:NAME}` in a value a fix sets: the resource's own setting NAME (a GKE workload pool named after its `project`). */
const ATTRIBUTE = /\{attribute:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A step whose `set` value names the resource's settings (`{attribute:project}.svc.id.goog`), with those written in:
 * undefined when one is not a string written in place on the resource (a variable's value would be copied, not
 * referred to), so no fix is offered there.
 */
function withAttributes(step: FixStep, resource: Resource): PlannedStep | undefined {
  const value = step.set?.value;
  if (typeof value !== 'string' || !value.includes('{attribute:')) {
    return step;
  }
  let isKnown = true;
  const written = value.replace(ATTRIBUTE, (_, name: string) => {
    const entry = resource.body.entries.find((e) => e.key === name);
    const v = entry?.value;
    if (v?.kind !== 'scalar' || typeof v.value !== 'string' || v.provenance !== 'explicit' || v.value === '') {
      isKnown = false;
      return '';
    }
    return v.value;
  });
  return isKnown ? { ...step, set: { ...step.set!, value: written } } : undefined;
}

/**
 * Plans steps on the resource as one edit; undefined when a step has no safe edit, when the first step would change
 * nothing, or when the edits overlap. `isExplicit`: every replaced value was written in place (not from a variable).
 */
function planSteps(steps: PlannedStep[], ctx: FixContext): { edits: TextEdit[]; isExplicit: boolean } | undefined {
  const renderer = ctx.renderer;
  const root = ctx.subject.value;
  if (!renderer || root.kind !== 'object') {
    return undefined;
  }
  const plans: StepPlan[] = [];
  for (const step of steps) {
    const plan = planStep(step, ctx, renderer, root);
    if (!plan) {
      return undefined;
    }
    plans.push(plan);
  }
  // Removing items from several lists (`0.0.0.0/0` from one, `::/0` from another) is one fix when any list has some.
  const isChanging = steps[0]?.removeItems ? plans.some((p) => p.kind !== 'nothing') : plans[0]?.kind !== 'nothing';
  if (!isChanging) {
    return undefined;
  }
  const edits: TextEdit[] = [];
  let isExplicit = true;
  let inserts: Map<ObjectValue, InsertSetting[]> | undefined;
  for (const plan of plans) {
    if (plan.kind === 'edits') {
      edits.push(...plan.edits);
      isExplicit &&= plan.isExplicit;
    } else if (plan.kind === 'insert') {
      inserts ??= new Map();
      inserts.set(plan.object, [...(inserts.get(plan.object) ?? []), plan.setting]);
    }
  }
  const removals = inserts === undefined ? edits : [...edits];
  for (const [object, settings] of inserts ?? []) {
    const text = ctx.textOf(object.file);
    const inserted = text === undefined ? undefined : renderer.insert(text, object, settings, object.file);
    if (!inserted) {
      return undefined;
    }
    edits.push(...inserted.map((edit) => pastRemovedLine(edit, removals, text!)));
  }
  if (edits.length === 0 || nonOverlapping(edits).length !== edits.length) {
    return undefined;
  }
  return { edits, isExplicit };
}

/**
 * An insertion written at the end of a line (`\nkey: v` before the line's break) that a removal of that whole line
 * swallows (the last pair of a YAML mapping, say) is the same text inserted at the start of the next line
 * (`key: v\n` after the break), where it touches the removal instead of overlapping it.
 */
function pastRemovedLine(edit: TextEdit, removals: readonly TextEdit[], text: string): TextEdit {
  const at = edit.span.start;
  const eol = text.startsWith('\r\n', at) ? '\r\n' : text.startsWith('\n', at) ? '\n' : undefined;
  // The edit's text is read last: a lazy edit's text is written only when a removal may swallow it.
  if (edit.span.end !== at || eol === undefined) {
    return edit;
  }
  const swallowing = removals.some((r) => r.file === edit.file && r.span.start < at && at + eol.length === r.span.end);
  if (!swallowing || !edit.newText.startsWith(eol)) {
    return edit;
  }
  return { ...edit, span: { start: at + eol.length, end: at + eol.length }, newText: edit.newText.slice(eol.length) + eol };
}

/**
 * Plans the removal of the node a target's `each` selected: a nested block or a mapping's key is removed as an
 * attribute, a list item as an item of its list; undefined when the node is not written where its entry is (an item
 * of a list built by an expression, a branch of a choice).
 */
function planRemoveEach(intent: FixIntent, ctx: FixContext, renderer: FixRenderer): Fix | undefined {
  const entry = ctx.subject.chain[ctx.subject.chain.length - 1];
  const file = entry?.value.file;
  const text = file === undefined ? undefined : ctx.textOf(file);
  if (!entry || file === undefined || text === undefined) {
    return undefined;
  }
  let edits: TextEdit[] | undefined;
  if (entry.value === ctx.subject.value) {
    edits = renderer.remove(text, entry, file);
  } else if (entry.value.kind === 'array' && entry.value.provenance === 'explicit') {
    const index = entry.value.items.indexOf(ctx.subject.value);
    const removal = index >= 0 ? renderer.removeItems?.(text, entry, [index], file) : undefined;
    // An empty edit at the list's key makes two such removals from one list overlap, so fix-all takes one per pass
    // and the last item's removal, planned on the list left, writes the empty list its style needs.
    edits = removal && [{ file, span: { start: entry.keySpan.start, end: entry.keySpan.start }, newText: '' }, ...removal];
  }
  return edits && edits.length > 0 ? { title: intent.title ?? 'Remove this entry', edits, isSafe: intent.preferred === true } : undefined;
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

/**
 * Plans a fix that adds a companion resource after the resource (only where the evaluator says one may be added); for
 * a companion the resource refers to, with the setting that refers to it and the fix's `also` steps, in one edit.
 */
function planCompanion(intent: FixIntent, companion: CompanionIntent, ctx: FixContext): Fix | undefined {
  const text = ctx.textOf(ctx.resource.file);
  if (!ctx.renderer?.addResource || text === undefined || ctx.canAddCompanion?.(companion) !== true) {
    return undefined;
  }
  const type = companion.type;
  const isTaken = (name: string) => ctx.isNameTaken?.(type, name) ?? true;
  const added = ctx.renderer.addResource(text, ctx.resource, companion, ctx.resource.file, isTaken);
  if (!added) {
    return undefined;
  }
  const title = titleOf(intent);
  const isSafe = intent.preferred === true;
  if (!companion.reference) {
    return { title, edits: added.edits, isSafe };
  }
  if (!added.reference) {
    return undefined;
  }
  const planned = planSteps([{ set: { path: companion.reference.path, value: added.reference } }, ...(intent.also ?? [])], ctx);
  if (!planned) {
    return undefined;
  }
  const edits = joinInsertions([...planned.edits, ...added.edits]);
  if (nonOverlapping(edits).length !== edits.length) {
    return undefined;
  }
  return { title, edits, isSafe: isSafe && planned.isExplicit };
}

/**
 * Plans moving the secret the finding points at into a new input: the value (a string written in place in the
 * resource's file, as one literal) is replaced by a reference to the input the renderer declares, in one edit.
 */
function planSecretInput(intent: FixIntent, input: SecretInputIntent, ctx: FixContext): Fix | undefined {
  const blame = ctx.blame;
  const renderer = ctx.renderer;
  const entry = blame?.kind === 'value' ? blame.hit.chain[blame.hit.chain.length - 1] : undefined;
  const value = entry?.value;
  const file = ctx.resource.file;
  const text = ctx.textOf(file);
  if (
    !entry ||
    !renderer?.addSecretInput ||
    text === undefined ||
    ctx.canAddInput?.() !== true ||
    blame?.kind !== 'value' ||
    value !== blame.hit.value ||
    value.kind !== 'scalar' ||
    typeof value.value !== 'string' ||
    value.provenance !== 'explicit' ||
    value.file !== file ||
    blame.hit.assumptions !== undefined
  ) {
    return undefined;
  }
  const isTaken = (name: string) => ctx.isInputTaken?.(name) ?? true;
  const added = renderer.addSecretInput(text, ctx.resource, entry, input, file, isTaken);
  const replaced = added && renderer.replaceValue(text, entry, added.reference, file);
  if (!added || !replaced) {
    return undefined;
  }
  const edits = joinInsertions([...replaced, ...added.edits]);
  if (nonOverlapping(edits).length !== edits.length) {
    return undefined;
  }
  return { title: titleOf(intent), edits, isSafe: intent.preferred === true };
}

/**
 * Plans giving policy statements the account itself as their principal instead of everyone: the subject (a statement
 * a target's `each` selected), or, with `statements`, every statement of that list that allows everyone without a
 * `Condition` (a check target's finding blames no statement). See {@link statementToAccount}.
 */
function planAccountPrincipal(intent: FixIntent, ctx: FixContext): Fix | undefined {
  const renderer = ctx.renderer;
  const text = ctx.textOf(ctx.resource.file);
  const config = intent.accountPrincipal;
  if (!renderer?.accountPrincipal || text === undefined || config === undefined || ctx.subject.value.kind !== 'object') {
    return undefined;
  }
  let edits: TextEdit[] | undefined;
  if (config === true) {
    edits = statementToAccount(ctx.subject.value, ctx, renderer, text);
  } else {
    let list: Value | undefined = ctx.subject.value;
    for (const segment of splitPath(config.statements)) {
      const found: Entry[] = list?.kind === 'object' ? list.entries.filter((e) => e.key === segment) : [];
      list = found.length === 1 && found[0]!.value.provenance === 'explicit' ? found[0]!.value : undefined;
    }
    if (list?.kind !== 'array') {
      return undefined;
    }
    edits = [];
    for (const statement of list.items) {
      const entries = statement.kind === 'object' ? statement.entries : [];
      const condition = entries.find((e) => e.key === 'Condition');
      const isUnconditional = condition === undefined || (condition.value.kind === 'object' && condition.value.entries.length === 0);
      const isAllow = entries.some((e) => e.key === 'Effect' && e.value.kind === 'scalar' && e.value.value === 'Allow');
      if (statement.kind === 'object' && isAllow && isUnconditional) {
        edits.push(...(statementToAccount(statement, ctx, renderer, text) ?? []));
      }
    }
  }
  if (!edits || edits.length === 0 || nonOverlapping(edits).length !== edits.length) {
    return undefined;
  }
  return { title: titleOf(intent), edits, isSafe: intent.preferred === true };
}

/**
 * The edits that give one statement the account as its principal: a `Principal: "*"` becomes `{ AWS: <account
 * root> }`, an `AWS: "*"` (or a list of only `"*"`) the account root ARN, and a `"*"` listed beside other principals is
 * removed; undefined where the principal is not everyone or not written in place.
 */
function statementToAccount(statement: ObjectValue, ctx: FixContext, renderer: FixRenderer, text: string): TextEdit[] | undefined {
  const file = ctx.resource.file;
  const written = (entry: Entry | undefined): entry is Entry =>
    entry !== undefined && entry.value.provenance === 'explicit' && entry.value.file === file;
  const isEveryone = (value: Value) => value.kind === 'scalar' && value.value === '*';
  const principals = statement.entries.filter((e) => e.key === 'Principal');
  const principal = principals.length === 1 ? principals[0] : undefined;
  if (!written(principal) || !renderer.accountPrincipal) {
    return undefined;
  }
  if (isEveryone(principal.value)) {
    const whole = renderer.accountPrincipal(text, file, 'principal');
    return whole && renderer.replaceValue(text, principal, whole, file);
  }
  if (principal.value.kind !== 'object') {
    return undefined;
  }
  const aws = principal.value.entries.filter((e) => e.key === 'AWS');
  const entry = aws.length === 1 ? aws[0] : undefined;
  const arn = renderer.accountPrincipal(text, file, 'arn');
  if (!written(entry) || !arn) {
    return undefined;
  }
  const items = entry.value.kind === 'array' ? entry.value.items : undefined;
  if (isEveryone(entry.value) || (items && items.length > 0 && items.every(isEveryone))) {
    return renderer.replaceValue(text, entry, arn, file);
  }
  if (items && items.some(isEveryone) && items.every((item) => item.kind === 'scalar')) {
    const indexes = items.flatMap((item, i) => (isEveryone(item) ? [i] : []));
    return renderer.removeItems?.(text, entry, indexes, file);
  }
  return undefined;
}

/**
 * Joins insertions at the same offset of a file into one edit, in the order given (a setting inserted at the end of a
 * YAML resource, then the companion after it), so that no editor has to guess their order.
 */
function joinInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const isInsertion = edit.span.start === edit.span.end;
    const same = isInsertion
      ? out.find((e) => e.file === edit.file && e.span.start === edit.span.start && e.span.end === edit.span.start)
      : undefined;
    if (same) {
      same.newText += edit.newText;
    } else {
      out.push(fileEdit(edit.file, edit, { ...edit.span }));
    }
  }
  return out;
}
