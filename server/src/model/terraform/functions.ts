/**
 * Terraform's built-in functions over model values, for the functions whose result follows from their arguments
 * alone. Functions that read the workspace, the clock or randomness, and any function not listed here, evaluate to
 * unknown. Structural functions (`merge`, `concat`, `lookup`, `length`, …) accept known containers with unknown parts.
 */
import type { ObjectValue, Scalar, Value } from '../types';
import {
  MAX_STRING_LENGTH,
  MAX_VALUE_DEPTH,
  array,
  containsError,
  errorValue,
  fromPlain,
  getEntry,
  isError,
  isWhollyKnown,
  markSet,
  object,
  referencesOf,
  scalar,
  toPlain,
  unknown,
  valuesEqual,
  type Budget,
  type Place,
} from './values';

/** What a function implementation gets besides its arguments: where its result goes and the budget. */
interface CallContext {
  place: Place;
  budget: Budget;
}

// `undefined` means an invalid call (an error unknown); an implementation returns an unknown itself when an
// argument it needs is unknown.
type Implementation = (args: Value[], ctx: CallContext) => Value | undefined;

// The largest list `range` builds.
const MAX_RANGE = 1024;

const implementations = new Map<string, Implementation>();

/** Whether `name` is a function the model evaluates (others are always unknown). */
export function isKnownFunction(name: string): boolean {
  return implementations.has(name);
}

/** Calls the built-in `name` on evaluated arguments; the result is placed at `place` (the caller re-homes it). */
export function callFunction(name: string, args: Value[], place: Place, budget: Budget): Value {
  const implementation = implementations.get(name);
  if (implementation === undefined) {
    return unknown(place, referencesOf(args));
  }
  if (!budget.charge()) {
    return unknown(place, referencesOf(args));
  }
  // `try` and `can` inspect errors themselves; every other function propagates them.
  if (name !== 'try' && name !== 'can' && args.some((arg) => isError(arg))) {
    return errorValue(place, args);
  }
  const result = implementation(args, { place, budget });
  return result ?? errorValue(place, args);
}

/** The string form Terraform converts a scalar to (`true`, `12`); `undefined` for null. */
export function toStringValue(value: Scalar): string | undefined {
  if (value === null) {
    return undefined;
  }
  return typeof value === 'string' ? value : String(value);
}

/** The number a scalar converts to (`"12"` → 12); `undefined` when it does not convert. */
export function toNumberValue(value: Scalar): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/** The boolean a scalar converts to (`"true"` → true); `undefined` when it does not convert. */
export function toBoolValue(value: Scalar): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/**
 * Encodes a wholly known value as compact JSON the way Terraform's `jsonencode` does (same escapes), except that
 * object keys keep their source order where Terraform sorts them (hashicorp/terraform#25481); source order is kept
 * on purpose so messages quote the policy as the user wrote it. Sorting would be one `sort` in the object case.
 */
export function encodeJson(value: Value, budget: Budget): string | undefined {
  let length = 0;
  const encode = (v: Value, depth: number): string | undefined => {
    if (!budget.charge() || depth > MAX_VALUE_DEPTH || length > MAX_STRING_LENGTH) {
      return undefined;
    }
    let out: string | undefined;
    switch (v.kind) {
      case 'unknown':
        return undefined;
      case 'scalar':
        out = typeof v.value === 'string' ? encodeJsonString(v.value) : JSON.stringify(v.value);
        break;
      case 'array': {
        const parts: string[] = [];
        for (const item of v.items) {
          const part = encode(item, depth + 1);
          if (part === undefined) {
            return undefined;
          }
          parts.push(part);
        }
        out = `[${parts.join(',')}]`;
        break;
      }
      case 'object': {
        const parts: string[] = [];
        for (const [key, item] of uniqueEntries(v)) {
          const part = encode(item, depth + 1);
          if (part === undefined) {
            return undefined;
          }
          parts.push(`${encodeJsonString(key)}:${part}`);
        }
        out = `{${parts.join(',')}}`;
        break;
      }
    }
    length += out.length;
    return out;
  };
  const text = encode(value, 0);
  return text !== undefined && text.length <= MAX_STRING_LENGTH ? text : undefined;
}

