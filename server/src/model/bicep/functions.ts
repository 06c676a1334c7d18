/**
 * Bicep's (ARM's) template functions that the model evaluates when every argument is known, on plain JSON data.
 * Anything environment-dependent (`resourceGroup()`, `uniqueString()`, `utcNow()`, `reference()`, …) is absent
 * here on purpose, so its result stays unknown: Onus never guesses.
 *
 * Semantics follow the ARM template function reference (case-insensitive `startsWith`, `indexOf` and
 * `contains` on keys; `string(true)` is `True`; `union` merges objects shallowly, last value winning).
 */

/** The result of a call the model could evaluate. */
export interface CallResult {
  value: unknown;
}

/** A plain JSON value. */
type Plain = unknown;

/** The longest string or array a function builds; longer results are left unknown. */
const MAX_RESULT_LENGTH = 1 << 20;

/** Names of the functions that depend on the deployment environment; their results are always unknown. */
export const ENVIRONMENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'resourcegroup',
  'subscription',
  'tenant',
  'managementgroup',
  'deployment',
  'deployer',
  'environment',
  'utcnow',
  'newguid',
  'guid',
  'uniquestring',
  'reference',
  'resourceid',
  'subscriptionresourceid',
  'tenantresourceid',
  'extensionresourceid',
  'managementgroupresourceid',
  'listkeys',
  'listsecrets',
  'listaccountsas',
  'listservicesas',
  'pickzones',
  'getsecret',
  'readenvironmentvariable',
  'externalinput',
]);

function isObject(v: Plain): v is Record<string, Plain> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(v: Plain): v is string {
  return typeof v === 'string';
}

function isInt(v: Plain): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** ARM's string conversion: booleans as `True`/`False`, objects and arrays as JSON, null as empty. */
export function toArmString(v: Plain): string | undefined {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'boolean') {
    return v ? 'True' : 'False';
  }
  if (typeof v === 'number') {
    return String(v);
  }
  if (v === null) {
    return '';
  }
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** Deep equality of plain values (object key order ignored). */
export function plainEquals(a: Plain, b: Plain, depth = 0): boolean {
  if (depth > 64) {
    return false;
  }
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => plainEquals(item, b[i], depth + 1));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && plainEquals(a[k], b[k], depth + 1));
  }
  return false;
}

/** A result, unless it is too large to keep. */
function ok(value: Plain): CallResult | undefined {
  if ((typeof value === 'string' || Array.isArray(value)) && value.length > MAX_RESULT_LENGTH) {
    return undefined;
  }
  return { value };
}

/** .NET composite formatting as ARM's `format` does it: `{0}`, `{1,-5}`, `{0:N}` (format specifiers ignored), `{{`. */
function format(template: string, args: Plain[]): string | undefined {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i++;
        continue;
      }
      const m = /^\{(\d+)(?:,[^}:]*)?(?::[^}]*)?\}/.exec(template.slice(i));
      if (!m) {
        return undefined;
      }
      const arg = args[Number(m[1])];
      if (arg === undefined) {
        return undefined;
      }
      const text = toArmString(arg);
      if (text === undefined) {
        return undefined;
      }
      out += text;
      i += m[0].length - 1;
      continue;
    }
    if (c === '}') {
      if (template[i + 1] === '}') {
        i++;
      }
      out += '}';
      continue;
    }
    out += c ?? '';
  }
  return out;
}

/** Numeric comparison or case-sensitive string comparison, as ARM's `less`/`greater` do. */
function compare(a: Plain, b: Plain): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

/**
 * Calls the function `name` (any namespace prefix removed, compared case-insensitively) on known arguments;
 * undefined when the function is unknown here, depends on the environment, or its arguments do not fit.
 */
