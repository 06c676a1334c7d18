/**
 * The secure resource templates: for every resource type with rules, in every syntax, the generated template scans
 * clean with the real rules and parses without errors.
 */
import * as assert from 'node:assert/strict';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { buildTemplate, formatOf, templateTypes, type TemplateSyntax } from '../../server/src/engine/templates';
import { toSnippet } from '../../server/src/features/completion';

const ruleSet = loadBundledRuleSet();
const SYNTAXES: TemplateSyntax[] = ['terraform', 'cloudformation-yaml', 'cloudformation-json', 'bicep'];

/**
 * FIXME(#12): templates that still have findings, because the rule's secure setting cannot be written through a fix
 * intent yet: a Terraform map argument (`metadata = { … }`, which the HCL renderer would write as a block), a
 * CloudFormation list of objects (`BlockDeviceMappings`, `LoadBalancerAttributes`) and a Bicep companion that a rule
 * recognises only by a name pattern (App Service `config` named `authsettingsV2`).
 */
const KNOWN_UNCLEAN: Record<string, string[]> = {
  'terraform google_compute_instance': ['gcp-compute-block-project-ssh-keys'],
  'terraform google_compute_instance_from_template': ['gcp-compute-block-project-ssh-keys'],
  'terraform google_compute_instance_template': ['gcp-compute-block-project-ssh-keys'],
  'terraform google_compute_region_instance_template': ['gcp-compute-block-project-ssh-keys'],
  'terraform google_compute_project_metadata': ['gcp-compute-os-login'],
  'cloudformation-yaml AWS::EC2::Instance': ['aws-ec2-instance-volume-encryption'],
  'cloudformation-json AWS::EC2::Instance': ['aws-ec2-instance-volume-encryption'],
  'cloudformation-yaml AWS::ElasticLoadBalancingV2::LoadBalancer': ['aws-elb-access-logs', 'aws-elb-drop-invalid-headers'],
  'cloudformation-json AWS::ElasticLoadBalancingV2::LoadBalancer': ['aws-elb-access-logs', 'aws-elb-drop-invalid-headers'],
  'bicep Microsoft.Web/sites': ['azure-appservice-authentication'],
  'bicep Microsoft.Web/sites/slots': ['azure-appservice-authentication'],
};

describe('engine: secure resource templates', function () {
  this.timeout(120000);
  for (const syntax of SYNTAXES) {
    it(`${syntax}: every resource type with rules gets a template that scans clean`, () => {
      const types = templateTypes(ruleSet, formatOf(syntax));
      assert.ok(types.length > 10, `only ${types.length} types`);
      const unclean: Record<string, string[]> = {};
      for (const type of types) {
        const template = buildTemplate(ruleSet, syntax, type);
        assert.ok(template, type);
        if (template.findings.length > 0) {
          unclean[`${syntax} ${type}`] = [...new Set(template.findings.map((f) => f.ruleId))];
        }
      }
      const expected = Object.fromEntries(Object.entries(KNOWN_UNCLEAN).filter(([k]) => k.startsWith(`${syntax} `)));
      assert.deepEqual(unclean, expected, 'a rule without a fix needs `template:` settings (rules/README.md, Templates)');
    });
  }

  it('the S3 bucket template (Terraform) is the bucket and its provider v4 companions, settings at secure values', () => {
    const template = buildTemplate(ruleSet, 'terraform', 'aws_s3_bucket');
    assert.deepEqual(template?.companions, [
      'aws_s3_bucket_logging',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_policy',
    ]);
    assert.match(template.text, /resource "aws_s3_bucket_versioning" "example" \{\n {2}bucket = aws_s3_bucket\.example\.id\n {2}versioning_configuration \{\n[^}]* {4}status = "Enabled"\n {2}\}\n\}/);
    assert.match(template.text, /sse_algorithm = "aws:kms"\n {6}kms_master_key_id = "<kms master key id>"/);
  });

  it('a CloudFormation YAML template writes a list of mappings as flow mappings (ECS ClusterSettings, EKS EnabledTypes)', () => {
    const ecs = buildTemplate(ruleSet, 'cloudformation-yaml', 'AWS::ECS::Cluster');
    assert.match(ecs!.text, /ClusterSettings: \[\{ Name: containerInsights, Value: enabled \}\]/);
    const eks = buildTemplate(ruleSet, 'cloudformation-yaml', 'AWS::EKS::Cluster');
    assert.match(eks!.text, /EnabledTypes: \[\{ Type: api \}, \{ Type: audit \}/);
    assert.doesNotMatch(eks!.text, /object Object/);
  });

  it('a Terraform template takes the settings a rule with a `check` gives (Secrets Manager customer key)', () => {
    const template = buildTemplate(ruleSet, 'terraform', 'aws_secretsmanager_secret');
    assert.match(template!.text, /kms_key_id = "<customer managed KMS key ARN>"/);
    assert.deepEqual(template!.findings, []);
  });

  it('a Bicep template names the API version the rules\u2019 fixtures use, when given', () => {
    const template = buildTemplate(ruleSet, 'bicep', 'Microsoft.Storage/storageAccounts', { 'Microsoft.Storage/storageAccounts': '2023-01-01' });
    assert.match(template!.text, /^resource example 'Microsoft\.Storage\/storageAccounts@2023-01-01' = \{\n {2}name: 'example'\n/);
    assert.match(template!.text, /allowSharedKeyAccess: false/);
  });

  const snippetCases = [
    { name: 'name and placeholders become tab stops', text: 'a "example" b "<kms key>"', replacement: undefined, expected: 'a "${1:example}" b "${2:kms key}"$0' },
    { name: 'a given name is literal', text: "x example '<id>'", replacement: 'stg', expected: "x stg '${1:id}'$0" },
    { name: 'dollars and braces are escaped', text: '{ "${x}" }', replacement: undefined, expected: '{ "\\${x\\}" \\}$0' },
  ];
  for (const c of snippetCases) {
    it(`toSnippet: ${c.name}`, () => {
      assert.equal(toSnippet(c.text, { token: 'example', replacement: c.replacement }), c.expected);
    });
  }
});
