/**
 * The built language server driven over stdio as an editor would drive it: real `.tf` files in temporary folders,
 * real LSP messages, and the edits the server proposes applied and sent back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBuilt, makeFolder, positionOf, removeFolder, TestClient, textIn, uriOf } from './lspClient';

const BUCKET = `resource "aws_s3_bucket" "logs" {
  bucket = "my-logs"
}
`;

/** The diagnostics of one rule in a publication. */
function byRule(p: PublishDiagnosticsParams | undefined, ruleId: string): Diagnostic[] {
  return (p?.diagnostics ?? []).filter((d) => d.code === ruleId);
}

function codes(p: PublishDiagnosticsParams | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code));
}

describe('protocol: the built server over stdio', function () {
  this.timeout(30000);
  let client: TestClient | undefined;
  const folders: string[] = [];

  before(() => ensureBuilt());

  afterEach(() => {
    client?.kill();
    client = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  /** Starts a server and writes a folder of files; returns the client and each file's URI. */
  async function setup(files: Record<string, string>, settings: Record<string, unknown> = {}) {
    const folder = makeFolder(files);
    folders.push(folder);
    const started = await TestClient.start({ settings });
    client = started.client;
    const uris: Record<string, string> = {};
    for (const name of Object.keys(files)) {
      uris[name] = uriOf(path.join(folder, name));
    }
    return { client: started.client, result: started.result, folder, uris };
  }

  /** Opens a file of the folder with its text on disk and waits for its first publication. */
  async function openAndWait(c: TestClient, uri: string, text: string, languageId = 'terraform') {
    await c.open(uri, text, languageId);
    return c.waitForVersion(uri, 1);
  }

  it('announces incremental sync, hover, quick fixes and source.fixAll.onus', async () => {
    const { result } = await setup({});
    const caps = result.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.ok(typeof caps.codeActionProvider === 'object');
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.onus']);
  });

  it('publishes findings on open with rule ids, ranges, severities, docs links and the document version', async () => {
    const text = `resource "aws_s3_bucket" "logs" {
  bucket = "my-logs"
  acl    = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const p = await openAndWait(c, uris['main.tf']!, text);
    assert.equal(p.version, 1);
    const [versioning] = byRule(p, 'aws-s3-versioning');
    assert.ok(versioning, `no aws-s3-versioning in ${codes(p).join(', ')}`);
    // A missing setting points at the resource's first line.
    assert.deepEqual(versioning.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 33 } });
    assert.equal(versioning.severity, 2);
    assert.equal(versioning.source, 'onus');
    assert.equal(versioning.message, 'S3 bucket versioning is not enabled (customer-owned · data layer)');
    assert.equal(versioning.codeDescription?.href, 'https://github.com/onus-dev/onus/blob/main/docs/rules/aws-s3-versioning.md');
    assert.equal(versioning.code, 'aws-s3-versioning');
    assert.deepEqual(versioning.data, {
      resource: 'aws_s3_bucket.logs',
      fixIds: [(versioning.data as { fixIds: string[] }).fixIds[0]],
    });
    assert.match((versioning.data as { fixIds: string[] }).fixIds[0]!, /^[0-9a-z]+$/);
    // A wrong value points at the value; critical maps to Error.
    const [acl] = byRule(p, 'aws-s3-public-acl');
    assert.ok(acl);
    assert.equal(textIn(text, acl.range), '"public-read"');
    assert.equal(acl.severity, 1);
    assert.match(acl.message, /\(customer-owned · network layer\)$/);
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'onus');
    }
  });

  it('applies a quick fix: the edit lands, the diagnostic goes away and the text is exactly as expected', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, BUCKET);
    const [diagnostic] = byRule(p, 'aws-s3-versioning');
    assert.ok(diagnostic);
    const actions = await c.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = actions.find((a) => a.title === 'Enable versioning');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [diagnostic]);
    const versions = await c.applyWorkspaceEdit(fix.edit);
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.equal(
      c.textOf(uri),
      `resource "aws_s3_bucket" "logs" {
  bucket = "my-logs"
  versioning {
    enabled = true
  }
}
`,
    );
    assert.deepEqual(byRule(after, 'aws-s3-versioning'), []);
  });

  it('applies the fix of the diagnostic chosen when one rule reports several settings at the same place', async () => {
    const text = `resource "aws_s3_bucket_public_access_block" "a" {
  bucket = "a"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, text);
    const settings = byRule(p, 'aws-s3-public-access-block-settings');
    assert.ok(settings.length >= 2, codes(p).join(', '));
    const policy = settings.find((d) => d.message.includes('block_public_policy'));
    assert.ok(policy);
    const actions = await c.codeActions(uri, policy.range, [policy], ['quickfix']);
    const fix = actions.find((a) => !a.title.startsWith('Suppress') && a.title !== 'Fix all Onus problems in this file');
    assert.ok(fix?.edit);
    await c.applyWorkspaceEdit(fix.edit);
    assert.match(c.textOf(uri), /block_public_policy = true/);
    assert.doesNotMatch(c.textOf(uri), /block_public_acls/);
  });

  it('marks a quick fix preferred only when the engine marked the fix safe', async () => {
    const text = `resource "aws_s3_bucket" "site" {
  acl = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const p = await openAndWait(c, uris['main.tf']!, text);
    const diagnostics = p.diagnostics.filter((d) => (d.data as { fixIds?: string[] }).fixIds);
    assert.ok(diagnostics.length >= 2);
    const actions = await c.codeActions(uris['main.tf']!, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, diagnostics);
    const fixes = actions.filter((a) => a.kind === 'quickfix' && !a.title.startsWith('Suppress') && a.title !== 'Fix all Onus problems in this file');
    assert.ok(fixes.length >= 2);
    for (const fix of fixes) {
      assert.equal(typeof fix.isPreferred, 'boolean', fix.title);
    }
    // The rule data says which fixes are safe; enabling versioning (it has a storage cost) is not marked safe.
    assert.equal(fixes.find((a) => a.diagnostics?.[0]?.code === 'aws-s3-versioning')?.isPreferred, false);
  });

  it('suppresses a finding with a reason: a comment line above the resource, with its indentation', async () => {
    const text = `locals {
  name = "x"
}

  resource "aws_s3_bucket" "logs" {
    bucket = local.name
  }
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, text);
    const [diagnostic] = byRule(p, 'aws-s3-versioning');
    assert.ok(diagnostic);
    const actions = await c.codeActions(uri, diagnostic.range, [diagnostic]);
    const suppress = actions.find((a) => a.title === 'Suppress aws-s3-versioning with a reason');
    assert.ok(suppress?.edit);
    assert.equal(suppress.kind, 'quickfix');
    assert.notEqual(suppress.isPreferred, true);
    const versions = await c.applyWorkspaceEdit(suppress.edit);
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.equal(
      c.textOf(uri),
      `locals {
  name = "x"
}

  # onus:ignore aws-s3-versioning reason: why this is acceptable
  resource "aws_s3_bucket" "logs" {
    bucket = local.name
  }
`,
    );
    assert.deepEqual(byRule(after, 'aws-s3-versioning'), []);
    assert.ok(codes(after).includes('aws-s3-access-logging'), 'other rules still report');
  });

  it('acts on a diagnostic of an earlier version while its finding is still at its range, with the current text', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, BUCKET);
    const old = byRule(p, 'aws-s3-versioning');
    assert.equal(old.length, 1);
    // Typed into the bucket's name: the finding on the first line stays where it was.
    await c.change(uri, [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 19 } }, text: '-2' }]);
    const fix = (await c.codeActions(uri, old[0]!.range, old)).find((a) => a.title === 'Enable versioning');
    assert.ok(fix?.edit, 'a fix for the finding still there');
    const versions = await c.applyWorkspaceEdit(fix.edit);
    const fixed = await c.waitForVersion(uri, versions.get(uri)!);
    assert.ok(c.textOf(uri).includes('bucket = "my-logs-2"'), 'the fix was made from the current text');
    assert.ok(c.textOf(uri).includes('versioning {\n    enabled = true\n  }'));
    assert.deepEqual(byRule(fixed, 'aws-s3-versioning'), []);
  });

  it('returns no action for a diagnostic of an earlier version whose finding is no longer at its range', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, BUCKET);
    const old = byRule(p, 'aws-s3-versioning');
    assert.equal(old.length, 1);
    // A comment line above the bucket: the finding is now on the second line.
    await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# logs\n' }]);
    const actions = await c.codeActions(uri, old[0]!.range, old);
    assert.deepEqual(
      actions.filter((a) => a.kind === 'quickfix'),
      [],
    );
    // The same request with the diagnostic moved as the editor shows it: the fix and the suppression.
    const moved = { ...old[0]!, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 33 } } };
    const titles = (await c.codeActions(uri, moved.range, [moved])).map((a) => a.title);
    assert.ok(titles.includes('Enable versioning') && titles.includes('Suppress aws-s3-versioning with a reason'), titles.join(', '));
  });

  it('fixes all problems of a file in one edit (source.fixAll.onus), overlapping insertions included', async () => {
    const text = `resource "aws_s3_bucket" "a" {
  acl = "public-read"
}

resource "aws_s3_bucket_public_access_block" "a" {
  bucket = aws_s3_bucket.a.id
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    await openAndWait(c, uri, text);
    const actions = await c.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    const [fixAll] = actions as [CodeAction];
    assert.equal(fixAll.kind, 'source.fixAll.onus');
    assert.equal(fixAll.title, 'Fix all Onus problems in this file');
    const versions = await c.applyWorkspaceEdit(fixAll.edit!);
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.equal(
      c.textOf(uri),
      `resource "aws_s3_bucket" "a" {
  acl = "private"
  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.a.arn, "\${aws_s3_bucket.a.arn}/*"]
      Condition = {
        Bool = {
          "aws:SecureTransport" = "false"
        }
      }
    }]
  })
}

