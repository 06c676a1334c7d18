/**
 * The language-neutral IaC model that every front end lowers to and that rules read.
 *
 * Invariant: nothing here knows which syntax a value came from except through `format` and spans; rules see values,
 * never syntax nodes. A value the model cannot resolve to a literal is an `unknown` node, never a guess.
 */
import type { Span } from '../text/span';

/** The IaC languages Onus reads. */
export type Format = 'terraform' | 'cloudformation' | 'bicep';

/**
 * Where a value came from.
 * - `explicit`: written as a literal at this place.
 * - `resolved`: computed from literals elsewhere (a variable default, a local, a tfvars file, a parameter default).
 * - `unresolvable`: only for `unknown` nodes.
 */
export type Provenance = 'explicit' | 'resolved' | 'unresolvable';

/** A scalar literal value. */
export type Scalar = string | number | boolean | null;

/** Fields every value node has. */
interface ValueBase {
  /** The span of the value's expression in `file` (the attribute value, not the name). */
  span: Span;
  /** The file the span refers to (a path as given to the lowering). */
  file: string;
  provenance: Provenance;
}

/** A literal scalar. */
export interface ScalarValue extends ValueBase {
  kind: 'scalar';
  value: Scalar;
}

/** An object, a map, or a nested block's body. */
export interface ObjectValue extends ValueBase {
  kind: 'object';
  /** Entries in source order; nested blocks of the same type appear as several entries with the same key. */
  entries: Entry[];
  /** Set when this object is a block (`versioning { … }`, a resource body, a CloudFormation mapping node). */
  block?: BlockInfo;
}

/** A list, tuple or set. */
export interface ArrayValue extends ValueBase {
  kind: 'array';
  items: Value[];
}

/** A value the model cannot resolve: rules never fire on it. */
export interface UnknownValue extends ValueBase {
  kind: 'unknown';
  /** Addresses this expression refers to (`aws_s3_bucket.logs.id`, `var.name`, `Ref:MyBucket`), for cross-resource rules. */
  references: string[];
  /**
   * For an encoding of a partly known structure (Terraform `jsonencode` of a policy whose `Resource` is another
   * resource's ARN), the structure itself: rules may read its known parts and must treat its unknown parts as unknown.
   */
  partial?: Value;
  /**
   * For a choice the model cannot make (CloudFormation `Fn::If` on a condition that cannot be evaluated), the value
   * of each branch: a rule reads every branch, and a check that is true on one is true under that branch's assumption.
   */
  alternatives?: Alternative[];
}

/** One branch of a choice the model cannot make. */
export interface Alternative {
  /** The assumption under which this branch is taken, for messages: `condition "IsProd" is false`. */
  assumption: string;
  /** The branch's value; absent when the branch is `AWS::NoValue` (the property is then not set). */
  value?: Value;
}

/** Any model value. */
export type Value = ScalarValue | ObjectValue | ArrayValue | UnknownValue;

/** One key of an object or block body. */
export interface Entry {
  key: string;
  /** The span of the key (attribute name, block type, YAML/JSON key). */
  keySpan: Span;
  /** The span of the whole entry, from key to the end of its value (or the block's closing brace). */
  span: Span;
  value: Value;
  /** Whether the entry is a nested block (HCL `name { … }`) rather than an attribute. */
  isBlock: boolean;
}

/** Layout facts about a block, used to place findings and render fixes. */
export interface BlockInfo {
  /** The block's first line: from its type keyword to its opening brace (or the YAML/JSON key). */
  headerSpan: Span;
  /** The span of `{` (zero-width where the syntax has none, e.g. YAML). */
  openSpan: Span;
  /** The span of `}` (zero-width at the insertion point where the syntax has none). */
  closeSpan: Span;
}

