/**
 * aws-secretsmanager-customer-key (Terraform): a secret whose `kms_key_id` is absent (Secrets Manager then uses the
 * AWS managed key `aws/secretsmanager`) or names an AWS managed key, written as an `alias/aws/...` alias (or its ARN)
 * or looked up through an `aws_kms_key`/`aws_kms_alias` data source of the same module whose literal key id or name
 * is such an alias. Any other unknown value yields no finding. `reportAwsManagedKey` is shared with other rules whose
 * resources take a key the same way.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Entry, type Model, type Resource } from '../../../../server/src/model/types';

/** An AWS managed key's alias (`alias/aws/s3`) or that alias's ARN. */
const AWS_MANAGED_ALIAS = /^(arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//;

function isAwsManagedAlias(value: Value | undefined): boolean {
  return value?.kind === 'scalar' && typeof value.value === 'string' && AWS_MANAGED_ALIAS.test(value.value);
}

/** Whether an unknown key value refers to a KMS data source of the module that looks up an AWS managed alias. */
function refersToAwsManagedLookup(references: string[], resource: Resource, model: Model): boolean {
  const module = resource.modulePath.join('/');
  return model.resources.some(
    (r) =>
      r.kind === 'data' &&
      (r.type === 'aws_kms_key' || r.type === 'aws_kms_alias') &&
      r.modulePath.join('/') === module &&
      references.some((ref) => ref === r.address || ref.startsWith(`${r.address}.`)) &&
      isAwsManagedAlias(Value.entry(r.body, r.type === 'aws_kms_key' ? 'key_id' : 'name')?.value),
  );
}

/** Whether a key attribute names an AWS managed key, literally or through a KMS data source of the module. */
export function namesAwsManagedKey(entry: Entry, resource: Resource, model: Model): boolean {
  const value = entry.value;
  return isAwsManagedAlias(value) || (value.kind === 'unknown' && refersToAwsManagedLookup(value.references, resource, model));
}

/** Reports the resource when `attribute` is absent, or the attribute when it names an AWS managed key. */
export function reportAwsManagedKey(ctx: CheckContext, attribute: string): void {
  const entry: Entry | undefined = Value.entry(ctx.resource.body, attribute);
  if (!entry) {
    ctx.report({});
  } else if (namesAwsManagedKey(entry, ctx.resource, ctx.model)) {
    ctx.report({ at: entry });
  }
}

export function check(ctx: CheckContext): void {
  reportAwsManagedKey(ctx, 'kms_key_id');
}
