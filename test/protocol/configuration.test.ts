/**
 * The built server over stdio with a repository's configuration: `.onus.yaml` and custom rules (in trusted
 * workspaces only, hot-reloaded), problems with suppressions as diagnostics (an unused one faded, with a quick fix
 * that removes it), the user's settings over the repository's, and the same results as `onus scan`
 * (test/support/adoptionRepo.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ADOPTION_EXPECTED, ADOPTION_FILES } from '../support/adoptionRepo';
import { ensureBuilt, makeFolder, removeFolder, TestClient, uriOf } from './lspClient';

/** The LSP severity a user sees for a rule severity or a meta rule's level. */
const LSP_SEVERITY: Record<string, number> = { critical: 1, high: 1, medium: 2, low: 3, warning: 2, note: 3, hint: 4 };

/** A publication as `line:column code lspSeverity` (1-based), in position order. */
function seen(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics
    .map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, text: `${String(d.code)} ${d.severity}` }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.text.localeCompare(b.text))
    .map((x) => `${x.line}:${x.column} ${x.text}`);
}

function codes(p: PublishDiagnosticsParams | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code));
}

describe('protocol: .onus.yaml, suppressions and custom rules in the editor', function () {
  this.timeout(30000);
  let client: TestClient | undefined;
  const folders: string[] = [];

  before(() => ensureBuilt());

  afterEach(() => {
    client?.kill();
    client = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  /** Starts a server (trusted unless said otherwise) over a folder of files. */
  async function setup(files: Record<string, string>, options: { isTrusted?: boolean; settings?: Record<string, unknown> } = {}) {
    const folder = makeFolder(files);
    folders.push(folder);
    const started = await TestClient.start({
      settings: options.settings ?? {},
      initializationOptions: options.isTrusted === false ? {} : { isTrusted: true },
    });
    client = started.client;
    const uri = (name: string) => uriOf(path.join(folder, name));
    return { client: started.client, folder, uri };
  }

  it("shows a new user's repository as onus scan does: .onus.yaml, a reasoned and an expired suppression, checkov:skip, a custom rule", async () => {
    const { client: c, uri } = await setup(ADOPTION_FILES);
    await c.open(uri('main.tf'), ADOPTION_FILES['main.tf']!);
    const p = await c.waitForVersion(uri('main.tf'), 1);
    assert.deepEqual(
      seen(p),
      ADOPTION_EXPECTED.map((line) => {
        const [at, code, severity] = line.split(' ');
        return `${at} ${code} ${LSP_SEVERITY[severity!]}`;
      }),
    );
    const expired = p.diagnostics.find((d) => d.code === 'onus-suppression-expired');
    assert.equal(expired?.message, 'Suppression of aws-s3-versioning expired on 2024-12-31');
    // A custom rule's diagnostic links to its own rule file.
    const custom = p.diagnostics.find((d) => d.code === 'aws-s3-acme-cost-center');
    assert.equal(custom?.codeDescription?.href, uri('.onus/rules/aws-s3-acme-cost-center/rule.yaml'));
  });

  it('loads custom rules only in a trusted workspace, and when the client grants trust', async () => {
    const { client: c, uri } = await setup(ADOPTION_FILES, { isTrusted: false });
    await c.open(uri('main.tf'), ADOPTION_FILES['main.tf']!);
    const untrusted = await c.waitForVersion(uri('main.tf'), 1);
    assert.ok(!codes(untrusted).includes('aws-s3-acme-cost-center'));
    assert.ok(codes(untrusted).includes('onus-suppression-expired'), 'the rest of .onus.yaml applies');
    await c.open(uri('.onus.yaml'), ADOPTION_FILES['.onus.yaml']!, 'yaml');
    const config = await c.waitForVersion(uri('.onus.yaml'), 1);
    assert.deepEqual(
      config.diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)} ${d.severity} ${d.message}`),
      ['4 onus-config 3 customRules: not loaded, because the workspace is not trusted'],
    );
    const from = c.published.length;
    await c.connection.sendNotification('onus/didChangeWorkspaceTrust', { isTrusted: true });
    const trusted = await c.waitForDiagnostics(uri('main.tf'), (p) => codes(p).includes('aws-s3-acme-cost-center'), from);
    assert.equal(trusted.version, 1);
    const cleared = await c.waitForDiagnostics(uri('.onus.yaml'), (p) => p.diagnostics.length === 0, from);
    assert.equal(cleared.version, 1);
  });

  it('hot-reloads a custom rule when its file changes on disk', async () => {
    const { client: c, uri, folder } = await setup(ADOPTION_FILES);
    await c.open(uri('main.tf'), ADOPTION_FILES['main.tf']!);
    const before = await c.waitForVersion(uri('main.tf'), 1);
    assert.equal(before.diagnostics.find((d) => d.code === 'aws-s3-acme-cost-center')?.message, 'S3 bucket has no cost-center tag (customer-owned · data layer)');
    const ruleFile = path.join(folder, '.onus/rules/aws-s3-acme-cost-center/rule.yaml');
    fs.writeFileSync(ruleFile, ADOPTION_FILES['.onus/rules/aws-s3-acme-cost-center/rule.yaml']!.replace('message: S3 bucket has no cost-center tag', 'message: Bucket is missing its cost-center tag'));
    const from = c.published.length;
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ruleFile), type: 2 }] });
    const after = await c.waitForDiagnostics(uri('main.tf'), (p) => p.diagnostics.some((d) => d.message.startsWith('Bucket is missing')), from);
    assert.equal(after.version, 1);
  });

  it('applies an edit to an open .onus.yaml as typed, and shows its problems at their line', async () => {
    const { client: c, uri } = await setup(ADOPTION_FILES);
    await c.open(uri('main.tf'), ADOPTION_FILES['main.tf']!);
    assert.ok(codes(await c.waitForVersion(uri('main.tf'), 1)).includes('aws-s3-versioning'));
    const configUri = uri('.onus.yaml');
    await c.open(configUri, ADOPTION_FILES['.onus.yaml']!, 'yaml');
    assert.deepEqual((await c.waitForVersion(configUri, 1)).diagnostics, []);
    const from = c.published.length;
    // Unsaved: disable versioning too, and misspell a field.
    await c.change(configUri, [
      { range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, text: 'aws-s3-versioning, ' },
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: 'exlude: [legacy]\n' },
    ]);
    const main = await c.waitForDiagnostics(uri('main.tf'), (p) => !codes(p).includes('aws-s3-versioning'), from);
    assert.ok(!codes(main).includes('onus-suppression-expired'), 'a suppression of a disabled rule is neither expired nor unused');
    const config = await c.waitForVersion(configUri, 2);
    assert.deepEqual(
      config.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} ${String(d.code)} ${d.severity} ${d.message}`),
      ['5:1-7 onus-config 1 exlude: is not a known field'],
    );
  });

  it('shows a custom rule file\'s schema problem at its line and field', async () => {
    const ruleName = '.onus/rules/aws-s3-acme-cost-center/rule.yaml';
    const { client: c, uri } = await setup(ADOPTION_FILES);
    const broken = ADOPTION_FILES[ruleName]!.replace('owner: customer', 'owner: platform-team');
    await c.open(uri(ruleName), broken, 'yaml');
    const p = await c.waitForVersion(uri(ruleName), 1);
    assert.deepEqual(
      p.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)} ${d.message}`),
      ['4:8 onus-rule owner: must be equal to one of the allowed values (customer, provider, shared)'],
    );
  });

  it('reports an unused suppression faded, with a quick fix that removes its line', async () => {
    const text = `# onus:ignore aws-s3-public-acl no longer public
resource "aws_s3_bucket_acl" "a" {
  bucket = "a"
  acl    = "private"
}
`;
    const { client: c, uri } = await setup({ '.git/HEAD': 'x', 'main.tf': text });
    await c.open(uri('main.tf'), text);
    const p = await c.waitForVersion(uri('main.tf'), 1);
    const unused = p.diagnostics.find((d) => d.code === 'onus-suppression-unused') as Diagnostic;
    assert.ok(unused, JSON.stringify(p.diagnostics));
    assert.equal(unused.severity, 4);
    assert.deepEqual(unused.tags, [1]);
    assert.deepEqual(unused.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 48 } });
    const actions = await c.codeActions(uri('main.tf'), unused.range, [unused]);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Remove the unused suppression'],
    );
    await c.applyWorkspaceEdit(actions[0]!.edit!);
    assert.equal(c.textOf(uri('main.tf')), text.split('\n').slice(1).join('\n'));
    const after = await c.waitForVersion(uri('main.tf'), 2);
    assert.ok(!codes(after).includes('onus-suppression-unused'));
  });

  it('reports a suppression without a reason as a warning', async () => {
    const text = '# onus:ignore aws-s3-public-acl\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "a"\n  acl    = "public-read"\n}\n';
    const { client: c, uri } = await setup({ '.git/HEAD': 'x', 'main.tf': text });
    await c.open(uri('main.tf'), text);
    const p = await c.waitForVersion(uri('main.tf'), 1);
    assert.deepEqual(
      p.diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)} ${d.severity} ${d.message}`),
      ['1 onus-suppression-reason 2 Suppression of aws-s3-public-acl has no reason'],
    );
  });

  it("the user's settings override .onus.yaml: onus.severity over minimumSeverity, onus.rules.enabled over its disabled ids", async () => {
    const files = {
      '.git/HEAD': 'x',
      '.onus.yaml': 'minimumSeverity: high\nrules:\n  disabled: [aws-s3-public-acl]\n',
      'main.tf': 'resource "aws_s3_bucket" "a" {\n  acl = "public-read"\n}\n',
    };
    const { client: c, uri } = await setup(files);
    await c.open(uri('main.tf'), files['main.tf']);
    const fromFile = await c.waitForVersion(uri('main.tf'), 1);
    assert.deepEqual(codes(fromFile), []);
    let from = c.published.length;
    await c.changeSettings({ severity: 'low' });
    const low = await c.waitForDiagnostics(uri('main.tf'), () => true, from);
    assert.ok(codes(low).includes('aws-s3-versioning'));
    assert.ok(!codes(low).includes('aws-s3-public-acl'));
    from = c.published.length;
    await c.changeSettings({ rules: { enabled: ['aws-s3-public-acl'] } });
    const enabled = await c.waitForDiagnostics(uri('main.tf'), () => true, from);
    assert.deepEqual(codes(enabled), ['aws-s3-public-acl']);
  });
});
