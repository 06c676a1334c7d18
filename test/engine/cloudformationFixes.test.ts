/**
 * The CloudFormation fix renderer at its boundary: a rule with a `set`/`remove` fix, a template as text, the edits
 * applied. Each case asserts the exact fixed text, that it re-parses without syntax errors, that the rule no longer
 * fires, and that fixing again changes nothing (YAML block and flow style, JSON, CRLF, missing `Properties`, nested
 * inserts, quotes and comments kept).
 */
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { evaluateRules, type RawFinding } from '../../server/src/engine/evaluate';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import { cloudFormationRenderer } from '../../server/src/engine/renderers/cloudformation';
import type { Rule } from '../../server/src/engine/rule';
import { lowerCloudFormationTemplate } from '../../server/src/model/cloudformation/template';
import { renderYamlScalar } from '../../server/src/parse/cloudformation/edit';

/** A rule with one CloudFormation target (`match` is the target's YAML, indented by four spaces). */
function rule(id: string, target: string): Rule {
  const yaml = `id: ${id}
title: A test rule for the CloudFormation renderer
severity: high
owner: customer
layer: data
service: aws/s3
concept: test
why: A test rule that exercises the CloudFormation fix renderer.
remediation: Do the secure thing.
sources: [https://example.com/docs]
references: {}
message: Not secure
match:
  cloudformation:
${target}`;
  const result = buildRuleSet([{ folder: `aws/s3/${id}`, yaml, check: undefined }], []);
  assert.deepEqual(result.errors, []);
  return result.ruleSet.rules[0]!;
}

const versioning = rule(
  'aws-s3-test-versioning',
  `    - resources: [AWS::S3::Bucket]
      when: { path: VersioningConfiguration.Status, notEquals: Enabled, missing: true }
      fix: { set: { path: VersioningConfiguration.Status, value: Enabled } }
`,
);

const encryption = rule(
  'aws-s3-test-encryption',
  `    - resources: [AWS::S3::Bucket]
      when:
        path: BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm
        notIn: [AES256, aws:kms, aws:kms:dsse]
        missing: true
      fix:
        set:
          path: BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm
          value: AES256
`,
);

const ports = rule(
  'aws-ec2-test-list',
  `    - resources: [AWS::EC2::Instance]
      when: { path: SecurityGroups, isEmpty: true, missing: true }
      fix: { set: { path: SecurityGroups, value: [sg-1, "a: b"] } }
`,
);

const tls = rule(
  'aws-test-tls',
  `    - resources: [AWS::OpenSearchService::Domain]
      when: { path: DomainEndpointOptions.TLSSecurityPolicy, notEquals: Policy-Min-TLS-1-2-2019-07, missing: true }
      fix: { set: { path: DomainEndpointOptions.TLSSecurityPolicy, value: Policy-Min-TLS-1-2-2019-07 } }
`,
);

const removal = rule(
  'aws-test-remove',
  `    - resources: [AWS::S3::Bucket]
      when: { path: AccessControl, exists: true }
      fix: { remove: { path: AccessControl } }
`,
);

const tagged = rule(
  'aws-test-true',
  `    - resources: [AWS::RDS::DBInstance]
      when: { path: StorageEncrypted, notEquals: true, missing: true }
      fix: { set: { path: StorageEncrypted, value: true } }
`,
);

/** The findings of one rule on a template, with the CloudFormation renderer. */
/** A fix of several steps: the setting, the one it requires in the same mapping, and a conflicting one removed. */
const streamEncryption = rule(
  'aws-s3-test-several',
  `    - resources: [AWS::Kinesis::Stream]
      when: { path: StreamEncryption.EncryptionType, notEquals: KMS, missing: true }
      fix:
        set: { path: StreamEncryption.EncryptionType, value: KMS }
        also:
          - set: { path: StreamEncryption.KeyId, value: alias/aws/kinesis }
          - remove: { path: Legacy }
`,
);

