/**
 * The Onus extension inside a real VS Code extension host, talking to its real language server: activation,
 * diagnostics, quick fixes, fix-all, hovers, settings and server restarts, through the public `vscode` API only, for
 * Terraform, CloudFormation templates (YAML and JSON, recognised by content) and Bicep.
 *
 * The workspace is a throwaway copy of test/e2e/fixtures/workspace (run.sh makes it); tests that edit a file
 * revert it, so each test starts from the fixture's text. Ranges below are 0-based (VS Code's); the CLI prints the
 * same findings 1-based (`node dist/cli.js scan test/e2e/fixtures/workspace/app` and so on for `cfn`, `bicep`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'onus.onus';

/** Generous deadlines: the machine has two cores and other test runs share them. */
const WAIT_MS = 45_000;

/** A pinned finding: rule id, 0-based range, VS Code severity, and the exact text under the range. */
interface Pin {
  code: string;
  range: [number, number, number, number];
  severity: vscode.DiagnosticSeverity;
  text: string;
}

const { Error: E, Warning: W, Information: I } = vscode.DiagnosticSeverity;
const S3_HEADER = 'resource "aws_s3_bucket" "assets" {';
const RDS_HEADER = 'resource "aws_db_instance" "orders" {';
const EC2_HEADER = 'resource "aws_instance" "worker" {';

/** The findings of app/main.tf: a wrong value points at the value, a missing setting at the block's first line. */
const APP_PINS: Pin[] = [
  { code: 'aws-s3-access-logging', range: [8, 0, 8, 35], severity: I, text: S3_HEADER },
  { code: 'aws-s3-versioning', range: [8, 0, 8, 35], severity: W, text: S3_HEADER },
  { code: 'aws-s3-public-acl', range: [10, 11, 10, 24], severity: E, text: '"public-read"' },
  { code: 'aws-ec2-sg-public-ssh', range: [22, 19, 22, 30], severity: E, text: '"0.0.0.0/0"' },
  { code: 'aws-rds-deletion-protection', range: [26, 0, 26, 37], severity: I, text: RDS_HEADER },
  { code: 'aws-rds-backup-retention-period', range: [26, 0, 26, 37], severity: I, text: RDS_HEADER },
  { code: 'aws-rds-public-access', range: [33, 24, 33, 28], severity: E, text: 'true' },
  { code: 'aws-rds-storage-encryption', range: [34, 24, 34, 29], severity: E, text: 'false' },
  { code: 'aws-ec2-imdsv2', range: [37, 0, 37, 34], severity: E, text: EC2_HEADER },
  { code: 'aws-ec2-instance-volume-encryption', range: [37, 0, 37, 34], severity: W, text: EC2_HEADER },
];

/**
 * The findings of cfn/stack.yaml, a CloudFormation template in YAML: a wrong value points at the value, a missing
 * setting at the resource's `Properties` key (suppressions still go under the logical id).
 */
const CFN_YAML_PINS: Pin[] = [
  { code: 'aws-s3-secure-transport', range: [4, 2, 4, 14], severity: W, text: 'AssetsBucket' },
  { code: 'aws-s3-access-logging', range: [6, 4, 6, 14], severity: I, text: 'Properties' },
  { code: 'aws-s3-bucket-public-access-block', range: [6, 4, 6, 14], severity: W, text: 'Properties' },
  { code: 'aws-s3-encryption-customer-key', range: [6, 4, 6, 14], severity: I, text: 'Properties' },
  { code: 'aws-s3-public-acl', range: [8, 21, 8, 31], severity: E, text: 'PublicRead' },
  { code: 'aws-rds-backup-retention-period', range: [13, 4, 13, 14], severity: I, text: 'Properties' },
  { code: 'aws-rds-default-port', range: [13, 4, 13, 14], severity: I, text: 'Properties' },
  { code: 'aws-rds-enhanced-monitoring', range: [13, 4, 13, 14], severity: I, text: 'Properties' },
  { code: 'aws-rds-iam-authentication', range: [13, 4, 13, 14], severity: W, text: 'Properties' },
  { code: 'aws-rds-log-exports', range: [13, 4, 13, 14], severity: W, text: 'Properties' },
  { code: 'aws-rds-multi-az', range: [13, 4, 13, 14], severity: I, text: 'Properties' },
  { code: 'aws-rds-public-access', range: [19, 26, 19, 30], severity: E, text: 'true' },
  { code: 'aws-rds-storage-encryption', range: [20, 24, 20, 29], severity: E, text: 'false' },
];