// Terraform (Go's encoding/json) escapes <, >, & and the line/paragraph separators in strings.
function encodeJsonString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An object's entries with duplicate keys collapsed (the last value wins, at the first key's position). */
function uniqueEntries(value: ObjectValue): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const e of value.entries) {
    out.set(e.key, e.value);
  }
  return out;
}

function define(names: string | string[], implementation: Implementation): void {
  for (const name of Array.isArray(names) ? names : [names]) {
    implementations.set(name, implementation);
  }
}

/** An unknown carrying the references of `args` when any of them is not wholly known, else undefined. */
function unknownIfAny(args: Value[], ctx: CallContext): Value | undefined {
  return args.every((arg) => isWhollyKnown(arg)) ? undefined : unknown(ctx.place, referencesOf(args));
}

/** An unknown when any of `args` is unknown at the top (known containers with unknown parts pass). */
function unknownIfTop(args: Value[], ctx: CallContext): Value | undefined {
  return args.some((arg) => arg.kind === 'unknown') ? unknown(ctx.place, referencesOf(args)) : undefined;
}

/** Defines a function of scalar arguments (all known) returning a scalar. */
function defineScalar(names: string | string[], arity: [number, number], fn: (args: Scalar[]) => Scalar | undefined): void {
  define(names, (args, ctx) => {
    if (args.length < arity[0] || args.length > arity[1]) {
      return undefined;
    }
    const pending = unknownIfAny(args, ctx);
    if (pending !== undefined) {
      return pending;
    }
    if (args.some((a) => a.kind !== 'scalar')) {
      return undefined;
    }
    const result = fn(args.map((a) => (a.kind === 'scalar' ? a.value : null)));
    if (result === undefined || (typeof result === 'string' && result.length > MAX_STRING_LENGTH)) {
      return undefined;
    }
    if (typeof result === 'number' && !Number.isFinite(result)) {
      return undefined;
    }
    return scalar(result, ctx.place, 'resolved');
  });
}

function str(value: Scalar | undefined): string | undefined {
  return value === undefined ? undefined : toStringValue(value);
}

function num(value: Scalar | undefined): number | undefined {
  return value === undefined || value === null ? undefined : toNumberValue(value);
}

// --- Encoding

define('jsonencode', (args, ctx) => {
  const [value] = args;
  if (args.length !== 1 || value === undefined) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    // Keep the known structure so that rules can still read e.g. a policy's Effect and Action.
    return pending.kind === 'unknown' && (value.kind === 'object' || value.kind === 'array')
      ? { ...pending, partial: value }
      : pending;
  }
  const text = encodeJson(value, ctx.budget);
  return text === undefined ? unknown(ctx.place) : scalar(text, ctx.place, 'resolved');
});

define('jsondecode', (args, ctx) => {
  const [value] = args;
  if (args.length !== 1 || value === undefined) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (value.kind !== 'scalar' || typeof value.value !== 'string') {
    return undefined;
  }
  try {
    return fromPlain(JSON.parse(value.value), ctx.place, 'resolved', ctx.budget);
  } catch {
    return undefined;
  }
});

defineScalar('base64encode', [1, 1], ([s]) => (typeof s === 'string' ? Buffer.from(s, 'utf8').toString('base64') : undefined));
defineScalar('base64decode', [1, 1], ([s]) =>
  typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? Buffer.from(s, 'base64').toString('utf8') : undefined,
);

// --- Type conversion

defineScalar('tostring', [1, 1], ([v]) => (v === null ? null : str(v)));
defineScalar('tonumber', [1, 1], ([v]) => (v === null ? null : num(v)));
defineScalar('tobool', [1, 1], ([v]) => (v === null || v === undefined ? null : toBoolValue(v)));

define('tolist', (args, ctx) => {
  const [value] = args;
  if (args.length !== 1 || value === undefined) {
    return undefined;
  }
  return unknownIfTop(args, ctx) ?? (value.kind === 'array' ? array(value.items, ctx.place, 'resolved') : undefined);
});

