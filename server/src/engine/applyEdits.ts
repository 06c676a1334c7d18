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

/**
 * Applies non-overlapping edits of one file to its text, in one pass over the text (joining pieces in order, so a
 * fix-all of thousands of edits costs the text's length, not the edits' count times it).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of nonOverlapping(edits)) {
    parts.push(text.slice(at, edit.span.start), edit.newText);
    at = edit.span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