export function callFunction(name: string, args: Plain[]): CallResult | undefined {
  const [a, b, c] = args;
  switch (name.toLowerCase()) {
    case 'concat': {
      if (args.every(isString)) {
        return ok(args.join(''));
      }
      if (args.every((x) => Array.isArray(x) || x === null)) {
        return ok(args.flatMap((x): Plain[] => (Array.isArray(x) ? (x as Plain[]) : [])));
      }
      return undefined;
    }
    case 'format':
      return isString(a) ? mapDefined(format(a, args.slice(1))) : undefined;
    case 'tolower':
      return isString(a) ? ok(a.toLowerCase()) : undefined;
    case 'toupper':
      return isString(a) ? ok(a.toUpperCase()) : undefined;
    case 'trim':
      return isString(a) ? ok(a.trim()) : undefined;
    case 'replace':
      return isString(a) && isString(b) && isString(c) && b.length > 0 ? ok(a.split(b).join(c)) : undefined;
    case 'substring': {
      if (!isString(a) || !isInt(b) || b < 0 || b > a.length) {
        return undefined;
      }
      if (c === undefined) {
        return ok(a.slice(b));
      }
      return isInt(c) && c >= 0 && b + c <= a.length ? ok(a.slice(b, b + c)) : undefined;
    }
    case 'length':
      if (isString(a) || Array.isArray(a)) {
        return ok(a.length);
      }
      return isObject(a) ? ok(Object.keys(a).length) : undefined;
    case 'empty':
      if (a === null) {
        return ok(true);
      }
      if (isString(a) || Array.isArray(a)) {
        return ok(a.length === 0);
      }
      return isObject(a) ? ok(Object.keys(a).length === 0) : undefined;
    case 'contains':
      if (isString(a) && isString(b)) {
        return ok(a.includes(b));
      }
      if (Array.isArray(a)) {
        return ok(a.some((item) => plainEquals(item, b)));
      }
      if (isObject(a) && isString(b)) {
        return ok(Object.keys(a).some((k) => k.toLowerCase() === b.toLowerCase()));
      }
      return undefined;
    case 'startswith':
      return isString(a) && isString(b) ? ok(a.toLowerCase().startsWith(b.toLowerCase())) : undefined;
    case 'endswith':
      return isString(a) && isString(b) ? ok(a.toLowerCase().endsWith(b.toLowerCase())) : undefined;
    case 'indexof':
      if (isString(a) && isString(b)) {
        return ok(a.toLowerCase().indexOf(b.toLowerCase()));
      }
      return Array.isArray(a) ? ok(a.findIndex((item) => plainEquals(item, b))) : undefined;
    case 'lastindexof':
      if (isString(a) && isString(b)) {
        return ok(a.toLowerCase().lastIndexOf(b.toLowerCase()));
      }
      if (Array.isArray(a)) {
        for (let i = a.length - 1; i >= 0; i--) {
          if (plainEquals(a[i], b)) {
            return ok(i);
          }
        }
        return ok(-1);
      }
      return undefined;
    case 'split': {
      if (!isString(a)) {
        return undefined;
      }
      const delimiters = isString(b) ? [b] : Array.isArray(b) && b.every(isString) ? b : undefined;
      if (!delimiters || delimiters.some((d) => d.length === 0)) {
        return undefined;
      }
      let parts = [a];
      for (const d of delimiters) {
        parts = parts.flatMap((p) => p.split(d));
      }
      return ok(parts);
    }
    case 'join':
      return Array.isArray(a) && isString(b) && a.every((x) => typeof x !== 'object' || x === null)
        ? mapDefined(joinStrings(a, b))
        : undefined;
    case 'string':
      return a === undefined ? undefined : mapDefined(toArmString(a));
    case 'int':
      if (isInt(a)) {
        return ok(a);
      }
      return isString(a) && /^[+-]?\d+$/.test(a.trim()) ? ok(parseInt(a, 10)) : undefined;
    case 'bool':
      if (typeof a === 'boolean') {
        return ok(a);
      }
      if (typeof a === 'number') {
        return ok(a !== 0);
      }
      if (isString(a) && /^(true|false)$/i.test(a)) {
        return ok(a.toLowerCase() === 'true');
      }
      return undefined;
    case 'first':
      if (isString(a)) {
        return ok(a.slice(0, 1));
      }
      return Array.isArray(a) ? ok(a.length > 0 ? a[0] : null) : undefined;
    case 'last':
      if (isString(a)) {
        return ok(a.slice(-1));
      }
      return Array.isArray(a) ? ok(a.length > 0 ? a[a.length - 1] : null) : undefined;
    case 'take':
      if (!isInt(b)) {
        return undefined;
      }
      return isString(a) || Array.isArray(a) ? ok(a.slice(0, Math.max(0, b))) : undefined;
    case 'skip':
      if (!isInt(b)) {
        return undefined;
      }
      return isString(a) || Array.isArray(a) ? ok(a.slice(Math.max(0, b))) : undefined;
    case 'padleft': {
      if (!isInt(b) || b > MAX_RESULT_LENGTH) {
        return undefined;
      }
      const text = isString(a) ? a : isInt(a) ? String(a) : undefined;
      const pad = c === undefined ? ' ' : isString(c) && c.length === 1 ? c : undefined;
      return text === undefined || pad === undefined ? undefined : ok(text.padStart(b, pad));
    }
    case 'json':
      if (!isString(a)) {
        return undefined;
      }
      try {
        return ok(JSON.parse(a) as Plain);
      } catch {
        return undefined;
      }
    case 'array':
      return a === undefined ? undefined : ok(Array.isArray(a) ? a : [a]);
    case 'createarray':
      return ok([...args]);
    case 'createobject': {
      if (args.length % 2 !== 0) {
        return undefined;
      }
      const out = Object.create(null) as Record<string, Plain>;
      for (let i = 0; i < args.length; i += 2) {
        const key = args[i];
        if (!isString(key)) {
          return undefined;
        }
        out[key] = args[i + 1];
      }
      return ok(out);
    }
    case 'union':
      if (args.length > 0 && args.every(isObject)) {
        const out = Object.create(null) as Record<string, Plain>;
        for (const arg of args) {
          Object.assign(out, arg);
        }
        return ok(out);
      }
      if (args.length > 0 && args.every((x) => Array.isArray(x))) {
        const out: Plain[] = [];
        for (const item of args.flat()) {
          if (!out.some((x) => plainEquals(x, item))) {
            out.push(item);
          }
        }
        return ok(out);
      }
      return undefined;
    case 'intersection':
      if (args.length > 0 && args.every(isObject)) {
        const [head = {}, ...rest] = args;
        const out = Object.create(null) as Record<string, Plain>;
        for (const [k, v] of Object.entries(head)) {
          if (rest.every((o) => k in o && plainEquals(o[k], v))) {
            out[k] = v;
          }
        }
        return ok(out);
      }
      if (args.length > 0 && args.every((x) => Array.isArray(x))) {
        const [head = [], ...rest] = args as Plain[][];
        return ok(head.filter((item, i) => head.findIndex((x) => plainEquals(x, item)) === i && rest.every((r) => r.some((x) => plainEquals(x, item)))));
      }
      return undefined;
    case 'range':
      return isInt(a) && isInt(b) && b >= 0 && b <= 10000 ? ok(Array.from({ length: b }, (_, i) => a + i)) : undefined;
    case 'min':
    case 'max': {
      const numbers = args.length === 1 && Array.isArray(a) ? a : args;
      if (numbers.length === 0 || !numbers.every(isInt)) {
        return undefined;
      }
      return ok(name.toLowerCase() === 'min' ? Math.min(...numbers) : Math.max(...numbers));
    }
    case 'flatten':
      return Array.isArray(a) && a.every((x) => Array.isArray(x)) ? ok(a.flat()) : undefined;
    case 'objectkeys':
      return isObject(a) ? ok(Object.keys(a)) : undefined;
    case 'items':
      return isObject(a)
        ? ok(
            Object.keys(a)
              .sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()))
              .map((key) => ({ key, value: a[key] })),
          )
        : undefined;
    case 'coalesce': {
      const found = args.find((x) => x !== null);
      return ok(found === undefined ? null : found);
    }
    case 'not':
      return typeof a === 'boolean' ? ok(!a) : undefined;
    case 'and':
      return args.length > 0 && args.every((x) => typeof x === 'boolean') ? ok(args.every((x) => x === true)) : undefined;
    case 'or':
      return args.length > 0 && args.every((x) => typeof x === 'boolean') ? ok(args.some((x) => x === true)) : undefined;
    case 'equals':
      return args.length === 2 ? ok(plainEquals(a, b)) : undefined;
    case 'less':
    case 'lessorequals':
    case 'greater':
    case 'greaterorequals': {
      const order = compare(a, b);
      if (order === undefined) {
        return undefined;
      }
      const lower = name.toLowerCase();
      return ok(
        lower === 'less' ? order < 0 : lower === 'lessorequals' ? order <= 0 : lower === 'greater' ? order > 0 : order >= 0,
      );
    }
    case 'base64':
      return isString(a) ? ok(Buffer.from(a, 'utf8').toString('base64')) : undefined;
    case 'base64tostring':
      return isString(a) ? ok(Buffer.from(a, 'base64').toString('utf8')) : undefined;
    case 'uricomponent':
      return isString(a) ? ok(encodeURIComponent(a)) : undefined;
    case 'uricomponenttostring':
      try {
        return isString(a) ? ok(decodeURIComponent(a)) : undefined;
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

function mapDefined(value: Plain): CallResult | undefined {
  return value === undefined ? undefined : ok(value);
}

function joinStrings(items: Plain[], delimiter: string): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    const text = toArmString(item);
    if (text === undefined) {
      return undefined;
    }
    parts.push(text);
  }
  return parts.join(delimiter);
}
