/**
 * Text edits on HCL source that keep the file's own style: its line endings, its indentation, its comments.
 * Works on text and spans only (like hclwrite), so the engine can use it without knowing the syntax tree.
 */
import type { Span } from '../../text/span';

/** A scalar or list of scalars that a fix writes. */
export type HclLiteral = string | number | boolean | null | (string | number | boolean | null)[];

/** One replacement in the text. */
export interface HclEdit {
  span: Span;
  newText: string;
}

/** Renders a literal as HCL source (`"a"`, `true`, `["a", "b"]`); `${` and `%{` in strings are escaped. */
export function renderHclLiteral(value: HclLiteral): string {
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderHclLiteral(v)).join(', ')}]`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  }
  return String(value);
}

/** The last text whose line ending was asked for, and that ending: a fix-all asks once per fix of the same text. */
let lastEolText: string | undefined;
let lastEol = '\n';

/** The line ending the file mostly uses. */
export function lineEndingOf(text: string): string {
  if (text !== lastEolText) {
    lastEolText = text;
    lastEol = text.includes('\r\n') ? '\r\n' : '\n';
  }
  return lastEol;
}

/** The offset where the line holding `offset` starts. */
function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') {
    i--;
  }
  return i;
}

/** The leading whitespace of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Whether only whitespace precedes `offset` on its line. */
function isFirstOnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
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
): HclEdit | undefined {
  if (segments.length === 0 || block.closeBrace.end === block.closeBrace.start) {
    return undefined;
  }
  const eol = lineEndingOf(text);
  const blockIndent = indentationAt(text, block.headerStart);
  const inside = block.itemStarts.filter((o) => o > block.openBrace.start && o < block.closeBrace.start);
  const lastItem = inside.length > 0 ? Math.max(...inside) : undefined;
  const childIndent =
    lastItem !== undefined && isFirstOnLine(text, lastItem) ? indentationAt(text, lastItem) : blockIndent + '  ';
  const step = childIndent.length > blockIndent.length ? childIndent.slice(blockIndent.length) : '  ';
  const lines: string[] = [];
  segments.forEach((segment, i) => {
    const indent = childIndent + step.repeat(i);
    lines.push(i === segments.length - 1 ? `${indent}${segment} = ${renderHclLiteral(value)}` : `${indent}${segment} {`);
  });
  for (let i = segments.length - 2; i >= 0; i--) {
    lines.push(`${childIndent}${step.repeat(i)}}`);
  }
  const isOneLine = lineStart(text, block.openBrace.start) === lineStart(text, block.closeBrace.start);
  if (isOneLine) {
    if (inside.length > 0) {
      return undefined;
    }
    return {
      span: { start: block.openBrace.end, end: block.closeBrace.start },
      newText: eol + lines.join(eol) + eol + blockIndent,
    };
  }
  if (isFirstOnLine(text, block.closeBrace.start)) {
    const at = lineStart(text, block.closeBrace.start);
    return { span: { start: at, end: at }, newText: lines.map((l) => l + eol).join('') };
  }
  return {
    span: { start: block.closeBrace.start, end: block.closeBrace.start },
    newText: eol + lines.join(eol) + eol + blockIndent,
  };
}

/** Replaces an expression with a literal. */
export function replaceExpression(span: Span, value: HclLiteral): HclEdit {
  return { span, newText: renderHclLiteral(value) };
}

/** Removes an attribute; when it is alone on its line(s), the whole lines go (with a trailing comment on them). */
export function removeAttribute(text: string, span: Span): HclEdit {
  const start = lineStart(text, span.start);
  if (!isFirstOnLine(text, span.start)) {
    return { span, newText: '' };
  }
  let end = span.end;
  const rest = /^[ \t]*(?:(?:#|\/\/)[^\r\n]*)?(\r\n|\n|\r)?/.exec(text.slice(end));
  if (rest) {
    end += rest[0].length;
  }
  return { span: { start, end }, newText: '' };
}
