/**
 * Line-level facts of a text that the edit writers of every language need: the line ending it uses, where the line
 * holding an offset starts and ends, and its indentation. Lines end at `\n`, `\r\n` or a lone `\r`.
 */

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
export function lineStartAt(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') {
    i--;
  }
  return i;
}

/** The offset where the line holding `offset` ends (before its line break). */
export function lineEndAt(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
    i++;
  }
  return i;
}

/** The leading white space of the line holding `offset`, up to `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Whether only white space precedes `offset` on its line. */
export function isFirstOnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartAt(text, offset), offset));
}
