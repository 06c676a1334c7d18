/**
 * Resolves rule paths (`versioning.enabled`, `ingress.*.cidr_blocks`) against model values.
 *
 * Lists and repeated blocks are traversed implicitly; `*` selects every key or item. Resolution remembers the chain
 * of entries that led to each value (for finding anchors and suppressions) and, when nothing matched, the deepest
 * object that exists on the way (where a finding about a missing setting points and where a fix inserts it).
 */
import type { Entry, ObjectValue, Value } from '../model/types';

/** One value a path reached, with the entries walked to reach it (outermost first). */
export interface PathHit {
  value: Value;
  chain: Entry[];
}

/** The deepest existing object on a path that selected nothing, and the segments still missing below it. */
export interface PathMiss {
  object: ObjectValue;
  chain: Entry[];
  remaining: string[];
}

/** The outcome of resolving one path. */
export interface PathResult {
  hits: PathHit[];
  /** Whether an unknown value stood in the way (the path may exist but cannot be seen). */
  isBlockedByUnknown: boolean;
  /** Set when there are no hits: the deepest place reached. */
  miss: PathMiss | undefined;
}

/** Splits a rule path into segments. */
export function splitPath(path: string): string[] {
  return path.split('.').filter((s) => s.length > 0);
}

/** Expands arrays (recursively) into their items, keeping the chain. */
function flatten(hit: PathHit, out: PathHit[], depth = 0): void {
  if (hit.value.kind === 'array' && depth < 16) {
    for (const item of hit.value.items) {
      flatten({ value: item, chain: hit.chain }, out, depth + 1);
    }
  } else {
    out.push(hit);
  }
}

/** Resolves `segments` from `start` (a resource body or an `each` node). */
export function resolvePath(start: PathHit, segments: readonly string[]): PathResult {
  let current: PathHit[] = [start];
  let isBlockedByUnknown = false;
  let miss: PathMiss | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next: PathHit[] = [];
    const expanded: PathHit[] = [];
    for (const hit of current) {
      if (segment === '*' && hit.value.kind === 'array') {
        // `*` on a list selects its items without flattening them again.
        for (const item of hit.value.items) {
          next.push({ value: item, chain: hit.chain });
        }
        continue;
      }
      flatten(hit, expanded);
    }
    for (const hit of expanded) {
      const value = hit.value;
      if (value.kind === 'unknown') {
        isBlockedByUnknown = true;
        continue;
      }
      if (value.kind !== 'object') {
        continue;
      }
      const matched = segment === '*' ? value.entries : value.entries.filter((e) => e.key === segment);
      if (matched.length === 0) {
        // Prefer the deepest miss; among equals, the first in source order.
        if (!miss || miss.remaining.length > segments.length - i) {
          miss = { object: value, chain: hit.chain, remaining: segments.slice(i) };
        }
      }
      for (const entry of matched) {
        next.push({ value: entry.value, chain: [...hit.chain, entry] });
      }
    }
    current = next;
    if (current.length === 0) {
      break;
    }
  }
  return { hits: current, isBlockedByUnknown, miss: current.length === 0 ? miss : undefined };
}
