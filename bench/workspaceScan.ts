/**
 * The editor's workspace scan (the Responsibility Matrix command, `onus/matrix`) over the generated monorepo, through
 * the protocol: the time until the matrix is answered, and how the server answers hovers on an open file meanwhile
 * (one hover every 20 ms while the scan runs), with the scan in worker threads (the default) and in the server's own
 * thread (`ONUS_WORKERS=0`), alternated in the same run. A hover answered after the matrix arrived is not counted: its
 * answer waited behind the matrix's on the same stream (several MB to read), which says nothing of the server.
 *
 * Run alone: `npm run build && npx tsx bench/workspaceScan.ts [--quick]`; `npm run bench` runs it with the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { MATRIX_REQUEST, type MatrixResult } from '../server/src/protocol';
import { ensureBuilt, TestClient, uriOf } from '../test/protocol/lspClient';
import { generate } from './support/generate';
import { monorepo } from './support/monorepo';
import { fmt, median, percentile, printTable } from './support/stats';

/** One scan of the workspace. */
export interface WorkspaceScanRow {
  mode: 'workers' | 'server thread';
  files: number;
  resources: number;
  matrixMs: number;
  /** The server's CPU time (all its threads) during the scan. */
  cpuMs: number;
  hovers: number;
  hoverMedianMs: number;
  hoverP95Ms: number;
  hoverMaxMs: number;
}

/** The workspace scan results: the rows of each mode, alternated. */
export interface WorkspaceScanResults {
  rows: WorkspaceScanRow[];
}

/** The user + system CPU time of a process so far, in ms, from /proc (NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** One matrix request over `root` with hovers on `open` meanwhile. */
async function scanOnce(mode: WorkspaceScanRow['mode'], root: string, files: number, open: string): Promise<WorkspaceScanRow> {
  const { client } = await TestClient.start(mode === 'server thread' ? { env: { ONUS_WORKERS: '0' } } : {});
  try {
    const uri = uriOf(open);
    await client.open(uri, fs.readFileSync(open, 'utf8'), 'terraform');
    await client.waitForVersion(uri, 1, 120000);
    const target: Diagnostic | undefined = client.latest(uri)?.diagnostics[0];
    const cpuBefore = cpuMsOf(client.process.pid);
    const started = performance.now();
    let answer: MatrixResult | null | undefined;
    const request = client.connection.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { folders: [uriOf(root)] }).then((r) => (answer = r));
    const hovers: number[] = [];
    while (answer === undefined && target) {
      const t = performance.now();
      await client.hover(uri, target.range.start);
      if (answer === undefined) {
        hovers.push(performance.now() - t);
      }
      await client.sleep(20);
    }
    await request;
    const matrixMs = performance.now() - started;
    return {
      mode,
      files,
      resources: answer?.matrix.summary.resources ?? 0,
      matrixMs,
      cpuMs: cpuMsOf(client.process.pid) - cpuBefore,
      hovers: hovers.length,
      hoverMedianMs: median(hovers),
      hoverP95Ms: percentile(hovers, 95),
      hoverMaxMs: Math.max(0, ...hovers),
    };
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
}

/** Runs the workspace scan benchmark: each mode `rounds` times, alternated. */
export async function runWorkspaceScan(options: { quick: boolean }): Promise<WorkspaceScanResults> {
  ensureBuilt();
  const count = options.quick ? 2000 : 10000;
  const repo = monorepo(count);
  // The open file: a 1k-line Terraform module inside the workspace (analysed in the server's thread, hovered).
  const open = path.join(repo.root, 'open-in-editor', 'main.tf');
  fs.mkdirSync(path.dirname(open), { recursive: true });
  fs.writeFileSync(open, generate('terraform', 1000).text);
  const rows: WorkspaceScanRow[] = [];
  try {
    for (let round = 0; round < (options.quick ? 1 : 2); round++) {
      rows.push(await scanOnce('workers', repo.root, count + 1, open));
      rows.push(await scanOnce('server thread', repo.root, count + 1, open));
    }
  } finally {
    fs.rmSync(path.dirname(open), { recursive: true, force: true });
  }
  return { rows };
}

/** The median matrix time of a mode. */
export function matrixMsOf(r: WorkspaceScanResults, mode: WorkspaceScanRow['mode']): number {
  return median(r.rows.filter((x) => x.mode === mode).map((x) => x.matrixMs));
}

/** Prints the workspace scan table. */
export function printWorkspaceScan(r: WorkspaceScanResults): void {
  printTable(
    'Workspace scan in the editor (onus/matrix over the generated monorepo, hovers on an open file meanwhile), ms',
    ['mode', 'files', 'resources', 'matrix', 'server CPU', 'hovers', 'hover med', 'hover p95', 'hover max'],
    r.rows.map((x) => [x.mode, x.files, x.resources, fmt(x.matrixMs, 0), fmt(x.cpuMs, 0), x.hovers, fmt(x.hoverMedianMs), fmt(x.hoverP95Ms), fmt(x.hoverMaxMs)]),
  );
  const workers = matrixMsOf(r, 'workers');
  const thread = matrixMsOf(r, 'server thread');
  console.log(`Scan in worker threads: ${fmt(thread / workers, 2)}× the speed of the scan in the server's thread.`);
}

if (require.main === module) {
  runWorkspaceScan({ quick: process.argv.includes('--quick') })
    .then(printWorkspaceScan)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
