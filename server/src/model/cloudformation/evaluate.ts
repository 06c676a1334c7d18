/**
 * Evaluation of a CloudFormation template's values: turns the syntax tree into model values, resolving what is
 * literal (a `Ref` to a parameter with a `Default`, `Fn::Sub`/`Fn::Join`/`Fn::Select`/`Fn::Split`/`Fn::FindInMap` of
 * known values, `Fn::If` on a condition that evaluates from parameter defaults) and leaving everything else unknown,
 * with the resources it refers to. `AWS::NoValue` removes the key or list item that holds it.
 *
 * Invariant: nothing is guessed: a pseudo parameter, a parameter without a default, an attribute of a resource or a
 * function of an unknown is an `unknown` value.
 */
import { CfnNode, isIntrinsicKey, type CfnMapping, type CfnPair } from '../../parse/cloudformation';
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import type { Alternative, ArrayValue, BlockInfo, Entry, ObjectValue, Provenance, ScalarValue, UnknownValue, Value } from '../types';

/** The marker for `AWS::NoValue`: the key (or list item) that evaluates to it is absent. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A value, or the marker that it is absent. */
export type Lowered = Value | typeof NO_VALUE;

/** A declared parameter: its type and its default as written. */
export interface ParameterInfo {
  type: string | undefined;
  default: CfnNode | undefined;
}

/** The parts of a template that evaluation reads. */
export interface TemplateScope {
  file: string;
  parameters: ReadonlyMap<string, ParameterInfo>;
  /** The `Mappings` section. */
  mappings: CfnNode | undefined;
  /** The `Conditions` section's entries. */
  conditions: ReadonlyMap<string, CfnNode>;
  /** Logical ids of the template's resources. */
  resources: ReadonlySet<string>;
}

/** The most intrinsic calls one value may nest (a guard against pathological templates). */
const MAX_EVALUATION_DEPTH = 64;

/** Evaluates values of one template; conditions are evaluated once each and cached. */
export class TemplateEvaluator {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly conditionStack = new Set<string>();

  constructor(readonly scope: TemplateScope) {}

  /**
   * Lowers a node to a model value. `provenance` is the provenance of literals written in it (`resolved` inside a
   * parameter default or a taken `Fn::If` branch); `headerSpan` is the header a mapping's block info points at.
   */
  lower(node: CfnNode, provenance: Provenance = 'explicit', headerSpan?: Span, depth = 0): Lowered {
    WorkCounter.evaluator++;
    const own: Provenance = node.isAliased ? 'resolved' : provenance;
    switch (node.kind) {
      case 'scalar':
        return this.scalar(node.value, node.span, own);
      case 'sequence': {
        const items: Value[] = [];
        for (const item of node.items) {
          const lowered = this.lower(item, provenance, undefined, depth + 1);
          if (lowered !== NO_VALUE) {
            items.push(lowered);
          }
        }
        const array: ArrayValue = { kind: 'array', items, span: node.span, file: this.scope.file, provenance: own };
        return array;
      }
      case 'mapping': {
        const intrinsic = intrinsicOf(node);
        if (intrinsic) {
          if (depth > MAX_EVALUATION_DEPTH) {
            return this.unknown(node, node.span);
          }
          return this.evaluateIntrinsic(intrinsic, node, headerSpan, depth + 1);
        }
        if (node.pairs.some((p) => p.key === 'Fn::Transform')) {
          // A macro adds keys that cannot be known here: the whole mapping is unknown.
          return this.unknown(node, node.span);
        }
        return this.object(node, provenance, headerSpan ?? headerOf(node), depth);
      }
    }
  }

