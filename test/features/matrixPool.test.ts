/**
 * The workspace scan's worker pool: parts come back in the jobs' order whatever order the workers answer in, a unit a
 * worker fails on or a worker that dies is made in the main thread instead, cancellation answers undefined, and the
 * environment's `ONUS_WORKERS` limits the threads.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MatrixPart } from '../../server/src/engine/matrix';
import { MIN_UNITS_FOR_WORKERS, scanInWorkers, workerCountFor, type PoolScan } from '../../server/src/features/matrixPool';

/** A part that names its job (the position travels in a type name). */
function partNamed(name: string): MatrixPart {
  return { entries: new Map(), unlisted: new Map([[name, { type: name, format: 'terraform', resources: new Map() }]]) };
}

const nameOf = (part: MatrixPart) => [...part.unlisted.keys()][0];

/** Worker scripts standing in for the server's bundle. */
const SCRIPTS: Record<string, string> = {
  // Answers each job after a random delay, so answers arrive out of order.
  'shuffled.js': `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (job) => setTimeout(() => parentPort.postMessage({ kind: 'part', index: job.index,
  part: { entries: new Map(), unlisted: new Map([[job.unit, { type: job.unit, format: 'terraform', resources: new Map() }]]) } }),
  Math.floor(Math.random() * 15)));`,
  // Fails every third job, and reports a rule's error once.
  'failing.js': `const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ kind: 'ruleError', ruleId: 'some-rule', message: 'it broke' });
parentPort.on('message', (job) => parentPort.postMessage(job.index % 3 === 0
  ? { kind: 'failed', index: job.index, message: 'no' }
  : { kind: 'part', index: job.index, part: { entries: new Map(), unlisted: new Map([[job.unit, { type: job.unit, format: 'terraform', resources: new Map() }]]) } }));`,
  // Dies on its second job.
  'dying.js': `const { parentPort } = require('node:worker_threads');
let seen = 0;
parentPort.on('message', (job) => { if (++seen === 2) { process.exit(3); }
  parentPort.postMessage({ kind: 'part', index: job.index, part: { entries: new Map(), unlisted: new Map([[job.unit, { type: job.unit, format: 'terraform', resources: new Map() }]]) } }); });`,
  'throwing.js': `throw new Error('cannot start');`,
};

describe('features: the workspace scan in worker threads', function () {
  this.timeout(60000);
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-pool-'));
    for (const [name, text] of Object.entries(SCRIPTS)) {
      fs.writeFileSync(path.join(folder, name), text);
    }
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  function scanWith(script: string, jobs: number, extra: Partial<PoolScan> = {}) {
    const madeHere: number[] = [];
    const progress: number[] = [];
    const ruleErrors: string[] = [];
    const result = scanInWorkers({
      script: path.join(folder, script),
      setup: { fileSizeLimit: 1 << 20, openTexts: [], listedPaths: [], roots: [], files: [] },
      jobs: Array.from({ length: jobs }, (_, i) => ({ unit: `unit-${i}`, file: `unit-${i}/main.tf` })),
      inThread: (index) => {
        madeHere.push(index);
        return partNamed(`unit-${index}`);
      },
      isCancelled: () => false,
      onPart: (done) => progress.push(done),
      onRuleError: (ruleId, message) => ruleErrors.push(`${ruleId}: ${message}`),
      workers: 2,
      ...extra,
    });
    return { result, madeHere, progress, ruleErrors };
  }

  it('returns every part in the order of the jobs although the workers answer out of order', async () => {
    const { result, madeHere, progress } = scanWith('shuffled.js', 40);
    const parts = await result;
    assert.deepEqual(parts?.map(nameOf), Array.from({ length: 40 }, (_, i) => `unit-${i}`));
    assert.deepEqual(madeHere, [], 'the workers made every part');
    assert.deepEqual(progress, Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('makes a unit a worker failed on in the main thread, and passes on rules\' errors', async () => {
    const { result, madeHere, ruleErrors } = scanWith('failing.js', 12);
    const parts = await result;
    assert.deepEqual(parts?.map(nameOf), Array.from({ length: 12 }, (_, i) => `unit-${i}`));
    assert.deepEqual([...madeHere].sort((a, b) => a - b), [0, 3, 6, 9]);
    assert.deepEqual(ruleErrors, ['some-rule: it broke', 'some-rule: it broke'], 'one per worker');
  });

  it('loses no unit when a worker dies, nor when no worker can start', async () => {
    const dying = scanWith('dying.js', 20);
    assert.deepEqual((await dying.result)?.map(nameOf), Array.from({ length: 20 }, (_, i) => `unit-${i}`));
    assert.ok(dying.madeHere.length >= 2, `the dead workers' units were made here: ${dying.madeHere.join(', ')}`);
    const throwing = scanWith('throwing.js', 20);
    assert.deepEqual((await throwing.result)?.map(nameOf), Array.from({ length: 20 }, (_, i) => `unit-${i}`));
    assert.equal(throwing.madeHere.length, 20);
  });

  it('answers undefined when cancelled, and stops handing out units', async () => {
    let answered = 0;
    const { result, progress } = scanWith('shuffled.js', 200, { isCancelled: () => answered >= 5, onPart: () => answered++ });
    assert.equal(await result, undefined);
    assert.ok(answered < 20, `${answered} units were made after cancelling at 5`);
    assert.deepEqual(progress, []);
  });

  it('starts no worker for a few units, one per core up to four, none with ONUS_WORKERS=0', () => {
    assert.equal(workerCountFor(MIN_UNITS_FOR_WORKERS - 1, {}), 0);
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    assert.equal(workerCountFor(1000, {}), Math.min(4, cores));
    assert.equal(workerCountFor(1000, { ONUS_WORKERS: '0' }), 0);
    assert.equal(workerCountFor(1000, { ONUS_WORKERS: '1' }), 1);
    assert.equal(workerCountFor(1000, { ONUS_WORKERS: 'many' }), Math.min(4, cores), 'not a number: the default');
  });
});