/** The findings of cfn/stack.template.json, a CloudFormation template in JSON. */
const CFN_JSON_PINS: Pin[] = [
  { code: 'aws-rds-backup-retention-period', range: [6, 6, 6, 18], severity: I, text: '"Properties"' },
  { code: 'aws-rds-customer-key', range: [6, 6, 6, 18], severity: I, text: '"Properties"' },
  { code: 'aws-rds-default-port', range: [6, 6, 6, 18], severity: I, text: '"Properties"' },
  { code: 'aws-rds-enhanced-monitoring', range: [6, 6, 6, 18], severity: I, text: '"Properties"' },
  { code: 'aws-rds-iam-authentication', range: [6, 6, 6, 18], severity: W, text: '"Properties"' },
  { code: 'aws-rds-log-exports', range: [6, 6, 6, 18], severity: W, text: '"Properties"' },
  { code: 'aws-rds-multi-az', range: [6, 6, 6, 18], severity: I, text: '"Properties"' },
  { code: 'aws-rds-public-access', range: [10, 30, 10, 34], severity: E, text: 'true' },
  { code: 'aws-ec2-sg-description', range: [20, 10, 20, 11], severity: I, text: '{' },
  { code: 'aws-ec2-sg-public-ingress', range: [24, 22, 24, 33], severity: W, text: '"0.0.0.0/0"' },
  { code: 'aws-ec2-sg-public-ssh', range: [24, 22, 24, 33], severity: E, text: '"0.0.0.0/0"' },
];

/** The findings of bicep/storage.bicep: a missing setting points at the `properties` key. */
const BICEP_PINS: Pin[] = [
  { code: 'azure-storage-infrastructure-encryption', range: [10, 2, 10, 12], severity: I, text: 'properties' },
  { code: 'azure-storage-public-network-access', range: [10, 2, 10, 12], severity: W, text: 'properties' },
  { code: 'azure-storage-shared-key-access', range: [10, 2, 10, 12], severity: W, text: 'properties' },
  { code: 'azure-storage-min-tls', range: [11, 23, 11, 31], severity: W, text: "'TLS1_0'" },
  { code: 'azure-storage-https-only', range: [12, 30, 12, 35], severity: E, text: 'false' },
];

/** The fixable findings of fix/main.tf (fix-all must leave none of them). */
const FIX_FIXABLE = [
  'aws-s3-versioning',
  'aws-s3-public-acl',
  'aws-rds-deletion-protection',
  'aws-rds-backup-retention-period',
  'aws-rds-public-access',
  'aws-rds-storage-encryption',
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = WAIT_MS): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) {
      return last;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    }
    await sleep(100);
  }
}

function fixture(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixture(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function onusDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'onus');
}

function codesOf(uri: vscode.Uri): string[] {
  return onusDiagnostics(uri).map(codeOf).sort();
}

function rangeTuple(r: vscode.Range): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

/** Waits until the file's Onus diagnostics hold every code of `present` and none of `absent`. */
function waitForCodes(uri: vscode.Uri, present: readonly string[], absent: readonly string[] = [], what = ''): Promise<string[]> {
  return waitFor(`${path.basename(uri.fsPath)}: [${present.join(', ')}] present, [${absent.join(', ')}] absent ${what}`, () => {
    const codes = codesOf(uri);
    return present.every((c) => codes.includes(c)) && !absent.some((c) => codes.includes(c)) ? codes : undefined;
  });
}

