/**
 * `lowerCloudFormationTemplate`: resources, their evaluated `Properties` (Ref, Sub, Join, Select, Split, FindInMap, If
 * over Conditions, NoValue, SAM Globals), where values point, and the suppressions and notes a template declares.
 */
import * as assert from 'node:assert/strict';
import { lowerCloudFormationTemplate } from '../../../server/src/model/cloudformation/template';
import type { Model, Value } from '../../../server/src/model/types';
import { LineIndex } from '../../../server/src/text/lineIndex';
import type { Span } from '../../../server/src/text/span';

/** Renders a span as `line:col-line:col` (1-based). */
function at(text: string, span: Span): string {
  const index = new LineIndex(text);
  const a = index.positionAt(span.start);
  const b = index.positionAt(span.end);
  return `${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1}`;
}

/** Renders a value compactly: `"x" resolved @3:5-3:9`, `unknown [Queue.Arn]`, `["a", "b"]`, `{A, B}`. */
function show(text: string, value: Value): string {
  switch (value.kind) {
    case 'scalar':
      return `${JSON.stringify(value.value)} ${value.provenance} @${at(text, value.span)}`;
    case 'unknown':
      return `unknown [${value.references.join(', ')}] @${at(text, value.span)}`;
    case 'array':
      return `[${value.items.map((item) => (item.kind === 'scalar' ? JSON.stringify(item.value) : item.kind)).join(', ')}] ${value.provenance}`;
    case 'object':
      return `{${value.entries.map((e) => e.key).join(', ')}}`;
  }
}

/** The value at a dotted path of a resource's body (`A.B`, list items by index `Tags.0.Key`); `absent` when none. */
function valueAt(model: Model, resource: string, path: string): Value | undefined {
  let value: Value | undefined = model.resources.find((r) => r.address === resource)?.body;
  for (const segment of path.split('.')) {
    if (value?.kind === 'object') {
      value = value.entries.find((e) => e.key === segment)?.value;
    } else if (value?.kind === 'array' && /^\d+$/.test(segment)) {
      value = value.items[Number(segment)];
    } else {
      return undefined;
    }
  }
  return value;
}

