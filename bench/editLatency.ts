/**
 * Edit latency of the language server, through the protocol: for generated 1k-, 5k- and 20k-line Terraform,
 * CloudFormation and Bicep files, the time from a one-character `didChange` in the middle of the file to the
 * `publishDiagnostics` for that version, and the round trip of hover and code action requests on a finding; median
 * and p95. Also the largest `.tf` file of the real-world corpus (its whole module is analysed on every edit).
 *
 * The server waits `DEBOUNCE_MS` after a change before it analyses (typing bursts coalesce), so the edit figure is
 * shown both as measured and minus that deliberate delay (the analysis and publication time itself).
 *
 * Run alone: `npm run build && npx tsx bench/editLatency.ts [--quick] [--edits N]` (ONUS_CORPUS names the corpus
 * folder; default `../shared/corpus`). `npm run bench` runs it with the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DEBOUNCE_MS } from '../server/src/features/diagnostics';
import { ensureBuilt, makeFolder, positionAt, removeFolder, TestClient, uriOf } from '../test/protocol/lspClient';
import { listFiles, realworldRoot } from './support/corpus';
import { fileNameOf, generate, type Language } from './support/generate';
import { fmt, median, percentile, printTable } from './support/stats';

/** One measured file. */
export interface EditLatencyRow {
  language: Language;
  input: string;
  lines: number;
  edits: number;
  diagnostics: number;
  firstMs: number;
  editMedianMs: number;
  editP95Ms: number;
  /** The edit figures minus the server's debounce. */
  analysisMedianMs: number;
  analysisP95Ms: number;
  /** The server's CPU time (user + system) per edit, which a busy shared machine inflates much less than wall time. */
  serverCpuPerEditMs: number | undefined;
  hoverMedianMs: number;
  hoverP95Ms: number;
  codeActionMedianMs: number;
  codeActionP95Ms: number;
}

/** The edit latency results. */
export interface EditLatencyResults {
  debounceMs: number;
  rows: EditLatencyRow[];
}

const LANGUAGE_IDS: Record<Language, string> = { terraform: 'terraform', bicep: 'bicep', cloudformation: 'yaml' };

/** A process's CPU time (user + system) in ms from `/proc` (Linux), undefined elsewhere. */
function serverCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticksPerMs = 100 / 1000;
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  } catch {
    return undefined;
  }
}

