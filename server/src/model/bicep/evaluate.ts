/**
 * Evaluation of Bicep expressions into model values: literals, objects and arrays (with spreads), string
 * interpolation, operators, `for` expressions over known collections, parameters (their defaults, or the values a
 * module call passes), variables, and the functions of `functions.ts` applied to known arguments.
 *
 * Everything the model cannot know stays unknown, with references naming what it depends on: a parameter without
 * a default (`location`), a resource's runtime property (`stg.id`, `stg.properties.primaryEndpoints`), a module's
 * output (`net.outputs.subnetId`), the deployment environment (`resourceGroup().location`). `@secure()` parameters
 * are always unknown.
 *
 * Invariant: a value is placed at the expression that produced it (a parameter's default is re-homed onto the
 * place that uses the parameter, with provenance `resolved`), and only objects written literally carry `block`
 * layout, so fixes never edit text that is not where the finding points.
 */
import type { Span } from '../../text/span';
import type {
  Declaration,
  Expression,
  ForExpression,
  ModuleDeclaration,
  ObjectExpression,
  ParameterDeclaration,
  ResourceDeclaration,
  VariableDeclaration,
} from '../../parse/bicep/syntax';
import type { Entry, ObjectValue, Value } from '../types';
import { callFunction, ENVIRONMENT_FUNCTIONS, plainEquals, toArmString } from './functions';
import {
  array,
  asResolved,
  combined,
  fromPlain,
  MAX_STRING_LENGTH,
  object,
  referencesOf,
  rehome,
  scalar,
  toPlain,
  unknown,
  type Budget,
  type Place,
} from './values';

/** Values of local names (loop variables) visible where an expression is evaluated. */
export type Locals = ReadonlyMap<string, Value>;

/** No local names. */
export const NO_LOCALS: Locals = new Map();

/** A file-level symbol. */
type BicepSymbol =
  | { kind: 'param'; decl: ParameterDeclaration }
  | { kind: 'var'; decl: VariableDeclaration }
  | { kind: 'resource'; decl: ResourceDeclaration }
  | { kind: 'module'; decl: ModuleDeclaration }
  | { kind: 'other' };

/** How deep symbol resolution (a variable using a variable using …) may go before values become unknown. */
const MAX_RESOLUTION_DEPTH = 100;

/** How many elements of a known collection a `for` expression is evaluated for; longer loops are unknown. */
const MAX_LOOP_ELEMENTS = 1000;

/** Functions taking lambdas; the model does not evaluate lambdas, so their results are unknown. */
const LAMBDA_FUNCTIONS = new Set(['map', 'filter', 'reduce', 'sort', 'tobject', 'toobject', 'groupby', 'mapvalues']);

/** Parameter values a module call passes, and whether the call's `params` as a whole could not be read. */
export interface ParameterInputs {
  values: ReadonlyMap<string, Value>;
  /** When true, parameters the call does not list are unknown too (the `params` object itself was unknown). */
  isOpaque: boolean;
}

/** Whether a parameter declaration carries `@secure()` (or `@sys.secure()`). */
export function isSecure(decl: ParameterDeclaration): boolean {
  return decl.decorators.some((d) => {
    const expr = d.expr;
    return expr.kind === 'Call' && expr.name === 'secure';
  });
}

/** Evaluates expressions of one Bicep file (with the parameter values of the module call that loaded it, if any). */
export class Evaluator {
  private readonly symbols = new Map<string, BicepSymbol>();
  private readonly cache = new Map<string, Value>();
  private readonly evaluating = new Set<string>();
  private resolutionDepth = 0;

  /** Collects the file's symbols; `inputs` are the values a module call passes to its parameters. */
  constructor(
    private readonly file: string,
    declarations: readonly Declaration[],
    private readonly budget: Budget,
    private readonly inputs: ParameterInputs | undefined,
  ) {
    for (const d of declarations) {
      switch (d.kind) {
        case 'Parameter':
          this.declare(d.name.name, { kind: 'param', decl: d });
          break;
        case 'Variable':
          this.declare(d.name.name, { kind: 'var', decl: d });
          break;
        case 'Resource':
          this.declare(d.name.name, { kind: 'resource', decl: d });
          break;
        case 'Module':
          this.declare(d.name.name, { kind: 'module', decl: d });
          break;
        case 'Function':
        case 'TypeAlias':
        case 'Test':
        case 'Assert':
          this.declare(d.name.name, { kind: 'other' });
          break;
        case 'Import':
          for (const s of d.symbols ?? []) {
            this.declare((s.alias ?? s.name).name, { kind: 'other' });
          }
          if (d.wildcardAlias) {
            this.declare(d.wildcardAlias.name, { kind: 'other' });
          }
          break;
        case 'Extension':
          if (d.alias) {
            this.declare(d.alias.name, { kind: 'other' });
          }
          break;
        default:
          break;
      }
    }
  }

