/**
 * The Responsibility Matrix at the engine's boundary: the fixture workspace (Terraform, CloudFormation and Bicep)
 * scanned as `onus matrix` does, with a catalog whose services carry customer duties. Checks the inventory, every
 * cell state (open, gap, secure, not checked, the provider's), duties covered by the provider's default, duties
 * fulfilled by a setting or a linked companion resource, and that an unknown value never makes a gap.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { buildMatrix } from '../../server/src/engine/matrix';
import { renderMatrixCsv } from '../../server/src/engine/matrixCsv';
import type { MatrixCell, MatrixData, MatrixService } from '../../server/src/engine/matrixData';
import { renderMatrixHtml } from '../../server/src/engine/matrixHtml';
import { renderMatrixMarkdown } from '../../server/src/engine/matrixMarkdown';
import type { Duty, RuleSet } from '../../server/src/engine/ruleSet';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { fixtureRuleSet, matrixOf, MATRIX_WORKSPACE } from './matrixFixture';

const ruleSet = fixtureRuleSet();
const matrix = matrixOf([MATRIX_WORKSPACE], ruleSet);

/** A service row by id. */
function service(m: MatrixData, id: string): MatrixService {
  const found = m.providers.flatMap((p) => p.services).find((s) => s.id === id);
  assert.ok(found, `no row for ${id}`);
  return found;
}

/** A cell by service id and layer. */
function cell(m: MatrixData, id: string, layer: string): MatrixCell {
  const found = service(m, id).cells.find((c) => c.layer === layer);
  assert.ok(found, `no ${layer} cell for ${id}`);
  return found;
}

/** A path relative to the fixture workspace, with forward slashes. */
const rel = (file: string) => path.relative(MATRIX_WORKSPACE, file).split(path.sep).join('/');

