/**
 * aws-kms-key-policy-public: a key policy statement that allows any principal without a condition that scopes it,
 * judged like a public bucket policy (`aws-s3-public-policy`). Terraform's `policy` (on `aws_kms_key` and
 * `aws_kms_key_policy`) and CloudFormation's `KeyPolicy` (an object or JSON text) are read; an absent policy is
 * KMS's default policy, which trusts only the key's account.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value } from '../../../../server/src/model/types';
import { isPublicPolicy } from '../../s3/aws-s3-public-policy/rule';

export function check(ctx: CheckContext): void {
  const entry = Value.entry(ctx.resource.body, 'policy') ?? Value.entry(ctx.resource.body, 'KeyPolicy');
  if (entry && isPublicPolicy(entry, ctx.resource, ctx.model)) {
    ctx.report({ at: entry });
  }
}
