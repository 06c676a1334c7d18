/**
 * Text edits on Bicep source that keep the file's own style: its line endings, its indentation, its comments, and
 * the shape of each object (one property per line, or a one-line `{ a: 1, b: 2 }` object).
 * Works on text and spans only (like hclwrite), so the engine can use it without knowing the syntax tree.
 */
import { chainOf, isVerbatim, type InsertNode, type Verbatim } from '../../text/insertTree';
import { indentationAt, isFirstOnLine, lineEndingOf, lineStartAt } from '../../text/lines';
import { appendBracketedItem, removeBracketedItems } from '../../text/listItems';
import type { Span } from '../../text/span';
import { isIdentifierPart, isIdentifierStart } from './lexer';

/** A scalar or list of scalars that a fix writes, or an expression written as it is (a reference). */
export type BicepLiteral = string | number | boolean | null | (string | number | boolean | null)[] | Verbatim;

/** One replacement in the text. */
export interface BicepEdit {
  span: Span;
  newText: string;
}

/** What an insertion into an object needs to know about it. */
export interface BicepObjectLayout {
  /** Where the object's header starts (the property key, or a resource's `resource` keyword). */
  headerStart: number;
  openBrace: Span;
  /** Zero-width when the closing brace is missing. */
  closeBrace: Span;
  /** Start offsets of the object's properties. */
  itemStarts: number[];
}

/** Renders a string as a single-quoted Bicep string, escaping `\`, `'`, `${` and control characters. */
export function renderBicepString(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '$':
        out += value[i + 1] === '{' ? '\\$' : '$';
        break;
      default:
        out += c;
    }
  }
  return `${out}'`;
}

