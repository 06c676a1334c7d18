/**
 * The span invariant the robustness suites check on syntax trees and diagnostics: every object with numeric
 * `start`/`end` lies inside the text. Walked with an explicit stack, so a tree as deep as the hostile inputs make it
 * (a 5,000-term binary chain) checks the same on any machine's call stack size.
 */
import * as assert from 'node:assert/strict';

/** Asserts that every object with numeric `start`/`end` reachable from `root` is a valid span of `length`. */
export function checkSpans(root: unknown, length: number): void {
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) {
      continue;
    }
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') {
      const isValid = record.start >= 0 && record.start <= record.end && record.end <= length;
      assert.ok(isValid, `bad span ${record.start}:${record.end}`);
    }
    for (const child of Array.isArray(value) ? value : Object.values(record)) {
      pending.push(child);
    }
  }
}
