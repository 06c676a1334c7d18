/**
 * Lowering of a block body (a resource's, or a nested block's) to an object value: attributes become entries with
 * evaluated values, nested blocks become block entries (repeated blocks repeat the key), and `dynamic` blocks are
 * expanded once per element of a known `for_each` (once, with unknown iterator values, when it is not known).
 */
import type { Entry, ObjectValue, Value } from '../types';
import type { ConfigAttribute, ConfigBlock, ConfigItem } from './config';
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
  // `iterator = it` in native syntax; `"iterator": "it"` (a literal template) in JSON.
  const iteratorExpr = attribute('iterator')?.expr;
  const literal = iteratorExpr?.kind === 'Template' && iteratorExpr.parts.length === 1 ? iteratorExpr.parts[0] : undefined;
  const iteratorName =
    iteratorExpr?.kind === 'Variable' ? iteratorExpr.name : literal?.kind === 'TemplateLiteral' ? literal.value : label.value;
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

/**
 * Marks what override files change in a lowered resource body as unknown: Terraform replaces those attributes and
 * nested block types with the override file's, whose spans lie in another file than the resource's entries, so
 * the model says only that the value is not known here rather than pointing into the wrong file.
 */
export function maskOverrides(body: ObjectValue, overrides: readonly ConfigItem[], file: string): void {
  const header = body.block?.headerSpan ?? body.span;
  const place: Place = { file, span: header };
  for (const item of overrides) {
    const isBlock = item.kind === 'block';
    const key = item.kind === 'attribute' ? item.name : item.type === 'dynamic' ? (item.labels[0]?.value ?? '') : item.type;
    const existing = body.entries.filter((e) => e.key === key && e.isBlock === isBlock);
    if (!isBlock && existing.length > 0) {
      for (const e of existing) {
        e.value = unknown(e.value);
      }
      continue;
    }
    body.entries = body.entries.filter((e) => !existing.includes(e));
    if (!body.entries.some((e) => e.key === key && e.isBlock === isBlock && e.keySpan === header)) {
      body.entries.push({ key, keySpan: header, span: header, value: unknown(place), isBlock });
    }
  }
}
