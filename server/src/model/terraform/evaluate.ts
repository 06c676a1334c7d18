/**
 * Evaluation of HCL expressions into model values, after Terraform's semantics, for the values the model can know:
 * literals, templates, collections, `var.*`, `local.*`, traversals, conditionals, operators, `for` expressions and
 * the functions of `functions.ts`. Everything else (resource attributes, `count.index`, `each.*`, `path.*`, …) is an
 * unknown value listing the addresses it mentions.
 *
 * Invariant: evaluation never throws for bad input and is bounded: a shared step budget and a depth limit make a
 * hostile expression yield unknowns instead of hanging or overflowing the stack. Errors Terraform would report (a
 * missing attribute, a bad operand) are unknown too, marked as errors so `try` and `can` can tell them apart.
 */
import type { Span } from '../../text/span';
import type {
  Expression,
  ForExpr,
  FunctionCallExpr,
  ObjectExpr,
  SplatExpr,
  TemplateExpr,
  TemplatePart,
} from '../../parse/hcl/syntax';
import type { Entry, ObjectValue, Provenance, Value } from '../types';
import { callFunction, isKnownFunction, toBoolValue, toNumberValue, toStringValue } from './functions';
import {
  MAX_STRING_LENGTH,
  array,
  asResolved,
  errorValue,
  getEntry,
  isError,
  isSet,
  rehome,
  referencesOf,
  scalar,
  unknown,
  valuesEqual,
  type Budget,
  type Place,
} from './values';

/** The deepest nesting of evaluation (expressions inside expressions, locals referring to locals). */
export const MAX_EVAL_DEPTH = 128;

/** Names bound by `for` expressions, template `for` directives and dynamic block iterators. */
export class Bindings {
  /** Creates a binding of `name` to `value` in front of `parent`. */
  constructor(
    readonly name: string,
    readonly value: Value,
    readonly parent: Bindings | undefined,
  ) {}

  /** The innermost value bound to `name`, if any. */
  lookup(name: string): Value | undefined {
    if (this.name === name) {
      return this.value;
    }
    for (let b = this.parent; b !== undefined; b = b.parent) {
      if (b.name === name) {
        return b.value;
      }
    }
    return undefined;
  }
}

/** Where an expression is evaluated: its file, the names bound around it, and how deep evaluation already is. */
export interface EvalContext {
  file: string;
  bindings?: Bindings;
  depth?: number;
}

/** A `locals` entry: its expression and the file it is written in. */
export interface LocalDeclaration {
  expr: Expression;
  file: string;
}

/** What an evaluator of one module instance knows: its variables' values and its locals. */
export interface ModuleSymbols {
  /** Declared variables with their resolved values (an unknown when the variable has no value). */
  variables: ReadonlyMap<string, Value>;
  locals: ReadonlyMap<string, LocalDeclaration>;
}

type Step = { kind: 'attr'; name: string; span: Span } | { kind: 'index'; key: Expression; span: Span };

// Roots whose attributes are only known at plan or apply time, or not modelled.
const UNKNOWN_ROOTS = new Set(['count', 'each', 'self', 'path', 'terraform', 'module', 'data']);

/** Evaluates expressions of one module instance; locals are evaluated lazily, memoized and cycle-safe. */
export class Evaluator {
  private readonly localValues = new Map<string, Value>();
  private readonly localsInProgress = new Set<string>();

  /** Creates an evaluator over `symbols`, spending from `budget`. */
  constructor(
    private readonly symbols: ModuleSymbols,
    readonly budget: Budget,
  ) {}

