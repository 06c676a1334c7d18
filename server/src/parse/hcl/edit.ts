/**
 * Text edits on HCL source that keep the file's own style: its line endings, its indentation, its comments.
 * Works on text and spans only (like hclwrite), so the engine can use it without knowing the syntax tree.
 */
import { chainOf, isVerbatim, type InsertNode, type Verbatim } from '../../text/insertTree';
import { indentationAt, isFirstOnLine, lineEndingOf, lineStartAt } from '../../text/lines';
import { lazyEdit } from '../../text/lazyText';
import { appendBracketedItem, removeBracketedItems } from '../../text/listItems';
import type { Span } from '../../text/span';

/** A scalar or list of scalars that a fix writes, or an expression written as it is (a reference). */
export type HclLiteral = string | number | boolean | null | (string | number | boolean | null)[] | Verbatim;

/** One replacement in the text. */
export interface HclEdit {
  span: Span;
  newText: string;
}

/**
 * Renders a literal as HCL source (`"a"`, `true`, `["a", "b"]`); `${` and `%{` in strings are escaped; an expression
 * (`aws_kms_key.x.arn`) is written as it is.
 */
export function renderHclLiteral(value: HclLiteral): string {
  if (isVerbatim(value)) {
    return value.verbatim;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderHclLiteral(v)).join(', ')}]`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  }
  return String(value);
}

/** What an insertion into a block needs to know about the block. */
export interface HclBlockLayout {
  headerStart: number;
  openBrace: Span;
  closeBrace: Span;
  /** Start offsets of the block's existing items. */
  itemStarts: number[];
}

/**
 * Inserts `segments` as nested blocks ending in `name = value` at the end of a block, indented like its items (or
 * the block's indentation plus one step). Returns undefined for blocks it cannot edit cleanly (a one-line block
 * with content, a block without its closing brace).
 */
export function insertIntoBlock(
  text: string,
  block: HclBlockLayout,
  segments: string[],
  value: HclLiteral,
  isMapArgument = false,
): HclEdit | undefined {
  if (isMapArgument && segments.length !== 2) {
    return undefined;
  }
  return insertTreeIntoBlock(text, block, chainOf(segments, value), isMapArgument ? new Set([segments[0]!]) : undefined);
}

/**
 * The lines of a tree of nested blocks and attributes, at `indent`, nested blocks one `step` deeper; a key of
 * `mapArguments` at the top is a map argument (`metadata = { "key" = value }`), not a block; undefined when such a map
 * would need a nested level.
 */
function treeLines(nodes: InsertNode[], indent: string, step: string, mapArguments?: ReadonlySet<string>): string[] | undefined {
  const lines: string[] = [];
  for (const node of nodes) {
    if ('children' in node && mapArguments?.has(node.key)) {
      lines.push(`${indent}${node.key} = {`);
      for (const child of node.children) {
        if ('children' in child) {
          return undefined;
        }
        lines.push(`${indent}${step}${JSON.stringify(child.key)} = ${renderHclLiteral(child.value)}`);
      }
      lines.push(`${indent}}`);
    } else if ('children' in node) {
      lines.push(`${indent}${node.key} {`, ...(treeLines(node.children, indent + step, step) ?? []), `${indent}}`);
    } else {
      lines.push(`${indent}${node.key} = ${renderHclLiteral(node.value)}`);
    }
  }
  return lines;
}

/**
 * Inserts a tree of nested blocks and attributes (several settings of one fix, a missing block written once) at the
 * end of a block, as `insertIntoBlock` does for one setting.
 */
export function insertTreeIntoBlock(
  text: string,
  block: HclBlockLayout,
  tree: InsertNode[],
  mapArguments?: ReadonlySet<string>,
): HclEdit | undefined {
  if (tree.length === 0) {
    return undefined;
  }
  return insertLinesIntoBlock(text, block, isWritableTree(tree, mapArguments), (indent, step) => treeLines(tree, indent, step, mapArguments) ?? []);
}

/** Whether {@link treeLines} can write a tree: a map argument at the top holds attributes only. */
function isWritableTree(nodes: InsertNode[], mapArguments?: ReadonlySet<string>): boolean {
  return !nodes.some((node) => 'children' in node && mapArguments?.has(node.key) === true && node.children.some((child) => 'children' in child));
}

/**
 * Inserts lines at the end of a block, indented like its items (or the block's indentation plus one step): `linesAt`
 * writes them for that indentation and step. Undefined for a block it cannot edit cleanly (a one-line block with
 * content, a block without its closing brace) or when the lines cannot be written (`isWritable` false). Where the
 * edit goes is known now; its text is written when it is read.
 */
function insertLinesIntoBlock(
  text: string,
  block: HclBlockLayout,
  isWritable: boolean,
  linesAt: (indent: string, step: string) => string[],
): HclEdit | undefined {
  if (block.closeBrace.end === block.closeBrace.start || !isWritable) {
    return undefined;
  }
  const inside = block.itemStarts.filter((o) => o > block.openBrace.start && o < block.closeBrace.start);
  const isOneLine = lineStartAt(text, block.openBrace.start) === lineStartAt(text, block.closeBrace.start);
  if (isOneLine && inside.length > 0) {
    return undefined;
  }
  const isCloseFirst = !isOneLine && isFirstOnLine(text, block.closeBrace.start);
  const at = isCloseFirst ? lineStartAt(text, block.closeBrace.start) : block.closeBrace.start;
  const span = isOneLine ? { start: block.openBrace.end, end: block.closeBrace.start } : { start: at, end: at };
  return lazyEdit(span, () => {
    const eol = lineEndingOf(text);
    const blockIndent = indentationAt(text, block.headerStart);
    const lastItem = inside.length > 0 ? Math.max(...inside) : undefined;
    const childIndent =
      lastItem !== undefined && isFirstOnLine(text, lastItem) ? indentationAt(text, lastItem) : blockIndent + '  ';
    const step = childIndent.length > blockIndent.length ? childIndent.slice(blockIndent.length) : '  ';
    const lines = linesAt(childIndent, step);
    return isCloseFirst ? lines.map((l) => l + eol).join('') : eol + lines.join(eol) + eol + blockIndent;
  });
}

/**
 * Adds a nested block `key { … }` (a repeated block such as a `database_flags` entry) to a block, its attributes'
 * `=` aligned as `terraform fmt` aligns them: after `after` (the last block of that name) at its indentation, with the
 * empty line that precedes it there; else at the block's end. Undefined where the place cannot be edited cleanly.
 */
export function appendHclBlock(
  text: string,
  block: HclBlockLayout,
  after: Span | undefined,
  key: string,
  attributes: [string, HclDocument][],
): HclEdit | undefined {
  const eol = lineEndingOf(text);
  const blockIndent = indentationAt(text, block.headerStart);
  if (!after) {
    const isWritable = attributes.every(([, v]) => isExpression(v) || isWithinDepth(v, 0));
    return insertLinesIntoBlock(text, block, isWritable, (indent, step) => blockLines(key, attributes, indent, step, eol) ?? []);
  }
  if (!isFirstOnLine(text, after.start)) {
    return undefined;
  }
  const indent = indentationAt(text, after.start);
  const lines = blockLines(key, attributes, indent, indent.length > blockIndent.length ? indent.slice(blockIndent.length) : '  ', eol)?.join(eol);
  if (lines === undefined) {
    return undefined;
  }
  const lineStart = lineStartAt(text, after.start);
  const isAfterBlank = /(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
  return { span: { start: after.end, end: after.end }, newText: `${eol}${isAfterBlank ? eol : ''}${lines}` };
}

/** `key {`, the attributes one `step` deeper with their `=` aligned, and `}`, at `indent`. */
function blockLines(key: string, attributes: [string, HclDocument][], indent: string, step: string, eol: string): string[] | undefined {
  const lines = renderHclAttributes(attributes, indent + step, step, eol, 0);
  return lines && [`${indent}${key} {`, ...lines, `${indent}}`];
}

/** Appends a value to a tuple `[ … ]` in its layout (see `appendBracketedItem`). */
export function appendTupleItem(text: string, tuple: Span, items: Span[], value: HclLiteral): HclEdit[] | undefined {
  return appendBracketedItem(text, tuple, items, () => renderHclLiteral(value), true);
}

/** Replaces an expression with a literal. */
export function replaceExpression(span: Span, value: HclLiteral): HclEdit {
  return { span, newText: renderHclLiteral(value) };
}

/** Removes the items at `indexes` (ascending) from a tuple `[ … ]` (see `removeBracketedItems`). */
export function removeTupleItems(text: string, tuple: Span, items: Span[], indexes: number[]): HclEdit[] | undefined {
  return removeBracketedItems(text, tuple, items, indexes);
}

/**
 * Removes an attribute; when it is alone on its line(s), the whole lines go (with a trailing comment on them), and so
 * does a blank line before them when the block closes right after (no blank line is left before its `}`).
 */
export function removeAttribute(text: string, span: Span): HclEdit {
  let start = lineStartAt(text, span.start);
  if (!isFirstOnLine(text, span.start)) {
    return { span, newText: '' };
  }
  let end = span.end;
  const rest = /^[ \t]*(?:(?:#|\/\/)[^\r\n]*)?(\r\n|\n|\r)?/.exec(text.slice(end));
  if (rest) {
    end += rest[0].length;
  }
  const blankBefore = /(?:\r\n|\n|\r)([ \t]*(?:\r\n|\n|\r))$/.exec(text.slice(Math.max(0, start - 200), start));
  if (blankBefore && /^[ \t]*\}/.test(text.slice(end))) {
    start -= blankBefore[1]!.length;
  }
  return { span: { start, end }, newText: '' };
}

/** A value written whole into a new resource (a companion a fix adds): scalars, lists and objects. */
export type HclDocument = string | number | boolean | null | HclDocument[] | { [key: string]: HclDocument };

/** The most levels a written document may nest; deeper ones are not written (an IAM policy needs five). */
export const MAX_HCL_DOCUMENT_DEPTH = 16;

/** Renders a string: one holding `${` is a template whose interpolations stay; `%{` is always escaped. */
function renderHclString(value: string): string {
  // A string that is one interpolation is written as its expression (`"${x.arn}"` is `x.arn`).
  const only = /^\$\{([A-Za-z_][\w.-]*)\}$/.exec(value);
  if (only) {
    return only[1]!;
  }
  const quoted = JSON.stringify(value).replace(/%\{/g, '%%{');
  return value.includes('${') ? quoted : quoted.replace(/\$\{/g, '$${');
}

/** An object key: bare when it is an identifier, else quoted. */
function renderHclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

/**
 * Renders a document as an HCL expression whose inner lines sit at `indent` plus `step` (`{ Key = "v" }` objects,
 * `[…]` lists, a list holding one object as `[{ … }]`), aligning the `=` of neighbouring one-line entries as
 * `terraform fmt` does; undefined when it nests deeper than {@link MAX_HCL_DOCUMENT_DEPTH}.
 */
export function renderHclDocument(value: HclDocument, indent: string, step: string, eol: string, depth = 0): string | undefined {
  if (depth > MAX_HCL_DOCUMENT_DEPTH) {
    return undefined;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? renderHclString(value) : String(value);
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return `[${value.map((v) => renderHclDocument(v, indent, step, eol, depth + 1)).join(', ')}]`;
    }
    if (value.length === 1) {
      const only = renderHclDocument(value[0]!, indent, step, eol, depth + 1);
      return only === undefined ? undefined : `[${only}]`;
    }
    const items: string[] = [];
    for (const item of value) {
      const rendered = renderHclDocument(item, indent + step, step, eol, depth + 1);
      if (rendered === undefined) {
        return undefined;
      }
      items.push(`${indent}${step}${rendered}`);
    }
    return `[${eol}${items.join(`,${eol}`)}${eol}${indent}]`;
  }
  const lines = renderHclAttributes(Object.entries(value), indent + step, step, eol, depth + 1);
  return lines === undefined ? undefined : `{${eol}${lines.join(eol)}${eol}${indent}}`;
}

/**
 * Renders `key = expression` lines at `indent`, the `=` of neighbouring one-line entries aligned; an entry whose
 * expression is already HCL (a reference) is given as `{ expression }`.
 */
function renderHclAttributes(
  entries: [string, HclDocument | { expression: string }][],
  indent: string,
  step: string,
  eol: string,
  depth: number,
): string[] | undefined {
  const rendered: { key: string; text: string }[] = [];
  for (const [key, v] of entries) {
    const text = isExpression(v) ? v.expression : renderHclDocument(v, indent, step, eol, depth);
    if (text === undefined) {
      return undefined;
    }
    rendered.push({ key: renderHclKey(key), text });
  }
  // Runs of one-line entries align their `=`; a multi-line entry ends a run (and takes part in it by its first line).
  const lines: string[] = [];
  let runStart = 0;
  const flush = (end: number) => {
    const width = Math.max(0, ...rendered.slice(runStart, end).map((r) => r.key.length));
    for (const r of rendered.slice(runStart, end)) {
      lines.push(`${indent}${r.key.padEnd(width)} = ${r.text}`);
    }
    runStart = end;
  };
  rendered.forEach((r, i) => {
    if (r.text.includes('\n')) {
      flush(i + 1);
    }
  });
  flush(rendered.length);
  return lines;
}

/** Whether an attribute's value is an expression written as it is (`{ expression }`), not a document. */
export function isExpression(v: HclDocument | { expression: string }): v is { expression: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.expression === 'string' && Object.keys(v).length === 1;
}

/** A resource a fix appends: its type and name, and its attributes (an `{ expression }` is written as it is). */
export interface HclResourceToAdd {
  type: string;
  name: string;
  attributes: [string, HclDocument | { expression: string }][];
}

/**
 * Appends a resource block after `offset` (the end of another block), separated by an empty line, indented with
 * the file's step (two spaces); undefined when a value nests too deep.
 */
export function appendResource(text: string, offset: number, resource: HclResourceToAdd): HclEdit | undefined {
  return appendBlock(text, offset, ['resource', JSON.stringify(resource.type), JSON.stringify(resource.name)], resource.attributes);
}

/**
 * Appends a top-level block (`variable "name" { … }`, a resource) after `offset` (the end of another block),
 * separated by an empty line, its attributes indented two spaces with their `=` aligned; undefined when a value nests
 * too deep. Whether it can be written is known from the values' shapes; the text is written when it is read.
 */
export function appendBlock(
  text: string,
  offset: number,
  header: string[],
  attributes: [string, HclDocument | { expression: string }][],
): HclEdit | undefined {
  if (!attributes.every(([, v]) => isExpression(v) || isWithinDepth(v, 0))) {
    return undefined;
  }
  return lazyEdit({ start: offset, end: offset }, () => {
    const eol = lineEndingOf(text);
    const lines = renderHclAttributes(attributes, '  ', '  ', eol, 0) ?? [];
    const block = [`${header.join(' ')} {`, ...lines, '}'].join(eol);
    return `${eol}${eol}${block}`;
  });
}

/** Whether {@link renderHclDocument} writes a value at `depth`: no value in it lies deeper than the limit. */
export function isWithinDepth(value: HclDocument, depth: number): boolean {
  if (depth > MAX_HCL_DOCUMENT_DEPTH) {
    return false;
  }
  if (value === null || typeof value !== 'object') {
    return true;
  }
  if (Array.isArray(value)) {
    // A list of scalars is written whole at any depth (an item past the limit is written empty, as it always was).
    return value.every((item) => item === null || typeof item !== 'object') || value.every((item) => isWithinDepth(item, depth + 1));
  }
  return Object.values(value).every((v) => isExpression(v) || isWithinDepth(v, depth + 1));
}

/**
 * Whether an expression's text is one quoted string literal: no interpolation or directive (`${`, `%{`, even escaped),
 * no heredoc, nothing around it.
 */
export function isPlainStringLiteral(expression: string): boolean {
  return /^"(?:[^"\\\r\n]|\\.)*"$/.test(expression) && !/[$%]\{/.test(expression);
}
