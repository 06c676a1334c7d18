/**
 * The rule engine at its boundary: a rule written as YAML, a Terraform module as text, the findings and fixes a user
 * would see. Covers the condition operators, three-valued logic, `each`, `related`, fixes and suppressions.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf, type Analysis } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { LineIndex } from '../../server/src/text/lineIndex';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** A rule.yaml with the boilerplate fields filled in. */
function ruleYaml(id: string, match: string, extra = ''): string {
  return `id: ${id}
title: A test rule for the engine
severity: high
owner: customer
layer: data
service: aws/s3
concept: test
why: A test rule that exercises the engine's evaluation.
remediation: Do the secure thing.
sources: [https://example.com/docs]
references: { checkov: [CKV_AWS_21], trivy: [AVD-AWS-0090] }
message: Value is "{value}"
${extra}match:
${match}`;
}

/** Builds a rule set from rule.yaml texts, failing on load errors. */
function rules(...yamls: string[]): RuleSet {
  const result = buildRuleSet(
    yamls.map((yaml, i) => ({ folder: `aws/s3/${/^id: (\S+)/.exec(yaml)?.[1] ?? `r${i}`}`, yaml, check: undefined })),
    [],
  );
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
}

/** Analyses one Terraform file as a module. */
function analyze(text: string, ruleSet: RuleSet, extraFiles: Record<string, string> = {}): Analysis {
  return analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': text, ...extraFiles }), {
    rules: ruleSet,
    today: '2026-06-01',
  });
}

