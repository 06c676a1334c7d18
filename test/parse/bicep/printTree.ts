/**
 * Prints a Bicep parse result for golden files: the tree with spans in a compact indented form, then the source with
 * each diagnostic under its line (Bicep-baseline style, `#@[04:07) BICEP013 error Expected "="`).
 */
import { printDiagnostics } from '../hcl/printTree';
import type { Span } from '../../../server/src/text/span';
import type {
  BicepParseResult,
  Declaration,
  Decorator,
  Expression,
  Identifier,
  ObjectItem,
  TypeExpression,
} from '../../../server/src/parse/bicep/syntax';

type Out = (depth: number, line: string) => void;

/** Renders the tree and the annotated diagnostics of one parse, LF line endings. */
export function printParse(text: string, result: BicepParseResult): string {
  const lines: string[] = [];
  const out: Out = (depth, line) => {
    lines.push('  '.repeat(depth) + line);
  };
  out(0, `File ${span(result.tree.span)}`);
  for (const declaration of result.tree.declarations) {
    printDeclaration(declaration, 1, out, text);
  }
  lines.push('');
  lines.push(printDiagnostics(text, result.diagnostics));
  return lines.join('\n');
}

/** Prints one expression tree (for the expression tests). */
export function printExpression(expr: Expression, text: string): string {
  const lines: string[] = [];
  printExpr(expr, 0, (depth, line) => lines.push('  '.repeat(depth) + line), '', text);
  return lines.join('\n');
}

function span(s: Span): string {
  return `[${s.start}:${s.end})`;
}

function ident(i: Identifier): string {
  return i.name === '' ? `<missing>${span(i.span)}` : `${i.name}${span(i.span)}`;
}

function printDecorators(decorators: Decorator[], depth: number, out: Out, text: string): void {
  for (const d of decorators) {
    out(depth, `Decorator ${span(d.span)}`);
    printExpr(d.expr, depth + 1, out, '', text);
  }
}

function printDeclaration(d: Declaration, depth: number, out: Out, text: string): void {
  if (d.kind === 'Error') {
    out(depth, `Error ${span(d.span)} ${JSON.stringify(text.slice(d.span.start, d.span.end))}`);
    return;
  }
  const head = `${d.kind} ${span(d.span)} keyword${span(d.keywordSpan)}`;
  switch (d.kind) {
    case 'Parameter':
      out(depth, `${head} ${ident(d.name)}${d.equalsSpan ? ` =${span(d.equalsSpan)}` : ''}`);
      printDecorators(d.decorators, depth + 1, out, text);
      printType(d.type, depth + 1, out, 'type', text);
      if (d.defaultValue) {
        printExpr(d.defaultValue, depth + 1, out, 'default', text);
      }
      return;
    case 'Variable':
    case 'Output':
      out(depth, `${head} ${ident(d.name)} =${span(d.equalsSpan)}`);
      printDecorators(d.decorators, depth + 1, out, text);
      if (d.type) {
        printType(d.type, depth + 1, out, 'type', text);
      }
      printExpr(d.value, depth + 1, out, 'value', text);
      return;
    case 'Resource':
      printResource(d, depth, out, text);
      return;
    case 'Module':
    case 'Test':
      out(depth, `${head} ${ident(d.name)} =${span(d.equalsSpan)}`);
      printDecorators(d.decorators, depth + 1, out, text);
      printExpr(d.path, depth + 1, out, 'path', text);
      printExpr(d.value, depth + 1, out, 'value', text);
      return;
    case 'TargetScope':
      out(depth, `${head} =${span(d.equalsSpan)}`);
      printExpr(d.value, depth + 1, out, 'value', text);
      return;
    case 'Metadata':
    case 'Assert':
      out(depth, `${head} ${ident(d.name)} =${span(d.equalsSpan)}`);
      printExpr(d.value, depth + 1, out, 'value', text);
      return;
    case 'TypeAlias':
      out(depth, `${head} ${ident(d.name)} =${span(d.equalsSpan)}`);
      printDecorators(d.decorators, depth + 1, out, text);
      printType(d.value, depth + 1, out, 'value', text);
      return;
    case 'Function':
      out(depth, `${head} ${ident(d.name)} (${span(d.openParen)} )${span(d.closeParen)} =>${span(d.arrowSpan)}`);
      printDecorators(d.decorators, depth + 1, out, text);
      for (const p of d.parameters) {
        out(depth + 1, `Param ${ident(p.name)} ${span(p.span)}`);
        printType(p.type, depth + 2, out, 'type', text);
      }
      printType(d.returnType, depth + 1, out, 'returns', text);
      printExpr(d.body, depth + 1, out, 'body', text);
      return;
    case 'Import':
      out(depth, `${head} from${span(d.fromSpan)}${d.wildcardAlias ? ` * as ${ident(d.wildcardAlias)}` : ''}`);
      printDecorators(d.decorators, depth + 1, out, text);
      for (const s of d.symbols ?? []) {
        out(depth + 1, `Symbol ${ident(s.name)}${s.alias ? ` as ${ident(s.alias)}` : ''} ${span(s.span)}`);
      }
      printExpr(d.path, depth + 1, out, 'path', text);
      return;
    case 'Extension':
      out(depth, `${head}${d.alias ? ` as ${ident(d.alias)}` : ''}`);
      printExpr(d.specification, depth + 1, out, 'spec', text);
      if (d.config) {
        printExpr(d.config, depth + 1, out, 'with', text);
      }
      return;
    case 'Using':
      out(depth, head);
      printExpr(d.path, depth + 1, out, 'path', text);
      if (d.config) {
        printExpr(d.config, depth + 1, out, 'with', text);
      }
      return;
    case 'Extends':
      out(depth, head);
      printExpr(d.path, depth + 1, out, 'path', text);
      return;
    case 'MissingDeclaration':
      out(depth, head);
      printDecorators(d.decorators, depth + 1, out, text);
      return;
  }
}