define('toset', (args, ctx) => {
  const [value] = args;
  if (args.length !== 1 || value === undefined) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  return value.kind === 'array' ? markSet(array(sortSet(distinctItems(value.items)), ctx.place, 'resolved')) : undefined;
});

define('tomap', (args, ctx) => {
  const [value] = args;
  if (args.length !== 1 || value === undefined) {
    return undefined;
  }
  return unknownIfTop(args, ctx) ?? (value.kind === 'object' ? value : undefined);
});

// --- Strings

defineScalar('lower', [1, 1], ([s]) => (typeof s === 'string' ? s.toLowerCase() : undefined));
defineScalar('upper', [1, 1], ([s]) => (typeof s === 'string' ? s.toUpperCase() : undefined));
defineScalar('title', [1, 1], ([s]) =>
  typeof s === 'string' ? s.replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()) : undefined,
);
defineScalar('trimspace', [1, 1], ([s]) => (typeof s === 'string' ? s.trim() : undefined));
defineScalar('chomp', [1, 1], ([s]) => (typeof s === 'string' ? s.replace(/(\r\n|\n|\r)+$/, '') : undefined));
defineScalar('strrev', [1, 1], ([s]) => (typeof s === 'string' ? [...s].reverse().join('') : undefined));
defineScalar('trimprefix', [2, 2], ([s, p]) =>
  typeof s === 'string' && typeof p === 'string' ? (s.startsWith(p) ? s.slice(p.length) : s) : undefined,
);
defineScalar('trimsuffix', [2, 2], ([s, p]) =>
  typeof s === 'string' && typeof p === 'string' ? (p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s) : undefined,
);
defineScalar('trim', [2, 2], ([s, chars]) => {
  if (typeof s !== 'string' || typeof chars !== 'string') {
    return undefined;
  }
  const set = new Set([...chars]);
  const codePoints = [...s];
  let start = 0;
  let end = codePoints.length;
  while (start < end && set.has(codePoints[start] as string)) {
    start++;
  }
  while (end > start && set.has(codePoints[end - 1] as string)) {
    end--;
  }
  return codePoints.slice(start, end).join('');
});
defineScalar('startswith', [2, 2], ([s, p]) => (typeof s === 'string' && typeof p === 'string' ? s.startsWith(p) : undefined));
defineScalar('endswith', [2, 2], ([s, p]) => (typeof s === 'string' && typeof p === 'string' ? s.endsWith(p) : undefined));
defineScalar('strcontains', [2, 2], ([s, p]) => (typeof s === 'string' && typeof p === 'string' ? s.includes(p) : undefined));
defineScalar('substr', [3, 3], ([s, o, l]) => {
  const text = str(s);
  const offset = num(o);
  const length = num(l);
  if (text === undefined || offset === undefined || length === undefined) {
    return undefined;
  }
  const codePoints = [...text];
  const start = offset < 0 ? codePoints.length + offset : offset;
  if (start < 0 || start > codePoints.length) {
    return undefined;
  }
  return codePoints.slice(start, length < 0 ? undefined : start + length).join('');
});
define('replace', (args, ctx) => {
  if (args.length !== 3) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  const [text, substring, by] = args.map((a) => (a.kind === 'scalar' ? str(a.value) : undefined));
  if (text === undefined || substring === undefined || by === undefined) {
    return undefined;
  }
  if (substring.length > 1 && substring.startsWith('/') && substring.endsWith('/')) {
    // A regular expression (RE2 syntax): not evaluated, so no pattern from the workspace ever runs here.
    return unknown(ctx.place);
  }
  const result = substring === '' ? text : text.split(substring).join(by);
  return result.length > MAX_STRING_LENGTH ? undefined : scalar(result, ctx.place, 'resolved');
});