/** A fix that sets one key and removes the key it conflicts with, per item of a list. */
const allRegions = rule(
  'aws-s3-test-all-regions',
  `    - resources: [AWS::Config::ConfigurationAggregator]
      each: AccountAggregationSources
      when: { path: AllAwsRegions, notEquals: true, missing: true }
      fix:
        set: { path: AllAwsRegions, value: true }
        also:
          - remove: { path: AwsRegions }
`,
);

/** A fix that removes the list item `each` selected (an ingress rule open to the internet). */
const openIngress = rule(
  'aws-ec2-test-open-ingress',
  `    - resources: [AWS::EC2::SecurityGroup]
      each: SecurityGroupIngress
      when: { path: CidrIp, equals: 0.0.0.0/0 }
      fix: { removeEach: true }
`,
);

/** A fix that removes the mapping `each` selected (a remote access block). */
const remoteAccess = rule(
  'aws-eks-test-remote-access',
  `    - resources: [AWS::EKS::Nodegroup]
      each: RemoteAccess
      when: { path: SourceSecurityGroups, exists: false }
      fix: { removeEach: true }
`,
);

function findings(file: string, text: string, r: Rule): RawFinding[] {
  const model = lowerCloudFormationTemplate(file, text);
  return evaluateRules([r], model, {
    renderers: { cloudformation: cloudFormationRenderer },
    textOf: (f) => (f === file ? text : undefined),
  });
}

/** Applies every fix of the rule once. */
function fixAll(file: string, text: string, r: Rule): string {
  const edits = findings(file, text, r).flatMap((f) => f.fix?.edits ?? []);
  return applyEdits(text, edits);
}

interface Case {
  name: string;
  file?: string;
  rule: Rule;
  input: string;
  expected: string;
}

const cases: Case[] = [
  {
    name: 'YAML block: replaces a plain scalar',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Suspended
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
  },
  {
    name: 'YAML block: keeps single quotes and a trailing comment',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: 'Suspended' # for now
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: 'Enabled' # for now
`,
  },
  {
    name: 'YAML block: replaces a Ref to a parameter default at the Ref',
    rule: versioning,
    input: `Parameters:
  S:
    Type: String
    Default: Suspended
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !Ref S
`,
    expected: `Parameters:
  S:
    Type: String
    Default: Suspended
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
  },
  {
    name: 'YAML block: fills a key that has no value yet',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status:
      BucketName: x
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
      BucketName: x
`,
  },
  {
    name: 'YAML block: replaces the taken branch of an Fn::If',
    rule: versioning,
    input: `Conditions:
  IsProd: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Suspended]
`,
    expected: `Conditions:
  IsProd: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Enabled]
`,
  },
  {
    name: 'YAML block: inserts into a nested mapping whose key line has a comment',
    rule: tls,
    input: `Transform: AWS::Serverless-2016-10-31
Resources:
  D:
    Type: AWS::OpenSearchService::Domain
    Properties:
      DomainEndpointOptions: # endpoint
        EnforceHTTPS: true
      ClusterConfig:
        InstanceCount: 1
`,
    expected: `Transform: AWS::Serverless-2016-10-31
Resources:
  D:
    Type: AWS::OpenSearchService::Domain
    Properties:
      DomainEndpointOptions: # endpoint
        EnforceHTTPS: true
        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07
      ClusterConfig:
        InstanceCount: 1
`,
  },
  {
    name: 'YAML block: inserts a nested mapping after the last property, four-space indentation, comment kept',
    rule: versioning,
    input: `Resources:
    B:
        Type: AWS::S3::Bucket
        Properties:
            BucketName: logs # the name
    # a comment after the resource
`,
    expected: `Resources:
    B:
        Type: AWS::S3::Bucket
        Properties:
            BucketName: logs # the name
            VersioningConfiguration:
                Status: Enabled
    # a comment after the resource