/** Measures one file open in a fresh server. */
async function measureFile(language: Language, input: string, file: string, text: string, edits: number): Promise<EditLatencyRow> {
  const uri = uriOf(file);
  // As VS Code does, the client resolves code actions lazily (fix-all's edit is computed only when chosen).
  const { client } = await TestClient.start({ canResolveCodeActions: true });
  try {
    const openedAt = performance.now();
    await client.open(uri, text, LANGUAGE_IDS[language]);
    await client.waitForVersion(uri, 1, 120000);
    const firstMs = performance.now() - openedAt;
    // The edit point: the end of the middle line. Each edit types one more space there, so the findings stay the
    // same while every version's text is new (the server reuses the analysis of a text it has seen, as after an undo;
    // alternating a space and its deletion would measure that reuse, not an analysis).
    const lines = text.split('\n');
    const middle = lines.length >> 1;
    let offset = 0;
    for (let i = 0; i < middle; i++) {
      offset += lines[i]!.length + 1;
    }
    offset += lines[middle]!.replace(/\r$/, '').length;
    const editSamples: number[] = [];
    const cpuBefore = serverCpuMs(client.process.pid);
    for (let i = 0; i < edits; i++) {
      const at = positionAt(client.textOf(uri), offset + i);
      const sentAt = performance.now();
      const version = await client.change(uri, [{ range: { start: at, end: at }, text: ' ' }]);
      await client.waitForVersion(uri, version, 120000);
      editSamples.push(performance.now() - sentAt);
    }
    const cpuAfter = serverCpuMs(client.process.pid);
    const diagnostics = client.latest(uri)?.diagnostics ?? [];
    // Hover and code actions on the finding nearest the middle of the file (the cached analysis is reused).
    const target: Diagnostic | undefined = [...diagnostics].sort(
      (a, b) => Math.abs(a.range.start.line - middle) - Math.abs(b.range.start.line - middle),
    )[0];
    const hoverSamples: number[] = [];
    const actionSamples: number[] = [];
    const requests = Math.max(20, edits);
    if (target) {
      for (let i = 0; i < requests; i++) {
        let t = performance.now();
        await client.hover(uri, target.range.start);
        hoverSamples.push(performance.now() - t);
        t = performance.now();
        await client.codeActions(uri, target.range, [target]);
        actionSamples.push(performance.now() - t);
      }
    }
    const analysis = editSamples.map((s) => Math.max(0, s - DEBOUNCE_MS));
    return {
      language,
      input,
      lines: lines.length,
      edits,
      diagnostics: diagnostics.length,
      firstMs,
      editMedianMs: median(editSamples),
      editP95Ms: percentile(editSamples, 95),
      analysisMedianMs: median(analysis),
      analysisP95Ms: percentile(analysis, 95),
      serverCpuPerEditMs: cpuBefore !== undefined && cpuAfter !== undefined && edits > 0 ? (cpuAfter - cpuBefore) / edits : undefined,
      hoverMedianMs: median(hoverSamples),
      hoverP95Ms: percentile(hoverSamples, 95),
      codeActionMedianMs: median(actionSamples),
      codeActionP95Ms: percentile(actionSamples, 95),
    };
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
}

/** The largest `.tf` file under a folder. */
function largestTf(folder: string): string | undefined {
  let best: { file: string; size: number } | undefined;
  for (const file of listFiles(folder, (n) => n.endsWith('.tf'))) {
    const size = fs.statSync(file).size;
    if (!best || size > best.size) {
      best = { file, size };
    }
  }
  return best?.file;
}

/**
 * Runs the edit latency benchmark. `edits` is the number of edits per file (default 60 so that `npm run bench`
 * fits in ten minutes on a loaded 2-core machine; `--edits 200` for the count); the 20k-line files get
 * `largeEdits` (default at most 25).
 */
export async function runEditLatency(options: { quick: boolean; edits?: number; largeEdits?: number }): Promise<EditLatencyResults> {
  ensureBuilt();
  const edits = options.edits ?? (options.quick ? 20 : 60);
  const largeEdits = options.largeEdits ?? (options.quick ? 10 : Math.min(edits, 25));
  const sizes = options.quick ? [1000, 5000] : [1000, 5000, 20000];
  const rows: EditLatencyRow[] = [];
  const folder = makeFolder({});
  try {
    for (const language of ['terraform', 'cloudformation', 'bicep'] as const) {
      for (const lines of sizes) {
        const g = generate(language, lines);
        const dir = path.join(folder, `${language}-${lines}`);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, fileNameOf(language, 'main'));
        fs.writeFileSync(file, g.text);
        rows.push(await measureFile(language, `generated ${lines / 1000}k lines`, file, g.text, lines >= 20000 ? largeEdits : edits));
      }
    }
  } finally {
    removeFolder(folder);
  }
  const realworld = realworldRoot();
  const largest = realworld ? largestTf(realworld) : undefined;
  if (largest) {
    const text = fs.readFileSync(largest, 'utf8');
    rows.push(await measureFile('terraform', `corpus largest .tf (${path.basename(path.dirname(largest))})`, largest, text, options.quick ? 10 : 50));
  }
  return { debounceMs: DEBOUNCE_MS, rows };
}

/** Prints the edit latency table. */
export function printEditLatency(r: EditLatencyResults): void {
  printTable(
    `Edit latency through the protocol, ms (didChange -> publishDiagnostics includes the ${r.debounceMs} ms debounce; "analysis" is that minus the debounce; target p95 < 50 ms on 5k lines)`,
    ['language', 'input', 'lines', 'edits', 'diags', 'first', 'edit med', 'edit p95', 'analysis med', 'analysis p95', 'server CPU/edit', 'hover med', 'hover p95', 'action med', 'action p95'],
    r.rows.map((row) => [
      row.language,
      row.input,
      row.lines,
      row.edits,
      row.diagnostics,
      fmt(row.firstMs, 0),
      fmt(row.editMedianMs),
      fmt(row.editP95Ms),
      fmt(row.analysisMedianMs),
      fmt(row.analysisP95Ms),
      row.serverCpuPerEditMs === undefined ? 'n/a' : fmt(row.serverCpuPerEditMs),
      fmt(row.hoverMedianMs),
      fmt(row.hoverP95Ms),
      fmt(row.codeActionMedianMs),
      fmt(row.codeActionP95Ms),
    ]),
  );
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const editsAt = argv.indexOf('--edits');
  const edits = editsAt >= 0 ? Number(argv[editsAt + 1]) : undefined;
  runEditLatency({ quick: argv.includes('--quick'), ...(edits ? { edits, largeEdits: edits } : {}) })
    .then(printEditLatency)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
