/**
 * The `.tf.json` front end: Terraform's JSON configuration syntax read with jsonc-parser (for offsets) into the
 * syntax-neutral configuration of `config.ts`. Strings containing `${` or `%{` are parsed as HCL templates at their
 * offset, so they evaluate exactly like native syntax; other JSON values become the equivalent HCL expression nodes.
 *
 * Without provider schemas, a JSON object or array of objects inside a resource body is taken to be a nested block
 * (except for a few well-known map attributes such as `tags`), as most such properties are.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Span } from '../../text/span';
import type { Expression, ObjectItem, TemplateExpr } from '../../parse/hcl/syntax';
import type { ModelDiagnostic } from '../types';
import { MAX_BLOCK_DEPTH, tooDeep, type ConfigAttribute, type ConfigBlock, type ConfigFile, type ConfigItem } from './config';

/** Parses the text of an HCL template found at `offset` of a file into a template expression plus diagnostics. */
export type TemplateParser = (text: string, offset: number) => { expr: Expression; diagnostics: ModelDiagnostic[] };

/** Top-level block types read from `.tf.json` and their label counts. */
const TOP_LEVEL_LABELS: Readonly<Record<string, number>> = {
  resource: 2,
  data: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  locals: 0,
  terraform: 0,
};

/** Nested block types inside resource bodies that take a label. */
const NESTED_LABELS: Readonly<Record<string, number>> = { dynamic: 1, provisioner: 1 };

/** Resource arguments whose JSON object value is a map attribute, not a nested block. */
const MAP_ATTRIBUTES = new Set(['tags', 'tags_all', 'labels', 'for_each', 'triggers', 'triggers_replace', 'annotations']);

/** How a JSON body is interpreted: resource-like (objects are blocks) or attributes only (locals, module calls). */
type BodyMode = 'blocks' | 'attributes' | 'literal-attributes';

/** Parses a `.tf.json` file; never throws (a broken file yields what parsed plus diagnostics). */
export function parseTerraformJson(path: string, text: string, parseTemplate: TemplateParser): ConfigFile {
  const reader = new JsonReader(path, text, parseTemplate);
  const root = reader.parse();
  const items: ConfigItem[] = [];
  if (root?.type === 'object') {
    for (const property of root.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      const type: unknown = keyNode?.value;
      if (keyNode === undefined || valueNode === undefined || typeof type !== 'string' || !(type in TOP_LEVEL_LABELS)) {
        continue;
      }
      const mode: BodyMode = type === 'variable' ? 'literal-attributes' : type === 'resource' || type === 'data' ? 'blocks' : 'attributes';
      items.push(...reader.blocks(type, spanOf(keyNode), keyNode, valueNode, TOP_LEVEL_LABELS[type] ?? 0, [], mode, 0));
    }
  } else if (root !== undefined) {
    reader.diagnostics.push(reader.diagnostic(spanOf(root), 'A Terraform JSON file must hold an object', 'json-not-object'));
  }
  return { path, text, items, diagnostics: reader.diagnostics };
}

/** Parses a `.tfvars.json` file into attributes with literal values; never throws. */
export function parseTfvarsJson(path: string, text: string, parseTemplate: TemplateParser): ConfigFile {
  const reader = new JsonReader(path, text, parseTemplate);
  const root = reader.parse();
  const items: ConfigItem[] = [];
  if (root?.type === 'object') {
    items.push(...reader.items(root, 'literal-attributes', 0));
  }
  return { path, text, items, diagnostics: reader.diagnostics };
}

