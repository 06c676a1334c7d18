/**
 * `onus/matrix` over stdio, as the "Onus: Show Responsibility Matrix" command sends it: the whole folder is scanned
 * (closed files from disk, an open one as edited), progress is reported, and the answer is the same matrix
 * `onus matrix --format json` prints, with absolute paths.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MatrixData } from '../../server/src/engine/matrixData';
import { MIN_UNITS_FOR_WORKERS } from '../../server/src/features/matrixPool';
import { MATRIX_PROGRESS, MATRIX_REQUEST, type MatrixProgressParams, type MatrixResult } from '../../server/src/protocol';
import { ensureBuilt, makeFolder, removeFolder, ROOT, TestClient, uriOf } from './lspClient';

const WORKSPACE = path.resolve(__dirname, '..', 'fixtures', 'matrix');

/** Copies the matrix fixture workspace into a temporary folder. */
function copyWorkspace(): string {
  const folder = makeFolder({});
  fs.cpSync(WORKSPACE, folder, { recursive: true });
  return folder;
}

/**
 * A workspace of many units: the bad and good fixtures of every fifth rule of the catalog, each rule's folder as it is
 * (a Terraform folder is one unit, a template or Bicep file another).
 */
function manyUnitsWorkspace(): string {
  const folder = makeFolder({});
  const ruleFolders: string[] = [];
  for (const provider of ['aws', 'azure', 'gcp']) {
    for (const service of fs.readdirSync(path.join(ROOT, 'rules', provider)).sort()) {
      for (const rule of fs.readdirSync(path.join(ROOT, 'rules', provider, service)).sort()) {
        ruleFolders.push(path.join(ROOT, 'rules', provider, service, rule));
      }
    }
  }
  ruleFolders.forEach((ruleFolder, i) => {
    if (i % 5 === 0 && fs.existsSync(path.join(ruleFolder, 'fixtures'))) {
      fs.cpSync(path.join(ruleFolder, 'fixtures'), path.join(folder, path.basename(ruleFolder)), {
        recursive: true,
        filter: (source) => !/[/\\]fixed([/\\]|$)/.test(source) && !source.endsWith('.findings'),
      });
    }
  });
  return folder;
}

/** `onus matrix --format json` of a folder, run in it (so its paths are relative to it). */
function cliMatrix(folder: string): MatrixData {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'matrix', '.', '--format', 'json'], { cwd: folder, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as MatrixData;
}

/** A cell by service id and layer. */
function cellOf(matrix: MatrixData, serviceId: string, layer: string) {
  return matrix.providers.flatMap((p) => p.services).find((s) => s.id === serviceId)?.cells.find((c) => c.layer === layer);
}

