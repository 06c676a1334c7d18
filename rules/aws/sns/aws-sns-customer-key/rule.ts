/**
 * aws-sns-customer-key (Terraform): a topic whose `kms_master_key_id` names the AWS managed key, as the
 * `alias/aws/sns` alias (or its ARN) or through an `aws_kms_key`/`aws_kms_alias` data source of the module that
 * looks it up. A topic without a key is `aws-sns-encryption`'s concern; any other unknown value yields no finding.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value } from '../../../../server/src/model/types';
import { namesAwsManagedKey } from '../../secretsmanager/aws-secretsmanager-customer-key/rule';

export function check(ctx: CheckContext): void {
  const entry = Value.entry(ctx.resource.body, 'kms_master_key_id');
  if (entry && namesAwsManagedKey(entry, ctx.resource, ctx.model)) {
    ctx.report({ at: entry });
  }
}
