/**
 * The entry point of the server's bundle (`dist/server.js`): the language server itself, or, when the bundle is
 * started in a worker thread by a workspace scan, that scan's worker (one bundle, so the extension ships the engine
 * and the catalog once).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { MATRIX_WORKER_ROLE, runMatrixWorker, type MatrixWorkerSetup } from './features/matrixWorker';

const setup = workerData as MatrixWorkerSetup | undefined;
if (!isMainThread && parentPort && setup?.role === MATRIX_WORKER_ROLE) {
  runMatrixWorker(setup, parentPort);
} else {
  void import('./server');
}
