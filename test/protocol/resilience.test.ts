/**
 * Server resilience over the protocol: the configurable size limit (`onus.maxFileSize`) gives an oversized document
 * one information diagnostic instead of analysis, applied without a restart; a cancelled request is answered
 * without work; hostile documents never take the server down.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ensureBuilt, makeFolder, removeFolder, TestClient, uriOf } from './lspClient';

/** A Terraform file of `n` public buckets (about 80 bytes each). */
function buckets(n: number): string {
  return Array.from({ length: n }, (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  acl = "public-read"\n}\n`).join('\n');
}

describe('protocol: server resilience', function () {
  this.timeout(60000);
  let client: TestClient | undefined;
  const folders: string[] = [];

  before(() => ensureBuilt());

  afterEach(() => {
    client?.kill();
    client = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  async function start(files: Record<string, string>, settings: Record<string, unknown> = {}) {
    const folder = makeFolder(files);
    folders.push(folder);
    client = (await TestClient.start({ settings })).client;
    return { c: client, uri: (name: string) => uriOf(path.join(folder, name)) };
  }

  it('gives a file above onus.maxFileSize one information diagnostic, and analyses it once the limit is raised', async () => {
    const text = buckets(40);
    assert.ok(text.length > 2048 && text.length < 10_000);
    const { c, uri } = await start({ 'main.tf': text }, { maxFileSize: 0.002 });
    await c.open(uri('main.tf'), text);
    const limited = await c.waitForVersion(uri('main.tf'), 1);
    assert.deepEqual(
      limited.diagnostics.map((d) => [d.code, d.severity, d.message, d.range.start.line]),
      [['ONUS001', 3, 'File is larger than 0.002 MB (onus.maxFileSize); Onus did not analyse it', 0]],
    );
    const from = c.published.length;
    await c.changeSettings({ maxFileSize: 1 });
    const analysed = await c.waitForDiagnostics(uri('main.tf'), () => true, from);
    assert.equal(analysed.diagnostics.filter((d) => d.code === 'aws-s3-public-acl').length, 40);
  });

  it('gives a 3 MB file one information diagnostic under the default limit of 2 MB, and stays responsive', async () => {
    const text = buckets(60_000);
    assert.ok(text.length > 3 * 1024 * 1024);
    const { c, uri } = await start({ 'big.tf': '', 'small.tf': '' });
    await c.open(uri('big.tf'), text);
    const big = await c.waitForVersion(uri('big.tf'), 1);
    assert.deepEqual(
      big.diagnostics.map((d) => d.code),
      ['ONUS001'],
    );
    assert.match(big.diagnostics[0]!.message, /larger than 2 MB/);
    const hover = await c.hover(uri('big.tf'), { line: 0, character: 12 });
    assert.equal(hover, null);
  });

  it('answers a hover cancelled while it waited behind other work with nothing, then answers the next in full', async () => {
    const small = buckets(2);
    const big = buckets(15_000);
    const { c, uri } = await start({ 'a/main.tf': small, 'b/big.tf': big });
    await c.open(uri('a/main.tf'), small);
    await c.waitForVersion(uri('a/main.tf'), 1);
    const { CancellationTokenSource } = await import('vscode-languageserver-protocol');
    // A hover on a large document not analysed yet keeps the server busy; the second hover and its cancellation
    // arrive meanwhile, so the cancellation is known before the second hover is dispatched.
    await c.open(uri('b/big.tf'), big);
    const busy = c.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri('b/big.tf') }, position: { line: 0, character: 12 } });
    const source = new CancellationTokenSource();
    const pending = c.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri('a/main.tf') }, position: { line: 0, character: 12 } }, source.token);
    source.cancel();
    const answer = await pending.then(
      (value) => ({ value }),
      (error: { code?: number }) => ({ error: error.code }),
    );
    // The handler sees the cancelled token and answers null (or the protocol layer answers "request cancelled").
    assert.ok('error' in answer ? answer.error === -32800 : answer.value === null, JSON.stringify(answer).slice(0, 200));
    assert.ok((await busy) !== null);
    const hover = await c.hover(uri('a/main.tf'), { line: 0, character: 12 });
    assert.ok(hover !== null);
  });
});
