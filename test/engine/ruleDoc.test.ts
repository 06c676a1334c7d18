/**
 * Rule documentation pages at the engine's boundary: what a page says for a rule and its service, and that the
 * examples bundled for `onus explain` are the ones `npm run docs` reads from the fixtures.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { bundledExamples } from '../../server/src/engine/generated/bundledExamples';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import { META_RULES } from '../../server/src/engine/metaRules';
import { readRuleExamples, renderMetaRulePage, renderRuleIndex, renderRulePage } from '../../server/src/engine/ruleDoc';
import { diskFileSystem } from '../../server/src/model/diskFileSystem';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { loadDiskRuleSet, RULES_ROOT } from '../support/ruleSources';

const SERVICES = `services:
  - id: aws/s3
    provider: aws
    name: Amazon S3
    model: abstracted
    modelSource: https://aws.amazon.com/compliance/shared-responsibility-model/
    resourceTypes: { terraform: [aws_s3_bucket] }
    layers:
      data: { owner: customer, note: "The data and its versions are the customer's" }
      identity: { owner: customer }
      application: { owner: shared }
      network: { owner: provider }
      os: { owner: provider }
      physical: { owner: provider }
    duties: []
    sources: [https://example.com/s3]
`;

const RULE = `id: aws-s3-doc-versioning
title: S3 bucket versioning is enabled
severity: medium
owner: customer
layer: data
service: aws/s3
concept: versioning
why: Recovering from overwrites is the customer's job.
remediation: Turn versioning on.
sources: [https://example.com/versioning]
references: { checkov: [CKV_AWS_21], trivy: [AVD-AWS-0090] }
compliance: { cis-aws-1.5: ["2.1.3"] }
message: S3 bucket versioning is "{value}"
match:
  terraform:
    - resources: [aws_s3_bucket]
      when: { path: versioning.enabled, notEquals: true, missing: true }
      fix: { title: Enable versioning, set: { path: versioning.enabled, value: true }, preferred: true }
`;

describe('rule documentation', () => {
  const { ruleSet, errors } = buildRuleSet([{ folder: 'aws/s3/aws-s3-doc-versioning', yaml: RULE, check: undefined }], [
    { file: 'services/aws.yaml', yaml: SERVICES },
  ]);
  const rule = ruleSet.rules[0]!;
  const fixtures = memoryFileSystem({
    '/r/fixtures/terraform/bad/b-omitted.tf': 'resource "aws_s3_bucket" "b" {}\n',
    '/r/fixtures/terraform/bad/a-disabled.tf': 'resource "aws_s3_bucket" "a" {\n  versioning {\n    enabled = false\n  }\n}\n',
    '/r/fixtures/terraform/bad/a-disabled.findings': '2:5-2:20 ...\n',
    '/r/fixtures/terraform/fixed/a-disabled.tf': 'resource "aws_s3_bucket" "a" {\n  versioning {\n    enabled = true\n  }\n}\n',
    '/r/fixtures/terraform/good/enabled.tf': 'resource "aws_s3_bucket" "c" {}\n',
  });

  it('reads the first bad and good fixture of each language, and the bad one fixed', () => {
    assert.deepEqual(errors, []);
    const examples = readRuleExamples('/r', ['terraform', 'bicep'], fixtures);
    assert.deepEqual(Object.keys(examples), ['terraform']);
    assert.equal(examples.terraform?.bad?.name, 'a-disabled.tf');
    assert.equal(examples.terraform?.fixed?.text, 'resource "aws_s3_bucket" "a" {\n  versioning {\n    enabled = true\n  }\n}');
    assert.equal(examples.terraform?.good?.name, 'enabled.tf');
  });

  const page = renderRulePage(rule, ruleSet, readRuleExamples('/r', ['terraform'], fixtures));
  const cases: { name: string; text: string }[] = [
    { name: 'the summary table', text: '| medium | customer | data | `aws/s3` (Amazon S3) | versioning | terraform | quick fix |' },
    { name: 'what it reports, with placeholders named', text: 'Reports: *S3 bucket versioning is "<value>"*.' },
    { name: 'whose job it is under the service model', text: "Versioning: the **customer's** job (data layer) under Amazon S3's *abstracted* service model." },
    { name: "the service's layers, the rule's marked", text: "| **data** (this rule) | customer | The data and its versions are the customer's |\n| identity | customer |  |" },
    { name: 'the provider named as the owner of its layers', text: '| network | AWS |  |' },
    { name: 'the why', text: "Recovering from overwrites is the customer's job." },
    { name: 'the fix in words', text: '- terraform, `aws_s3_bucket`: **Enable versioning** — sets `versioning.enabled` to `true`. Safe to apply without review' },
    { name: 'the insecure example and its fixed form', text: '## Insecure example (terraform)\n\n```hcl\nresource "aws_s3_bucket" "a" {' },
    { name: 'the fixed example', text: '## After the quick fix (terraform)\n\n```hcl\nresource "aws_s3_bucket" "a" {\n  versioning {\n    enabled = true' },
    { name: "the peers' ids", text: '| checkov | `CKV_AWS_21` |\n| trivy | `AVD-AWS-0090` |' },
    { name: "that the peers' suppressions are honoured", text: '`checkov:skip=CKV_AWS_21`, `trivy:ignore:AVD-AWS-0090` also suppress this rule' },
    { name: 'the compliance references', text: '| cis-aws-1.5 | 2.1.3 |' },
    { name: 'how to suppress it', text: '# onus:ignore aws-s3-doc-versioning <reason>' },
  ];
  for (const c of cases) {
    it(`a page shows ${c.name}`, () => {
      assert.ok(page.includes(c.text), `missing:\n${c.text}\nin:\n${page}`);
    });
  }

  it("a fix of a target for earlier API versions names them", () => {
    const bicep = RULE.replace(
      '  terraform:\n    - resources: [aws_s3_bucket]',
      "  bicep:\n    - resources: [Microsoft.Storage/storageAccounts]\n      apiVersions: { before: '2019-04-01' }",
    );
    const built = buildRuleSet([{ folder: 'aws/s3/aws-s3-doc-versioning', yaml: bicep, check: undefined }], [{ file: 'services/aws.yaml', yaml: SERVICES }]);
    assert.deepEqual(built.errors, []);
    const text = renderRulePage(built.ruleSet.rules[0]!, built.ruleSet, {});
    assert.ok(text.includes('- bicep, `Microsoft.Storage/storageAccounts` (API versions before 2019-04-01): **Enable versioning**'), text);
  });

  it('a meta rule has a page, and the index lists rules and meta rules', () => {
    assert.match(renderMetaRulePage(META_RULES[0]!), /^# onus-suppression-reason\n\n\*\*A suppression says why\*\*/);
    const index = renderRuleIndex([rule], META_RULES);
    assert.ok(index.includes('| [aws-s3-doc-versioning](aws-s3-doc-versioning.md) | medium | customer | data | S3 bucket versioning is enabled |'));
    assert.ok(index.includes('| [onus-suppression-unused](onus-suppression-unused.md) |'));
  });

  it('the examples bundled for `onus explain` are the ones the docs read from the fixtures', () => {
    const catalog = loadDiskRuleSet().ruleSet;
    const differ = catalog.rules.filter((r) => {
      const languages = Object.keys(r.match);
      const disk = readRuleExamples(path.join(RULES_ROOT, r.folder), languages, diskFileSystem);
      const bundled = bundledExamples[r.folder] ?? {};
      return JSON.stringify(disk) !== JSON.stringify(Object.fromEntries(languages.filter((l) => bundled[l]).map((l) => [l, bundled[l]])));
    });
    assert.deepEqual(
      differ.map((r) => r.id),
      [],
    );
  });
});
