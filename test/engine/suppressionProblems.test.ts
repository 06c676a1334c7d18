/**
 * Suppressions that teams can live with, at the engine's boundary: an expired `until=` says so, a suppression without
 * a reason is reported, an unused `onus:ignore` is reported with a fix that removes it, KICS's `ignore-block`, what
 * suppressed each finding, and `.onus.yaml`'s `suppressions` policy — in Terraform, CloudFormation and Bicep.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf, type Analysis, type AnalyzeOptions } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { DEFAULT_CONFIG, parseConfig } from '../../server/src/engine/config';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { LineIndex } from '../../server/src/text/lineIndex';
import { memoryFileSystem } from '../support/memoryFileSystem';

const RULES: RuleSet = (() => {
  const common = `title: A test rule for suppressions
severity: high
owner: customer
layer: data
concept: test
why: A test rule that exercises suppressions.
remediation: Do the secure thing.
sources: [https://example.com/docs]
message: Versioning is off`;
  const result = buildRuleSet(
    [
      {
        folder: 'aws/s3/aws-s3-sup-versioning',
        yaml: `id: aws-s3-sup-versioning
service: aws/s3
${common}
references: { checkov: [CKV_AWS_21], trivy: [AVD-AWS-0090], kics: [568a4d22-3517-44a6-a7ad-6a7eed88722c], cfn-nag: [W35] }
match:
  terraform:
    - resources: [aws_s3_bucket]
      when: { path: versioning.enabled, notEquals: true, missing: true }
  cloudformation:
    - resources: ['AWS::S3::Bucket']
      when: { path: VersioningConfiguration.Status, notEquals: Enabled, missing: true }
`,
        check: undefined,
      },
      {
        folder: 'azure/storage/azure-storage-sup-tls',
        yaml: `id: azure-storage-sup-tls
service: azure/storage
${common}
references: {}
match:
  bicep:
    - resources: [Microsoft.Storage/storageAccounts]
      when: { path: properties.minimumTlsVersion, notEquals: TLS1_2, missing: true }
`,
        check: undefined,
      },
    ],
    [],
  );
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

/** Analyses one file (named by its extension) with a `.onus.yaml` text, on 2026-06-01. */
function analyze(name: string, text: string, configYaml = '', extra: Partial<AnalyzeOptions> = {}): Analysis {
  const file = `/m/${name}`;
  const config = configYaml ? parseConfig('/m/.onus.yaml', configYaml).config : DEFAULT_CONFIG;
  return analyzeUnitOf(file, memoryFileSystem({ [file]: text }), { rules: RULES, config, today: '2026-06-01', ...extra });
}

/** A span as `line:col-endCol` (1-based). */
function at(text: string, span: { start: number; end: number }): string {
  const index = new LineIndex(text);
  const s = index.positionAt(span.start);
  const e = index.positionAt(span.end);
  return `${s.line + 1}:${s.character + 1}-${e.line === s.line ? e.character + 1 : `${e.line + 1}:${e.character + 1}`}`;
}

interface Case {
  name: string;
  file?: string;
  text: string;
  config?: string;
  options?: Partial<AnalyzeOptions>;
  /** `ruleId` plus ` expired <date>` for each finding. */
  findings: string[];
  /** `source: reason` of each suppressed finding. */
  suppressed: string[];
  /** `place ruleId message` of each problem with a suppression. */
  problems: string[];
}

const BUCKET = 'resource "aws_s3_bucket" "b" {}\n';
const STORAGE = "'Microsoft.Storage/storageAccounts@2023-01-01'";

