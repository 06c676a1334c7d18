/**
 * The syntax-neutral shape of a Terraform configuration file that both front ends (native HCL and `.tf.json`)
 * produce and the rest of the lowering reads: blocks with labels and layout spans, and attributes holding HCL
 * expressions (JSON values are turned into equivalent HCL expression nodes, strings parsed as templates).
 */
import type { Span } from '../../text/span';
import type { Block, Body, Expression } from '../../parse/hcl/syntax';
import type { ModelDiagnostic } from '../types';

/** The deepest block nesting the lowering follows; deeper blocks are dropped with a diagnostic. */
export const MAX_BLOCK_DEPTH = 64;

/** An attribute: `name = expr`. */
export interface ConfigAttribute {
  kind: 'attribute';
  name: string;
  nameSpan: Span;
  /** From the name to the end of the value. */
  span: Span;
  expr: Expression;
}

/** A block: `type "label"… { … }` (or its JSON equivalent). */
export interface ConfigBlock {
  kind: 'block';
  type: string;
  typeSpan: Span;
  labels: { value: string; span: Span }[];
  /** The whole block. */
  span: Span;
  /** The block's first line: from the type keyword (the innermost label key in JSON) to the end of `{`. */
  headerSpan: Span;
  openSpan: Span;
  closeSpan: Span;
  items: ConfigItem[];
}

/** What a configuration body holds, in source order. */
export type ConfigItem = ConfigAttribute | ConfigBlock;

/** One parsed configuration file (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`). */
export interface ConfigFile {
  path: string;
  text: string;
  items: ConfigItem[];
  diagnostics: ModelDiagnostic[];
}

/** Converts a native HCL body to configuration items, dropping recovery `Error` nodes and blocks nested too deeply. */
export function configItemsOfHcl(body: Body, file: string, diagnostics: ModelDiagnostic[], depth = 0): ConfigItem[] {
  const items: ConfigItem[] = [];
  for (const item of body.items) {
    if (item.kind === 'Attribute') {
      items.push({ kind: 'attribute', name: item.name, nameSpan: item.nameSpan, span: item.span, expr: item.expr });
    } else if (item.kind === 'Block') {
      if (depth >= MAX_BLOCK_DEPTH) {
        diagnostics.push(tooDeep(file, item.typeSpan));
        continue;
      }
      items.push(configBlockOfHcl(item, file, diagnostics, depth));
    }
  }
  return items;
}

function configBlockOfHcl(block: Block, file: string, diagnostics: ModelDiagnostic[], depth: number): ConfigBlock {
  return {
    kind: 'block',
    type: block.type,
    typeSpan: block.typeSpan,
    labels: block.labels.map((l) => ({ value: l.value, span: l.span })),
    span: block.span,
    headerSpan: { start: block.typeSpan.start, end: Math.max(block.openBrace.end, block.typeSpan.end) },
    openSpan: block.openBrace,
    closeSpan: block.closeBrace,
    items: configItemsOfHcl(block.body, file, diagnostics, depth + 1),
  };
}

/** The diagnostic for a block nested deeper than {@link MAX_BLOCK_DEPTH}. */
export function tooDeep(file: string, span: Span): ModelDiagnostic {
  return {
    file,
    span,
    message: `Blocks nested deeper than ${MAX_BLOCK_DEPTH} levels are not analysed`,
    severity: 'warning',
    code: 'nesting-too-deep',
  };
}
