/**
 * Resolves rule paths (`versioning.enabled`, `ingress.*.cidr_blocks`) against model values.
 *
 * Lists and repeated blocks are traversed implicitly; `*` selects every key or item. Resolution remembers the chain
 * of entries that led to each value (for finding anchors and suppressions) and, when nothing matched, the deepest
 * object that exists on the way (where a finding about a missing setting points and where a fix inserts it).
 */
import type { Entry, ObjectValue, Value } from '../model/types';
import { WorkCounter } from '../text/workCounter';

/** One value a path reached, with the entries walked to reach it (outermost first). */
export interface PathHit {
  value: Value;
  chain: Entry[];
  /** The assumptions under which the value is reached, when it lies in a branch of a choice (`Fn::If`). */
  assumptions?: string[];
}

/** The deepest existing object on a path that selected nothing, and the segments still missing below it. */
export interface PathMiss {
  object: ObjectValue;
  chain: Entry[];
  remaining: string[];
  /** For a miss in a branch of a choice (`Fn::If`), the assumptions under which the setting is missing. */
  assumptions?: string[];
  /** The key of an empty list the path ran into (`ClusterSettings: []`): where a finding about the miss points. */
  emptyListKey?: Entry;
}

/** The outcome of resolving one path. */
export interface PathResult {
  hits: PathHit[];
  /** Whether an unknown value stood in the way (the path may exist but cannot be seen). */
  isBlockedByUnknown: boolean;
  /** Set when there are no hits: the deepest place reached. */
  miss: PathMiss | undefined;
  /**
   * Where the path selects nothing in a branch of a choice (an object in the branch lacks the key, or the branch is
   * `AWS::NoValue`) although other branches may select something: the setting is missing under that assumption.
   */
  branchMisses: PathMiss[];
  /** Set when there are no hits and no object lacks the key: the key of the deepest empty list the path ran into. */
  emptyListKey: Entry | undefined;
}

/** The segments of the rule paths split so far: rules are few and evaluated on every resource of their types. */
const splitPaths = new Map<string, readonly string[]>();

/** Splits a rule path into segments (shared and frozen: callers copy before changing them). */
export function splitPath(path: string): readonly string[] {
  let segments = splitPaths.get(path);
  if (segments === undefined) {
    segments = Object.freeze(path.split('.').filter((s) => s.length > 0));
    if (splitPaths.size < 10000) {
      splitPaths.set(path, segments);
    }
  }
  return segments;
}

/**
 * The segments of a split path from `from` on, as a new array. A copy by hand: `slice` of a frozen array (every split
 * path is one) takes a generic path many times slower, and a path that misses takes one per resource and rule.
 */
export function segmentsFrom(segments: readonly string[], from: number): string[] {
  const rest: string[] = [];
  for (let i = from; i < segments.length; i++) {
    rest.push(segments[i]!);
  }
  return rest;
}

/** Whether a value is a choice the model could not make (an unknown with the value of each branch). */
function isChoice(value: Value): boolean {
  return value.kind === 'unknown' && value.alternatives !== undefined;
}

/** Expands arrays (recursively) into their items, keeping the chain. */
function flatten(hit: PathHit, out: PathHit[], depth = 0): void {
  if (hit.value.kind === 'array' && depth < 16) {
    for (const item of hit.value.items) {
      flatten(withValue(hit, item), out, depth + 1);
    }
  } else {
    out.push(hit);
  }
}

/** A hit on another value reached the same way. */
function withValue(hit: PathHit, value: Value): PathHit {
  return hit.assumptions ? { value, chain: hit.chain, assumptions: hit.assumptions } : { value, chain: hit.chain };
}

/**
 * Replaces a choice the model could not make (an unknown with `alternatives`) by the value of each of its branches,
 * each under its assumption; a branch that sets nothing (`AWS::NoValue`) contributes nothing.
 */
function expandAlternatives(hit: PathHit, out: PathHit[], depth = 0): void {
  const value = hit.value;
  if (value.kind !== 'unknown' || !value.alternatives || depth >= 16) {
    out.push(hit);
    return;
  }
  for (const alternative of value.alternatives) {
    if (alternative.value) {
      const assumptions = [...(hit.assumptions ?? []), alternative.assumption];
      expandAlternatives({ value: alternative.value, chain: hit.chain, assumptions }, out, depth + 1);
    }
  }
}

/**
 * What {@link resolvePath} returns, when asked for no miss, for a path that selects nothing on plain objects (no list,
 * choice or unknown on the way): no hits, and no miss built (shared; never modified).
 */
export const UNREACHED: PathResult = Object.freeze({
  hits: Object.freeze([]) as unknown as PathHit[],
  isBlockedByUnknown: false,
  miss: undefined,
  branchMisses: Object.freeze([]) as unknown as PathMiss[],
  emptyListKey: undefined,
});

/**
 * Resolves `segments` from `start` (a resource body or an `each` node). With `needsMiss` false, a path that misses on
 * the way through plain objects returns {@link UNREACHED} instead of a result holding its miss (a condition that is
 * false when the setting is absent has no use for where it would go).
 */