class JsonReader {
  readonly diagnostics: ModelDiagnostic[] = [];

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly parseTemplate: TemplateParser,
  ) {}

  parse(): Node | undefined {
    const errors: ParseError[] = [];
    let root: Node | undefined;
    try {
      root = parseTree(this.text, errors, { disallowComments: true, allowTrailingComma: false });
    } catch {
      // jsonc-parser recurses per nesting level; absurdly deep input overflows the stack.
      this.diagnostics.push(this.diagnostic({ start: 0, end: 0 }, 'The JSON is nested too deeply to read', 'nesting-too-deep'));
      return undefined;
    }
    for (const error of errors) {
      this.diagnostics.push(
        this.diagnostic(
          { start: error.offset, end: error.offset + error.length },
          `Invalid JSON: ${describeError(printParseErrorCode(error.error))}`,
          'json-syntax',
          'error',
        ),
      );
    }
    return root;
  }

  diagnostic(span: Span, message: string, code: string, severity: ModelDiagnostic['severity'] = 'error'): ModelDiagnostic {
    return { file: this.path, span, message, severity, code };
  }

  /**
   * The blocks of `type` under `value`: one JSON object level per remaining label, and at the last level an object
   * (one block) or an array of objects (several blocks).
   */
  blocks(
    type: string,
    typeSpan: Span,
    keyNode: Node,
    value: Node,
    labelCount: number,
    labels: ConfigBlock['labels'],
    mode: BodyMode,
    depth: number,
  ): ConfigBlock[] {
    if (depth > MAX_BLOCK_DEPTH) {
      this.diagnostics.push(tooDeep(this.path, typeSpan));
      return [];
    }
    if (value.type === 'array') {
      return (value.children ?? []).flatMap((element) =>
        this.blocks(type, typeSpan, keyNode, element, labelCount, labels, mode, depth + 1),
      );
    }
    if (value.type !== 'object') {
      return [];
    }
    if (labelCount > 0) {
      const out: ConfigBlock[] = [];
      for (const property of value.children ?? []) {
        const [labelNode, inner] = property.children ?? [];
        if (typeof labelNode?.value !== 'string' || inner === undefined || labelNode.value === '//') {
          continue;
        }
        const label = { value: labelNode.value, span: spanOf(labelNode) };
        out.push(...this.blocks(type, typeSpan, labelNode, inner, labelCount - 1, [...labels, label], mode, depth + 1));
      }
      return out;
    }
    const end = value.offset + value.length;
    return [
      {
        kind: 'block',
        type,
        typeSpan,
        labels,
        span: { start: keyNode.offset, end },
        headerSpan: { start: keyNode.offset, end: value.offset + 1 },
        openSpan: { start: value.offset, end: value.offset + 1 },
        closeSpan: { start: Math.max(value.offset, end - 1), end },
        items: this.items(value, mode, depth + 1),
      },
    ];
  }

  /** The attributes and nested blocks of a JSON object body, in source order (`"//"` comment keys skipped). */
  items(body: Node, mode: BodyMode, depth: number): ConfigItem[] {
    const items: ConfigItem[] = [];
    for (const property of body.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      const name: unknown = keyNode?.value;
      if (typeof name !== 'string' || keyNode === undefined || valueNode === undefined || name === '//') {
        continue;
      }
      if (mode === 'blocks' && isNestedBlock(name, valueNode)) {
        const labelCount = NESTED_LABELS[name] ?? 0;
        // A dynamic block's `content` (and everything inside a nested block) is a block body too.
        items.push(...this.blocks(name, spanOf(keyNode), keyNode, valueNode, labelCount, [], 'blocks', depth + 1));
        continue;
      }
      if (mode === 'literal-attributes' && name === 'validation' && valueNode.type === 'object') {
        continue;
      }
      const literal = mode === 'literal-attributes' || (mode === 'attributes' && (name === 'source' || name === 'version'));
      const attribute: ConfigAttribute = {
        kind: 'attribute',
        name,
        nameSpan: spanOf(keyNode),
        span: spanOf(property),
        expr: this.expression(valueNode, literal, depth + 1),
      };
      items.push(attribute);
    }
    return items;
  }

  /** The HCL expression equivalent to a JSON value; strings are templates unless `isLiteral`. */
  expression(node: Node, isLiteral: boolean, depth: number): Expression {
    const span = spanOf(node);
    if (depth > MAX_BLOCK_DEPTH * 2) {
      this.diagnostics.push(tooDeep(this.path, span));
      return { kind: 'Missing', span };
    }
    switch (node.type) {
      case 'string':
        return this.string(node, isLiteral);
      case 'number':
        return { kind: 'Literal', span, value: typeof node.value === 'number' ? node.value : null };
      case 'boolean':
        return { kind: 'Literal', span, value: node.value === true };
      case 'null':
        return { kind: 'Literal', span, value: null };
      case 'array':
        return {
          kind: 'Tuple',
          span,
          items: (node.children ?? []).map((child) => this.expression(child, isLiteral, depth + 1)),
          openBracket: { start: node.offset, end: node.offset + 1 },
          closeBracket: { start: span.end - 1, end: span.end },
        };
      case 'object': {
        const items: ObjectItem[] = [];
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          if (typeof keyNode?.value !== 'string' || valueNode === undefined) {
            continue;
          }
          const colon = property.colonOffset ?? keyNode.offset + keyNode.length;
          items.push({
            span: spanOf(property),
            key: literalTemplate(keyNode.value, spanOf(keyNode)),
            keyName: keyNode.value,
            separatorSpan: { start: colon, end: colon + 1 },
            value: this.expression(valueNode, isLiteral, depth + 1),
          });
        }
        return {
          kind: 'Object',
          span,
          items,
          openBrace: { start: node.offset, end: node.offset + 1 },
          closeBrace: { start: span.end - 1, end: span.end },
        };
      }
      case 'property':
        return { kind: 'Missing', span };
    }
  }

  private string(node: Node, isLiteral: boolean): Expression {
    const span = spanOf(node);
    const value = typeof node.value === 'string' ? node.value : '';
    if (isLiteral || !/[$%]\{/.test(value)) {
      return literalTemplate(value, span);
    }
    // The template's offsets are exact when the JSON string has no escapes; with escapes they are approximate
    // (within the string), since the template is parsed from the decoded text, as Terraform does.
    try {
      const parsed = this.parseTemplate(value, node.offset + 1);
      this.diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, file: this.path })));
      return { ...parsed.expr, span };
    } catch {
      return { kind: 'Missing', span };
    }
  }
}

function isNestedBlock(name: string, value: Node): boolean {
  if (MAP_ATTRIBUTES.has(name)) {
    return false;
  }
  if (value.type === 'object') {
    return true;
  }
  return value.type === 'array' && (value.children?.length ?? 0) > 0 && (value.children ?? []).every((c) => c.type === 'object');
}

/** A template expression holding only `text`, at `span` (a JSON string taken literally). */
function literalTemplate(text: string, span: Span): TemplateExpr {
  return {
    kind: 'Template',
    span,
    isHeredoc: false,
    isIndentedHeredoc: false,
    parts: [{ kind: 'TemplateLiteral', span, value: text }],
  };
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function describeError(code: string): string {
  // `PropertyNameExpected` → `property name expected`.
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
