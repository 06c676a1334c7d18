/** A half-open range `[start, end)` of UTF-16 code unit offsets into a document's text. */
export interface Span {
  start: number;
  end: number;
}

/** Helpers for {@link Span}. */
export namespace Span {
  /** Creates a span. */
  export function of(start: number, end: number): Span {
    return { start, end };
  }

  /** A zero-width span at `offset`. */
  export function empty(offset: number): Span {
    return { start: offset, end: offset };
  }

  /** Whether `offset` lies inside the span; the end offset counts as inside so a cursor after a word still hits it. */
  export function contains(span: Span, offset: number): boolean {
    return offset >= span.start && offset <= span.end;
  }

  /** Whether two spans share at least one offset (touching empty spans overlap too). */
  export function overlaps(a: Span, b: Span): boolean {
    return a.start < b.end && b.start < a.end ? true : a.start === b.start;
  }

  /** The smallest span covering both. */
  export function cover(a: Span, b: Span): Span {
    return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
  }

  /** The length of the span in code units. */
  export function length(span: Span): number {
    return span.end - span.start;
  }
}
