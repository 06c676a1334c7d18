/**
 * Fixes that add a companion the resource refers to (`fix.add.reference`): a KMS key added after a queue, and the
 * queue's key setting set to refer to it. Each case asserts the exact fixed text, that it re-parses, that the rule no
 * longer fires, and that a second fix-all adds nothing; and the cases where no fix may be offered (a loop, a
 * condition, a setting that may already refer to a key) or the companion must take another name.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { fixHarness } from '../support/fixHarness';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** A rule whose targets flag an SQS queue on the AWS managed key and fix it with a new key it refers to. */
const ruleSet: RuleSet = (() => {
  const yaml = `id: aws-sqs-test-key
title: A test rule for companions the resource refers to
severity: low
owner: customer
layer: data
service: aws/sqs
concept: test
why: A test rule that exercises companion fixes.
remediation: Use a key of your own.
sources: [https://example.com/docs]
references: {}
message: Queue uses the AWS managed key
match:
  terraform:
    - resources: [aws_sqs_queue]
      when: { path: kms_master_key_id, in: [alias/aws/sqs], missing: true }
      fix:
        title: Encrypt with a new key
        add:
          type: aws_kms_key
          reference: { path: kms_master_key_id, attribute: key_id }
          properties:
            description: "Encrypts {resource}"
            enable_key_rotation: true
        also:
          - set: { path: kms_data_key_reuse_period_seconds, value: 300, ifMissing: true }
  cloudformation:
    - resources: [AWS::SQS::Queue]
      when: { path: KmsMasterKeyId, in: [alias/aws/sqs], missing: true }
      fix:
        title: Encrypt with a new key
        add:
          type: AWS::KMS::Key
          reference: { path: KmsMasterKeyId, attribute: Arn }
          properties:
            EnableKeyRotation: true
            KeyPolicy:
              Statement:
                - Effect: Allow
                  Principal: { AWS: "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
                  Action: "kms:*"
                  Resource: "*"
`;
  const result = buildRuleSet([{ folder: 'aws/sqs/aws-sqs-test-key', yaml, check: undefined }], []);
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

const { findingsOf, fixed, assertFixes } = fixHarness(ruleSet);

describe('engine: fixes that add a companion the resource refers to', () => {
  it('Terraform: replaces the AWS managed key with a reference to a new key named like the queue', () => {
    const input = `resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = "alias/aws/sqs"
}
`;
    const [finding] = findingsOf('/m/main.tf', input);
    assert.equal(finding?.fix?.title, 'Encrypt with a new key');
    assertFixes(
      '/m/main.tf',
      input,
      `resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = aws_kms_key.orders.key_id
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_kms_key" "orders" {
  description         = "Encrypts aws_sqs_queue.orders"
  enable_key_rotation = true
}
`,
    );
  });

  it('Terraform: inserts the reference where the setting is missing, keeping an also step the user set', () => {
    const input = `resource "aws_sqs_queue" "orders" {
  kms_data_key_reuse_period_seconds = 60
}
`;
    assertFixes(
      '/m/main.tf',
      input,
      `resource "aws_sqs_queue" "orders" {
  kms_data_key_reuse_period_seconds = 60
  kms_master_key_id = aws_kms_key.orders.key_id
}

resource "aws_kms_key" "orders" {
  description         = "Encrypts aws_sqs_queue.orders"
  enable_key_rotation = true
}
`,
    );
  });

  it('Terraform: takes the next free name when a key of that name exists in another file of the module', () => {
    const input = `resource "aws_sqs_queue" "orders" {
  kms_master_key_id = "alias/aws/sqs"
}
`;
    const extra = {
      '/m/keys.tf': 'resource "aws_kms_key" "orders" {}\nresource "aws_kms_key" "orders_2" {}\n',
    };
    const once = fixed('/m/main.tf', input, extra);
    assert.match(once.text, /kms_master_key_id = aws_kms_key\.orders_3\.key_id/);
    assert.match(once.text, /resource "aws_kms_key" "orders_3" \{/);
    assert.deepEqual(once.remaining, []);
  });

  it('Terraform: a data source of the same type and name does not take the name', () => {
    const input = `data "aws_kms_key" "orders" {
  key_id = "alias/other"
}

resource "aws_sqs_queue" "orders" {
  kms_master_key_id = "alias/aws/sqs"
}
`;
    assert.match(fixed('/m/main.tf', input).text, /resource "aws_kms_key" "orders" \{/);
  });

  it('Terraform: no fix for a queue in a loop, or whose key setting holds a value the model cannot read', () => {
    const looped = `resource "aws_sqs_queue" "q" {
  count             = 2
  kms_master_key_id = "alias/aws/sqs"
}

resource "aws_sqs_queue" "each" {
  for_each = toset(["a"])
}
`;
    const findings = findingsOf('/m/main.tf', looped);
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => f.fix), [undefined, undefined]);
    // A reference may already be a key of the user's (here a variable the rule cannot read: no finding, no fix).
    const referenced = `variable "key" {}

resource "aws_sqs_queue" "q" {
  kms_master_key_id = var.key
}
`;
    assert.deepEqual(findingsOf('/m/main.tf', referenced), []);
  });

  it('Terraform: no second key where the setting already refers to another resource', () => {
    // A rule that flags something else on a queue, with the same fix: where the key setting is a reference (to a
    // key of the user's, or one a fix added before), adding a key would duplicate it.
    const reuse = buildRuleSet(
      [
        {
          folder: 'aws/sqs/aws-sqs-test-reuse',
          yaml: `id: aws-sqs-test-reuse
title: A test rule for companions the resource refers to
severity: low
owner: customer
layer: data
service: aws/sqs
concept: test
why: A test rule that exercises companion fixes.
remediation: Use a key of your own.
sources: [https://example.com/docs]
references: {}
message: Queue has no data key reuse period
match:
  terraform:
    - resources: [aws_sqs_queue]
      when: { path: kms_data_key_reuse_period_seconds, exists: false }
      fix:
        add:
          type: aws_kms_key
          reference: { path: kms_master_key_id, attribute: key_id }
          properties: { enable_key_rotation: true }
`,
          check: undefined,
        },
      ],
      [],
    ).ruleSet;
    const text = `resource "aws_kms_key" "mine" {}

resource "aws_sqs_queue" "referenced" {
  kms_master_key_id = aws_kms_key.mine.key_id
}

resource "aws_sqs_queue" "literal" {
  kms_master_key_id = "alias/aws/sqs"
}
`;
    const findings = analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': text }), { rules: reuse, today: '2026-06-01' }).findings;
    assert.deepEqual(
      findings.map((f) => [f.resource, f.fix !== undefined]),
      [
        ['aws_sqs_queue.referenced', false],
        ['aws_sqs_queue.literal', true],
      ],
    );
  });

  it('CloudFormation YAML block style: the reference is !GetAtt and the key follows the queue', () => {
    const input = `Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: 'alias/aws/sqs' # managed
  Other:
    Type: AWS::SNS::Topic
`;
    assertFixes(
      '/t/stack.yaml',
      input,
      `Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !GetAtt OrdersKey.Arn # managed
  OrdersKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
  Other:
    Type: AWS::SNS::Topic
`,
    );
  });

  it('CloudFormation YAML: a setting inserted at the end of the resource comes before the key (one edit)', () => {
    const input = `Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
`;
    const [finding] = findingsOf('/t/stack.yaml', input);
    assert.ok(finding?.fix);
    assert.equal(finding.fix.edits.length, 1);
    const text = applyEdits(input, finding.fix.edits);
    assert.match(text, /QueueName: orders\n {6}KmsMasterKeyId: !GetAtt OrdersKey\.Arn\n {2}OrdersKey:\n {4}Type: AWS::KMS::Key\n/);
  });

  it('CloudFormation YAML flow-style Properties: the reference goes into the flow mapping', () => {
    const input = `Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties: { QueueName: orders }
`;
    const once = fixed('/t/stack.yaml', input);
    assert.match(once.text, /Properties: \{ QueueName: orders, KmsMasterKeyId: !GetAtt OrdersKey\.Arn \}\n {2}OrdersKey:\n/);
    assert.deepEqual(once.remaining, []);
  });

  it('CloudFormation JSON: the reference is Fn::GetAtt and the key is written in the file indentation', () => {
    const input = `{
  "Resources": {
    "Orders": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "KmsMasterKeyId": "alias/aws/sqs"
      }
    }
  }
}
`;
    assertFixes(
      '/t/stack.json',
      input,
      `{
  "Resources": {
    "Orders": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "KmsMasterKeyId": { "Fn::GetAtt": ["OrdersKey", "Arn"] }
      }
    },
    "OrdersKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "EnableKeyRotation": true,
        "KeyPolicy": {
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {
                "AWS": {
                  "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"
                }
              },
              "Action": "kms:*",
              "Resource": "*"
            }
          ]
        }
      }
    }
  }
}
`,
    );
  });

  it('CloudFormation: a logical id used by a resource or a parameter is not taken', () => {
    const input = `Parameters:
  OrdersKey:
    Type: String
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
  OrdersKey2:
    Type: AWS::SNS::Topic
`;
    const once = fixed('/t/stack.yaml', input);
    assert.match(once.text, /KmsMasterKeyId: !GetAtt OrdersKey3\.Arn\n {2}OrdersKey3:\n {4}Type: AWS::KMS::Key\n/);
    assert.deepEqual(once.remaining, []);
  });

  it('CloudFormation: no fix for a queue under a condition; two queues get one key each', () => {
    const conditional = `Conditions:
  IsProd: !Equals [!Ref AWS::AccountId, '111122223333']
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      KmsMasterKeyId: alias/aws/sqs
`;
    const [finding] = findingsOf('/t/stack.yaml', conditional);
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
    const two = `Resources:
  A:
    Type: AWS::SQS::Queue
  B:
    Type: AWS::SQS::Queue
`;
    const once = fixed('/t/stack.yaml', two);
    assert.equal(once.text.match(/Type: AWS::KMS::Key/g)?.length, 2);
    assert.match(once.text, /KmsMasterKeyId: !GetAtt AKey\.Arn/);
    assert.match(once.text, /KmsMasterKeyId: !GetAtt BKey\.Arn/);
    assert.deepEqual(once.remaining, []);
  });

  it('CloudFormation YAML with a flow-style Resources mapping gets no fix', () => {
    const input = `Resources: { Orders: { Type: AWS::SQS::Queue, Properties: { KmsMasterKeyId: alias/aws/sqs } } }
`;
    const [finding] = findingsOf('/t/stack.yaml', input);
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
  });
});
