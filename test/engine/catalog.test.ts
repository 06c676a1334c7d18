/**
 * The services catalog (`rules/services/*.yaml`) against its schema and against the rules: every rule's service
 * exists, every type a rule targets belongs to a service, every duty names real rules of its service, and a broken
 * entry is reported with its line and field instead of loaded.
 */
import * as assert from 'node:assert/strict';
import { checkCatalog } from '../../server/src/engine/checkCatalog';
import { buildRuleSet, loadServices } from '../../server/src/engine/loadRules';
import { Duty, Fulfilment } from '../../server/src/engine/ruleSet';
import { loadDiskRuleSet } from '../support/ruleSources';

const LAYERS = `    layers:
      data: { owner: customer }
      identity: { owner: customer }
      application: { owner: shared }
      network: { owner: provider }
      os: { owner: provider }
      physical: { owner: provider }
    sources: [https://example.com/s3]
`;

/** A one-service catalog whose S3 entry ends with `extra` (YAML at the entry's indentation). */
function s3Catalog(extra: string): string {
  return `services:
  - id: aws/s3
    provider: aws
    name: Amazon S3
    model: abstracted
    modelSource: https://example.com/model
    resourceTypes: { terraform: [aws_s3_bucket, aws_s3_bucket_logging] }
${LAYERS}${extra.includes('duties:') ? extra : `    duties: []\n${extra}`}`;
}

const RULE = `id: aws-s3-test-logging
title: S3 bucket logs access
severity: low
owner: customer
layer: data
service: aws/s3
concept: access-logging
why: The access trail is the customer's to keep.
remediation: Add logging.
sources: [https://example.com/logging]
references: {}
message: S3 bucket has no access logging
match:
  terraform:
    - resources: [aws_s3_bucket]
      when: { path: logging, exists: false }
`;