/** One resource (or data source) of the model. */
export interface Resource {
  format: Format;
  /** `resource` for managed resources; `data` for Terraform data sources. */
  kind: 'resource' | 'data';
  /** The provider's type: `aws_s3_bucket`, `AWS::S3::Bucket`, `Microsoft.Storage/storageAccounts`. */
  type: string;
  /** The logical name: `logs` in `aws_s3_bucket.logs`, the CloudFormation logical id, the Bicep symbol. */
  name: string;
  /** A unique address in its module: `aws_s3_bucket.logs`, `data.aws_iam_policy_document.x`, `MyBucket`. */
  address: string;
  file: string;
  /** The whole resource declaration. */
  span: Span;
  /** The resource's body; its `block.headerSpan` is where a finding about a missing setting points. */
  body: ObjectValue;
  /**
   * The resource's own header where it differs from its body's (a CloudFormation logical id, whose body is its
   * `Properties`): where a finding about the resource as a whole points and where a suppression of it may sit.
   */
  headerSpan?: Span;
  /** The span of the resource's type where it is written apart from its header (a CloudFormation `Type` value). */
  typeSpan?: Span;
  /** For Terraform module instances, the path of module call names from the root (`["network"]`); empty at the root. */
  modulePath: string[];
  /** The API version where the language states one (Bicep `@2023-01-01`). */
  apiVersion?: string;
  /** Suppressions declared as data on the resource (CloudFormation `Metadata.onus.ignore`), not as comments. */
  declaredSuppressions?: DeclaredSuppression[];
  /** Peers' suppressions declared as data (cfn_nag `rules_to_suppress`, cfn-lint `ignore_checks`). */
  peerSuppressions?: PeerSuppression[];
  /** A note on how the resource is deployed, e.g. `in a loop` or `when condition "IsProd"`, for messages and hovers. */
  deploymentNote?: string;
}

/** A suppression written as data on a resource. */
export interface DeclaredSuppression {
  ids: string[];
  reason: string;
  until?: string;
  /** Where the entry is written (for problems with it, such as a missing reason). */
  span?: Span;
}

/** A peer tool's suppression written as data on a resource. */
export interface PeerSuppression {
  peer: 'cfn-nag' | 'cfn-lint' | 'checkov' | 'kics' | 'trivy';
  id: string;
  reason: string;
}

/** One source file handed to a lowering, with its syntax diagnostics. */
export interface ModelFile {
  path: string;
  text: string;
  format: Format;
  diagnostics: ModelDiagnostic[];
  /** A CloudFormation template's top-level `Transform` names (SAM, `AWS::LanguageExtensions`, macros), when it has one. */
  transforms?: string[];
}

/** A diagnostic from parsing or lowering (a syntax error, an unreadable tfvars file, a module that could not load). */
export interface ModelDiagnostic {
  file: string;
  span: Span;
  message: string;
  severity: 'error' | 'warning' | 'info';
  code: string;
}

/**
 * The model of one unit of analysis: a Terraform module (a folder, with its local module calls evaluated), a
 * CloudFormation template, or a Bicep file.
 */
export interface Model {
  /** Every file that was read, including files of called local modules. */
  files: ModelFile[];
  resources: Resource[];
  /** Informational notes for the user, e.g. that remote modules were not fetched. */
  notes: ModelDiagnostic[];
}

/** Helpers for {@link Value}. */
export namespace Value {
  /** Whether a value is a known scalar equal to `expected`. */
  export function isScalar(value: Value | undefined, expected: Scalar): boolean {
    return value?.kind === 'scalar' && value.value === expected;
  }

  /** All entries of an object with the given key (nested blocks may repeat). */
  export function entries(value: Value | undefined, key: string): Entry[] {
    return value?.kind === 'object' ? value.entries.filter((e) => e.key === key) : [];
  }

  /** The first entry with the given key, if any. */
  export function entry(value: Value | undefined, key: string): Entry | undefined {
    return value?.kind === 'object' ? value.entries.find((e) => e.key === key) : undefined;
  }

  /**
   * Converts a value to plain JSON data, with `unknownMarker` wherever a part is unknown (an unknown that carries a
   * `partial` structure converts that structure instead). Pass a unique marker to tell unknown from absent.
   */
  export function toPartialPlain(value: Value, unknownMarker?: unknown, depth = 0): unknown {
    if (depth > 64) {
      return unknownMarker;
    }
    switch (value.kind) {
      case 'scalar':
        return value.value;
      case 'unknown':
        return value.partial ? toPartialPlain(value.partial, unknownMarker, depth + 1) : unknownMarker;
      case 'array':
        return value.items.map((item) => toPartialPlain(item, unknownMarker, depth + 1));
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const e of value.entries) {
          out[e.key] = toPartialPlain(e.value, unknownMarker, depth + 1);
        }
        return out;
      }
    }
  }

  /** Converts a fully known value to plain JSON data; returns `undefined` when any part is unknown. */
  export function toPlain(value: Value): unknown {
    switch (value.kind) {
      case 'scalar':
        return value.value;
      case 'unknown':
        return undefined;
      case 'array': {
        const out: unknown[] = [];
        for (const item of value.items) {
          const plain = toPlain(item);
          if (plain === undefined) {
            return undefined;
          }
          out.push(plain);
        }
        return out;
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const e of value.entries) {
          const plain = toPlain(e.value);
          if (plain === undefined) {
            return undefined;
          }
          out[e.key] = plain;
        }
        return out;
      }
    }
  }
}