function printResource(
  d: Extract<Declaration, { kind: 'Resource' }>,
  depth: number,
  out: Out,
  text: string,
): void {
  const existing = d.existingSpan ? ` existing${span(d.existingSpan)}` : '';
  out(depth, `Resource ${span(d.span)} keyword${span(d.keywordSpan)} ${ident(d.name)}${existing} =${span(d.equalsSpan)}`);
  printDecorators(d.decorators, depth + 1, out, text);
  printExpr(d.typeString, depth + 1, out, 'type', text);
  printExpr(d.value, depth + 1, out, 'value', text);
}

function printItem(item: ObjectItem, depth: number, out: Out, text: string): void {
  switch (item.kind) {
    case 'Property': {
      const key = item.keyName === undefined ? '(expr)' : JSON.stringify(item.keyName);
      out(depth, `Property ${key} ${span(item.span)} key${span(item.keySpan)} :${span(item.colonSpan)}`);
      if (!('name' in item.key)) {
        printExpr(item.key, depth + 1, out, 'key', text);
      }
      printExpr(item.value, depth + 1, out, '', text);
      return;
    }
    case 'Spread':
      out(depth, `Spread ${span(item.span)}`);
      printExpr(item.expr, depth + 1, out, '', text);
      return;
    case 'Resource':
      printResource(item, depth, out, text);
      return;
    case 'Error':
      out(depth, `Error ${span(item.span)} ${JSON.stringify(text.slice(item.span.start, item.span.end))}`);
      return;
  }
}

function printExpr(expr: Expression, depth: number, out: Out, role: string, text: string): void {
  const at = span(expr.span);
  const r = role === '' ? '' : `${role}: `;
  switch (expr.kind) {
    case 'Integer':
    case 'Boolean':
      out(depth, `${r}${expr.kind} ${String(expr.value)} ${at}`);
      return;
    case 'Null':
    case 'Missing':
      out(depth, `${r}${expr.kind} ${at}`);
      return;
    case 'Error':
      out(depth, `${r}Error ${at} ${JSON.stringify(text.slice(expr.span.start, expr.span.end))}`);
      return;
    case 'String':
      out(depth, `${r}String${expr.isMultiline ? ' multiline' : ''} ${JSON.stringify(expr.segments)} ${at}`);
      for (const e of expr.expressions) {
        printExpr(e, depth + 1, out, 'interp', text);
      }
      return;
    case 'Array':
      out(depth, `${r}Array ${at} [${span(expr.openSpan)} ]${span(expr.closeSpan)}`);
      for (const item of expr.items) {
        if (item.kind === 'Spread') {
          out(depth + 1, `Spread ${span(item.span)}`);
          printExpr(item.expr, depth + 2, out, '', text);
        } else {
          printExpr(item, depth + 1, out, '', text);
        }
      }
      return;
    case 'Object':
      out(depth, `${r}Object ${at} {${span(expr.openSpan)} }${span(expr.closeSpan)}`);
      for (const item of expr.items) {
        printItem(item, depth + 1, out, text);
      }
      return;
    case 'Variable':
      out(depth, `${r}Variable ${expr.name} ${at}`);
      return;
    case 'Call':
      out(depth, `${r}Call ${expr.name} ${at} name${span(expr.nameSpan)} (${span(expr.openParen)} )${span(expr.closeParen)}`);
      if (expr.target) {
        printExpr(expr.target, depth + 1, out, 'target', text);
      }
      for (const arg of expr.args) {
        printExpr(arg, depth + 1, out, '', text);
      }
      return;
    case 'Member':
      out(depth, `${r}Member${expr.isSafe ? ' safe' : ''} ${JSON.stringify(expr.name)} ${at} name${span(expr.nameSpan)}`);
      printExpr(expr.target, depth + 1, out, 'target', text);
      return;
    case 'Index':
      out(depth, `${r}Index${expr.isSafe ? ' safe' : ''}${expr.isFromEnd ? ' from-end' : ''} ${at}`);
      printExpr(expr.target, depth + 1, out, 'target', text);
      printExpr(expr.index, depth + 1, out, 'index', text);
      return;
    case 'ResourceAccess':
      out(depth, `${r}ResourceAccess ${JSON.stringify(expr.name)} ${at}`);
      printExpr(expr.target, depth + 1, out, 'target', text);
      return;
    case 'NonNull':
      out(depth, `${r}NonNull ${at}`);
      printExpr(expr.target, depth + 1, out, '', text);
      return;
    case 'Unary':
      out(depth, `${r}Unary ${expr.operator} ${at}`);
      printExpr(expr.operand, depth + 1, out, '', text);
      return;
    case 'Binary':
      out(depth, `${r}Binary ${expr.operator} ${at}`);
      printExpr(expr.left, depth + 1, out, '', text);
      printExpr(expr.right, depth + 1, out, '', text);
      return;
    case 'Ternary':
      out(depth, `${r}Ternary ${at}`);
      printExpr(expr.condition, depth + 1, out, 'condition', text);
      printExpr(expr.trueExpr, depth + 1, out, 'true', text);
      printExpr(expr.falseExpr, depth + 1, out, 'false', text);
      return;
    case 'Paren':
      out(depth, `${r}Paren ${at}`);
      printExpr(expr.expr, depth + 1, out, '', text);
      return;
    case 'Lambda':
      out(depth, `${r}Lambda (${expr.parameters.map(ident).join(', ')}) ${at}`);
      printExpr(expr.body, depth + 1, out, 'body', text);
      return;
    case 'For': {
      const vars = expr.indexVariable ? `(${ident(expr.itemVariable)}, ${ident(expr.indexVariable)})` : ident(expr.itemVariable);
      out(depth, `${r}For ${vars} ${at} [${span(expr.openSpan)} ]${span(expr.closeSpan)}`);
      printExpr(expr.collection, depth + 1, out, 'in', text);
      printExpr(expr.body, depth + 1, out, 'body', text);
      return;
    }
    case 'If':
      out(depth, `${r}If ${at}`);
      printExpr(expr.condition, depth + 1, out, 'condition', text);
      printExpr(expr.body, depth + 1, out, 'body', text);
      return;
  }
}