  /** Evaluates `expr` in `ctx` to a value whose span is the expression's span in `ctx.file`. */
  evaluate(expr: Expression, ctx: EvalContext): Value {
    const depth = ctx.depth ?? 0;
    const place: Place = { file: ctx.file, span: expr.span };
    if (depth > MAX_EVAL_DEPTH || !this.budget.charge()) {
      return unknown(place);
    }
    const inner: EvalContext = { file: ctx.file, bindings: ctx.bindings, depth: depth + 1 };
    switch (expr.kind) {
      case 'Literal':
        return scalar(expr.value, place, 'explicit');
      case 'Template':
        return this.evaluateTemplate(expr, inner);
      case 'Tuple': {
        const items = expr.items.map((item) => this.evaluate(item, inner));
        return array(items, place, 'explicit');
      }
      case 'Object':
        return this.evaluateObject(expr, inner);
      case 'FunctionCall':
        return this.evaluateCall(expr, inner);
      case 'For':
        return this.evaluateFor(expr, inner);
      case 'Variable':
      case 'GetAttr':
      case 'Index':
        return this.evaluateTraversal(expr, inner);
      case 'Splat':
        return this.evaluateSplat(expr, inner);
      case 'Conditional': {
        const condition = this.evaluate(expr.condition, inner);
        const known = condition.kind === 'scalar' ? toBoolValue(condition.value) : undefined;
        if (known === undefined) {
          if (condition.kind !== 'unknown') {
            return errorValue(place);
          }
          const branches = [this.evaluate(expr.trueExpr, inner), this.evaluate(expr.falseExpr, inner)];
          return unknown(place, referencesOf([condition, ...branches]), isError(condition));
        }
        const chosen = this.evaluate(known ? expr.trueExpr : expr.falseExpr, inner);
        return condition.provenance === 'explicit' ? chosen : asResolved(chosen, this.budget);
      }
      case 'Unary': {
        const operand = this.evaluate(expr.operand, inner);
        if (operand.kind === 'unknown') {
          return unknown(place, operand.references, isError(operand));
        }
        if (operand.kind !== 'scalar') {
          return errorValue(place);
        }
        const result = expr.operator === '-' ? negate(toNumberValue(operand.value)) : not(toBoolValue(operand.value));
        return result === undefined ? errorValue(place) : scalar(result, place, operand.provenance);
      }
      case 'Binary':
        return this.evaluateBinary(expr.operator, this.evaluate(expr.left, inner), this.evaluate(expr.right, inner), place);
      case 'Paren':
        return this.evaluate(expr.expr, inner);
      case 'Missing':
        return errorValue(place);
    }
  }

  /** Quoted templates and heredocs: all parts known gives a string; a lone interpolation gives its value as is. */
  private evaluateTemplate(expr: TemplateExpr, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    const only = expr.parts.length === 1 ? expr.parts[0] : undefined;
    if (only?.kind === 'TemplateInterp' && !expr.isHeredoc) {
      // `"${x}"` is `x` itself, not its string form (HCL spec, "Template Interpolation Unwrapping").
      const value = this.evaluate(only.expr, ctx);
      if (value.kind === 'unknown') {
        return unknown(place, value.references, isError(value));
      }
      if (value.kind === 'scalar') {
        return { ...value, span: expr.span, file: ctx.file };
      }
      return rehome(value, place, 'resolved', this.budget);
    }
    const out: RenderState = { text: '', isExplicit: true, unknowns: [], hasError: false, stripNext: false };
    this.renderParts(expr.parts, ctx, out);
    if (out.hasError) {
      return errorValue(place, out.unknowns);
    }
    if (out.unknowns.length > 0) {
      return unknown(place, referencesOf(out.unknowns));
    }
    if (out.text.length > MAX_STRING_LENGTH) {
      return unknown(place);
    }
    return scalar(out.text, place, out.isExplicit ? 'explicit' : 'resolved');
  }