describe('Responsibility Matrix (engine)', () => {
  it('lists the services in use, grouped by provider, with their resources and where they are', () => {
    assert.deepEqual(
      matrix.providers.map((p) => [p.name, p.services.map((s) => `${s.id} (${s.model}): ${s.resources.length}`)]),
      [
        ['AWS', ['aws/rds (container): 2', 'aws/s3 (abstracted): 9']],
        ['Azure', ['azure/monitor (saas): 1', 'azure/storage (paas): 2']],
      ],
    );
    assert.deepEqual(
      service(matrix, 'azure/storage').resources.map((r) => `${rel(r.file)}:${r.line} ${r.address}`),
      ['bicep/main.bicep:4 logged', 'bicep/main.bicep:34 unlogged'],
    );
    assert.deepEqual(
      service(matrix, 'aws/rds').resources.map((r) => `${rel(r.file)}:${r.line} ${r.address}`),
      ['cloudformation/stack.yaml:20 Reports', 'terraform/app/main.tf:33 aws_db_instance.orders'],
    );
    assert.deepEqual(
      matrix.unlisted.map((u) => `${u.type}: ${u.resources.map((r) => `${rel(r.file)}:${r.line}`).join(', ')}`),
      ['random_id: terraform/app/main.tf:41'],
    );
    assert.equal(matrix.summary.files, 4);
    assert.equal(matrix.summary.resources, 14);
  });

  it('gives every cell the owner of the catalog and six cells per row, in layer order', () => {
    const s3 = service(matrix, 'aws/s3');
    assert.deepEqual(
      s3.cells.map((c) => `${c.layer}:${c.owner}`),
      ['data:customer', 'identity:customer', 'application:shared', 'network:provider', 'os:provider', 'physical:provider'],
    );
  });

  it('marks a cell with findings open, with each finding at its file and line', () => {
    const data = cell(matrix, 'aws/rds', 'data');
    assert.equal(data.state, 'open');
    assert.deepEqual(
      data.findings.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId} ${f.message}`),
      ['cloudformation/stack.yaml:27 aws-rds-backup-retention RDS automated backups are disabled'],
    );
    const s3 = cell(matrix, 'aws/s3', 'data');
    assert.equal(s3.state, 'open');
    assert.ok(
      s3.findings.some((f) => rel(f.file) === 'terraform/app/main.tf' && f.line === 29 && f.ruleId === 'aws-s3-access-logging'),
      'the scratch bucket has no access logging',
    );
  });

  it('reports a responsibility gap where nothing fulfils a duty, and the cell is a gap when nothing is open', () => {
    const data = cell(matrix, 'azure/storage', 'data');
    assert.equal(data.state, 'gap');
    assert.deepEqual(data.findings, []);
    assert.deepEqual(
      data.gaps.map((g) => `${rel(g.file)}:${g.line} ${g.resource} ${g.dutyId} by ${g.fulfilledBy.join(' | ')}`),
      ['bicep/main.bicep:34 unlogged diagnostic-settings by resource:Microsoft.Insights/diagnosticSettings'],
    );
  });

  it('counts a duty fulfilled by a setting or by a companion resource that refers to the resource', () => {
    // Replication: the Terraform bucket "assets" has a companion whose bucket refers to it; the CloudFormation
    // "Uploads" has the setting. "logs", "scratch" and "UploadLogs" have neither. The companions themselves are not
    // asked to replicate.
    assert.deepEqual(
      cell(matrix, 'aws/s3', 'data')
        .gaps.filter((g) => g.dutyId === 'replication')
        .map((g) => `${rel(g.file)}:${g.line} ${g.resource}`),
      ['cloudformation/stack.yaml:16 UploadLogs', 'terraform/app/main.tf:25 aws_s3_bucket.logs', 'terraform/app/main.tf:29 aws_s3_bucket.scratch'],
    );
    // The Bicep account with a diagnostic setting scoped to it has no gap.
    assert.ok(!cell(matrix, 'azure/storage', 'data').gaps.some((g) => g.resource === 'logged'));
  });

  it('never makes a gap of what it cannot know: a companion that names its bucket through a variable', () => {
    const replication = cell(matrix, 'aws/s3', 'data').duties.find((d) => d.id === 'replication');
    assert.deepEqual(replication?.counts, { secure: 2, gap: 3, unknown: 1 });
    assert.ok(!cell(matrix, 'aws/s3', 'data').gaps.some((g) => g.resource === 'aws_s3_bucket.archive'));
  });

  it('a duty whose rule reports is open, not a gap; one whose rule ran clean is fulfilled', () => {
    const logging = cell(matrix, 'aws/s3', 'data').duties.find((d) => d.id === 'access-logging');
    assert.deepEqual(logging?.counts, { secure: 4, open: 2 });
    const backups = cell(matrix, 'aws/rds', 'data').duties.find((d) => d.id === 'backup-retention');
    assert.deepEqual(backups?.counts, { open: 1, secure: 1 });
  });

  it("leaves a duty the provider covers by default to the provider, and a provider's layer to the provider", () => {
    const encryption = cell(matrix, 'aws/s3', 'data').duties.find((d) => d.id === 'default-encryption');
    assert.deepEqual(encryption?.counts, { provider: 6 });
    assert.equal(cell(matrix, 'aws/s3', 'os').state, 'provider');
    assert.equal(cell(matrix, 'azure/monitor', 'physical').state, 'provider');
  });

  it('is secure where rules ran and found nothing, and not checked where nothing of Onus applies', () => {
    assert.equal(cell(matrix, 'azure/storage', 'network').state, 'secure');
    assert.equal(cell(matrix, 'aws/rds', 'network').state, 'secure');
    assert.equal(cell(matrix, 'aws/s3', 'identity').state, 'unchecked');
    assert.equal(cell(matrix, 'aws/s3', 'network').state, 'open', "public access is the customer's even where the layer is the provider's");
  });

  it('is a gap only when every analysis of a resource says so (a module scanned alone and through its caller)', () => {
    // The module's replication names its bucket through an input: unknown when the module is scanned alone, and
    // another bucket's name through the caller.
    const fs = memoryFileSystem({
      '/ws/root/main.tf': `module "store" {\n  source    = "../store"\n  bucket    = "acme-store"\n  replicate = "acme-other"\n}\n`,
      '/ws/store/main.tf': `variable "bucket" {\n  type = string\n}\n\nvariable "replicate" {\n  type = string\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = var.bucket\n}\n\nresource "aws_s3_bucket_replication_configuration" "this" {\n  bucket = var.replicate\n  role   = "arn:aws:iam::1:role/r"\n}\n`,
    });
    const unit = (file: string) => ({ analysis: analyzeUnitOf(file, fs, { rules: ruleSet, today: '2026-01-01' }), isReported: () => true });
    const throughCaller = buildMatrix([unit('/ws/root/main.tf')], ruleSet, 2);
    assert.deepEqual(
      cell(throughCaller, 'aws/s3', 'data').gaps.map((g) => `${g.file}:${g.line} ${g.dutyId}`),
      ['/ws/store/main.tf:9 replication'],
    );
    const merged = buildMatrix([unit('/ws/store/main.tf'), unit('/ws/root/main.tf')], ruleSet, 2);
    assert.deepEqual(
      service(merged, 'aws/s3').resources.map((r) => `${r.file}:${r.line} ${r.address}`),
      ['/ws/store/main.tf:9 aws_s3_bucket.this', '/ws/store/main.tf:13 aws_s3_bucket_replication_configuration.this'],
    );
    assert.deepEqual(cell(merged, 'aws/s3', 'data').gaps, []);
  });
});

describe('Responsibility Matrix inventory', () => {
  it('finds the service of a Bicep type written in another case, as Azure and the rules do', () => {
    const fs = memoryFileSystem({
      '/ws/main.bicep': "resource stg 'microsoft.storage/storageaccounts@2023-01-01' = {\n  name: 'acme'\n  location: 'westeurope'\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n",
    });
    const m = buildMatrix([{ analysis: analyzeUnitOf('/ws/main.bicep', fs, { rules: ruleSet }), isReported: () => true }], ruleSet, 1);
    assert.deepEqual(m.unlisted, []);
    assert.deepEqual(service(m, 'azure/storage').resources.map((r) => `${r.line} ${r.type}`), ['1 microsoft.storage/storageaccounts']);
    assert.ok(cell(m, 'azure/storage', 'network').findings.some((f) => f.ruleId === 'azure-storage-min-tls'));
  });
});

describe('Responsibility Matrix duties (the catalog\'s definition)', () => {
  /** A rule set whose aws/ec2 has the given duties, and the matrix of one Terraform module with it. */
  function ec2Matrix(duties: Duty[], tf: string): MatrixData {
    const base = fixtureRuleSet();
    const rules: RuleSet = { ...base, services: base.services.map((s) => (s.id === 'aws/ec2' ? { ...s, duties } : s)) };
    const fs = memoryFileSystem({ '/ws/main.tf': tf });
    return buildMatrix([{ analysis: analyzeUnitOf('/ws/main.tf', fs, { rules }), isReported: () => true }], rules, 1);
  }
  const instances = { terraform: ['aws_instance'] };
  const cases: { name: string; duty: Partial<Duty>; tf: string; state: string }[] = [
    {
      name: 'a setting set to something fulfils it',
      duty: { fulfilledBy: { terraform: ['monitoring'] } },
      tf: 'resource "aws_instance" "web" {\n  monitoring = true\n}\n',
      state: 'secure',
    },
    {
      name: 'a setting set to false is a gap',
      duty: { fulfilledBy: { terraform: ['monitoring'] } },
      tf: 'resource "aws_instance" "web" {\n  monitoring = false\n}\n',
      state: 'gap',
    },
    {
      name: 'an empty block is a gap',
      duty: { fulfilledBy: { terraform: ['metadata_options'] } },
      tf: 'resource "aws_instance" "web" {\n  metadata_options {\n  }\n}\n',
      state: 'gap',
    },
    {
      name: 'a setting from a variable without a default is undecided, never a gap',
      duty: { fulfilledBy: { terraform: ['monitoring'] } },
      tf: 'variable "on" {}\n\nresource "aws_instance" "web" {\n  monitoring = var.on\n}\n',
      state: 'unknown',
    },
    {
      name: 'a companion the resource names fulfils it (a reference in the other direction)',
      duty: { fulfilledBy: { terraform: ['resource:aws_iam_instance_profile'] } },
      tf: 'resource "aws_iam_instance_profile" "web" {\n  name = "web"\n}\n\nresource "aws_instance" "web" {\n  iam_instance_profile = aws_iam_instance_profile.web.name\n}\n',
      state: 'secure',
    },
    {
      name: "a companion that names another instance is that instance's",
      duty: { fulfilledBy: { terraform: ['resource:aws_eip'] } },
      tf: 'resource "aws_instance" "web" {\n}\n\nresource "aws_instance" "db" {\n}\n\nresource "aws_eip" "db" {\n  instance = aws_instance.db.id\n}\n',
      state: 'gap',
    },
    {
      name: 'the provider covers it by default when nothing fulfils it',
      duty: { providerDefault: true, fulfilledBy: { terraform: ['monitoring'] } },
      tf: 'resource "aws_instance" "web" {\n}\n',
      state: 'provider',
    },
    {
      name: 'a duty with no rule and no fulfilment in the language is undecided',
      duty: { fulfilledBy: { cloudformation: ['Monitoring'] } },
      tf: 'resource "aws_instance" "web" {\n}\n',
      state: 'unknown',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const duty: Duty = { id: 'test-duty', name: 'Test duty', layer: 'os', appliesTo: instances, providerDefault: false, ...c.duty };
      const m = ec2Matrix([duty], c.tf);
      const os = cell(m, 'aws/ec2', 'os');
      const web = os.duties.find((d) => d.id === 'test-duty');
      const webGap = os.gaps.some((g) => g.resource === 'aws_instance.web');
      const states = Object.keys(web?.counts ?? {});
      if (c.state === 'gap') {
        assert.ok(webGap, JSON.stringify(os));
      } else {
        assert.ok(!webGap, JSON.stringify(os));
        assert.ok(states.includes(c.state), `${c.state} in ${states.join(', ')}`);
      }
    });
  }
});

describe('Responsibility Matrix renderers', () => {
  it('Markdown: one table per provider, a row per service with its cells, then findings and gaps with places', () => {
    const md = renderMatrixMarkdown(matrix);
    assert.match(md, /^## Responsibility Matrix\n/);
    assert.match(md, /\n### Azure\n\n\| Service \| Model \| Resources \| Data \| Identity \| Application \| Network \| OS \| Physical \|\n/);
    assert.ok(
      md.includes('| Azure Storage `azure/storage` | paas | 2 | customer · 🟠 1 gap | customer · 🟢 secure | shared · ⚪ not checked | shared · 🟢 secure | provider · ☁️ provider | provider · ☁️ provider |'),
      md,
    );
    assert.match(md, /- `.*bicep\/main\.bicep:34` `unlogged`: \*\*Diagnostic settings\*\* is not configured \(Azure Storage · data\) — add a companion `Microsoft\.Insights\/diagnosticSettings` resource for it\n/);
    assert.match(md, /- `.*cloudformation\/stack\.yaml:27` \*\*medium\*\* `aws-rds-backup-retention` RDS automated backups are disabled — Amazon RDS · data\n/);
  });

  it('CSV: a header and one row per service and layer', () => {
    const csv = renderMatrixCsv(matrix);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'provider,service_id,service,model,resources,layer,owner,state,open_findings,gaps,suppressed,note,findings,gap_duties');
    assert.equal(lines.length, 1 + 4 * 6);
    const row = lines.find((l) => l.startsWith('Azure,azure/storage,Azure Storage,paas,2,data,customer,gap,0,1,0,'));
    assert.ok(row, csv);
    assert.match(row, /bicep\/main\.bicep:34 unlogged diagnostic-settings$/);
  });

  it('CSV: defuses fields a spreadsheet would run as formulas, and quotes commas and quotes', () => {
    const hostile = matrixOf([MATRIX_WORKSPACE], ruleSet);
    const storage = service(hostile, 'azure/storage');
    storage.name = '=HYPERLINK("http://x","y"), z';
    const row = renderMatrixCsv(hostile).split('\r\n').find((l) => l.includes('HYPERLINK'));
    assert.ok(row?.includes(`"'=HYPERLINK(""http://x"",""y""), z"`), row);
  });

  it('HTML: escapes every text from scanned files, in text and attributes', () => {
    const fs = memoryFileSystem({
      '/ws/evil.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  "<img src=x onerror=alert(1)>":\n    Type: AWS::S3::Bucket\n`,
    });
    const evil = buildMatrix([{ analysis: analyzeUnitOf('/ws/evil.yaml', fs, { rules: ruleSet }), isReported: () => true }], ruleSet, 1);
    assert.equal(service(evil, 'aws/s3').resources[0]?.address, '<img src=x onerror=alert(1)>');
    const html = renderMatrixHtml(MatrixDataWithFile(evil, '/ws/"><script>alert(2)</script>.yaml'));
    assert.ok(!html.includes('<img src=x'), 'the resource name is not markup');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes('<script>alert(2)'), 'the path is not markup');
    assert.ok(html.includes('data-file="/ws/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;.yaml"'));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">/);
    assert.ok(!/<script|<link|src="http|url\(/.test(html), 'nothing is loaded or run in the standalone page');
  });

  it('HTML in the webview: the script and style carry the nonce, and the export buttons are there', () => {
    const html = renderMatrixHtml(matrix, { nonce: 'abc123' });
    assert.match(html, /content="default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123';"/);
    assert.match(html, /<script nonce="abc123">/);
    assert.match(html, /<button type="button" data-export="markdown">Export to Markdown<\/button>/);
    assert.match(html, /<button type="button" data-export="csv">Export to CSV<\/button>/);
  });
});

/** The matrix with every file path replaced (to put hostile text where paths go). */
function MatrixDataWithFile(m: MatrixData, file: string): MatrixData {
  const copy = JSON.parse(JSON.stringify(m)) as MatrixData;
  for (const s of copy.providers.flatMap((p) => p.services)) {
    s.resources.forEach((r) => (r.file = file));
  }
  return copy;
}
