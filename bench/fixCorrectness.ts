/**
 * `npm run bench:fixes`: the fix-correctness check of `test/reliability/fixCorrectness.ts` over the whole corpus
 * (`ONUS_CORPUS`, default `../shared/corpus`) and every bad rule fixture: each fix alone and fix-all, with the counts
 * and every failure printed. The test suite checks the fixtures and a sample of the corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBundledRuleSet } from '../server/src/engine/loadRules';
import { addCounts, checkFile, corpusFiles, noCounts, ruleFixtureFiles } from '../test/reliability/fixCorrectness';

const ROOT = path.resolve(__dirname, '..');

function main(): void {
  const corpus = process.env.ONUS_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
  const rules = loadBundledRuleSet();
  for (const [label, files] of [
    ['rule fixtures', ruleFixtureFiles(ROOT)],
    ['corpus', fs.existsSync(corpus) ? corpusFiles(corpus) : []],
  ] as const) {
    const started = Date.now();
    const total = noCounts();
    const failures: string[] = [];
    for (const file of files) {
      const result = checkFile(path.basename(file), fs.readFileSync(file, 'utf8'), rules);
      addCounts(total, result.counts);
      failures.push(...result.failures.map((f) => `${path.relative(ROOT, file)}: ${f.split('\n')[0]}`));
    }
    console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  files ${total.files}, with fixes ${total.filesWithFixes}`);
    console.log(`  single fixes verified ${total.fixesVerified} of ${total.fixes}`);
    console.log(`  fix-all runs verified ${total.fixAllVerified} of ${total.fixAll} (${total.fixAllFindingsFixed} findings fixed)`);
    console.log(`  follow-on findings (another rule on the fixed resource, gated by the fixed setting) ${total.followOns}`);
    console.log(`  failures ${failures.length}${failures.map((f) => `\n    ${f}`).join('')}`);
    if (failures.length > 0) {
      process.exitCode = 1;
    }
  }
}

main();
