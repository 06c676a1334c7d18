/**
 * Rules run under a step budget: a rule that runs past it on a document is abandoned for that document (none of its
 * findings there are kept) and reported through `onInternalError`, while every other rule still reports.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf, type Analysis } from '../../server/src/engine/analyze';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { StepBudgetExceeded, WorkCounter } from '../../server/src/text/workCounter';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** A module of buckets with settings several rules look at, so rules take different numbers of steps. */
const BUCKETS = Array.from(
  { length: 40 },
  (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b-${i}"\n  acl    = "public-read"\n}\n`,
).join('\n');

function analyze(rules: RuleSet, budget?: number, errors: [string, unknown][] = []): Analysis {
  return analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': BUCKETS }), {
    rules,
    today: '2026-01-01',
    onInternalError: (id, error) => errors.push([id, error]),
    ...(budget !== undefined ? { ruleStepBudget: budget } : {}),
  });
}

describe('rule step budget', () => {
  it('abandons exactly the rules that run past the budget, reports them, and keeps every other rule\'s findings', () => {
    const rules = loadBundledRuleSet();
    // The steps each rule takes here, measured alone.
    const steps = new Map<string, number>();
    for (const rule of rules.rules) {
      WorkCounter.reset();
      analyze({ ...rules, rules: [rule] });
      steps.set(rule.id, WorkCounter.rules);
    }
    const reporting = new Set(analyze(rules).findings.map((f) => f.ruleId));
    const distinct = [...new Set(steps.values())].sort((a, b) => b - a);
    // A budget just below the costliest rules' steps (there may be several with the same count).
    const budget = distinct[0]! - 1;
    const expensive = [...steps].filter(([, n]) => n > budget).map(([id]) => id);
    assert.ok(expensive.length >= 1 && expensive.length < reporting.size, expensive.join(', '));
    assert.ok(expensive.every((id) => reporting.has(id)), 'the abandoned rules report without a budget');

    const errors: [string, unknown][] = [];
    const analysis = analyze(rules, budget, errors);
    assert.deepEqual(
      errors.map(([id]) => id),
      expensive,
    );
    for (const [, error] of errors) {
      assert.ok(error instanceof StepBudgetExceeded);
      assert.match(error.message, new RegExp(`exceeded its step budget of ${budget} steps and was abandoned for this document`));
    }
    const after = new Set(analysis.findings.map((f) => f.ruleId));
    assert.deepEqual(
      [...after].sort(),
      [...reporting].filter((id) => !expensive.includes(id)).sort(),
    );
  });

  it('gives real documents room: no rule of the catalog comes near the default budget on a module of 40 buckets', () => {
    const errors: [string, unknown][] = [];
    analyze(loadBundledRuleSet(), undefined, errors);
    assert.deepEqual(errors, []);
  });
});
