/**
 * Value construction for Terraform evaluation: constructors, the evaluation budget, re-homing of values resolved
 * elsewhere onto the expression that uses them, and reference collection.
 *
 * Invariant: every value placed in the model is a tree (no shared nodes) of bounded depth; `rehome` copies and
 * charges the budget per node, so a value built by repeated doubling exhausts the budget instead of memory.
 */
import type { ArrayValue, Entry, ObjectValue, Provenance, Scalar, ScalarValue, UnknownValue, Value } from '../types';

// The shared limits and budget, re-exported so the evaluator's modules import them from here.
export { Budget, MAX_STRING_LENGTH, MAX_VALUE_DEPTH, type Place } from '../evaluationLimits';
import { MAX_VALUE_DEPTH, type Budget, type Place } from '../evaluationLimits';

// Unknowns produced by evaluation errors (a missing attribute, a bad function argument), as opposed to values that
// depend on something the model cannot know. `try` and `can` need the difference; the model itself does not.
const errorUnknowns = new WeakSet<Value>();

// Arrays that are Terraform sets (from `toset`): iterating a set binds each element as its own key, as in Terraform.
const setValues = new WeakSet<Value>();

/** Marks an array as a set and returns it. */
export function markSet<T extends Value>(value: T): T {
  setValues.add(value);
  return value;
}

/** Whether an array is a set (its elements are their own keys when iterated). */
export function isSet(value: Value): boolean {
  return setValues.has(value);
}

/** A known scalar at `place`. */
export function scalar(value: Scalar, place: Place, provenance: Provenance): ScalarValue {
  return { kind: 'scalar', value, span: place.span, file: place.file, provenance };
}

/** An unknown value at `place` that mentions `references`; `isError` marks unknowns caused by evaluation errors. */
export function unknown(place: Place, references: readonly string[] = [], isError = false): UnknownValue {
  const value: UnknownValue = {
    kind: 'unknown',
    span: place.span,
    file: place.file,
    provenance: 'unresolvable',
    references: dedupe(references),
  };
  if (isError) {
    errorUnknowns.add(value);
  }
  return value;
}

/** An unknown value caused by an evaluation error, carrying the references of `causes`. */
export function errorValue(place: Place, causes: readonly Value[] = []): UnknownValue {
  return unknown(place, referencesOf(causes), true);
}

/** Whether `value` is an unknown caused by an evaluation error (rather than by an unresolvable reference). */
export function isError(value: Value): boolean {
  return value.kind === 'unknown' && errorUnknowns.has(value);
}

/** Whether `value` or any part of it is an error unknown. */
export function containsError(value: Value, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) {
    return false;
  }
  switch (value.kind) {
    case 'unknown':
      return isError(value);
    case 'scalar':
      return false;
    case 'array':
      return value.items.some((item) => containsError(item, depth + 1));
    case 'object':
      return value.entries.some((e) => containsError(e.value, depth + 1));
  }
}

/** An array at `place`. */
export function array(items: Value[], place: Place, provenance: Provenance): ArrayValue {
  return { kind: 'array', items, span: place.span, file: place.file, provenance };
}

/** An object at `place` whose entries all sit at `place` too (for values computed rather than written). */
export function object(entries: [string, Value][], place: Place, provenance: Provenance): ObjectValue {
  return {
    kind: 'object',
    entries: entries.map(([key, value]) => ({ key, keySpan: place.span, span: place.span, value, isBlock: false })),
    span: place.span,
    file: place.file,
    provenance,
  };
}

/** Every reference mentioned by unknown parts of `values`, in order, without duplicates. */
export function referencesOf(values: readonly Value[]): string[] {
  const out: string[] = [];
  const visit = (value: Value, depth: number): void => {
    if (depth > MAX_VALUE_DEPTH || out.length > 100) {
      return;
    }
    switch (value.kind) {
      case 'unknown':
        out.push(...value.references);
        return;
      case 'scalar':
        return;
      case 'array':
        value.items.forEach((item) => visit(item, depth + 1));
        return;
      case 'object':
        value.entries.forEach((e) => visit(e.value, depth + 1));
        return;
    }
  };
  values.forEach((v) => visit(v, 0));
  return dedupe(out);
}

/** Whether `value` is fully known (no unknown anywhere inside). */
export function isWhollyKnown(value: Value, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) {
    return false;
  }
  switch (value.kind) {
    case 'unknown':
      return false;
    case 'scalar':
      return true;
    case 'array':
      return value.items.every((item) => isWhollyKnown(item, depth + 1));
    case 'object':
      return value.entries.every((e) => isWhollyKnown(e.value, depth + 1));
  }
}

/**
 * A deep copy of `value` placed entirely at `place` with `provenance` (unknown parts stay `unresolvable` and keep
 * their references); used so a value resolved through a variable, local or function points where it is used.
 * Charges the budget per node; returns an unknown when the budget runs out or the value is too deep.
 */
export function rehome(value: Value, place: Place, provenance: Provenance, budget: Budget): Value {
  const copy = (v: Value, depth: number): Value => {
    if (!budget.charge()) {
      return unknown(place, v.kind === 'unknown' ? v.references : []);
    }
    if (depth > MAX_VALUE_DEPTH) {
      return unknown(place, referencesOf([v]));
    }
    switch (v.kind) {
      case 'scalar':
        return scalar(v.value, place, provenance);
      case 'unknown': {
        const u = unknown(place, v.references, isError(v));
        return u;
      }
      case 'array': {
        const out = array(
          v.items.map((item) => copy(item, depth + 1)),
          place,
          provenance,
        );
        return isSet(v) ? markSet(out) : out;
      }
      case 'object': {
        const out: ObjectValue = {
          kind: 'object',
          entries: v.entries.map(
            (e): Entry => ({ key: e.key, keySpan: place.span, span: place.span, value: copy(e.value, depth + 1), isBlock: false }),
          ),
          span: place.span,
          file: place.file,
          provenance,
        };
        return out;
      }
    }
  };
  return copy(value, 0);
}