  private renderParts(parts: readonly TemplatePart[], ctx: EvalContext, out: RenderState): void {
    for (const part of parts) {
      if (out.hasError) {
        return;
      }
      if (out.text.length > MAX_STRING_LENGTH || !this.budget.charge()) {
        // Too long or too costly to know: unknown, but not an error (`try` must not skip it).
        out.unknowns.push(unknown({ file: ctx.file, span: part.span }));
        return;
      }
      switch (part.kind) {
        case 'TemplateLiteral':
          out.text += out.stripNext ? part.value.trimStart() : part.value;
          out.stripNext = false;
          break;
        case 'TemplateInterp': {
          if (part.stripLeft) {
            out.text = out.text.trimEnd();
          }
          out.stripNext = part.stripRight;
          const value = this.evaluate(part.expr, ctx);
          if (value.kind === 'unknown') {
            out.unknowns.push(value);
            out.hasError ||= isError(value);
          } else if (value.kind === 'scalar' && value.value !== null) {
            out.text += toStringValue(value.value) ?? '';
            out.isExplicit &&= value.provenance === 'explicit';
          } else {
            out.hasError = true;
          }
          break;
        }
        case 'TemplateIf': {
          const condition = this.evaluate(part.condition, ctx);
          const known = condition.kind === 'scalar' ? toBoolValue(condition.value) : undefined;
          if (condition.kind === 'unknown') {
            out.unknowns.push(condition);
            return;
          }
          if (known === undefined) {
            out.hasError = true;
            return;
          }
          out.isExplicit &&= condition.provenance === 'explicit';
          this.renderParts(known ? part.then : (part.else ?? []), ctx, out);
          break;
        }
        case 'TemplateFor': {
          const collection = this.evaluate(part.collection, ctx);
          if (collection.kind === 'unknown') {
            out.unknowns.push(collection);
            return;
          }
          const pairs = iterationPairs(collection, { file: ctx.file, span: part.collection.span });
          if (pairs === undefined) {
            out.hasError = true;
            return;
          }
          out.isExplicit = false;
          for (const [key, value] of pairs) {
            let bindings = new Bindings(part.valueVar, value, ctx.bindings);
            if (part.keyVar !== undefined) {
              bindings = new Bindings(part.keyVar, key, bindings);
            }
            this.renderParts(part.body, { ...ctx, bindings }, out);
            if (out.hasError || out.unknowns.length > 0) {
              return;
            }
          }
          break;
        }
      }
    }
  }

  private evaluateObject(expr: ObjectExpr, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    const entries: Entry[] = [];
    for (const item of expr.items) {
      let key = item.keyName;
      if (key === undefined) {
        const keyValue = this.evaluate(item.key, ctx);
        if (keyValue.kind === 'unknown') {
          return unknown(place, keyValue.references, isError(keyValue));
        }
        key = keyValue.kind === 'scalar' && keyValue.value !== null ? toStringValue(keyValue.value) : undefined;
        if (key === undefined) {
          return errorValue(place);
        }
      }
      entries.push({ key, keySpan: item.key.span, span: item.span, value: this.evaluate(item.value, ctx), isBlock: false });
    }
    const value: ObjectValue = { kind: 'object', entries, span: expr.span, file: ctx.file, provenance: 'explicit' };
    return value;
  }

  private evaluateCall(expr: FunctionCallExpr, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    let args = expr.args.map((arg) => this.evaluate(arg, ctx));
    if (!isKnownFunction(expr.name)) {
      return unknown(place, referencesOf(args));
    }
    if (expr.hasExpandFinal) {
      const last = args[args.length - 1];
      if (last === undefined || last.kind === 'unknown') {
        return unknown(place, referencesOf(args), last !== undefined && isError(last));
      }
      if (last.kind !== 'array') {
        return errorValue(place, args);
      }
      args = [...args.slice(0, -1), ...last.items];
    }
    const result = callFunction(expr.name, args, place, this.budget);
    if (result.kind === 'unknown') {
      return result;
    }
    return rehome(result, place, 'resolved', this.budget);
  }

