/**
 * `onus/matrix`: the Responsibility Matrix of whole workspace folders. Every IaC file under them is found (folders of
 * tools and dependencies skipped, as `onus scan` does), grouped into units, and analysed through the workspace's
 * cache (open documents as edited, the rest from disk), so the matrix and the diagnostics always agree.
 *
 * Invariant: the scan yields to the event loop between units, so diagnostics and hovers keep being served while a
 * large workspace is scanned, and it stops when the request is cancelled.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileKindOf, isCloudFormationFile, type AnalyzeOptions } from '../engine/analyze';
import { buildMatrix, type MatrixUnit } from '../engine/matrix';
import type { FileSystem } from '../model/fileSystem';
import type { MatrixParams, MatrixResult } from '../protocol';
import { isTooLarge } from './documents';
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
  for (const root of roots) {
    collect(root, fs, files, 0);
  }
  const collected = new Set(files);
  const isUnderRoot = (file: string) => roots.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  // As in `onus scan`: a file found, or a local module outside every folder that a module inside calls.
  const isReported = (file: string) => collected.has(file) || !isUnderRoot(file);
  const units = new Map<string, string>();
  for (const file of files) {
    const unit = ctx.workspace.unitOf(file);
    if (!units.has(unit)) {
      units.set(unit, file);
    }
  }
  const analysed: MatrixUnit[] = [];
  let done = 0;
  ctx.onProgress(0, units.size);
  for (const [unit, file] of units) {
    if (ctx.isCancelled()) {
      return null;
    }
    analysed.push({ analysis: ctx.workspace.analyze(unit, file, options).analysis, isReported });
    ctx.onProgress(++done, units.size);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const matrix = buildMatrix(analysed, options.rules, files.length);
  // The analyses of units no open document needs are dropped again: the matrix is built, the memory is not kept.
  ctx.workspace.prune();
  return { matrix };
}

/** Collects the IaC files under `folder` (templates recognised by their content), in name order. */
function collect(folder: string, fs: FileSystem, out: string[], depth: number): void {
  if (depth > 64 || out.length >= MAX_MATRIX_FILES) {
    return;
  }
  const entries = fs.readDirectory(folder) ?? [];
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory) {
      if (!SKIPPED_FOLDERS.has(entry.name)) {
        collect(full, fs, out, depth + 1);
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