const cases: Case[] = [
  {
    name: 'an expired until= date: the finding stays, marked, and the comment says it expired',
    text: `# onus:ignore aws-s3-sup-versioning until=2026-01-31 temporary\n${BUCKET}`,
    findings: ['aws-s3-sup-versioning expired 2026-01-31'],
    suppressed: [],
    problems: ['1:1-63 onus-suppression-expired Suppression of aws-s3-sup-versioning expired on 2026-01-31'],
  },
  {
    name: 'an expired suppression above one in force: the one in force applies, the expired one is unused',
    text: `# onus:ignore aws-s3-sup-versioning until=2026-01-31 temporary\n# onus:ignore aws-s3-sup-versioning accepted for good\n${BUCKET}`,
    findings: [],
    suppressed: ['onus:ignore: accepted for good'],
    // The nearer suppression applies first, so the expired one silences nothing any more.
    problems: ['1:1-63 onus-suppression-unused Unused suppression: aws-s3-sup-versioning reports nothing here'],
  },
  {
    name: 'a suppression without a reason applies, and is reported',
    text: `resource "aws_s3_bucket" "b" {\n  # onus:ignore aws-s3-sup-versioning\n  versioning {\n    enabled = false\n  }\n}\n`,
    findings: [],
    suppressed: ['onus:ignore: '],
    problems: ['2:3-38 onus-suppression-reason Suppression of aws-s3-sup-versioning has no reason'],
  },
  {
    name: 'a suppression without a reason is not reported when requireReason is false',
    text: `# onus:ignore aws-s3-sup-versioning\n${BUCKET}`,
    config: 'suppressions: { requireReason: false }\n',
    findings: [],
    suppressed: ['onus:ignore: '],
    problems: [],
  },
  {
    name: 'a meta rule disabled by id reports nothing',
    text: `# onus:ignore aws-s3-sup-versioning\n${BUCKET}`,
    config: 'rules: { disabled: [onus-suppression-reason] }\n',
    findings: [],
    suppressed: ['onus:ignore: '],
    problems: [],
  },
  {
    name: 'an onus:ignore that silences nothing is unused',
    text: `# onus:ignore aws-s3-sup-versioning reviewed\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = true\n  }\n}\n`,
    findings: [],
    suppressed: [],
    problems: ['1:1-45 onus-suppression-unused Unused suppression: aws-s3-sup-versioning reports nothing here'],
  },
  {
    name: 'a suppression where the rule could not decide (a module input without a default) is not called unused',
    text: `variable "enabled" {}\n\n# onus:ignore aws-s3-sup-versioning the caller decides\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = var.enabled\n  }\n}\n`,
    findings: [],
    suppressed: [],
    problems: [],
  },
  {
    name: 'a suppression of a rule that did not run is not called unused',
    text: `# onus:ignore aws-s3-sup-versioning reviewed\n${BUCKET}`,
    options: { disabledRules: ['aws-s3-sup-versioning'] },
    findings: [],
    suppressed: [],
    problems: [],
  },
  {
    name: 'a suppression below the minimum severity is not called unused',
    text: `# onus:ignore aws-s3-sup-versioning reviewed\n${BUCKET}`,
    config: 'minimumSeverity: critical\n',
    findings: [],
    suppressed: [],
    problems: [],
  },
  {
    name: 'a suppression naming an unknown id is not called unused',
    text: `# onus:ignore aws-s3-sup-versioning,acme-custom-rule reviewed\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = true\n  }\n}\n`,
    findings: [],
    suppressed: [],
    problems: [],
  },
  {
    name: "checkov's skip is honoured by default",
    text: `resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_21:backups in the vault\n}\n`,
    findings: [],
    suppressed: ['checkov: backups in the vault'],
    problems: [],
  },
  {
    name: "peers' suppressions are not honoured with honorPeers: false",
    text: `#tfsec:ignore:AVD-AWS-0090\nresource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_21:backups in the vault\n}\n`,
    config: 'suppressions: { honorPeers: false }\n',
    findings: ['aws-s3-sup-versioning'],
    suppressed: [],
    problems: [],
  },
  {
    name: "trivy's ignore, with its source",
    text: `#trivy:ignore:AVD-AWS-0090\n${BUCKET}`,
    findings: [],
    suppressed: ['trivy: honoured trivy:ignore:AVD-AWS-0090'],
    problems: [],
  },
  {
    name: "KICS's ignore-block above the resource",
    text: `# kics-scan ignore-block\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = false\n  }\n}\n`,
    findings: [],
    suppressed: ['kics: honoured kics-scan ignore-block'],
    problems: [],
  },
  {
    name: "KICS's ignore-block above a nested block on the way to the finding",
    text: `resource "aws_s3_bucket" "b" {\n  # kics-scan ignore-block\n  versioning {\n    enabled = false\n  }\n}\n`,
    findings: [],
    suppressed: ['kics: honoured kics-scan ignore-block'],
    problems: [],
  },
  {
    name: "KICS's ignore-line above the finding's line",
    text: `resource "aws_s3_bucket" "b" {\n  versioning {\n    # kics-scan ignore-line\n    enabled = false\n  }\n}\n`,
    findings: [],
    suppressed: ['kics: honoured kics-scan ignore-line'],
    problems: [],
  },
  {
    name: 'CloudFormation YAML: an expired comment under the logical id',
    file: 't.yaml',
    text: `Resources:\n  B:\n    # onus:ignore aws-s3-sup-versioning until=2026-05-31 until the migration\n    Type: AWS::S3::Bucket\n`,
    findings: ['aws-s3-sup-versioning expired 2026-05-31'],
    suppressed: [],
    problems: ['3:5-77 onus-suppression-expired Suppression of aws-s3-sup-versioning expired on 2026-05-31'],
  },
  {
    name: 'CloudFormation Metadata without a reason: reported at the entry',
    file: 't.yaml',
    text: `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      onus:\n        ignore:\n          - id: aws-s3-sup-versioning\n`,
    findings: [],
    suppressed: ['metadata: '],
    problems: ['7:13-38 onus-suppression-reason Suppression of aws-s3-sup-versioning has no reason'],
  },
  {
    name: 'CloudFormation Metadata with an expired date',
    file: 't.yaml',
    text: `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      onus:\n        ignore:\n          - { id: aws-s3-sup-versioning, reason: migration, until: 2026-02-01 }\n`,
    findings: ['aws-s3-sup-versioning expired 2026-02-01'],
    suppressed: [],
    problems: ['7:13-80 onus-suppression-expired Suppression of aws-s3-sup-versioning expired on 2026-02-01'],
  },
  {
    name: "cfn_nag's rules_to_suppress, with its source",
    file: 't.yaml',
    text: `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - { id: W35, reason: logs elsewhere }\n`,
    findings: [],
    suppressed: ['cfn-nag: logs elsewhere'],
    problems: [],
  },
  {
    name: 'Bicep: an unused // onus:ignore',
    file: 'main.bicep',
    text: `// onus:ignore azure-storage-sup-tls reviewed\nresource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
    findings: [],
    suppressed: [],
    problems: ['1:1-46 onus-suppression-unused Unused suppression: azure-storage-sup-tls reports nothing here'],
  },
  {
    name: "Bicep: #disable-next-line needs no reason and is never called unused",
    file: 'main.bicep',
    text: `#disable-next-line azure-storage-sup-tls\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n#disable-next-line azure-storage-sup-tls\nparam p string\n`,
    findings: [],
    suppressed: ['#disable-next-line: honoured #disable-next-line'],
    problems: [],
  },
  {
    name: 'an excluded file reports no finding and no problem',
    text: `# onus:ignore aws-s3-sup-versioning\n${BUCKET}`,
    config: 'exclude: ["*.tf"]\n',
    findings: [],
    suppressed: [],
    problems: [],
  },
];