  private evaluateFor(expr: ForExpr, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    const collection = this.evaluate(expr.collection, ctx);
    if (collection.kind === 'unknown') {
      return unknown(place, collection.references, isError(collection));
    }
    const pairs = iterationPairs(collection, { file: ctx.file, span: expr.collection.span });
    if (pairs === undefined) {
      return errorValue(place);
    }
    const items: Value[] = [];
    const entries: Entry[] = [];
    const groups = new Map<string, Value[]>();
    for (const [key, value] of pairs) {
      if (!this.budget.charge()) {
        return unknown(place);
      }
      let bindings = new Bindings(expr.valueVar, value, ctx.bindings);
      if (expr.keyVar !== undefined) {
        bindings = new Bindings(expr.keyVar, key, bindings);
      }
      const inner: EvalContext = { ...ctx, bindings };
      if (expr.condition !== undefined) {
        const condition = this.evaluate(expr.condition, inner);
        if (condition.kind === 'unknown') {
          return unknown(place, referencesOf([collection, condition]), isError(condition));
        }
        const keep = condition.kind === 'scalar' ? toBoolValue(condition.value) : undefined;
        if (keep === undefined) {
          return errorValue(place);
        }
        if (!keep) {
          continue;
        }
      }
      if (!expr.isObject) {
        items.push(this.evaluate(expr.valueExpr, inner));
        continue;
      }
      const keyValue = expr.keyExpr === undefined ? errorValue(place) : this.evaluate(expr.keyExpr, inner);
      if (keyValue.kind === 'unknown') {
        return unknown(place, keyValue.references, isError(keyValue));
      }
      const name = keyValue.kind === 'scalar' && keyValue.value !== null ? toStringValue(keyValue.value) : undefined;
      if (name === undefined) {
        return errorValue(place);
      }
      const itemValue = this.evaluate(expr.valueExpr, inner);
      if (expr.isGrouped) {
        const group = groups.get(name);
        if (group === undefined) {
          groups.set(name, [itemValue]);
        } else {
          group.push(itemValue);
        }
      } else if (entries.some((e) => e.key === name)) {
        return errorValue(place);
      } else {
        entries.push({ key: name, keySpan: expr.span, span: expr.span, value: itemValue, isBlock: false });
      }
    }
    if (!expr.isObject) {
      return array(items, place, 'resolved');
    }
    if (expr.isGrouped) {
      for (const [name, group] of groups) {
        entries.push({ key: name, keySpan: expr.span, span: expr.span, value: array(group, place, 'resolved'), isBlock: false });
      }
    }
    return { kind: 'object', entries, span: expr.span, file: ctx.file, provenance: 'resolved' };
  }

  /** `var.x`, `local.y.z`, `aws_s3_bucket.b.id`, a bound iterator, or a traversal into a computed value. */
  private evaluateTraversal(expr: Expression, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    const steps: Step[] = [];
    let root: Expression = expr;
    while (root.kind === 'GetAttr' || root.kind === 'Index') {
      steps.push(
        root.kind === 'GetAttr'
          ? { kind: 'attr', name: root.name, span: root.nameSpan }
          : { kind: 'index', key: root.key, span: root.span },
      );
      root = root.target;
    }
    steps.reverse();
    if (root.kind !== 'Variable') {
      // A traversal into a computed value: `func()[0]`, `{ a = 1 }.a`, `(local.x).y`.
      const base = this.evaluate(root, ctx);
      const result = this.applySteps(base, steps, ctx, place);
      return rehome(result, place, result.provenance === 'explicit' ? 'explicit' : 'resolved', this.budget);
    }
    const bound = ctx.bindings?.lookup(root.name);
    if (bound !== undefined) {
      const result = this.applySteps(bound, steps, ctx, place);
      return rehome(result, place, 'resolved', this.budget);
    }
    const first = steps[0];
    if ((root.name === 'var' || root.name === 'local') && first?.kind === 'attr') {
      const name = `${root.name}.${first.name}`;
      const base = root.name === 'var' ? this.symbols.variables.get(first.name) : this.localValue(first.name, ctx);
      if (base === undefined) {
        return unknown(place, [name], true);
      }
      const result = this.applySteps(base, steps.slice(1), ctx, place);
      if (result.kind === 'unknown') {
        const references = root.name === 'var' ? [name] : [name, ...result.references];
        return unknown(place, references, isError(result));
      }
      return rehome(result, place, 'resolved', this.budget);
    }
    const { address, keys } = this.addressOf(root.name, steps, ctx);
    return unknown(place, [address, ...referencesOf(keys)], UNKNOWN_ROOTS.has(root.name) ? false : steps.length === 0);
  }