  private declare(name: string, symbol: BicepSymbol): void {
    // The first declaration of a name wins (Bicep reports duplicates as errors).
    if (name !== '' && !this.symbols.has(name)) {
      this.symbols.set(name, symbol);
    }
  }

  /** Evaluates `expr` with the given local names in scope. */
  evaluate(expr: Expression, locals: Locals): Value {
    const place: Place = { file: this.file, span: expr.span };
    if (!this.budget.charge()) {
      return unknown(place);
    }
    switch (expr.kind) {
      case 'Integer':
        return scalar(expr.value, place, 'explicit');
      case 'Boolean':
        return scalar(expr.value, place, 'explicit');
      case 'Null':
        return scalar(null, place, 'explicit');
      case 'String':
        return this.evaluateString(expr.segments, expr.expressions, place, locals);
      case 'Array':
        return this.evaluateArray(expr, place, locals);
      case 'Object':
        return this.evaluateObject(expr, locals, expr.openSpan, false);
      case 'Variable':
        return this.resolveName(expr.name, place, locals);
      case 'Member':
        return this.evaluateMember(expr, place, locals);
      case 'Index':
        return this.evaluateIndex(expr, place, locals);
      case 'ResourceAccess':
        return unknown(place, [this.referenceOf(expr, locals) ?? expr.name]);
      case 'NonNull':
        return this.evaluate(expr.target, locals);
      case 'Paren':
        return this.evaluate(expr.expr, locals);
      case 'Unary':
        return this.evaluateUnary(expr.operator, expr.operand, place, locals);
      case 'Binary':
        return this.evaluateBinary(expr, place, locals);
      case 'Ternary': {
        const condition = this.evaluate(expr.condition, locals);
        if (condition.kind === 'scalar' && typeof condition.value === 'boolean') {
          const chosen = this.evaluate(condition.value ? expr.trueExpr : expr.falseExpr, locals);
          return condition.provenance === 'explicit' ? chosen : asResolved(chosen, this.budget);
        }
        return unknown(place, referencesOf([condition]));
      }
      case 'Call':
        return this.evaluateCall(expr, place, locals);
      case 'For':
        return this.evaluateFor(expr, place, locals);
      case 'Lambda':
      case 'If':
      case 'Missing':
      case 'Error':
        return unknown(place);
    }
  }

  /**
   * Evaluates an object written literally, with layout facts: `headerSpan` is where a finding about a setting missing
   * from it points (a property's key, a resource's first line). Later keys replace earlier ones, as in Bicep. An
   * unknown spread makes a nested object unknown; in a resource body (`isBody`) its known entries are kept.
   */
  evaluateObject(expr: ObjectExpression, locals: Locals, headerSpan: Span, isBody: boolean): Value {
    const place: Place = { file: this.file, span: expr.span };
    const entries: Entry[] = [];
    let unknownSpread: Value | undefined;
    const put = (entry: Entry): void => {
      const existing = entries.findIndex((e) => e.key === entry.key);
      if (existing >= 0) {
        entries.splice(existing, 1);
      }
      entries.push(entry);
    };
    for (const item of expr.items) {
      if (item.kind === 'Property') {
        if (item.value.kind === 'Missing' || item.value.kind === 'Error') {
          continue;
        }
        let key = item.keyName;
        if (key === undefined && !('name' in item.key)) {
          const keyValue = this.evaluate(item.key, locals);
          key = keyValue.kind === 'scalar' && typeof keyValue.value === 'string' ? keyValue.value : undefined;
        }
        if (key === undefined) {
          continue;
        }
        const value =
          item.value.kind === 'Object'
            ? this.evaluateObject(item.value, locals, item.keySpan, false)
            : this.evaluate(item.value, locals);
        put({ key, keySpan: item.keySpan, span: item.span, value, isBlock: false });
      } else if (item.kind === 'Spread') {
        const spread = this.evaluate(item.expr, locals);
        if (spread.kind === 'object') {
          const at: Place = { file: this.file, span: item.span };
          for (const e of spread.entries) {
            put({
              key: e.key,
              keySpan: item.span,
              span: item.span,
              value: rehome(e.value, at, spread.provenance === 'explicit' ? 'explicit' : 'resolved', this.budget),
              isBlock: false,
            });
          }
        } else if (!(spread.kind === 'scalar' && spread.value === null)) {
          unknownSpread = spread;
        }
      }
    }
    if (unknownSpread && !isBody) {
      return unknown(place, referencesOf([unknownSpread]));
    }
    // FIXME(#5): a resource body must stay an object, so with an unknown spread only its known entries are kept and a
    // setting the spread may hold looks missing. Pinned by test/model/bicep/lower.test.ts ("unknown spread in a body").
    return object(entries, place, 'explicit', { headerSpan, openSpan: expr.openSpan, closeSpan: expr.closeSpan });
  }

