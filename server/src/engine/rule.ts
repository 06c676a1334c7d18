/**
 * A rule as loaded from `rules/<provider>/<service>/<id>/rule.yaml` (the format is documented in rules/README.md).
 */
import type { Format, Scalar } from '../model/types';
import type { CheckFunction } from './check';
import type { Layer, Owner, Provider, Severity } from './types';

/** A rule condition, three-valued (see rules/README.md). */
export type Condition = LeafCondition | AllCondition | AnyCondition | NotCondition | RelatedCondition;

/** A leaf: a path and one operator. */
export interface LeafCondition {
  path: string;
  missing?: boolean;
  equals?: Scalar;
  notEquals?: Scalar;
  in?: Scalar[];
  notIn?: Scalar[];
  matches?: string;
  notMatches?: string;
  contains?: Scalar;
  lt?: number;
  lte?: number;
  gt?: number;
  gte?: number;
  exists?: boolean;
  isEmpty?: boolean;
}

/** True when every sub-condition is true. */
export interface AllCondition {
  all: Condition[];
}

/** True when some sub-condition is true. */
export interface AnyCondition {
  any: Condition[];
}

/** Negation (unknown stays unknown). */
export interface NotCondition {
  not: Condition;
}

/** True when a related resource of `type` refers to this one through attribute `via`. */
export interface RelatedCondition {
  related: {
    type: string;
    via: string;
    where?: Condition;
    /** The settings the related resource starts with when a secure resource template adds it (see `Target.template`). */
    template?: { path: string; value: Scalar | Scalar[] }[];
  };
}

/** A declarative fix intent. */
export interface FixStep {
  /** `ifMissing`: only inserted where absent, a value already there (the user's own key, say) is kept. */
  set?: { path: string; value: Scalar | Scalar[]; ifMissing?: boolean };
  remove?: { path: string };
  /** Removes the items of the list at `path` that are one of `in` or match `matches` (a public member, say). */
  removeItems?: { path: string; in?: Scalar[]; matches?: string };
  /**
   * Adds `value` to the list (or Terraform repeated block) at `path`, keeping its other entries: an object `value` is
   * an entry identified by its field `key`, so where an entry with the same `key` exists its other fields are set
   * instead (a `database_flags` entry named `log_connections` whose value is `off`); a scalar is appended where the
   * list does not hold it yet. Nothing is changed where the entry is there already.
   */
  addItem?: { path: string; value: FixItem; key?: string };
}

/** An entry a fix adds to a list: a scalar, or an object of scalars (a repeated block's attributes). */
export type FixItem = Scalar | { [key: string]: Scalar };

/**
 * How to make a finding secure: one step (`set` or `remove`), and `also` the steps the same fix must take with it
 * (a setting the first one requires, a conflicting one that must go), applied as one edit; or a companion resource
 * (`add`), the removal of some items of a list (`removeItems`), or an entry added to a list (`addItem`).
 */
export interface FixIntent extends FixStep {
  title?: string;
  preferred?: boolean;
  /** Adds a companion resource that refers to the resource (see {@link CompanionIntent}). */
  add?: CompanionIntent;
  /**
   * With `each`: deletes the node `each` selected (a nested block, a mapping's key, a list item), keeping the others:
   * an ingress rule open to the internet, a remote access block.
   */
  removeEach?: true;
  /**
   * With `each` on an IAM policy statement: its principal "everyone" becomes the account itself (CloudFormation
   * `{ AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }`), so that the account's IAM policies decide
   * who may act, as in the default KMS key policy; a `"*"` listed beside other principals is removed instead. With
   * `statements` (a check target, whose finding names no statement): every statement of that list that allows
   * everyone without a `Condition`.
   */
  accountPrincipal?: true | { statements: string };
  /** Moves the literal secret the finding points at into a new sensitive input of the deployment (see {@link SecretInputIntent}). */
  moveToSecretInput?: SecretInputIntent;
  also?: FixStep[];
  /** The fix is offered only where this condition, evaluated like the target's `when`, is true (not false or unknown). */
  requires?: Condition;
  /** The fix offered instead where `requires` is not true, or this fix has no safe edit. */
  otherwise?: FixIntent;
}

