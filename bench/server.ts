/**
 * Server footprint: the time from spawning `node dist/server.js --stdio` to the first `publishDiagnostics` of a
 * small opened file (initialize included), and the resident memory once 2,000 files of a generated workspace are
 * open and analysed (every one published). RSS is read from `/proc/<pid>/status` (VmRSS now, VmHWM peak).
 * Also the cost of AWS's resource specification: the same start-up to first diagnostics and memory for a template
 * of twelve resources in twelve namespaces, with the specification's shards (read on first use) and without them.
 *
 * Run alone: `npm run build && npx tsx bench/server.ts [--quick]`; `npm run bench` runs it with the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, makeFolder, removeFolder, ROOT, TestClient, uriOf } from '../test/protocol/lspClient';
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
  /** The server's CPU time (user + system, from /proc) while the files were opened and analysed. */
  openAllCpuMs?: number;
  rssMB: number;
  peakRssMB: number;
  /** A template using twelve namespaces of AWS's resource specification, with and without it. */
  spec?: { withMs: number; withoutMs: number; withRssMB: number; withoutRssMB: number; namespaces: number; shardKB: number };
}

/** A template of twelve resources, each in its own namespace of the specification (shards read on first use). */
const SPEC_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code: { ZipFile: "def handler(e, c): pass" }
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      BillingMode: PAY_PER_REQUEST
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
  Cluster:
    Type: AWS::ECS::Cluster
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
`;

/** Spawn to first diagnostics of the specification template, then a hover; time and resident memory. */
async function specOnce(folder: string, env: Record<string, string> | undefined): Promise<{ ms: number; rss: number }> {
  const file = path.join(folder, 'template.yaml');
  const started = performance.now();
  const { client } = await TestClient.start(env ? { env } : {});
  try {
    await client.open(uriOf(file), SPEC_TEMPLATE, 'yaml');
    await client.waitForVersion(uriOf(file), 1, 60000);
    const ms = performance.now() - started;
    await client.hover(uriOf(file), { line: 5, character: 8 });
    return { ms, rss: rssOf(client.process.pid).rss };
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
}

/** The start-up and memory with AWS's resource specification against the same without it (alternating runs). */
async function runSpecFootprint(runs: number): Promise<NonNullable<ServerResults['spec']>> {
  const folder = makeFolder({ 'template.yaml': SPEC_TEMPLATE });
  const empty = makeFolder({ 'none.txt': '' });
  const withSpec: { ms: number; rss: number }[] = [];
  const without: { ms: number; rss: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      withSpec.push(await specOnce(folder, undefined));
      without.push(await specOnce(folder, { ONUS_CFN_SPEC_DIR: empty }));
    }
  } finally {
    removeFolder(folder);
    removeFolder(empty);
  }
  const namespaces = [...SPEC_TEMPLATE.matchAll(/Type: (\w+::\w+)::/g)].map((m) => m[1]!);
  const shardDir = path.join(ROOT, 'dist', 'cfn-spec');
  const shardBytes = namespaces.reduce((sum, ns) => sum + fs.statSync(path.join(shardDir, `${ns.replace('::', '_')}.json`)).size, 0);
  return {
    withMs: median(withSpec.map((r) => r.ms)),
    withoutMs: median(without.map((r) => r.ms)),
    withRssMB: median(withSpec.map((r) => r.rss)),
    withoutRssMB: median(without.map((r) => r.rss)),
    namespaces: namespaces.length,
    shardKB: shardBytes / 1024,
  };
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

/** The user + system CPU time of a process so far, in ms, from /proc (NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks (100 per second).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
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
  let openAllCpuMs = NaN;
  let rss = { rss: NaN, peak: NaN };
  try {
    const started = performance.now();
    const cpuBefore = cpuMsOf(client.process.pid);
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
    openAllCpuMs = cpuMsOf(client.process.pid) - cpuBefore;
    rss = rssOf(client.process.pid);
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
  const spec = await runSpecFootprint(options.quick ? 3 : 5);
  return {
    spec,
    startups: startups.length,
    startupMedianMs: median(startups),
    startupMaxMs: Math.max(...startups),
    openedFiles: files.length,
    openAllMs,
    openAllCpuMs,
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
      ['  server CPU time meanwhile', `${fmt(r.openAllCpuMs, 0)} ms`],
      [`resident memory with ${r.openedFiles} files open`, `${fmt(r.rssMB, 0)} MB`],
      ['  peak resident memory', `${fmt(r.peakRssMB, 0)} MB`],
      ...(r.spec
        ? [
            [
              `template of ${r.spec.namespaces} namespaces: spawn -> first diagnostics, with / without AWS's specification`,
              `${fmt(r.spec.withMs, 0)} / ${fmt(r.spec.withoutMs, 0)} ms`,
            ],
            ['  resident memory after a hover, with / without', `${fmt(r.spec.withRssMB, 0)} / ${fmt(r.spec.withoutRssMB, 0)} MB`],
            ['  specification shards read', `${fmt(r.spec.shardKB, 0)} KB`],
          ]
        : []),
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
