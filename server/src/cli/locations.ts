/**
 * Converts engine spans (offsets) into the CLI's 1-based lines and UTF-16 columns, and paths into the reported form.
 */
import * as path from 'node:path';
import { LineIndex } from '../text/lineIndex';
import { RecentMap } from '../text/recentMap';
import type { Span } from '../text/span';

/** A 1-based range; `endColumn` is exclusive. */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** How many files' line indexes a {@link Locator} keeps: a report lists each file's items together. */
const KEPT_INDEXES = 64;

/** Caches a line index per file, for the files used last. */
export class Locator {
  private readonly indexes = new RecentMap<string, LineIndex>(KEPT_INDEXES);

  constructor(private readonly texts: Map<string, string>) {}

  /** The 1-based location of a span in a file. */
  locate(file: string, span: Span): Location {
    let index = this.indexes.get(file);
    if (!index) {
      index = new LineIndex(this.texts.get(file) ?? '');
      this.indexes.set(file, index);
    }
    const start = index.positionAt(span.start);
    const end = index.positionAt(span.end);
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }
}

/** A path relative to the current folder, with forward slashes. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file) || file;
  return rel.split(path.sep).join('/');
}