`,
  },
  {
    name: 'YAML block: inserts into an existing nested mapping',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        MfaDelete: Disabled
      BucketName: x
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        MfaDelete: Disabled
        Status: Enabled
      BucketName: x
`,
  },
  {
    name: 'YAML block: adds Properties when the resource has none',
    rule: versioning,
    input: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  B:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
  C:
    Type: AWS::S3::Bucket
`,
    expected: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  B:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      VersioningConfiguration:
        Status: Enabled
  C:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
  },
  {
    name: 'YAML block: fills an empty Properties key',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: ~
  C:
    Type: AWS::S3::Bucket
    Properties:
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
  C:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
  },
  {
    name: 'YAML block: inserts the whole nested structure',
    rule: encryption,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: x
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: x
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          ServerSideEncryptionByDefault:
            SSEAlgorithm: AES256
`,
  },
  {
    name: 'YAML block: a list value in block style, quoted where needed',
    rule: ports,
    input: `Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
`,
    expected: `Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      SecurityGroups:
        - sg-1
        - 'a: b'
`,
  },
  {
    name: 'YAML block: a value with dashes and digits stays plain',
    rule: tls,
    input: `Resources:
  D:
    Type: AWS::OpenSearchService::Domain
    Properties:
      DomainEndpointOptions:
        TLSSecurityPolicy: Policy-Min-TLS-1-0-2019-07
`,
    expected: `Resources:
  D:
    Type: AWS::OpenSearchService::Domain
    Properties:
      DomainEndpointOptions:
        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07
`,
  },
  {
    name: 'YAML block: a block collection value moves up after its key',
    rule: tagged,
    input: `Resources:
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted:
        - false
      Engine: mysql
`,
    expected: `Resources:
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: true
      Engine: mysql
`,
  },
  {
    name: 'YAML flow: replaces inside a flow mapping',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: { Status: Suspended }
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: { Status: Enabled }
`,
  },
  {
    name: 'YAML flow: inserts into a flow mapping',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: { BucketName: x, Tags: [{ Key: a, Value: b }] }
  C:
    Type: AWS::S3::Bucket
    Properties: { VersioningConfiguration: {} }
  D: { Type: "AWS::S3::Bucket" }
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: { BucketName: x, Tags: [{ Key: a, Value: b }], VersioningConfiguration: { Status: Enabled } }
  C:
    Type: AWS::S3::Bucket
    Properties: { VersioningConfiguration: { Status: Enabled } }
  D: { Type: "AWS::S3::Bucket", Properties: { VersioningConfiguration: { Status: Enabled } } }
`,
  },
  {
    name: 'YAML flow: a multi-line flow mapping keeps one entry per line',
    rule: versioning,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: {
      BucketName: x,
    }
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: {
      BucketName: x,
      VersioningConfiguration: { Status: Enabled },
    }
`,
  },
  {
    name: 'YAML: CRLF line endings are kept',
    rule: encryption,
    input: 'Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: x\r\n',
    expected:
      'Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: x\r\n' +
      '      BucketEncryption:\r\n        ServerSideEncryptionConfiguration:\r\n' +
      '          ServerSideEncryptionByDefault:\r\n            SSEAlgorithm: AES256\r\n',
  },
  {
    name: 'YAML: the booleans are written plain',
    rule: tagged,
    input: `Resources:
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: "false"
  E:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql`,
    expected: `Resources:
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: true
  E:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      StorageEncrypted: true`,
  },
  {
    name: 'YAML: removes a property line',
    rule: removal,
    input: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead # bad
      BucketName: x
  C:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  D:
    Type: AWS::S3::Bucket
    Properties: { BucketName: y, AccessControl: PublicRead }
`,
    expected: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: x
  C:
    Type: AWS::S3::Bucket
    Properties: {}
  D:
    Type: AWS::S3::Bucket
    Properties: { BucketName: y }
`,
  },
  {
    name: 'JSON: replaces a value',
    file: 't.json',
    rule: versioning,
    input: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": { "Status": "Suspended" }
      }
    }
  }
}
`,
    expected: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": { "Status": "Enabled" }
      }
    }
  }
}
`,
  },
  {
    name: 'JSON: inserts nested objects with the file\'s indentation and commas',
    file: 't.json',
    rule: encryption,
    input: `{
    "Resources": {
        "B": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": "x"
            }
        }
    }
}
`,
    expected: `{
    "Resources": {
        "B": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": "x",
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": {
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "AES256"
                        }
                    }
                }
            }
        }
    }
}
`,
  },
  {
    name: 'JSON: adds Properties, fills an empty object, and inserts on one line into a one-line object',
    file: 't.template',
    rule: versioning,
    input: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket"
    },
    "C": { "Type": "AWS::S3::Bucket", "Properties": {} },
    "D": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "d" } }
  }
}`,
    expected: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": {
          "Status": "Enabled"
        }
      }
    },
    "C": { "Type": "AWS::S3::Bucket", "Properties": {
      "VersioningConfiguration": {
        "Status": "Enabled"
      }
    } },
    "D": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "d", "VersioningConfiguration": { "Status": "Enabled" } } }
  }
}`,
  },
  {
    name: 'JSON: fills a null Properties',
    file: 't.json',
    rule: versioning,
    input: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": null
    }
  }
}
`,
    expected: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": {
          "Status": "Enabled"
        }
      }
    }
  }
}
`,
  },
  {
    name: 'JSON: tabs and CRLF are kept',
    file: 't.json',
    rule: versioning,
    input: '{\r\n\t"Resources": {\r\n\t\t"B": {\r\n\t\t\t"Type": "AWS::S3::Bucket",\r\n\t\t\t"Properties": {\r\n\t\t\t\t"BucketName": "x"\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n',
    expected:
      '{\r\n\t"Resources": {\r\n\t\t"B": {\r\n\t\t\t"Type": "AWS::S3::Bucket",\r\n\t\t\t"Properties": {\r\n\t\t\t\t"BucketName": "x",\r\n' +
      '\t\t\t\t"VersioningConfiguration": {\r\n\t\t\t\t\t"Status": "Enabled"\r\n\t\t\t\t}\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n',
  },
  {
    name: 'JSON: removes a property with its comma',
    file: 't.json',
    rule: removal,
    input: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "x",
        "AccessControl": "PublicRead"
      }
    }
  }
}
`,
    expected: `{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "x"
      }
    }
  }
}
`,
  },
  {
    name: 'several steps, YAML block: a missing mapping is written once with both settings; a conflicting key goes',
    rule: streamEncryption,
    input: `Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      Legacy: true
      ShardCount: 1
`,
    expected: `Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
      StreamEncryption:
        EncryptionType: KMS
        KeyId: alias/aws/kinesis
`,
  },
  {
    name: 'several steps, YAML block: a wrong value is replaced and the setting it requires added beside it',
    rule: streamEncryption,
    input: `Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      StreamEncryption:
        EncryptionType: NONE # to change
      ShardCount: 1
`,
    expected: `Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      StreamEncryption:
        EncryptionType: KMS # to change
        KeyId: alias/aws/kinesis
      ShardCount: 1
`,
  },
  {
    name: 'several steps, YAML flow: both settings in one nested flow mapping',
    rule: streamEncryption,
    input: `Resources:
  S: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }
`,
    expected: `Resources:
  S: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1, StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis } } }
`,
  },
  {
    name: 'several steps, YAML: a resource without Properties gets them with both settings',
    rule: streamEncryption,
    input: `Resources:
  S:
    Type: AWS::Kinesis::Stream
`,
    expected: `Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      StreamEncryption:
        EncryptionType: KMS
        KeyId: alias/aws/kinesis
`,
  },
  {
    name: 'several steps, JSON: nested object indented like its neighbours, the conflicting key removed with its comma',
    file: 't.json',
    rule: streamEncryption,
    input: `{
  "Resources": {
    "S": {
      "Type": "AWS::Kinesis::Stream",
      "Properties": {
        "ShardCount": 1,
        "Legacy": true
      }
    }
  }
}
`,
    expected: `{
  "Resources": {
    "S": {
      "Type": "AWS::Kinesis::Stream",
      "Properties": {
        "ShardCount": 1,
        "StreamEncryption": {
          "EncryptionType": "KMS",
          "KeyId": "alias/aws/kinesis"
        }
      }
    }
  }
}
`,
  },
  {
    name: 'several steps, JSON: an empty Properties object is filled',
    file: 't.json',
    rule: streamEncryption,
    input: `{
  "Resources": {
    "S": {
      "Type": "AWS::Kinesis::Stream",
      "Properties": {}
    }
  }
}
`,
    expected: `{
  "Resources": {
    "S": {
      "Type": "AWS::Kinesis::Stream",
      "Properties": {
        "StreamEncryption": {
          "EncryptionType": "KMS",
          "KeyId": "alias/aws/kinesis"
        }
      }
    }
  }
}
`,
  },
  {
    name: 'several steps, YAML list item: the last key removed and a new one inserted where it was',
    rule: allRegions,
    input: `Resources:
  A:
    Type: AWS::Config::ConfigurationAggregator
    Properties:
      AccountAggregationSources:
        - AccountIds: ["111122223333"]
          AwsRegions: [eu-west-1, us-east-1]
        - AccountIds: ["444455556666"]
          AwsRegions:
            - eu-west-1
`,
    expected: `Resources:
  A:
    Type: AWS::Config::ConfigurationAggregator
    Properties:
      AccountAggregationSources:
        - AccountIds: ["111122223333"]
          AllAwsRegions: true
        - AccountIds: ["444455556666"]
          AllAwsRegions: true
`,
  },
  {
    name: 'several steps, YAML with CRLF: the removed last key of a mapping gives way to the inserted one',
    rule: allRegions,
    input: 'Resources:\r\n  A:\r\n    Type: AWS::Config::ConfigurationAggregator\r\n    Properties:\r\n      AccountAggregationSources:\r\n        - AccountIds: [a]\r\n          AwsRegions: [b]\r\n',
    expected: 'Resources:\r\n  A:\r\n    Type: AWS::Config::ConfigurationAggregator\r\n    Properties:\r\n      AccountAggregationSources:\r\n        - AccountIds: [a]\r\n          AllAwsRegions: true\r\n',
  },
];


