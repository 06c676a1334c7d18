/**
 * Every quick fix on every bad rule fixture, and on a deterministic sample of the corpus (every 50th file, with
 * `ONUS_CORPUS`), applied alone and through fix-all: the file still parses with no new syntax error, the targeted
 * finding is gone, no new finding appears (a follow-on, another rule on the fixed resource that the fixed setting gated,
 * is counted, not failed), and a second fix-all changes nothing. `npm run bench:fixes` checks the
 * whole corpus and prints the same counts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { addCounts, checkFile, corpusFiles, noCounts, ruleFixtureFiles, type FixCounts } from './fixCorrectness';

const ROOT = path.resolve(__dirname, '..', '..');

/** The corpus sample: every n-th file in sorted order. */
const CORPUS_STEP = 50;

/** Corpus files larger than this are left to the bench script. */
const CORPUS_MAX_BYTES = 300_000;

describe('fix correctness: each fix alone and fix-all', function () {
  this.timeout(10 * 60 * 1000);
  let rules: RuleSet;

  before(() => {
    rules = loadBundledRuleSet();
  });

  /** Checks files; fails listing every failure; returns the counts (printed for the record). */
  function checkAll(files: string[], label: string): FixCounts {
    const total = noCounts();
    const failures: string[] = [];
    for (const file of files) {
      const result = checkFile(path.basename(file), fs.readFileSync(file, 'utf8'), rules);
      addCounts(total, result.counts);
      failures.push(...result.failures.map((f) => `${path.relative(ROOT, file)}: ${f}`));
    }
    console.log(
      `      ${label}: ${total.files} files, ${total.filesWithFixes} with fixes; ${total.fixesVerified}/${total.fixes} single fixes verified; ` +
        `${total.fixAllVerified}/${total.fixAll} fix-all runs verified (${total.fixAllFindingsFixed} findings fixed); ${total.followOns} follow-on findings`,
    );
    assert.deepEqual(failures, []);
    return total;
  }

  it('every fix of every bad rule fixture', () => {
    const counts = checkAll(ruleFixtureFiles(ROOT), 'rule fixtures');
    // Most rules have a fix; a regression that drops fixes would shrink these counts.
    assert.ok(counts.fixes >= 600, `only ${counts.fixes} fixes checked`);
    assert.equal(counts.fixAll, counts.filesWithFixes);
  });

  // Registered only when ONUS_CORPUS is set (the corpus lives outside the repository; CI sets it).
  const corpus = process.env.ONUS_CORPUS;
  if (corpus && fs.existsSync(corpus)) {
    it(`every fix of a sample of the corpus (every ${CORPUS_STEP}th file)`, () => {
      const files = corpusFiles(corpus)
        .filter((_, i) => i % CORPUS_STEP === 0)
        .filter((f) => fs.statSync(f).size <= CORPUS_MAX_BYTES);
      const counts = checkAll(files, `corpus sample (1 in ${CORPUS_STEP})`);
      assert.ok(counts.fixes > 0);
    });
  }
});