const evaluation: { name: string; file?: string; text: string; expected: Record<string, string> }[] = [
  {
    name: 'Ref: a parameter default resolves at the Ref; no default, pseudo parameters and resources are unknown',
    text: `Parameters:
  Status: { Type: String, Default: Suspended }
  Name: { Type: String }
Resources:
  Q:
    Type: AWS::SQS::Queue
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !Ref Status
      BucketName: !Ref Name
      Region: { Ref: "AWS::Region" }
      Queue: !Ref Q
`,
    expected: {
      'B:VersioningConfiguration.Status': '"Suspended" resolved @11:17-11:28',
      'B:BucketName': 'unknown [] @12:19-12:28',
      'B:Region': 'unknown [] @13:15-13:37',
      'B:Queue': 'unknown [Q] @14:14-14:20',
    },
  },
  {
    name: 'Fn::GetAtt in both forms refers to Id.Attr',
    text: `Resources:
  Q:
    Type: AWS::SQS::Queue
  Db:
    Type: AWS::RDS::DBInstance
  B:
    Type: AWS::S3::Bucket
    Properties:
      A: !GetAtt Q.Arn
      B: !GetAtt [Q, QueueName]
      C: !GetAtt Db.Endpoint.Address
      D: { "Fn::GetAtt": [Q, Arn] }
`,
    expected: {
      'B:A': 'unknown [Q.Arn] @9:10-9:23',
      'B:B': 'unknown [Q.QueueName] @10:10-10:32',
      'B:C': 'unknown [Db.Endpoint.Address] @11:10-11:37',
      'B:D': 'unknown [Q.Arn] @12:10-12:36',
    },
  },
  {
    name: 'Fn::Sub: string and list forms, escapes, unknowns',
    text: `Parameters:
  Env: { Type: String, Default: prod }
Resources:
  Q:
    Type: AWS::SQS::Queue
  B:
    Type: AWS::S3::Bucket
    Properties:
      A: !Sub "\${Env}-logs"
      B: !Sub ["\${P}-\${Env}", { P: pre }]
      C: !Sub "\${!Literal}-\${Env}"
      D: !Sub "\${AWS::Region}-\${Env}"
      E: !Sub "arn:\${Q.Arn}/*"
      F: !Sub ["\${X}", { X: !Ref Q }]
`,
    expected: {
      'B:A': '"prod-logs" resolved @9:10-9:28',
      'B:B': '"pre-prod" resolved @10:10-10:42',
      'B:C': '"${Literal}-prod" resolved @11:10-11:35',
      'B:D': 'unknown [] @12:10-12:38',
      'B:E': 'unknown [Q.Arn] @13:10-13:31',
      'B:F': 'unknown [Q] @14:10-14:38',
    },
  },
  {
    // CloudFormation allows no intrinsic in a default; a mutated or half-written one must still end, not loop.
    name: 'a parameter default that refers to its own parameter is unknown',
    text: `Parameters:
  Status:
    Type: String
    Default:
      Inner: !Ref Status
  Loop: { Type: String, Default: !Sub "\${Loop}" }
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      A: !Ref Status
      B: !Ref Loop
`,
    expected: {
      'B:A': 'unknown [] @11:10-11:21',
      'B:B': 'unknown [] @12:10-12:19',
    },
  },
  {
    name: 'Fn::Join, Fn::Select, Fn::Split and list parameters',
    text: `Parameters:
  Cidrs: { Type: CommaDelimitedList, Default: "10.0.0.0/8, 0.0.0.0/0" }
  Ids: { Type: "List<AWS::EC2::Subnet::Id>", Default: "a,b" }
  Ami: { Type: "AWS::SSM::Parameter::Value<String>", Default: /aws/ami }
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Joined: !Join ["-", [a, 1, !Select [1, !Ref Cidrs]]]
      Unknown: !Join ["-", [a, !Ref AWS::Region]]
      Picked: !Select [0, !Split [",", "x,y"]]
      List: !Ref Cidrs
      Ids: !Ref Ids
      Ami: !Ref Ami
      OutOfRange: !Select [5, [a]]
`,
    expected: {
      'B:Joined': '"a-1-0.0.0.0/0" resolved @9:15-9:59',
      'B:Unknown': 'unknown [] @10:16-10:50',
      'B:Picked': '"x" resolved @11:15-11:47',
      'B:List': '["10.0.0.0/8", "0.0.0.0/0"] resolved',
      'B:List.1': '"0.0.0.0/0" resolved @12:13-12:23',
      'B:Ids': '["a", "b"] resolved',
      'B:Ami': 'unknown [] @14:12-14:20',
      'B:OutOfRange': 'unknown [] @15:19-15:35',
    },
  },
  {
    name: 'Fn::FindInMap: literal lookups, DefaultValue, unknown keys',
    text: `Parameters:
  Env: { Type: String, Default: prod }
Mappings:
  Config:
    prod: { Algorithm: "aws:kms", Ports: [22, 443] }
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      A: !FindInMap [Config, !Ref Env, Algorithm]
      B: !FindInMap [Config, !Ref Env, Ports]
      C: !FindInMap [Config, dev, Algorithm, { DefaultValue: AES256 }]
      D: !FindInMap [Config, !Ref AWS::Region, Algorithm]
      E: !FindInMap [Config, dev, Algorithm]
`,
    expected: {
      'B:A': '"aws:kms" resolved @10:10-10:50',
      'B:B': '[22, 443] resolved',
      'B:C': '"AES256" resolved @12:10-12:71',
      'B:D': 'unknown [] @13:10-13:58',
      'B:E': 'unknown [] @14:10-14:45',
    },
  },
  {
    name: 'Fn::If over Conditions from parameter defaults; unknown conditions stay unknown',
    text: `Parameters:
  Env: { Type: String, Default: prod }
  Free: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [!Ref Free, x]]
  Loop: !Condition Loop
  Free: !Equals [!Ref Free, x]
Resources:
  B:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties:
      A: !If [IsProd, Enabled, Suspended]
      B: !If [IsDev, Enabled, Suspended]
      C: !If [Both, !If [IsDev, x, y], z]
      D: !If [Either, x, y]
      E: !If [Loop, x, y]
      F: !If [Free, x, { Key: v }]
      G: { "Fn::If": ["IsProd", { "K": 1 }, { "K": 2 }] }
`,
    expected: {
      'B:A': '"Enabled" resolved @16:23-16:30',
      'B:B': '"Suspended" resolved @17:31-17:40',
      'B:C': '"y" resolved @18:36-18:37',
      'B:D': 'unknown [] @19:10-19:28',
      'B:E': 'unknown [] @20:10-20:26',
      'B:F': 'unknown [] @21:10-21:35',
      'B:G.K': '1 resolved @22:40-22:41',
    },
  },
  {
    name: 'AWS::NoValue removes the key or the list item',
    text: `Conditions:
  No: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Gone: !Ref AWS::NoValue
      Branch: !If [No, x, !Ref AWS::NoValue]
      Kept: !If [No, !Ref AWS::NoValue, y]
      Items: [a, !Ref AWS::NoValue, !If [No, c, !Ref AWS::NoValue], d]
`,
    expected: {
      'B:': '{Kept, Items}',
      'B:Items': '["a", "d"] explicit',
    },
  },
  {
    name: 'SAM Globals merge into the functions as resolved values; the function wins',
    text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Tracing: PassThrough
    Layers: [g]
    Environment:
      Variables: { A: "1" }
  Api:
    TracingEnabled: false
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Tracing: Active
      Layers: [own]
      Environment:
        Variables: { B: "2" }
  G:
    Type: AWS::Serverless::Function
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  L:
    Type: AWS::Lambda::Function
`,
    expected: {
      'F:': '{Tracing, Layers, Environment, Runtime}',
      'F:Tracing': '"Active" explicit @15:16-15:22',
      'F:Runtime': '"python3.12" resolved @4:14-4:24',
      'F:Layers': '["g", "own"] explicit',
      'F:Environment.Variables': '{B, A}',
      'G:Tracing': '"PassThrough" resolved @5:14-5:25',
      'Api:TracingEnabled': 'false resolved @10:21-10:26',
      'L:': '{}',
    },
  },
  {
    name: 'JSON: the same evaluation in long form',
    file: 'template.json',
    text: `{
  "Parameters": { "Env": { "Type": "String", "Default": "prod" } },
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "Env" }, "prod"] } },
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "A": { "Ref": "Env" },
        "B": { "Fn::If": ["IsProd", "on", "off"] },
        "C": { "Fn::Join": ["", ["x", { "Ref": "Env" }]] },
        "D": { "Fn::Base64": "abc" }
      }
    }
  }
}`,
    expected: {
      'B:A': '"prod" resolved @8:14-8:30',
      'B:B': '"on" resolved @9:37-9:41',
      'B:C': '"xprod" resolved @10:14-10:59',
      'B:D': 'unknown [] @11:14-11:37',
    },
  },
  {
    name: 'a macro inside a mapping makes the mapping unknown; duplicate keys: the last applies',
    text: `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Policy:
        Fn::Transform: { Name: AWS::Include }
        Extra: 1
      BucketName: first
      BucketName: second
