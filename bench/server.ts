/**
 * Server footprint: the time from spawning `node dist/server.js --stdio` to the first `publishDiagnostics` of a
 * small opened file (initialize included), and the resident memory once 2,000 files of a generated workspace are
 * open and analysed (every one published). RSS is read from `/proc/<pid>/status` (VmRSS now, VmHWM peak).
 *
 * Run alone: `npm run build && npx tsx bench/server.ts [--quick]`; `npm run bench` runs it with the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, makeFolder, removeFolder, TestClient, uriOf } from '../test/protocol/lspClient';
import { generate, type Language } from './support/generate';
import { monorepo } from './support/monorepo';
import { fmt, median, printTable } from './support/stats';

/** The footprint results. */
export interface ServerResults {
  startups: number;
  startupMedianMs: number;
  startupMaxMs: number;
  openedFiles: number;
  openAllMs: number;
  rssMB: number;
  peakRssMB: number;
}

const LANGUAGE_IDS: Record<Language, string> = { terraform: 'terraform', bicep: 'bicep', cloudformation: 'yaml' };

/** The resident and peak resident memory of a process, in MB, from /proc (NaN elsewhere). */
function rssOf(pid: number | undefined): { rss: number; peak: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** Spawn to first diagnostics of one 100-line Terraform file. */
async function startupOnce(folder: string): Promise<number> {
  const file = path.join(folder, 'main.tf');
  const started = performance.now();
  const { client } = await TestClient.start();
  try {
    await client.open(uriOf(file), fs.readFileSync(file, 'utf8'));
    await client.waitForVersion(uriOf(file), 1, 60000);
    return performance.now() - started;
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
}

/** Runs the footprint benchmark. */
export async function runServer(options: { quick: boolean }): Promise<ServerResults> {
  ensureBuilt();
  const folder = makeFolder({ 'main.tf': generate('terraform', 100).text });
  const startups: number[] = [];
  try {
    for (let i = 0; i < (options.quick ? 3 : 7); i++) {
      startups.push(await startupOnce(folder));
    }
  } finally {
    removeFolder(folder);
  }
  const count = options.quick ? 500 : 2000;
  const repo = monorepo(options.quick ? 2000 : 10000);
  const files = repo.files.slice(0, count);
  const { client } = await TestClient.start();
  let openAllMs = 0;
  let rss = { rss: NaN, peak: NaN };
  try {
    const started = performance.now();
    for (const f of files) {
      await client.open(uriOf(f.path), fs.readFileSync(f.path, 'utf8'), LANGUAGE_IDS[f.language]);
    }
    const pending = new Set(files.map((f) => uriOf(f.path)));
    // Poll until every file has been published once.
    while (pending.size > 0 && performance.now() - started < 600000) {
      await client.sleep(50);
      for (const p of client.published) {
        pending.delete(p.uri);
      }
    }
    openAllMs = performance.now() - started;
    rss = rssOf(client.process.pid);
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
  return {
    startups: startups.length,
    startupMedianMs: median(startups),
    startupMaxMs: Math.max(...startups),
    openedFiles: files.length,
    openAllMs,
    rssMB: rss.rss,
    peakRssMB: rss.peak,
  };
}

/** Prints the footprint table. */
export function printServer(r: ServerResults): void {
  printTable(
    'Server footprint (targets: first diagnostics < 1 s; < 200 MB resident with 2,000 files)',
    ['measure', 'value'],
    [
      [`spawn -> first diagnostics, median of ${r.startups} (includes the debounce)`, `${fmt(r.startupMedianMs, 0)} ms`],
      [`  slowest of ${r.startups}`, `${fmt(r.startupMaxMs, 0)} ms`],
      [`open ${r.openedFiles} files -> all published`, `${fmt(r.openAllMs, 0)} ms`],
      [`resident memory with ${r.openedFiles} files open`, `${fmt(r.rssMB, 0)} MB`],
      ['  peak resident memory', `${fmt(r.peakRssMB, 0)} MB`],
    ],
  );
}

if (require.main === module) {
  runServer({ quick: process.argv.includes('--quick') })
    .then(printServer)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
