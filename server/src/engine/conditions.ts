/**
 * Evaluates rule conditions with three-valued logic: `true` (a finding), `false`, or `undefined` (unknown: the
 * model could not resolve a value, so the rule stays silent).
 */
import type { Model, ObjectValue, Resource, Scalar, Value } from '../model/types';
import { WorkCounter } from '../text/workCounter';
import { resolvePath, splitPath, type PathHit, type PathMiss } from './paths';
import { candidatesOf, typeIndexOf, typeMatches } from './typeMatches';
import type { Condition, LeafCondition } from './rule';

/** Three-valued truth: `undefined` is unknown. */
export type Truth = boolean | undefined;

/** Where a true condition points: the offending value, or the place a missing setting belongs. */
export type Blame = { kind: 'value'; hit: PathHit; path: string } | { kind: 'missing'; miss: PathMiss; path: string };

/** The result of a condition: its truth and, when true, where it points. */
export interface ConditionResult {
  truth: Truth;
  blame?: Blame;
}

/** What conditions are evaluated against. */
export interface ConditionScope {
  /** The node paths start from: a resource body or one `each` node. */
  subject: PathHit;
  resource: Resource;
  model: Model;
}

/** The results that carry no blame, shared (results are never modified). */
const FALSE: ConditionResult = Object.freeze({ truth: false });
const TRUE: ConditionResult = Object.freeze({ truth: true });
const UNKNOWN: ConditionResult = Object.freeze({ truth: undefined });

/** The blameless result of a truth. */
function resultOf(truth: Truth): ConditionResult {
  return truth === undefined ? UNKNOWN : truth ? TRUE : FALSE;
}

/** Evaluates a condition in a scope. */
export function evaluateCondition(condition: Condition, scope: ConditionScope): ConditionResult {
  WorkCounter.chargeRule();
  if ('path' in condition) {
    return evaluateLeaf(condition, scope);
  }
  if ('all' in condition) {
    let sawUnknown = false;
    let blame: Blame | undefined;
    for (const c of condition.all) {
      const r = evaluateCondition(c, scope);
      if (r.truth === false) {
        return FALSE;
      }
      if (r.truth === undefined) {
        sawUnknown = true;
      } else {
        blame ??= r.blame;
      }
    }
    return sawUnknown ? UNKNOWN : blame ? { truth: true, blame } : TRUE;
  }
  if ('any' in condition) {
    let sawUnknown = false;
    for (const c of condition.any) {
      const r = evaluateCondition(c, scope);
      if (r.truth === true) {
        return r;
      }
      if (r.truth === undefined) {
        sawUnknown = true;
      }
    }
    return sawUnknown ? UNKNOWN : FALSE;
  }
  if ('not' in condition) {
    const r = evaluateCondition(condition.not, scope);
    return r.truth === undefined ? UNKNOWN : r.truth ? FALSE : TRUE;
  }
  return resultOf(evaluateRelated(condition.related, scope));
}

/** What a leaf needs on every evaluation, worked out once per leaf (rules never change). */
interface LeafPlan {
  /** The operator: the leaf's first key other than `path` and `missing`, else `exists`. */
  op: string;
  segments: readonly string[];
  /** The truth when the path selects nothing (and nothing unknown stood in the way). */
  truthIfAbsent: boolean;
  /** The compiled pattern of `matches` / `notMatches`, once a value has been compared with it. */
  pattern?: RegExp;
}

const leafPlans = new WeakMap<LeafCondition, LeafPlan>();

/** The plan of a leaf (cached per leaf object). */
function planOf(leaf: LeafCondition): LeafPlan {
  let plan = leafPlans.get(leaf);
  if (plan === undefined) {
    const op = Object.keys(leaf).find((k) => k !== 'path' && k !== 'missing') ?? 'exists';
    plan = { op, segments: splitPath(leaf.path), truthIfAbsent: op === 'exists' ? leaf.exists === false : (leaf.missing ?? false) };
    leafPlans.set(leaf, plan);
  }
  return plan;
}