`,
    expected: {
      'B:Policy': 'unknown [] @6:9-7:17',
      'B:BucketName': '"second" explicit @9:19-9:25',
    },
  },
  {
    name: 'values reached through a YAML alias are resolved',
    text: `Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: &p
      BucketName: x
  B:
    Type: AWS::S3::Bucket
    Properties: *p
`,
    expected: {
      'A:BucketName': '"x" explicit @5:19-5:20',
      'B:BucketName': '"x" resolved @5:19-5:20',
    },
  },
];

describe('CloudFormation lowering: evaluation', () => {
  for (const c of evaluation) {
    it(c.name, () => {
      const model = lowerCloudFormationTemplate(c.file ?? 'template.yaml', c.text);
      const actual: Record<string, string> = {};
      for (const key of Object.keys(c.expected)) {
        const [resource = '', path = ''] = key.split(':');
        const value = path === '' ? model.resources.find((r) => r.address === resource)?.body : valueAt(model, resource, path);
        actual[key] = value === undefined ? 'absent' : show(c.text, value);
      }
      assert.deepEqual(actual, c.expected);
    });
  }
});

describe('CloudFormation lowering: resources', () => {
  it('lowers each resource with its type, logical id, spans and header', () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs
  Bare:
    Type: AWS::SQS::Queue
  Empty:
    Type: AWS::SNS::Topic
    Properties:
  NoType:
    Properties: {}
  Fn::ForEach::Topics:
    - T
    - [a, b]
    - T\${T}: { Type: AWS::SNS::Topic }
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    assert.equal(model.files[0]!.format, 'cloudformation');
    assert.deepEqual(
      model.resources.map((r) => [
        r.address,
        r.name,
        r.type,
        r.format,
        r.kind,
        r.modulePath.length,
        at(text, r.span),
        at(text, r.body.block!.headerSpan),
        r.headerSpan && at(text, r.headerSpan),
      ]),
      [
        // With a `Properties` mapping, a missing property points at its key; the resource itself at the logical id.
        ['Logs', 'Logs', 'AWS::S3::Bucket', 'cloudformation', 'resource', 0, '3:3-6:23', '5:5-5:15', '3:3-3:7'],
        ['Bare', 'Bare', 'AWS::SQS::Queue', 'cloudformation', 'resource', 0, '7:3-8:26', '7:3-7:7', undefined],
        ['Empty', 'Empty', 'AWS::SNS::Topic', 'cloudformation', 'resource', 0, '9:3-11:16', '9:3-9:8', undefined],
      ],
    );
    assert.deepEqual(model.notes.map((n) => n.code), ['cfn-foreach']);
    const bucket = model.resources[0]!;
    const name = bucket.body.entries[0]!;
    assert.equal(at(text, name.keySpan), '6:7-6:17');
    assert.equal(at(text, name.span), '6:7-6:23');
  });

  it('nested mappings carry block info with their key as the header', () => {
    const text = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Suspended
      Tags:
        - Key: a
          Value: b
      Flow: { A: 1 }
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    const body = model.resources[0]!.body;
    const versioning = body.entries[0]!.value;
    assert.equal(versioning.kind === 'object' ? at(text, versioning.block!.headerSpan) : '', '5:7-5:30');
    const tags = body.entries[1]!.value;
    const item = tags.kind === 'array' ? tags.items[0] : undefined;
    assert.equal(item?.kind === 'object' ? at(text, item.block!.headerSpan) : '', '8:11-8:14');
    const flow = body.entries[2]!.value;
    assert.equal(flow.kind === 'object' ? at(text, flow.block!.openSpan) : '', '10:13-10:14');
    assert.equal(flow.kind === 'object' ? at(text, flow.block!.closeSpan) : '', '10:20-10:21');
  });

  it('a resource whose Properties cannot be known is left out with a note', () => {
    const text = `Parameters:
  P: { Type: String }
