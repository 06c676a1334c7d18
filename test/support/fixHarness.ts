/**
 * Fix-all on in-memory files with one rule set, as the editor and `onus fix` run it: the helpers the fix engine tests
 * share (findings of a file, the fixed text, and the assertion that a fix gives the expected text and holds).
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fixAll';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import type { Finding } from '../../server/src/engine/types';
import { memoryFileSystem } from './memoryFileSystem';

/** Helpers bound to a rule set; a Terraform file is a module with `extra` files beside it. */
export function fixHarness(ruleSet: RuleSet, today = '2026-06-01') {
  const analyse = (file: string, text: string, extra: Record<string, string>) => {
    const analysis = analyzeUnitOf(file, memoryFileSystem({ [file]: text, ...extra }), { rules: ruleSet, today });
    return { findings: analysis.findings, errorCount: analysis.errors.filter((d) => d.file === file && d.severity === 'error').length };
  };

  /** The findings of the rules on one file. */
  function findingsOf(file: string, text: string, extra: Record<string, string> = {}): Finding[] {
    return analyse(file, text, extra).findings;
  }

  /** Fix-all on one file; asserts the input and the fixed text parse; returns the text and what is left. */
  function fixed(file: string, text: string, extra: Record<string, string> = {}): { text: string; remaining: Finding[] } {
    const analyseText = (t: string) => analyse(file, t, extra);
    const first = analyseText(text);
    assert.equal(first.errorCount, 0, 'the input parses');
    const result = fixAll(file, text, first, analyseText);
    assert.equal(result.isStoppedBySyntax, false);
    assert.equal(analyseText(result.text).errorCount, 0, 'the fixed text parses');
    return { text: result.text, remaining: [...result.remaining] };
  }

  /** Asserts the fix gives `expected`, leaves no finding on a fresh scan, and that fixing again changes nothing. */
  function assertFixes(file: string, input: string, expected: string, extra: Record<string, string> = {}): void {
    const once = fixed(file, input, extra);
    assert.equal(once.text, expected);
    assert.deepEqual(once.remaining.map((f) => f.ruleId), []);
    assert.deepEqual(findingsOf(file, once.text, extra).map((f) => f.ruleId), []);
    assert.equal(fixed(file, once.text, extra).text, once.text);
  }

  return { findingsOf, fixed, assertFixes };
}
