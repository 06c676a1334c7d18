/**
 * Repository scan: `onus scan` (the built CLI, `dist/cli.js`, a fresh process each time as in CI) over the real-world
 * corpus, over a Terraform module folder of it, over its CloudFormation templates and over a generated monorepo of
 * 10,000 IaC files: wall time, files per second, peak resident memory and the process's CPU time (user + system,
 * from `/usr/bin/time`; without it, no peak memory and no CPU time). Median of repeated runs; absolute times are
 * informational. On a shared machine the CPU time moves far less with the load than the wall time does, so files
 * per CPU second is the figure to compare between commits.
 *
 * Run alone: `npm run build && npx tsx bench/scan.ts [--quick] [--monorepo]` (`--monorepo`: only the generated
 * monorepo, two runs); `npm run bench` runs it with the others.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCloudFormationFile } from '../server/src/engine/analyze';
import { ensureBuilt } from '../test/protocol/lspClient';
import { listFiles, realworldRoot, ROOT } from './support/corpus';
import { monorepo } from './support/monorepo';
import { fmt, median, printTable } from './support/stats';

/** One scanned target. */
export interface ScanRow {
  target: string;
  files: number;
  runs: number;
  wallMs: number;
  filesPerSecond: number;
  peakRssMB: number;
  /** User + system CPU time of the scan process, median ms (NaN without `/usr/bin/time`). */
  cpuMs?: number;
  findings: number;
}

/** The scan results. */
export interface ScanResults {
  rows: ScanRow[];
  /** `node dist/cli.js --version` against `node -e 0` (the runtime's own start), median wall ms of each. */
  startup?: { cliMs: number; nodeMs: number; runs: number };
}

const CLI = path.join(ROOT, 'dist', 'cli.js');
const HAS_TIME = fs.existsSync('/usr/bin/time');

/** How many files of a folder a scan analyses (Terraform and Bicep by name, YAML/JSON only when a template). */
export function countIacFiles(folder: string): number {
  return listFiles(folder, (n) => /\.(tf|tf\.json|bicep|ya?ml|json|template)$/i.test(n)).filter((file) => {
    if (/\.(tf|tf\.json|bicep)$/i.test(file)) {
      return true;
    }
    try {
      return isCloudFormationFile(file, fs.readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  }).length;
}

/** Runs one scan; returns its wall time, peak RSS and finding count. */
function scanOnce(target: string): { wallMs: number; peakRssMB: number; cpuMs: number; findings: number } {
  const args = [CLI, 'scan', target, '--format', 'json'];
  const started = performance.now();
  const result = HAS_TIME
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`onus scan ${target} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  }
  let peakRssMB = NaN;
  let cpuMs = NaN;
  if (HAS_TIME) {
    const lines = result.stderr.trim().split('\n');
    const [rssKB, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    peakRssMB = (rssKB ?? NaN) / 1024;
    cpuMs = ((user ?? NaN) + (system ?? NaN)) * 1000;
  }
  let findings = 0;
  try {
    findings = (JSON.parse(result.stdout) as { findings: unknown[] }).findings.length;
  } catch {
    findings = NaN;
  }
  return { wallMs, peakRssMB, cpuMs, findings };
}

/** Scans a target `runs` times and keeps the medians. */
function measure(label: string, target: string, files: number, runs: number): ScanRow {
  const samples = Array.from({ length: runs }, () => scanOnce(target));
  const wallMs = median(samples.map((s) => s.wallMs));
  return {
    target: label,
    files,
    runs,
    wallMs,
    filesPerSecond: files / (wallMs / 1000),
    peakRssMB: Math.max(...samples.map((s) => s.peakRssMB)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    findings: samples[0]!.findings,
  };
}

/** The Terraform module folder the Checkov comparison uses. */
export const EKS_MODULE = 'terraform-aws-modules__terraform-aws-eks';

/** The CloudFormation folder the cfn-lint comparison uses. */
export const CFN_FOLDER = 'aws-cloudformation__aws-cloudformation-templates';

/** The wall time of a command, in ms. */
function wallOf(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { encoding: 'utf8' });
  return performance.now() - started;
}

/** The CLI's own start-up: loading its bundle (`--version`) beside starting Node alone, alternating runs. */
function measureStartup(runs: number): NonNullable<ScanResults['startup']> {
  const cli: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(wallOf(['-e', '0']));
    cli.push(wallOf([CLI, '--version']));
  }
  return { cliMs: median(cli), nodeMs: median(node), runs };
}

/** Runs the scan benchmark. */
export function runScan(options: { quick: boolean; monorepoOnly?: boolean }): ScanResults {
  ensureBuilt();
  const startup = options.monorepoOnly ? undefined : measureStartup(options.quick ? 5 : 11);
  // Three runs of the small targets, two of the large ones (each takes tens of seconds on a loaded machine).
  const runs = options.quick ? 1 : 2;
  const rows: ScanRow[] = [];
  const realworld = options.monorepoOnly ? undefined : realworldRoot();
  if (realworld) {
    const eks = path.join(realworld, EKS_MODULE);
    if (fs.existsSync(eks)) {
      rows.push(measure(`${EKS_MODULE} (root module folder)`, eks, listFiles(eks, (n) => n.endsWith('.tf')).length, options.quick ? 3 : 5));
    }
    const cfn = path.join(realworld, CFN_FOLDER);
    if (fs.existsSync(cfn)) {
      rows.push(measure(CFN_FOLDER, cfn, countIacFiles(cfn), options.quick ? 1 : 3));
    }
    rows.push(measure('real-world corpus (all)', realworld, countIacFiles(realworld), runs));
  }
  const count = options.quick ? 2000 : 10000;
  const repo = monorepo(count);
  rows.push(measure(`generated monorepo, ${count} files`, repo.root, repo.files.length, options.monorepoOnly ? 2 : runs));
  return { rows, ...(startup ? { startup } : {}) };
}

/** Prints the scan table. */
export function printScan(r: ScanResults): void {
  printTable(
    'Repository scan: `node dist/cli.js scan PATH --format json` in a fresh process (median wall time; targets ≥ 500 files/s and < 400 MB on the 10,000-file monorepo)',
    ['target', 'files', 'runs', 'wall ms', 'files/s', 'CPU ms', 'files/CPU s', 'peak RSS MB', 'findings'],
    r.rows.map((row) => [
      row.target,
      row.files,
      row.runs,
      fmt(row.wallMs, 0),
      fmt(row.filesPerSecond, 0),
      fmt(row.cpuMs, 0),
      fmt(row.cpuMs === undefined ? undefined : row.files / (row.cpuMs / 1000), 0),
      fmt(row.peakRssMB, 0),
      row.findings,
    ]),
  );
  if (r.startup) {
    printTable(
      `CLI start-up (median of ${r.startup.runs} fresh processes; the bundle's own load is the difference)`,
      ['command', 'wall ms'],
      [
        ['node -e 0', fmt(r.startup.nodeMs, 0)],
        ['node dist/cli.js --version', fmt(r.startup.cliMs, 0)],
        ['  bundle load (difference)', fmt(r.startup.cliMs - r.startup.nodeMs, 0)],
      ],
    );
  }
}

if (require.main === module) {
  printScan(runScan({ quick: process.argv.includes('--quick'), monorepoOnly: process.argv.includes('--monorepo') }));
}
