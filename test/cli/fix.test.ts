/**
 * `onus fix` through the built CLI: fixes in place with the quick fixes' edits, `--dry-run` prints a unified diff and
 * writes nothing, `--rule` limits the fixes, files without findings and files that do not parse stay byte for byte,
 * and the exit code is what `onus scan` says afterwards.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function onus(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-fix-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

const STORAGE = `resource "azurerm_storage_account" "logs" {
  name                     = "logs"
  min_tls_version          = "TLS1_0"
  allow_nested_items_to_be_public = true
}
`;

/** A bucket with a policy of its own that does not deny requests without TLS: no fix can add that statement. */
const UNFIXABLE = `resource "aws_s3_bucket" "reports" {
  bucket = "org-reports"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] })
}
`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

const SECURE = `# nothing to fix here
variable "name" {
  type = string
}
`;

describe('cli: onus fix', function () {
  this.timeout(60000);
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function setup(files: Record<string, string>): string {
    const dir = workspace(files);
    dirs.push(dir);
    return dir;
  }

  it('applies the quick fixes in place, reports them, and leaves files without findings untouched', () => {
    const dir = setup({ 'tf/main.tf': STORAGE, 'tf/vars.tf': SECURE, 'stack.yaml': TEMPLATE });
    const before = fs.statSync(path.join(dir, 'tf/vars.tf')).mtimeMs;
    const r = onus(['fix', '.'], dir);
    assert.match(r.stdout, /^stack\.yaml: fixed \d+ \(.*aws-rds-public-access.*\)$/m);
    assert.match(r.stdout, /^tf\/main\.tf: fixed \d+ \(.*azure-storage-min-tls.*\)$/m);
    assert.match(read(dir, 'tf/main.tf'), /min_tls_version {10}= "TLS1_2"/);
    assert.match(read(dir, 'tf/main.tf'), /allow_nested_items_to_be_public = false/);
    assert.match(read(dir, 'stack.yaml'), /PubliclyAccessible: false/);
    assert.equal(read(dir, 'tf/vars.tf'), SECURE);
    assert.equal(fs.statSync(path.join(dir, 'tf/vars.tf')).mtimeMs, before);
    // What is left has no automatic fix; scan agrees with fix's exit code.
    const scan = onus(['scan', '.', '--format', 'json'], dir);
    const left = (JSON.parse(scan.stdout) as { findings: { fixable: boolean }[] }).findings;
    assert.deepEqual(left.filter((f) => f.fixable), []);
    assert.equal(r.code, scan.code);
    assert.match(r.stdout, new RegExp(`; ${left.length} not fixed\\.$`, 'm'));
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const dir = setup({ 'main.tf': STORAGE, 'bucket.tf': UNFIXABLE });
    const r = onus(['fix', '.', '--dry-run'], dir);
    assert.equal(read(dir, 'main.tf'), STORAGE);
    assert.match(r.stdout, /^--- a\/main\.tf\n\+\+\+ b\/main\.tf\n@@ -1,5 \+1,\d+ @@\n/m);
    assert.match(r.stdout, /^- {2}min_tls_version {10}= "TLS1_0"$/m);
    assert.match(r.stdout, /^\+ {2}min_tls_version {10}= "TLS1_2"$/m);
    assert.match(r.stdout, /^main\.tf: would fix \d+ /m);
    assert.match(r.stdout, /^ {2}bucket\.tf:\d+:\d+ aws-s3-secure-transport /m);
    assert.equal(read(dir, 'bucket.tf'), UNFIXABLE);
    assert.equal(r.code, 1);
  });

  it('--rule applies only the named rules', () => {
    const dir = setup({ 'main.tf': STORAGE });
    const r = onus(['fix', '.', '--rule', 'azure-storage-min-tls'], dir);
    assert.match(r.stdout, /^main\.tf: fixed 1 \(azure-storage-min-tls\)$/m);
    assert.equal(read(dir, 'main.tf'), STORAGE.replace('"TLS1_0"', '"TLS1_2"'));
  });

  it('exits 0 when nothing of the rules it fixed is left, 1 while a finding remains', () => {
    const dir = setup({ 'main.tf': STORAGE, 'bucket.tf': UNFIXABLE });
    const only = onus(['fix', '.', '--rule', 'azure-storage-min-tls', '--dry-run'], dir);
    assert.equal(only.code, 0);
    assert.match(only.stdout, /Would fix 1 finding in 1 file; 0 not fixed\.$/m);
    const all = onus(['fix', '.', '--dry-run'], dir);
    assert.equal(all.code, 1);
  });

  it('adds a KMS key that a queue on the AWS managed key refers to, in Terraform and CloudFormation, once', () => {
    const queue = `resource "aws_sqs_queue" "orders" {\n  name              = "orders"\n  kms_master_key_id = "alias/aws/sqs"\n}\n`;
    const stack = `Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: alias/aws/sqs\n`;
    const dir = setup({ 'tf/main.tf': queue, 'tf/keys.tf': 'resource "aws_kms_key" "orders" {\n  enable_key_rotation = true\n}\n', 'stack.yaml': stack });
    const r = onus(['fix', '.', '--rule', 'aws-sqs-customer-key'], dir);
    assert.match(r.stdout, /^tf\/main\.tf: fixed 1 \(aws-sqs-customer-key\)$/m);
    assert.match(r.stdout, /^stack\.yaml: fixed 1 \(aws-sqs-customer-key\)$/m);
    // `aws_kms_key.orders` is taken in another file of the module: the new key is `orders_2`.
    assert.equal(
      read(dir, 'tf/main.tf'),
      `resource "aws_sqs_queue" "orders" {\n  name              = "orders"\n  kms_master_key_id = aws_kms_key.orders_2.key_id\n}\n\n` +
        `resource "aws_kms_key" "orders_2" {\n  description             = "Encrypts aws_sqs_queue.orders"\n  enable_key_rotation     = true\n  deletion_window_in_days = 30\n}\n`,
    );
    const fixedStack = read(dir, 'stack.yaml');
    assert.match(fixedStack, /KmsMasterKeyId: !Ref OrdersKey\n {2}OrdersKey:\n {4}Type: AWS::KMS::Key\n/);
    assert.match(fixedStack, /EnableKeyRotation: true/);
    assert.match(fixedStack, /AWS: !Sub arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:root/);
    // Nothing is left to fix: a second run changes nothing and the scan is clean for the rule.
    const again = onus(['fix', '.', '--rule', 'aws-sqs-customer-key'], dir);
    assert.equal(again.code, 0);
    assert.equal(read(dir, 'stack.yaml'), fixedStack);
    assert.equal(onus(['scan', '.', '--format', 'json'], dir).stdout.includes('aws-sqs-customer-key'), false);
  });

  it('leaves a file that does not parse byte for byte, and says so', () => {
    const broken = `${STORAGE}resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n`;
    const dir = setup({ 'main.tf': broken });
    const r = onus(['fix', '.'], dir);
    assert.equal(read(dir, 'main.tf'), broken);
    assert.match(r.stdout, /^main\.tf: not changed, it has syntax errors$/m);
  });

  it('is a usage error without a path or with an unknown rule', () => {
    const dir = setup({ 'main.tf': STORAGE });
    assert.equal(onus(['fix'], dir).code, 2);
    const unknown = onus(['fix', '.', '--rule', 'no-such-rule'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown rule "no-such-rule"/);
    assert.equal(onus(['fix', 'missing-folder'], dir).code, 2);
    assert.equal(read(dir, 'main.tf'), STORAGE);
  });
});
