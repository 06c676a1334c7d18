/**
 * Prints an HCL parse result for golden files: the tree with spans in a compact indented form, then the source with
 * each diagnostic under its line (Bicep-baseline style, `#@[04:07) HCL012 error Expected "="`).
 */
import { LineIndex } from '../../../server/src/text/lineIndex';
import type { Span } from '../../../server/src/text/span';
import type {
  BodyItem,
  Expression,
  HclParseResult,
  SyntaxDiagnostic,
  TemplatePart,
} from '../../../server/src/parse/hcl/syntax';

/** Renders the tree and the annotated diagnostics of one parse, LF line endings. */
export function printParse(text: string, result: HclParseResult): string {
  const lines: string[] = [];
  const out = (depth: number, line: string): void => {
    lines.push('  '.repeat(depth) + line);
  };
  out(0, `ConfigFile ${span(result.tree.span)}`);
  printItems(result.tree.body.items, 1, out, text);
  lines.push('');
  lines.push(printDiagnostics(text, result.diagnostics));
  return lines.join('\n');
}

/** The source, line by line, with each diagnostic printed under the line where it starts. */
export function printDiagnostics(text: string, diagnostics: SyntaxDiagnostic[]): string {
  if (diagnostics.length === 0) {
    return '--- no diagnostics\n';
  }
  const index = new LineIndex(text);
  const byLine = new Map<number, SyntaxDiagnostic[]>();
  for (const diagnostic of diagnostics) {
    const line = index.positionAt(diagnostic.span.start).line;
    byLine.set(line, [...(byLine.get(line) ?? []), diagnostic]);
  }
  const sourceLines = text.split(/\r\n|\r|\n/);
  const lines = ['--- diagnostics'];
  sourceLines.forEach((sourceLine, line) => {
    lines.push(sourceLine);
    for (const diagnostic of byLine.get(line) ?? []) {
      const start = index.positionAt(diagnostic.span.start);
      const end = index.positionAt(diagnostic.span.end);
      const endText = end.line === start.line ? pad(end.character) : `${end.line + 1}:${pad(end.character)}`;
      const { code, severity, message } = diagnostic;
      lines.push(`#@[${pad(start.character)}:${endText}) ${code} ${severity} ${message}`);
    }
  });
  return lines.join('\n') + '\n';
}

type Out = (depth: number, line: string) => void;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function span(s: Span): string {
  return `[${s.start}:${s.end})`;
}

function printItems(items: BodyItem[], depth: number, out: Out, text: string): void {
  for (const item of items) {
    switch (item.kind) {
      case 'Attribute':
        out(depth, `Attribute ${item.name} ${span(item.span)} name${span(item.nameSpan)} =${span(item.equalsSpan)}`);
        printExpr(item.expr, depth + 1, out, '');
        break;
      case 'Block': {
        const missing = item.isCloseBraceMissing ? ' close-missing' : '';
        const braces = `{${span(item.openBrace)} }${span(item.closeBrace)}${missing}`;
        out(depth, `Block ${item.type} ${span(item.span)} type${span(item.typeSpan)} ${braces}`);
        for (const label of item.labels) {
          const quoting = label.isQuoted ? 'quoted' : 'bare';
          out(depth + 1, `Label ${JSON.stringify(label.value)} ${quoting} ${span(label.span)}`);
        }
        out(depth + 1, `Body ${span(item.body.span)}`);
        printItems(item.body.items, depth + 2, out, text);
        break;
      }
      case 'Error':
        out(depth, `Error ${span(item.span)} ${JSON.stringify(text.slice(item.span.start, item.span.end))}`);
        break;
    }
  }
}

