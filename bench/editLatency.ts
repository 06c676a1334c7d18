/**
 * Edit latency of the language server: the time from a one-character `didChange` to the `publishDiagnostics` for
 * that version, on the largest `.tf` file of the real-world corpus (its whole module is analysed on every edit).
 *
 * Run: `npm run build && npx tsx bench/editLatency.ts` (ONUS_CORPUS names the corpus folder; default
 * `../shared/corpus`). Prints the median of 20 edits, plus the same minus the server's debounce, which is the
 * analysis and publication time itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEBOUNCE_MS } from '../server/src/features/diagnostics';
import { ensureBuilt, positionAt, ROOT, TestClient, uriOf } from '../test/protocol/lspClient';

const EDITS = 20;

/** The largest `.tf` file under a folder. */
function largestTf(folder: string): string {
  let best: { file: string; size: number } | undefined;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.tf')) {
        const size = fs.statSync(full).size;
        if (!best || size > best.size) {
          best = { file: full, size };
        }
      }
    }
  };
  walk(folder);
  if (!best) {
    throw new Error(`no .tf file under ${folder}`);
  }
  return best.file;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const corpus = path.resolve(process.env.ONUS_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'));
  const realworld = path.join(corpus, 'realworld');
  if (!fs.existsSync(realworld)) {
    throw new Error(`corpus not found at ${realworld} (set ONUS_CORPUS)`);
  }
  ensureBuilt();
  const file = largestTf(realworld);
  const text = fs.readFileSync(file, 'utf8');
  const uri = uriOf(file);
  const siblings = fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).length;
  const { client } = await TestClient.start();
  try {
    const openedAt = performance.now();
    await client.open(uri, text);
    await client.waitForVersion(uri, 1, 60000);
    const firstMs = performance.now() - openedAt;
    // Each edit types one character at the end of the first line's text, then waits for that version's diagnostics.
    const firstLineEnd = text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length;
    const samples: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const at = positionAt(client.textOf(uri), firstLineEnd + i);
      const sentAt = performance.now();
      const version = await client.change(uri, [{ range: { start: at, end: at }, text: i % 2 === 0 ? ' ' : '#' }]);
      await client.waitForVersion(uri, version, 60000);
      samples.push(performance.now() - sentAt);
    }
    const med = median(samples);
    const diagnostics = client.latest(uri)?.diagnostics.length ?? 0;
    console.log(`file: ${path.relative(corpus, file)} (${text.length} chars; module of ${siblings} .tf files; ${diagnostics} diagnostics)`);
    console.log(`first analysis on open: ${firstMs.toFixed(1)} ms (includes the ${DEBOUNCE_MS} ms debounce and server start-up work)`);
    console.log(`didChange -> publishDiagnostics, median of ${EDITS} one-character edits: ${med.toFixed(1)} ms`);
    console.log(`  of which debounce: ${DEBOUNCE_MS} ms; analysis + publication: ${(med - DEBOUNCE_MS).toFixed(1)} ms`);
    console.log(`  min ${Math.min(...samples).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`);
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
