/**
 * `onus/matrix` over stdio, as the "Onus: Show Responsibility Matrix" command sends it: the whole folder is scanned
 * (closed files from disk, an open one as edited), progress is reported, and the answer is the same matrix
 * `onus matrix --format json` prints, with absolute paths.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MatrixData } from '../../server/src/engine/matrixData';
import { MATRIX_PROGRESS, MATRIX_REQUEST, type MatrixProgressParams, type MatrixResult } from '../../server/src/protocol';
import { ensureBuilt, makeFolder, removeFolder, TestClient, uriOf } from './lspClient';

const WORKSPACE = path.resolve(__dirname, '..', 'fixtures', 'matrix');

/** Copies the matrix fixture workspace into a temporary folder. */
function copyWorkspace(): string {
  const folder = makeFolder({});
  fs.cpSync(WORKSPACE, folder, { recursive: true });
  return folder;
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