  /** The static address of a reference (`aws_s3_bucket.b[0].id`), stopping at the first index that is not known. */
  private addressOf(root: string, steps: readonly Step[], ctx: EvalContext): { address: string; keys: Value[] } {
    let address = root;
    const keys: Value[] = [];
    for (const step of steps) {
      if (step.kind === 'attr') {
        address += `.${step.name}`;
        continue;
      }
      const key = this.evaluate(step.key, ctx);
      keys.push(key);
      if (key.kind === 'scalar' && typeof key.value === 'number') {
        address += `[${key.value}]`;
      } else if (key.kind === 'scalar' && typeof key.value === 'string') {
        address += `[${JSON.stringify(key.value)}]`;
      } else {
        break;
      }
    }
    return { address, keys };
  }

  /** Applies attribute and index steps to a value; a missing key or a bad index is an error unknown. */
  private applySteps(base: Value, steps: readonly Step[], ctx: EvalContext, place: Place): Value {
    let value = base;
    for (const step of steps) {
      if (value.kind === 'unknown') {
        return unknown(place, value.references, isError(value));
      }
      let key: Value;
      if (step.kind === 'attr') {
        key = scalar(/^\d+$/.test(step.name) && value.kind === 'array' ? Number(step.name) : step.name, place, 'explicit');
      } else {
        key = this.evaluate(step.key, ctx);
        if (key.kind === 'unknown') {
          return unknown(place, referencesOf([key]), isError(key));
        }
      }
      const next = index(value, key);
      if (next === undefined) {
        return errorValue(place);
      }
      value = next;
    }
    return value;
  }

  private evaluateSplat(expr: SplatExpr, ctx: EvalContext): Value {
    const place: Place = { file: ctx.file, span: expr.span };
    const target = this.evaluate(expr.target, ctx);
    if (target.kind === 'unknown') {
      const suffix = expr.traversal.map((s) => (s.kind === 'GetAttrStep' ? `.${s.name}` : '')).join('');
      const references = target.references.length === 1 ? [`${target.references[0]}[*]${suffix}`] : target.references;
      return unknown(place, references, isError(target));
    }
    const elements = target.kind === 'array' ? target.items : target.kind === 'scalar' && target.value === null ? [] : [target];
    const steps: Step[] = expr.traversal.map((s) =>
      s.kind === 'GetAttrStep' ? { kind: 'attr', name: s.name, span: s.span } : { kind: 'index', key: s.key, span: s.span },
    );
    const items = elements.map((element) => this.applySteps(element, steps, ctx, place));
    return rehome(array(items, place, 'resolved'), place, 'resolved', this.budget);
  }