  /** Lowers a mapping (that is not an intrinsic) to an object with block info; the last of duplicate keys wins. */
  object(node: CfnMapping, provenance: Provenance, headerSpan: Span, depth = 0): ObjectValue {
    const entries: Entry[] = [];
    const last = new Map<string, CfnPair>();
    for (const pair of node.pairs) {
      last.set(pair.key, pair);
    }
    for (const pair of node.pairs) {
      if (last.get(pair.key) !== pair) {
        continue;
      }
      const value = this.lower(pair.value, provenance, pair.keySpan, depth + 1);
      if (value === NO_VALUE) {
        continue;
      }
      entries.push({ key: pair.key, keySpan: pair.keySpan, span: pair.span, value, isBlock: false });
    }
    const object: ObjectValue = {
      kind: 'object',
      entries,
      span: node.span,
      file: this.scope.file,
      provenance: node.isAliased ? 'resolved' : provenance,
    };
    // A mapping reached through an alias is shared with its anchor: it gets no block info, so no fix inserts into it.
    if (!node.isAliased) {
      object.block = blockInfoOf(node, headerSpan);
    }
    return object;
  }

  /** Evaluates a condition by name from the `Conditions` section: true, false, or undefined when unknown. */
  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) {
      return this.conditionCache.get(name);
    }
    const node = this.scope.conditions.get(name);
    if (!node || this.conditionStack.has(name)) {
      return undefined;
    }
    this.conditionStack.add(name);
    const result = this.conditionValue(node, 0);
    this.conditionStack.delete(name);
    this.conditionCache.set(name, result);
    return result;
  }

  /** Evaluates a condition function (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). */
  private conditionValue(node: CfnNode, depth: number): boolean | undefined {
    if (depth > MAX_EVALUATION_DEPTH || node.kind !== 'mapping' || node.pairs.length !== 1) {
      return undefined;
    }
    const pair = node.pairs[0]!;
    const args = pair.value.kind === 'sequence' ? pair.value.items : [pair.value];
    switch (pair.key) {
      case 'Condition': {
        const name = CfnNode.text(pair.value);
        return name === undefined ? undefined : this.condition(name);
      }
      case 'Fn::Equals': {
        if (args.length !== 2) {
          return undefined;
        }
        const [a, b] = args.map((arg) => this.lower(arg, 'resolved', undefined, depth + 1));
        if (a === undefined || b === undefined || a === NO_VALUE || b === NO_VALUE) {
          return undefined;
        }
        if (a.kind !== 'scalar' || b.kind !== 'scalar') {
          return undefined;
        }
        return String(a.value) === String(b.value);
      }
      case 'Fn::Not': {
        const inner = args[0] === undefined ? undefined : this.conditionValue(args[0], depth + 1);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const isAnd = pair.key === 'Fn::And';
        let sawUnknown = false;
        for (const arg of args) {
          const v = this.conditionValue(arg, depth + 1);
          if (v === undefined) {
            sawUnknown = true;
          } else if (v !== isAnd) {
            return v;
          }
        }
        return sawUnknown ? undefined : isAnd;
      }
      default:
        return undefined;
    }
  }

  /** Evaluates one intrinsic function call. */
  private evaluateIntrinsic(
    intrinsic: CfnPair,
    node: CfnMapping,
    headerSpan: Span | undefined,
    depth: number,
  ): Lowered {
    const arg = intrinsic.value;
    const args = arg.kind === 'sequence' ? arg.items : [arg];
    switch (intrinsic.key) {
      case 'Ref':
        return this.ref(CfnNode.text(arg), node, depth);
      case 'Fn::GetAtt':
        return this.unknown(node, node.span);
      case 'Fn::If': {
        const name = CfnNode.text(args[0]);
        if (args.length !== 3 || name === undefined) {
          return this.unknown(node, node.span);
        }
        const taken = this.condition(name);
        if (taken === undefined) {
          // The condition cannot be evaluated: both branches can be taken, and rules read each of them.
          const alternatives = [true, false].map((isTrue): Alternative => {
            const value = this.lower(isTrue ? args[1]! : args[2]!, 'resolved', headerSpan, depth);
            return { assumption: `condition "${name}" is ${String(isTrue)}`, ...(value !== NO_VALUE ? { value } : {}) };
          });
          return { ...this.unknown(node, node.span), alternatives };
        }
        const branch = taken ? args[1]! : args[2]!;
        // The taken branch is written here but selected by evaluation: its literals are resolved, not explicit.
        return this.lower(branch, 'resolved', headerSpan, depth);
      }
      case 'Fn::Sub':
        return this.sub(arg, node, depth);
      case 'Fn::Join': {
        const delimiter = args.length === 2 ? this.knownScalar(args[0]!, depth) : undefined;
        const list = args.length === 2 ? this.knownList(args[1]!, depth) : undefined;
        if (delimiter === undefined || list === undefined || list.some((v) => v === null)) {
          return this.unknown(node, node.span);
        }
        return this.scalar(list.map((v) => String(v)).join(String(delimiter)), node.span, 'resolved');
      }
      case 'Fn::Select': {
        const index = args.length === 2 ? this.knownScalar(args[0]!, depth) : undefined;
        const list = args.length === 2 ? this.lower(args[1]!, 'resolved', undefined, depth) : undefined;
        const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : NaN;
        if (list === undefined || list === NO_VALUE || list.kind !== 'array' || !Number.isInteger(i)) {
          return this.unknown(node, node.span);
        }
        const item = list.items[i];
        return item === undefined ? this.unknown(node, node.span) : relocate(item, node.span, this.scope.file);
      }
      case 'Fn::Split': {
        const delimiter = args.length === 2 ? this.knownScalar(args[0]!, depth) : undefined;
        const source = args.length === 2 ? this.knownScalar(args[1]!, depth) : undefined;
        if (typeof delimiter !== 'string' || delimiter === '' || typeof source !== 'string') {
          return this.unknown(node, node.span);
        }
        const items = source.split(delimiter).map((part) => this.scalar(part, node.span, 'resolved'));
        return { kind: 'array', items, span: node.span, file: this.scope.file, provenance: 'resolved' };
      }
      case 'Fn::FindInMap':
        return this.findInMap(args, node, depth);
      default:
        return this.unknown(node, node.span);
    }
  }

  /** `Ref`: a parameter's default, `AWS::NoValue`, or unknown (pseudo parameters, resources, no default). */
  private ref(target: string | undefined, node: CfnMapping, depth: number): Lowered {
    if (target === undefined) {
      return this.unknown(node, node.span);
    }
    if (target === 'AWS::NoValue') {
      return NO_VALUE;
    }
    const parameter = this.scope.parameters.get(target);
    if (parameter) {
      const value = this.parameterValue(parameter, depth);
      return value === undefined ? this.unknown(node, node.span) : relocate(value, node.span, this.scope.file);
    }
    return this.unknown(node, node.span);
  }

  /**
   * A parameter's default as a value (lists split at commas), or undefined when it has none or it is indirect.
   * `depth` carries on from the `Ref`, so a default that refers to its own parameter ends at the depth limit.
   */
  private parameterValue(parameter: ParameterInfo, depth: number): Value | undefined {
    const def = parameter.default;
    const type = parameter.type ?? 'String';
    // An SSM parameter type's default is the parameter's name, not its value.
    if (def === undefined || type.startsWith('AWS::SSM::Parameter::')) {
      return undefined;
    }
    const lowered = this.lower(def, 'resolved', undefined, depth + 1);
    if (lowered === NO_VALUE || lowered.kind === 'unknown' || lowered.kind === 'object') {
      return undefined;
    }
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
    if (isList && lowered.kind === 'scalar') {
      const items =
        lowered.value === null || lowered.value === ''
          ? []
          : String(lowered.value)
              .split(',')
              .map((part) => this.scalar(part.trim(), def.span, 'resolved'));
      return { kind: 'array', items, span: def.span, file: this.scope.file, provenance: 'resolved' };
    }
    return lowered;
  }

  /** `Fn::Sub` in its string and its list form (`[template, { Var: value }]`). */
  private sub(arg: CfnNode, node: CfnMapping, depth: number): Value {
    let template: string | undefined;
    const variables = new Map<string, CfnNode>();
    if (arg.kind === 'scalar') {
      template = CfnNode.text(arg);
    } else if (arg.kind === 'sequence' && arg.items.length === 2 && arg.items[1]?.kind === 'mapping') {
      template = CfnNode.text(arg.items[0]);
      for (const pair of arg.items[1].pairs) {
        variables.set(pair.key, pair.value);
      }
    }
    if (template === undefined) {
      return this.unknown(node, node.span);
    }
    let isKnown = true;
    const out = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) {
        return '${' + name.slice(1) + '}';
      }
      const trimmed = name.trim();
      const variable = variables.get(trimmed);
      let value: Lowered | undefined;
      if (variable !== undefined) {
        value = this.lower(variable, 'resolved', undefined, depth);
      } else if (this.scope.parameters.has(trimmed)) {
        value = this.parameterValue(this.scope.parameters.get(trimmed)!, depth);
      }
      if (value !== undefined && value !== NO_VALUE && value.kind === 'scalar' && value.value !== null) {
        return String(value.value);
      }
      isKnown = false;
      return whole;
    });
    return isKnown ? this.scalar(out, node.span, 'resolved') : this.unknown(node, node.span);
  }

  /** `Fn::FindInMap`: a literal from `Mappings`, or the `DefaultValue` of the language extensions. */
  private findInMap(args: CfnNode[], node: CfnMapping, depth: number): Lowered {
    const keys = args.slice(0, 3).map((a) => this.knownScalar(a, depth));
    if (args.length < 3 || keys.some((k) => k === undefined || k === null)) {
      return this.unknown(node, node.span);
    }
    const found = CfnNode.get(CfnNode.get(CfnNode.get(this.scope.mappings, String(keys[0])), String(keys[1])), String(keys[2]));
    if (found !== undefined) {
      const value = this.lower(found, 'resolved', undefined, depth);
      return value === NO_VALUE ? value : relocate(value, node.span, this.scope.file);
    }
    const fallback = CfnNode.get(args[3], 'DefaultValue');
    if (fallback !== undefined) {
      const value = this.lower(fallback, 'resolved', undefined, depth);
      return value === NO_VALUE ? value : relocate(value, node.span, this.scope.file);
    }
    return this.unknown(node, node.span);
  }

  /** A node's value when it evaluates to a known scalar. */
  private knownScalar(node: CfnNode, depth: number): string | number | boolean | null | undefined {
    const value = this.lower(node, 'resolved', undefined, depth);
    return value !== NO_VALUE && value.kind === 'scalar' ? value.value : undefined;
  }

  /** A node's items when it evaluates to a list of known scalars. */
  private knownList(node: CfnNode, depth: number): (string | number | boolean | null)[] | undefined {
    const value = this.lower(node, 'resolved', undefined, depth);
    if (value === NO_VALUE || value.kind !== 'array') {
      return undefined;
    }
    const out: (string | number | boolean | null)[] = [];
    for (const item of value.items) {
      if (item.kind !== 'scalar') {
        return undefined;
      }
      out.push(item.value);
    }
    return out;
  }

  private scalar(value: ScalarValue['value'], span: Span, provenance: Provenance): ScalarValue {
    return { kind: 'scalar', value, span, file: this.scope.file, provenance };
  }

  /** An unknown value at `span`, with the resources (and attributes) that `node` refers to. */
  unknown(node: CfnNode, span: Span): UnknownValue {
    return { kind: 'unknown', references: this.referencesOf(node), span, file: this.scope.file, provenance: 'unresolvable' };
  }

  /** The resources a node refers to: `Ref` → `Id`, `Fn::GetAtt` → `Id.Attr`, `${Id}`/`${Id.Attr}` in `Fn::Sub`. */
  referencesOf(node: CfnNode): string[] {
    const out = new Set<string>();
    const stack: CfnNode[] = [node];
    let budget = 10_000;
    while (stack.length > 0 && budget-- > 0) {
      const n = stack.pop()!;
      if (n.kind === 'sequence') {
        stack.push(...n.items);
        continue;
      }
      if (n.kind !== 'mapping') {
        continue;
      }
      if (n.pairs.length === 1) {
        const { key, value } = n.pairs[0]!;
        if (key === 'Ref') {
          const target = CfnNode.text(value);
          if (target !== undefined && this.scope.resources.has(target)) {
            out.add(target);
          }
          continue;
        }
        if (key === 'Fn::GetAtt') {
          const reference = getAttReference(value);
          if (reference !== undefined && this.scope.resources.has(reference.split('.')[0] ?? '')) {
            out.add(reference);
          }
          continue;
        }
        if (key === 'Fn::Sub') {
          const template = CfnNode.text(value.kind === 'sequence' ? value.items[0] : value);
          for (const m of (template ?? '').matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const name = (m[1] ?? '').trim();
            if (this.scope.resources.has(name.split('.')[0] ?? '')) {
              out.add(name);
            }
          }
          if (value.kind === 'sequence' && value.items[1]) {
            stack.push(value.items[1]);
          }
          continue;
        }
      }
      for (const pair of n.pairs) {
        stack.push(pair.value);
      }
    }
    return [...out];
  }
}