const sg = (ingress: string) => `Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
${ingress}      VpcId: vpc-1
`;

cases.push(
  {
    name: 'removeEach, YAML block: the public item goes with its lines, the other stays',
    rule: openIngress,
    input: sg(`      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`),
    expected: sg(`      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
`),
  },
  {
    name: 'removeEach, YAML block: the only item leaves an empty list, not a null',
    rule: openIngress,
    input: sg(`      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`),
    expected: sg(`      SecurityGroupIngress: []
`),
  },
  {
    name: 'removeEach, YAML flow: the item goes with its comma',
    rule: openIngress,
    input: sg(`      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]
`),
    expected: sg(`      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]
`),
  },
  {
    name: 'removeEach, JSON: the last item goes with the comma before it',
    file: 't.json',
    rule: openIngress,
    input: `{
  "Resources": {
    "G": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8" },
          { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }
        ]
      }
    }
  }
}
`,
    expected: `{
  "Resources": {
    "G": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8" }
        ]
      }
    }
  }
}
`,
  },
  {
    name: 'removeEach, YAML block: a nested mapping goes with its key',
    rule: remoteAccess,
    input: `Resources:
  N:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: prod
      RemoteAccess:
        Ec2SshKey: ops
      NodeRole: arn:aws:iam::111122223333:role/eks-nodes
`,
    expected: `Resources:
  N:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: prod
      NodeRole: arn:aws:iam::111122223333:role/eks-nodes
`,
  },
);