  private evaluateBinary(operator: string, left: Value, right: Value, place: Place): Value {
    const provenance: Provenance =
      left.provenance === 'explicit' && right.provenance === 'explicit' ? 'explicit' : 'resolved';
    if (operator === '==' || operator === '!=') {
      const equal = valuesEqual(left, right);
      if (equal === undefined) {
        return unknown(place, referencesOf([left, right]), isError(left) || isError(right));
      }
      return scalar(operator === '==' ? equal : !equal, place, provenance);
    }
    if (operator === '&&' || operator === '||') {
      const a = left.kind === 'scalar' ? toBoolValue(left.value) : undefined;
      const b = right.kind === 'scalar' ? toBoolValue(right.value) : undefined;
      // A known operand decides the result alone (`false && x`, `true || x`), as in cty's refinements.
      const decisive = operator === '&&' ? false : true;
      if (a === decisive || b === decisive) {
        return scalar(decisive, place, a === decisive ? left.provenance === 'explicit' ? 'explicit' : 'resolved' : right.provenance === 'explicit' ? 'explicit' : 'resolved');
      }
      if (left.kind === 'unknown' || right.kind === 'unknown') {
        return unknown(place, referencesOf([left, right]), isError(left) || isError(right));
      }
      if (a === undefined || b === undefined) {
        return errorValue(place);
      }
      return scalar(operator === '&&' ? a && b : a || b, place, provenance);
    }
    if (left.kind === 'unknown' || right.kind === 'unknown') {
      return unknown(place, referencesOf([left, right]), isError(left) || isError(right));
    }
    const a = left.kind === 'scalar' ? toNumberValue(left.value) : undefined;
    const b = right.kind === 'scalar' ? toNumberValue(right.value) : undefined;
    if (a === undefined || b === undefined) {
      return errorValue(place);
    }
    let result: number | boolean;
    switch (operator) {
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
        if (b === 0) {
          return errorValue(place);
        }
        result = a / b;
        break;
      case '%':
        if (b === 0) {
          return errorValue(place);
        }
        result = a % b;
        break;
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
      default:
        return errorValue(place);
    }
    if (typeof result === 'number' && !Number.isFinite(result)) {
      return errorValue(place);
    }
    return scalar(result, place, provenance);
  }

  /** The value of `local.name`: evaluated once, on first use; a reference cycle makes it an (error) unknown. */
  private localValue(name: string, ctx: EvalContext): Value | undefined {
    const memo = this.localValues.get(name);
    if (memo !== undefined) {
      return memo;
    }
    const declaration = this.symbols.locals.get(name);
    if (declaration === undefined) {
      return undefined;
    }
    if (this.localsInProgress.has(name)) {
      return errorValue({ file: declaration.file, span: declaration.expr.span });
    }
    this.localsInProgress.add(name);
    const value = this.evaluate(declaration.expr, { file: declaration.file, depth: (ctx.depth ?? 0) + 1 });
    this.localsInProgress.delete(name);
    this.localValues.set(name, value);
    return value;
  }
}

interface RenderState {
  text: string;
  isExplicit: boolean;
  unknowns: Value[];
  hasError: boolean;
  /** Set by `~}`: strip leading whitespace from the next literal. */
  stripNext: boolean;
}

/**
 * The (key, value) pairs a `for` iterates: index and item for lists, the element twice for sets, key and value for
 * objects and maps, which Terraform visits in lexical key order. `undefined` when the value cannot be iterated.
 */
export function iterationPairs(collection: Value, place: Place): [Value, Value][] | undefined {
  if (collection.kind === 'array') {
    return isSet(collection)
      ? collection.items.map((item) => [item, item])
      : collection.items.map((item, i) => [scalar(i, place, 'resolved'), item]);
  }
  if (collection.kind === 'object') {
    const byKey = new Map<string, Value>();
    for (const e of collection.entries) {
      byKey.set(e.key, e.value);
    }
    return [...byKey.keys()].sort(compareStrings).map((key) => [scalar(key, place, 'resolved'), byKey.get(key) as Value]);
  }
  return undefined;
}

/** Indexes a known value with a known key: an item of a list, an attribute of an object; `undefined` when invalid. */
export function index(value: Value, key: Value): Value | undefined {
  if (key.kind !== 'scalar' || key.value === null) {
    return undefined;
  }
  if (value.kind === 'array') {
    const i = toNumberValue(key.value);
    return i !== undefined && Number.isInteger(i) && i >= 0 ? value.items[i] : undefined;
  }
  if (value.kind === 'object') {
    const name = toStringValue(key.value);
    return name === undefined ? undefined : getEntry(value, name);
  }
  return undefined;
}

/** Orders strings by UTF-16 code units, as Terraform orders map keys and string sets. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function negate(n: number | undefined): number | undefined {
  return n === undefined ? undefined : -n;
}

function not(b: boolean | undefined): boolean | undefined {
  return b === undefined ? undefined : !b;
}