/** Reverts the file in the active editor to its text on disk and waits for its diagnostics to settle again. */
async function revertActive(expectCodes: readonly string[]): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor('the document reverted', () => !editor.document.isDirty);
  await waitForCodes(editor.document.uri, expectCodes, [], 'after the revert');
}

/** Writes an `onus.*` setting in the workspace's settings (undefined removes it). */
async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('onus').update(key, value, vscode.ConfigurationTarget.Workspace);
}

function onusExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension;
}

/**
 * The PIDs of the language server processes of this extension host: processes whose command line runs the
 * extension's `dist/server.js` and whose parent is this extension host (the client forks the server), so servers
 * started by other test runs on the same machine are never counted.
 */
function serverPids(): number[] {
  const module = path.join(onusExtension().extensionPath, 'dist', 'server.js');
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (!args.includes(module)) {
        continue;
      }
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) {
        out.push(Number(name));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** The single running server's PID (waits for it to exist). */
async function theServerPid(): Promise<number> {
  const pids = await waitFor('exactly one Onus server process under this extension host', () => {
    const found = serverPids();
    return found.length === 1 ? found : undefined;
  });
  return pids[0]!;
}

/** Asserts that the Onus diagnostics of an open document are exactly `pins`: codes, ranges, severities, texts. */
function assertPins(document: vscode.TextDocument, pins: readonly Pin[]): void {
  const diagnostics = onusDiagnostics(document.uri);
  assert.deepEqual(diagnostics.map(codeOf).sort(), pins.map((p) => p.code).sort(), `the findings of ${path.basename(document.uri.fsPath)}`);
  for (const pin of pins) {
    const d = diagnostics.find((x) => codeOf(x) === pin.code)!;
    assert.deepEqual(rangeTuple(d.range), pin.range, `${pin.code} range`);
    assert.equal(d.severity, pin.severity, `${pin.code} severity`);
    assert.equal(document.getText(d.range), pin.text, `${pin.code} text under the range`);
    assert.match(d.message, /\((customer-owned|provider-owned|shared) · [a-z]+ layer\)$/, `${pin.code} message names the owner`);
    const href = typeof d.code === 'object' ? d.code.target.toString() : '';
    assert.ok(href.endsWith(`/docs/rules/${pin.code}.md`), `${pin.code} links its docs page (${href})`);
  }
}

/** The quick fixes VS Code gets for one diagnostic, as the light bulb asks for them. */
async function quickFixesFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
}

/** The hover text at the first occurrence of `needle` on 0-based `line` (waits for one that names an owner). */
async function hoverAt(editor: vscode.TextEditor, line: number, needle: string): Promise<string> {
  const text = editor.document.lineAt(line).text;
  assert.ok(text.includes(needle), `line ${line + 1} is ${JSON.stringify(text)}`);
  const position = new vscode.Position(line, text.indexOf(needle) + 2);
  const hovers = await waitFor(`a hover over ${needle}`, async () => {
    const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    return found.some((h) => hoverText([h]).includes('customer')) ? found : undefined;
  });
  const value = hoverText(hovers);
  console.log(`[onus e2e] hover over ${needle}: ${JSON.stringify(value.slice(0, 300))}`);
  return value;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n');
}