define('format', (args, ctx) => {
  if (args.length < 1) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (args.some((a) => a.kind !== 'scalar')) {
    return unknown(ctx.place);
  }
  const [spec, ...rest] = args.map((a) => (a.kind === 'scalar' ? a.value : null));
  if (typeof spec !== 'string') {
    return undefined;
  }
  const result = formatString(spec, rest);
  if (result === 'unsupported') {
    return unknown(ctx.place);
  }
  return result === 'invalid' || result.text.length > MAX_STRING_LENGTH ? undefined : scalar(result.text, ctx.place, 'resolved');
});

/** Go-style formatting for the verbs `%s %d %v %t %q %f %%` (with an optional precision); others are unsupported. */
function formatString(spec: string, args: Scalar[]): { text: string } | 'invalid' | 'unsupported' {
  let out = '';
  let next = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const match = /^%(\.(\d+))?([a-zA-Z%])/.exec(spec.slice(i));
    if (match === null) {
      return 'unsupported';
    }
    i += match[0].length - 1;
    const verb = match[3] ?? '';
    const precision = match[2] === undefined ? undefined : Number(match[2]);
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      return 'invalid';
    }
    const arg = args[next++] as Scalar;
    switch (verb) {
      case 's':
      case 'v': {
        const text = arg === null ? (verb === 'v' ? 'null' : undefined) : toStringValue(arg);
        if (text === undefined) {
          return 'invalid';
        }
        out += precision === undefined ? text : [...text].slice(0, precision).join('');
        break;
      }
      case 'd': {
        const n = arg === null ? undefined : toNumberValue(arg);
        if (n === undefined || !Number.isInteger(n)) {
          return 'invalid';
        }
        out += String(n);
        break;
      }
      case 'f': {
        const n = arg === null ? undefined : toNumberValue(arg);
        if (n === undefined) {
          return 'invalid';
        }
        out += n.toFixed(precision ?? 6);
        break;
      }
      case 't': {
        const b = arg === null ? undefined : toBoolValue(arg);
        if (b === undefined) {
          return 'invalid';
        }
        out += String(b);
        break;
      }
      case 'q': {
        const text = arg === null ? undefined : toStringValue(arg);
        if (text === undefined) {
          return 'invalid';
        }
        out += JSON.stringify(text);
        break;
      }
      default:
        return 'unsupported';
    }
    if (out.length > MAX_STRING_LENGTH) {
      return 'invalid';
    }
  }
  return next === args.length ? { text: out } : 'invalid';
}

define('join', (args, ctx) => {
  const [separator, ...lists] = args;
  if (separator === undefined || lists.length === 0) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  const sep = separator.kind === 'scalar' ? str(separator.value) : undefined;
  if (sep === undefined) {
    return undefined;
  }
  const parts: string[] = [];
  for (const list of lists) {
    if (list.kind !== 'array') {
      return undefined;
    }
    for (const item of list.items) {
      const text = item.kind === 'scalar' ? str(item.value) : undefined;
      if (text === undefined) {
        return undefined;
      }
      parts.push(text);
    }
  }
  const text = parts.join(sep);
  return text.length > MAX_STRING_LENGTH ? undefined : scalar(text, ctx.place, 'resolved');
});

define('split', (args, ctx) => {
  if (args.length !== 2) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  const [sep, text] = args.map((a) => (a.kind === 'scalar' ? str(a.value) : undefined));
  if (sep === undefined || text === undefined) {
    return undefined;
  }
  const parts = sep === '' ? [...text] : text.split(sep);
  if (!ctx.budget.charge(parts.length)) {
    return unknown(ctx.place);
  }
  return array(
    parts.map((p) => scalar(p, ctx.place, 'resolved')),
    ctx.place,
    'resolved',
  );
});

// --- Collections

define('concat', (args, ctx) => {
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (args.some((a) => a.kind !== 'array')) {
    return undefined;
  }
  const items = args.flatMap((a) => (a.kind === 'array' ? a.items : []));
  return ctx.budget.charge(items.length) ? array(items, ctx.place, 'resolved') : unknown(ctx.place);
});

define('merge', (args, ctx) => {
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  const merged = new Map<string, Value>();
  for (const arg of args) {
    if (arg.kind === 'scalar' && arg.value === null) {
      continue;
    }
    if (arg.kind !== 'object') {
      return undefined;
    }
    for (const e of arg.entries) {
      merged.set(e.key, e.value);
    }
  }
  return ctx.budget.charge(merged.size) ? object([...merged], ctx.place, 'resolved') : unknown(ctx.place);
});

