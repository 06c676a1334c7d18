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
  /** Set when a suppression naming this rule covered the finding until this date (`YYYY-MM-DD`), which has passed. */
  expiredSuppression?: string;
  /** How the resource is deployed when that matters to the reader, e.g. `in a loop` or `when condition "IsProd"`. */
  deploymentNote?: string;
}

/** What suppressed a finding: Onus's own comment or metadata, Bicep's directive, or a peer's comment or metadata. */
export type SuppressionSource =
  | 'onus:ignore'
  | 'metadata'
  | '#disable-next-line'
  | 'checkov'
  | 'tfsec'
  | 'trivy'
  | 'kics'
  | 'cfn-nag'
  | 'cfn-lint';

/** A finding that a suppression comment silenced, with the comment's reason and expiry. */
export interface SuppressedFinding extends Finding {
  reason: string;
  until: string | undefined;
  /** What suppressed it. */
  source: SuppressionSource;
  /** Where Onus's own suppression is written (the `onus:ignore` comment or Metadata entry, in the finding's file). */
  suppressionSpan?: Span;
}

/**
 * A problem in a configuration or rule file (`.onus.yaml`, a `rule.yaml`), at 1-based lines and columns in UTF-16
 * code units with the end column exclusive; the message starts with the field it is about.
 */
export interface SourceProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** How serious it is; an error when absent (a field that is ignored), a warning or a note otherwise. */
  severity?: 'error' | 'warning' | 'info';
}
