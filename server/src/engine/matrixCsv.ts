/**
 * The Responsibility Matrix as CSV (RFC 4180, CRLF line ends): one row per service and layer, the matrix's cells
 * laid flat, so a spreadsheet can filter by provider, layer, owner or state. The findings and gaps of a cell are in
 * its last two columns as `file:line rule-id` and `file:line resource duty` entries joined by `; `.
 *
 * Invariant: a field that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
 * return) is prefixed with `'`, since addresses and messages come from scanned files.
 */
import type { MatrixData } from './matrixData';

/** The header row. */
export const MATRIX_CSV_COLUMNS = [
  'provider',
  'service_id',
  'service',
  'model',
  'resources',
  'layer',
  'owner',
  'state',
  'open_findings',
  'gaps',
  'suppressed',
  'note',
  'findings',
  'gap_duties',
] as const;

/** One CSV field, quoted when needed and defused when a spreadsheet would run it. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders the matrix as CSV. */
export function renderMatrixCsv(matrix: MatrixData): string {
  const rows: (string | number)[][] = [[...MATRIX_CSV_COLUMNS]];
  for (const provider of matrix.providers) {
    for (const service of provider.services) {
      for (const cell of service.cells) {
        rows.push([
          provider.name,
          service.id,
          service.name,
          service.model,
          service.resources.length,
          cell.layer,
          cell.owner,
          cell.state,
          cell.findings.length,
          cell.gaps.length,
          cell.suppressed,
          cell.note ?? '',
          cell.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).join('; '),
          cell.gaps.map((g) => `${g.file}:${g.line} ${g.resource} ${g.dutyId}`).join('; '),
        ]);
      }
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