define('lookup', (args, ctx) => {
  const [map, key, fallback] = args;
  if (map === undefined || key === undefined || args.length > 3) {
    return undefined;
  }
  const pending = unknownIfTop([map, key], ctx) ?? unknownIfAny([key], ctx);
  if (pending !== undefined) {
    return pending;
  }
  const name = key.kind === 'scalar' && key.value !== null ? toStringValue(key.value) : undefined;
  if (map.kind !== 'object' || name === undefined) {
    return undefined;
  }
  return getEntry(map, name) ?? fallback;
});

define('element', (args, ctx) => {
  const [list, position] = args;
  if (list === undefined || position === undefined || args.length !== 2) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx) ?? unknownIfAny([position], ctx);
  if (pending !== undefined) {
    return pending;
  }
  const i = position.kind === 'scalar' ? num(position.value) : undefined;
  if (list.kind !== 'array' || list.items.length === 0 || i === undefined || !Number.isInteger(i) || i < 0) {
    return undefined;
  }
  return list.items[i % list.items.length];
});

define('length', (args, ctx) => {
  const [value] = args;
  if (value === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  switch (value.kind) {
    case 'array':
      return scalar(value.items.length, ctx.place, 'resolved');
    case 'object':
      return scalar(uniqueEntries(value).size, ctx.place, 'resolved');
    case 'scalar':
      return typeof value.value === 'string' ? scalar([...value.value].length, ctx.place, 'resolved') : undefined;
    case 'unknown':
      return undefined;
  }
});

define('coalesce', (args, ctx) => {
  for (const arg of args) {
    if (arg.kind === 'unknown') {
      return unknown(ctx.place, referencesOf(args));
    }
    if (arg.kind === 'scalar' && (arg.value === null || arg.value === '')) {
      continue;
    }
    return arg;
  }
  return undefined;
});

define('coalescelist', (args, ctx) => {
  for (const arg of args) {
    if (arg.kind === 'unknown') {
      return unknown(ctx.place, referencesOf(args));
    }
    if (arg.kind !== 'array') {
      return undefined;
    }
    if (arg.items.length > 0) {
      return arg;
    }
  }
  return undefined;
});

define('try', (args, ctx) => {
  for (const arg of args) {
    if (containsError(arg)) {
      continue;
    }
    // An unknown argument might still fail once known, so which argument wins is unknown too.
    return arg.kind === 'unknown' ? unknown(ctx.place, arg.references) : arg;
  }
  return undefined;
});

define('can', (args, ctx) => {
  const [value] = args;
  if (value === undefined || args.length !== 1) {
    return undefined;
  }
  if (containsError(value)) {
    return scalar(false, ctx.place, 'resolved');
  }
  return value.kind === 'unknown' ? unknown(ctx.place, value.references) : scalar(true, ctx.place, 'resolved');
});

define('contains', (args, ctx) => {
  const [list, wanted] = args;
  if (list === undefined || wanted === undefined || args.length !== 2) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx) ?? unknownIfAny([wanted], ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array') {
    return undefined;
  }
  let isUnsure = false;
  for (const item of list.items) {
    const equal = valuesEqual(item, wanted);
    if (equal === true) {
      return scalar(true, ctx.place, 'resolved');
    }
    isUnsure ||= equal === undefined;
  }
  return isUnsure ? unknown(ctx.place, referencesOf(args)) : scalar(false, ctx.place, 'resolved');
});

define('index', (args, ctx) => {
  const [list, wanted] = args;
  if (list === undefined || wanted === undefined || args.length !== 2) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array') {
    return undefined;
  }
  const i = list.items.findIndex((item) => valuesEqual(item, wanted) === true);
  return i < 0 ? undefined : scalar(i, ctx.place, 'resolved');
});

