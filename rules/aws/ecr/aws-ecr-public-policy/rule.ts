/**
 * aws-ecr-public-policy: an ECR repository policy statement that allows any principal (`"*"` or `{"AWS": "*"}`)
 * without a condition. A repository policy is read exactly like a bucket policy (the `policy` attribute's JSON text,
 * a partly known `jsonencode(...)`, or the `aws_iam_policy_document` it refers to), so the check is the S3 rule's.
 */
export { check } from '../../s3/aws-s3-public-policy/rule';