function printExpr(expr: Expression, depth: number, out: Out, role: string): void {
  const at = span(expr.span);
  const r = role === '' ? '' : `${role}: `;
  switch (expr.kind) {
    case 'Literal':
      out(depth, `${r}Literal ${JSON.stringify(expr.value)} ${at}`);
      break;
    case 'Template': {
      const flavour = expr.isHeredoc ? (expr.isIndentedHeredoc ? ' heredoc-indented' : ' heredoc') : '';
      out(depth, `${r}Template${flavour} ${at}`);
      printParts(expr.parts, depth + 1, out);
      break;
    }
    case 'Tuple':
      out(depth, `${r}Tuple ${at} [${span(expr.openBracket)} ]${span(expr.closeBracket)}`);
      for (const item of expr.items) {
        printExpr(item, depth + 1, out, '');
      }
      break;
    case 'Object':
      out(depth, `${r}Object ${at} {${span(expr.openBrace)} }${span(expr.closeBrace)}`);
      for (const item of expr.items) {
        const name = item.keyName === undefined ? '(expr)' : JSON.stringify(item.keyName);
        out(depth + 1, `Item ${name} ${span(item.span)} sep${span(item.separatorSpan)}`);
        printExpr(item.key, depth + 2, out, 'key');
        printExpr(item.value, depth + 2, out, 'value');
      }
      break;
    case 'FunctionCall': {
      const expand = expr.hasExpandFinal ? ' expand' : '';
      out(depth, `${r}FunctionCall ${expr.name} ${at} name${span(expr.nameSpan)}${expand}`);
      for (const arg of expr.args) {
        printExpr(arg, depth + 1, out, '');
      }
      break;
    }
    case 'For': {
      const vars = expr.keyVar === undefined ? expr.valueVar : `${expr.keyVar}, ${expr.valueVar}`;
      const shape = expr.isObject ? 'object' : 'tuple';
      out(depth, `${r}For ${shape} ${JSON.stringify(vars)} ${at}${expr.isGrouped ? ' grouped' : ''}`);
      printExpr(expr.collection, depth + 1, out, 'collection');
      if (expr.keyExpr !== undefined) {
        printExpr(expr.keyExpr, depth + 1, out, 'key');
      }
      printExpr(expr.valueExpr, depth + 1, out, 'value');
      if (expr.condition !== undefined) {
        printExpr(expr.condition, depth + 1, out, 'condition');
      }
      break;
    }
    case 'Variable':
      out(depth, `${r}Variable ${expr.name} ${at}`);
      break;
    case 'GetAttr':
      out(depth, `${r}GetAttr ${JSON.stringify(expr.name)} ${at} name${span(expr.nameSpan)}`);
      printExpr(expr.target, depth + 1, out, 'target');
      break;
    case 'Index':
      out(depth, `${r}Index ${at}`);
      printExpr(expr.target, depth + 1, out, 'target');
      printExpr(expr.key, depth + 1, out, 'key');
      break;
    case 'Splat':
      out(depth, `${r}Splat ${expr.isFull ? 'full' : 'attr'} ${at}`);
      printExpr(expr.target, depth + 1, out, 'target');
      for (const step of expr.traversal) {
        if (step.kind === 'GetAttrStep') {
          out(depth + 1, `step .${step.name} ${span(step.span)}`);
        } else {
          out(depth + 1, `step [] ${span(step.span)}`);
          printExpr(step.key, depth + 2, out, 'key');
        }
      }
      break;
    case 'Conditional':
      out(depth, `${r}Conditional ${at}`);
      printExpr(expr.condition, depth + 1, out, 'condition');
      printExpr(expr.trueExpr, depth + 1, out, 'true');
      printExpr(expr.falseExpr, depth + 1, out, 'false');
      break;
    case 'Unary':
      out(depth, `${r}Unary ${expr.operator} ${at}`);
      printExpr(expr.operand, depth + 1, out, '');
      break;
    case 'Binary':
      out(depth, `${r}Binary ${expr.operator} ${at}`);
      printExpr(expr.left, depth + 1, out, '');
      printExpr(expr.right, depth + 1, out, '');
      break;
    case 'Paren':
      out(depth, `${r}Paren ${at}`);
      printExpr(expr.expr, depth + 1, out, '');
      break;
    case 'Missing':
      out(depth, `${r}Missing ${at}`);
      break;
  }
}

function printParts(parts: TemplatePart[], depth: number, out: Out): void {
  for (const part of parts) {
    switch (part.kind) {
      case 'TemplateLiteral':
        out(depth, `Lit ${JSON.stringify(part.value)} ${span(part.span)}`);
        break;
      case 'TemplateInterp': {
        const strip = `${part.stripLeft ? ' ~left' : ''}${part.stripRight ? ' ~right' : ''}`;
        out(depth, `Interp ${span(part.span)}${strip}`);
        printExpr(part.expr, depth + 1, out, '');
        break;
      }
      case 'TemplateIf':
        out(depth, `If ${span(part.span)}`);
        printExpr(part.condition, depth + 1, out, 'condition');
        out(depth + 1, 'then:');
        printParts(part.then, depth + 2, out);
        if (part.else !== undefined) {
          out(depth + 1, 'else:');
          printParts(part.else, depth + 2, out);
        }
        break;
      case 'TemplateFor': {
        const vars = part.keyVar === undefined ? part.valueVar : `${part.keyVar}, ${part.valueVar}`;
        out(depth, `ForDirective ${JSON.stringify(vars)} ${span(part.span)}`);
        printExpr(part.collection, depth + 1, out, 'collection');
        out(depth + 1, 'body:');
        printParts(part.body, depth + 2, out);
        break;
      }
    }
  }
}