describe('services catalog', () => {
  const { ruleSet, errors } = loadDiskRuleSet();

  it('loads without errors', () => {
    assert.deepEqual(errors, []);
  });

  it('agrees with the rules: services, target types and duties', () => {
    assert.deepEqual(checkCatalog(ruleSet), []);
  });

  it('every duty is about types its service lists, with unique ids', () => {
    for (const service of ruleSet.services) {
      const ids = service.duties.map((d) => d.id);
      assert.equal(new Set(ids).size, ids.length, `${service.id} repeats a duty id`);
    }
  });

  it('the S3 entry states its duties, their rules and what fulfils them', () => {
    const s3 = ruleSet.services.find((s) => s.id === 'aws/s3');
    assert.ok(s3);
    const logging = s3.duties.find((d) => d.id === 'access-logging');
    assert.ok(logging);
    assert.equal(logging.layer, 'data');
    assert.equal(logging.providerDefault, false);
    assert.deepEqual(logging.rules, ['aws-s3-access-logging']);
    assert.deepEqual(logging.fulfilledBy?.terraform?.map(Fulfilment.parse), [
      { kind: 'setting', path: ['logging'] },
      { kind: 'resource', type: 'aws_s3_bucket_logging' },
    ]);
    assert.equal(Duty.isAbout(logging, { format: 'terraform', type: 'aws_s3_bucket' }), true);
    assert.equal(Duty.isAbout(logging, { format: 'terraform', type: 'aws_s3_bucket_logging' }), false);
    assert.equal(s3.duties.find((d) => d.id === 'encryption-at-rest')?.providerDefault, true);
  });

  const brokenEntries = [
    {
      name: 'an unknown layer in a duty',
      extra: '    duties:\n      - { id: logging, name: Access logging, layer: disk, providerDefault: false, rules: [aws-s3-test-logging] }\n',
      message: 'services.0.duties.0.layer: must be equal to one of the allowed values (data, identity, application, network, os, physical)',
      line: 17,
    },
    {
      name: 'a duty without providerDefault',
      extra: '    duties:\n      - { id: logging, name: Access logging, layer: data }\n',
      message: "services.0.duties.0: must have required property 'providerDefault'",
      line: 17,
    },
    {
      name: 'a fulfilment that is neither a path nor a resource',
      extra: '    duties:\n      - { id: logging, name: Access logging, layer: data, providerDefault: false, fulfilledBy: { terraform: ["logging target"] } }\n',
      message: 'services.0.duties.0.fulfilledBy.terraform.0: must match pattern',
      line: 17,
    },
    {
      name: 'a duty id used twice',
      extra:
        '    duties:\n      - { id: logging, name: Access logging, layer: data, providerDefault: true }\n      - { id: logging, name: Logging again, layer: data, providerDefault: true }\n',
      message: 'services.0.duties.1.id: "logging" is listed twice in aws/s3',
      line: 18,
    },
  ];
  for (const c of brokenEntries) {
    it(`reports ${c.name} with its line`, () => {
      const { errors: problems } = loadServices([{ file: 'services/aws.yaml', yaml: s3Catalog(c.extra) }]);
      assert.equal(problems.length, 1);
      assert.ok(problems[0]!.message.startsWith(c.message), problems[0]!.message);
      assert.equal(problems[0]!.line, c.line);
    });
  }

  it('reports an entry without duties', () => {
    const text = s3Catalog('').replace('    duties: []\n', '');
    const { errors: problems } = loadServices([{ file: 'services/aws.yaml', yaml: text }]);
    assert.equal(problems.length, 1);
    assert.ok(problems[0]!.message.startsWith("services.0: must have required property 'duties'"), problems[0]!.message);
  });

  const mismatches = [
    {
      name: 'a duty naming a rule that does not exist',
      extra: '    duties:\n      - { id: logging, name: Access logging, layer: data, providerDefault: false, rules: [aws-s3-nothing] }\n',
      problem: 'service aws/s3, duty logging: rule aws-s3-nothing does not exist',
    },
    {
      name: 'a duty about a type the service does not list',
      extra:
        '    duties:\n      - { id: logging, name: Access logging, layer: data, providerDefault: false, rules: [aws-s3-test-logging], appliesTo: { terraform: [aws_instance] } }\n',
      problem: 'service aws/s3, duty logging: appliesTo names terraform type aws_instance, which the service does not list',
    },
    {
      name: 'a duty nothing could meet',
      extra: '    duties:\n      - { id: logging, name: Access logging, layer: data, providerDefault: false }\n',
      problem: 'service aws/s3, duty logging: names no rule and nothing that fulfils it, so it could never be met',
    },
  ];
  for (const c of mismatches) {
    it(`finds ${c.name}`, () => {
      const built = buildRuleSet([{ folder: 'aws/s3/aws-s3-test-logging', yaml: RULE, check: undefined }], [
        { file: 'services/aws.yaml', yaml: s3Catalog(c.extra) },
      ]);
      assert.deepEqual(built.errors, []);
      assert.deepEqual(
        checkCatalog(built.ruleSet).filter((p) => !p.startsWith('rule aws-s3-test-logging: no duty')),
        [c.problem],
      );
    });
  }

  it('finds a rule that no duty of its service names', () => {
    const built = buildRuleSet([{ folder: 'aws/s3/aws-s3-test-logging', yaml: RULE, check: undefined }], [
      { file: 'services/aws.yaml', yaml: s3Catalog('    duties: []\n') },
    ]);
    assert.deepEqual(checkCatalog(built.ruleSet), [
      'rule aws-s3-test-logging: no duty of aws/s3 names it (hovers, code lenses and the matrix read findings through duties)',
    ]);
  });

  it('finds a type two services both claim', () => {
    const second = `  - id: aws/s3-logs
    provider: aws
    name: S3 logging
    model: abstracted
    modelSource: https://example.com/model
    resourceTypes: { terraform: ["aws_s3_bucket_log*"] }
${LAYERS}    duties: []
`;
    const built = buildRuleSet([], [{ file: 'services/aws.yaml', yaml: s3Catalog('') + second }]);
    assert.deepEqual(built.errors, []);
    assert.deepEqual(checkCatalog(built.ruleSet), ['terraform types aws_s3_bucket_logging (aws/s3) and aws_s3_bucket_log* (aws/s3-logs) overlap']);
  });

  it('finds a rule whose service or target type the catalog lacks', () => {
    const rule = RULE.replace('service: aws/s3', 'service: aws/glacier').replace('[aws_s3_bucket]', '[aws_glacier_vault]');
    const built = buildRuleSet([{ folder: 'aws/s3/aws-s3-test-logging', yaml: rule, check: undefined }], [
      { file: 'services/aws.yaml', yaml: s3Catalog('') },
    ]);
    assert.deepEqual(checkCatalog(built.ruleSet), [
      'rule aws-s3-test-logging: service aws/glacier is not in the services catalog',
      'rule aws-s3-test-logging: terraform type aws_glacier_vault belongs to no service of the catalog',
    ]);
  });
});
