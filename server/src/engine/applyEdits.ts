/**
 * Applies text edits to a text, dropping any that overlap an edit already taken (as vscode-eslint's fix-all does).
 */
import type { TextEdit } from './types';

/** Sorts edits by position and drops the ones that overlap an earlier one; returns the kept edits. */
export function nonOverlapping(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const kept: TextEdit[] = [];
  let end = -1;
  for (const edit of sorted) {
    // Touching edits are fine (an insertion right after a replacement); sharing any offset is not.
    const previous = kept[kept.length - 1];
    const isDuplicate =
      previous !== undefined &&
      previous.span.start === edit.span.start &&
      previous.span.end === edit.span.end &&
      previous.newText === edit.newText;
    if (edit.span.start < end || isDuplicate) {
      continue;
    }
    kept.push(edit);
    end = Math.max(end, edit.span.end);
  }
  return kept;
}

/** Applies non-overlapping edits of one file to its text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...nonOverlapping(edits)].reverse()) {
    out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  }
  return out;
}