/** The single pair of a mapping that is an intrinsic function call (`Ref`, `Fn::…`), if it is one. */
function intrinsicOf(node: CfnMapping): CfnPair | undefined {
  const only = node.pairs.length === 1 ? node.pairs[0] : undefined;
  return only && isIntrinsicKey(only.key) && only.key !== 'Fn::Transform' ? only : undefined;
}

/** `Id.Attr` for the argument of `Fn::GetAtt` (list or dotted string), when it is literal. */
function getAttReference(value: CfnNode): string | undefined {
  if (value.kind === 'scalar') {
    return CfnNode.text(value);
  }
  if (value.kind === 'sequence' && value.items.length === 2) {
    const id = CfnNode.text(value.items[0]);
    const attr = CfnNode.text(value.items[1]);
    return id === undefined ? undefined : attr === undefined ? id : `${id}.${attr}`;
  }
  return undefined;
}

/** The header of a mapping that has no key (a list item): its first key, or its `{`, or its start. */
function headerOf(node: CfnMapping): Span {
  const first = node.pairs[0];
  if (node.open) {
    return node.open;
  }
  return first ? first.keySpan : { start: node.span.start, end: node.span.start };
}

/**
 * The block info of a mapping: `openSpan` identifies the mapping to the fix renderer (a YAML block mapping's first
 * offset, or a flow mapping's or JSON object's `{`); `closeSpan` is where its last entry ends (or its `}`).
 */
export function blockInfoOf(node: CfnMapping, headerSpan: Span): BlockInfo {
  if (node.open && node.close) {
    return { headerSpan, openSpan: node.open, closeSpan: node.close };
  }
  return {
    headerSpan,
    openSpan: { start: node.span.start, end: node.span.start },
    closeSpan: { start: node.span.end, end: node.span.end },
  };
}

/** A copy of a value placed at `span` (every node), marked `resolved`: where a `Ref` or a lookup was written. */
export function relocate(value: Value, span: Span, file: string): Value {
  switch (value.kind) {
    case 'scalar':
      return { ...value, span, file, provenance: 'resolved' };
    case 'unknown':
      return { ...value, span, file };
    case 'array':
      return { ...value, span, file, provenance: 'resolved', items: value.items.map((v) => relocate(v, span, file)) };
    case 'object': {
      const entries = value.entries.map((e) => ({ ...e, keySpan: span, span, value: relocate(e.value, span, file) }));
      const { block: _block, ...rest } = value;
      return { ...rest, span, file, provenance: 'resolved', entries };
    }
  }
}