describe('suppressions that teams can live with', () => {
  for (const c of cases) {
    it(c.name, () => {
      const analysis = analyze(c.file ?? 'main.tf', c.text, c.config, c.options);
      assert.deepEqual(
        analysis.findings.map((f) => `${f.ruleId}${f.expiredSuppression ? ` expired ${f.expiredSuppression}` : ''}`),
        c.findings,
      );
      assert.deepEqual(
        analysis.suppressed.map((s) => `${s.source}: ${s.reason}`),
        c.suppressed,
      );
      assert.deepEqual(
        analysis.suppressionProblems.map((p) => `${at(c.text, p.span)} ${p.ruleId} ${p.message}`),
        c.problems,
      );
    });
  }

  it('the fix of an unused suppression removes its whole line, and nothing else', () => {
    const text = `resource "aws_s3_bucket" "b" {\r\n  # onus:ignore aws-s3-sup-versioning reviewed\r\n  versioning {\r\n    enabled = true\r\n  }\r\n}\r\n`;
    const [problem] = analyze('main.tf', text).suppressionProblems;
    assert.equal(problem?.ruleId, 'onus-suppression-unused');
    assert.equal(problem.fix?.isSafe, true);
    assert.equal(
      applyEdits(text, problem.fix?.edits ?? []),
      `resource "aws_s3_bucket" "b" {\r\n  versioning {\r\n    enabled = true\r\n  }\r\n}\r\n`,
    );
  });

  it('one problem per suppression, however many findings it covers', () => {
    const text = `# onus:ignore aws-s3-sup-versioning\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = false\n  }\n}\n`;
    const twice = analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': text, '/m/other.tf': BUCKET.replace('"b"', '"c"') }), {
      rules: RULES,
      today: '2026-06-01',
    });
    assert.deepEqual(
      twice.suppressionProblems.map((p) => p.ruleId),
      ['onus-suppression-reason'],
    );
  });
});
