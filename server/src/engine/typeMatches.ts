/**
 * Matching resource types (and API versions) against the type patterns of rule targets and `related` conditions.
 */
import type { Resource } from '../model/types';

/**
 * Whether a resource type matches a target's pattern (exact, or a prefix ending in `*`). Azure resource types are
 * case-insensitive (`networkWatchers/FlowLogs` is `networkWatchers/flowLogs`); Terraform and CloudFormation types
 * are not.
 */
export function typeMatches(pattern: string, type: string, format: Resource['format'] = 'terraform'): boolean {
  const p = format === 'bicep' ? pattern.toLowerCase() : pattern;
  const t = format === 'bicep' ? type.toLowerCase() : type;
  return p.endsWith('*') ? t.startsWith(p.slice(0, -1)) : p === t;
}

/**
 * Whether a resource's API version is inside a target's `apiVersions` range: it states one (Bicep
 * `@2018-02-01-preview`) whose date is earlier than `before`. Without a range every resource is inside.
 */
export function apiVersionMatches(range: { before: string } | undefined, apiVersion: string | undefined): boolean {
  if (!range) {
    return true;
  }
  const date = /^\d{4}-\d{2}-\d{2}/.exec(apiVersion ?? '')?.[0];
  return date !== undefined && date < range.before;
}

/** A model's resources grouped by lower-cased type, so rules find their resources without scanning all of them. */
export interface TypeIndex {
  resources: readonly Resource[];
  byType: Map<string, Resource[]>;
  /** Each resource's position in the model, to keep the model's order when several types are merged. */
  order: Map<Resource, number>;
}

const indexCache = new WeakMap<readonly Resource[], TypeIndex>();

/**
 * The type index of a list of resources, built once per list (and again if the list has grown since), so that a
 * model of n resources and r rules costs about n + r lookups instead of n × r type comparisons.
 */
export function typeIndexOf(resources: readonly Resource[]): TypeIndex {
  const cached = indexCache.get(resources);
  if (cached && cached.order.size === resources.length) {
    return cached;
  }
  const index: TypeIndex = { resources, byType: new Map(), order: new Map() };
  resources.forEach((r, i) => {
    index.order.set(r, i);
    const key = r.type.toLowerCase();
    const list = index.byType.get(key);
    if (list) {
      list.push(r);
    } else {
      index.byType.set(key, [r]);
    }
  });
  indexCache.set(resources, index);
  return index;
}

/**
 * The resources whose type may match one of the patterns, in the model's order: a superset (case is ignored here)
 * that callers still filter with {@link typeMatches}. A prefix pattern (`aws_*`) yields every resource.
 */
export function candidatesOf(index: TypeIndex, patterns: readonly string[]): readonly Resource[] {
  const keys = keysOf(patterns);
  if (keys === undefined) {
    return index.resources;
  }
  let only: Resource[] | undefined;
  let lists = 0;
  for (const key of keys) {
    const list = index.byType.get(key);
    if (list) {
      only = list;
      lists++;
    }
  }
  if (lists <= 1) {
    return only ?? [];
  }
  const merged = keys.flatMap((k) => index.byType.get(k) ?? []);
  return merged.sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

const keysCache = new WeakMap<readonly string[], readonly string[] | undefined>();

/** The distinct lower-cased types a list of patterns names, or undefined when one is a prefix (cached per list). */
function keysOf(patterns: readonly string[]): readonly string[] | undefined {
  if (keysCache.has(patterns)) {
    return keysCache.get(patterns);
  }
  const keys = patterns.some((p) => p.endsWith('*')) ? undefined : [...new Set(patterns.map((p) => p.toLowerCase()))];
  keysCache.set(patterns, keys);
  return keys;
}
