/**
 * Completion through the protocol, as a new user would meet it: start typing a resource, accept the secure template
 * the server offers (its snippet expanded as an editor does, each tab stop keeping its default text), and the server
 * then publishes no finding for the file. Inside a resource, the secure value of a setting comes first.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-protocol';
import { ensureBuilt, makeFolder, positionAt, removeFolder, TestClient, uriOf } from './lspClient';

/** Expands a snippet as an editor does when the user tabs through it without typing: every tab stop keeps its default. */
export function expandSnippet(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i]!;
    if (c === '\\' && i + 1 < snippet.length) {
      out += snippet[++i];
    } else if (c === '$' && snippet[i + 1] === '{') {
      const colon = snippet.indexOf(':', i);
      i = colon; // the default text follows; its closing brace is skipped below
    } else if (c === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      while (/\d/.test(snippet[i + 1] ?? '')) {
        i++;
      }
    } else if (c === '}') {
      // The end of a tab stop's default text (literal braces are escaped).
    } else {
      out += c;
    }
  }
  return out;
}

interface Case {
  name: string;
  file: string;
  languageId: string;
  /** The text typed so far; the cursor is at its end. */
  typed: string;
  /** What follows the cursor (an editor's auto-closed quote, the rest of the template). */
  after?: string;
  label: string;
  /** FIXME(#12): findings the template still has. */
  remaining?: string[];
  /** What the accepted text holds besides the resource (a companion with the content a rule checks). */
  companions?: RegExp[];
}

