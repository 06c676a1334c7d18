/**
 * The quick mode of the mutation fuzzer (`test/fuzz/fuzzer.ts`): 20,000 seeded cases over the five front ends
 * (4,000 each), each through the whole pipeline (parse → model → every rule → fixes planned and applied). No
 * exception may escape, the counted work must stay within a bound proportional to the input, and every reported
 * span must lie in the text. With `ONUS_CORPUS` set, a deterministic sample of the corpus joins the fixtures as
 * seeds. `npm run fuzz` runs the long mode and saves failures under `test/fuzz/cases/`.
 */
import * as assert from 'node:assert/strict';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { checkInput, FILE_OF, FRONT_ENDS, generateCase, loadSeeds, minimize, runPipeline, workBound, type Seeds } from './fuzzer';
import { hugeInputs } from './huge';

/** Cases per front end in the quick mode (20,000 in all). */
const CASES_PER_FRONT_END = 4_000;

/** The quick mode's size of deep nests and long lines (the long mode uses 1). */
const QUICK_SCALE = 0.2;

/** The seed of the quick mode's cases. */
const SEED = 20261128;

describe('fuzz (quick): mutated files through the whole pipeline', function () {
  this.timeout(15 * 60 * 1000);
  let rules: RuleSet;
  let seeds: Seeds;

  before(() => {
    rules = loadBundledRuleSet();
    seeds = loadSeeds({ corpus: process.env.ONUS_CORPUS, corpusPerFrontEnd: 40, maxSize: 8_000 });
  });

  for (const [position, frontEnd] of FRONT_ENDS.entries()) {
    it(`${frontEnd}: ${CASES_PER_FRONT_END} cases, no exception, work within the bound, spans inside the text`, () => {
      assert.ok(seeds[frontEnd].length >= 3, `seeds for ${frontEnd}`);
      const mutations = new Set<string>();
      for (let k = 0; k < CASES_PER_FRONT_END; k++) {
        // Case indices cycle through the front ends, so index k * 5 + position is one of this front end's.
        const c = generateCase(seeds, SEED, k * FRONT_ENDS.length + position, QUICK_SCALE);
        assert.equal(c.frontEnd, frontEnd);
        c.mutations.forEach((m) => mutations.add(m));
        const failure = checkInput(frontEnd, c.text, rules);
        if (failure !== undefined) {
          const kind = failure.split(' ')[0];
          const small = minimize(c.text, (t) => checkInput(frontEnd, t, rules)?.split(' ')[0] === kind, 200);
          assert.fail(`case ${k} (${c.mutations.join('+')}): ${failure}\nminimal input (${FILE_OF[frontEnd]}): ${JSON.stringify(small.slice(0, 2000))}`);
        }
      }
      // Every kind of mutation was exercised.
      assert.equal(mutations.size, 10, [...mutations].join(', '));
    });
  }

  it('a 50 MB file of each front end: reported as not analysed, without an exception, within the work bound', () => {
    for (const input of hugeInputs()) {
      const { analysis, work } = runPipeline(input.frontEnd, input.text, rules);
      assert.ok(work.total <= workBound(input.text.length), input.name);
      assert.deepEqual(analysis.findings, [], input.name);
      const diagnostics = analysis.model.files.flatMap((f) => f.diagnostics);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.severity, d.message]),
        [['file-too-large', 'info', 'The file is larger than 8 MB and is not analysed']],
        input.name,
      );
    }
  });

  it('counts the work of each stage, so the bound is about real steps', () => {
    const { work, analysis } = runPipeline('hcl', 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n', rules);
    assert.ok(analysis.findings.length > 0);
    assert.ok(work.lexer > 0 && work.parser > 0 && work.evaluator > 0 && work.rules > 0, JSON.stringify(work));
  });
});