resource "aws_s3_bucket_public_access_block" "a" {
  bucket = aws_s3_bucket.a.id
  block_public_acls = true
  block_public_policy = true
  ignore_public_acls = true
  restrict_public_buckets = true
}
`,
    );
    const fixable = after.diagnostics.filter((d) => (d.data as { fixIds?: string[] } | undefined)?.fixIds);
    assert.deepEqual(fixable, []);
    // Nothing left to fix: no fix-all action.
    const again = await c.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.onus']);
    assert.deepEqual(again, []);
  });

  it('offers "Fix all Onus problems in this file" beside the quick fixes when there is more than one fix', async () => {
    const text = `resource "aws_s3_bucket" "a" {
  acl = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, text);
    const actions = await c.codeActions(uri, p.diagnostics[0]!.range, p.diagnostics, ['quickfix']);
    const all = actions.filter((a) => a.title === 'Fix all Onus problems in this file');
    assert.equal(all.length, 1);
    assert.equal(all[0]!.kind, 'quickfix');
    assert.ok(actions.every((a) => a.kind === 'quickfix'), 'only quick fixes when only quickfix is asked for');
  });

  it('leaves the fix-all edit to codeAction/resolve when the client resolves lazily, as VS Code does', async () => {
    const folder = makeFolder({ 'main.tf': BUCKET });
    folders.push(folder);
    const started = await TestClient.start({ canResolveCodeActions: true });
    client = started.client;
    const c = started.client;
    const uri = uriOf(path.join(folder, 'main.tf'));
    await c.open(uri, BUCKET);
    await c.waitForVersion(uri, 1);
    const [pending] = await c.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.onus']);
    assert.ok(pending);
    assert.equal(pending.edit, undefined);
    const resolved = await c.resolveCodeAction(pending);
    assert.ok(resolved.edit);
    await c.applyWorkspaceEdit(resolved.edit);
    assert.ok(c.textOf(uri).includes('versioning {\n    enabled = true\n  }'));
    // A pending action for a version that is no longer current resolves to no edit.
    assert.equal((await c.resolveCodeAction(pending)).edit, undefined);
  });

  it('publishes a syntax error mid-file with its code, and still the findings after it', async () => {
    const text = `resource "aws_s3_bucket" "a" {
  bucket = "a"
  acl    = 
}

resource "aws_s3_bucket" "b" {
  acl = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const p = await openAndWait(c, uris['main.tf']!, text);
    const syntax = p.diagnostics.filter((d) => /^HCL\d{3}$/.test(String(d.code)));
    assert.ok(syntax.length >= 1, `codes: ${codes(p).join(', ')}`);
    assert.equal(syntax[0]!.severity, 1);
    assert.equal(syntax[0]!.source, 'onus');
    assert.ok(syntax[0]!.range.start.line >= 2 && syntax[0]!.range.start.line <= 3);
    const acl = byRule(p, 'aws-s3-public-acl');
    assert.equal(acl.length, 1);
    assert.equal(acl[0]!.range.start.line, 6);
  });

  it('publishes the first findings again, for the new version, when an edit is undone, and their quick fix applies', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    const first = await openAndWait(c, uri, BUCKET);
    assert.equal(byRule(first, 'aws-s3-versioning').length, 1);
    // Type a character into the bucket name, then delete it: the text is the first version's again.
    let version = await c.change(uri, [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 19 } }, text: 'x' }]);
    const typed = await c.waitForVersion(uri, version);
    assert.ok(c.textOf(uri).includes('"my-logsx"'));
    assert.equal(byRule(typed, 'aws-s3-versioning').length, 1);
    version = await c.change(uri, [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 20 } }, text: '' }]);
    const undone = await c.waitForVersion(uri, version);
    assert.equal(c.textOf(uri), BUCKET);
    assert.equal(undone.version, version);
    assert.deepEqual(undone.diagnostics, first.diagnostics);
    const [diagnostic] = byRule(undone, 'aws-s3-versioning');
    const fix = (await c.codeActions(uri, diagnostic!.range, [diagnostic!])).find((a) => a.title === 'Enable versioning');
    assert.ok(fix?.edit);
    const versions = await c.applyWorkspaceEdit(fix.edit);
    const fixed = await c.waitForVersion(uri, versions.get(uri)!);
    assert.ok(c.textOf(uri).includes('versioning {\n    enabled = true\n  }'));
    assert.deepEqual(byRule(fixed, 'aws-s3-versioning'), []);
  });

  it('does not take an earlier analysis of a module for an undone edit when another file of it changed since', async () => {
    const versioning = `resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}
`;
    const { client: c, uris } = await setup({ 'main.tf': BUCKET, 'versioning.tf': versioning });
    const main = uris['main.tf']!;
    const other = uris['versioning.tf']!;
    await c.open(other, versioning, 'terraform');
    await c.waitForVersion(other, 1);
    const first = await openAndWait(c, main, BUCKET);
    // The bucket's versioning is the other file's resource: no finding.
    assert.deepEqual(byRule(first, 'aws-s3-versioning'), []);
    let version = await c.change(main, [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 19 } }, text: 'x' }]);
    await c.waitForVersion(main, version);
    // The versioning resource is deleted, then the edit of main.tf undone: main.tf's text is its first again.
    const otherVersion = await c.change(other, [{ range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } }, text: '' }]);
    await c.waitForVersion(other, otherVersion);
    version = await c.change(main, [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 20 } }, text: '' }]);
    const undone = await c.waitForVersion(main, version);
    assert.equal(c.textOf(main), BUCKET);
    assert.equal(c.textOf(other), '');
    assert.equal(byRule(undone, 'aws-s3-versioning').length, 1);
  });

  it('publishes only the latest version after a burst of 20 quick edits', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    await openAndWait(c, uri, BUCKET);
    const from = c.published.length;
    let version = 1;
    for (let i = 0; i < 20; i++) {
      // Type "abcdefghijklmnopqrst" into the bucket name, one character per change, without waiting.
      version = await c.change(uri, [
        { range: { start: { line: 1, character: 19 + i }, end: { line: 1, character: 19 + i } }, text: String.fromCharCode(97 + i) },
      ]);
    }
    assert.equal(version, 21);
    await c.waitForVersion(uri, 21);
    await c.sleep(400);
    const after = c.published.slice(from).filter((p) => p.uri === uri);
    assert.deepEqual(
      after.map((p) => p.version),
      [21],
    );
    assert.ok(c.textOf(uri).includes('"my-logsabcdefghijklmnopqrst"'));
  });

  it('treats a folder as one module: a change in one open file republishes the other', async () => {
    const main = BUCKET;
    const versioning = `resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
`;
    const { client: c, uris } = await setup({ 'main.tf': main, 'versioning.tf': versioning });
    const mainUri = uris['main.tf']!;
    const versioningUri = uris['versioning.tf']!;
    const first = await openAndWait(c, mainUri, main);
    // The sibling file on disk already counts: the bucket has versioning through the separate resource.
    assert.deepEqual(byRule(first, 'aws-s3-versioning'), []);
    await openAndWait(c, versioningUri, versioning);
    const from = c.published.length;
    // Point the versioning resource at another bucket: main.tf's bucket loses its versioning.
    const start = positionOf(versioning, 'aws_s3_bucket.logs.id');
    await c.change(versioningUri, [{ range: { start, end: { line: start.line, character: start.character + 'aws_s3_bucket.logs.id'.length } }, text: '"other"' }]);
    const republished = await c.waitForDiagnostics(mainUri, (p) => byRule(p, 'aws-s3-versioning').length === 1, from);
    assert.equal(republished.version, 1, 'main.tf itself did not change');
    assert.equal(byRule(republished, 'aws-s3-versioning')[0]!.range.start.line, 0);
  });

  it('re-evaluates a module when a closed sibling file changes on disk (didChangeWatchedFiles)', async () => {
    const versioning = `resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
`;
    const { client: c, uris, folder } = await setup({ 'main.tf': BUCKET, 'versioning.tf': versioning });
    const mainUri = uris['main.tf']!;
    const first = await openAndWait(c, mainUri, BUCKET);
    assert.deepEqual(byRule(first, 'aws-s3-versioning'), []);
    const from = c.published.length;
    fs.rmSync(path.join(folder, 'versioning.tf'));
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uris['versioning.tf'], type: 3 }] });
    const after = await c.waitForDiagnostics(mainUri, (p) => byRule(p, 'aws-s3-versioning').length === 1, from);
    assert.equal(after.version, 1);
  });

  it('analyses an untitled Terraform document as a module of its own', async () => {
    const { client: c } = await setup({});
    const uri = 'untitled:Untitled-1';
    await c.open(uri, BUCKET);
    const p = await c.waitForVersion(uri, 1);
    assert.ok(codes(p).includes('aws-s3-versioning'));
    const hover = await c.hover(uri, positionOf(BUCKET, 'aws_s3_bucket'));
    assert.ok(hover);
  });

  it('applies onus.rules.disabled, onus.severity and onus.enable without a restart', async () => {
    const text = `resource "aws_s3_bucket" "a" {
  acl = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    const p = await openAndWait(c, uri, text);
    assert.ok(codes(p).includes('aws-s3-versioning'));
    let from = c.published.length;
    await c.changeSettings({ rules: { disabled: ['aws-s3-versioning'] } });
    const disabled = await c.waitForDiagnostics(uri, () => true, from);
    assert.ok(!codes(disabled).includes('aws-s3-versioning'));
    assert.ok(codes(disabled).includes('aws-s3-public-acl'));
    from = c.published.length;
    await c.changeSettings({ severity: 'critical' });
    const critical = await c.waitForDiagnostics(uri, () => true, from);
    assert.deepEqual(codes(critical), ['aws-s3-public-acl']);
    from = c.published.length;
    await c.changeSettings({ enable: false });
    const off = await c.waitForDiagnostics(uri, () => true, from);
    assert.deepEqual(off.diagnostics, []);
    from = c.published.length;
    await c.changeSettings({});
    const on = await c.waitForDiagnostics(uri, () => true, from);
    assert.ok(codes(on).includes('aws-s3-versioning'));
  });

  it('reads settings from the didChangeConfiguration payload when the client cannot answer workspace/configuration', async () => {
    const folder = makeFolder({ 'main.tf': BUCKET });
    folders.push(folder);
    const started = await TestClient.start({ canPullConfiguration: false });
    client = started.client;
    const uri = uriOf(path.join(folder, 'main.tf'));
    await client.open(uri, BUCKET);
    const p = await client.waitForVersion(uri, 1);
    assert.ok(codes(p).includes('aws-s3-versioning'));
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { onus: { rules: { disabled: ['aws-s3-versioning'] } } },
    });
    const after = await client.waitForDiagnostics(uri, () => true, from);
    assert.ok(!codes(after).includes('aws-s3-versioning'));
  });

  it('hovers a resource header with its rules, and an attribute with owner, layer, current and secure value', async () => {
    const text = `resource "aws_s3_bucket" "site" {
  acl = "public-read"
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    await openAndWait(c, uri, text);
    const header = await c.hover(uri, positionOf(text, 'aws_s3_bucket'));
    assert.ok(header);
    const headerText = (header.contents as { value: string }).value;
    assert.match(headerText, /aws_s3_bucket/);
    assert.match(headerText, /aws-s3-versioning/);
    assert.match(headerText, /S3 bucket versioning is not enabled/);
    assert.deepEqual(header.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 33 } });

    const attribute = await c.hover(uri, positionOf(text, 'acl', 1));
    assert.ok(attribute);
    const value = (attribute.contents as { kind: string; value: string }).value;
    assert.equal((attribute.contents as { kind: string }).kind, 'markdown');
    assert.match(value, /\*\*acl\*\*/);
    assert.match(value, /customer's\*\* job \(network layer\)/);
    assert.match(value, /\| current \| `"public-read"` \|/);
    assert.match(value, /\| secure \| `"private"` \|/);
    assert.match(value, /aws-s3-public-acl.*fires here/);
    assert.match(value, /docs\/rules\/aws-s3-public-acl\.md/);
    assert.deepEqual(attribute.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.equal(await c.hover(uri, { line: 3, character: 0 }), null);
  });

  it('hovers storage_encrypted of an RDS instance: the customer\'s job under RDS\'s model, the host OS patched by AWS', async () => {
    const text = `resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = false
}
`;
    const { client: c, uris } = await setup({ 'main.tf': text });
    const uri = uris['main.tf']!;
    await openAndWait(c, uri, text);
    const hover = await c.hover(uri, positionOf(text, 'storage_encrypted', 3));
    const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(value, /Encryption at rest: the \*\*customer's\*\* job \(data layer\) under Amazon RDS's \*\w+\* service model/);
    assert.match(value, /The os layer is AWS's \(AWS patches the database host's OS/);
    assert.match(value, /The physical layer is AWS's/);
    assert.match(value, /aws-rds-storage-encryption/);
  });

  it('analyses .tf.json files, reports only syntax errors for .tfvars, and ignores other JSON', async () => {
    const tfJson = JSON.stringify({ resource: { aws_s3_bucket: { logs: { bucket: 'x', acl: 'public-read' } } } }, null, 2);
    const tfvars = 'region = "eu-west-1"\nbroken = \n';
    const json = '{"name": "app", "version": "1.0.0", "Resources": {"note": "not a template"}}';
    const { client: c, uris } = await setup({ 'main.tf.json': tfJson, 'prod.tfvars': tfvars, 'other.json': json });
    const jsonPublication = await openAndWait(c, uris['main.tf.json']!, tfJson, 'json');
    assert.ok(codes(jsonPublication).includes('aws-s3-public-acl'), codes(jsonPublication).join(', '));
    const varsPublication = await openAndWait(c, uris['prod.tfvars']!, tfvars, 'terraform-vars');
    assert.ok(varsPublication.diagnostics.length >= 1);
    assert.ok(varsPublication.diagnostics.every((d) => /^HCL\d{3}$/.test(String(d.code))), codes(varsPublication).join(', '));
    await c.open(uris['other.json']!, json, 'json');
    await c.sleep(500);
    assert.equal(c.latest(uris['other.json']!), undefined);
  });

  it('skips a file over 2 MB with one information diagnostic', async () => {
    const big = `${BUCKET}${'# padding padding padding padding padding padding padding padding padding padding\n'.repeat(27000)}`;
    assert.ok(big.length > 2 * 1024 * 1024);
    const { client: c, uris } = await setup({ 'big.tf': big });
    const p = await openAndWait(c, uris['big.tf']!, big);
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]!.severity, 3);
    assert.match(p.diagnostics[0]!.message, /larger than 2 MB/);
  });

  it('answers broken requests with empty results and keeps serving', async () => {
    const { client: c, uris } = await setup({ 'main.tf': BUCKET });
    const uri = uris['main.tf']!;
    await openAndWait(c, uri, BUCKET);
    assert.equal(await c.connection.sendRequest('textDocument/hover', {}), null);
    assert.deepEqual(await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri } }), []);
    assert.deepEqual(await c.codeActions('file:///nowhere/x.tf', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    const foreign = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'onus', data: { ruleId: 1 } };
    const foreignActions = await c.codeActions(uri, foreign.range, [foreign]);
    assert.deepEqual(
      foreignActions.filter((a) => a.kind === 'quickfix'),
      [],
    );
    const hover = await c.hover(uri, positionOf(BUCKET, 'aws_s3_bucket'));
    assert.ok(hover, 'still serving');
    assert.ok(c.logs.some((l) => l.includes('hover failed')), 'the failure was logged');
  });

  it('shuts down and exits with code 0', async () => {
    const { client: c } = await setup({});
    assert.equal(await c.shutdown(), 0);
    assert.ok(fs.existsSync(path.join(__dirname, 'lspClient.ts')));
  });
});