suite('Onus in a real VS Code extension host', () => {
  const app = (): vscode.Uri => fixture('app/main.tf');
  const allAppCodes = APP_PINS.map((p) => p.code);

  suiteTeardown(async () => {
    await setSetting('severity', undefined);
    await setSetting('rules.disabled', undefined);
  });

  test('activates on the language ids of DESIGN.md (first on a plain YAML file)', async () => {
    const extension = onusExtension();
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    for (const id of ['terraform', 'terraform-vars', 'json', 'yaml', 'bicep']) {
      assert.ok(events.includes(`onLanguage:${id}`), `activationEvents has onLanguage:${id}: ${events.join(', ')}`);
    }
    assert.equal(extension.isActive, false, 'not active before a file of its languages is open');
    const editor = await open('plain/config.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    await waitFor('the extension to activate on a YAML file', () => extension.isActive);
    const languages = await vscode.languages.getLanguages();
    for (const id of ['terraform', 'terraform-vars', 'bicep']) {
      assert.ok(languages.includes(id), `the language id ${id} is contributed`);
    }
    await theServerPid();
  });

  test('publishes nothing for YAML or JSON that is neither Terraform nor CloudFormation, and lints *.tf.json', async () => {
    const plain = ['plain/config.yaml', 'plain/settings.json', 'json/bucket.json'];
    for (const file of plain) {
      await open(file);
    }
    // The same content as bucket.json, but named *.tf.json: its findings prove the server has caught up.
    const tfJson = await open('json/bucket.tf.json');
    assert.equal(tfJson.document.languageId, 'json');
    await waitForCodes(tfJson.document.uri, ['aws-s3-public-acl', 'aws-s3-versioning']);
    const acl = onusDiagnostics(tfJson.document.uri).find((d) => codeOf(d) === 'aws-s3-public-acl');
    assert.ok(acl);
    assert.deepEqual(rangeTuple(acl.range), [5, 15, 5, 28]);
    assert.equal(tfJson.document.getText(acl.range), '"public-read"');
    await sleep(2000);
    for (const file of plain) {
      assert.deepEqual(onusDiagnostics(fixture(file)), [], `no Onus diagnostics for ${file}`);
    }
  });

  test('publishes the findings of a Terraform module at the right ranges, with rule ids and severities', async () => {
    const editor = await open('app/main.tf');
    assert.equal(editor.document.languageId, 'terraform');
    await waitForCodes(app(), allAppCodes);
    const diagnostics = onusDiagnostics(app());
    for (const pin of APP_PINS) {
      const matching = diagnostics.filter((d) => codeOf(d) === pin.code);
      assert.equal(matching.length, 1, `one ${pin.code}`);
      const d = matching[0]!;
      assert.deepEqual(rangeTuple(d.range), pin.range, `${pin.code} range`);
      assert.equal(d.severity, pin.severity, `${pin.code} severity`);
      assert.equal(editor.document.getText(d.range), pin.text, `${pin.code} text under the range`);
      assert.match(d.message, /\((customer-owned|provider-owned|shared) · [a-z]+ layer\)$/, `${pin.code} message names the owner`);
    }
    for (const d of diagnostics) {
      const href = typeof d.code === 'object' ? d.code.target.toString() : '';
      assert.ok(href.endsWith(`/docs/rules/${codeOf(d)}.md`), `${codeOf(d)} links its docs page (${href})`);
    }
  });

  test('a .tfvars value (terraform-vars) feeds its module: editing it changes the findings of main.tf', async () => {
    const tfvars = await open('vars/terraform.tfvars');
    assert.equal(tfvars.document.languageId, 'terraform-vars');
    const main = await open('vars/main.tf');
    await waitForCodes(main.document.uri, ['aws-rds-public-access']);
    const d = onusDiagnostics(main.document.uri).find((x) => codeOf(x) === 'aws-rds-public-access');
    assert.ok(d);
    assert.equal(main.document.getText(d.range), 'var.public_db');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(tfvars.document.uri, tfvars.document.lineAt(0).range, 'public_db = false');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForCodes(main.document.uri, [], ['aws-rds-public-access'], 'after public_db = false in the unsaved .tfvars');
    await vscode.window.showTextDocument(tfvars.document);
    await revertActive([]);
    await waitForCodes(main.document.uri, ['aws-rds-public-access'], [], 'after reverting the .tfvars');
  });

  test("hover over storage_encrypted says that encryption at rest is the customer's job", async () => {
    const editor = await open('app/main.tf');
    await waitForCodes(app(), ['aws-rds-storage-encryption']);
    const line = editor.document.lineAt(34).text;
    assert.ok(line.includes('storage_encrypted'), line);
    const position = new vscode.Position(34, line.indexOf('storage_encrypted') + 4);
    const hovers = await waitFor('a hover over storage_encrypted', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', app(), position);
      return found.some((h) => hoverText([h]).includes('customer')) ? found : undefined;
    });
    const text = hoverText(hovers);
    console.log(`[onus e2e] hover over storage_encrypted: ${JSON.stringify(text.slice(0, 300))}`);
    assert.match(text, /encryption at rest: the \**customer's\**\s+job \(data layer\)/i);
    assert.match(text, /aws-rds-storage-encryption/);
  });

  test('quick fix: executeCodeActionProvider returns the ACL fix, and applying it removes the diagnostic', async () => {
    const editor = await open('fix/main.tf');
    const uri = editor.document.uri;
    await waitForCodes(uri, FIX_FIXABLE);
    const diagnostic = onusDiagnostics(uri).find((d) => codeOf(d) === 'aws-s3-public-acl');
    assert.ok(diagnostic);
    assert.deepEqual(rangeTuple(diagnostic.range), [4, 11, 4, 24]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Set the ACL to "private"');
    assert.ok(fix?.edit, `quick fixes: ${titles.join(' | ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.ok(titles.includes('Suppress aws-s3-public-acl with a reason'), `quick fixes: ${titles.join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.lineAt(4).text, '  acl    = "private"');
    await waitForCodes(uri, ['aws-rds-public-access'], ['aws-s3-public-acl'], 'after the quick fix');
    await revertActive(FIX_FIXABLE);
  });

  test('fix-all (source.fixAll.onus) fixes every fixable finding of the file in one edit', async () => {
    const editor = await open('fix/main.tf');
    const uri = editor.document.uri;
    await waitForCodes(uri, FIX_FIXABLE);
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      whole,
      'source.fixAll.onus',
      1, // resolve the first action's edit (the server computes fix-all edits lazily)
    );
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.onus');
    assert.ok(fixAll?.edit, `actions: ${actions.map((a) => `${a.title} (${a.kind?.value})`).join(' | ')}`);
    assert.equal(fixAll.title, 'Fix all Onus problems in this file');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    const text = editor.document.getText();
    assert.match(text, /acl\s+= "private"/);
    assert.match(text, /publicly_accessible = false/);
    assert.match(text, /storage_encrypted\s+= true/);
    assert.match(text, /deletion_protection\s*= true/);
    assert.match(text, /backup_retention_period\s*= 7/);
    await waitForCodes(uri, ['aws-s3-access-logging'], FIX_FIXABLE, 'after fix-all');
    await revertActive(FIX_FIXABLE);
  });

  test('lints a CloudFormation template by its content, in YAML and in JSON: findings at the right ranges and codes', async () => {
    const yaml = await open('cfn/stack.yaml');
    assert.equal(yaml.document.languageId, 'yaml');
    await waitForCodes(yaml.document.uri, CFN_YAML_PINS.map((p) => p.code));
    assertPins(yaml.document, CFN_YAML_PINS);
    const json = await open('cfn/stack.template.json');
    assert.equal(json.document.languageId, 'json');
    await waitForCodes(json.document.uri, CFN_JSON_PINS.map((p) => p.code));
    assertPins(json.document, CFN_JSON_PINS);
  });

  test('publishes nothing for a Kubernetes manifest, a GitHub Actions workflow or a compose file, while active on YAML', async () => {
    const k8s = await open('plain/k8s/deployment.yaml');
    const workflow = await open('plain/.github/workflows/ci.yml');
    const compose = await open('plain/docker-compose.yml');
    assert.equal(k8s.document.languageId, 'yaml');
    assert.equal(workflow.document.languageId, 'yaml');
    // VS Code 1.100 gives compose files their own language id; as YAML they must still get nothing from the server.
    console.log(`[onus e2e] docker-compose.yml opens as ${compose.document.languageId}`);
    const composeAsYaml = await vscode.languages.setTextDocumentLanguage(compose.document, 'yaml');
    assert.equal(composeAsYaml.languageId, 'yaml');
    assert.ok(onusExtension().isActive, 'the extension is active');
    await theServerPid();
    // A template opened after them: its findings prove the server has caught up with the three files.
    const template = await open('cfn/stack.yaml');
    await waitForCodes(template.document.uri, CFN_YAML_PINS.map((p) => p.code));
    await sleep(2000);
    for (const file of ['plain/k8s/deployment.yaml', 'plain/.github/workflows/ci.yml', 'plain/docker-compose.yml']) {
      assert.deepEqual(onusDiagnostics(fixture(file)), [], `no Onus diagnostics for ${file}`);
    }
  });

  test('CloudFormation YAML quick fix: "Set the ACL to "Private"" rewrites the value as the rule documents; the diagnostic goes', async () => {
    const editor = await open('cfn/stack.yaml');
    const uri = editor.document.uri;
    const codes = CFN_YAML_PINS.map((p) => p.code);
    await waitForCodes(uri, codes);
    const before = editor.document.getText();
    const diagnostic = onusDiagnostics(uri).find((d) => codeOf(d) === 'aws-s3-public-acl');
    assert.ok(diagnostic);
    const actions = await quickFixesFor(uri, diagnostic);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Set the ACL to "Private"');
    assert.ok(fix?.edit, `quick fixes: ${titles.join(' | ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.ok(titles.includes('Suppress aws-s3-public-acl with a reason'), `quick fixes: ${titles.join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // rules/aws/s3/aws-s3-public-acl: `set: { path: AccessControl, value: Private }` ("set it to Private"); nothing else changes.
    assert.equal(editor.document.getText(), before.replace('      AccessControl: PublicRead\n', '      AccessControl: Private\n'));
    await waitForCodes(uri, codes.filter((c) => c !== 'aws-s3-public-acl'), ['aws-s3-public-acl'], 'after the quick fix');
    await revertActive(codes);
  });

  test('CloudFormation YAML suppression: "Suppress … with a reason" adds "# onus:ignore" under the logical id; the finding goes', async () => {
    const editor = await open('cfn/stack.yaml');
    const uri = editor.document.uri;
    const codes = CFN_YAML_PINS.map((p) => p.code);
    await waitForCodes(uri, codes);
    const before = editor.document.getText();
    const diagnostic = onusDiagnostics(uri).find((d) => codeOf(d) === 'aws-rds-public-access');
    assert.ok(diagnostic);
    const actions = await quickFixesFor(uri, diagnostic);
    const suppress = actions.find((a) => a.title === 'Suppress aws-rds-public-access with a reason');
    assert.ok(suppress?.edit, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    assert.equal(
      editor.document.getText(),
      before.replace('  OrdersDb:\n', '  OrdersDb:\n    # onus:ignore aws-rds-public-access reason: why this is acceptable\n'),
    );
    await waitForCodes(uri, codes.filter((c) => c !== 'aws-rds-public-access'), ['aws-rds-public-access'], 'after the suppression');
    await revertActive(codes);
  });

  test('CloudFormation JSON quick fix: "Make the database private" writes PubliclyAccessible false in JSON; the diagnostic goes', async () => {
    const editor = await open('cfn/stack.template.json');
    const uri = editor.document.uri;
    const codes = CFN_JSON_PINS.map((p) => p.code);
    await waitForCodes(uri, codes);
    const before = editor.document.getText();
    const diagnostic = onusDiagnostics(uri).find((d) => codeOf(d) === 'aws-rds-public-access');
    assert.ok(diagnostic);
    const actions = await quickFixesFor(uri, diagnostic);
    const fix = actions.find((a) => a.title === 'Make the database private (PubliclyAccessible false)');
    assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // rules/aws/rds/aws-rds-public-access: `set: { path: PubliclyAccessible, value: false }`.
    assert.equal(editor.document.getText(), before.replace('"PubliclyAccessible": true,', '"PubliclyAccessible": false,'));
    await waitForCodes(uri, ['aws-ec2-sg-public-ssh'], ['aws-rds-public-access'], 'after the quick fix');
    await revertActive(codes);
  });

  test("hover over a template property names the owner: StorageEncrypted (YAML) and PubliclyAccessible (JSON) are the customer's job", async () => {
    const yaml = await open('cfn/stack.yaml');
    await waitForCodes(yaml.document.uri, ['aws-rds-storage-encryption']);
    const encryption = await hoverAt(yaml, 20, 'StorageEncrypted');
    assert.match(encryption, /\*\*StorageEncrypted\*\* · `OrdersDb` · Amazon RDS/);
    assert.match(encryption, /encryption at rest: the \**customer's\**\s+job \(data layer\)/i);
    assert.match(encryption, /aws-rds-storage-encryption/);
    const json = await open('cfn/stack.template.json');
    await waitForCodes(json.document.uri, ['aws-rds-public-access']);
    const publicAccess = await hoverAt(json, 10, 'PubliclyAccessible');
    assert.match(publicAccess, /\*\*PubliclyAccessible\*\* · `OrdersDb` · Amazon RDS/);
    assert.match(publicAccess, /public network exposure: the \**customer's\**\s+job \(network layer\)/i);
    assert.match(publicAccess, /aws-rds-public-access/);
  });

  test('lints a Bicep file: findings at the right ranges and codes', async () => {
    const editor = await open('bicep/storage.bicep');
    assert.equal(editor.document.languageId, 'bicep');
    await waitForCodes(editor.document.uri, BICEP_PINS.map((p) => p.code));
    assertPins(editor.document, BICEP_PINS);
  });

  test('Bicep quick fix: "Require TLS 1.2" writes \'TLS1_2\' as the rule documents; the diagnostic goes', async () => {
    const editor = await open('bicep/storage.bicep');
    const uri = editor.document.uri;
    const codes = BICEP_PINS.map((p) => p.code);
    await waitForCodes(uri, codes);
    const before = editor.document.getText();
    const diagnostic = onusDiagnostics(uri).find((d) => codeOf(d) === 'azure-storage-min-tls');
    assert.ok(diagnostic);
    const actions = await quickFixesFor(uri, diagnostic);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Require TLS 1.2');
    assert.ok(fix?.edit, `quick fixes: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Suppress azure-storage-min-tls with a reason'), `quick fixes: ${titles.join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // rules/azure/storage/azure-storage-min-tls: `set: { path: properties.minimumTlsVersion, value: TLS1_2 }`.
    assert.equal(editor.document.getText(), before.replace("minimumTlsVersion: 'TLS1_0'", "minimumTlsVersion: 'TLS1_2'"));
    await waitForCodes(uri, codes.filter((c) => c !== 'azure-storage-min-tls'), ['azure-storage-min-tls'], 'after the quick fix');
    await revertActive(codes);
  });

  test("hover over a Bicep property names the owner: minimumTlsVersion is the customer's job", async () => {
    const editor = await open('bicep/storage.bicep');
    await waitForCodes(editor.document.uri, ['azure-storage-min-tls']);
    const text = await hoverAt(editor, 11, 'minimumTlsVersion');
    assert.match(text, /\*\*properties\.minimumTlsVersion\*\* · `stg` · Azure Storage/);
    assert.match(text, /minimum TLS version: the \**customer's\**\s+job \(network layer\)/i);
    assert.match(text, /azure-storage-min-tls/);
  });

  test('changing onus.severity takes effect without restarting the server', async () => {
    await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    const pid = await theServerPid();
    const below = (levels: readonly vscode.DiagnosticSeverity[]): string[] =>
      APP_PINS.filter((p) => levels.includes(p.severity)).map((p) => p.code);
    const high = APP_PINS.filter((p) => p.severity === E).map((p) => p.code);

    await setSetting('severity', 'high');
    await waitForCodes(app(), high, below([W, I]), 'with onus.severity = high');
    assert.ok(onusDiagnostics(app()).every((d) => d.severity === E), 'only high and critical findings (errors) remain');

    await setSetting('severity', 'critical');
    await waitForCodes(app(), ['aws-s3-public-acl'], high.filter((c) => c !== 'aws-s3-public-acl'), 'with onus.severity = critical');

    await setSetting('severity', undefined);
    await waitForCodes(app(), allAppCodes, [], 'with onus.severity back to its default (low)');
    assert.deepEqual(serverPids(), [pid], 'the same server process throughout');
  });

  test('changing onus.rules.disabled takes effect without restarting the server', async () => {
    await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    const pid = await theServerPid();
    const disabled = ['aws-s3-public-acl', 'aws-ec2-sg-public-ssh'];
    await setSetting('rules.disabled', disabled);
    await waitForCodes(
      app(),
      allAppCodes.filter((c) => !disabled.includes(c)),
      disabled,
      'with the two rules disabled',
    );
    await setSetting('rules.disabled', undefined);
    await waitForCodes(app(), allAppCodes, [], 'with no rule disabled');
    assert.deepEqual(serverPids(), [pid], 'the same server process throughout');
  });

  test('the server is restarted after it is killed, and the new one analyses edits', async () => {
    const editor = await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    const pid = await theServerPid();
    process.kill(pid, 'SIGKILL');
    const next = await waitFor('a new server process after the kill', () => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== pid ? pids[0] : undefined;
    });
    console.log(`[onus e2e] server ${pid} killed; restarted as ${next}`);
    // An edit only the new server can have seen: its diagnostic must point at the new text.
    const acl = editor.document.lineAt(10);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(app(), acl.range, acl.text.replace('"public-read"', '"public-read-write"'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the new server to report the edited ACL', () =>
      onusDiagnostics(app()).some((d) => codeOf(d) === 'aws-s3-public-acl' && editor.document.getText(d.range) === '"public-read-write"'),
    );
    await revertActive(allAppCodes);
  });

  test('"Onus: Restart Language Server" and "Onus: Show Output" are registered and work', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('onus.restartServer') && commands.includes('onus.showOutput'));
    await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    const pid = await theServerPid();
    await vscode.commands.executeCommand('onus.restartServer');
    await waitFor('a new server process after onus.restartServer', () => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== pid;
    });
    await waitForCodes(app(), allAppCodes, [], 'after the restart');
    await vscode.commands.executeCommand('onus.showOutput');
  });

  test('"Onus: Show Responsibility Matrix" scans the whole workspace and opens its view', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('onus.showMatrix'), 'the command is registered');
    await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    await vscode.commands.executeCommand('onus.showMatrix');
    const matrixTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.label === 'Responsibility Matrix' && t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('onus.matrix'));
    await waitFor('the Responsibility Matrix view', () => matrixTab() !== undefined);
    assert.equal(matrixTab()?.isActive, true);
  });

  test('a code lens above each resource sums up its customer-owned settings; onus.codeLens.enable turns them off', async () => {
    await open('app/main.tf');
    await waitForCodes(app(), allAppCodes);
    const onusLenses = async (): Promise<vscode.CodeLens[]> =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', app())).filter((l) =>
        (l.command?.title ?? '').startsWith('Customer-owned:'),
      );
    const lenses = await waitFor('a code lens on each of the four resources', async () => {
      const found = await onusLenses();
      return found.length === 4 ? found : undefined;
    });
    console.log(`[onus e2e] code lenses: ${JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]))}`);
    // On the lines of resource "aws_s3_bucket", "aws_security_group", "aws_db_instance" and "aws_instance" (0-based).
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [8, 13, 26, 37],
    );
    for (const lens of lenses) {
      assert.match(lens.command?.title ?? '', /^Customer-owned: \d+ settings? · (\d+ open findings?|all customer-side settings secure)/);
      assert.equal(lens.command?.command, 'onus.showResourceResponsibilities');
    }
    assert.match(lenses[0]!.command!.title, /· \d+ open findings?/, 'the public bucket has open findings');
    assert.ok((await vscode.commands.getCommands(true)).includes('onus.showResourceResponsibilities'));

    await setSetting('codeLens.enable', false);
    await waitFor('no Onus code lens with onus.codeLens.enable = false', async () => (await onusLenses()).length === 0);
    await setSetting('codeLens.enable', undefined);
    await waitFor('the code lenses back', async () => (await onusLenses()).length === 4);
  });
});
