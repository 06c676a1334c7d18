/**
 * Hover: who owns the setting or service under the cursor, as markdown; for a CloudFormation resource type or
 * property, AWS's own documentation of it below (from the resource specification).
 *
 * Invariant: hover never parses. It reads the cached analysis of the document's current version (the one
 * diagnostics use) and renders what `engine/describe.ts` finds at the offset.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { describeAt, renderDescription } from '../engine/describe';
import { renderSpecDescription } from '../engine/describeSpec';
import type { RuleSet } from '../engine/ruleSet';
import { cfnSpec } from './cfnSpec';
import { rangeOf } from './diagnostics';
import type { CachedAnalysis, TrackedDocument } from './workspace';

/** The hover at `position` of a tracked document, or null when there is nothing to say. */
export function provideHover(entry: CachedAnalysis | undefined, ruleSet: RuleSet, tracked: TrackedDocument, position: Position): Hover | null {
  if (!entry || tracked.kind === 'terraform-vars') {
    return null;
  }
  const index = entry.lineIndexOf(tracked.path);
  if (!index) {
    return null;
  }
  const description = describeAt(entry.analysis, ruleSet, tracked.path, index.offsetAt(position));
  if (!description) {
    return null;
  }
  // Who owns it first (what Onus is for), then what AWS documents about it.
  const spec = renderSpecDescription(description, cfnSpec);
  const value = spec === undefined ? renderDescription(description) : `${renderDescription(description)}\n\n---\n\n${spec}`;
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: rangeOf(index, description.span),
  };
}
