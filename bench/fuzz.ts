/**
 * `npm run fuzz`: the long run of the mutation fuzzer (`test/fuzz/fuzzer.ts`) over every front end, seeded from the
 * fixtures and, with `ONUS_CORPUS`, a larger sample of the corpus. Prints cases per second per front end, the
 * largest work per character seen, and every failure; each failure is shrunk and saved under `test/fuzz/cases/`,
 * which `test/fuzz/regressions.test.ts` replays. Then it runs a 50 MB input of each front end through the pipeline,
 * printing time and peak memory (informational; no figure here is a pass/fail threshold except failures).
 *
 * Options: `--cases N` (default 100000), `--seed S` (default 1), `--scale X` (0–1, size of deep nests and long lines;
 * default 1), `--corpus-files N` (corpus seeds per front end; default 400), `--no-huge` (skip the 50 MB inputs).
 */
import { loadBundledRuleSet } from '../server/src/engine/loadRules';
import {
  checkInput,
  FRONT_ENDS,
  generateCase,
  loadSeeds,
  minimize,
  runPipeline,
  saveReproducer,
  type FrontEnd,
} from '../test/fuzz/fuzzer';
import { hugeInputs } from '../test/fuzz/huge';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

function main(): void {
  const cases = option('cases', 100_000);
  const seed = option('seed', 1);
  const scale = option('scale', 1);
  const rules = loadBundledRuleSet();
  const seeds = loadSeeds({ corpus: process.env.ONUS_CORPUS, corpusPerFrontEnd: option('corpus-files', 400) });
  console.log(`seeds: ${FRONT_ENDS.map((f) => `${f} ${seeds[f].length}`).join(', ')}`);
  const stats = new Map<FrontEnd, { cases: number; ms: number; chars: number; maxWorkPerChar: number }>();
  const failures: string[] = [];
  const started = Date.now();
  for (let index = 0; index < cases; index++) {
    const c = generateCase(seeds, seed, index, scale);
    const t = process.hrtime.bigint();
    const failure = checkInput(c.frontEnd, c.text, rules);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const s = stats.get(c.frontEnd) ?? { cases: 0, ms: 0, chars: 0, maxWorkPerChar: 0 };
    s.cases++;
    s.ms += ms;
    s.chars += c.text.length;
    if (failure === undefined) {
      const { work } = runPipeline(c.frontEnd, c.text, rules);
      s.maxWorkPerChar = Math.max(s.maxWorkPerChar, work.total / Math.max(1, c.text.length));
    } else {
      const kind = failure.split(' ')[0];
      const small = minimize(c.text, (t2) => checkInput(c.frontEnd, t2, rules)?.split(' ')[0] === kind);
      const file = saveReproducer(c.frontEnd, small);
      failures.push(`case ${index} (${c.frontEnd}, ${c.mutations.join('+')}): ${failure}\n    reproducer: ${file}`);
      console.log(`FAIL ${failures[failures.length - 1]}`);
    }
    stats.set(c.frontEnd, s);
    if ((index + 1) % 5000 === 0) {
      console.log(`  ${index + 1} cases, ${((index + 1) / ((Date.now() - started) / 1000)).toFixed(0)} cases/s`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  console.log('\nfront end   cases   cases/s   MB/s   max work per character');
  for (const [frontEnd, s] of stats) {
    console.log(
      `${frontEnd.padEnd(10)} ${String(s.cases).padStart(6)} ${(s.cases / (s.ms / 1000)).toFixed(0).padStart(9)} ${(s.chars / 1e6 / (s.ms / 1000)).toFixed(2).padStart(6)} ${s.maxWorkPerChar.toFixed(1).padStart(10)}`,
    );
  }
  console.log(`\n${cases} cases in ${seconds.toFixed(1)} s (${(cases / seconds).toFixed(0)} cases/s), ${failures.length} failures`);
  if (!process.argv.includes('--no-huge')) {
    console.log('\n50 MB inputs (whole pipeline):');
    for (const input of hugeInputs()) {
      const t = Date.now();
      const failure = checkInput(input.frontEnd, input.text, rules);
      const { work } = failure ? { work: { total: NaN } } : runPipeline(input.frontEnd, input.text, rules);
      console.log(
        `  ${input.name.padEnd(28)} ${((Date.now() - t) / 1000).toFixed(1).padStart(6)} s  work ${work.total}  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB${failure ? `  FAIL ${failure}` : ''}`,
      );
      if (failure) {
        failures.push(`${input.name}: ${failure}`);
      }
    }
  }
  if (failures.length > 0) {
    process.exitCode = 1;
  }
}

main();
