/**
 * `npm run bench:matrix`: what the Responsibility Matrix costs on top of the scan it is built from. For each folder
 * (the examples, and the real-world corpus when `ONUS_CORPUS` names it), `onus scan`'s work (`scanPaths`) and
 * `onus matrix`'s (`matrixOfPaths`: the same scan, plus building the matrix) run alternately in this process with the
 * rules loaded once; prints the medians, the ratio matrix / scan (the figure that matters on a shared machine), and
 * the matrix's size. Options: `--runs N` (default 5; 3 for the corpus).
 */
import * as path from 'node:path';
import { matrixOfPaths } from '../server/src/cli/matrix';
import { scanPaths } from '../server/src/cli/scan';
import { loadBundledRuleSet } from '../server/src/engine/loadRules';
import { ROOT, realworldRoot } from './support/corpus';
import { fmt, median, printTable } from './support/stats';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : undefined;
const rules = loadBundledRuleSet();
const options = { rules, today: '2026-01-01' };

const targets: { name: string; folder: string; runs: number }[] = [{ name: 'examples/', folder: path.join(ROOT, 'examples'), runs: runs ?? 5 }];
const corpus = realworldRoot();
if (corpus) {
  targets.push({ name: 'real-world corpus', folder: corpus, runs: runs ?? 3 });
}

const rows: (string | number)[][] = [];
for (const target of targets) {
  const scanMs: number[] = [];
  const matrixMs: number[] = [];
  let summary = '';
  for (let i = 0; i < target.runs + 1; i++) {
    let start = performance.now();
    scanPaths([target.folder], options);
    const scan = performance.now() - start;
    start = performance.now();
    const matrix = matrixOfPaths([target.folder], options);
    const built = performance.now() - start;
    // The first pair warms up the parsers and the rule index.
    if (i > 0) {
      scanMs.push(scan);
      matrixMs.push(built);
    }
    const s = matrix.summary;
    summary = `${s.files} files, ${s.services} services, ${s.resources} resources, ${s.openFindings} open, ${s.gaps} gaps`;
  }
  rows.push([target.name, fmt(median(scanMs), 0), fmt(median(matrixMs), 0), `${fmt(median(matrixMs) / median(scanMs), 2)}×`, summary]);
}
printTable('Responsibility Matrix vs scan (medians, ms)', ['folder', 'scan', 'matrix', 'matrix / scan', 'matrix'], rows);
