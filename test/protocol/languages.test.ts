/**
 * The built language server over stdio with CloudFormation templates and Bicep files: recognised by content (YAML,
 * JSON) or language id (Bicep), findings at the property, fixes and suppressions in each syntax's own style.
 */
import * as assert from 'node:assert/strict';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBuilt, makeFolder, removeFolder, TestClient, textIn, uriOf } from './lspClient';
import * as path from 'node:path';

function codes(p: PublishDiagnosticsParams | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code));
}

describe('protocol: CloudFormation and Bicep documents', function () {
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
  async function setup(files: Record<string, string>) {
    const folder = makeFolder(files);
    folders.push(folder);
    const started = await TestClient.start({ settings: {} });
    client = started.client;
    const uris: Record<string, string> = {};
    for (const name of Object.keys(files)) {
      uris[name] = uriOf(path.join(folder, name));
    }
    return { client: started.client, uris };
  }

  /** Opens a file with its text and waits for its first publication. */
  async function openAndWait(c: TestClient, uri: string, text: string, languageId: string) {
    await c.open(uri, text, languageId);
    return c.waitForVersion(uri, 1);
  }

  it('lints a CloudFormation YAML template by its content, and leaves Kubernetes, Actions and compose files alone', async () => {
    const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;
    const k8s = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n';
    const workflow = 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
    const compose = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n';
    const { client: c, uris } = await setup({ 'db.yaml': template, 'svc.yaml': k8s, 'ci.yml': workflow, 'compose.yaml': compose });
    const publication = await openAndWait(c, uris['db.yaml']!, template, 'yaml');
    const publicAccess = publication.diagnostics.find((d) => d.code === 'aws-rds-public-access');
    assert.ok(publicAccess, codes(publication).join(', '));
    assert.deepEqual(publicAccess.range, { start: { line: 6, character: 26 }, end: { line: 6, character: 30 } });
    for (const [name, text] of [['svc.yaml', k8s], ['ci.yml', workflow], ['compose.yaml', compose]] as const) {
      await c.open(uris[name]!, text, 'yaml');
    }
    await c.sleep(500);
    for (const name of ['svc.yaml', 'ci.yml', 'compose.yaml']) {
      assert.equal(c.latest(uris[name]!), undefined, `${name} got diagnostics`);
    }
  });

  it('offers a YAML suppression comment under the logical id, which silences the finding', async () => {
    const template = `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;
    const { client: c, uris } = await setup({ 'db.yaml': template });
    const uri = uris['db.yaml']!;
    const publication = await openAndWait(c, uri, template, 'yaml');
    const diagnostic = publication.diagnostics.find((d) => d.code === 'aws-rds-public-access')!;
    const actions = await c.codeActions(uri, diagnostic.range, [diagnostic]);
    const suppress = actions.find((a) => a.title === 'Suppress aws-rds-public-access with a reason');
    assert.ok(suppress?.edit, actions.map((a) => a.title).join(', '));
    const versions = await c.applyWorkspaceEdit(suppress.edit);
    assert.equal(
      c.textOf(uri),
      template.replace('  Db:\n', '  Db:\n    # onus:ignore aws-rds-public-access reason: why this is acceptable\n'),
    );
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.ok(!codes(after).includes('aws-rds-public-access'), codes(after).join(', '));
  });

  it('lints a Bicep file: a value through a param default at its use, the quick fix in Bicep syntax', async () => {
    const text = `param httpsOnly bool = false

resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stgexample'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_0'
    supportsHttpsTrafficOnly: httpsOnly
  }
}
`;
    const { client: c, uris } = await setup({ 'main.bicep': text });
    const uri = uris['main.bicep']!;
    const publication = await openAndWait(c, uri, text, 'bicep');
    const tls = publication.diagnostics.find((d: Diagnostic) => d.code === 'azure-storage-min-tls');
    assert.ok(tls, codes(publication).join(', '));
    assert.equal(textIn(text, tls.range), "'TLS1_0'");
    const https = publication.diagnostics.find((d: Diagnostic) => d.code === 'azure-storage-https-only');
    assert.ok(https, codes(publication).join(', '));
    assert.equal(textIn(text, https.range), 'httpsOnly');
    const actions = await c.codeActions(uri, tls.range, [tls]);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.title !== 'Suppress azure-storage-min-tls with a reason');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    const hover = await c.hover(uri, { line: 10, character: 8 });
    const words = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(words, /customer's\*\* job \(network layer\)/);
    assert.match(words, /azure-storage-min-tls/);
    // The Why paragraph keeps whole sentences: "TLS 1.0 and 1.1" does not end one.
    assert.match(words, /the customer chooses\. TLS 1\.0 and 1\.1 have known weaknesses/);
    const versions = await c.applyWorkspaceEdit(fix.edit);
    assert.equal(c.textOf(uri), text.replace("'TLS1_0'", "'TLS1_2'"));
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.ok(!codes(after).includes('azure-storage-min-tls'), codes(after).join(', '));
  });
});
