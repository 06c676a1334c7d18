/**
 * `onus matrix`: scans the paths as `onus scan` does and prints the Responsibility Matrix as Markdown (default),
 * CSV, JSON (the `MatrixData` schema, version 1) or a self-contained HTML page, with paths relative to the current
 * folder.
 */
import type { AnalyzeOptions } from '../engine/analyze';
import { buildMatrix, type MatrixUnit } from '../engine/matrix';
import { renderMatrixCsv } from '../engine/matrixCsv';
import { MatrixData } from '../engine/matrixData';
import { renderMatrixHtml } from '../engine/matrixHtml';
import { renderMatrixMarkdown } from '../engine/matrixMarkdown';
import { displayPath } from './locations';
import { scanPaths } from './scan';

/** The formats `onus matrix` writes. */
export const MATRIX_FORMATS = ['markdown', 'csv', 'json', 'html'] as const;

/** One of {@link MATRIX_FORMATS}. */
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** Scans `paths` and builds the matrix, with paths relative to the current folder. */
export function matrixOfPaths(paths: string[], options: AnalyzeOptions): MatrixData {
  const units: MatrixUnit[] = [];
  const result = scanPaths(paths, options, (analysis, isReported) => units.push({ analysis, isReported }));
  return MatrixData.mapFiles(buildMatrix(units, result.ruleSet, result.fileCount), displayPath);
}

/** Renders the matrix in a format. */
export function formatMatrix(matrix: MatrixData, format: MatrixFormat): string {
  switch (format) {
    case 'markdown':
      return renderMatrixMarkdown(matrix);
    case 'csv':
      return renderMatrixCsv(matrix);
    case 'json':
      return JSON.stringify(matrix, null, 2) + '\n';
    case 'html':
      return renderMatrixHtml(matrix);
  }
}