export function resolvePath(start: PathHit, segments: readonly string[], needsMiss = true): PathResult {
  // Most paths walk plain objects, one key each (`versioning.enabled`): followed here without the general walk's lists.
  let hit = start;
  let i = 0;
  let chain: Entry[] | undefined;
  for (; i < segments.length && hit.assumptions === undefined && hit.value.kind === 'object'; i++) {
    const segment = segments[i]!;
    if (segment === '*') {
      break;
    }
    let found: Entry | undefined;
    let count = 0;
    for (const e of hit.value.entries) {
      if (e.key === segment) {
        found = e;
        count++;
      }
    }
    if (count > 1 || found?.value.kind === 'unknown') {
      break; // several values, or one that may be a choice: the general walk below
    }
    WorkCounter.chargeRule();
    if (found === undefined) {
      if (!needsMiss) {
        return UNREACHED;
      }
      const miss = { object: hit.value, chain: hit.chain, remaining: segmentsFrom(segments, i) };
      return { hits: [], isBlockedByUnknown: false, miss, branchMisses: [], emptyListKey: undefined };
    }
    // One chain array for the walk (the walk below copies a chain before extending it).
    chain ??= [...hit.chain];
    chain.push(found);
    hit = { value: found.value, chain };
  }
  if (i === segments.length && i > 0 && !isChoice(hit.value)) {
    // Every segment followed: the one hit, as the general walk would return it.
    return { hits: [hit], isBlockedByUnknown: false, miss: undefined, branchMisses: [], emptyListKey: undefined };
  }
  return resolveFrom(hit, segments, i);
}

/**
 * The general walk of {@link resolvePath} from segment `from` on; from 0 it resolves a path without the shortcut for
 * plain objects, with the same result and the same steps counted.
 */
export function resolveFrom(start: PathHit, segments: readonly string[], from: number): PathResult {
  let current: PathHit[] = [start];
  let isBlockedByUnknown = false;
  let miss: PathMiss | undefined;
  let emptyListKey: Entry | undefined;
  const branchMisses: PathMiss[] = [];
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i]!;
    const next: PathHit[] = [];
    const expanded: PathHit[] = [];
    // Most values are plain objects: the choice and list expansions below allocate only when there is one.
    let choices: PathHit[] = current;
    if (current.some((h) => isChoice(h.value))) {
      choices = [];
      for (const hit of current) {
        expandAlternatives(hit, choices);
      }
    }
    for (const hit of choices) {
      WorkCounter.chargeRule();
      if (hit.value.kind === 'array' && hit.value.items.length === 0 && hit.chain.length > 0) {
        emptyListKey = hit.chain[hit.chain.length - 1];
      }
      if (segment === '*' && hit.value.kind === 'array') {
        // `*` on a list selects its items without flattening them again.
        for (const item of hit.value.items) {
          next.push(withValue(hit, item));
        }
        continue;
      }
      if (hit.value.kind === 'array') {
        flatten(hit, expanded);
      } else {
        expanded.push(hit);
      }
    }
    let reached: PathHit[] = expanded;
    if (expanded.some((h) => isChoice(h.value))) {
      reached = [];
      for (const hit of expanded) {
        expandAlternatives(hit, reached);
      }
    }
    for (const hit of reached) {
      const value = hit.value;
      if (value.kind === 'unknown') {
        isBlockedByUnknown = true;
        continue;
      }
      if (value.kind !== 'object') {
        continue;
      }
      let matched: Entry[] = value.entries;
      if (segment !== '*') {
        matched = [];
        for (const e of value.entries) {
          if (e.key === segment) {
            matched.push(e);
          }
        }
      }
      if (matched.length === 0) {
        // Prefer the deepest miss; among equals, the first in source order.
        if (!miss || miss.remaining.length > segments.length - i) {
          miss = { object: value, chain: hit.chain, remaining: segmentsFrom(segments, i) };
        }
        if (hit.assumptions) {
          branchMisses.push({ object: value, chain: hit.chain, remaining: segmentsFrom(segments, i), assumptions: hit.assumptions });
        }
      }
      for (const entry of matched) {
        // A branch that sets nothing (`AWS::NoValue`): under its assumption, the key is not there.
        for (const alternative of entry.value.kind === 'unknown' ? (entry.value.alternatives ?? []) : []) {
          if (!alternative.value) {
            const assumptions = [...(hit.assumptions ?? []), alternative.assumption];
            branchMisses.push({ object: value, chain: [...hit.chain, entry], remaining: segmentsFrom(segments, i), assumptions });
          }
        }
        next.push({ value: entry.value, chain: [...hit.chain, entry], ...(hit.assumptions ? { assumptions: hit.assumptions } : {}) });
      }
    }
    current = next;
    if (current.length === 0) {
      break;
    }
  }
  // A path that ends at a choice selects the value of each branch.
  let hits: PathHit[] = current;
  if (current.some((h) => isChoice(h.value))) {
    hits = [];
    for (const hit of current) {
      expandAlternatives(hit, hits);
    }
  }
  const isMissed = hits.length === 0;
  return {
    hits,
    isBlockedByUnknown,
    miss: isMissed ? miss : undefined,
    branchMisses,
    emptyListKey: isMissed && !miss ? emptyListKey : undefined,
  };
}
