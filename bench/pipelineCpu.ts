/**
 * The full pipeline (parse, lower, evaluate every rule, suppressions) on generated 5k-line Terraform, CloudFormation
 * and Bicep files, in CPU time of this process rather than wall time: on a shared machine the wall time of a 50 ms
 * task swings with the other processes, its CPU time much less, so two commits can be compared run against run.
 * Each figure is the median of `--runs` runs (default 25), each on a different text in a different file (so no parse
 * of an earlier run is reused), beside the CPU time of `JSON.parse` of the equivalent JSON (the mean of 200 parses).
 *
 * Beside it, the same re-analysis as the language server does it after a one-character edit in the middle of the
 * file: with the unit's evaluation memo, rules are not evaluated again on the resources the edit left unchanged.
 *
 * And the parse alone after such an edit, for Terraform and Bicep: a full parse of the new text beside the re-parse
 * from the previous text's parse that the lowering uses (only the edited top-level block or declaration is parsed).
 *
 * Run: `npx tsx bench/pipelineCpu.ts [--runs N]`; it prints two tables and writes `bench/results/pipeline-cpu.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf } from '../server/src/engine/analyze';
import { EvaluationMemo } from '../server/src/engine/evaluationMemo';
import { loadBundledRuleSet } from '../server/src/engine/loadRules';
import { parseBicepFile } from '../server/src/model/bicep/parse';
import { parseTerraformFile, parseTerraformFileUncached } from '../server/src/model/terraform/parse';
import { parseBicep } from '../server/src/parse/bicep/parser';
import { memoryFileSystem } from '../test/support/memoryFileSystem';
import { ROOT } from './support/corpus';
import { fileNameOf, generate, type Language } from './support/generate';
import { fmt, median, printTable } from './support/stats';

/** The CPU time of this process (user and system) in ms. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 25;
const rules = loadBundledRuleSet();
const rows: { language: Language; lines: number; findings: number; pipelineCpuMs: number; editCpuMs: number; jsonParseCpuMs: number; ratio: number }[] = [];
for (const language of ['terraform', 'cloudformation', 'bicep'] as const) {
  const g = generate(language, 5000);
  const file = path.resolve('/bench/pipeline', fileNameOf(language, 'main'));
  const comment = language === 'bicep' ? '//' : '#';
  let run = 0;
  const once = () => {
    run++;
    // A new file each run too: a CloudFormation parse reuses the unchanged parts of the same file's previous text.
    const fresh = path.resolve(`/bench/pipeline/run${run}`, fileNameOf(language, 'main'));
    return analyzeUnitOf(fresh, memoryFileSystem({ [fresh]: `${g.text}\n${comment} edit ${run}\n` }), { rules, today: '2026-01-01' });
  };
  // Warm-up runs first, so the figure is the steady state (JIT-compiled) an editor session sees.
  const findings = once().findings.length;
  once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = cpuMs();
    once();
    samples.push(cpuMs() - start);
  }
  // After an edit: one more space at the end of the middle line each time, the memo kept between runs.
  const memo = new EvaluationMemo();
  const middle = g.text.indexOf('\n', g.text.length >> 1);
  let edited = g.text;
  const edit = () => {
    edited = `${edited.slice(0, middle)} ${edited.slice(middle)}`;
    return analyzeUnitOf(file, memoryFileSystem({ [file]: edited }), { rules, today: '2026-01-01', memo });
  };
  edit();
  edit();
  const editSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = cpuMs();
    edit();
    editSamples.push(cpuMs() - start);
  }
  for (let i = 0; i < 20; i++) {
    JSON.parse(g.json);
  }
  const jsonStart = cpuMs();
  for (let i = 0; i < 200; i++) {
    JSON.parse(g.json);
  }
  const jsonParseCpuMs = (cpuMs() - jsonStart) / 200;
  const pipelineCpuMs = median(samples);
  rows.push({ language, lines: g.lines, findings, pipelineCpuMs, editCpuMs: median(editSamples), jsonParseCpuMs, ratio: pipelineCpuMs / jsonParseCpuMs });
}
printTable(
  `Full pipeline on generated 5k-line files, CPU time of this process (median of ${runs} runs; target ≤ 25× JSON.parse for Terraform)`,
  ['language', 'lines', 'findings', 'pipeline CPU ms', 'JSON.parse CPU ms', '× JSON.parse', 'after an edit, with reuse, CPU ms'],
  rows.map((r) => [r.language, r.lines, r.findings, fmt(r.pipelineCpuMs, 1), fmt(r.jsonParseCpuMs, 3), `${fmt(r.ratio, 0)}×`, fmt(r.editCpuMs, 1)]),
);

// The parse alone after one-character edits in the middle line: a full parse against the re-parse from the previous
// text's parse (both on the same sequence of texts, each one space longer than the one before).
const parseRows: { language: Language; fullParseCpuMs: number; reparseCpuMs: number }[] = [];
for (const language of ['terraform', 'bicep'] as const) {
  const g = generate(language, 5000);
  const file = path.resolve('/bench/reparse', fileNameOf(language, 'main'));
  const middle = g.text.indexOf('\n', g.text.length >> 1);
  const texts: string[] = [];
  let edited = g.text;
  for (let i = 0; i < runs + 2; i++) {
    edited = `${edited.slice(0, middle)} ${edited.slice(middle)}`;
    texts.push(edited);
  }
  const full = (text: string) => (language === 'terraform' ? parseTerraformFileUncached(file, text) : parseBicep(text));
  const incremental = (text: string) => (language === 'terraform' ? parseTerraformFile(file, text) : parseBicepFile(file, text));
  const fullSamples: number[] = [];
  const reparseSamples: number[] = [];
  incremental(g.text);
  texts.forEach((text, i) => {
    let start = cpuMs();
    full(text);
    const fullMs = cpuMs() - start;
    start = cpuMs();
    incremental(text);
    const reparseMs = cpuMs() - start;
    if (i >= 2) {
      fullSamples.push(fullMs);
      reparseSamples.push(reparseMs);
    }
  });
  parseRows.push({ language, fullParseCpuMs: median(fullSamples), reparseCpuMs: median(reparseSamples) });
}
printTable(
  `Parse after a one-character edit in the middle of a generated 5k-line file, CPU time (median of ${runs} edits)`,
  ['language', 'full parse CPU ms', 're-parse of the edited block CPU ms', 'ratio'],
  parseRows.map((r) => [r.language, fmt(r.fullParseCpuMs, 2), fmt(r.reparseCpuMs, 2), `${fmt(r.fullParseCpuMs / r.reparseCpuMs, 1)}×`]),
);
const out = path.join(ROOT, 'bench', 'results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'pipeline-cpu.json'),
  `${JSON.stringify({ date: new Date().toISOString(), runs, rows, parseAfterEdit: parseRows }, null, 2)}\n`,
);
