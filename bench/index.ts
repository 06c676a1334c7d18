/**
 * `npm run bench` (`--quick` for day-to-day use): every performance figure of the project, printed as tables and
 * written to `bench/results/bench.json` (and a timestamped copy), compared with the previous run's figures.
 *
 * All measurements run on the machine at hand, often shared with other work: each figure is a median of repeated
 * runs, references (`JSON.parse`, `hcl2-parser`) are measured in the same process on the same texts, and the ratios
 * are what the targets are about. Absolute times are informational.
 *
 * Options: `--quick` (smaller inputs and fewer repetitions), `--edits N` (edits per file in the edit latency
 * benchmark; default 60, 20 with --quick; 20k-line files get at most 25; `--edits 200` is the issue's count),
 * `--only parse,edit,scan,server,workspace`.
 */
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printEditLatency, runEditLatency, type EditLatencyResults } from './editLatency';
import { printParse, runParse, type ParseResults } from './parse';
import { CFN_FOLDER, EKS_MODULE, printScan, runScan, type ScanResults } from './scan';
import { printServer, runServer, type ServerResults } from './server';
import { ROOT } from './support/corpus';
import { matrixMsOf, printWorkspaceScan, runWorkspaceScan, type WorkspaceScanResults } from './workspaceScan';
import { fmt, printTable } from './support/stats';

/** Everything one run measured. */
interface BenchResults {
  date: string;
  commit: string;
  quick: boolean;
  machine: { cpus: number; node: string; loadAverage: number[] };
  durationS?: number;
  parse?: ParseResults;
  edit?: EditLatencyResults;
  scan?: ScanResults;
  server?: ServerResults;
  workspace?: WorkspaceScanResults;
  peers?: PeerRow[];
}

/** One comparison with a peer tool. */
interface PeerRow {
  peer: string;
  target: string;
  files: number;
  peerS: number;
  onusS: number;
  speedup: number;
  goal: string;
}

/**
 * The peers' times on this machine as the issue states them (they are not installable here: Checkov needs Python
 * packages from PyPI, cfn-lint likewise): Checkov 3.3 starts in about 3.3 s and takes 5–6 s for a folder of 50 `.tf`
 * files; cfn-lint starts in about 1.3 s and adds 50 ms per template. Onus's side is measured.
 */
function peers(scan: ScanResults): PeerRow[] {
  const rows: PeerRow[] = [];
  const eks = scan.rows.find((r) => r.target.startsWith(EKS_MODULE));
  if (eks) {
    // The low end of "5–6 s for 50 files", scaled by file count above the start-up: a generous figure for Checkov.
    const checkovS = 3.3 + ((5 - 3.3) * eks.files) / 50;
    rows.push({ peer: 'Checkov 3.3 (stated)', target: EKS_MODULE, files: eks.files, peerS: checkovS, onusS: eks.wallMs / 1000, speedup: checkovS / (eks.wallMs / 1000), goal: '≥ 50×' });
  }
  const cfn = scan.rows.find((r) => r.target === CFN_FOLDER);
  if (cfn) {
    const cfnLintS = 1.3 + 0.05 * cfn.files;
    rows.push({ peer: 'cfn-lint (stated)', target: CFN_FOLDER, files: cfn.files, peerS: cfnLintS, onusS: cfn.wallMs / 1000, speedup: cfnLintS / (cfn.wallMs / 1000), goal: 'faster' });
  }
  return rows;
}

function printPeers(rows: PeerRow[]): void {
  printTable(
    'Against the peers (their times are the issue\'s stated figures for this machine; Checkov and cfn-lint are not installable here)',
    ['peer', 'target', 'files', 'peer s', 'onus s', 'onus faster by', 'goal'],
    rows.map((r) => [r.peer, r.target, r.files, fmt(r.peerS, 1), fmt(r.onusS, 2), `${fmt(r.speedup, 1)}×`, r.goal]),
  );
}

