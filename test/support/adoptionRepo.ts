/**
 * The repository of issue 11's "done when", tried as a new user would: a `.onus.yaml` that disables one rule and
 * raises another's severity, a finding suppressed with a reason, an expired suppression, a `checkov:skip` comment and
 * a custom rule. The CLI test (`onus scan`) and the protocol test (the editor) both check it against
 * {@link ADOPTION_EXPECTED}, so the two agree by construction.
 */

/** A custom rule: every S3 bucket names its cost center. */
export const COST_CENTER_RULE = `id: aws-s3-acme-cost-center
title: S3 bucket names its cost center
severity: low
owner: customer
layer: data
service: aws/s3
concept: cost-allocation
tags: [acme]
why: >-
  Acme charges storage back to the owning team by the cost-center tag; a bucket without one lands on the platform
  team's bill and nobody reviews who may read it.
remediation: Add a cost-center tag naming the owning team's cost center.
sources: [https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html]
references: {}
message: S3 bucket has no cost-center tag
match:
  terraform:
    - resources: [aws_s3_bucket]
      when: { path: tags.cost-center, exists: false }
`;

/** The repository's Terraform module. */
export const ADOPTION_MAIN_TF = `# onus:ignore aws-s3-public-acl public website assets, reviewed by security
resource "aws_s3_bucket" "site" {
  bucket = "site"
  acl    = "public-read"
  tags   = { cost-center = "cc-web" }
}

# onus:ignore aws-s3-versioning until=2024-12-31 migration bucket, deleted after cutover
resource "aws_s3_bucket" "migration" {
  bucket = "migration"
}

resource "aws_s3_bucket" "archive" {
  #checkov:skip=CKV_AWS_21:versioned by the backup vault
  bucket = "archive"
  tags   = { cost-center = "cc-data" }
}
`;

/** The repository, by path relative to its root (`.git/HEAD` marks the root, where the search for `.onus.yaml` stops). */
export const ADOPTION_FILES: Record<string, string> = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.onus.yaml': `rules:
  disabled: [aws-s3-access-logging]
  severity: { aws-s3-encryption-customer-key: high }
customRules: [.onus/rules]
`,
  '.onus/rules/aws-s3-acme-cost-center/rule.yaml': COST_CENTER_RULE,
  '.onus/rules/aws-s3-acme-cost-center/fixtures/terraform/good/tagged.tf': `resource "aws_s3_bucket" "b" {\n  tags = { cost-center = "cc-1" }\n}\n`,
  '.onus/rules/aws-s3-acme-cost-center/fixtures/terraform/bad/untagged.tf': `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n`,
  '.onus/rules/aws-s3-acme-cost-center/fixtures/terraform/bad/untagged.findings':
    '1:1-1:31 aws-s3-acme-cost-center low S3 bucket has no cost-center tag\n',
  'main.tf': ADOPTION_MAIN_TF,
};

/**
 * What a user sees in `main.tf`, as `line:column rule-id severity` (1-based; for a problem with a suppression, its
 * level): every finding still reported and every problem with a suppression, in position order.
 * - `aws-s3-access-logging` is disabled by `.onus.yaml`: never reported.
 * - `aws-s3-encryption-customer-key` (low in the catalog) is raised to high.
 * - `aws-s3-public-acl` on `site` is suppressed with a reason: not reported.
 * - `aws-s3-versioning` on `migration` was suppressed until 2024-12-31: reported again, and the comment says so.
 * - `aws-s3-versioning` on `archive` is honoured through checkov's `CKV_AWS_21`: not reported.
 * - the custom rule reports `migration`, the only bucket without a cost-center tag.
 */
export const ADOPTION_EXPECTED: readonly string[] = [
  '2:1 aws-s3-bucket-public-access-block medium',
  '2:1 aws-s3-encryption-customer-key high',
  '2:1 aws-s3-secure-transport medium',
  '2:1 aws-s3-versioning medium',
  '8:1 onus-suppression-expired note',
  '9:1 aws-s3-acme-cost-center low',
  '9:1 aws-s3-bucket-public-access-block medium',
  '9:1 aws-s3-encryption-customer-key high',
  '9:1 aws-s3-secure-transport medium',
  '9:1 aws-s3-versioning medium',
  '13:1 aws-s3-bucket-public-access-block medium',
  '13:1 aws-s3-encryption-customer-key high',
  '13:1 aws-s3-secure-transport medium',
];

/** The suppressed findings of `main.tf`, as `line:column rule-id reason [source]`. */
export const ADOPTION_SUPPRESSED: readonly string[] = [
  '4:12 aws-s3-public-acl public website assets, reviewed by security [onus:ignore]',
  '13:1 aws-s3-versioning versioned by the backup vault [checkov]',
];
