/**
 * `onus matrix` as a user runs it: the built `dist/cli.js` over the matrix fixture workspace (Terraform,
 * CloudFormation and Bicep), in every format, to stdout and to a file, and its usage errors.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../server/src/cli/main';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const WORKSPACE = 'test/fixtures/matrix';

/** Runs the CLI from the repository root with colour off. */
function onus(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('onus matrix', () => {
  it('prints Markdown by default: the summary, a table per provider, and the open findings with file:line', () => {
    const r = onus(['matrix', WORKSPACE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^## Responsibility Matrix\n\n4 files · 4 services · 14 resources · \*\*\d+ open findings\*\* · \*\*\d+ responsibility gaps?\*\*\n/);
    assert.match(r.stdout, /\n### AWS\n\n\| Service \| Model \| Resources \| Data \| Identity \| Application \| Network \| OS \| Physical \|\n\|---\|---\|---:\|/);
    assert.match(r.stdout, /\n\| Amazon RDS `aws\/rds` \| [a-z]+ \| 2 \| customer · 🔴 \d+ open( · \d+ gaps?)? \|/);
    assert.match(r.stdout, /\n### Azure\n/);
    assert.ok(
      r.stdout.includes('- `test/fixtures/matrix/cloudformation/stack.yaml:27` **medium** `aws-rds-backup-retention` RDS automated backups are disabled — Amazon RDS · data\n'),
      r.stdout,
    );
    assert.match(r.stdout, /<details><summary>Inventory<\/summary>[\s\S]*`random_id` \(1\): `test\/fixtures\/matrix\/terraform\/app\/main\.tf:41`/);
  });

  it('--format csv: one row per service and layer', () => {
    const r = onus(['matrix', WORKSPACE, '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'provider,service_id,service,model,resources,layer,owner,state,open_findings,gaps,suppressed,note,findings,gap_duties');
    assert.equal(lines.length, 1 + 4 * 6);
    const rds = lines.find((l) => /^AWS,aws\/rds,Amazon RDS,[a-z]+,2,data,customer,open,\d+,\d+,\d+,/.test(l));
    assert.ok(rds, r.stdout);
    assert.ok(rds.includes('test/fixtures/matrix/cloudformation/stack.yaml:27 aws-rds-backup-retention'), rds);
  });

  it('--format json: the version 1 schema, paths relative to the current folder', () => {
    const r = onus(['matrix', WORKSPACE, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.version, 1);
    assert.deepEqual(Object.keys(m), ['version', 'layers', 'providers', 'unlisted', 'summary']);
    assert.deepEqual(m.layers, ['data', 'identity', 'application', 'network', 'os', 'physical']);
    assert.deepEqual(m.providers.map((p: any) => p.id), ['aws', 'azure']);
    const rds = m.providers[0].services.find((s: any) => s.id === 'aws/rds');
    assert.deepEqual(Object.keys(rds), ['id', 'name', 'model', 'sources', 'resources', 'cells']);
    assert.deepEqual(rds.resources[0], {
      address: 'Reports',
      type: 'AWS::RDS::DBInstance',
      format: 'cloudformation',
      file: 'test/fixtures/matrix/cloudformation/stack.yaml',
      line: 20,
      column: 3,
    });
    const data = rds.cells[0];
    assert.deepEqual(Object.keys(data).filter((k) => k !== 'note'), ['layer', 'owner', 'state', 'findings', 'gaps', 'duties', 'suppressed']);
    assert.deepEqual(
      data.findings.filter((f: any) => f.ruleId === 'aws-rds-backup-retention'),
      [
      {
        ruleId: 'aws-rds-backup-retention',
        severity: 'medium',
        message: 'RDS automated backups are disabled',
        resource: 'Reports',
        file: 'test/fixtures/matrix/cloudformation/stack.yaml',
        line: 27,
        column: 30,
      },
      ],
    );
    assert.ok(data.duties.some((d: any) => d.id === 'backup' && d.counts.open === 1), JSON.stringify(data.duties));
    assert.deepEqual(Object.keys(m.summary), ['files', 'services', 'resources', 'openFindings', 'gaps', 'cells']);
  });

  it('--format html --output FILE: writes a self-contained page and says what it wrote', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-matrix-'));
    try {
      const out = path.join(dir, 'matrix.html');
      const r = onus(['matrix', WORKSPACE, '--format', 'html', '--output', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^wrote .*matrix\.html: 4 services, 14 resources, \d+ open findings, \d+ responsibility gaps\n$/);
      const html = fs.readFileSync(out, 'utf8');
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /<tr class="service" data-service="aws\/rds">/);
      assert.ok(!/<script|<link|src=|@import|url\(/.test(html), 'no script and nothing loaded');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists nothing but says so for a folder without cloud resources', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-matrix-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "random_id" "x" {\n  byte_length = 4\n}\n');
      const r = onus(['matrix', '.'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 file · 0 services · 0 resources/);
      assert.match(r.stdout, /No resource of a known cloud service was found\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const usage = [
    { name: 'no PATH', args: ['matrix'], message: /matrix needs at least one PATH/ },
    { name: 'an unknown format', args: ['matrix', WORKSPACE, '--format', 'pdf'], message: /unknown format "pdf" \(expected markdown, csv, json or html\)/ },
    { name: 'a missing PATH', args: ['matrix', 'no/such/folder'], message: /cannot read "no\/such\/folder": no such file or folder/ },
    { name: 'an unwritable --output', args: ['matrix', WORKSPACE, '--output', 'no/such/folder/m.md'], message: /cannot write "no\/such\/folder\/m\.md"/ },
  ];
  for (const c of usage) {
    it(`exits 2 with a message for ${c.name}`, () => {
      // In process (runCli is what dist/cli.js runs), to keep the suite quick.
      const r = runCli(c.args, { isColor: false, cwd: ROOT });
      assert.equal(r.exitCode, 2);
      assert.match(r.stderr, c.message);
      assert.equal(r.stdout, '');
    });
  }
});
