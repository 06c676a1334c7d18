/**
 * `isCloudFormationTemplate`: which YAML and JSON documents are templates (by content only) and which are left alone.
 */
import * as assert from 'node:assert/strict';
import { isCloudFormationTemplate } from '../../../server/src/model/cloudformation/detect';

const cases: { name: string; file: string; text: string; expected: boolean }[] = [
  {
    name: 'YAML with a format version only',
    file: 'a.yaml',
    text: `AWSTemplateFormatVersion: "2010-09-09"
Description: nothing yet
`,
    expected: true,
  },
  {
    name: 'YAML resources without a format version',
    file: 'stack.yml',
    text: `Resources:
  Bucket:
    Type: AWS::S3::Bucket
`,
    expected: true,
  },
  {
    name: 'a SAM template by its transform',
    file: 'template.yaml',
    text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: python3.12 }
`,
    expected: true,
  },
  {
    name: 'a SAM transform in a list',
    file: 'template.yaml',
    text: `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
`,
    expected: true,
  },
  {
    name: 'a custom resource only',
    file: 'c.yaml',
    text: `Resources:
  Thing:
    Type: Custom::Thing
    Properties: { ServiceToken: arn }
`,
    expected: true,
  },
  {
    name: 'an Alexa skill',
    file: 'skill.json',
    text: `{ "Resources": { "Skill": { "Type": "Alexa::ASK::Skill" } } }`,
    expected: true,
  },
  {
    name: 'JSON with a format version',
    file: 'x.template',
    text: `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {}
}`,
    expected: true,
  },
  {
    name: 'a half-typed template still counts',
    file: 'a.yaml',
    text: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: [a,
`,
    expected: true,
  },
  {
    name: 'a Kubernetes manifest',
    file: 'deployment.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    note: "Type: AWS::S3::Bucket"
spec:
  replicas: 2
`,
    expected: false,
  },
  {
    name: 'a Kubernetes multi-document manifest',
    file: 'all.yaml',
    text: `apiVersion: v1
kind: Service
---
apiVersion: v1
kind: ConfigMap
data:
  Resources: "AWS::S3::Bucket"
`,
    expected: false,
  },
  {
    name: 'a GitHub Actions workflow that deploys a stack',
    file: '.github/workflows/deploy.yml',
    text: `name: deploy
on: [push]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: aws cloudformation deploy --template-file template.yaml # AWS::S3::Bucket
`,
    expected: false,
  },
  {
    name: 'a docker-compose file',
    file: 'docker-compose.yml',
    text: `services:
  web:
    image: nginx
    environment:
      TYPE: AWS::S3::Bucket
`,
    expected: false,
  },
  {
    name: 'a Serverless Framework file (resources nested, lowercase)',
    file: 'serverless.yml',
    text: `service: api
resources:
  Resources:
    Bucket:
      Type: AWS::S3::Bucket
`,
    expected: false,
  },
  {
    name: 'package.json',
    file: 'package.json',
    text: `{ "name": "x", "description": "Deploys AWS::S3::Bucket", "scripts": {} }`,
    expected: false,
  },
  {
    name: 'tsconfig.json with comments',
    file: 'tsconfig.json',
    text: `{
  // AWS::
  "compilerOptions": { "strict": true }
}`,
    expected: false,
  },
  {
    name: 'Terraform JSON, even with a Resources-like shape',
    file: 'main.tf.json',
    text: `{ "Resources": { "b": { "Type": "AWS::S3::Bucket" } } }`,
    expected: false,
  },
  {
    name: 'a Resources mapping whose types are not CloudFormation types',
    file: 'other.yaml',
    text: `Resources:
  thing:
    Type: Kubernetes::Pod
    AWS::note: x
`,
    expected: false,
  },
  {
    name: 'a format version that is not at the top level',
    file: 'nested.yaml',
    text: `Outer:
  AWSTemplateFormatVersion: "2010-09-09"
`,
    expected: false,
  },
  {
    name: 'JSON with a byte-order mark',
    file: 'bom.json',
    text: '\uFEFF{ "AWSTemplateFormatVersion": "2010-09-09" }',
    expected: true,
  },
  { name: 'an empty file', file: 'empty.yaml', text: '', expected: false },
  { name: 'binary noise', file: 'noise.json', text: '\u0000\u0001{{[AWS::', expected: false },
];

describe('CloudFormation detection', () => {
  for (const c of cases) {
    it(`${c.expected ? 'accepts' : 'rejects'} ${c.name}`, () => {
      assert.equal(isCloudFormationTemplate(c.file, c.text), c.expected);
    });
  }

  it('never throws on a pathologically nested document', () => {
    const deep = 'AWSTemplateFormatVersion: x\nA: ' + '['.repeat(20000);
    assert.equal(typeof isCloudFormationTemplate('deep.yaml', deep), 'boolean');
  });
});
