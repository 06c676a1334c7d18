/**
 * Removing items from a bracketed list (`[a, b, c]`), the same in every language that writes one: HCL tuples, YAML
 * flow sequences, JSON arrays and one-line Bicep arrays.
 */
import type { Span } from './span';

/** A text edit of one file (the span replaced, the new text). */
export interface ListEdit {
  span: Span;
  newText: string;
}

/**
 * Removes the items at `indexes` (ascending) from a list `[ … ]` whose span and item spans are given: an item is
 * removed up to the next item kept, so its comma and line go with it; items after the last kept one go from that item's
 * end, so no comma is left dangling; removing every item leaves `[]`. Undefined when the span is not a bracketed list.
 */
export function removeBracketedItems(text: string, list: Span, items: Span[], indexes: number[]): ListEdit[] | undefined {
  if (text[list.start] !== '[' || text[list.end - 1] !== ']' || indexes.length === 0) {
    return undefined;
  }
  const removed = new Set(indexes);
  const kept = items.map((_, i) => i).filter((i) => !removed.has(i));
  if (kept.length === 0) {
    return [{ span: { start: list.start + 1, end: list.end - 1 }, newText: '' }];
  }
  const lastKept = kept[kept.length - 1]!;
  const edits: ListEdit[] = [];
  for (const i of indexes) {
    if (i < lastKept) {
      edits.push({ span: { start: items[i]!.start, end: items[i + 1]!.start }, newText: '' });
    }
  }
  const trailing = indexes.filter((i) => i > lastKept);
  if (trailing.length > 0) {
    edits.push({ span: { start: items[lastKept]!.end, end: items[trailing[trailing.length - 1]!]!.end }, newText: '' });
  }
  return edits;
}