define('flatten', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const out: Value[] = [];
  let pendingUnknown: Value | undefined;
  const visit = (v: Value, depth: number): boolean => {
    if (depth > MAX_VALUE_DEPTH || !ctx.budget.charge()) {
      return false;
    }
    if (v.kind === 'unknown') {
      pendingUnknown = v;
      return false;
    }
    if (v.kind !== 'array') {
      out.push(v);
      return true;
    }
    return v.items.every((item) => visit(item, depth + 1));
  };
  if (list.kind !== 'array') {
    return list.kind === 'unknown' ? unknown(ctx.place, list.references) : undefined;
  }
  if (!list.items.every((item) => visit(item, 1))) {
    return unknown(ctx.place, pendingUnknown === undefined ? [] : referencesOf([pendingUnknown]));
  }
  return array(out, ctx.place, 'resolved');
});

define('keys', (args, ctx) => {
  const [map] = args;
  if (map === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (map.kind !== 'object') {
    return undefined;
  }
  return array(
    [...uniqueEntries(map).keys()].sort(compareCodeUnits).map((k) => scalar(k, ctx.place, 'resolved')),
    ctx.place,
    'resolved',
  );
});

define('values', (args, ctx) => {
  const [map] = args;
  if (map === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (map.kind !== 'object') {
    return undefined;
  }
  const entries = uniqueEntries(map);
  return array(
    [...entries.keys()].sort(compareCodeUnits).map((k) => entries.get(k) as Value),
    ctx.place,
    'resolved',
  );
});

define('zipmap', (args, ctx) => {
  const [keys, values] = args;
  if (keys === undefined || values === undefined || args.length !== 2) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx) ?? unknownIfAny([keys], ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (keys.kind !== 'array' || values.kind !== 'array' || keys.items.length !== values.items.length) {
    return undefined;
  }
  const entries: [string, Value][] = [];
  for (let i = 0; i < keys.items.length; i++) {
    const key = keys.items[i];
    const name = key?.kind === 'scalar' && key.value !== null ? toStringValue(key.value) : undefined;
    if (name === undefined) {
      return undefined;
    }
    entries.push([name, values.items[i] as Value]);
  }
  return object(entries, ctx.place, 'resolved');
});

define('distinct', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  return list.kind === 'array' ? array(distinctItems(list.items), ctx.place, 'resolved') : undefined;
});

define('compact', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array') {
    return undefined;
  }
  return array(
    list.items.filter((item) => !(item.kind === 'scalar' && (item.value === null || item.value === ''))),
    ctx.place,
    'resolved',
  );
});

define('reverse', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  return unknownIfTop(args, ctx) ?? (list.kind === 'array' ? array([...list.items].reverse(), ctx.place, 'resolved') : undefined);
});

define('sort', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array') {
    return undefined;
  }
  const texts = list.items.map((item) => (item.kind === 'scalar' ? str(item.value) : undefined));
  if (texts.some((t) => t === undefined)) {
    return undefined;
  }
  return array(
    (texts as string[]).sort(compareCodeUnits).map((t) => scalar(t, ctx.place, 'resolved')),
    ctx.place,
    'resolved',
  );
});

define('slice', (args, ctx) => {
  const [list, from, to] = args;
  if (list === undefined || from === undefined || to === undefined || args.length !== 3) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx) ?? unknownIfAny([from, to], ctx);
  if (pending !== undefined) {
    return pending;
  }
  const start = from.kind === 'scalar' ? num(from.value) : undefined;
  const end = to.kind === 'scalar' ? num(to.value) : undefined;
  if (list.kind !== 'array' || start === undefined || end === undefined || start < 0 || end < start || end > list.items.length) {
    return undefined;
  }
  return array(list.items.slice(start, end), ctx.place, 'resolved');
});

define('one', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfTop(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array' || list.items.length > 1) {
    return undefined;
  }
  return list.items[0] ?? scalar(null, ctx.place, 'resolved');
});

