/**
 * Fixes that give a policy statement the account itself as its principal instead of everyone
 * (`fix.accountPrincipal`): `Principal: "*"` becomes `{ AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }`,
 * `AWS: "*"` the account root ARN, and a `"*"` listed beside other principals is removed; in YAML block and flow
 * style and JSON. Each case asserts the exact fixed text, that it re-parses, that the rule no longer fires, and that
 * a second fix-all changes nothing; and the cases where no fix may be offered (a principal from a parameter's
 * default or behind a condition).
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { fixHarness } from '../support/fixHarness';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** A rule that flags queue policy statements allowing everyone, fixed by naming the account instead. */
const ruleSet: RuleSet = (() => {
  const yaml = `id: aws-sqs-test-public
title: A test rule for account principals
severity: high
owner: customer
layer: identity
service: aws/sqs
concept: test
why: A test rule that exercises account principal fixes.
remediation: Name the principals.
sources: [https://example.com/docs]
references: {}
message: Statement allows everyone
match:
  cloudformation:
    - resources: [AWS::SQS::QueuePolicy]
      each: PolicyDocument.Statement
      when:
        all:
          - any:
              - { path: Principal, equals: "*" }
              - { path: Principal.AWS, equals: "*" }
              - { path: Principal.AWS.*, equals: "*" }
          - { path: Effect, equals: Allow }
      fix:
        title: Allow only principals of this account
        accountPrincipal: true
`;
  const result = buildRuleSet([{ folder: 'aws/sqs/aws-sqs-test-public', yaml, check: undefined }], []);
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

const { findingsOf, assertFixes } = fixHarness(ruleSet);

const header = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
`;

describe('engine: fixes that give a policy statement the account as its principal', () => {
  it('CloudFormation YAML block style: everyone, AWS everyone, and a "*" listed beside another principal', () => {
    const input = `${header}          - Effect: Allow
            Principal: "*"
            Action: sqs:SendMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS: "*"
            Action: sqs:ReceiveMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS:
                - arn:aws:iam::111122223333:root
                - "*"
            Action: sqs:DeleteMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS:
                - "*"
            Action: sqs:GetQueueAttributes
            Resource: "*"
`;
    const [finding] = findingsOf('/t/q.yaml', input);
    assert.equal(finding?.fix?.title, 'Allow only principals of this account');
    assertFixes(
      '/t/q.yaml',
      input,
      `${header}          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: sqs:SendMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"
            Action: sqs:ReceiveMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS:
                - arn:aws:iam::111122223333:root
            Action: sqs:DeleteMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"
            Action: sqs:GetQueueAttributes
            Resource: "*"
`,
    );
  });

  it('CloudFormation YAML flow style keeps its style', () => {
    const input = `${header}          - { Effect: Allow, Principal: { AWS: ["*", "arn:aws:iam::111122223333:root"] }, Action: "sqs:*", Resource: "*" }
          - { Effect: Allow, Principal: "*", Action: "sqs:*", Resource: "*" }
`;
    assertFixes(
      '/t/q.yaml',
      input,
      `${header}          - { Effect: Allow, Principal: { AWS: ["arn:aws:iam::111122223333:root"] }, Action: "sqs:*", Resource: "*" }
          - { Effect: Allow, Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }, Action: "sqs:*", Resource: "*" }
`,
    );
  });

  it('CloudFormation JSON: Fn::Sub objects', () => {
    const input = `{
  "Resources": {
    "QueuePolicy": {
      "Type": "AWS::SQS::QueuePolicy",
      "Properties": {
        "Queues": ["https://sqs.example/q"],
        "PolicyDocument": {
          "Statement": [
            { "Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*" },
            { "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sqs:*", "Resource": "*" }
          ]
        }
      }
    }
  }
}
`;
    assertFixes(
      '/t/q.json',
      input,
      `{
  "Resources": {
    "QueuePolicy": {
      "Type": "AWS::SQS::QueuePolicy",
      "Properties": {
        "Queues": ["https://sqs.example/q"],
        "PolicyDocument": {
          "Statement": [
            { "Effect": "Allow", "Principal": { "AWS": { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" } }, "Action": "sqs:*", "Resource": "*" },
            { "Effect": "Allow", "Principal": { "AWS": { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" } }, "Action": "sqs:*", "Resource": "*" }
          ]
        }
      }
    }
  }
}
`,
    );
  });

  it('no fix for a principal from a parameter default or behind a condition', () => {
    const input = `Parameters:
  Who:
    Type: String
    Default: "*"
Conditions:
  IsOpen: !Equals [!Ref "AWS::Region", us-east-1]
${header}          - Effect: Allow
            Principal: !Ref Who
            Action: sqs:SendMessage
            Resource: "*"
          - Effect: Allow
            Principal:
              AWS: !If [IsOpen, "*", arn:aws:iam::111122223333:root]
            Action: sqs:SendMessage
            Resource: "*"
`;
    const findings = findingsOf('/t/q.yaml', input);
    assert.equal(findings.length, 2);
    assert.deepEqual(
      findings.map((f) => f.fix),
      [undefined, undefined],
    );
  });

  it('with statements (a target without each): every statement allowing everyone without a Condition, no other', () => {
    const keyRules = buildRuleSet(
      [
        {
          folder: 'aws/kms/aws-kms-test-public',
          yaml: `id: aws-kms-test-public
title: A test rule for account principals over a statement list
severity: high
owner: customer
layer: identity
service: aws/kms
concept: test
why: A test rule for statement lists in key policies.
remediation: Name the principals.
sources: [https://example.com/docs]
references: {}
message: Key policy allows everyone
match:
  cloudformation:
    - resources: [AWS::KMS::Key]
      when: { path: KeyPolicy.Statement.Principal, equals: "*" }
      fix:
        accountPrincipal: { statements: KeyPolicy.Statement }
`,
          check: undefined,
        },
      ],
      [],
    );
    assert.deepEqual(keyRules.errors, []);
    const input = `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal: "*"
            Action: kms:Decrypt
            Resource: "*"
            Condition:
              StringEquals:
                kms:CallerAccount: "111122223333"
          - Effect: Deny
            Principal: "*"
            Action: kms:ScheduleKeyDeletion
            Resource: "*"
`;
    const analysis = analyzeUnitOf('/t/k.yaml', memoryFileSystem({ '/t/k.yaml': input }), { rules: keyRules.ruleSet, today: '2026-06-01' });
    const fix = analysis.findings[0]?.fix;
    assert.equal(fix?.title, 'Allow only principals of this account');
    assert.equal(fix.edits.length, 1);
    assert.equal(fix.edits[0]!.newText, '{ AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }');
    assert.equal(input.slice(fix.edits[0]!.span.start, fix.edits[0]!.span.end), '"*"');
    assert.equal(input.lastIndexOf('Principal: "*"', fix.edits[0]!.span.start), input.indexOf('Principal: "*"'));
  });
});