  /** The value of a resource's `name` property when it is known (for `stg.name`). */
  resourceName(decl: ResourceDeclaration): Value | undefined {
    const body = bodyObjectOf(decl.value);
    const property = body?.items.find((i) => i.kind === 'Property' && i.keyName === 'name');
    if (!property || property.kind !== 'Property' || isLooped(decl.value)) {
      return undefined;
    }
    const key = `resource:${decl.name.name}:name`;
    return this.cached(key, () => this.evaluate(property.value, NO_LOCALS));
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Evaluates `compute` once per key, guarding against cycles and runaway resolution depth. */
  private cached(key: string, compute: () => Value): Value | undefined {
    const hit = this.cache.get(key);
    if (hit) {
      return hit;
    }
    if (this.evaluating.has(key) || this.resolutionDepth >= MAX_RESOLUTION_DEPTH) {
      return undefined;
    }
    this.evaluating.add(key);
    this.resolutionDepth++;
    try {
      const value = compute();
      this.cache.set(key, value);
      return value;
    } finally {
      this.resolutionDepth--;
      this.evaluating.delete(key);
    }
  }

  /** A name used as a value: a loop variable, a parameter, a variable, or a reference to a resource or module. */
  private resolveName(name: string, place: Place, locals: Locals): Value {
    const local = locals.get(name);
    if (local) {
      return rehome(local, place, local.provenance === 'explicit' ? 'explicit' : 'resolved', this.budget);
    }
    const symbol = this.symbols.get(name);
    switch (symbol?.kind) {
      case 'param': {
        const input = this.inputs?.values.get(name);
        if (input) {
          return rehome(input, place, 'resolved', this.budget);
        }
        const decl = symbol.decl;
        if (this.inputs?.isOpaque || isSecure(decl) || decl.defaultValue === undefined) {
          return unknown(place, [name]);
        }
        const defaultValue = decl.defaultValue;
        const value = this.cached(`param:${name}`, () => this.evaluate(defaultValue, NO_LOCALS));
        return value ? rehome(value, place, 'resolved', this.budget) : unknown(place, [name]);
      }
      case 'var': {
        const decl = symbol.decl;
        const value = this.cached(`var:${name}`, () => this.evaluate(decl.value, NO_LOCALS));
        return value ? rehome(value, place, 'resolved', this.budget) : unknown(place, [name]);
      }
      default:
        return unknown(place, [name]);
    }
  }

  /**
   * The reference an access chain names (`stg.properties.x`, `hub::subnet.id`, `resourceGroup().location`), when it
   * is rooted at a file-level name or an environment function rather than a loop variable.
   */
  private referenceOf(expr: Expression, locals: Locals): string | undefined {
    switch (expr.kind) {
      case 'Variable':
        return locals.has(expr.name) ? undefined : expr.name;
      case 'Member': {
        const target = this.referenceOf(expr.target, locals);
        return target === undefined ? undefined : `${target}.${expr.name}`;
      }
      case 'ResourceAccess': {
        const target = this.referenceOf(expr.target, locals);
        return target === undefined ? undefined : `${target}::${expr.name}`;
      }
      case 'Index': {
        const target = this.referenceOf(expr.target, locals);
        if (target === undefined) {
          return undefined;
        }
        return expr.index.kind === 'Integer' ? `${target}[${expr.index.value}]` : `${target}[*]`;
      }
      case 'NonNull':
        return this.referenceOf(expr.target, locals);
      case 'Call': {
        const isNamespaced =
          expr.target === undefined || (expr.target.kind === 'Variable' && (expr.target.name === 'az' || expr.target.name === 'sys'));
        return isNamespaced && expr.args.length === 0 ? `${expr.name}()` : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The file-level symbol at the root of an access chain (undefined when the root is local or not a name). */
  private rootSymbol(expr: Expression, locals: Locals): BicepSymbol | undefined {
    switch (expr.kind) {
      case 'Variable':
        return locals.has(expr.name) ? undefined : this.symbols.get(expr.name);
      case 'Member':
      case 'ResourceAccess':
      case 'Index':
      case 'NonNull':
        return this.rootSymbol(expr.target, locals);
      default:
        return undefined;
    }
  }

  private evaluateString(segments: string[], expressions: Expression[], place: Place, locals: Locals): Value {
    if (expressions.length === 0) {
      return scalar(segments[0] ?? '', place, 'explicit');
    }
    const parts = expressions.map((e) => this.evaluate(e, locals));
    let text = segments[0] ?? '';
    for (let i = 0; i < parts.length; i++) {
      const plain = toPlain(parts[i] as Value);
      const piece = plain === undefined ? undefined : toArmString(plain);
      if (piece === undefined) {
        return unknown(place, referencesOf(parts));
      }
      text += piece + (segments[i + 1] ?? '');
      if (text.length > MAX_STRING_LENGTH) {
        return unknown(place);
      }
    }
    return scalar(text, place, combined(parts));
  }

  private evaluateArray(expr: Extract<Expression, { kind: 'Array' }>, place: Place, locals: Locals): Value {
    const items: Value[] = [];
    for (const item of expr.items) {
      if (item.kind === 'Spread') {
        const spread = this.evaluate(item.expr, locals);
        if (spread.kind !== 'array') {
          return unknown(place, referencesOf([spread]));
        }
        const at: Place = { file: this.file, span: item.span };
        for (const v of spread.items) {
          items.push(rehome(v, at, spread.provenance === 'explicit' ? 'explicit' : 'resolved', this.budget));
        }
      } else if (item.kind !== 'Missing' && item.kind !== 'Error') {
        items.push(this.evaluate(item, locals));
      }
    }
    return array(items, place, 'explicit');
  }

  private evaluateMember(expr: Extract<Expression, { kind: 'Member' }>, place: Place, locals: Locals): Value {
    const root = this.rootSymbol(expr.target, locals);
    if (root?.kind === 'resource' || root?.kind === 'module') {
      if (root.kind === 'resource' && expr.target.kind === 'Variable') {
        const known = this.resourceAttribute(root.decl, expr.name, place);
        if (known) {
          return known;
        }
      }
      return unknown(place, [this.referenceOf(expr, locals) ?? root.decl.name.name]);
    }
    const target = this.evaluate(expr.target, locals);
    if (target.kind === 'object') {
      const entry =
        target.entries.find((e) => e.key === expr.name) ??
        target.entries.find((e) => e.key.toLowerCase() === expr.name.toLowerCase());
      if (entry) {
        return rehome(entry.value, place, target.provenance === 'explicit' ? entry.value.provenance : 'resolved', this.budget);
      }
      return expr.isSafe ? scalar(null, place, target.provenance) : unknown(place);
    }
    if (target.kind === 'scalar' && target.value === null && expr.isSafe) {
      return scalar(null, place, target.provenance);
    }
    if (target.kind === 'unknown') {
      const reference = this.referenceOf(expr, locals);
      return unknown(place, reference !== undefined && target.references.length > 0 ? [reference] : target.references);
    }
    return unknown(place, referencesOf([target]));
  }

  /** `stg.name`, `stg.type` and `stg.apiVersion` of a declared resource, when they are known. */
  private resourceAttribute(decl: ResourceDeclaration, name: string, place: Place): Value | undefined {
    const typeString = decl.typeString;
    const text = typeString.kind === 'String' && typeString.expressions.length === 0 ? typeString.segments[0] : undefined;
    const at = text?.lastIndexOf('@') ?? -1;
    switch (name) {
      case 'name': {
        const value = this.resourceName(decl);
        return value ? rehome(value, place, 'resolved', this.budget) : undefined;
      }
      case 'type':
        // A nested resource's own type string is relative to its parent's; only a full type is known here.
        return text !== undefined && text.includes('/') ? scalar(at >= 0 ? text.slice(0, at) : text, place, 'resolved') : undefined;
      case 'apiVersion':
        return text !== undefined && at >= 0 ? scalar(text.slice(at + 1), place, 'resolved') : undefined;
      default:
        return undefined;
    }
  }

  private evaluateIndex(expr: Extract<Expression, { kind: 'Index' }>, place: Place, locals: Locals): Value {
    const root = this.rootSymbol(expr.target, locals);
    if (root?.kind === 'resource' || root?.kind === 'module') {
      return unknown(place, [this.referenceOf(expr, locals) ?? root.decl.name.name]);
    }
    const target = this.evaluate(expr.target, locals);
    const index = this.evaluate(expr.index, locals);
    const provenance = combined([target, index]);
    if (target.kind === 'array' && index.kind === 'scalar' && typeof index.value === 'number') {
      const i = expr.isFromEnd ? target.items.length - index.value : index.value;
      const item = Number.isInteger(i) ? target.items[i] : undefined;
      if (item) {
        return rehome(item, place, provenance === 'explicit' ? item.provenance : 'resolved', this.budget);
      }
      return expr.isSafe ? scalar(null, place, provenance) : unknown(place);
    }
    if (target.kind === 'object' && index.kind === 'scalar' && typeof index.value === 'string') {
      const key = index.value;
      const entry =
        target.entries.find((e) => e.key === key) ?? target.entries.find((e) => e.key.toLowerCase() === key.toLowerCase());
      if (entry) {
        return rehome(entry.value, place, provenance === 'explicit' ? entry.value.provenance : 'resolved', this.budget);
      }
      return expr.isSafe ? scalar(null, place, provenance) : unknown(place);
    }
    if (target.kind === 'scalar' && target.value === null && expr.isSafe) {
      return scalar(null, place, provenance);
    }
    return unknown(place, referencesOf([target, index]));
  }

  private evaluateUnary(operator: '!' | '-', operand: Expression, place: Place, locals: Locals): Value {
    const value = this.evaluate(operand, locals);
    if (value.kind === 'scalar') {
      if (operator === '!' && typeof value.value === 'boolean') {
        return scalar(!value.value, place, value.provenance);
      }
      if (operator === '-' && typeof value.value === 'number') {
        return scalar(-value.value, place, value.provenance);
      }
    }
    return unknown(place, referencesOf([value]));
  }

  private evaluateBinary(expr: Extract<Expression, { kind: 'Binary' }>, place: Place, locals: Locals): Value {
    const left = this.evaluate(expr.left, locals);
    const operator = expr.operator;
    if (operator === '&&' || operator === '||') {
      const decisive = operator === '||';
      if (left.kind === 'scalar' && left.value === decisive) {
        return scalar(decisive, place, left.provenance);
      }
      const right = this.evaluate(expr.right, locals);
      if (right.kind === 'scalar' && right.value === decisive) {
        return scalar(decisive, place, right.provenance);
      }
      if (left.kind === 'scalar' && typeof left.value === 'boolean' && right.kind === 'scalar' && typeof right.value === 'boolean') {
        return scalar(!decisive, place, combined([left, right]));
      }
      return unknown(place, referencesOf([left, right]));
    }
    if (operator === '??') {
      if (left.kind === 'unknown') {
        return unknown(place, referencesOf([left]));
      }
      if (!(left.kind === 'scalar' && left.value === null)) {
        return left;
      }
      const right = this.evaluate(expr.right, locals);
      return left.provenance === 'explicit' ? right : asResolved(right, this.budget);
    }
    const right = this.evaluate(expr.right, locals);
    const provenance = combined([left, right]);
    const a = toPlain(left);
    const b = toPlain(right);
    if (a === undefined || b === undefined) {
      return unknown(place, referencesOf([left, right]));
    }
    switch (operator) {
      case '==':
        return scalar(plainEquals(a, b), place, provenance);
      case '!=':
        return scalar(!plainEquals(a, b), place, provenance);
      case '=~':
      case '!~': {
        if (typeof a !== 'string' || typeof b !== 'string') {
          return unknown(place);
        }
        const equal = a.toLowerCase() === b.toLowerCase();
        return scalar(operator === '=~' ? equal : !equal, place, provenance);
      }
      default:
        break;
    }
    if (typeof a !== 'number' || typeof b !== 'number') {
      return unknown(place);
    }
    let result: number | boolean | undefined;
    switch (operator) {
      case '<':
        result = a < b;
        break;
      case '<=':
        result = a <= b;
        break;
      case '>':
        result = a > b;
        break;
      case '>=':
        result = a >= b;
        break;
      case '+':
        result = a + b;
        break;
      case '-':
        result = a - b;
        break;
      case '*':
        result = a * b;
        break;
      case '/':
        result = b === 0 ? undefined : Math.trunc(a / b);
        break;
      case '%':
        result = b === 0 ? undefined : a % b;
        break;
    }
    if (result === undefined || (typeof result === 'number' && !Number.isFinite(result))) {
      return unknown(place);
    }
    return scalar(result, place, provenance);
  }

  private evaluateCall(expr: Extract<Expression, { kind: 'Call' }>, place: Place, locals: Locals): Value {
    const target = expr.target;
    const isNamespaced = target === undefined || (target.kind === 'Variable' && (target.name === 'az' || target.name === 'sys') && !this.symbols.has(target.name));
    if (!isNamespaced || (target === undefined && this.symbols.has(expr.name))) {
      // A method of a resource (`stg.listKeys()`), an imported namespace's function, or a user-defined function.
      const reference = target ? this.referenceOf(target, locals) : undefined;
      return unknown(place, reference !== undefined ? [`${reference}.${expr.name}()`] : [`${expr.name}()`]);
    }
    const name = expr.name.toLowerCase();
    if (ENVIRONMENT_FUNCTIONS.has(name) || name.startsWith('list') || name.startsWith('load')) {
      return unknown(place, [`${expr.name}()`]);
    }
    if (LAMBDA_FUNCTIONS.has(name)) {
      return unknown(place, referencesOf(expr.args.map((a) => this.evaluate(a, locals))));
    }
    if (name === 'coalesce') {
      const seen: Value[] = [];
      for (const arg of expr.args) {
        const value = this.evaluate(arg, locals);
        seen.push(value);
        if (value.kind === 'unknown') {
          return unknown(place, referencesOf(seen));
        }
        if (!(value.kind === 'scalar' && value.value === null)) {
          return rehome(value, place, combined(seen), this.budget);
        }
      }
      return scalar(null, place, combined(seen));
    }
    const args = expr.args.map((a) => this.evaluate(a, locals));
    const plain = args.map((a) => toPlain(a));
    if (plain.some((p) => p === undefined)) {
      return unknown(place, referencesOf(args));
    }
    const result = callFunction(expr.name, plain);
    if (!result) {
      return unknown(place, referencesOf(args));
    }
    return fromPlain(result.value, place, combined(args), this.budget);
  }

  /**
   * `[for x in coll: body]`: one element per element of a known collection; when the collection is unknown, one
   * element evaluated with unknown loop variables (so literal settings in the body are still seen).
   */
  private evaluateFor(expr: ForExpression, place: Place, locals: Locals): Value {
    const collection = this.evaluate(expr.collection, locals);
    const items: Value[] = [];
    if (collection.kind === 'array' && collection.items.length <= MAX_LOOP_ELEMENTS) {
      collection.items.forEach((element, i) => {
        const scope = new Map(locals);
        scope.set(expr.itemVariable.name, element);
        if (expr.indexVariable) {
          scope.set(expr.indexVariable.name, scalar(i, { file: this.file, span: expr.indexVariable.span }, 'resolved'));
        }
        items.push(this.evaluateLoopBody(expr.body, scope));
      });
      return array(items, place, 'explicit');
    }
    const scope = loopScope(expr, locals, unknown(place, referencesOf([collection])), this.file);
    items.push(this.evaluateLoopBody(expr.body, scope));
    return array(items, place, 'explicit');
  }

  private evaluateLoopBody(body: Expression, scope: Locals): Value {
    return body.kind === 'Object' ? this.evaluateObject(body, scope, body.openSpan, false) : this.evaluate(body, scope);
  }
}

/** The local names of a loop in `file` bound to `item` (the element) and an unknown index. */
export function loopScope(expr: ForExpression, locals: Locals, item: Value, file: string): Locals {
  const scope = new Map(locals);
  scope.set(expr.itemVariable.name, item);
  if (expr.indexVariable) {
    scope.set(expr.indexVariable.name, unknown({ file, span: expr.indexVariable.span }));
  }
  return scope;
}

/** The object body of a resource or module value (`{…}`, `if (…) {…}`, `[for …: {…}]`, `[for …: if (…) {…}]`). */
export function bodyObjectOf(value: Expression): ObjectExpression | undefined {
  let v: Expression = value;
  if (v.kind === 'For') {
    v = v.body;
  }
  if (v.kind === 'If') {
    v = v.body;
  }
  return v.kind === 'Object' ? v : undefined;
}

/** Whether a resource or module value is a loop. */
export function isLooped(value: Expression): boolean {
  return value.kind === 'For';
}

/** The object value of a body (every evaluated body is an object; this narrows the type). */
export function asObject(value: Value): ObjectValue | undefined {
  return value.kind === 'object' ? value : undefined;
}