/**
 * A fix that takes a secret written in the configuration out of it: a new input the deployment supplies is declared
 * (a Terraform `variable` with `type = string` and `sensitive = true`, a CloudFormation parameter of type `String` with
 * `NoEcho: true`) in the same file, and the value the finding points at becomes a reference to it (`var.x`,
 * `!Ref X`). The literal is not kept anywhere in the file. The input's name is derived from the resource's name and
 * the setting's (the first free one of a numbered series). Offered only for a string written in place as one literal
 * (not a reference, an interpolation, a value from a variable or a part of a larger string) of a managed resource of
 * the root module (a child module's callers would have to pass the new variable).
 */
export interface SecretInputIntent {
  /** The input's description; `{resource}` stands for the resource's address (Terraform) or logical id. */
  description: string;
}

/** A value a companion resource's property holds: a scalar, a list, or a mapping of them. */
export type DocumentValue = Scalar | DocumentValue[] | { [key: string]: DocumentValue };

/**
 * A fix that adds a companion resource of `type` after the resource, linked to it one of two ways:
 * - `via`: the companion refers to the resource through that attribute (Terraform `bucket = aws_s3_bucket.x.id`,
 *   CloudFormation `Bucket: !Ref X`); offered only where no resource of `type` refers to the resource yet and none of
 *   `unlessSet` is set on it (the companion would then replace or conflict with what is there);
 * - `reference`: the resource refers to the companion: its setting at `reference.path` is set to the companion's
 *   `reference.attribute` (Terraform `kms_master_key_id = aws_kms_key.x.arn`; CloudFormation `!GetAtt Key.Arn`, or
 *   `!Ref Key` for the attribute `Ref`), together with the fix's `also` steps; the companion takes a name no resource
 *   uses yet, and is not offered where the setting already refers to a resource of `type`.
 * Properties are written with `properties`; in strings, `{resource}` stands for the resource's reference (Terraform
 * `aws_s3_bucket.x`, CloudFormation the logical id), and a string holding `${…}` is an interpolation (a Terraform
 * template string, a CloudFormation `Fn::Sub`). Never offered for a resource in a loop or under a condition.
 */
export interface CompanionIntent {
  type: string;
  via?: string;
  reference?: { path: string; attribute: string };
  properties: Record<string, DocumentValue>;
  /** Terraform: the properties that hold a JSON document, written `jsonencode({ … })`. */
  json?: string[];
  /** Settings of the resource whose presence means a companion would conflict with it. */
  unlessSet?: string[];
}

/** One target of a rule in one language. */
export interface Target {
  resources: string[];
  dataSources?: boolean;
  /**
   * Only resources whose stated API version (Bicep `@2018-02-01`) is earlier than `before`, for a setting whose
   * documented default changed with an API version; a resource that states none is skipped.
   */
  apiVersions?: { before: string };
  each?: string;
  unless?: Condition;
  when?: Condition;
  check?: true;
  message?: string;
  fix?: FixIntent;
  /**
   * Settings a new resource starts with when neither `fix` nor `when` says what a secure setting looks like (the
   * secure resource templates); a string written `<like this>` is a placeholder the user fills in.
   */
  template?: { path: string; value: Scalar | Scalar[] }[];
}

/** A validated rule. */
export interface Rule {
  id: string;
  aliases?: string[];
  deprecated?: boolean;
  title: string;
  severity: Severity;
  owner: Owner;
  layer: Layer;
  service: string;
  concept: string;
  tags?: string[];
  why: string;
  remediation: string;
  sources: string[];
  references: Partial<Record<'checkov' | 'trivy' | 'kics' | 'cfn-nag' | 'cfn-lint' | 'psrule' | 'bicep', string[]>>;
  compliance?: Record<string, string[]>;
  message: string;
  match: Partial<Record<Format, Target[]>>;
  /** Derived: the provider, from the id's first segment. */
  provider: Provider;
  /** Derived: the folder the rule was loaded from (relative to the rules root; absolute for a custom rule), for fixtures and docs. */
  folder: string;
  /** Whether the rule is a team's own, loaded from a folder that `.onus.yaml` names (never from the catalog). */
  isCustom?: boolean;
  /** The `check` exported by the folder's `rule.ts`, when a target uses `check: true`. */
  checkFunction?: CheckFunction;
}

/** Helpers for {@link Rule}. */
export namespace Rule {
  /** Whether any target of the rule has a fix. */
  export function isFixable(rule: Rule): boolean {
    return Object.values(rule.match).some((targets) => targets?.some((t) => t.fix !== undefined));
  }

  /** The resource types the rule targets, per language. */
  export function resourceTypes(rule: Rule): string[] {
    return [...new Set(Object.values(rule.match).flatMap((targets) => targets?.flatMap((t) => t.resources) ?? []))];
  }
}
