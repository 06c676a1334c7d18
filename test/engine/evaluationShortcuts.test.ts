/**
 * The rule engine's shortcuts give what the plain ways give: a finding copied field by field has the fields, in the
 * order, that copying all but the evaluation-only ones gives; the resources a `related` condition visits are those of
 * the union of the index's lists, in the same order, each once; the names a companion may not take, looked up in an
 * index of the model or of the template's logical ids, are those a scan of every resource or id finds.
 */
import * as assert from 'node:assert/strict';
import { findingOf } from '../../server/src/engine/analyze';
import { literalNames, relatedCandidates, relatedIndexOf } from '../../server/src/engine/conditions';
import { evaluateRules, isNameTaken, type RawFinding } from '../../server/src/engine/evaluate';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { bicepRenderer } from '../../server/src/engine/renderers/bicep';
import { cloudFormationRenderer, isLogicalIdFree } from '../../server/src/engine/renderers/cloudformation';
import { hclRenderer } from '../../server/src/engine/renderers/hcl';
import { lowerBicepFile } from '../../server/src/model/bicep/lower';
import { lowerCloudFormationTemplate } from '../../server/src/model/cloudformation/template';
import { lowerTerraformModule } from '../../server/src/model/terraform/module';
import type { Model, Resource } from '../../server/src/model/types';
import { isCfnLogicalIdFree } from '../../server/src/parse/cloudformation/edit';
import { generate } from '../../bench/support/generate';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { prng } from '../parse/hcl/prng';

const rules = loadBundledRuleSet();

/** The raw findings of every rule on a model. */
function rawFindings(model: Model): RawFinding[] {
  const texts = new Map(model.files.map((f) => [f.path, f.text]));
  return evaluateRules(rules.rules, model, {
    renderers: { terraform: hclRenderer, cloudformation: cloudFormationRenderer, bicep: bicepRenderer },
    textOf: (file) => texts.get(file),
  });
}