const cases: Case[] = [
  { name: 'Terraform S3 bucket', file: 'main.tf', languageId: 'terraform', typed: 'resource "aws_s3', after: '"\n', label: 'aws_s3_bucket',
    companions: [/resource "aws_s3_bucket_policy" "example" \{\n {2}bucket = aws_s3_bucket\.example\.id\n {2}policy = jsonencode\(\{[^]*Effect += "Deny"[^]*"aws:SecureTransport" = "false"/],
  },
  { name: 'Terraform RDS instance', file: 'main.tf', languageId: 'terraform', typed: 'resource "aws_db_in', label: 'aws_db_instance' },
  { name: 'Terraform Azure storage account', file: 'main.tf', languageId: 'terraform', typed: 'resource "azurerm_storage_acc', label: 'azurerm_storage_account' },
  { name: 'Terraform GKE cluster', file: 'main.tf', languageId: 'terraform', typed: 'resource "google_container_cl', label: 'google_container_cluster' },
  {
    name: 'CloudFormation YAML S3 bucket',
    file: 'stack.yaml',
    languageId: 'yaml',
    typed: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::S3::Bu',
    after: '\n',
    label: 'AWS::S3::Bucket',
    companions: [/\n {2}LogsBucketPolicy:\n {4}Type: AWS::S3::BucketPolicy\n {4}Properties:\n {6}Bucket: !Ref Logs\n[^]*Effect: Deny[^]*aws:SecureTransport: 'false'/],
  },
  {
    name: 'CloudFormation JSON S3 bucket',
    file: 'stack.json',
    languageId: 'json',
    typed: '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Logs": {\n      "Type": "AWS::S3::Bu',
    after: '"\n    }\n  }\n}\n',
    label: 'AWS::S3::Bucket',
    companions: [/\n {4}\},\n {4}"LogsBucketPolicy": \{\n {6}"Type": "AWS::S3::BucketPolicy",\n {6}"Properties": \{\n {8}"Bucket": \{\n {10}"Ref": "Logs"\n[^]*"Effect": "Deny"[^]*"aws:SecureTransport": "false"/],
  },
  {
    name: 'CloudFormation YAML RDS instance',
    file: 'stack.yaml',
    languageId: 'yaml',
    typed: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Database:\n    Type: AWS::RDS::DBIns',
    after: '\n  Other:\n    Type: AWS::SNS::Subscription\n',
    label: 'AWS::RDS::DBInstance',
  },
  {
    name: 'CloudFormation JSON RDS instance',
    file: 'stack.json',
    languageId: 'json',
    typed: '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Database": {\n      "Type": "AWS::RDS::DBIns',
    after: '"\n    }\n  }\n}\n',
    label: 'AWS::RDS::DBInstance',
  },
  {
    name: 'Bicep storage account',
    file: 'main.bicep',
    languageId: 'bicep',
    typed: "resource stg 'Microsoft.Storage/storageAcc",
    after: "'\n",
    label: 'Microsoft.Storage/storageAccounts',
  },
];

describe('protocol: completion', function () {
  this.timeout(30000);
  let client: TestClient | undefined;
  const folders: string[] = [];

  before(() => ensureBuilt());

  afterEach(() => {
    client?.kill();
    client = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  async function open(file: string, text: string, languageId: string) {
    const folder = makeFolder({ [file]: text });
    folders.push(folder);
    client = (await TestClient.start()).client;
    const uri = uriOf(path.join(folder, file));
    await client.open(uri, text, languageId);
    await client.waitForVersion(uri, 1);
    return { c: client, uri };
  }

  it('announces completion with the quote, "=" and ":" triggers', async () => {
    const started = await TestClient.start();
    client = started.client;
    assert.deepEqual(started.result.capabilities.completionProvider?.triggerCharacters, ['"', "'", '=', ':', ' ']);
  });

  for (const c of cases) {
    it(`${c.name}: the secure template scans clean once accepted`, async () => {
      const text = c.typed + (c.after ?? '');
      const { c: lsp, uri } = await open(c.file, text, c.languageId);
      const items = await lsp.completion(uri, positionAt(text, c.typed.length));
      const item = items.find((i) => i.label === c.label);
      assert.ok(item, `no ${c.label} among ${items.length} items: ${items.slice(0, 5).map((i) => i.label).join(', ')}`);
      assert.equal(item.insertTextFormat, 2, 'a snippet');
      assert.equal(item.labelDetails?.description, 'secure template');
      const edit = item.textEdit as TextEdit;
      const version = await lsp.applyTextEdits(uri, [{ range: edit.range, newText: expandSnippet(edit.newText) }, ...(item.additionalTextEdits ?? [])]);
      const published = await lsp.waitForVersion(uri, version);
      const accepted = lsp.textOf(uri);
      for (const companion of c.companions ?? []) {
        assert.match(accepted, companion, 'the companion resource');
      }
      assert.deepEqual(
        published.diagnostics.map((d) => String(d.code)),
        c.remaining ?? [],
        `findings in the accepted template:\n${accepted}`,
      );
      assert.ok(accepted.length > text.length + 20, 'the template added settings');
    });
  }

  it('the S3 template brings the AWS provider v4 companions, a KMS key of its own, and tab stops for the name', async () => {
    const text = 'resource "aws_s3';
    const { c: lsp, uri } = await open('main.tf', text, 'terraform');
    const item = (await lsp.completion(uri, positionAt(text, text.length))).find((i) => i.label === 'aws_s3_bucket');
    const snippet = (item?.textEdit as TextEdit).newText;
    assert.match(snippet, /^"aws_s3_bucket" "\$\{1:example\}" \{/);
    for (const companion of ['aws_s3_bucket_public_access_block', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning']) {
      assert.match(snippet, new RegExp(`resource "${companion}" "\\$\\{1:example\\}" \\{\\n  bucket = aws_s3_bucket\\.\\$\\{1:example\\}\\.id`));
    }
    // The customer managed key is a new key named like the bucket, which the configuration refers to.
    assert.match(snippet, /kms_master_key_id = aws_kms_key\.\$\{1:example\}\.arn/);
    assert.match(snippet, /resource "aws_kms_key" "\$\{1:example\}" \{\n[^]*?enable_key_rotation {5}= true/);
    assert.match(snippet, /block_public_policy = true/);
  });

  it('the Bicep template keeps the symbol and the API version typed', async () => {
    const text = "resource logs 'Microsoft.Storage/storageAccounts@2022-09-01";
    const { c: lsp, uri } = await open('main.bicep', text, 'bicep');
    const item = (await lsp.completion(uri, positionAt(text, text.length))).find((i) => i.label === 'Microsoft.Storage/storageAccounts');
    const snippet = (item?.textEdit as TextEdit).newText;
    assert.match(snippet, /^'Microsoft\.Storage\/storageAccounts@2022-09-01' = \{\n {2}name: 'logs'\n/);
    assert.match(snippet, /minimumTlsVersion: 'TLS1_2'/);
  });

  /** The items at the end of `typed` inside a resource. */
  async function valueItems(file: string, languageId: string, typed: string, after: string): Promise<CompletionItem[]> {
    const text = typed + after;
    const { c: lsp, uri } = await open(file, text, languageId);
    return lsp.completion(uri, positionAt(text, typed.length));
  }

  it('Bicep: the secure value of minimumTlsVersion first, with who owns it; older versions marked', async () => {
    const items = await valueItems(
      'main.bicep',
      'bicep',
      "resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'acmedata'\n  properties: {\n    minimumTlsVersion: ",
      '\n  }\n}\n',
    );
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(
      sorted.map((i) => [i.label, i.labelDetails?.description, i.tags ?? []]),
      [
        ["'TLS1_2'", 'customer-owned · network', []],
        ["'TLS1_0'", 'insecure · azure-storage-min-tls', [1]],
        ["'TLS1_1'", 'insecure · azure-storage-min-tls', [1]],
      ],
    );
    assert.equal(sorted[0]?.preselect, true);
  });

  it('Terraform: a half-typed value is replaced with its closing quote', async () => {
    const typed = 'resource "azurerm_storage_account" "logs" {\n  min_tls_version = "TLS';
    const items = await valueItems('main.tf', 'terraform', typed, '"\n}\n');
    const secure = items.find((i) => i.preselect);
    assert.equal(secure?.label, '"TLS1_2"');
    assert.equal(secure?.detail, 'Secure value · customer-owned · network');
    const edit = secure?.textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 25 } });
  });

  it('Terraform: an empty line in a resource offers the settings with their secure values', async () => {
    const typed = 'resource "azurerm_storage_account" "logs" {\n  name = "logs"\n  ';
    const items = await valueItems('main.tf', 'terraform', typed, '\n}\n');
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('min_tls_version = "TLS1_2"'), labels.join('\n'));
    assert.ok(labels.includes('shared_access_key_enabled = false'), labels.join('\n'));
    const tls = items.find((i) => i.label === 'min_tls_version = "TLS1_2"');
    assert.equal(tls?.labelDetails?.description, 'customer-owned · network');
  });

  it('offers nothing outside a resource or a type being typed', async () => {
    const items = await valueItems('main.tf', 'terraform', 'variable "x" {\n  default = ', '\n}\n');
    assert.deepEqual(items, []);
  });
});
