/**
 * The engine's public types: rules as loaded from `rules/`, and the findings they produce.
 */
import type { Format } from '../model/types';
import type { Span } from '../text/span';

/** A rule's severity, lowest first. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** The severities in ascending order. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Who owns a setting under the Shared Responsibility Model. */
export type Owner = 'customer' | 'provider' | 'shared';

/** The six responsibility layers of DESIGN.md. */
export type Layer = 'data' | 'identity' | 'application' | 'network' | 'os' | 'physical';

/** The cloud providers rules target. */
export type Provider = 'aws' | 'azure' | 'gcp';

/** One text replacement in one file, by offsets into that file's text. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

/** A fix for one finding: a title and the edits that make the setting secure. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Whether the fix is safe to apply without review (only those are marked preferred in the editor). */
  isSafe: boolean;
}

/** One finding: a rule that fired on one place. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  owner: Owner;
  layer: Layer;
  service: string;
  /** The summary, sentence case, no trailing period. */
  message: string;
  file: string;
  format: Format;
  /** The smallest useful range: the attribute's value, or the header of the block that should hold a missing setting. */
  span: Span;
  /** The resource's address, e.g. `aws_s3_bucket.logs`. */
  resource: string;
  resourceType: string;
  fix: Fix | undefined;
}

/** A finding that a suppression comment silenced, with the comment's reason and expiry. */
export interface SuppressedFinding extends Finding {
  reason: string;
  until: string | undefined;
}