Conditions:
  C: !Equals [!Ref P, x]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: !If [C, { BucketName: a }, { BucketName: b }]
  D:
    Type: AWS::S3::Bucket
    Properties: !If [Never, {}, {}]
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    assert.deepEqual(model.resources, []);
    assert.deepEqual(model.notes.map((n) => `${n.code} ${at(text, n.span)}`), [
      'cfn-properties-unknown 6:3-6:4',
      'cfn-properties-unknown 9:3-9:4',
    ]);
  });

  it('a resource with a Condition gets a deployment note', () => {
    const text = `Conditions:
  IsProd: !Equals [a, a]
Resources:
  B:
    Type: AWS::S3::Bucket
    Condition: IsProd
`;
    assert.equal(lowerCloudFormationTemplate('t.yaml', text).resources[0]!.deploymentNote, 'when condition "IsProd"');
  });

  it('reads Metadata suppressions: Onus, cfn_nag, cfn-lint (resource and template) and checkov', () => {
    const text = `Metadata:
  cfn-lint:
    config:
      ignore_checks: [W1020]
Resources:
  B:
    Type: AWS::S3::Bucket
    Metadata:
      onus:
        ignore:
          - id: aws-s3-versioning
            reason: migration bucket
            until: 2027-03-31
          - { id: "aws-s3-access-logging, aws-s3-public-acl", reason: static assets }
          - aws-s3-encryption-customer-key
      cfn_nag:
        rules_to_suppress:
          - id: W35
            reason: no access logs needed
      cfn-lint:
        config:
          ignore_checks:
            - W3045
      checkov:
        skip:
          - id: CKV_AWS_18
            comment: logging elsewhere
`;
    const resource = lowerCloudFormationTemplate('t.yaml', text).resources[0]!;
    // Each entry keeps where it is written, for problems with it (a missing reason, an expired date).
    assert.deepEqual(
      resource.declaredSuppressions?.map((d) => d.span && text.slice(d.span.start, d.span.end).split('\n')[0]),
      ['id: aws-s3-versioning', '{ id: "aws-s3-access-logging, aws-s3-public-acl", reason: static assets }', 'aws-s3-encryption-customer-key'],
    );
    assert.deepEqual(resource.declaredSuppressions?.map(({ span: _span, ...d }) => d), [
      { ids: ['aws-s3-versioning'], reason: 'migration bucket', until: '2027-03-31' },
      { ids: ['aws-s3-access-logging', 'aws-s3-public-acl'], reason: 'static assets' },
      { ids: ['aws-s3-encryption-customer-key'], reason: '' },
    ]);
    assert.deepEqual(resource.peerSuppressions, [
      { peer: 'cfn-nag', id: 'W35', reason: 'no access logs needed' },
      { peer: 'cfn-lint', id: 'W3045', reason: '' },
      { peer: 'checkov', id: 'CKV_AWS_18', reason: 'logging elsewhere' },
      { peer: 'cfn-lint', id: 'W1020', reason: '' },
    ]);
  });

  it('reports syntax errors and duplicate keys with spans, and lowers what parses', () => {
    const text = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: a
      BucketName: b
  Q:
    Type: AWS::SQS::Queue
    Properties: { DelaySeconds: [1,
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    assert.deepEqual(
      model.files[0]!.diagnostics.map((d) => `${d.severity} ${d.code} ${at(text, d.span)}`),
      ['warning cfn-duplicate-key 6:7-6:17', 'error yaml-BAD_INDENT 10:1-10:1', 'error yaml-BAD_INDENT 10:1-10:1'],
    );
    assert.deepEqual(
      model.resources.map((r) => r.address),
      ['B', 'Q'],
    );
  });

  it('each document of a YAML stream is lowered as its own template (after an error)', () => {
    const text = `Parameters:
  P: { Type: String, Default: one }
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: { BucketName: !Ref P }
---
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: { BucketName: !Ref P }
`;
    const model = lowerCloudFormationTemplate('t.yaml', text);
    assert.deepEqual(model.files[0]!.diagnostics.map((d) => `${d.severity} ${d.code}`), ['error cfn-multiple-documents']);
    assert.deepEqual(
      model.resources.map((r) => `${r.address} ${show(text, r.body.entries[0]!.value)}`),
      ['A "one" resolved @6:31-6:37', 'B unknown [] @11:31-11:37'],
    );
  });

  it('a JSON template with a byte-order mark reads without errors', () => {
    const model = lowerCloudFormationTemplate('t.json', '\uFEFF{ "Resources": { "B": { "Type": "AWS::S3::Bucket" } } }');
    assert.deepEqual(model.files[0]!.diagnostics, []);
    assert.deepEqual(model.resources.map((r) => r.address), ['B']);
  });

  it('an empty or non-mapping document has no resources', () => {
    assert.deepEqual(lowerCloudFormationTemplate('t.yaml', '').resources, []);
    const list = lowerCloudFormationTemplate('t.yaml', '- a\n- b\n');
    assert.deepEqual(list.files[0]!.diagnostics.map((d) => d.code), ['cfn-not-a-mapping']);
  });
});
