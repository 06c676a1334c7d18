/**
 * The worker-thread side of a workspace scan for the Responsibility Matrix (`features/matrixPool.ts` is the main
 * side): analyses the units it is sent with the bundled catalog and the settings it was started with, reading the
 * disk overlaid with the open documents' texts it was given, and answers each with the unit's matrix part.
 *
 * Invariants:
 * - Reads files only (nothing from the workspace is executed) and holds no state between units besides its caches.
 * - Every job gets exactly one answer: the part, or the error that stopped it (the main side then analyses the unit
 *   itself), so a rule or file that breaks a worker never loses a unit.
 */
import * as path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { analyzeUnitOf, type AnalyzeOptions } from '../engine/analyze';
import { ProjectLoader } from '../engine/config';
import { loadBundledRuleSet } from '../engine/loadRules';
import { matrixPartOf, type MatrixPart } from '../engine/matrix';
import type { FileSystem } from '../model/fileSystem';
import type { Severity } from '../engine/types';
import { isTooLarge, setFileSizeLimit } from './documents';
import { isReportedIn } from './matrix';
import { diskFileSystem, withOpenFiles } from './workspace';

/** What a worker is started with (its `workerData`). */
export interface MatrixWorkerSetup {
  role: typeof MATRIX_WORKER_ROLE;
  minimumSeverity?: Severity;
  disabledRules?: readonly string[];
  enabledRules?: readonly string[];
  today?: string;
  ruleStepBudget?: number;
  /** Whether the unit's `.onus.yaml` is read, and whether it may load custom rules (a trusted workspace). */
  project?: { canLoadCustomRules: boolean };
  fileSizeLimit: number;
  /** The open documents' texts by path: they overlay the disk, as in the main thread's analyses. */
  openTexts: [string, string][];
  /** The open documents that folder listings show although they are not on disk (new or untitled files). */
  listedPaths: string[];
  /** The scanned folders and the IaC files found under them (which files the matrix reports). */
  roots: string[];
  files: string[];
}

/** The `role` a worker of the matrix scan is started with. */
export const MATRIX_WORKER_ROLE = 'onus-matrix';

/** A unit to analyse. */
export interface MatrixJob {
  index: number;
  unit: string;
  file: string;
}

/** A worker's answer to a job, or a rule's internal error met on the way. */
export type MatrixWorkerMessage =
  | { kind: 'part'; index: number; part: MatrixPart }
  | { kind: 'failed'; index: number; message: string }
  | { kind: 'ruleError'; ruleId: string; message: string };

/** Serves jobs on `port` until the main side terminates the worker. */
export function runMatrixWorker(setup: MatrixWorkerSetup, port: MessagePort): void {
  setFileSizeLimit(setup.fileSizeLimit);
  const rules = loadBundledRuleSet();
  const options: AnalyzeOptions = {
    rules,
    ...(setup.project ? { project: new ProjectLoader(rules, { canLoadCustomRules: setup.project.canLoadCustomRules }) } : {}),
    ...(setup.minimumSeverity !== undefined ? { minimumSeverity: setup.minimumSeverity } : {}),
    ...(setup.disabledRules ? { disabledRules: setup.disabledRules } : {}),
    ...(setup.enabledRules ? { enabledRules: setup.enabledRules } : {}),
    ...(setup.today !== undefined ? { today: setup.today } : {}),
    ...(setup.ruleStepBudget !== undefined ? { ruleStepBudget: setup.ruleStepBudget } : {}),
    onInternalError: (ruleId, error) => post(port, { kind: 'ruleError', ruleId, message: error instanceof Error ? error.message : String(error) }),
  };
  const fs = overlay(new Map(setup.openTexts), setup.listedPaths, diskFileSystem());
  const isReported = isReportedIn(setup.roots, setup.files);
  port.on('message', (job: MatrixJob) => {
    try {
      const analysis = analyzeUnitOf(job.file, fs, options);
      post(port, { kind: 'part', index: job.index, part: matrixPartOf({ analysis, isReported }, rules) });
    } catch (error) {
      post(port, { kind: 'failed', index: job.index, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

function post(port: MessagePort, message: MatrixWorkerMessage): void {
  port.postMessage(message);
}

/**
 * The disk overlaid with the open documents' texts (a text over the size limit reads as empty, as in the editor), and
 * folder listings with the open documents that are not on disk: the main thread's `Workspace.overlay()`.
 */
function overlay(open: ReadonlyMap<string, string>, listedPaths: readonly string[], disk: FileSystem): FileSystem {
  const byFolder = new Map<string, string[]>();
  for (const filePath of listedPaths) {
    const folder = path.dirname(filePath);
    const names = byFolder.get(folder);
    if (names) {
      names.push(path.basename(filePath));
    } else {
      byFolder.set(folder, [path.basename(filePath)]);
    }
  }
  return {
    readFile: (filePath) => {
      const text = open.get(filePath);
      if (text !== undefined) {
        return isTooLarge(text) ? '' : text;
      }
      return disk.readFile(filePath);
    },
    readDirectory: (folder) => withOpenFiles(disk.readDirectory(folder), byFolder.get(folder) ?? []),
  };
}