const scalars: { name: string; value: string | number | boolean | null; isInFlow?: boolean; expected: string }[] = [
  { name: 'a word', value: 'Enabled', expected: 'Enabled' },
  { name: 'an identifier with an underscore', value: 'TLS1_2', expected: 'TLS1_2' },
  { name: 'a colon without a space', value: 'aws:kms', expected: 'aws:kms' },
  { name: 'a boolean', value: true, expected: 'true' },
  { name: 'a number', value: 7, expected: '7' },
  { name: 'null', value: null, expected: 'null' },
  { name: 'a string that reads as a boolean', value: 'true', expected: "'true'" },
  { name: 'a YAML 1.1 boolean', value: 'on', expected: "'on'" },
  { name: 'a string that reads as a number', value: '22', expected: "'22'" },
  { name: 'a date', value: '2012-10-17', expected: "'2012-10-17'" },
  { name: 'a CIDR', value: '10.0.0.0/16', expected: '10.0.0.0/16' },
  { name: 'a version with dots', value: '1.2', expected: "'1.2'" },
  { name: 'an empty string', value: '', expected: "''" },
  { name: 'a leading indicator', value: '*', expected: "'*'" },
  { name: 'a colon and space', value: 'a: b', expected: "'a: b'" },
  { name: 'a quote inside', value: "it's", expected: "it's" },
  { name: 'a quote inside, quoted', value: "it's: x", expected: "'it''s: x'" },
  { name: 'a comma in flow context', value: 'a,b', isInFlow: true, expected: "'a,b'" },
  { name: 'a comma in block context', value: 'a,b', expected: 'a,b' },
  { name: 'a line break', value: 'a\nb', expected: '"a\\nb"' },
];