/** Evaluates a leaf: true when any selected value satisfies the operator. */
function evaluateLeaf(leaf: LeafCondition, scope: ConditionScope): ConditionResult {
  const plan = planOf(leaf);
  const op = plan.op;
  const result = resolvePath(scope.subject, plan.segments, plan.truthIfAbsent);
  if (result.hits.length === 0) {
    if (result.isBlockedByUnknown) {
      return UNKNOWN;
    }
    if (!plan.truthIfAbsent) {
      return FALSE;
    }
    const miss = result.miss ?? {
      object: scope.subject.value as ObjectValue,
      chain: scope.subject.chain,
      remaining: [],
      ...(result.emptyListKey ? { emptyListKey: result.emptyListKey } : {}),
    };
    return { truth: true, blame: { kind: 'missing', miss, path: leaf.path } };
  }
  let sawUnknown = false;
  for (const hit of result.hits) {
    const truth = op === 'exists' ? leaf.exists === true : applyOperator(op, leaf, hit.value, plan);
    if (truth === true) {
      return { truth: true, blame: { kind: 'value', hit, path: leaf.path } };
    }
    if (truth === undefined) {
      sawUnknown = true;
    }
  }
  // A branch of a choice (`Fn::If`) that leaves the setting out is missing under its assumption.
  const branchMiss = result.branchMisses[0];
  if (branchMiss && plan.truthIfAbsent) {
    return { truth: true, blame: { kind: 'missing', miss: branchMiss, path: leaf.path } };
  }
  return sawUnknown ? UNKNOWN : FALSE;
}

/** Whether two scalars are equal, comparing across types as Terraform's conversions do. */
export function scalarEquals(a: Scalar, b: Scalar): boolean {
  if (a === b) {
    return true;
  }
  if (a === null || b === null) {
    return false;
  }
  return String(a) === String(b);
}

/** A number from a scalar, or undefined. */
function toNumber(value: Scalar): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** Whether a value is the scalar `expected`; unknown when it cannot be known. */
function valueEquals(value: Value, expected: Scalar): Truth {
  switch (value.kind) {
    case 'unknown':
      return undefined;
    case 'scalar':
      return scalarEquals(value.value, expected);
    default:
      return false;
  }
}

/** Applies a comparison operator to one value. */
function applyOperator(op: string, leaf: LeafCondition, value: Value, plan: LeafPlan): Truth {
  if (value.kind === 'unknown') {
    return undefined;
  }
  switch (op) {
    case 'equals':
      return valueEquals(value, leaf.equals ?? null);
    case 'notEquals': {
      const eq = valueEquals(value, leaf.notEquals ?? null);
      return eq === undefined ? undefined : !eq;
    }
    case 'in':
      return value.kind === 'scalar' ? (leaf.in ?? []).some((x) => scalarEquals(value.value, x)) : false;
    case 'notIn':
      return value.kind === 'scalar' ? !(leaf.notIn ?? []).some((x) => scalarEquals(value.value, x)) : true;
    case 'matches':
      return value.kind === 'scalar' && typeof value.value === 'string'
        ? (plan.pattern ??= new RegExp(leaf.matches ?? '')).test(value.value)
        : false;
    case 'notMatches':
      return value.kind === 'scalar' && typeof value.value === 'string'
        ? !(plan.pattern ??= new RegExp(leaf.notMatches ?? '')).test(value.value)
        : false;
    case 'contains': {
      const expected = leaf.contains ?? null;
      if (value.kind === 'scalar') {
        return typeof value.value === 'string' && typeof expected === 'string' ? value.value.includes(expected) : false;
      }
      if (value.kind === 'array') {
        let sawUnknown = false;
        for (const item of value.items) {
          const eq = valueEquals(item, expected);
          if (eq === true) {
            return true;
          }
          if (eq === undefined) {
            sawUnknown = true;
          }
        }
        return sawUnknown ? undefined : false;
      }
      return false;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const n = value.kind === 'scalar' ? toNumber(value.value) : undefined;
      const limit = leaf[op] ?? 0;
      if (n === undefined) {
        return false;
      }
      return op === 'lt' ? n < limit : op === 'lte' ? n <= limit : op === 'gt' ? n > limit : n >= limit;
    }
    case 'isEmpty': {
      const isEmpty =
        value.kind === 'scalar'
          ? value.value === '' || value.value === null
          : value.kind === 'array'
            ? value.items.length === 0
            : value.entries.length === 0;
      return leaf.isEmpty === false ? !isEmpty : isEmpty;
    }
    default:
      return false;
  }
}

/** The literal names another resource may use to refer to `resource` (e.g. its `bucket` attribute's value). */
export function literalNames(resource: Resource): string[] {
  const names: string[] = [];
  // Terraform's `bucket`/`name`, CloudFormation's `BucketName`/`QueueName`/…, Bicep's `name`.
  for (const e of resource.body.entries) {
    if (/^(bucket|name|id|arn|[A-Z][A-Za-z]*Name)$/.test(e.key) && e.value.kind === 'scalar' && typeof e.value.value === 'string') {
      names.push(e.value.value);
    }
  }
  return names;
}

/** Whether a reference names the resource at `address` (the address itself or an attribute of it). */
export function namesAddress(reference: string, address: string): boolean {
  return reference === address || reference.startsWith(`${address}.`) || reference.startsWith(`${address}[`);
}

const addressCache = new WeakMap<Model, Map<string, Set<string>>>();