define('range', (args, ctx) => {
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  const n = args.map((a) => (a.kind === 'scalar' ? num(a.value) : undefined));
  if (n.length < 1 || n.length > 3 || n.some((x) => x === undefined)) {
    return undefined;
  }
  const [start, end, step] = n.length === 1 ? [0, n[0] as number, 1] : [n[0] as number, n[1] as number, n[2] ?? 1];
  if (step === 0 || (end - start) / step > MAX_RANGE) {
    return step === 0 ? undefined : unknown(ctx.place);
  }
  const items: Value[] = [];
  for (let x = start; step > 0 ? x < end : x > end; x += step) {
    items.push(scalar(x, ctx.place, 'resolved'));
  }
  return array(items, ctx.place, 'resolved');
});

/** Defines a function over numbers, taken as separate arguments (`min(1, 2)`) or expanded from a list. */
function defineNumbers(name: string, fn: (numbers: number[]) => number | undefined): void {
  define(name, (args, ctx) => {
    const pending = unknownIfAny(args, ctx);
    if (pending !== undefined) {
      return pending;
    }
    const numbers = args.map((a) => (a.kind === 'scalar' ? num(a.value) : undefined));
    if (numbers.length === 0 || numbers.some((n) => n === undefined)) {
      return undefined;
    }
    const result = fn(numbers as number[]);
    return result === undefined || !Number.isFinite(result) ? undefined : scalar(result, ctx.place, 'resolved');
  });
}

defineNumbers('min', (ns) => Math.min(...ns));
defineNumbers('max', (ns) => Math.max(...ns));
defineNumbers('abs', (ns) => (ns.length === 1 ? Math.abs(ns[0] as number) : undefined));
defineNumbers('ceil', (ns) => (ns.length === 1 ? Math.ceil(ns[0] as number) : undefined));
defineNumbers('floor', (ns) => (ns.length === 1 ? Math.floor(ns[0] as number) : undefined));
defineNumbers('signum', (ns) => (ns.length === 1 ? Math.sign(ns[0] as number) : undefined));

define('sum', (args, ctx) => {
  const [list] = args;
  if (list === undefined || args.length !== 1) {
    return undefined;
  }
  const pending = unknownIfAny(args, ctx);
  if (pending !== undefined) {
    return pending;
  }
  if (list.kind !== 'array' || list.items.length === 0) {
    return undefined;
  }
  let total = 0;
  for (const item of list.items) {
    const n = item.kind === 'scalar' ? num(item.value) : undefined;
    if (n === undefined) {
      return undefined;
    }
    total += n;
  }
  return scalar(total, ctx.place, 'resolved');
});

/** Defines `alltrue`/`anytrue` over a list of booleans. */
function defineAll(name: string, isAll: boolean): void {
  define(name, (args, ctx) => {
    const [list] = args;
    if (list === undefined || args.length !== 1) {
      return undefined;
    }
    const pending = unknownIfTop(args, ctx);
    if (pending !== undefined) {
      return pending;
    }
    if (list.kind !== 'array') {
      return undefined;
    }
    let isUnsure = false;
    for (const item of list.items) {
      const b = item.kind === 'scalar' ? toBoolValue(item.value) : undefined;
      if (item.kind === 'unknown') {
        isUnsure = true;
      } else if (b === undefined) {
        return undefined;
      } else if (b !== isAll) {
        return scalar(!isAll, ctx.place, 'resolved');
      }
    }
    return isUnsure ? unknown(ctx.place, referencesOf(args)) : scalar(isAll, ctx.place, 'resolved');
  });
}

defineAll('alltrue', true);
defineAll('anytrue', false);

function distinctItems(items: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) {
    if (!out.some((seen) => valuesEqual(seen, item) === true)) {
      out.push(item);
    }
  }
  return out;
}

// Terraform's sets of strings iterate in lexical order and sets of numbers in numeric order; other sets keep order.
function sortSet(items: Value[]): Value[] {
  const plain = items.map((item) => toPlain(item));
  if (plain.every((p) => typeof p === 'string')) {
    return [...items].sort((a, b) => compareCodeUnits(toPlain(a) as string, toPlain(b) as string));
  }
  if (plain.every((p) => typeof p === 'number')) {
    return [...items].sort((a, b) => (toPlain(a) as number) - (toPlain(b) as number));
  }
  return items;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
