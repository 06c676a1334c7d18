/**
 * The main-thread side of a workspace scan in worker threads (`features/matrixWorker.ts` is the worker side): starts
 * a few workers on the server's own bundle, hands each the next unit as soon as it answers the last, and collects
 * the units' matrix parts by position, so the result does not depend on which worker finished first.
 *
 * Invariants:
 * - Every unit gets a part: one a worker could not make (it failed or the worker died) is made in this thread.
 * - Cancellation terminates the workers at once; the answer is then undefined.
 * - The workers are terminated when the scan ends, whatever its outcome: they hold no memory between scans.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MatrixPart } from '../engine/matrix';
import { MATRIX_WORKER_ROLE, type MatrixJob, type MatrixWorkerMessage, type MatrixWorkerSetup } from './matrixWorker';

/** Fewer units than this are analysed in the server's own thread: starting a worker costs about as much as that. */
export const MIN_UNITS_FOR_WORKERS = 16;

/** The most workers one scan starts. */
const MAX_WORKERS = 4;

/** What a scan in workers needs. */
export interface PoolScan {
  /** The bundle to start workers on (the server's own file). */
  script: string;
  setup: Omit<MatrixWorkerSetup, 'role'>;
  jobs: readonly { unit: string; file: string }[];
  /** Makes one unit's part in this thread (a unit a worker could not do). */
  inThread: (index: number) => MatrixPart;
  isCancelled: () => boolean;
  /** Called after each unit with how many of the jobs are done. */
  onPart: (done: number) => void;
  onRuleError: (ruleId: string, message: string) => void;
  /** Workers to start (default: one per core, at most four). */
  workers?: number;
}

/**
 * How many workers a scan of `units` units starts on this machine (0: scan in the server's thread): one per core,
 * at most four, and none for a few units. The environment variable `ONUS_WORKERS` sets the most (`0`: no threads).
 */
export function workerCountFor(units: number, env: NodeJS.ProcessEnv = process.env): number {
  const limit = /^\d+$/.test(env.ONUS_WORKERS ?? '') ? Number(env.ONUS_WORKERS) : MAX_WORKERS;
  if (units < MIN_UNITS_FOR_WORKERS || limit === 0) {
    return 0;
  }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(limit, cores, Math.floor(units / (MIN_UNITS_FOR_WORKERS / 2))));
}

/** The parts of every job, in the jobs' order; undefined when the scan was cancelled. */
export function scanInWorkers(scan: PoolScan): Promise<MatrixPart[] | undefined> {
  const parts: (MatrixPart | undefined)[] = scan.jobs.map(() => undefined);
  const count = Math.max(1, Math.min(scan.workers ?? workerCountFor(scan.jobs.length), scan.jobs.length));
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let alive = 0;
  let settled = false;
  return new Promise((resolve) => {
    const finish = (result: MatrixPart[] | undefined) => {
      if (settled) {
        return;
      }
      settled = true;
      for (const w of workers) {
        void w.terminate();
      }
      resolve(result);
    };
    const record = (index: number, part: MatrixPart) => {
      if (parts[index] !== undefined) {
        return;
      }
      parts[index] = part;
      scan.onPart(++done);
    };
    const checkDone = () => {
      if (scan.isCancelled()) {
        finish(undefined);
      } else if (done === scan.jobs.length) {
        finish(parts as MatrixPart[]);
      }
    };
    // A unit a worker could not make is made here, so no unit is lost.
    const inThread = (index: number) => {
      if (!settled && parts[index] === undefined) {
        record(index, scan.inThread(index));
      }
    };
    const feed = (worker: Worker, inFlight: Set<number>) => {
      if (settled || scan.isCancelled() || next >= scan.jobs.length) {
        return;
      }
      const index = next++;
      inFlight.add(index);
      const job: MatrixJob = { index, ...scan.jobs[index]! };
      worker.postMessage(job);
    };
    const start = (): boolean => {
      let worker: Worker;
      try {
        const workerData: MatrixWorkerSetup = { role: MATRIX_WORKER_ROLE, ...scan.setup };
        // Its output is not the server's: the server's stdout is the protocol stream.
        worker = new Worker(scan.script, { workerData, stdout: true, stderr: true });
      } catch {
        return false;
      }
      worker.stdout.resume();
      worker.stderr.resume();
      workers.push(worker);
      alive++;
      const inFlight = new Set<number>();
      let isLost = false;
      worker.on('message', (message: MatrixWorkerMessage) => {
        if (settled) {
          return;
        }
        if (message.kind === 'ruleError') {
          scan.onRuleError(message.ruleId, message.message);
          return;
        }
        inFlight.delete(message.index);
        if (message.kind === 'part') {
          record(message.index, message.part);
        } else {
          inThread(message.index);
        }
        feed(worker, inFlight);
        checkDone();
      });
      const lost = () => {
        if (isLost) {
          return;
        }
        isLost = true;
        alive--;
        // The worker is gone (an error, or it exited): its units are made here, the other workers go on.
        for (const index of inFlight) {
          inThread(index);
        }
        inFlight.clear();
        if (alive === 0) {
          while (!settled && next < scan.jobs.length && !scan.isCancelled()) {
            inThread(next++);
          }
        }
        checkDone();
      };
      worker.on('error', lost);
      worker.on('exit', () => {
        if (!settled) {
          lost();
        }
      });
      feed(worker, inFlight);
      return true;
    };
    let started = 0;
    for (let i = 0; i < count; i++) {
      if (start()) {
        started++;
      }
    }
    if (started === 0) {
      // Threads are not available: the scan runs here, in order.
      for (let i = 0; i < scan.jobs.length && !scan.isCancelled(); i++) {
        inThread(i);
      }
      checkDone();
    }
  });
}