/** The addresses of the resources of one module of a model (cached per model). */
export function addressesOf(model: Model, modulePath: string[]): Set<string> {
  let byModule = addressCache.get(model);
  if (!byModule) {
    byModule = new Map();
    for (const r of model.resources) {
      const key = r.modulePath.join('/');
      let set = byModule.get(key);
      if (!set) {
        set = new Set();
        byModule.set(key, set);
      }
      set.add(r.address);
    }
    addressCache.set(model, byModule);
  }
  return byModule.get(modulePath.join('/')) ?? new Set();
}

/** The addresses a reference could name: its first one, two and three dotted segments. */
export function referencedAddresses(reference: string): string[] {
  const segments = reference.split(/[.[]/);
  return [1, 2, 3].filter((n) => n <= segments.length).map((n) => segments.slice(0, n).join('.'));
}

const viaCache = new WeakMap<Resource, Map<string, ReturnType<typeof resolvePath>>>();

/**
 * What a resource's attribute `via` holds, resolved once per resource and path: a `related` condition asks every
 * resource of its type about every resource the rule visits, so the same resolution would otherwise repeat n times.
 */
function viaOf(other: Resource, via: string): ReturnType<typeof resolvePath> {
  let byVia = viaCache.get(other);
  if (!byVia) {
    byVia = new Map();
    viaCache.set(other, byVia);
  }
  let result = byVia.get(via);
  if (!result) {
    result = resolvePath({ value: other.body, chain: [] }, splitPath(via));
    byVia.set(via, result);
  }
  return result;
}

/** Whether `other`'s attribute `via` refers to `resource`: true, false, or unknown (cannot tell). */
function refersTo(other: Resource, via: string, resource: Resource, model: Model): Truth {
  // A Bicep child declared inside its parent has no `parent:` property: its nesting is the reference.
  if (via === 'parent' && other.format === 'bicep' && other.address.startsWith(`${resource.address}::`)) {
    return true;
  }
  const result = viaOf(other, via);
  if (result.hits.length === 0) {
    return result.isBlockedByUnknown ? undefined : false;
  }
  let sawUnknown = false;
  for (const hit of result.hits) {
    const value = hit.value;
    if (value.kind === 'scalar') {
      if (typeof value.value === 'string' && literalNames(resource).includes(value.value)) {
        return true;
      }
      continue;
    }
    if (value.kind === 'unknown') {
      if (value.references.some((r) => namesAddress(r, resource.address))) {
        return true;
      }
      // A reference to another resource of the module is definitely not this one; anything else (a variable, a
      // module output) might be.
      const addresses = addressesOf(model, resource.modulePath);
      const pointsElsewhere = value.references.some((r) => referencedAddresses(r).some((a) => addresses.has(a)));
      if (!pointsElsewhere) {
        sawUnknown = true;
      }
    }
  }
  return sawUnknown ? undefined : false;
}

/** One-pattern lists by type, so the type index's per-list cache serves `related` too. */
const singlePatterns = new Map<string, string[]>();

/**
 * The resources of one related type in a model, by what their `via` attribute could name, so that a `related`
 * condition visits only the resources that may refer to the one at hand instead of all of them (which made a
 * template of n buckets cost n² with a rule relating buckets to buckets).
 */
export interface RelatedIndex {
  /** By module path and name key (an address prefix or a literal name): resources whose `via` names it. */
  naming: Map<string, Resource[]>;
  /** By module path: resources whose `via` may name any resource (an unknown value), in model order. */
  uncertain: Map<string, Resource[]>;
}

const relatedIndexCache = new WeakMap<Model, Map<string, RelatedIndex>>();

/** The keys under which a reference names an address: every prefix ending where a `.` or `[` begins, and itself. */
function referenceKeys(reference: string): string[] {
  const keys = [reference];
  for (let i = 0; i < reference.length; i++) {
    const c = reference[i];
    if (c === '.' || c === '[') {
      keys.push(reference.slice(0, i));
    }
  }
  return keys;
}

/** The related index of `type` and `via` in a model, built once per model. */
export function relatedIndexOf(model: Model, type: string, via: string): RelatedIndex {
  let byKey = relatedIndexCache.get(model);
  if (!byKey) {
    byKey = new Map();
    relatedIndexCache.set(model, byKey);
  }
  const cacheKey = `${type}\u0000${via}`;
  let index = byKey.get(cacheKey);
  if (index) {
    return index;
  }
  index = { naming: new Map(), uncertain: new Map() };
  let patterns = singlePatterns.get(type);
  if (!patterns) {
    patterns = [type];
    singlePatterns.set(type, patterns);
  }
  const add = (map: Map<string, Resource[]>, key: string, other: Resource): void => {
    const list = map.get(key);
    if (!list) {
      map.set(key, [other]);
    } else if (list[list.length - 1] !== other) {
      list.push(other);
    }
  };
  for (const other of candidatesOf(typeIndexOf(model.resources), patterns)) {
    WorkCounter.chargeRule();
    if (!typeMatches(type, other.type, other.format)) {
      continue;
    }
    const module = other.modulePath.join('/');
    if (via === 'parent' && other.format === 'bicep') {
      // A nested Bicep child names each resource it is declared inside (see `refersTo`).
      const parts = other.address.split('::');
      for (let n = 1; n < parts.length; n++) {
        add(index.naming, `${module}\u0000${parts.slice(0, n).join('::')}`, other);
      }
    }
    const result = viaOf(other, via);
    let isUncertain = result.hits.length === 0 && result.isBlockedByUnknown;
    for (const hit of result.hits) {
      const value = hit.value;
      if (value.kind === 'scalar' && typeof value.value === 'string') {
        add(index.naming, `${module}\u0000=${value.value}`, other);
      } else if (value.kind === 'unknown') {
        for (const reference of value.references) {
          for (const key of referenceKeys(reference)) {
            add(index.naming, `${module}\u0000${key}`, other);
          }
        }
        const addresses = addressesOf(model, other.modulePath);
        isUncertain ||= !value.references.some((r) => referencedAddresses(r).some((a) => addresses.has(a)));
      }
    }
    if (isUncertain) {
      add(index.uncertain, module, other);
    }
  }
  byKey.set(cacheKey, index);
  return index;
}

/**
 * Evaluates `related`: some resource of `type` in the same module refers to this one (and satisfies `where`). Only
 * the resources the related index says may refer to this one are visited; `refersTo` decides for each.
 */
function evaluateRelated(related: { type: string; via: string; where?: Condition }, scope: ConditionScope): Truth {
  const resource = scope.resource;
  const index = relatedIndexOf(scope.model, related.type, related.via);
  const candidates = relatedCandidates(index, resource);
  let sawUnknown = false;
  for (const other of candidates) {
    WorkCounter.chargeRule();
    if (other === resource) {
      continue;
    }
    const refers = refersTo(other, related.via, resource, scope.model);
    if (refers === false) {
      continue;
    }
    const where = related.where ? whereTruth(related.where, other, scope.model) : true;
    if (refers === true && where === true) {
      return true;
    }
    if (where !== false) {
      sawUnknown = true;
    }
  }
  return sawUnknown ? undefined : false;
}

/** A resource's keys in a related index: its address and its literal names, in its module (cached per resource). */
const namingKeysCache = new WeakMap<Resource, { module: string; keys: string[] }>();

function namingKeysOf(resource: Resource): { module: string; keys: string[] } {
  let naming = namingKeysCache.get(resource);
  if (naming === undefined) {
    const module = resource.modulePath.join('/');
    const keys = [resource.address, ...literalNames(resource).map((name) => `=${name}`)].map((key) => `${module}\u0000${key}`);
    naming = { module, keys };
    namingKeysCache.set(resource, naming);
  }
  return naming;
}

const NO_RESOURCES: readonly Resource[] = Object.freeze([]);

/**
 * The resources of a related index that may refer to `resource`: those naming it (by each of its keys in turn), then
 * those that may name any resource, each once, in that order. Where one list holds them all, that list itself.
 */
export function relatedCandidates(index: RelatedIndex, resource: Resource): Iterable<Resource> {
  const naming = namingKeysOf(resource);
  let only: readonly Resource[] | undefined;
  let lists = 0;
  for (const key of naming.keys) {
    const list = index.naming.get(key);
    if (list !== undefined) {
      only = list;
      lists++;
    }
  }
  const uncertain = index.uncertain.get(naming.module);
  if (uncertain !== undefined) {
    only = uncertain;
    lists++;
  }
  if (lists <= 1) {
    // One list holds each resource once already.
    return only ?? NO_RESOURCES;
  }
  const candidates = new Set<Resource>();
  for (const key of naming.keys) {
    for (const other of index.naming.get(key) ?? NO_RESOURCES) {
      candidates.add(other);
    }
  }
  for (const other of uncertain ?? NO_RESOURCES) {
    candidates.add(other);
  }
  return candidates;
}

const whereCache = new WeakMap<Condition, WeakMap<Resource, Truth>>();

/** A `related` condition's `where` on another resource: it depends on that resource alone, so it is cached. */
function whereTruth(where: Condition, other: Resource, model: Model): Truth {
  let byResource = whereCache.get(where);
  if (!byResource) {
    byResource = new WeakMap();
    whereCache.set(where, byResource);
  }
  if (byResource.has(other)) {
    return byResource.get(other);
  }
  const truth = evaluateCondition(where, { subject: { value: other.body, chain: [] }, resource: other, model }).truth;
  byResource.set(other, truth);
  return truth;
}