describe('rule engine shortcuts', () => {
  it('copies a finding with the fields and order of copying all but the evaluation-only fields', () => {
    const cloudFormation = `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_18
            comment: logs of logs
      onus:
        ignore:
          - id: aws-s3-versioning
            reason: a log bucket
${generate('cloudformation', 600).text.split('\n').slice(3).join('\n')}`;
    const models: Model[] = [
      lowerTerraformModule('/t', memoryFileSystem({ '/t/main.tf': generate('terraform', 600).text })),
      lowerCloudFormationTemplate('/c/template.yaml', cloudFormation),
      lowerBicepFile('/b/main.bicep', memoryFileSystem({ '/b/main.bicep': generate('bicep', 600).text })),
    ];
    const seen = { findings: 0, notes: 0, declared: 0, peer: 0 };
    for (const model of models) {
      for (const raw of [...rawFindings(model), { ...rawFindings(model)[0]!, expiredSuppression: '2025-01-01' }]) {
        const { anchors: _a, resourceSpan: _r, declaredSuppressions: _d, peerSuppressions: _p, ...plain } = raw;
        const copy = findingOf(raw);
        assert.deepEqual(copy, plain);
        assert.deepEqual(Object.keys(copy), Object.keys(plain));
        seen.findings++;
        seen.notes += raw.deploymentNote !== undefined ? 1 : 0;
        seen.declared += raw.declaredSuppressions !== undefined ? 1 : 0;
        seen.peer += raw.peerSuppressions !== undefined ? 1 : 0;
      }
    }
    assert.ok(seen.findings > 500 && seen.notes > 0 && seen.declared > 0 && seen.peer > 0, JSON.stringify(seen));
  });

  it('visits the related resources of the union of the index lists, in order and once each (random modules)', () => {
    const random = prng(7);
    let shared = 0;
    let single = 0;
    for (let round = 0; round < 40; round++) {
      const buckets = 1 + Math.floor(random() * 5);
      const lines: string[] = ['variable "name" {}'];
      for (let b = 0; b < buckets; b++) {
        lines.push(`resource "aws_s3_bucket" "b${b}" {\n  bucket = "name-${b % 3}"\n}`);
      }
      for (let p = 0; p < 1 + Math.floor(random() * 6); p++) {
        const target = Math.floor(random() * buckets);
        const via = [`aws_s3_bucket.b${target}.id`, `"name-${target % 3}"`, 'var.name', `aws_s3_bucket.b${target}.bucket`][Math.floor(random() * 4)];
        lines.push(`resource "aws_s3_bucket_public_access_block" "p${p}" {\n  bucket = ${via}\n}`);
      }
      const model = lowerTerraformModule('/r', memoryFileSystem({ '/r/main.tf': lines.join('\n') }));
      const index = relatedIndexOf(model, 'aws_s3_bucket_public_access_block', 'bucket');
      for (const resource of model.resources.filter((r: Resource) => r.type === 'aws_s3_bucket')) {
        const module = resource.modulePath.join('/');
        const keys = [resource.address, ...literalNames(resource).map((name) => `=${name}`)];
        const lists = [...keys.map((key) => index.naming.get(`${module}\u0000${key}`)), index.uncertain.get(module)].filter((l) => l !== undefined);
        const plain = new Set<Resource>();
        for (const list of lists) {
          list.forEach((other) => plain.add(other));
        }
        assert.deepEqual([...relatedCandidates(index, resource)], [...plain]);
        shared += lists.length > 1 ? 1 : 0;
        single += lists.length === 1 ? 1 : 0;
      }
    }
    assert.ok(shared > 10 && single > 10, `${shared} merged, ${single} single`);
  });

  it('finds the names resources take as a scan of every resource does (random Terraform modules and templates)', () => {
    const random = prng(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const names = ['a', 'b', 'c'];
    const types = ['aws_s3_bucket', 'aws_kms_key'];
    let taken = 0;
    let free = 0;
    for (let round = 0; round < 30; round++) {
      const files: Record<string, string> = {};
      const blocks = (kind: string) =>
        Array.from({ length: 1 + Math.floor(random() * 5) }, () => `${kind} "${pick(types)}" "${pick(names)}" {}\n`).join('');
      files['/m/main.tf'] = `${blocks('resource')}${blocks('data')}module "child" {\n  source = "./child"\n}\n`;
      files['/m/child/main.tf'] = blocks('resource');
      const ids = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(['A', 'B', 'C']));
      const template = `Parameters:\n  ${pick(['A', 'P'])}:\n    Type: String\nResources:\n${[...new Set(ids)].map((id) => `  ${id}:\n    Type: AWS::S3::Bucket\n`).join('')}`;
      const models = [
        lowerTerraformModule('/m', memoryFileSystem(files)),
        lowerCloudFormationTemplate('/t/one.yaml', template),
      ];
      for (const model of models) {
        for (const resource of model.resources) {
          for (const type of [...types, 'AWS::S3::Bucket']) {
            for (const name of [...names, 'A', 'B', 'C', 'P']) {
              const module = resource.modulePath.join('.');
              const plain = model.resources.some((r) =>
                resource.format === 'terraform'
                  ? r.kind === 'resource' && r.type === type && r.name === name && r.modulePath.join('.') === module
                  : r.name === name && r.file === resource.file,
              );
              assert.equal(isNameTaken(type, name, resource, model), plain, `${resource.address} ${type} ${name}`);
              taken += plain ? 1 : 0;
              free += plain ? 0 : 1;
            }
          }
        }
      }
      // The same template, another text of its file (an edit), another file.
      for (const [file, text] of [['/t/one.yaml', template], ['/t/one.yaml', 'Resources:\n  B:\n    Type: AWS::SNS::Topic\n'], ['/t/two.yaml', template]]) {
        for (const id of ['A', 'B', 'C', 'P', 'Q']) {
          assert.equal(isLogicalIdFree(file!, text!, id), isCfnLogicalIdFree(file!, text!, id), `${file} ${id}`);
        }
      }
    }
    assert.ok(taken > 100 && free > 100, `${taken} taken, ${free} free`);
  });
});
