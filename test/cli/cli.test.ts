/**
 * The `onus` command as a user runs it: the built `dist/cli.js` in a child process, over folders of real files.
 * Checks every format against the contract of DESIGN.md, SARIF against the 2.1.0 schema, and the exit codes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { runCli, synchronousWriter } from '../../server/src/cli/main';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** Runs the CLI in `cwd` with colour off. */
function onus(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** Writes files into a new temporary folder. */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The module of the issue: a public bucket ACL, an SSH-open security group, an unencrypted public RDS instance. */
const INSECURE_MODULE = `resource "aws_s3_bucket" "assets" {
  bucket = "assets"
  acl    = "public-read"
}

resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = true
  storage_encrypted   = false
}
`;

/** The split-resource traps: a bucket configured by AWS provider v4+ resources, and no open ingress. */
const SPLIT_MODULE = `resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "private"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_security_group" "web" {
  name = "web"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.web.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
`;

interface JsonFinding {
  ruleId: string;
  severity: string;
  owner: string;
  layer: string;
  service: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
}

describe('onus CLI', () => {
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  });

  it('reports the public ACL, the open SSH and the public unencrypted database, each at its line', () => {
    const dir = workspace({ 'main.tf': INSECURE_MODULE });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { version: number; findings: JsonFinding[]; errors: unknown[] };
    assert.equal(doc.version, 1);
    const at = (id: string) => doc.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}:${f.column}`);
    assert.deepEqual(at('aws-s3-public-acl'), ['main.tf:3:12']);
    assert.deepEqual(at('aws-ec2-sg-public-ssh'), ['main.tf:11:20']);
    assert.deepEqual(at('aws-rds-public-access'), ['main.tf:18:25']);
    assert.deepEqual(at('aws-rds-storage-encryption'), ['main.tf:19:25']);
    const acl = doc.findings.find((f) => f.ruleId === 'aws-s3-public-acl')!;
    assert.deepEqual(
      { owner: acl.owner, layer: acl.layer, service: acl.service, fixable: acl.fixable, endLine: acl.endLine, endColumn: acl.endColumn },
      { owner: 'customer', layer: 'network', service: 'aws/s3', fixable: true, endLine: 3, endColumn: 25 },
    );
    assert.deepEqual(doc.errors, []);
    assert.ok(!('suppressed' in doc), 'suppressed is listed only with --list-suppressed');
  });

  it('does not report buckets and ingress configured through split resources', () => {
    const dir = workspace({ 'main.tf': SPLIT_MODULE });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    const doc = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    const traps = doc.findings.filter((f) =>
      ['aws-s3-public-acl', 'aws-s3-bucket-public-access-block', 'aws-s3-versioning', 'aws-ec2-sg-public-ssh', 'aws-ec2-sg-public-all-ports'].includes(
        f.ruleId,
      ),
    );
    assert.deepEqual(traps, []);
  });

  it('prints text grouped by file with file:line:column, severity, rule, owner, layer and the fix hint', () => {
    const dir = workspace({ 'main.tf': INSECURE_MODULE });
    const r = onus(['scan', 'main.tf'], dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'main.tf');
    const i = lines.findIndex((l) => l.includes('aws-s3-public-acl'));
    assert.match(lines[i]!, /^ {2}main\.tf:3:12 {2}critical aws-s3-public-acl {2}customer-owned · network layer$/);
    assert.match(lines[i + 1]!, /^ {4}S3 bucket uses the public canned ACL "public-read"$/);
    assert.match(lines[i + 2]!, /^ {4}fix: .+\(quick fix: .+\)$/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour when not on a terminal');
    assert.match(lines.filter((l) => l.length > 0).pop()!, /^\d+ findings \(.*critical.*\) in 1 file; 1 file scanned; \d+ with a quick fix\.$/);
  });

  it("a CloudFormation finding's fix hint speaks of CloudFormation, a Terraform finding's of Terraform", () => {
    const template = 'Resources:\n  Assets:\n    Type: AWS::S3::Bucket\n';
    const dir = workspace({ 'template.yaml': template, 'main.tf': 'resource "aws_s3_bucket" "assets" {}\n' });
    const lines = onus(['scan', '.'], dir).stdout.split('\n');
    const hint = (file: string) => lines[lines.findIndex((l) => l.includes(`${file}:`) && l.includes('aws-s3-bucket-public-access-block')) + 2];
    assert.equal(
      hint('template.yaml'),
      '    fix: In CloudFormation, give the AWS::S3::Bucket a PublicAccessBlockConfiguration with all four settings true. (quick fix: Block public access (all four settings))',
    );
    assert.match(hint('main.tf')!, /^ {4}fix: Add an aws_s3_bucket_public_access_block resource whose bucket refers to this bucket/);
  });

  it('colours the text output when forced', () => {
    const dir = workspace({ 'main.tf': INSECURE_MODULE });
    const r = spawnSync(process.execPath, [CLI, 'scan', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '1' },
    });
    assert.ok(r.stdout.includes('\u001b[31m'), 'high findings in red');
  });

  it('writes SARIF 2.1.0 that validates against the schema, with owner and layer properties', () => {
    const dir = workspace({ 'main.tf': INSECURE_MODULE });
    const r = onus(['scan', '.', '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as { runs: any[] };
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, logger: false });
    const validate = ajv.compile(sarifSchema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0];
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'aws-s3-public-acl');
    assert.deepEqual(result.properties.owner, 'customer');
    assert.deepEqual(result.properties.layer, 'network');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 12, endLine: 3, endColumn: 25 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'main.tf');
    const rule = run.tool.driver.rules[result.ruleIndex];
    assert.equal(rule.id, 'aws-s3-public-acl');
    assert.ok(rule.help.text.length > 40, 'rules carry help text');
    assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
  });

  it('--severity filters what is reported and what sets the exit code', () => {
    const dir = workspace({
      'main.tf': `resource "aws_s3_bucket_versioning" "v" {
  bucket = "b"
  versioning_configuration {
    status = "Suspended"
  }
}
`,
    });
    const all = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as { findings: JsonFinding[] };
    assert.ok(all.findings.some((f) => f.severity === 'medium'));
    const r = onus(['scan', '.', '--format', 'json', '--severity', 'critical'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).findings, []);
  });

  it('exits 0 with nothing to report', () => {
    const dir = workspace({ 'main.tf': 'variable "x" {}\n' });
    const r = onus(['scan', '.'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^No findings \(1 file scanned\)\.$/m);
    const sarif = onus(['scan', '.', '--format', 'sarif'], dir);
    const log = JSON.parse(sarif.stdout) as { runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[] };
    assert.deepEqual([log.runs[0]!.results, log.runs[0]!.tool.driver.rules], [[], []]);
    assert.equal(sarif.stdout, JSON.stringify(log, null, 2) + '\n');
  });

  it('lists syntax errors with their location and still scans the rest of the file', () => {
    const dir = workspace({
      'main.tf': `resource "aws_s3_bucket" "a" {
  bucket = 
}

resource "aws_s3_bucket" "b" {
  acl = "public-read-write"
}
`,
    });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; errors: { file: string; line: number; column: number; message: string }[] };
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0]!.file, 'main.tf');
    assert.equal(doc.errors[0]!.line, 2);
    assert.ok(doc.findings.some((f) => f.ruleId === 'aws-s3-public-acl' && f.line === 6));
  });

  it('a syntax error alone does not change the exit code', () => {
    const dir = workspace({ 'main.tf': 'variable "x" {\n  default = \n}\n' });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).errors.length, 1);
  });

  it('skips .terraform, .git and node_modules', () => {
    const dir = workspace({
      'main.tf': 'variable "x" {}\n',
      '.terraform/modules/m/main.tf': INSECURE_MODULE,
      'node_modules/x/main.tf': INSECURE_MODULE,
      '.git/x.tf': INSECURE_MODULE,
    });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).findings, []);
  });

  it('says when a finding is in a loop, in the text output', () => {
    const dir = workspace({
      'main.bicep': `param names array = [
  'one'
  'two'
]

resource stgs 'Microsoft.Storage/storageAccounts@2023-01-01' = [for name in names: {
  name: name
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_0'
  }
}]
`,
    });
    const r = onus(['scan', '.'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /main\.bicep:14:24 +medium +azure-storage-min-tls.*\n {4}Storage account accepts TLS versions older than 1\.2 \(in a loop\)\n/);
  });

  it('lists suppressed findings with their reason only when asked', () => {
    const dir = workspace({
      'main.tf': `# onus:ignore aws-s3-public-acl until=2099-01-01 public website assets, reviewed
resource "aws_s3_bucket_acl" "site" {
  bucket = "site"
  acl    = "public-read"
}
`,
    });
    const plain = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as { findings: JsonFinding[] };
    assert.ok(!plain.findings.some((f) => f.ruleId === 'aws-s3-public-acl'));
    const listed = JSON.parse(onus(['scan', '.', '--format', 'json', '--list-suppressed'], dir).stdout) as {
      suppressed: (JsonFinding & { reason: string; until: string })[];
    };
    const s = listed.suppressed.find((f) => f.ruleId === 'aws-s3-public-acl');
    assert.deepEqual([s?.reason, s?.until, s?.line], ['public website assets, reviewed', '2099-01-01', 4]);
  });

  it('prints a report larger than one printed piece as exactly one indented JSON document, in every section', () => {
    // 150 copies of the insecure module: over 500 findings, so the report is printed in several pieces.
    const copies = Array.from({ length: 150 }, (_, i) => INSECURE_MODULE.replace(/" "(\w+)" \{/g, `" "$1_${i}" {`)).join('\n');
    const dir = workspace({
      'main.tf': copies,
      'broken.tf': 'variable "x" {\n  default = \n}\n',
      'site.tf': '# onus:ignore aws-s3-public-acl\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "a"\n  acl    = "public-read"\n}\n',
      'assets.tf': '# onus:ignore aws-s3-public-acl until=2099-01-01 reviewed\nresource "aws_s3_bucket_acl" "b" {\n  bucket = "b"\n  acl    = "public-read"\n}\n',
    });
    const r = onus(['scan', '.', '--format', 'json', '--list-suppressed'], dir);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; errors: unknown[]; suppressionProblems: unknown[]; suppressed: unknown[] };
    assert.ok(doc.findings.length > 1000, `${doc.findings.length} findings`);
    assert.deepEqual([doc.errors.length, doc.suppressionProblems.length, doc.suppressed.length], [1, 1, 2]);
    assert.equal(r.stdout, JSON.stringify(doc, null, 2) + '\n');
    // In process: the pieces a caller receives make the same text that the whole-string result holds.
    const previous = process.cwd();
    process.chdir(dir);
    try {
      for (const format of ['json', 'sarif', 'text']) {
        const args = ['scan', '.', '--format', format, '--list-suppressed'];
        const pieces: string[] = [];
        const streamed = runCli(args, { isColor: false, writeStdout: (chunk) => pieces.push(chunk) });
        const whole = runCli(args, { isColor: false });
        assert.ok(pieces.length > 3, `${format}: ${pieces.length} pieces`);
        assert.equal(streamed.stdout, '');
        assert.equal(pieces.join(''), whole.stdout, format);
        if (format === 'json') {
          assert.equal(whole.stdout, r.stdout);
        } else if (format === 'sarif') {
          const log = JSON.parse(whole.stdout) as { runs: { results: unknown[] }[] };
          assert.equal(whole.stdout, JSON.stringify(log, null, 2) + '\n');
          assert.equal(log.runs[0]!.results.length, doc.findings.length + 2 + 1);
        } else {
          assert.equal(whole.stdout.split('\n').filter((line) => / (critical|high|medium|low) /.test(line)).length, doc.findings.length);
        }
      }
    } finally {
      process.chdir(previous);
    }
  });

  it('evaluates local modules with the call inputs and reports in the module file', () => {
    const dir = workspace({
      'root/main.tf': `module "store" {
  source = "../modules/store"
  acl    = "public-read"
}
module "remote" {
  source = "terraform-aws-modules/s3-bucket/aws"
}
`,
      'modules/store/main.tf': `variable "acl" {}
resource "aws_s3_bucket_acl" "this" {
  bucket = "store"
  acl    = var.acl
}
`,
    });
    const r = onus(['scan', 'root'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /modules\/store\/main\.tf:4:12 {2}critical aws-s3-public-acl/);
    assert.match(r.stdout, /1 remote module call was not fetched/);
  });

  it('reports a finding in a module that several scanned callers reach once, with its quick fix', () => {
    const caller = (name: string) => `module "store" {\n  source = "../modules/store"\n  acl    = "public-read"\n}\n# ${name}\n`;
    const dir = workspace({
      'app/main.tf': caller('app'),
      'site/main.tf': caller('site'),
      'modules/store/main.tf': `variable "acl" {
  default = "public-read"
}
resource "aws_s3_bucket_acl" "this" {
  bucket = "store"
  acl    = var.acl
}
`,
    });
    const json = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as { findings: JsonFinding[] };
    const inModule = json.findings.filter((f) => f.file === 'modules/store/main.tf' && f.ruleId === 'aws-s3-public-acl');
    assert.deepEqual(inModule.map((f) => [f.line, f.column, f.fixable]), [[6, 12, true]]);
    const text = onus(['scan', '.'], dir).stdout;
    assert.equal(text.split('aws-s3-public-acl').length - 1, 1, text);
    assert.match(text, /fix:.*\(quick fix: /);
  });

  it('writes each piece of its output whole, small and large, beyond ASCII, through the one buffer it reuses', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onus-cli-')), 'out.txt');
    const fd = fs.openSync(file, 'w');
    const pieces = ['{', 'é'.repeat(40_000), 'ab', '€😀'.repeat(70_000), '', 'x'.repeat(200_000), 'ü\n'];
    const write = synchronousWriter(fd);
    pieces.forEach(write);
    fs.closeSync(fd);
    assert.equal(fs.readFileSync(file, 'utf8'), pieces.join(''));
  });

  it('stops printing quietly when the reader of its output goes away', () => {
    const copies = Array.from({ length: 40 }, (_, i) => INSECURE_MODULE.replace(/" "(\w+)" \{/g, `" "$1_${i}" {`)).join('\n');
    const dir = workspace({ 'main.tf': copies });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" scan . --format json | head -c 100`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.stdout.length, 100);
    assert.ok(r.stdout.startsWith('{\n  "version": 1,\n  "findings": [\n    {\n      "ruleId": '), r.stdout);
    assert.equal(r.stderr, '');
  });

  it('evaluates modules terraform init downloaded with the call inputs and reports in the module file', () => {
    const dir = workspace({
      'main.tf': `module "assets" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  acl     = "public-read"
}
module "other" {
  source = "terraform-aws-modules/vpc/aws"
}
`,
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'assets', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Version: '4.1.0', Dir: '.terraform/modules/assets' },
          { Key: 'assets.acl', Source: './modules/acl', Dir: '.terraform/modules/assets/modules/acl' },
        ],
      }),
      '.terraform/modules/assets/main.tf': `variable "acl" {}
module "acl" {
  source = "./modules/acl"
  acl    = var.acl
}
`,
      '.terraform/modules/assets/modules/acl/main.tf': `variable "acl" {}

resource "aws_s3_bucket_acl" "this" {
  bucket = "assets"
  acl    = var.acl
}
`,
    });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId === 'aws-s3-public-acl');
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column]),
      [[path.join('.terraform', 'modules', 'assets', 'modules', 'acl', 'main.tf'), 5, 12]],
    );
    assert.match(onus(['scan', '.'], dir).stdout, /1 remote module call was not fetched/);
  });

  const usage: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'no command', args: [], message: /Usage/ },
    { name: 'an unknown command', args: ['lint'], message: /unknown command "lint"/ },
    { name: 'an unknown format', args: ['scan', '.', '--format', 'xml'], message: /unknown format "xml"/ },
    { name: 'an unknown severity', args: ['scan', '.', '--severity', 'urgent'], message: /unknown severity "urgent"/ },
    { name: 'an unknown option', args: ['scan', '.', '--fast'], message: /unknown option "--fast"/ },
    { name: 'scan without a path', args: ['scan'], message: /at least one PATH/ },
    { name: 'a path that does not exist', args: ['scan', 'nowhere'], message: /cannot read "nowhere"/ },
  ];
  for (const c of usage) {
    it(`exits 2 on ${c.name}`, () => {
      const r = onus(c.args, workspace({}));
      assert.equal(r.code, 2);
      assert.match(r.stderr + r.stdout, c.message);
    });
  }

  it('reports CloudFormation property names AWS\'s specification does not know, as warnings that fail the scan', () => {
    const dir = workspace({
      'group.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ops:
    Type: AWS::IAM::Group
    Properties:
      GroupNmae: ops
      Path: /ops/
`,
      'group.json': `{
  "Resources": {
    "Ops": {
      "Type": "AWS::IAM::Group",
      "Properties": { "Path": "/ops/", "GroupName": "ops", "ManagedPolicyArn": [] }
    }
  }
}
`,
    });
    const text = onus(['scan', '.'], dir);
    assert.equal(text.code, 1, 'an unknown property fails the scan, as cfn-lint\'s invalid-property error does');
    assert.match(
      text.stdout,
      /^Unknown properties\n {2}group\.json:5:60 +warning +onus-cfn-unknown-property +Unknown property "ManagedPolicyArn" for AWS::IAM::Group; did you mean "ManagedPolicyArns"\?\n {2}group\.yaml:6:7 +warning +onus-cfn-unknown-property +Unknown property "GroupNmae" for AWS::IAM::Group; did you mean "GroupName"\?$/m,
    );
    assert.match(text.stdout, /^No findings \(2 files scanned\); 2 unknown properties\.$/m);
    const json = JSON.parse(onus(['scan', 'group.yaml', '--format', 'json'], dir).stdout) as { findings: unknown[]; unknownProperties: unknown[] };
    assert.deepEqual(json.findings, []);
    assert.deepEqual(json.unknownProperties, [
      {
        ruleId: 'onus-cfn-unknown-property',
        message: 'Unknown property "GroupNmae" for AWS::IAM::Group; did you mean "GroupName"?',
        file: 'group.yaml',
        line: 6,
        column: 7,
        endLine: 6,
        endColumn: 16,
        resource: 'Ops',
        suggestions: ['GroupName'],
      },
    ]);
    const sarif = onus(['scan', 'group.yaml', '--format', 'sarif'], dir);
    const log = JSON.parse(sarif.stdout) as { runs: any[] };
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, logger: false });
    const validate = ajv.compile(sarifSchema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'onus-cfn-unknown-property');
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 6, startColumn: 7, endLine: 6, endColumn: 16 });
    assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'onus-cfn-unknown-property');
  });

  it('.onus.yaml\'s rules.disabled turns the unknown-property warning off, and --severity does not', () => {
    const template = `Resources:
  Ops:
    Type: AWS::IAM::Group
    Properties:
      GroupNmae: ops
`;
    const on = workspace({ 'group.yaml': template });
    assert.equal(onus(['scan', '.', '--severity', 'critical'], on).code, 1);
    const off = workspace({ '.onus.yaml': 'rules:\n  disabled: [onus-cfn-unknown-property]\n', 'group.yaml': template });
    const r = onus(['scan', '.'], off);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '', 'the id is known to .onus.yaml');
    assert.match(r.stdout, /^No findings \(1 file scanned\)\.$/m);
    assert.ok(!r.stdout.includes('GroupNmae'));
  });

  it('scans the bundled examples as the README says', () => {
    const r = onus(['scan', 'examples/'], ROOT);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /examples\/terraform\/app\/main\.tf:\d+:\d+ +\w+ +aws-s3-public-acl +customer-owned · network layer/);
    assert.match(r.stdout, /examples\/cloudformation\/app\.yaml:15:22 +\w+ +aws-s3-public-acl +customer-owned · network layer/);
    assert.match(r.stdout, /examples\/bicep\/main\.bicep:13:24 +\w+ +azure-storage-min-tls +customer-owned · network layer/);
    assert.ok(!r.stdout.includes('examples/terraform/secure/'), 'the secure example has no findings');
  });

  it('lists the catalog as JSON with the contract fields', () => {
    const r = onus(['rules', '--format', 'json'], ROOT);
    assert.equal(r.code, 0);
    const { rules } = JSON.parse(r.stdout) as { rules: Record<string, unknown>[] };
    assert.ok(rules.length >= 30, `only ${rules.length} rules`);
    const keys = ['id', 'title', 'severity', 'provider', 'owner', 'layer', 'service', 'concept', 'languages', 'resourceTypes', 'fixable', 'references', 'compliance'];
    for (const rule of rules) {
      assert.deepEqual(Object.keys(rule), keys);
    }
    const acl = rules.find((x) => x.id === 'aws-s3-public-acl');
    assert.deepEqual(acl?.languages, ['terraform', 'cloudformation']);
    assert.equal(acl?.provider, 'aws');
  });
});