/** Findings as `line:col-line:col id message` (1-based). */
function show(analysis: Analysis, text: string): string[] {
  const index = new LineIndex(text);
  return analysis.findings.map((f) => {
    const s = index.positionAt(f.span.start);
    const e = index.positionAt(f.span.end);
    return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.ruleId} ${f.message}`;
  });
}

const versioning = rules(
  ruleYaml(
    'aws-s3-test-versioning',
    `  terraform:
    - resources: [aws_s3_bucket]
      unless: { related: { type: aws_s3_bucket_versioning, via: bucket } }
      when: { path: versioning.enabled, notEquals: true, missing: true }
      fix: { set: { path: versioning.enabled, value: true }, preferred: true }
`,
  ),
);

describe('engine', () => {
  describe('leaf conditions and locations', () => {
    const cases: { name: string; text: string; expected: string[] }[] = [
      {
        name: 'an explicit bad value points at the value',
        text: `resource "aws_s3_bucket" "b" {
  versioning {
    enabled = false
  }
}
`,
        expected: ['3:15-3:20 aws-s3-test-versioning Value is "false"'],
      },
      {
        name: 'a missing setting points at the resource header',
        text: `resource "aws_s3_bucket" "b" {
  bucket = "x"
}
`,
        expected: ['1:1-1:31 aws-s3-test-versioning Value is ""'],
      },
      {
        name: 'a missing attribute in an existing block points at that block header',
        text: `resource "aws_s3_bucket" "b" {
  versioning {
    mfa_delete = false
  }
}
`,
        expected: ['2:3-2:15 aws-s3-test-versioning Value is ""'],
      },
      {
        name: 'a missing setting under an empty list points at the list',
        text: `resource "aws_s3_bucket" "b" {
  bucket     = "x"
  versioning = []
}
`,
        expected: ['3:3-3:13 aws-s3-test-versioning Value is ""'],
      },
      {
        name: 'a variable without default is unknown and silent',
        text: `variable "on" {}
resource "aws_s3_bucket" "b" {
  versioning {
    enabled = var.on
  }
}
`,
        expected: [],
      },
      {
        name: 'a variable default resolves and the finding points where it is used',
        text: `variable "on" {
  default = false
}
resource "aws_s3_bucket" "b" {
  versioning {
    enabled = var.on
  }
}
`,
        expected: ['6:15-6:21 aws-s3-test-versioning Value is "false"'],
      },
      {
        name: 'the string "true" counts as true',
        text: `resource "aws_s3_bucket" "b" {
  versioning {
    enabled = "true"
  }
}
`,
        expected: [],
      },
      {
        name: 'a split versioning resource referring to the bucket configures it',
        text: `resource "aws_s3_bucket" "b" {
  bucket = "x"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
        expected: [],
      },
      {
        name: 'a split resource referring to another bucket does not configure this one',
        text: `resource "aws_s3_bucket" "a" {
  bucket = "a"
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.a.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
        expected: ['4:1-4:31 aws-s3-test-versioning Value is ""'],
      },
      {
        name: 'a split resource naming the bucket literally configures it',
        text: `resource "aws_s3_bucket" "b" {
  bucket = "logs"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = "logs"
  versioning_configuration {
    status = "Enabled"
  }
}
`,
        expected: [],
      },
      {
        name: 'a split resource whose bucket is a variable might be this one: silent',
        text: `variable "name" {}
resource "aws_s3_bucket" "b" {
  bucket = "logs"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = var.name
  versioning_configuration {
    status = "Enabled"
  }
}
`,
        expected: [],
      },
      {
        name: 'a resource with count = 0 is never deployed and not checked',
        text: `resource "aws_s3_bucket" "b" {
  count = 0
}
resource "aws_s3_bucket" "c" {
  for_each = toset([])
}
`,
        expected: [],
      },
      {
        name: 'a resource with an unknown count is checked once',
        text: `variable "create" {}
resource "aws_s3_bucket" "b" {
  count = var.create ? 1 : 0
}
`,
        expected: ['2:1-2:31 aws-s3-test-versioning Value is ""'],
      },
      {
        name: 'everything after a syntax error is still checked',
        text: `resource "aws_s3_bucket" "a" {
  bucket = 
}
resource "aws_s3_bucket" "b" {
  versioning {
    enabled = false
  }
}
`,
        expected: ['1:1-1:31 aws-s3-test-versioning Value is ""', '6:15-6:20 aws-s3-test-versioning Value is "false"'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(show(analyze(c.text, versioning), c.text), c.expected);
      });
    }
  });

  describe('operators and each', () => {
    const sg = rules(
      ruleYaml(
        'aws-s3-test-ssh',
        `  terraform:
    - resources: [aws_security_group]
      each: ingress
      when:
        all:
          - any:
              - { path: cidr_blocks, contains: 0.0.0.0/0 }
              - { path: ipv6_cidr_blocks, contains: "::/0" }
          - { path: from_port, lte: 22 }
          - { path: to_port, gte: 22 }
`,
      ),
    );
    it('reports each matching nested block at its first true leaf', () => {
      const text = `resource "aws_security_group" "s" {
  ingress {
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
  ingress {
    from_port        = 22
    to_port          = 22
    ipv6_cidr_blocks = ["::/0"]
  }
}
`;
      assert.deepEqual(show(analyze(text, sg), text), [
        '10:19-10:46 aws-s3-test-ssh Value is "10.0.0.0/8, 0.0.0.0/0"',
        '15:24-15:32 aws-s3-test-ssh Value is "::/0"',
      ]);
    });
    it('an unknown port keeps the rule silent', () => {
      const text = `variable "port" {}
resource "aws_security_group" "s" {
  ingress {
    from_port   = var.port
    to_port     = var.port
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
      assert.deepEqual(show(analyze(text, sg), text), []);
    });
  });

  describe('fixes', () => {
    const cases: { name: string; text: string; fixed: string }[] = [
      {
        name: 'replaces a bad value',
        text: `resource "aws_s3_bucket" "b" {
  versioning {
    enabled = false # keep this comment
  }
}
`,
        fixed: `resource "aws_s3_bucket" "b" {
  versioning {
    enabled = true # keep this comment
  }
}
`,
      },
      {
        name: 'inserts a missing block with the file indentation',
        text: `resource "aws_s3_bucket" "b" {
    bucket = "x"
}
`,
        fixed: `resource "aws_s3_bucket" "b" {
    bucket = "x"
    versioning {
        enabled = true
    }
}
`,
      },
      {
        name: 'inserts into an existing nested block',
        text: `  resource "aws_s3_bucket" "b" {
    versioning {
      mfa_delete = false
    }
  }
`,
        fixed: `  resource "aws_s3_bucket" "b" {
    versioning {
      mfa_delete = false
      enabled = true
    }
  }
`,
      },
      {
        name: 'fills an empty one-line block and keeps CRLF line endings',
        text: 'resource "aws_s3_bucket" "b" {\r\n  versioning {}\r\n}\r\n',
        fixed: 'resource "aws_s3_bucket" "b" {\r\n  versioning {\r\n    enabled = true\r\n  }\r\n}\r\n',
      },
      {
        name: 'fills an empty resource',
        text: `resource "aws_s3_bucket" "b" {}
`,
        fixed: `resource "aws_s3_bucket" "b" {
  versioning {
    enabled = true
  }
}
`,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const analysis = analyze(c.text, versioning);
        const fixedText = applyEdits(
          c.text,
          analysis.findings.flatMap((f) => f.fix?.edits ?? []),
        );
        assert.equal(fixedText, c.fixed);
        const after = analyze(fixedText, versioning);
        assert.deepEqual(after.errors, []);
        assert.deepEqual(after.findings, []);
      });
    }
    it('replaces a value inside a Terraform map (an object that is not a block), and inserts nothing into one', () => {
      const legacy = rules(
        ruleYaml(
          'gcp-gke-test-legacy-endpoints',
          `  terraform:
    - resources: [google_container_node_pool]
      when: { path: node_config.metadata.disable-legacy-endpoints, notEquals: "true", missing: true }
      fix: { set: { path: node_config.metadata.disable-legacy-endpoints, value: "true" } }
`,
        ),
      );
      const text = `resource "google_container_node_pool" "p" {
  node_config {
    metadata = {
      disable-legacy-endpoints = "false" # keep
      foo                      = "bar"
    }
  }
}
`;
      const analysis = analyze(text, legacy);
      const fixedText = applyEdits(text, analysis.findings.flatMap((f) => f.fix?.edits ?? []));
      assert.equal(fixedText, text.replace('= "false" # keep', '= "true" # keep'));
      assert.deepEqual(analyze(fixedText, legacy).findings, []);
      // The key is missing from the map: a block would be the wrong syntax, so there is no fix.
      const missing = `resource "google_container_node_pool" "p" {
  node_config {
    metadata = {
      foo = "bar"
    }
  }
}
`;
      const [finding] = analyze(missing, legacy).findings;
      assert.ok(finding);
      assert.equal(finding.fix, undefined);
    });
    const severalSteps = rules(
      ruleYaml(
        'aws-s3-test-several',
        `  terraform:
    - resources: [aws_kinesis_stream]
      when: { path: encryption_type, notEquals: KMS, missing: true }
      fix:
        set: { path: encryption_type, value: KMS }
        also:
          - set: { path: kms_key_id, value: alias/aws/kinesis, ifMissing: true }
          - set: { path: stream_mode_details.stream_mode, value: ON_DEMAND }
          - remove: { path: shard_count }
`,
      ),
    );
    const severalCases: { name: string; text: string; fixed: string }[] = [
      {
        name: 'several steps: settings of one block inserted together, a nested block once, a conflicting one removed',
        text: `resource "aws_kinesis_stream" "s" {
  name        = "s"
  shard_count = 1
}
`,
        fixed: `resource "aws_kinesis_stream" "s" {
  name        = "s"
  encryption_type = "KMS"
  kms_key_id = "alias/aws/kinesis"
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}
`,
      },
      {
        name: 'several steps: a bad value replaced, an ifMissing value already there kept, a block that exists filled',
        text: `resource "aws_kinesis_stream" "s" {
  encryption_type = "NONE"
  kms_key_id      = "arn:aws:kms:us-east-1:111122223333:key/own"
  stream_mode_details {
  }
}
`,
        fixed: `resource "aws_kinesis_stream" "s" {
  encryption_type = "KMS"
  kms_key_id      = "arn:aws:kms:us-east-1:111122223333:key/own"
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}
`,
      },
      {
        name: 'several steps: a value set by another step already right is left alone',
        text: `resource "aws_kinesis_stream" "s" {
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}
`,
        fixed: `resource "aws_kinesis_stream" "s" {
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
  encryption_type = "KMS"
  kms_key_id = "alias/aws/kinesis"
}
`,
      },
    ];
    for (const c of severalCases) {
      it(c.name, () => {
        const analysis = analyze(c.text, severalSteps);
        assert.equal(analysis.findings.length, 1);
        const fixedText = applyEdits(c.text, analysis.findings[0]!.fix?.edits ?? []);
        assert.equal(fixedText, c.fixed);
        const after = analyze(fixedText, severalSteps);
        assert.deepEqual(after.errors, []);
        assert.deepEqual(after.findings, []);
      });
    }
    describe('removeItems: the listed items leave a Terraform list, the rest of it stays as written', () => {
      const publicMembers = rules(
        ruleYaml(
          'gcp-iam-test-public-member',
          `  terraform:
    - resources: [google_project_iam_binding]
      when: { path: members.*, in: [allUsers, allAuthenticatedUsers] }
      fix: { removeItems: { path: members, in: [allUsers, allAuthenticatedUsers] } }
`,
        ),
      );
      const cases: { name: string; members: string; fixed: string }[] = [
        { name: 'a middle item, one line', members: '["user:a@x.com", "allUsers", "user:b@x.com"]', fixed: '["user:a@x.com", "user:b@x.com"]' },
        { name: 'the last item, one line', members: '["user:a@x.com", "allUsers"]', fixed: '["user:a@x.com"]' },
        { name: 'every item', members: '["allUsers", "allAuthenticatedUsers"]', fixed: '[]' },
        {
          name: 'items on their own lines, around a kept one',
          members: '[\n    "allUsers",\n    "user:a@x.com",\n    "allAuthenticatedUsers",\n  ]',
          fixed: '[\n    "user:a@x.com",\n  ]',
        },
      ];
      for (const c of cases) {
        it(c.name, () => {
          const text = `resource "google_project_iam_binding" "b" {\n  project = "p"\n  role    = "roles/viewer"\n  members = ${c.members}\n}\n`;
          const analysis = analyze(text, publicMembers);
          assert.ok(analysis.findings.length > 0);
          // Each finding's fix removes every public member; fix-all applies the first and drops the overlapping rest.
          const fixedText = applyEdits(text, analysis.findings[0]!.fix?.edits ?? []);
          assert.equal(fixedText, text.replace(c.members, c.fixed));
          const after = analyze(fixedText, publicMembers);
          assert.deepEqual(after.errors, []);
          assert.deepEqual(after.findings, []);
        });
      }
      it('offers no fix when the list is not written in place', () => {
        const text = `variable "m" {\n  default = ["allUsers"]\n}\nresource "google_project_iam_binding" "b" {\n  project = "p"\n  role    = "roles/viewer"\n  members = var.m\n}\n`;
        const [finding] = analyze(text, publicMembers).findings;
        assert.ok(finding);
        assert.equal(finding.fix, undefined);
      });
    });
    describe('set with {attribute:NAME}: a value written from the resource\'s own setting', () => {
      const pool = rules(
        ruleYaml(
          'gcp-gke-test-pool',
          `  terraform:
    - resources: [google_container_cluster]
      when: { path: workload_identity_config.workload_pool, exists: false }
      fix: { set: { path: workload_identity_config.workload_pool, value: "{attribute:project}.svc.id.goog" } }
`,
        ),
      );
      it('writes the project named on the resource into the value', () => {
        const text = 'resource "google_container_cluster" "c" {\n  project = "acme-prod"\n}\n';
        const [finding] = analyze(text, pool).findings;
        const fixedText = applyEdits(text, finding?.fix?.edits ?? []);
        assert.equal(
          fixedText,
          'resource "google_container_cluster" "c" {\n  project = "acme-prod"\n  workload_identity_config {\n    workload_pool = "acme-prod.svc.id.goog"\n  }\n}\n',
        );
        assert.deepEqual(analyze(fixedText, pool).findings, []);
      });
      for (const [name, text] of [
        ['no project on the resource', 'resource "google_container_cluster" "c" {\n  name = "c"\n}\n'],
        ['a project from a variable', 'variable "p" {\n  default = "acme"\n}\nresource "google_container_cluster" "c" {\n  project = var.p\n}\n'],
      ] as const) {
        it(`offers no fix for ${name}`, () => {
          const [finding] = analyze(text, pool).findings;
          assert.ok(finding);
          assert.equal(finding.fix, undefined);
        });
      }
    });
    describe('addItem: an entry added to a Terraform list or repeated block, the others kept', () => {
      const flagRule = rules(
        ruleYaml(
          'gcp-sql-test-log-connections',
          `  terraform:
    - resources: [google_sql_database_instance]
      when:
        any:
          - not: { path: settings.database_flags.name, equals: log_connections }
          - { path: settings.database_flags.value, equals: "off" }
      fix:
        title: Turn log_connections on
        addItem: { path: settings.database_flags, key: name, value: { name: log_connections, value: "on" } }
`,
        ),
      );
      const bypassRule = rules(
        ruleYaml(
          'azure-storage-test-bypass',
          `  terraform:
    - resources: [azurerm_storage_account_network_rules]
      when: { not: { path: bypass, contains: AzureServices } }
      fix: { addItem: { path: bypass, value: AzureServices } }
`,
        ),
      );
      const instance = (settings: string) =>
        `variable "flag" {\n  type = string\n}\nresource "google_sql_database_instance" "db" {\n  database_version = "POSTGRES_16"\n  settings {\n${settings}  }\n}\n`;
      const flag = (name: string, value: string) => `    database_flags {\n      name  = ${name}\n      value = ${value}\n    }\n`;
      const tier = '    tier = "db-f1-micro"\n';
      const added = flag('"log_connections"', '"on"');
      const flagCases: { name: string; settings: string; fixed: string }[] = [
        { name: 'no flags: a new block at the end of settings', settings: tier, fixed: tier + added },
        {
          name: 'other flags: a new block after the last of them, with the empty line the others have',
          settings: `${tier}\n${flag('"log_checkpoints"', '"on"')}\n${flag('"log_lock_waits"', '"on"')}\n    disk_size = 10\n`,
          fixed: `${tier}\n${flag('"log_checkpoints"', '"on"')}\n${flag('"log_lock_waits"', '"on"')}\n${added}\n    disk_size = 10\n`,
        },
        {
          name: 'the flag is there with "off": its value is set, nothing is added',
          settings: `${tier}${flag('"log_checkpoints"', '"on"')}${flag('"log_connections"', '"off"')}`,
          fixed: `${tier}${flag('"log_checkpoints"', '"on"')}${added}`,
        },
      ];
      for (const c of flagCases) {
        it(c.name, () => {
          const text = instance(c.settings);
          const [finding, ...rest] = analyze(text, flagRule).findings;
          assert.equal(rest.length, 0);
          assert.equal(finding?.fix?.title, 'Turn log_connections on');
          const fixedText = applyEdits(text, finding.fix.edits);
          assert.equal(fixedText, instance(c.fixed));
          const after = analyze(fixedText, flagRule);
          assert.deepEqual(after.errors, []);
          assert.deepEqual(after.findings, []);
        });
      }
      it('offers no fix where the name of a flag is unknown (it might be this one)', () => {
        const text = instance(`${tier}${flag('var.flag', '"off"')}${flag('"log_checkpoints"', '"off"')}`);
        const analysis = analyze(text.replace('"log_checkpoints"', '"log_connections"'), flagRule);
        assert.equal(analysis.findings.length, 1);
        assert.equal(analysis.findings[0]!.fix, undefined);
      });
      const network = (bypass: string) =>
        `resource "azurerm_storage_account_network_rules" "r" {\n  storage_account_id = "id"\n  default_action     = "Deny"\n${bypass}}\n`;
      const bypassCases: { name: string; bypass: string; fixed: string }[] = [
        { name: 'a one-line list', bypass: '  bypass = ["Logging"]\n', fixed: '  bypass = ["Logging", "AzureServices"]\n' },
        { name: 'an empty list', bypass: '  bypass = []\n', fixed: '  bypass = ["AzureServices"]\n' },
        {
          name: 'one item per line, with a trailing comma',
          bypass: '  bypass = [\n    "Logging",\n    "Metrics",\n  ]\n',
          fixed: '  bypass = [\n    "Logging",\n    "Metrics",\n    "AzureServices",\n  ]\n',
        },
        {
          name: 'one item per line, without a trailing comma (a comment stays with its item)',
          bypass: '  bypass = [\n    "Logging" # audit\n  ]\n',
          fixed: '  bypass = [\n    "Logging", # audit\n    "AzureServices"\n  ]\n',
        },
        { name: 'no list: a new one', bypass: '', fixed: '  bypass = ["AzureServices"]\n' },
      ];
      for (const c of bypassCases) {
        it(`a scalar: ${c.name}`, () => {
          const text = network(c.bypass);
          const [finding] = analyze(text, bypassRule).findings;
          const fixedText = applyEdits(text, finding?.fix?.edits ?? []);
          assert.equal(fixedText, network(c.fixed));
          const after = analyze(fixedText, bypassRule);
          assert.deepEqual(after.errors, []);
          assert.deepEqual(after.findings, []);
        });
      }
      it('offers no fix for a list from a variable', () => {
        const text = `variable "b" {\n  default = ["Logging"]\n}\n${network('  bypass = var.b\n')}`;
        const [finding] = analyze(text, bypassRule).findings;
        assert.ok(finding);
        assert.equal(finding.fix, undefined);
      });
    });
    describe('requires, otherwise and removeEach: the fix that fits the finding, or none', () => {
      const openIngress = rules(
        ruleYaml(
          'aws-ec2-test-open-ingress',
          `  terraform:
    - resources: [aws_security_group]
      each: ingress
      when:
        any:
          - { path: cidr_blocks.*, equals: 0.0.0.0/0 }
          - { path: ipv6_cidr_blocks.*, equals: "::/0" }
      fix:
        title: Remove the public ranges
        requires:
          any:
            - { path: cidr_blocks.*, notEquals: 0.0.0.0/0 }
            - { path: ipv6_cidr_blocks.*, notEquals: "::/0" }
        removeItems: { path: cidr_blocks, in: [0.0.0.0/0] }
        also:
          - removeItems: { path: ipv6_cidr_blocks, in: ["::/0"] }
        otherwise:
          title: Remove this ingress rule
          requires:
            not:
              any:
                - { path: cidr_blocks.*, notEquals: 0.0.0.0/0 }
                - { path: ipv6_cidr_blocks.*, notEquals: "::/0" }
          removeEach: true
`,
        ),
      );
      const group = (ingress: string) =>
        `variable "office" {\n  type = string\n}\nresource "aws_security_group" "web" {\n  name = "web"\n${ingress}}\n`;
      const https = '  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n';
      it('removes only the public ranges where another source remains (both lists, one edit)', () => {
        const ssh = '  ingress {\n    from_port        = 22\n    to_port          = 22\n    protocol         = "tcp"\n    cidr_blocks      = ["0.0.0.0/0", "10.0.0.0/8"]\n    ipv6_cidr_blocks = ["::/0"]\n  }\n';
        const text = group(ssh);
        const [finding, ...rest] = analyze(text, openIngress).findings;
        assert.equal(rest.length, 0);
        assert.equal(finding?.fix?.title, 'Remove the public ranges');
        const fixedText = applyEdits(text, finding.fix.edits);
        assert.equal(fixedText, group(ssh.replace('"0.0.0.0/0", ', '').replace('["::/0"]', '[]')));
        assert.deepEqual(analyze(fixedText, openIngress).findings, []);
      });
      it('a public range only in the second list still gets the removal', () => {
        const ssh = '  ingress {\n    protocol         = "-1"\n    from_port        = 0\n    to_port          = 0\n    cidr_blocks      = ["10.0.0.0/8"]\n    ipv6_cidr_blocks = ["::/0"]\n  }\n';
        const text = group(ssh);
        const [finding] = analyze(text, openIngress).findings;
        assert.equal(applyEdits(text, finding?.fix?.edits ?? []), group(ssh.replace('["::/0"]', '[]')));
      });
      it('otherwise removes the whole block when it has no other source, keeping the other blocks', () => {
        const ssh = '  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n';
        const text = group(https + ssh + https);
        const [finding, ...rest] = analyze(text, openIngress).findings;
        assert.equal(rest.length, 0);
        assert.equal(finding?.fix?.title, 'Remove this ingress rule');
        const fixedText = applyEdits(text, finding.fix.edits);
        assert.equal(fixedText, group(https + https));
        const after = analyze(fixedText, openIngress);
        assert.deepEqual(after.errors, []);
        assert.deepEqual(after.findings, []);
      });
      it('offers neither where whether another source remains is unknown', () => {
        const ssh = '  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0", var.office]\n  }\n';
        const [finding] = analyze(group(ssh), openIngress).findings;
        assert.ok(finding);
        assert.equal(finding.fix, undefined);
      });
    });
    it('a fix is preferred only when the value is written in place', () => {
      const text = `variable "on" {
  default = false
}
resource "aws_s3_bucket" "b" {
  versioning {
    enabled = var.on
  }
}
`;
      const [finding] = analyze(text, versioning).findings;
      assert.equal(finding?.fix?.isSafe, false);
      const inPlace = analyze(`resource "aws_s3_bucket" "b" {}\n`, versioning).findings[0];
      assert.equal(inPlace?.fix?.isSafe, true);
    });
  });

  describe('suppressions', () => {
    const cases: { name: string; text: string; findings: number; suppressed: string[] }[] = [
      {
        name: 'above the resource covers the whole resource',
        text: `# onus:ignore aws-s3-test-versioning migration bucket, deleted after cutover
resource "aws_s3_bucket" "b" {
  versioning {
    enabled = false
  }
}
`,
        findings: 0,
        suppressed: ['migration bucket, deleted after cutover'],
      },
      {
        name: 'above the attribute covers it',
        text: `resource "aws_s3_bucket" "b" {
  versioning {
    // onus:ignore aws-s3-test-versioning,other-rule reviewed
    enabled = false
  }
}
`,
        findings: 0,
        suppressed: ['reviewed'],
      },
      {
        name: 'an expired until date no longer suppresses',
        text: `# onus:ignore aws-s3-test-versioning until=2026-01-31 temporary
resource "aws_s3_bucket" "b" {}
`,
        findings: 1,
        suppressed: [],
      },
      {
        name: 'a future until date suppresses',
        text: `# onus:ignore aws-s3-test-versioning until=2027-01-31 temporary
resource "aws_s3_bucket" "b" {}
`,
        findings: 0,
        suppressed: ['temporary'],
      },
      {
        name: 'another rule id does not suppress',
        text: `# onus:ignore aws-s3-other reason
resource "aws_s3_bucket" "b" {}
`,
        findings: 1,
        suppressed: [],
      },
      {
        name: 'a comment separated by a blank line does not suppress',
        text: `# onus:ignore aws-s3-test-versioning reason

resource "aws_s3_bucket" "b" {}
`,
        findings: 1,
        suppressed: [],
      },
      {
        name: 'a suppression above a sibling attribute does not cover the finding',
        text: `resource "aws_s3_bucket" "b" {
  # onus:ignore aws-s3-test-versioning reason
  bucket = "x"
  versioning {
    enabled = false
  }
}
`,
        findings: 1,
        suppressed: [],
      },
      {
        name: "checkov's skip naming the rule's checkov id is honoured",
        text: `resource "aws_s3_bucket" "b" {
  #checkov:skip=CKV_AWS_21:versioning handled by backup vault
}
`,
        findings: 0,
        suppressed: ['versioning handled by backup vault'],
      },
      {
        name: "tfsec's ignore naming the rule's trivy id is honoured",
        text: `#tfsec:ignore:AVD-AWS-0090
resource "aws_s3_bucket" "b" {}
`,
        findings: 0,
        suppressed: ['honoured tfsec:ignore:AVD-AWS-0090'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const analysis = analyze(c.text, versioning);
        assert.equal(analysis.findings.length, c.findings);
        assert.deepEqual(
          analysis.suppressed.map((s) => s.reason),
          c.suppressed,
        );
      });
    }
  });

  describe('Azure resource types', () => {
    const auditing = rules(
      ruleYaml(
        'azure-sql-test-auditing',
        `  bicep:
    - resources: [Microsoft.Sql/servers]
      when:
        not: { related: { type: Microsoft.Sql/servers/auditingSettings, via: parent } }
`,
      ).replace('service: aws/s3', 'service: azure/sql'),
    );
    /** Analyses one Bicep file. */
    const bicep = (text: string) =>
      analyzeUnitOf('/b/main.bicep', memoryFileSystem({ '/b/main.bicep': text }), { rules: auditing, today: '2026-06-01' })
        .findings.length;
    const server = `resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql'
  location: 'westeurope'
`;
    const cases: { name: string; text: string; findings: number }[] = [
      { name: 'a server without auditing settings', text: `${server}}
`, findings: 1 },
      {
        name: 'a nested child configures its parent without a parent: property',
        text: `${server}  resource audit 'auditingSettings' = {
    name: 'default'
    properties: {
      state: 'Enabled'
    }
  }
}
`,
        findings: 0,
      },
      {
        name: 'a top-level child with parent:, its type spelled in another case',
        text: `${server}}
resource audit 'Microsoft.Sql/servers/AuditingSettings@2023-05-01-preview' = {
  parent: sql
  name: 'default'
}
`,
        findings: 0,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.equal(bicep(c.text), c.findings);
      });
    }
  });

  describe('apiVersions: a target for resources of earlier API versions only', () => {
    const https = rules(
      ruleYaml(
        'azure-storage-test-https',
        `  bicep:
    - resources: [Microsoft.Storage/storageAccounts, Microsoft.Storage/storageAccounts/blobServices]
      apiVersions: { before: '2019-04-01' }
      when: { path: properties.supportsHttpsTrafficOnly, exists: false }
  terraform:
    - resources: [azurerm_storage_account]
      apiVersions: { before: '2019-04-01' }
      when: { path: https_traffic_only_enabled, exists: false }
`,
      ).replace('service: aws/s3', 'service: azure/storage'),
    );
    const bicep = (text: string) =>
      analyzeUnitOf('/b/main.bicep', memoryFileSystem({ '/b/main.bicep': text }), { rules: https, today: '2026-06-01' })
        .findings.map((f) => f.resource);
    const account = (version: string, inner = '') => `resource stg 'Microsoft.Storage/storageAccounts@${version}' = {
  name: 'stg'
${inner}}
`;
    const cases: { name: string; text: string; findings: string[] }[] = [
      { name: 'an earlier version is inside the range', text: account('2018-07-01'), findings: ['stg'] },
      { name: 'a preview of an earlier date is inside', text: account('2019-03-01-preview'), findings: ['stg'] },
      { name: 'the version named by before is not', text: account('2019-04-01'), findings: [] },
      { name: 'a later preview is not', text: account('2021-09-01-preview'), findings: [] },
      {
        name: 'a nested child without its own version takes its parent\'s',
        text: account('2018-07-01', `  properties: {
    supportsHttpsTrafficOnly: true
  }
  resource blob 'blobServices' = {
    name: 'default'
  }
`),
        findings: ['stg::blob'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(bicep(c.text), c.findings);
      });
    }
    it('a resource that states no API version (Terraform) is skipped', () => {
      const text = 'resource "azurerm_storage_account" "s" {\n  name = "s"\n}\n';
      assert.deepEqual(show(analyze(text, https), text), []);
    });
    it('a before that is not a date is an error naming the field', () => {
      const result = buildRuleSet(
        [
          {
            folder: 'azure/storage/azure-storage-test-bad',
            yaml: ruleYaml(
              'azure-storage-test-bad',
              `  bicep:
    - resources: [Microsoft.Storage/storageAccounts]
      apiVersions: { before: '2019' }
      when: { path: properties.x, exists: false }
`,
            ).replace('service: aws/s3', 'service: azure/storage'),
            check: undefined,
          },
        ],
        [],
      );
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0]!.message, /apiVersions/);
    });
  });

  describe('isolation and loading', () => {
    it('a malformed rule is an error naming the file and the field', () => {
      const result = buildRuleSet(
        [{ folder: 'aws/s3/aws-s3-bad', yaml: ruleYaml('aws-s3-bad', '  terraform: []\n').replace('severity: high', 'severity: urgent'), check: undefined }],
        [],
      );
      assert.equal(result.ruleSet.rules.length, 0);
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0]!.message, /severity/);
      assert.equal(result.errors[0]!.file, 'rules/aws/s3/aws-s3-bad/rule.yaml');
    });
    it('an invalid regular expression is reported at load', () => {
      const result = buildRuleSet(
        [
          {
            folder: 'aws/s3/aws-s3-regex',
            yaml: ruleYaml('aws-s3-regex', '  terraform:\n    - resources: [x]\n      when: { path: a, matches: "(" }\n'),
            check: undefined,
          },
        ],
        [],
      );
      assert.match(result.errors[0]?.message ?? '', /match\.terraform\.0\.when: invalid regular expression/);
    });
    it('a rule whose check throws is isolated and logged with its id', () => {
      const source = {
        folder: 'aws/s3/aws-s3-throws',
        yaml: ruleYaml('aws-s3-throws', '  terraform:\n    - resources: [aws_s3_bucket]\n      check: true\n'),
        check: () => {
          throw new Error('boom');
        },
      };
      const { ruleSet } = buildRuleSet([source], []);
      const all: RuleSet = {
        ...ruleSet,
        rules: [...ruleSet.rules, ...versioning.rules],
        byId: new Map([...ruleSet.byId, ...versioning.byId]),
      };
      const logged: string[] = [];
      const analysis = analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': 'resource "aws_s3_bucket" "b" {}\n' }), {
        rules: all,
        onInternalError: (id) => logged.push(id),
      });
      assert.deepEqual(logged, ['aws-s3-throws']);
      assert.deepEqual(analysis.findings.map((f) => f.ruleId), ['aws-s3-test-versioning']);
    });
  });
});