describe('protocol: onus/matrix', function () {
  this.timeout(60000);
  let client: TestClient | undefined;
  let folder: string | undefined;

  before(() => ensureBuilt());

  afterEach(() => {
    client?.kill();
    client = undefined;
    if (folder) {
      removeFolder(folder);
      folder = undefined;
    }
  });

  it('scans every IaC file of the folder, not only the open ones, and reports progress', async () => {
    folder = copyWorkspace();
    fs.writeFileSync(path.join(folder, 'notes.yaml'), 'just: yaml\n');
    ({ client } = await TestClient.start());
    const progress: MatrixProgressParams[] = [];
    client.connection.onNotification(MATRIX_PROGRESS, (p: MatrixProgressParams) => progress.push(p));
    const result = await client.connection.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { folders: [uriOf(folder)] });
    assert.ok(result);
    const m = result.matrix;
    assert.equal(m.version, 1);
    assert.equal(m.summary.files, 4, 'three Terraform/Bicep files and one template; the plain YAML is not IaC');
    assert.deepEqual(
      m.providers.map((p) => [p.id, p.services.map((s) => `${s.id}: ${s.resources.length}`)]),
      [
        ['aws', ['aws/rds: 2', 'aws/s3: 9']],
        ['azure', ['azure/monitor: 1', 'azure/storage: 2']],
      ],
    );
    const rds = cellOf(m, 'aws/rds', 'data');
    assert.equal(rds?.state, 'open');
    assert.deepEqual(
      rds?.findings.filter((f) => f.ruleId === 'aws-rds-backup-retention').map((f) => `${f.file}:${f.line} ${f.ruleId}`),
      [`${path.join(folder, 'cloudformation', 'stack.yaml')}:27 aws-rds-backup-retention`],
    );
    // Four units (two Terraform folders, the template, the Bicep file): from 0 of 4 to 4 of 4.
    assert.deepEqual(progress[0], { done: 0, total: 4 });
    assert.deepEqual(progress[progress.length - 1], { done: 4, total: 4 });
  });

  it('reads an open document as edited: an unsaved fix counts', async () => {
    folder = copyWorkspace();
    ({ client } = await TestClient.start());
    const stack = path.join(folder, 'cloudformation', 'stack.yaml');
    const edited = fs.readFileSync(stack, 'utf8').replace('BackupRetentionPeriod: 0', 'BackupRetentionPeriod: 7');
    await client.open(uriOf(stack), edited, 'yaml');
    const result = await client.connection.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { folders: [uriOf(folder)] });
    const data = cellOf(result!.matrix, 'aws/rds', 'data');
    assert.deepEqual(data?.findings.filter((f) => f.ruleId === 'aws-rds-backup-retention'), [], 'the unsaved fix counts');
    assert.ok(data?.findings.some((f) => f.ruleId === 'aws-rds-multi-az'), 'the other findings stay');
  });

  it('scans a workspace of many units in worker threads: the same matrix as onus matrix, an open document as edited', async function () {
    this.timeout(240000);
    folder = manyUnitsWorkspace();
    // An open document changed in the editor (its unit is analysed in the server's thread, the others in workers):
    // the unsaved text counts, in the server's matrix as in the CLI's once the change is on disk.
    const open = fs.readdirSync(folder).map((name) => path.join(folder!, name, 'terraform', 'bad')).find((d) => fs.existsSync(d))!;
    const openFile = path.join(open, fs.readdirSync(open).find((n) => n.endsWith('.tf'))!);
    const edited = `${fs.readFileSync(openFile, 'utf8')}\nresource "aws_s3_bucket" "opened_in_the_editor" {\n  bucket = "opened"\n}\n`;
    ({ client } = await TestClient.start());
    await client.open(uriOf(openFile), edited, 'terraform');
    const progress: MatrixProgressParams[] = [];
    client.connection.onNotification(MATRIX_PROGRESS, (p: MatrixProgressParams) => progress.push(p));
    const result = await client.connection.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { folders: [uriOf(folder)] });
    assert.ok(result);
    const total = progress[0]!.total;
    assert.ok(total >= 4 * MIN_UNITS_FOR_WORKERS, `${total} units: enough for the scan to use workers`);
    assert.deepEqual(progress[progress.length - 1], { done: total, total });
    assert.deepEqual(
      progress.map((p) => p.done),
      Array.from({ length: total + 1 }, (_, i) => i),
      'progress counts every unit once',
    );
    const s3 = result.matrix.providers.flatMap((p) => p.services).find((s) => s.id === 'aws/s3');
    assert.ok(s3?.resources.some((r) => r.address === 'aws_s3_bucket.opened_in_the_editor' && r.file === openFile), 'the open document as edited');
    fs.writeFileSync(openFile, edited);
    const fromCli = cliMatrix(folder);
    assert.ok(fromCli.summary.resources > 100, `${fromCli.summary.resources} resources`);
    const relative = MatrixData.mapFiles(result.matrix, (file) => path.relative(folder!, file).split(path.sep).join('/'));
    assert.deepEqual(relative, fromCli);
  });

  it('answers null while onus.enable is false, and an empty matrix for a folder without IaC', async () => {
    folder = makeFolder({ 'README.md': '# nothing here\n' });
    ({ client } = await TestClient.start({ settings: { enable: false }, initializationOptions: { settings: { enable: false } } }));
    assert.equal(await client.connection.sendRequest(MATRIX_REQUEST, { folders: [uriOf(folder)] }), null);
    await client.changeSettings({});
    // The server pulls the new settings asynchronously; ask until it has them.
    let result: MatrixResult | null = null;
    for (let i = 0; i < 50 && result === null; i++) {
      result = await client.connection.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { folders: [uriOf(folder), 'untitled:x'] });
      if (result === null) {
        await client.sleep(100);
      }
    }
    assert.equal(result?.matrix.summary.files, 0);
    assert.deepEqual(result?.matrix.providers, []);
  });
});