describe('YAML scalar rendering', () => {
  for (const c of scalars) {
    it(c.name, () => {
      assert.equal(renderYamlScalar(c.value, c.isInFlow ?? false), c.expected);
    });
  }
});

describe('CloudFormation fix renderer', () => {
  for (const c of cases) {
    it(c.name, () => {
      const file = c.file ?? 'template.yaml';
      const before = findings(file, c.input, c.rule);
      assert.ok(before.length > 0, 'the rule fires on the input');
      assert.ok(
        before.every((f) => f.fix !== undefined),
        'every finding has a fix',
      );
      const fixed = fixAll(file, c.input, c.rule);
      assert.equal(fixed, c.expected);
      const model = lowerCloudFormationTemplate(file, fixed);
      assert.deepEqual(
        model.files[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
        [],
        'the fixed template re-parses without errors',
      );
      assert.deepEqual(findings(file, fixed, c.rule), [], 'the rule no longer fires');
      assert.equal(fixAll(file, fixed, c.rule), fixed, 'fixing again changes nothing');
    });
  }

  it('inserts into a list item mapping when asked by the item', () => {
    const text = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - BucketKeyEnabled: true
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    const list = model.resources[0]!.body.entries[0]!.value;
    assert.equal(list.kind, 'object');
    const items = list.kind === 'object' ? list.entries[0]!.value : undefined;
    const item = items?.kind === 'array' ? items.items[0] : undefined;
    if (item?.kind !== 'object') {
      assert.fail('the list item is an object');
    }
    const edits = cloudFormationRenderer.insert(
      text,
      item,
      [{ segments: ['ServerSideEncryptionByDefault', 'SSEAlgorithm'], value: 'AES256' }],
      't.yaml',
    );
    assert.equal(
      applyEdits(text, edits ?? []),
      `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - BucketKeyEnabled: true
            ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
`,
    );
    // The engine's fix follows the finding into the list item that holds it.
    const fix = findings('t.yaml', text, encryption)[0]?.fix;
    assert.ok(fix, 'a finding inside a list item has a fix');
    assert.equal(applyEdits(text, fix.edits), applyEdits(text, edits ?? []));
  });

  it('gives no fix where an alias shares the mapping with its anchor', () => {
    const text = `Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: &shared
      BucketName: x
  B:
    Type: AWS::S3::Bucket
    Properties: *shared
`;
    const result = findings('t.yaml', text, versioning);
    assert.equal(result.length, 2);
    assert.ok(result[0]!.fix !== undefined, 'the anchor itself is editable');
    assert.equal(result[1]!.fix, undefined, 'the alias is not');
  });
});

/** A fix that adds an entry to a list of mappings, identified by its `Name` (a cluster setting). */
const insights = rule(
  'aws-ecs-test-insights',
  `    - resources: [AWS::ECS::Cluster]
      when:
        any:
          - not: { path: ClusterSettings.Name, equals: containerInsights }
          - { path: ClusterSettings.Value, equals: disabled }
      fix: { addItem: { path: ClusterSettings, key: Name, value: { Name: containerInsights, Value: enabled } } }
`,
);

/** A fix that appends a scalar to a list. */
const capacity = rule(
  'aws-ecs-test-capacity',
  `    - resources: [AWS::ECS::Cluster]
      when: { not: { path: CapacityProviders, contains: FARGATE } }
      fix: { addItem: { path: CapacityProviders, value: FARGATE } }
`,
);

describe('CloudFormation addItem: an entry appended to a list in its style', () => {
  const cluster = (body: string) => `Resources:
  C:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: prod
${body}`;
  const json = (body: string) => `{
  "Resources": {
    "C": {
      "Type": "AWS::ECS::Cluster",
      "Properties": {
        "ClusterName": "prod",
${body}
      }
    }
  }
}
`;
  const addCases: Case[] = [
    {
      name: 'YAML block: a new `- ` item with its keys, after the last item',
      rule: insights,
      input: cluster(`      ClusterSettings:
        - Name: other
          Value: x
      Tags: []
`),
      expected: cluster(`      ClusterSettings:
        - Name: other
          Value: x
        - Name: containerInsights
          Value: enabled
      Tags: []
`),
    },
    {
      name: 'YAML block: an entry with the same Name gets its value set',
      rule: insights,
      input: cluster(`      ClusterSettings:
        - Name: containerInsights
          Value: disabled
`),
      expected: cluster(`      ClusterSettings:
        - Name: containerInsights
          Value: enabled
`),
    },
    {
      name: 'YAML flow: a flow mapping after a comma',
      rule: insights,
      input: cluster(`      ClusterSettings: [{ Name: other, Value: x }]
`),
      expected: cluster(`      ClusterSettings: [{ Name: other, Value: x }, { Name: containerInsights, Value: enabled }]
`),
    },
    {
      name: 'YAML block: no list yet, a new one',
      rule: insights,
      input: cluster(''),
      expected: cluster(`      ClusterSettings:
        - { Name: containerInsights, Value: enabled }
`),
    },
    {
      name: 'YAML block: a scalar appended',
      rule: capacity,
      input: cluster(`      CapacityProviders:
        - FARGATE_SPOT
`),
      expected: cluster(`      CapacityProviders:
        - FARGATE_SPOT
        - FARGATE
`),
    },
    {
      name: 'YAML flow: a scalar into an empty list',
      rule: capacity,
      input: cluster(`      CapacityProviders: []
`),
      expected: cluster(`      CapacityProviders: [FARGATE]
`),
    },
    {
      name: 'JSON: an object over lines after the last one',
      file: 't.json',
      rule: insights,
      input: json(`        "ClusterSettings": [
          {
            "Name": "other",
            "Value": "x"
          }
        ]`),
      expected: json(`        "ClusterSettings": [
          {
            "Name": "other",
            "Value": "x"
          },
          {
            "Name": "containerInsights",
            "Value": "enabled"
          }
        ]`),
    },
    {
      name: 'JSON: a scalar in a one-line array',
      file: 't.json',
      rule: capacity,
      input: json(`        "CapacityProviders": ["FARGATE_SPOT"]`),
      expected: json(`        "CapacityProviders": ["FARGATE_SPOT", "FARGATE"]`),
    },
  ];
  for (const c of addCases) {
    it(c.name, () => {
      const file = c.file ?? 'template.yaml';
      const before = findings(file, c.input, c.rule);
      assert.equal(before.length, 1);
      const fixed = fixAll(file, c.input, c.rule);
      assert.equal(fixed, c.expected);
      const model = lowerCloudFormationTemplate(file, fixed);
      assert.deepEqual(model.files[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      assert.deepEqual(findings(file, fixed, c.rule), [], 'the rule no longer fires');
    });
  }
});
