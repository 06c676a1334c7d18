/**
 * aws-opensearch-public-policy: an OpenSearch (or Elasticsearch) domain access policy statement that allows any
 * principal (`"*"` or `{"AWS": "*"}`) without a condition that scopes it. The `access_policies` attribute is read
 * exactly like a bucket policy (JSON text, a partly known `jsonencode(...)`, or the `aws_iam_policy_document` it refers
 * to), so the judgement is the S3 rule's.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value } from '../../../../server/src/model/types';
import { isPublicPolicy } from '../../s3/aws-s3-public-policy/rule';

export function check(ctx: CheckContext): void {
  const entry = Value.entry(ctx.resource.body, 'access_policies');
  if (entry && isPublicPolicy(entry, ctx.resource, ctx.model)) {
    ctx.report({ at: entry });
  }
}
