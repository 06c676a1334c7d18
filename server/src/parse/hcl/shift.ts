/**
 * Copies of HCL expressions with every span moved by a distance: the incremental re-parse reuses the expressions of
 * the unchanged part of a file after an edit, at their new offsets. The originals are never modified (earlier
 * analyses may still hold them). Each copy has the same properties in the same order as the parser's node.
 */
import type { Span } from '../../text/span';
import type { Expression, GetAttrStep, IndexStep, ObjectItem, TemplatePart } from './syntax';

/** The deepest expression nesting copied; the parser never produces deeper trees (its own limit is lower). */
const MAX_SHIFT_DEPTH = 2000;

/** A span moved by `delta`. */
export function shiftedSpan(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

/** A copy of `expr` with every span moved by `delta`; throws a RangeError on trees nested deeper than any parse. */
export function shiftedExpression(expr: Expression, delta: number, depth = 0): Expression {
  if (depth > MAX_SHIFT_DEPTH) {
    throw new RangeError('The expression is nested too deeply to copy');
  }
  const next = depth + 1;
  const span = shiftedSpan(expr.span, delta);
  switch (expr.kind) {
    case 'Literal':
    case 'Variable':
    case 'Missing':
      return { ...expr, span };
    case 'Template':
      return { ...expr, span, parts: shiftedParts(expr.parts, delta, next) };
    case 'Tuple':
      return {
        ...expr,
        span,
        items: expr.items.map((item) => shiftedExpression(item, delta, next)),
        openBracket: shiftedSpan(expr.openBracket, delta),
        closeBracket: shiftedSpan(expr.closeBracket, delta),
      };
    case 'Object':
      return {
        ...expr,
        span,
        items: expr.items.map((item) => shiftedObjectItem(item, delta, next)),
        openBrace: shiftedSpan(expr.openBrace, delta),
        closeBrace: shiftedSpan(expr.closeBrace, delta),
      };
    case 'FunctionCall':
      return {
        ...expr,
        span,
        nameSpan: shiftedSpan(expr.nameSpan, delta),
        args: expr.args.map((arg) => shiftedExpression(arg, delta, next)),
      };
    case 'For':
      return {
        ...expr,
        span,
        collection: shiftedExpression(expr.collection, delta, next),
        keyExpr: expr.keyExpr === undefined ? undefined : shiftedExpression(expr.keyExpr, delta, next),
        valueExpr: shiftedExpression(expr.valueExpr, delta, next),
        condition: expr.condition === undefined ? undefined : shiftedExpression(expr.condition, delta, next),
      };
    case 'GetAttr':
      return {
        ...expr,
        span,
        target: shiftedExpression(expr.target, delta, next),
        nameSpan: shiftedSpan(expr.nameSpan, delta),
      };
    case 'Index':
      return {
        ...expr,
        span,
        target: shiftedExpression(expr.target, delta, next),
        key: shiftedExpression(expr.key, delta, next),
      };
    case 'Splat':
      return {
        ...expr,
        span,
        target: shiftedExpression(expr.target, delta, next),
        traversal: expr.traversal.map((step) => shiftedStep(step, delta, next)),
      };
    case 'Conditional':
      return {
        ...expr,
        span,
        condition: shiftedExpression(expr.condition, delta, next),
        trueExpr: shiftedExpression(expr.trueExpr, delta, next),
        falseExpr: shiftedExpression(expr.falseExpr, delta, next),
      };
    case 'Unary':
      return { ...expr, span, operand: shiftedExpression(expr.operand, delta, next) };
    case 'Binary':
      return {
        ...expr,
        span,
        left: shiftedExpression(expr.left, delta, next),
        right: shiftedExpression(expr.right, delta, next),
      };
    case 'Paren':
      return { ...expr, span, expr: shiftedExpression(expr.expr, delta, next) };
  }
}

function shiftedObjectItem(item: ObjectItem, delta: number, depth: number): ObjectItem {
  return {
    ...item,
    span: shiftedSpan(item.span, delta),
    key: shiftedExpression(item.key, delta, depth),
    separatorSpan: shiftedSpan(item.separatorSpan, delta),
    value: shiftedExpression(item.value, delta, depth),
  };
}

function shiftedStep(step: GetAttrStep | IndexStep, delta: number, depth: number): GetAttrStep | IndexStep {
  if (step.kind === 'GetAttrStep') {
    return { ...step, span: shiftedSpan(step.span, delta) };
  }
  return { ...step, key: shiftedExpression(step.key, delta, depth), span: shiftedSpan(step.span, delta) };
}

function shiftedParts(parts: TemplatePart[], delta: number, depth: number): TemplatePart[] {
  if (depth > MAX_SHIFT_DEPTH) {
    throw new RangeError('The template is nested too deeply to copy');
  }
  return parts.map((part): TemplatePart => {
    const span = shiftedSpan(part.span, delta);
    switch (part.kind) {
      case 'TemplateLiteral':
        return { ...part, span };
      case 'TemplateInterp':
        return { ...part, span, expr: shiftedExpression(part.expr, delta, depth) };
      case 'TemplateIf':
        return {
          ...part,
          span,
          condition: shiftedExpression(part.condition, delta, depth),
          then: shiftedParts(part.then, delta, depth + 1),
          else: part.else === undefined ? undefined : shiftedParts(part.else, delta, depth + 1),
        };
      case 'TemplateFor':
        return {
          ...part,
          span,
          collection: shiftedExpression(part.collection, delta, depth),
          body: shiftedParts(part.body, delta, depth + 1),
        };
    }
  });
}
