/**
 * aws-s3-public-policy: a bucket policy statement that allows any principal (`"*"` or `{"AWS": "*"}`) without a
 * condition that scopes it (one on a key Amazon S3 counts as limiting a policy to non-public access, such as
 * aws:SourceArn, aws:SourceVpce or aws:SourceIp; a condition on aws:Referer or aws:SecureTransport alone does not). The policy is read from the JSON text the model gives for `jsonencode(...)` and heredocs, or from the
 * statements of the `aws_iam_policy_document` data source it refers to. Anything the model cannot resolve yields no
 * finding.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Entry, type Model, type Resource } from '../../../../server/src/model/types';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a policy `Principal` names everyone: `"*"`, `{"AWS": "*"}` or `{"AWS": [..., "*"]}`. */
function isEveryone(principal: unknown): boolean {
  if (principal === '*') {
    return true;
  }
  if (!isObject(principal)) {
    return false;
  }
  const aws = principal['AWS'];
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * Condition keys that limit a statement for everyone to known callers: the keys Amazon S3 accepts as making a policy
 * non-public (fixed source ARN, account, owner, VPC, VPC endpoint, CIDR, KMS key id, user id) and the principal's
 * own organization, account or ARN, and for key policies the caller's account (kms:CallerAccount, which AWS managed
 * key policies pair with Principal "*"). Lower case, as IAM compares condition keys case-insensitively.
 */
const SCOPING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:userid',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  'kms:calleraccount',
]);

/** Whether a condition key scopes a statement for everyone (see SCOPING_KEYS). */
export function isScopingConditionKey(key: string): boolean {
  return SCOPING_KEYS.has(key.toLowerCase());
}

/** Whether a statement's `Condition` ({operator: {key: value}}) tests a scoping key; a non-object counts as scoping. */
function conditionScopes(condition: unknown): boolean {
  if (condition === undefined) {
    return false;
  }
  if (!isObject(condition)) {
    return true;
  }
  return Object.values(condition).some(
    (test) => !isObject(test) || Object.keys(test).some((key) => isScopingConditionKey(key)),
  );
}

/** Whether a parsed policy document has an Allow statement for everyone that no Condition scopes. */
function hasPublicStatement(document: unknown): boolean {
  if (!isObject(document)) {
    return false;
  }
  const raw = document['Statement'];
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  return statements.some((s) => {
    if (!isObject(s) || s['Effect'] !== 'Allow' || !isEveryone(s['Principal'])) {
      return false;
    }
    return !conditionScopes(s['Condition']);
  });
}

/** Parses a policy's JSON text; undefined when it is not JSON. */
function parsePolicy(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Whether an `aws_iam_policy_document` data source has an Allow statement whose principals include everyone and
 * which no condition on a scoping key limits. Unknown parts (an effect, identifiers or a condition's variable from a
 * variable) count as not public.
 */
function documentIsPublic(document: Resource): boolean {
  return Value.entries(document.body, 'statement').some((statement) => {
    const effect = Value.entry(statement.value, 'effect');
    if (effect && !Value.isScalar(effect.value, 'Allow')) {
      return false;
    }
    const scoped = Value.entries(statement.value, 'condition').some((condition) => {
      const variable = Value.entry(condition.value, 'variable')?.value;
      return variable?.kind !== 'scalar' || typeof variable.value !== 'string' || isScopingConditionKey(variable.value);
    });
    if (scoped) {
      return false;
    }
    return Value.entries(statement.value, 'principals').some((principals) => {
      const type = Value.entry(principals.value, 'type')?.value;
      const identifiers = Value.entry(principals.value, 'identifiers')?.value;
      const isOpenType = Value.isScalar(type, '*') || Value.isScalar(type, 'AWS');
      return isOpenType && identifiers?.kind === 'array' && identifiers.items.some((i) => Value.isScalar(i, '*'));
    });
  });
}

/** The policy-document data sources of the same module that an unknown `policy` value refers to. */
function referencedDocuments(references: string[], resource: Resource, model: Model): Resource[] {
  const module = resource.modulePath.join('/');
  return model.resources.filter(
    (r) =>
      r.kind === 'data' &&
      r.type === 'aws_iam_policy_document' &&
      r.modulePath.join('/') === module &&
      references.some((ref) => ref === r.address || ref.startsWith(`${r.address}.`) || ref.startsWith(`${r.address}[`)),
  );
}

/**
 * Whether the value of a resource policy attribute (Terraform `policy`, or a CloudFormation policy document written
 * as an object or as JSON text) allows everyone without a scoping condition.
 */
export function isPublicPolicy(entry: Entry, resource: Resource, model: Model): boolean {
  const value = entry.value;
  if (value.kind === 'object') {
    return hasPublicStatement(Value.toPartialPlain(value, Symbol('unknown')));
  }
  if (value.kind === 'scalar') {
    return typeof value.value === 'string' && hasPublicStatement(parsePolicy(value.value));
  }
  if (value.kind === 'unknown' && value.partial) {
    // A partly known jsonencode(...): an unknown Effect, Principal or Condition never counts as public.
    const unknownPart = Symbol('unknown');
    return hasPublicStatement(Value.toPartialPlain(value.partial, unknownPart));
  }
  if (value.kind === 'unknown') {
    return referencedDocuments(value.references, resource, model).some(documentIsPublic);
  }
  return false;
}

/** Reports the `policy` attribute of an `aws_s3_bucket_policy` (or a legacy inline `aws_s3_bucket` policy). */
export function check(ctx: CheckContext): void {
  const entry = Value.entry(ctx.resource.body, 'policy');
  if (entry && isPublicPolicy(entry, ctx.resource, ctx.model)) {
    ctx.report({ at: entry });
  }
}