/**
 * A deep copy of `value` with the same spans but provenance `resolved` (unknowns unchanged); used when a literal is
 * chosen by a condition that is not itself written literally.
 */
export function asResolved(value: Value, budget: Budget): Value {
  const copy = (v: Value, depth: number): Value => {
    if (!budget.charge() || depth > MAX_VALUE_DEPTH) {
      return unknown(v, referencesOf([v]));
    }
    switch (v.kind) {
      case 'scalar':
        return { ...v, provenance: 'resolved' };
      case 'unknown':
        return v;
      case 'array': {
        const out: Value = { ...v, provenance: 'resolved', items: v.items.map((item) => copy(item, depth + 1)) };
        return isSet(v) ? markSet(out) : out;
      }
      case 'object':
        return {
          ...v,
          provenance: 'resolved',
          entries: v.entries.map((e) => ({ ...e, value: copy(e.value, depth + 1) })),
        };
    }
  };
  return copy(value, 0);
}

/**
 * A deep copy of `value` (same spans and provenance) whose unknown parts refer to `references` instead of their
 * own; used for module inputs, whose references name the calling module's objects, not the child's.
 */
export function withReferences(value: Value, references: readonly string[], budget: Budget): Value {
  const copy = (v: Value, depth: number): Value => {
    if (!budget.charge() || depth > MAX_VALUE_DEPTH) {
      return unknown(v, references);
    }
    switch (v.kind) {
      case 'scalar':
        return v;
      case 'unknown':
        return unknown(v, references, isError(v));
      case 'array': {
        const out: Value = { ...v, items: v.items.map((item) => copy(item, depth + 1)) };
        return isSet(v) ? markSet(out) : out;
      }
      case 'object':
        return { ...v, entries: v.entries.map((e) => ({ ...e, value: copy(e.value, depth + 1) })) };
    }
  };
  return copy(value, 0);
}

/** Converts plain JSON-like data to a value at `place` (depth-limited; `undefined` and functions become unknown). */
export function fromPlain(data: unknown, place: Place, provenance: Provenance, budget: Budget): Value {
  const convert = (d: unknown, depth: number): Value => {
    if (!budget.charge() || depth > MAX_VALUE_DEPTH) {
      return unknown(place);
    }
    if (d === null || typeof d === 'string' || typeof d === 'boolean') {
      return scalar(d, place, provenance);
    }
    if (typeof d === 'number') {
      return Number.isFinite(d) ? scalar(d, place, provenance) : errorValue(place);
    }
    if (Array.isArray(d)) {
      return array(
        d.map((item) => convert(item, depth + 1)),
        place,
        provenance,
      );
    }
    if (typeof d === 'object') {
      return object(
        Object.entries(d as Record<string, unknown>).map(([k, v]) => [k, convert(v, depth + 1)]),
        place,
        provenance,
      );
    }
    return unknown(place);
  };
  return convert(data, 0);
}

/** The plain form of a wholly known value (objects keep key order); `undefined` when any part is unknown. */
export function toPlain(value: Value, depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) {
    return undefined;
  }
  switch (value.kind) {
    case 'scalar':
      return value.value;
    case 'unknown':
      return undefined;
    case 'array': {
      const out: unknown[] = [];
      for (const item of value.items) {
        const plain = toPlain(item, depth + 1);
        if (plain === undefined) {
          return undefined;
        }
        out.push(plain);
      }
      return out;
    }
    case 'object': {
      const out = new Map<string, unknown>();
      for (const e of value.entries) {
        const plain = toPlain(e.value, depth + 1);
        if (plain === undefined) {
          return undefined;
        }
        out.set(e.key, plain);
      }
      // A null-prototype record keeps insertion order for non-index keys and cannot be polluted by `__proto__`.
      const record = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of out) {
        record[k] = v;
      }
      return record;
    }
  }
}

/** The value of the last entry with `key` in an object (later duplicates win, as in `merge`). */
export function getEntry(value: ObjectValue, key: string): Value | undefined {
  for (let i = value.entries.length - 1; i >= 0; i--) {
    const e = value.entries[i];
    if (e !== undefined && e.key === key) {
      return e.value;
    }
  }
  return undefined;
}

/** Whether two wholly known values are equal; `undefined` when either has unknown parts. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  const pa = toPlain(a);
  const pb = toPlain(b);
  if (pa === undefined || pb === undefined) {
    return undefined;
  }
  return plainEqual(pa, pb, 0);
}

function plainEqual(a: unknown, b: unknown, depth: number): boolean {
  if (depth > MAX_VALUE_DEPTH) {
    return false;
  }
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => plainEqual(item, b[i], depth + 1));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) =>
        Object.prototype.hasOwnProperty.call(b, k)
          ? plainEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)
          : false,
      )
    );
  }
  return false;
}

function dedupe(items: readonly string[]): string[] {
  // Most unknowns carry one reference or none: no set for those.
  if (items.length < 2) {
    return items.slice();
  }
  return [...new Set(items)];
}