/** Renders a literal as Bicep source (`'TLS1_2'`, `true`, `3`, `null`, `['a', 'b']`). */
export function renderBicepLiteral(value: BicepLiteral): string {
  if (isVerbatim(value)) {
    return value.verbatim;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderBicepLiteral(v)).join(', ')}]`;
  }
  if (typeof value === 'string') {
    return renderBicepString(value);
  }
  if (value !== null && typeof value === 'object') {
    // A list's entry of scalars (a fix's new list holding `{ name: 'x' }`), which reaches here as plain data.
    const entry = value as Record<string, string | number | boolean | null>;
    return `{ ${Object.entries(entry).map(([k, v]) => `${renderBicepKey(k)}: ${renderBicepLiteral(v)}`).join(', ')} }`;
  }
  return String(value);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function renderBicepKey(key: string): string {
  const isIdentifier =
    key.length > 0 && isIdentifierStart(key.charCodeAt(0)) && [...key].every((_, i) => isIdentifierPart(key.charCodeAt(i)));
  return isIdentifier ? key : renderBicepString(key);
}

/** The last text whose indentation unit was asked for, and that unit: a fix-all or an analysis asks once per fix. */
let lastIndentText: string | undefined;
let lastIndentUnit = '  ';

/** The file's indentation unit: a tab when lines are tab-indented, else the smallest space indentation (default 2). */
export function indentUnitOf(text: string): string {
  if (text !== lastIndentText) {
    lastIndentUnit = scanIndentUnit(text);
    lastIndentText = text;
  }
  return lastIndentUnit;
}

/** Scans a text for {@link indentUnitOf}. */
function scanIndentUnit(text: string): string {
  let smallest = Infinity;
  for (const m of text.matchAll(/(?:^|\n)([ \t]+)\S/g)) {
    const indent = m[1] ?? '';
    if (indent.startsWith('\t')) {
      return '\t';
    }
    smallest = Math.min(smallest, indent.length);
  }
  return Number.isFinite(smallest) && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

/** `k1: { k2: value, k3: value }` for one-line objects. */
function renderInline(nodes: InsertNode[]): string {
  return nodes
    .map((node) =>
      'children' in node
        ? `${renderBicepKey(node.key)}: { ${renderInline(node.children)} }`
        : `${renderBicepKey(node.key)}: ${renderBicepLiteral(node.value)}`,
    )
    .join(', ');
}

/** The lines of a tree of nested objects and properties, at `indent`, nested objects one `step` deeper. */
function treeLines(nodes: InsertNode[], indent: string, step: string): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    const key = renderBicepKey(node.key);
    if ('children' in node) {
      lines.push(`${indent}${key}: {`, ...treeLines(node.children, indent + step, step), `${indent}}`);
    } else {
      lines.push(`${indent}${key}: ${renderBicepLiteral(node.value)}`);
    }
  }
  return lines;
}

/**
 * Inserts `segments` as nested objects ending in `key: value` into an object: in a multi-line object, as lines
 * before its closing brace, indented like its properties (or its header's indentation plus one step); in a one-line
 * object, as `, key: value` after its last property; an empty `{}` is opened onto lines. Returns undefined when the
 * object cannot be edited cleanly (its closing brace is missing).
 */
export function insertIntoObject(
  text: string,
  object: BicepObjectLayout,
  segments: string[],
  value: BicepLiteral,
): BicepEdit | undefined {
  return insertTreeIntoObject(text, object, chainOf(segments, value));
}

/**
 * Inserts a tree of nested objects and properties (several settings of one fix, a missing object written once), as
 * `insertIntoObject` does for one setting.
 */
export function insertTreeIntoObject(text: string, object: BicepObjectLayout, tree: InsertNode[]): BicepEdit | undefined {
  const close = object.closeBrace;
  if (tree.length === 0 || close.end === close.start || text[close.start] !== '}' || text[object.openBrace.start] !== '{') {
    return undefined;
  }
  const eol = lineEndingOf(text);
  const inside = text.slice(object.openBrace.end, close.start);
  const isOneLine = !/[\r\n]/.test(inside);
  if (isOneLine && inside.trim().length > 0) {
    // `{ a: 1, b: 2 }` stays on one line: the new property goes after the last one, comma-separated.
    let end = close.start;
    while (end > object.openBrace.end && /[ \t]/.test(text[end - 1] ?? '')) {
      end--;
    }
    const separator = text[end - 1] === ',' ? ' ' : ', ';
    return { span: { start: end, end }, newText: `${separator}${renderInline(tree)}` };
  }
  const blockIndent = indentationAt(text, object.headerStart);
  const items = object.itemStarts.filter((o) => o > object.openBrace.start && o < close.start);
  const lastItem = items.length > 0 ? Math.max(...items) : undefined;
  const unit = indentUnitOf(text);
  const childIndent =
    lastItem !== undefined && isFirstOnLine(text, lastItem) ? indentationAt(text, lastItem) : blockIndent + unit;
  const step = childIndent.length > blockIndent.length ? childIndent.slice(blockIndent.length) : unit;
  const lines = treeLines(tree, childIndent, step);
  if (isOneLine) {
    // An empty `{}` (or `{ }`) opens onto lines.
    return { span: { start: object.openBrace.end, end: close.start }, newText: eol + lines.join(eol) + eol + blockIndent };
  }
  if (isFirstOnLine(text, close.start)) {
    const at = lineStartAt(text, close.start);
    return { span: { start: at, end: at }, newText: lines.map((l) => l + eol).join('') };
  }
  return { span: { start: close.start, end: close.start }, newText: eol + lines.join(eol) + eol + blockIndent };
}

/** A list item a fix appends: a scalar, or an object of scalars (`{ name: 'x', value: 'on' }`). */
export type BicepItem = string | number | boolean | null | { [key: string]: string | number | boolean | null };

/**
 * Appends an item to an array `[ … ]` in its layout: on one line after a comma; in a multi-line array on a new line
 * indented like its last item (an object item over lines of its own, its properties one indentation unit deeper); an
 * empty `[]` becomes `[item]`. Undefined when the span is not an array or its last item does not start its line.
 */
export function appendArrayItem(text: string, array: Span, items: Span[], item: BicepItem): BicepEdit[] | undefined {
  const eol = lineEndingOf(text);
  const unit = indentUnitOf(text);
  const render = (indent: string): string => {
    if (item === null || typeof item !== 'object') {
      return renderBicepLiteral(item);
    }
    const pairs = Object.entries(item).map(([k, v]) => `${renderBicepKey(k)}: ${renderBicepLiteral(v)}`);
    // An array on one line takes a one-line object; one written an item per line takes an object over lines.
    return indent === '' && !/[\r\n]/.test(text.slice(array.start, array.end))
      ? `{ ${pairs.join(', ')} }`
      : ['{', ...pairs.map((p) => `${indent}${unit}${p}`), `${indent}}`].join(eol);
  };
  return appendBracketedItem(text, array, items, render, false);
}

/** Replaces an expression with a literal. */
export function replaceExpression(span: Span, value: BicepLiteral): BicepEdit {
  return { span, newText: renderBicepLiteral(value) };
}

/**
 * Removes a property: when it is alone on its line(s), the whole lines go (with a trailing comment on them); in a
 * one-line object, the property goes with the comma that separates it from its neighbour.
 */
export function removeProperty(text: string, span: Span): BicepEdit {
  const after = /^[ \t]*,[ \t]*/.exec(text.slice(span.end));
  if (after) {
    // `a: 1, b: 2` → `b: 2`
    return { span: { start: span.start, end: span.end + after[0].length }, newText: '' };
  }
  const before = /[ \t]*,[ \t]*$/.exec(text.slice(lineStartAt(text, span.start), span.start));
  if (before) {
    // `a: 1, b: 2` → `a: 1`
    return { span: { start: span.start - before[0].length, end: span.end }, newText: '' };
  }
  if (!isFirstOnLine(text, span.start)) {
    return { span, newText: '' };
  }
  const start = lineStartAt(text, span.start);
  const rest = /^[ \t]*(?:\/\/[^\r\n]*)?(\r\n|\n|\r)?/.exec(text.slice(span.end));
  const restOfLine = rest?.[0] ?? '';
  if (rest?.[1] === undefined && !/^[ \t]*(?:\/\/[^\r\n]*)?$/.test(text.slice(span.end))) {
    // Something else follows on the line (`a: 1 }`): remove only the property.
    return { span, newText: '' };
  }
  return { span: { start, end: span.end + restOfLine.length }, newText: '' };
}

/**
 * Removes the items at `indexes` (ascending) from an array `[ … ]`: on one line (`['a', 'b']`) each with its comma,
 * over several lines each item's whole lines; removing every item leaves `[]`. Undefined when an item shares a line
 * with another item of a multi-line array, or the span is not an array.
 */
export function removeArrayItems(text: string, array: Span, items: Span[], indexes: number[]): BicepEdit[] | undefined {
  if (text[array.start] !== '[' || text[array.end - 1] !== ']' || indexes.length === 0) {
    return undefined;
  }
  if (indexes.length === items.length) {
    return [{ span: array, newText: '[]' }];
  }
  if (!/[\r\n]/.test(text.slice(array.start, array.end))) {
    return removeBracketedItems(text, array, items, indexes);
  }
  const edits: BicepEdit[] = [];
  for (const i of indexes) {
    const item = items[i]!;
    const rest = /^[ \t]*,?[ \t]*(?:\/\/[^\r\n]*)?(\r\n|\n|\r)/.exec(text.slice(item.end));
    if (!isFirstOnLine(text, item.start) || !rest) {
      return undefined;
    }
    edits.push({ span: { start: lineStartAt(text, item.start), end: item.end + rest[0].length }, newText: '' });
  }
  return edits;
}

