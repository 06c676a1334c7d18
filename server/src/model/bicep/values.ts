/**
 * Value construction for the Bicep evaluation: constructors, the evaluation budget, re-homing of values resolved
 * elsewhere onto the expression that uses them, and conversions from plain data.
 *
 * Invariant: every value placed in the model is a tree (no shared nodes) of bounded depth; `rehome` copies and
 * charges the budget per node, so a value built by repeated doubling exhausts the budget instead of memory.
 */
import type { ArrayValue, BlockInfo, Entry, ObjectValue, Provenance, Scalar, ScalarValue, UnknownValue, Value } from '../types';

// The shared limits and budget, re-exported so the evaluator's modules import them from here.
export { Budget, MAX_STRING_LENGTH, MAX_VALUE_DEPTH, type Place } from '../evaluationLimits';
import { MAX_STRING_LENGTH, MAX_VALUE_DEPTH, type Budget, type Place } from '../evaluationLimits';

/** A known scalar at `place`. */
export function scalar(value: Scalar, place: Place, provenance: Provenance): ScalarValue {
  return { kind: 'scalar', value, span: place.span, file: place.file, provenance };
}

/** An unknown value at `place` that mentions `references` (deduplicated, in order). */
export function unknown(place: Place, references: readonly string[] = []): UnknownValue {
  return { kind: 'unknown', span: place.span, file: place.file, provenance: 'unresolvable', references: [...new Set(references)] };
}

/** An array at `place`. */
export function array(items: Value[], place: Place, provenance: Provenance): ArrayValue {
  return { kind: 'array', items, span: place.span, file: place.file, provenance };
}

/** An object at `place`, with layout facts when it is written literally there. */
export function object(entries: Entry[], place: Place, provenance: Provenance, block?: BlockInfo): ObjectValue {
  const value: ObjectValue = { kind: 'object', entries, span: place.span, file: place.file, provenance };
  if (block) {
    value.block = block;
  }
  return value;
}

/** The provenance of a value computed from `values`: explicit only when all of them are. */
export function combined(values: readonly Value[]): Provenance {
  return values.every((v) => v.provenance === 'explicit') ? 'explicit' : 'resolved';
}

/** Every reference mentioned by the unknown parts of `values`. */
export function referencesOf(values: readonly Value[]): string[] {
  const out: string[] = [];
  const visit = (v: Value, depth: number): void => {
    if (depth > MAX_VALUE_DEPTH) {
      return;
    }
    switch (v.kind) {
      case 'unknown':
        out.push(...v.references);
        return;
      case 'array':
        v.items.forEach((item) => visit(item, depth + 1));
        return;
      case 'object':
        v.entries.forEach((e) => visit(e.value, depth + 1));
        return;
      case 'scalar':
        return;
    }
  };
  values.forEach((v) => visit(v, 0));
  return [...new Set(out)];
}

/**
 * A deep copy of `value` placed entirely at `place` with `provenance` (unknown parts stay unknown and keep their
 * references); used so a value resolved through a parameter, variable or function points where it is used.
 * Charges the budget per node; returns an unknown when the budget runs out or the value is too deep.
 */
export function rehome(value: Value, place: Place, provenance: Provenance, budget: Budget): Value {
  const copy = (v: Value, depth: number): Value => {
    if (!budget.charge() || depth > MAX_VALUE_DEPTH) {
      return unknown(place, referencesOf([v]));
    }
    switch (v.kind) {
      case 'scalar':
        return scalar(v.value, place, provenance);
      case 'unknown':
        return unknown(place, v.references);
      case 'array':
        return array(
          v.items.map((item) => copy(item, depth + 1)),
          place,
          provenance,
        );
      case 'object':
        return object(
          v.entries.map((e) => ({
            key: e.key,
            keySpan: place.span,
            span: place.span,
            value: copy(e.value, depth + 1),
            isBlock: false,
          })),
          place,
          provenance,
        );
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
      case 'array':
        return { ...v, provenance: 'resolved', items: v.items.map((item) => copy(item, depth + 1)) };
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
 * A deep copy of `value` (same spans and provenance) whose unknown parts refer to `references` instead of their own;
 * used for module parameters, whose references name the calling file's symbols, not the module's.
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
        return unknown(v, references);
      case 'array':
        return { ...v, items: v.items.map((item) => copy(item, depth + 1)) };
      case 'object':
        return { ...v, entries: v.entries.map((e) => ({ ...e, value: copy(e.value, depth + 1) })) };
    }
  };
  return copy(value, 0);
}

