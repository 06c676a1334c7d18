/** A zero-based line and UTF-16 character position, as LSP uses. */
export interface Position {
  line: number;
  character: number;
}

/** Converts between offsets and line/character positions of one text; only the edges (features, CLI) use it. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = computeLineStarts(text);
  }

  /** The number of lines (a text without a final newline still counts its last line). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The position of an offset; offsets past the end clamp to the end. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  /**
   * {@link positionAt}, walking forward from line `from` when the offset lies a few lines after that line's start: the
   * positions of offsets in increasing order (findings sorted by position, a span's end after its start) then cost a
   * step or two each instead of a search over every line.
   */
  positionFrom(offset: number, from: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    if (from < 0 || from >= starts.length || starts[from]! > clamped) {
      return this.positionAt(offset);
    }
    let line = from;
    for (let steps = 0; line + 1 < starts.length && starts[line + 1]! <= clamped; steps++) {
      if (steps === 16) {
        return this.positionAt(offset);
      }
      line++;
    }
    return { line, character: clamped - starts[line]! };
  }

  /** The offset of a position; positions past a line's end clamp to the line's end. */
  offsetAt(position: Position): number {
    if (position.line < 0) {
      return 0;
    }
    if (position.line >= this.lineStarts.length) {
      return this.text.length;
    }
    const start = this.lineStarts[position.line] ?? 0;
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + position.character, end));
  }

  /** The offset where line `line` starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  /** The offset where line `line`'s content ends, before its line break. */
  lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) {
      return this.text.length;
    }
    let end = next;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) {
      end--;
    }
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) {
      end--;
    }
    return end;
  }

  /** The offset where the line after `line` starts (the end of the text after the last line). */
  nextLineStart(line: number): number {
    return this.lineStarts[line + 1] ?? this.text.length;
  }

  /** The text of line `line` without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The offsets where lines start: after `\n`, `\r\n` or a lone `\r`. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') === -1) {
    // Most texts break lines with `\n` alone, which the string search finds natively.
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      starts.push(at + 1);
    }
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      starts.push(i + 1);
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        i++;
      }
      starts.push(i + 1);
    }
  }
  return starts;
}
