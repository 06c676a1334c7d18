/**
 * Copies of syntax trees and models with every span moved: what an incremental re-parse uses for the parts of a file
 * after the edited one, whose text is unchanged but whose offsets moved by the edit's length difference. The
 * originals stay untouched, since earlier analyses may still hold them.
 */

/** The deepest object nesting copied; deeper values make {@link shiftedCopy} throw (callers then parse afresh). */
export const MAX_COPY_DEPTH = 5000;

/**
 * A deep copy of `value` (plain objects, arrays and primitives) in which every span, that is every object with
 * numeric `start` and `end`, is moved by `delta`. Throws a RangeError on values nested deeper than
 * {@link MAX_COPY_DEPTH}.
 */
export function shiftedCopy<T>(value: T, delta: number): T {
  return (typeof value === 'object' && value !== null ? copy(value, delta, 0) : value) as T;
}

function copy(value: object, delta: number, depth: number): unknown {
  if (depth > MAX_COPY_DEPTH) {
    throw new RangeError('The value is nested too deeply to copy');
  }
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = typeof item === 'object' && item !== null ? copy(item, delta, depth + 1) : item;
    }
    return out;
  }
  // A spread keeps the original's shape (hidden class), so code reading copies and originals stays monomorphic.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (typeof out.start === 'number' && typeof out.end === 'number') {
    out.start += delta;
    out.end += delta;
  }
  for (const key in out) {
    const item = out[key];
    if (typeof item === 'object' && item !== null) {
      out[key] = copy(item, delta, depth + 1);
    }
  }
  return out;
}
