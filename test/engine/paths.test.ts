/**
 * Rule paths through model values: the shortcut for plain objects gives what the general walk gives (hits with their
 * chains, the miss a fix inserts at, choices and their assumptions, unknowns in the way) and counts the same steps;
 * asked for no miss, it gives the same but for a plain miss, which it reports as unreached without building it.
 */
import * as assert from 'node:assert/strict';
import { resolveFrom, resolvePath, splitPath, UNREACHED } from '../../server/src/engine/paths';
import type { Entry, ObjectValue, Value } from '../../server/src/model/types';
import { WorkCounter } from '../../server/src/text/workCounter';
import { prng } from '../parse/hcl/prng';

const KEYS = ['a', 'b', 'c'];

describe('rule paths', () => {
  it('resolve alike with and without the shortcut over random values (lists, repeated blocks, choices, unknowns)', () => {
    const random = prng(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let offset = 0;
    const span = () => ({ start: offset, end: ++offset });
    const valueOf = (depth: number): Value => {
      const r = random();
      const base = { span: span(), file: '/f.tf', provenance: 'explicit' as const };
      if (depth > 4 || r < 0.15) {
        return { ...base, kind: 'scalar', value: pick(['x', 1, true, null]) };
      }
      if (r < 0.25) {
        return { ...base, kind: 'array', items: Array.from({ length: Math.floor(random() * 3) }, () => valueOf(depth + 1)) };
      }
      if (r < 0.3) {
        return { ...base, kind: 'unknown', references: [] };
      }
      if (r < 0.35) {
        const alternatives = [{ assumption: 'P', value: valueOf(depth + 1) }, random() < 0.5 ? { assumption: 'not P' } : { assumption: 'not P', value: valueOf(depth + 1) }];
        return { ...base, kind: 'unknown', references: [], alternatives };
      }
      return objectOf(depth);
    };
    const objectOf = (depth: number): ObjectValue => {
      const entries: Entry[] = Array.from({ length: Math.floor(random() * 4) }, () => ({
        key: pick(KEYS),
        keySpan: span(),
        span: span(),
        value: valueOf(depth + 1),
        isBlock: random() < 0.5,
      }));
      return { span: span(), file: '/f.tf', provenance: 'explicit', kind: 'object', entries };
    };
    let shortcuts = 0;
    let unreached = 0;
    for (let i = 0; i < 5000; i++) {
      const body = objectOf(0);
      const path = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick([...KEYS, '*'])).join('.');
      const start = { value: body, chain: [] };
      WorkCounter.rules = 0;
      const fast = resolvePath(start, splitPath(path));
      const fastSteps = WorkCounter.rules;
      WorkCounter.rules = 0;
      const full = resolveFrom(start, splitPath(path), 0);
      assert.deepEqual(fast, full, path);
      assert.equal(fastSteps, WorkCounter.rules, path);
      // Without the miss: the same result, or "unreached" exactly where the walk found a plain miss and nothing else.
      WorkCounter.rules = 0;
      const missless = resolvePath(start, splitPath(path), false);
      assert.equal(WorkCounter.rules, fastSteps, path);
      if (missless === UNREACHED) {
        unreached++;
        assert.deepEqual(full.hits, [], path);
        assert.equal(full.isBlockedByUnknown, false, path);
        assert.ok(full.miss !== undefined && full.branchMisses.length === 0 && full.emptyListKey === undefined, path);
      } else {
        assert.deepEqual(missless, full, path);
      }
      if (fast.hits.length === 1 && fast.hits[0]!.chain.length > 0) {
        shortcuts++;
      }
    }
    assert.ok(shortcuts > 500, `${shortcuts} single hits`);
    assert.ok(unreached > 500, `${unreached} unreached`);
  });

  it('points a missing setting at the deepest object on the way', () => {
    const object = (entries: Entry[]): ObjectValue => ({ span: { start: 0, end: 1 }, file: '/f.tf', provenance: 'explicit', kind: 'object', entries });
    const versioning = object([]);
    const entry: Entry = { key: 'versioning', keySpan: { start: 2, end: 12 }, span: { start: 2, end: 20 }, value: versioning, isBlock: true };
    const result = resolvePath({ value: object([entry]), chain: [] }, splitPath('versioning.enabled'));
    assert.deepEqual(result.hits, []);
    assert.equal(result.miss?.object, versioning);
    assert.deepEqual(result.miss?.chain, [entry]);
    assert.deepEqual(result.miss?.remaining, ['enabled']);
  });
});
