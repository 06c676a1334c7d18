/**
 * Where a finding's one-line hint starts in its rule's remediation: advice about another language's resources is
 * skipped, a first sentence that names no language is kept (later ones lean on it).
 */
import * as assert from 'node:assert/strict';
import { remediationFor, sentencesOf } from '../../server/src/engine/remediation';

const TERRAFORM_FIRST =
  'Add an aws_s3_bucket_versioning resource with status "Enabled". Versioning costs storage for old versions. ' +
  'In CloudFormation, set VersioningConfiguration: { Status: Enabled } on the AWS::S3::Bucket.';
const GENERAL_FIRST =
  'Allow SSH only from known address ranges. In CloudFormation, the same applies to AWS::EC2::SecurityGroupIngress resources.';
const AZURE = "Set minimumTlsVersion to 'TLS1_2' in Bicep. In azurerm, set min_tls_version = \"TLS1_2\".";

describe('remediation hints per language', () => {
  it('splits sentences at a stop followed by a space, not inside "TLS 1.0" or "0.0.0.0/0"', () => {
    assert.deepEqual(sentencesOf('Block 0.0.0.0/0 and TLS 1.0. Then  redeploy'), ['Block 0.0.0.0/0 and TLS 1.0.', 'Then redeploy']);
  });

  it('a CloudFormation finding starts at the CloudFormation sentence when the first one is about Terraform resources', () => {
    assert.equal(remediationFor(TERRAFORM_FIRST, 'cloudformation')[0], 'In CloudFormation, set VersioningConfiguration: { Status: Enabled } on the AWS::S3::Bucket.');
    assert.equal(remediationFor(TERRAFORM_FIRST, 'terraform')[0], 'Add an aws_s3_bucket_versioning resource with status "Enabled".');
  });

  it('keeps a first sentence that names no language', () => {
    assert.deepEqual(remediationFor(GENERAL_FIRST, 'cloudformation'), sentencesOf(GENERAL_FIRST));
    assert.deepEqual(remediationFor(GENERAL_FIRST, 'terraform'), sentencesOf(GENERAL_FIRST));
  });

  it('Bicep and Terraform readers each start at their own sentence', () => {
    assert.equal(remediationFor(AZURE, 'bicep')[0], "Set minimumTlsVersion to 'TLS1_2' in Bicep.");
    assert.equal(remediationFor(AZURE, 'terraform')[0], 'In azurerm, set min_tls_version = "TLS1_2".');
  });
});
