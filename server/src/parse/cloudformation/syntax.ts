/**
 * The one syntax tree that both CloudFormation syntaxes (YAML and JSON) are read into: mappings, sequences and
 * scalars with exact spans, and pairs with their key's span. YAML short-form intrinsics (`!Ref X`) appear here already
 * normalized to their long form (`{ Ref: X }`), marked with the tag they were written with.
 *
 * Invariant: every node's span lies inside the text it was parsed from; a tagged node's span includes its tag.
 */
import type { Span } from '../../text/span';

/** The syntax a template is written in. */
export type CfnSyntax = 'yaml' | 'json';

/** How a collection is written: YAML block style, YAML flow style (`{ }`, `[ ]`), or JSON. */
export type CfnCollectionStyle = 'block' | 'flow' | 'json';

/** How a scalar is written. */
export type CfnScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'json';

/** A scalar's value as read (YAML 1.2 core schema; JSON). */
export type CfnScalarValue = string | number | boolean | null;

/** Fields every node has. */
interface CfnNodeBase {
  /** The node's text, including a short-form tag written before it. */
  span: Span;
  /** Set when the node was reached through a YAML alias (`*name`): its spans are those of the anchored node. */
  isAliased?: boolean;
}

/** A YAML mapping or JSON object. */
export interface CfnMapping extends CfnNodeBase {
  kind: 'mapping';
  style: CfnCollectionStyle;
  pairs: CfnPair[];
  /** The `{` of a flow mapping or JSON object. */
  open?: Span;
  /** The `}` of a flow mapping or JSON object (zero-width at the end when it is missing). */
  close?: Span;
  /**
   * Set when this mapping is a normalized short-form intrinsic (`!GetAtt a.b` → `{ Fn::GetAtt: [a, b] }`): the tag as
   * written. Such a mapping has exactly one pair, whose key span is the tag's span.
   */
  shortForm?: string;
}

/** A YAML sequence or JSON array. */
export interface CfnSequence extends CfnNodeBase {
  kind: 'sequence';
  style: CfnCollectionStyle;
  items: CfnNode[];
  /** The `[` of a flow sequence or JSON array. */
  open?: Span;
  /** The `]` of a flow sequence or JSON array (zero-width at the end when it is missing). */
  close?: Span;
}

/** A YAML scalar or JSON string, number, boolean or null. */
export interface CfnScalar extends CfnNodeBase {
  kind: 'scalar';
  value: CfnScalarValue;
  style: CfnScalarStyle;
}

/** Any node of the tree. */
export type CfnNode = CfnMapping | CfnSequence | CfnScalar;

/** One key of a mapping with its value. */
export interface CfnPair {
  /** The key as a string (YAML keys that are not scalars are kept as their source text). */
  key: string;
  /** The key's span (for JSON, including its quotes). */
  keySpan: Span;
  /** From the key to the end of the value (at least to the end of the `:`). */
  span: Span;
  value: CfnNode;
}

/** A syntax problem found while parsing. */
export interface CfnDiagnostic {
  span: Span;
  message: string;
  severity: 'error' | 'warning' | 'info';
  code: string;
}

/** The result of parsing a template: the root node (absent for an empty document) and the diagnostics. */
export interface CfnParseResult {
  syntax: CfnSyntax;
  /** The first document's root. */
  root: CfnNode | undefined;
  /**
   * Every document's root, the first included. CloudFormation reads one; a YAML stream of several (as some samples
   * are) is reported and each document is read as a template of its own.
   */
  documents: CfnNode[];
  diagnostics: CfnDiagnostic[];
  /** Offsets where each line starts (line 0 at offset 0). */
  lineStarts: number[];
}

/** The deepest nesting of collections a parse keeps; deeper values become `null` with a diagnostic. */
export const MAX_NESTING_DEPTH = 64;

/** The most YAML alias expansions (`*name`) one parse performs (templates rarely use aliases at all). */
export const MAX_ALIAS_EXPANSIONS = 200;

/** The most nodes alias expansions may add in one parse (against "billion laughs" documents). */
export const MAX_ALIAS_NODES = 10_000;

/** Helpers for {@link CfnNode}. */
export namespace CfnNode {
  /** The first pair of a mapping with the given key (the last one wins in the model; this is for layout). */
  export function pair(node: CfnNode | undefined, key: string): CfnPair | undefined {
    return node?.kind === 'mapping' ? node.pairs.find((p) => p.key === key) : undefined;
  }

  /** The value of the last pair with the given key, as CloudFormation reads a mapping with duplicate keys. */
  export function get(node: CfnNode | undefined, key: string): CfnNode | undefined {
    if (node?.kind !== 'mapping') {
      return undefined;
    }
    for (let i = node.pairs.length - 1; i >= 0; i--) {
      const p = node.pairs[i]!;
      if (p.key === key) {
        return p.value;
      }
    }
    return undefined;
  }

  /** A scalar's value as a string when it is a string (or a number/boolean written as one), else undefined. */
  export function text(node: CfnNode | undefined): string | undefined {
    if (node?.kind !== 'scalar' || node.value === null) {
      return undefined;
    }
    return String(node.value);
  }
}

/** The most diagnostics one parse reports; a pathological document reports the first ones and a count of the rest. */
export const MAX_DIAGNOSTICS = 100;

/** Keeps the first {@link MAX_DIAGNOSTICS} diagnostics (in source order) and notes how many more there were. */
export function capDiagnostics(diagnostics: CfnDiagnostic[]): CfnDiagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  if (sorted.length <= MAX_DIAGNOSTICS) {
    return sorted;
  }
  const kept = sorted.slice(0, MAX_DIAGNOSTICS);
  const last = kept[kept.length - 1]!;
  kept.push({
    span: { start: last.span.start, end: last.span.start },
    message: `${sorted.length - MAX_DIAGNOSTICS} more problems are not shown`,
    severity: 'info',
    code: 'cfn-too-many-problems',
  });
  return kept;
}
