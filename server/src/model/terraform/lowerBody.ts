/**
 * Lowering of a block body (a resource's, or a nested block's) to an object value: attributes become entries with
 * evaluated values, nested blocks become block entries (repeated blocks repeat the key), and `dynamic` blocks are
 * expanded once per element of a known `for_each` (once, with unknown iterator values, when it is not known).
 */
import type { Entry, ObjectValue, Value } from '../types';
import type { ConfigAttribute, ConfigBlock } from './config';
import { Bindings, iterationPairs, type EvalContext, type Evaluator } from './evaluate';
import { object, unknown, type Place } from './values';

/** Lowers `block`'s body to an object value carrying the block's layout (`block.headerSpan`, braces). */
export function lowerBlock(block: ConfigBlock, evaluator: Evaluator, ctx: EvalContext): ObjectValue {
  return {
    kind: 'object',
    entries: lowerItems(block, evaluator, ctx),
    span: block.span,
    file: ctx.file,
    provenance: 'explicit',
    block: { headerSpan: block.headerSpan, openSpan: block.openSpan, closeSpan: block.closeSpan },
  };
}

function lowerItems(block: ConfigBlock, evaluator: Evaluator, ctx: EvalContext): Entry[] {
  const entries: Entry[] = [];
  for (const item of block.items) {
    if (item.kind === 'attribute') {
      entries.push({
        key: item.name,
        keySpan: item.nameSpan,
        span: item.span,
        value: evaluator.evaluate(item.expr, ctx),
        isBlock: false,
      });
    } else if (item.type === 'dynamic' && item.labels.length === 1) {
      entries.push(...lowerDynamic(item, evaluator, ctx));
    } else {
      entries.push({ key: item.type, keySpan: item.typeSpan, span: item.span, value: lowerBlock(item, evaluator, ctx), isBlock: true });
    }
  }
  return entries;
}

/**
 * `dynamic "x" { for_each = …  iterator = it  content { … } }`: one `x` entry per element of a known `for_each`,
 * with the content lowered and `x` (or the iterator name) bound to `{ key, value }`; one entry with unknown
 * iterator values when `for_each` is not known. The entries' values point at the content block.
 */
function lowerDynamic(dynamic: ConfigBlock, evaluator: Evaluator, ctx: EvalContext): Entry[] {
  const label = dynamic.labels[0];
  const content = dynamic.items.find((i): i is ConfigBlock => i.kind === 'block' && i.type === 'content');
  if (label === undefined || content === undefined) {
    return [];
  }
  const attribute = (name: string): ConfigAttribute | undefined =>
    dynamic.items.find((i): i is ConfigAttribute => i.kind === 'attribute' && i.name === name);
  const iteratorExpr = attribute('iterator')?.expr;
  const iteratorName = iteratorExpr?.kind === 'Variable' ? iteratorExpr.name : label.value;
  const forEach = attribute('for_each');
  const place: Place = { file: ctx.file, span: forEach?.expr.span ?? dynamic.headerSpan };
  const collection: Value = forEach === undefined ? unknown(place) : evaluator.evaluate(forEach.expr, ctx);
  const pairs = collection.kind === 'unknown' ? undefined : iterationPairs(collection, place);

  const entry = (iterator: Value): Entry => {
    const body = lowerBlock(content, evaluator, { ...ctx, bindings: new Bindings(iteratorName, iterator, ctx.bindings) });
    body.block = { headerSpan: dynamic.headerSpan, openSpan: content.openSpan, closeSpan: content.closeSpan };
    return { key: label.value, keySpan: label.span, span: dynamic.span, value: body, isBlock: true };
  };

  if (pairs === undefined) {
    const references = collection.kind === 'unknown' ? collection.references : [];
    return [entry(object([['key', unknown(place, references)], ['value', unknown(place, references)]], place, 'resolved'))];
  }
  const entries: Entry[] = [];
  for (const [key, value] of pairs) {
    if (!evaluator.budget.charge()) {
      break;
    }
    entries.push(entry(object([['key', key], ['value', value]], place, 'resolved')));
  }
  return entries;
}