function printType(type: TypeExpression, depth: number, out: Out, role: string, text: string): void {
  const at = span(type.span);
  const r = role === '' ? '' : `${role}: `;
  switch (type.kind) {
    case 'TypeRef':
      out(depth, `${r}TypeRef ${type.name} ${at}`);
      for (const arg of type.args ?? []) {
        printType(arg, depth + 1, out, 'arg', text);
      }
      return;
    case 'TypeMember':
      out(depth, `${r}TypeMember ${JSON.stringify(type.name)} ${at}`);
      printType(type.target, depth + 1, out, 'target', text);
      for (const arg of type.args ?? []) {
        printType(arg, depth + 1, out, 'arg', text);
      }
      return;
    case 'TypeIndex':
      out(depth, `${r}TypeIndex ${at}`);
      printType(type.target, depth + 1, out, 'target', text);
      if (type.index) {
        printExpr(type.index, depth + 1, out, 'index', text);
      }
      return;
    case 'ArrayType':
      out(depth, `${r}ArrayType ${at}`);
      printType(type.element, depth + 1, out, 'element', text);
      return;
    case 'ObjectType':
      out(depth, `${r}ObjectType ${at} {${span(type.openSpan)} }${span(type.closeSpan)}`);
      for (const p of type.properties) {
        if (p.kind === 'Error') {
          out(depth + 1, `Error ${span(p.span)} ${JSON.stringify(text.slice(p.span.start, p.span.end))}`);
          continue;
        }
        out(depth + 1, `TypeProperty ${JSON.stringify(p.keyName ?? null)} ${span(p.span)} key${span(p.keySpan)}`);
        printDecorators(p.decorators, depth + 2, out, text);
        printType(p.value, depth + 2, out, '', text);
      }
      return;
    case 'TupleType':
      out(depth, `${r}TupleType ${at}`);
      for (const item of type.items) {
        printType(item, depth + 1, out, '', text);
      }
      return;
    case 'UnionType':
      out(depth, `${r}UnionType ${at}`);
      for (const m of type.members) {
        printType(m, depth + 1, out, '', text);
      }
      return;
    case 'NullableType':
    case 'NonNullableType':
      out(depth, `${r}${type.kind} ${at}`);
      printType(type.base, depth + 1, out, '', text);
      return;
    case 'ParenType':
      out(depth, `${r}ParenType ${at}`);
      printType(type.type, depth + 1, out, '', text);
      return;
    case 'ResourceType':
      out(depth, `${r}ResourceType ${at}`);
      if (type.typeString) {
        printExpr(type.typeString, depth + 1, out, '', text);
      }
      return;
    case 'UnaryType':
      out(depth, `${r}UnaryType ${type.operator} ${at}`);
      printType(type.operand, depth + 1, out, '', text);
      return;
    default:
      printExpr(type, depth, out, role, text);
  }
}