/** Plain JSON data (from a function's result) as a value placed at `place`; unsupported parts become unknown. */
export function fromPlain(data: unknown, place: Place, provenance: Provenance, budget: Budget, depth = 0): Value {
  if (!budget.charge() || depth > MAX_VALUE_DEPTH) {
    return unknown(place);
  }
  if (data === null || typeof data === 'string' || typeof data === 'boolean') {
    if (typeof data === 'string' && data.length > MAX_STRING_LENGTH) {
      return unknown(place);
    }
    return scalar(data, place, provenance);
  }
  if (typeof data === 'number') {
    return Number.isFinite(data) ? scalar(data, place, provenance) : unknown(place);
  }
  if (Array.isArray(data)) {
    return array(
      data.map((item) => fromPlain(item, place, provenance, budget, depth + 1)),
      place,
      provenance,
    );
  }
  if (typeof data === 'object') {
    return object(
      Object.entries(data as Record<string, unknown>).map(([key, v]) => ({
        key,
        keySpan: place.span,
        span: place.span,
        value: fromPlain(v, place, provenance, budget, depth + 1),
        isBlock: false,
      })),
      place,
      provenance,
    );
  }
  return unknown(place);
}

/** Converts a value to plain data when it is wholly known (bounded depth); undefined otherwise. */
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
      // No prototype: keys such as `__proto__` are data here.
      const out = Object.create(null) as Record<string, unknown>;
      for (const e of value.entries) {
        const plain = toPlain(e.value, depth + 1);
        if (plain === undefined) {
          return undefined;
        }
        if (!Object.prototype.hasOwnProperty.call(out, e.key)) {
          out[e.key] = plain;
        }
      }
      return out;
    }
  }
}

/**
 * What is common to every element of a collection, for a loop body checked once for all of them: a scalar all
 * elements share; an object with the keys every element has (a key some elements lack is unknown, so a setting
 * missing from only some of them is not reported as missing from all); arrays of one length item by item; anything
 * else unknown with `references`. The result is placed at `place` with provenance `resolved`.
 */
export function joinElements(elements: readonly Value[], place: Place, references: readonly string[], budget: Budget): Value {
  const join = (values: readonly Value[], depth: number): Value => {
    const [first] = values;
    if (!first || !budget.charge() || depth > MAX_VALUE_DEPTH) {
      return unknown(place, references);
    }
    if (first.kind === 'scalar' && values.every((v) => v.kind === 'scalar' && v.value === first.value)) {
      return scalar(first.value, place, 'resolved');
    }
    if (values.every((v) => v.kind === 'object')) {
      const objects = values as ObjectValue[];
      const keys = [...new Set(objects.flatMap((o) => o.entries.map((e) => e.key)))];
      const entries: Entry[] = keys.map((key) => {
        const found = objects.map((o) => o.entries.find((e) => e.key === key)?.value);
        const value = found.every((v): v is Value => v !== undefined) ? join(found, depth + 1) : unknown(place, references);
        return { key, keySpan: place.span, span: place.span, value, isBlock: false };
      });
      return object(entries, place, 'resolved');
    }
    if (first.kind === 'array' && values.every((v) => v.kind === 'array' && v.items.length === first.items.length)) {
      const arrays = values as ArrayValue[];
      return array(
        first.items.map((_, i) => join(arrays.map((a) => a.items[i] as Value), depth + 1)),
        place,
        'resolved',
      );
    }
    return unknown(place, references);
  };
  return join(elements, 0);
}
