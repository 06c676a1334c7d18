/**
 * Removing items from a bracketed list (`[a, b, c]`), the same in every language that writes one: HCL tuples, YAML
 * flow sequences, JSON arrays and one-line Bicep arrays.
 */
import { indentationAt, isFirstOnLine, lineEndAt, lineEndingOf, lineStartAt } from './lines';
import type { Span } from './span';

/** A text edit of one file (the span replaced, the new text). */
export interface ListEdit {
  span: Span;
  newText: string;
}

/**
 * Appends an item to a list `[ … ]` whose span and item spans are given, in the list's own layout: on one line
 * `[a, b]` becomes `[a, b, item]`; a list written one item per line gets a new line indented like its last item (after a
 * comma where `commas` is true, keeping a trailing comma the list has); an empty `[]` becomes `[item]`. `render` writes
 * the item for the indentation it starts at. Undefined when the span is not a bracketed list, or a multi-line list's
 * last item does not start its line.
 */
export function appendBracketedItem(
  text: string,
  list: Span,
  items: Span[],
  render: (indent: string) => string,
  commas: boolean,
): ListEdit[] | undefined {
  if (text[list.start] !== '[' || text[list.end - 1] !== ']') {
    return undefined;
  }
  const close = list.end - 1;
  const last = items[items.length - 1];
  if (!last) {
    return /^\s*$/.test(text.slice(list.start + 1, close)) ? [{ span: { start: list.start + 1, end: close }, newText: render('') }] : undefined;
  }
  const trailing = /^[ \t]*,/.exec(text.slice(last.end, close));
  const afterLast = trailing ? last.end + trailing[0].length : last.end;
  if (lineStartAt(text, last.end) === lineStartAt(text, close)) {
    // `[a, b]` (or a multi-line list closed on its last item's line): the item follows the last one on its line.
    return [{ span: { start: afterLast, end: afterLast }, newText: trailing ? ` ${render('')},` : `, ${render('')}` }];
  }
  if (!isFirstOnLine(text, last.start)) {
    return undefined;
  }
  const indent = indentationAt(text, last.start);
  const eol = lineEndingOf(text);
  // The new line goes after the last item's line (a comment there stays with its item).
  const lineEnd = lineEndAt(text, afterLast);
  const line = `${eol}${indent}${render(indent)}${commas && trailing ? ',' : ''}`;
  if (!commas || trailing || lineEnd === last.end) {
    return [{ span: { start: lineEnd, end: lineEnd }, newText: (commas && !trailing ? ',' : '') + line }];
  }
  return [
    { span: { start: last.end, end: last.end }, newText: ',' },
    { span: { start: lineEnd, end: lineEnd }, newText: line },
  ];
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