/** The headline figures against the issue's targets, with the previous run's beside them. */
function printSummary(now: BenchResults, before: BenchResults | undefined): void {
  const pick = (r: BenchResults | undefined) => {
    const tf5 = r?.edit?.rows.filter((x) => x.input === 'generated 5k lines') ?? [];
    const mono = r?.scan?.rows.find((x) => x.target.startsWith('generated monorepo'));
    return {
      pipeline: r?.parse?.pipeline.ratio,
      hcl2: r?.parse?.hclSpeedupVsHcl2,
      edit5kP95: tf5.length ? Math.max(...tf5.map((x) => x.analysisP95Ms)) : undefined,
      edit5kCpu: tf5.some((x) => x.serverCpuPerEditMs !== undefined) ? Math.max(...tf5.map((x) => x.serverCpuPerEditMs ?? 0)) : undefined,
      checkov: r?.peers?.find((p) => p.peer.startsWith('Checkov'))?.speedup,
      filesPerSecond: mono?.filesPerSecond,
      filesPerCpuSecond: mono?.cpuMs ? mono.files / (mono.cpuMs / 1000) : undefined,
      scanRss: mono?.peakRssMB,
      startup: r?.server?.startupMedianMs,
      serverRss: r?.server?.rssMB,
      serverOpenCpu: r?.server?.openAllCpuMs,
      cliLoad: r?.scan?.startup ? r.scan.startup.cliMs - r.scan.startup.nodeMs : undefined,
      specStartup: r?.server?.spec ? r.server.spec.withMs - r.server.spec.withoutMs : undefined,
      specRss: r?.server?.spec ? r.server.spec.withRssMB - r.server.spec.withoutRssMB : undefined,
      workerSpeedup: r?.workspace ? matrixMsOf(r.workspace, 'server thread') / matrixMsOf(r.workspace, 'workers') : undefined,
      scanHoverP95: r?.workspace ? Math.max(...r.workspace.rows.filter((x) => x.mode === 'workers').map((x) => x.hoverP95Ms)) : undefined,
    };
  };
  const a = pick(now);
  const b = pick(before);
  const rows: [string, string, number | undefined, number | undefined, number][] = [
    ['full pipeline ÷ JSON.parse, 5k-line .tf', '≤ 25×', a.pipeline, b.pipeline, 1],
    ['HCL parse speed ÷ hcl2-parser', '≥ 50×', a.hcl2, b.hcl2, 0],
    ['edit p95 minus debounce, 5k lines (worst language), ms', '< 50', a.edit5kP95, b.edit5kP95, 1],
    ['server CPU per edit, 5k lines (worst language), ms (steadier under load)', '', a.edit5kCpu, b.edit5kCpu, 1],
    ['onus scan vs Checkov (stated), EKS module', '≥ 50×', a.checkov, b.checkov, 1],
    ['scan files/s, generated monorepo', '≥ 500', a.filesPerSecond, b.filesPerSecond, 0],
    ['scan files per CPU second, generated monorepo (steadier under load)', '', a.filesPerCpuSecond, b.filesPerCpuSecond, 0],
    ['scan peak RSS MB, generated monorepo', '< 400', a.scanRss, b.scanRss, 0],
    ['server spawn -> first diagnostics, ms', '< 1000', a.startup, b.startup, 0],
    ['server RSS MB with the files opened', '< 200', a.serverRss, b.serverRss, 0],
    ['server CPU ms to analyse the files opened', '', a.serverOpenCpu, b.serverOpenCpu, 0],
    ['CLI bundle load (--version minus node -e 0), ms', '', a.cliLoad, b.cliLoad, 0],
    ["AWS specification's cost: start-up with minus without, ms", 'small', a.specStartup, b.specStartup, 0],
    ["AWS specification's cost: RSS with minus without, MB", 'small', a.specRss, b.specRss, 0],
    ["editor's workspace scan, workers ÷ server thread speed", '', a.workerSpeedup, b.workerSpeedup, 2],
    ['hover p95 during the workspace scan (workers), ms', '', a.scanHoverP95, b.scanHoverP95, 1],
  ];
  printTable(
    `Summary against the targets (previous run: ${before ? `${before.date} ${before.commit}${before.quick ? ' quick' : ''}` : 'none'})`,
    ['figure', 'target', 'now', 'previous'],
    rows.map(([name, target, x, y, d]) => [name, target, fmt(x, d), fmt(y, d)]),
  );
}

function parseArgs(argv: string[]): { quick: boolean; edits?: number; only: Set<string> } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const edits = value('--edits');
  const only = value('--only');
  return {
    quick: argv.includes('--quick'),
    ...(edits ? { edits: Number(edits) } : {}),
    only: new Set(only ? only.split(',') : ['parse', 'edit', 'scan', 'server', 'workspace']),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    if (execSync('git status --porcelain -- server bench', { cwd: ROOT, encoding: 'utf8' }).trim()) {
      commit += '+changes';
    }
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    commit,
    quick: args.quick,
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
  };
  console.log(`onus bench${args.quick ? ' --quick' : ''}: ${commit}, ${os.cpus().length} CPUs, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('Figures are medians of repeated runs; ratios against references measured in the same run are what the targets are about; absolute times are informational and vary with the machine\'s load.');
  if (args.only.has('parse')) {
    results.parse = runParse({ quick: args.quick });
    printParse(results.parse);
  }
  if (args.only.has('edit')) {
    results.edit = await runEditLatency({ quick: args.quick, ...(args.edits ? { edits: args.edits } : {}) });
    printEditLatency(results.edit);
  }
  if (args.only.has('scan')) {
    results.scan = runScan({ quick: args.quick });
    printScan(results.scan);
    results.peers = peers(results.scan);
    printPeers(results.peers);
  }
  if (args.only.has('server')) {
    results.server = await runServer({ quick: args.quick });
    printServer(results.server);
  }
  if (args.only.has('workspace')) {
    results.workspace = await runWorkspaceScan({ quick: args.quick });
    printWorkspaceScan(results.workspace);
  }
  results.durationS = (performance.now() - started) / 1000;
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, args.quick ? 'bench-quick.json' : 'bench.json');
  const before = fs.existsSync(latest) ? (JSON.parse(fs.readFileSync(latest, 'utf8')) as BenchResults) : undefined;
  printSummary(results, before);
  fs.writeFileSync(latest, JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, `bench-${results.date.replace(/[:.]/g, '-')}${args.quick ? '-quick' : ''}.json`), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(ROOT, latest)} (${fmt(results.durationS, 0)} s).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
