/**
 * aws-codebuild-customer-key (Terraform): a project whose `encryption_key` is absent (CodeBuild then encrypts its
 * artifacts with the AWS managed key for S3) or names an AWS managed key; read like the Secrets Manager rule's key.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { reportAwsManagedKey } from '../../secretsmanager/aws-secretsmanager-customer-key/rule';

export function check(ctx: CheckContext): void {
  reportAwsManagedKey(ctx, 'encryption_key');
}
