/**
 * `onus/matrix`: the Responsibility Matrix of whole workspace folders. Every IaC file under them is found (folders of
 * tools and dependencies skipped, as `onus scan` does), grouped into units, and analysed through the workspace's
 * cache (open documents as edited, the rest from disk), so the matrix and the diagnostics always agree.
 *
 * Invariants:
 * - Units without an open document are analysed in worker threads when there are many (`features/matrixPool.ts`),
 *   reading the same overlay of open documents on the disk; the units of open documents are analysed here, through
 *   the workspace's cache. The parts are merged in the units' order, so the matrix is the same either way.
 * - The scan yields to the event loop between units, so diagnostics and hovers keep being served while a large
 *   workspace is scanned, and it stops when the request is cancelled.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileKindOf, isCloudFormationFile, type AnalyzeOptions } from '../engine/analyze';
import { loadBundledRuleSet } from '../engine/loadRules';
import { matrixPartOf, mergeMatrixParts, type MatrixPart } from '../engine/matrix';
import type { FileSystem } from '../model/fileSystem';
import type { MatrixParams, MatrixResult } from '../protocol';
import { fileSizeLimit, isTooLarge } from './documents';
import { scanInWorkers, workerCountFor } from './matrixPool';
import type { Workspace } from './workspace';

/** Folders a workspace scan never enters (the same as `onus scan`'s). */
const SKIPPED_FOLDERS = new Set(['.terraform', '.git', 'node_modules', '.terragrunt-cache']);

/** The most files one matrix reads, so a huge folder opened by mistake cannot stall the server for long. */
export const MAX_MATRIX_FILES = 20_000;

/** What building a matrix needs from the server. */
export interface MatrixContext {
  workspace: Workspace;
  /** The engine options; undefined while `onus.enable` is false. */
  options: AnalyzeOptions | undefined;
  isCancelled: () => boolean;
  /** Called after each unit with how many of all are done. */
  onProgress: (done: number, total: number) => void;
  /** The server's bundle, which runs as a scan worker when started in a worker thread; without it no worker starts. */
  workerScript?: string;
}

/** Builds the matrix of the folders in `params`; null when Onus is disabled or the request was cancelled. */
export async function provideMatrix(params: MatrixParams, ctx: MatrixContext): Promise<MatrixResult | null> {
  const options = ctx.options;
  if (!options) {
    return null;
  }
  const roots = (params.folders ?? []).filter((uri) => typeof uri === 'string' && uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
  const fs = ctx.workspace.overlay();
  const files: string[] = [];
  const pause = pauser();
  for (const root of roots) {
    await collect(root, fs, files, 0, pause);
    if (ctx.isCancelled()) {
      return null;
    }
  }
  const isReported = isReportedIn(roots, files);
  const units = new Map<string, string>();
  for (const file of files) {
    const unit = ctx.workspace.unitOf(file);
    if (!units.has(unit)) {
      units.set(unit, file);
    }
  }
  const list = [...units];
  const parts: (MatrixPart | undefined)[] = list.map(() => undefined);
  const inThread = (index: number) => {
    const [unit, file] = list[index]!;
    return matrixPartOf({ analysis: ctx.workspace.analyze(unit, file, options).analysis, isReported }, options.rules);
  };
  // The units of open documents go through the workspace's cache here; the others to workers when there are many.
  const here: number[] = [];
  const elsewhere: number[] = [];
  list.forEach(([unit], index) => (ctx.workspace.documentsOfUnit(unit).length > 0 ? here : elsewhere).push(index));
  const canUseWorkers = ctx.workerScript !== undefined && options.rules === loadBundledRuleSet() && workerCountFor(elsewhere.length) > 0;
  if (!canUseWorkers) {
    here.push(...elsewhere.splice(0));
    here.sort((a, b) => a - b);
  }
  let done = 0;
  ctx.onProgress(0, list.length);
  const inWorkers = canUseWorkers
    ? scanInWorkers({
        script: ctx.workerScript!,
        setup: {
          ...workerSettings(options),
          ...ctx.workspace.overlaySnapshot(),
          roots,
          files,
        },
        jobs: elsewhere.map((index) => ({ unit: list[index]![0], file: list[index]![1] })),
        inThread: (job) => inThread(elsewhere[job]!),
        isCancelled: ctx.isCancelled,
        onPart: () => ctx.onProgress(++done, list.length),
        onRuleError: (ruleId, message) => options.onInternalError?.(ruleId, new Error(message)),
      })
    : Promise.resolve([]);
  for (const index of here) {
    if (ctx.isCancelled()) {
      await inWorkers;
      return null;
    }
    parts[index] = inThread(index);
    ctx.onProgress(++done, list.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const fromWorkers = await inWorkers;
  if (!fromWorkers || ctx.isCancelled()) {
    return null;
  }
  fromWorkers.forEach((part, job) => (parts[elsewhere[job]!] = part));
  const matrix = mergeMatrixParts(parts as MatrixPart[], files.length);
  // The analyses of units no open document needs are dropped again: the matrix is built, the memory is not kept.
  ctx.workspace.prune();
  return { matrix };
}

/**
 * Which files of a scan the matrix reports, as `onus scan` reports findings: a file found under the folders, or a
 * local module outside every folder that a module inside calls.
 */
export function isReportedIn(roots: readonly string[], files: readonly string[]): (file: string) => boolean {
  const collected = new Set(files);
  const isUnderRoot = (file: string) => roots.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  return (file) => collected.has(file) || !isUnderRoot(file);
}

/** The engine settings a worker starts with: the same as `options`, which hold functions and cannot be sent. */
function workerSettings(options: AnalyzeOptions) {
  return {
    ...(options.minimumSeverity !== undefined ? { minimumSeverity: options.minimumSeverity } : {}),
    ...(options.disabledRules ? { disabledRules: [...options.disabledRules] } : {}),
    ...(options.enabledRules ? { enabledRules: [...options.enabledRules] } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.ruleStepBudget !== undefined ? { ruleStepBudget: options.ruleStepBudget } : {}),
    ...(options.project ? { project: { canLoadCustomRules: options.project.options.canLoadCustomRules === true } } : {}),
    fileSizeLimit: fileSizeLimit(),
  };
}

/**
 * A function that yields to the event loop when the work since its last pause took longer than a few milliseconds
 * (reading folders and recognising templates by their content takes seconds in a big workspace).
 */
function pauser(): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < PAUSE_AFTER_MS) {
      return undefined;
    }
    return new Promise((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/** How long the file search works before it lets requests in. */
const PAUSE_AFTER_MS = 10;

/** Collects the IaC files under `folder` (templates recognised by their content), in name order. */
async function collect(folder: string, fs: FileSystem, out: string[], depth: number, pause: () => Promise<void> | undefined): Promise<void> {
  if (depth > 64 || out.length >= MAX_MATRIX_FILES) {
    return;
  }
  const entries = fs.readDirectory(folder) ?? [];
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    await pause();
    const full = path.join(folder, entry.name);
    if (entry.isDirectory) {
      if (!SKIPPED_FOLDERS.has(entry.name)) {
        await collect(full, fs, out, depth + 1, pause);
      }
      continue;
    }
    const kind = fileKindOf(entry.name);
    if (kind === 'terraform' || kind === 'terraform-json' || kind === 'bicep') {
      out.push(full);
    } else if (kind === 'maybe-cloudformation') {
      const text = fs.readFile(full);
      if (text !== undefined && !isTooLarge(text) && isCloudFormationFile(full, text)) {
        out.push(full);
      }
    }
    if (out.length >= MAX_MATRIX_FILES) {
      return;
    }
  }
}
