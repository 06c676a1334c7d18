/**
 * The `onus` command with a repository's configuration, as a user runs it (the built `dist/cli.js` in a child
 * process): `.onus.yaml` and custom rules in `scan`, suppression problems in every format, `rules` filters,
 * `explain` and `test-rules`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { ADOPTION_EXPECTED, ADOPTION_FILES, ADOPTION_SUPPRESSED, COST_CENTER_RULE } from '../support/adoptionRepo';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** Runs the CLI in `cwd` with colour off. */
function onus(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const folders: string[] = [];

/** Writes files into a new temporary folder. */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-config-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

interface ScanJson {
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; expiredSuppression?: string }[];
  errors: { file: string; line: number; column: number; message: string }[];
  suppressionProblems: { ruleId: string; message: string; file: string; line: number; column: number; fixable: boolean }[];
  suppressed?: { ruleId: string; file: string; line: number; column: number; reason: string; suppressedBy: string }[];
}

const LEVELS: Record<string, string> = {
  'onus-suppression-reason': 'warning',
  'onus-suppression-expired': 'note',
  'onus-suppression-unused': 'hint',
};

/** Findings and suppression problems of one file as `line:column rule-id severity`, in position order. */
function seen(doc: ScanJson, file: string): string[] {
  return [
    ...doc.findings.filter((f) => f.file === file).map((f) => ({ line: f.line, column: f.column, text: `${f.ruleId} ${f.severity}` })),
    ...doc.suppressionProblems.filter((p) => p.file === file).map((p) => ({ line: p.line, column: p.column, text: `${p.ruleId} ${LEVELS[p.ruleId]}` })),
  ]
    .sort((a, b) => a.line - b.line || a.column - b.column || a.text.localeCompare(b.text))
    .map((x) => `${x.line}:${x.column} ${x.text}`);
}

describe('onus CLI: configuration, suppressions and custom rules', () => {
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  });
  after(() => folders.splice(0).forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

  it('a new user\'s repository: .onus.yaml, a reasoned suppression, an expired one, checkov:skip and a custom rule', () => {
    const dir = workspace(ADOPTION_FILES);
    const r = onus(['scan', '.', '--format', 'json', '--list-suppressed'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout) as ScanJson;
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(seen(doc, 'main.tf'), ADOPTION_EXPECTED);
    assert.deepEqual(
      doc.suppressed?.map((s) => `${s.line}:${s.column} ${s.ruleId} ${s.reason} [${s.suppressedBy}]`),
      ADOPTION_SUPPRESSED,
    );
    assert.deepEqual(
      doc.findings.filter((f) => f.expiredSuppression).map((f) => `${f.line} ${f.ruleId} ${f.expiredSuppression}`),
      ['9 aws-s3-versioning 2024-12-31'],
    );
    // The custom rule's fixtures are insecure on purpose and never scanned.
    assert.deepEqual([...new Set(doc.findings.map((f) => f.file))], ['main.tf']);
  });

  it('prints the same repository as text: the expired note, the suppressions with their source, the counts', () => {
    const dir = workspace(ADOPTION_FILES);
    const r = onus(['scan', '.', '--list-suppressed'], dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    const expiredAt = lines.findIndex((l) => l.includes('main.tf:9:1') && l.includes('aws-s3-versioning'));
    assert.ok(lines.slice(expiredAt, expiredAt + 4).some((l) => l.trim() === 'suppression expired on 2024-12-31'), r.stdout);
    assert.ok(lines.includes('  main.tf:13:1  aws-s3-versioning  versioned by the backup vault [checkov]'), r.stdout);
    assert.ok(lines.includes('  main.tf:8:1  note     onus-suppression-expired  Suppression of aws-s3-versioning expired on 2024-12-31'), r.stdout);
    assert.match(r.stdout, /12 findings \(3 high, 8 medium, 1 low\) in 1 file; 1 file scanned; .*; 2 suppressed; 1 suppression problem\./);
  });

  it('writes suppression problems into SARIF that validates, with the meta rules described', () => {
    const dir = workspace(ADOPTION_FILES);
    const r = onus(['scan', '.', '--format', 'sarif'], dir);
    const log = JSON.parse(r.stdout) as { runs: any[] };
    const validate = new Ajv({ strict: false, unicodeRegExp: false, logger: false }).compile(sarifSchema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0];
    const expired = run.results.find((x: { ruleId: string }) => x.ruleId === 'onus-suppression-expired');
    assert.equal(expired.level, 'note');
    assert.equal(run.tool.driver.rules[expired.ruleIndex].id, 'onus-suppression-expired');
    const custom = run.tool.driver.rules.find((x: { id: string }) => x.id === 'aws-s3-acme-cost-center');
    assert.ok(custom && !('helpUri' in custom), 'a custom rule has no catalog docs page');
  });

  it('--severity replaces .onus.yaml\'s minimumSeverity; without it the file\'s applies', () => {
    const dir = workspace({ '.git/HEAD': 'x', '.onus.yaml': 'minimumSeverity: high\n', 'main.tf': ADOPTION_FILES['main.tf']! });
    const fromFile = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as ScanJson;
    assert.ok(fromFile.findings.every((f) => f.severity === 'high' || f.severity === 'critical'));
    const fromFlag = JSON.parse(onus(['scan', '.', '--format', 'json', '--severity', 'low'], dir).stdout) as ScanJson;
    assert.ok(fromFlag.findings.some((f) => f.severity === 'low'));
  });

  it('reports .onus.yaml problems with file, line and field, applies the rest, and scans on', () => {
    const dir = workspace({
      '.git/HEAD': 'x',
      '.onus.yaml': 'rules:\n  disabled: [aws-s3-versioning, aws-s3-versoning]\nminimumSeverity: urgent\nexclde: [x]\n',
      'main.tf': 'resource "aws_s3_bucket" "b" {}\n',
    });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    const doc = JSON.parse(r.stdout) as ScanJson;
    assert.deepEqual(
      doc.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
      [
        '.onus.yaml:2:33 rules.disabled.1: "aws-s3-versoning" is not a rule id',
        '.onus.yaml:3:18 minimumSeverity: must be equal to one of the allowed values (low, medium, high, critical)',
        '.onus.yaml:4:1 exclde: is not a known field',
      ],
    );
    assert.ok(!doc.findings.some((f) => f.ruleId === 'aws-s3-versioning'), 'the valid fields still apply');
    assert.ok(doc.findings.some((f) => f.severity === 'low'), 'the invalid minimumSeverity falls back to low');
    const text = onus(['scan', '.'], dir).stdout;
    assert.ok(text.includes('  .onus.yaml:4:1  error  exclde: is not a known field'), text);
  });

  it('reports a custom rule that does not pass the schema at its file, line and field', () => {
    const dir = workspace({
      ...ADOPTION_FILES,
      '.onus/rules/aws-s3-acme-cost-center/rule.yaml': COST_CENTER_RULE.replace('layer: data', 'layer: storage'),
    });
    const doc = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as ScanJson;
    assert.deepEqual(
      doc.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
      [
        '.onus/rules/aws-s3-acme-cost-center/rule.yaml:5:8 layer: must be equal to one of the allowed values (data, identity, application, network, os, physical)',
      ],
    );
    assert.ok(!doc.findings.some((f) => f.ruleId === 'aws-s3-acme-cost-center'));
  });

  it('reports a custom rule that writes a key twice at the second one, and does not load it', () => {
    const dir = workspace({
      ...ADOPTION_FILES,
      '.onus/rules/aws-s3-acme-cost-center/rule.yaml': COST_CENTER_RULE.replace('layer: data', 'layer: data\nlayer: network'),
    });
    const doc = JSON.parse(onus(['scan', '.', '--format', 'json'], dir).stdout) as ScanJson;
    assert.deepEqual(
      doc.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
      ['.onus/rules/aws-s3-acme-cost-center/rule.yaml:6:1 invalid YAML: Map keys must be unique'],
    );
    assert.ok(!doc.findings.some((f) => f.ruleId === 'aws-s3-acme-cost-center'));
  });

  it('exits 1 for a suppression without a reason, and not with requireReason: false', () => {
    const files = { '.git/HEAD': 'x', 'main.tf': '# onus:ignore aws-s3-public-acl\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "a"\n  acl    = "public-read"\n}\n' };
    const strict = onus(['scan', '.', '--format', 'json'], workspace(files));
    assert.equal(strict.code, 1);
    const doc = JSON.parse(strict.stdout) as ScanJson;
    assert.deepEqual(doc.findings, []);
    assert.deepEqual(
      doc.suppressionProblems.map((p) => `${p.line}:${p.column} ${p.ruleId} ${p.message}`),
      ['1:1 onus-suppression-reason Suppression of aws-s3-public-acl has no reason'],
    );
    const relaxed = onus(['scan', '.', '--format', 'json'], workspace({ ...files, '.onus.yaml': 'suppressions: { requireReason: false }\n' }));
    assert.equal(relaxed.code, 0, relaxed.stdout);
  });

  it('reports an unused suppression as fixable without failing the scan', () => {
    const dir = workspace({
      '.git/HEAD': 'x',
      'main.tf': '# onus:ignore aws-s3-public-acl no longer public\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "a"\n  acl    = "private"\n}\n',
    });
    const r = onus(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout) as ScanJson;
    assert.deepEqual(
      doc.suppressionProblems.map((p) => `${p.line}:${p.column} ${p.ruleId} ${p.fixable}`),
      ['1:1 onus-suppression-unused true'],
    );
  });

  it('lists every kind of suppression with its source for audits', () => {
    const dir = workspace({
      '.git/HEAD': 'x',
      'main.tf': `# onus:ignore aws-s3-public-acl public site
resource "aws_s3_bucket_acl" "a" {
  bucket = "a"
  acl    = "public-read"
}

#tfsec:ignore:AVD-AWS-0090
resource "aws_s3_bucket" "b" {
  bucket = "b"
}

# kics-scan ignore-block
resource "aws_s3_bucket" "c" {
  bucket = "c"
}
`,
      'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      onus:
        ignore:
          - { id: aws-s3-versioning, reason: scratch space }
      cfn_nag:
        rules_to_suppress:
          - { id: W35, reason: access logs go elsewhere }
`,
      'main.bicep': `#disable-next-line azure-storage-min-tls
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stg'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}
`,
    });
    const doc = JSON.parse(onus(['scan', '.', '--format', 'json', '--list-suppressed'], dir).stdout) as ScanJson & {
      suppressed: { file: string; ruleId: string; suppressedBy: string }[];
    };
    const sources = (file: string, rule: string) =>
      doc.suppressed.filter((s) => s.file === file && s.ruleId === rule).map((s) => s.suppressedBy);
    assert.deepEqual(sources('main.tf', 'aws-s3-public-acl'), ['onus:ignore']);
    assert.deepEqual(sources('main.tf', 'aws-s3-versioning'), ['tfsec', 'kics']);
    assert.deepEqual(sources('template.yaml', 'aws-s3-versioning'), ['metadata']);
    assert.deepEqual(sources('template.yaml', 'aws-s3-access-logging'), ['cfn-nag']);
    assert.deepEqual(sources('main.bicep', 'azure-storage-min-tls'), ['#disable-next-line']);
  });

  describe('rules', () => {
    const cases: { name: string; args: string[]; check: (rules: { id: string; provider: string; severity: string; owner: string; languages: string[] }[]) => void }[] = [
      { name: 'by provider', args: ['--provider', 'azure'], check: (rules) => assert.ok(rules.every((r) => r.provider === 'azure')) },
      {
        name: 'by several languages',
        args: ['--language', 'cloudformation,bicep'],
        check: (rules) => assert.ok(rules.every((r) => r.languages.includes('cloudformation') || r.languages.includes('bicep'))),
      },
      { name: 'by minimum severity', args: ['--severity', 'critical'], check: (rules) => assert.ok(rules.every((r) => r.severity === 'critical')) },
      { name: 'by owner', args: ['--owner', 'provider'], check: (rules) => assert.ok(rules.every((r) => r.owner === 'provider')) },
      {
        name: 'combined',
        args: ['--provider', 'aws', '--severity', 'high', '--language', 'terraform'],
        check: (rules) => {
          assert.ok(rules.length > 0);
          assert.ok(rules.every((r) => r.provider === 'aws' && ['high', 'critical'].includes(r.severity) && r.languages.includes('terraform')));
        },
      },
    ];
    for (const c of cases) {
      it(`filters ${c.name}`, () => {
        const r = onus(['rules', '--format', 'json', ...c.args], ROOT);
        assert.equal(r.code, 0, r.stderr);
        const { rules } = JSON.parse(r.stdout) as { rules: Parameters<typeof c.check>[0] };
        c.check(rules);
      });
    }

    it('rejects an unknown filter value with exit code 2', () => {
      const r = onus(['rules', '--provider', 'oracle'], ROOT);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown --provider "oracle" \(expected aws, azure, gcp\)/);
    });

    it("lists the current folder's custom rules, marked", () => {
      const r = onus(['rules', '--format', 'json', '--severity', 'low'], workspace(ADOPTION_FILES));
      const { rules } = JSON.parse(r.stdout) as { rules: { id: string; custom?: boolean }[] };
      assert.deepEqual(rules.filter((x) => x.custom).map((x) => x.id), ['aws-s3-acme-cost-center']);
    });
  });

  describe('explain', () => {
    it('prints a built-in rule\'s page: ownership under the service model, the fix, examples, peers, compliance', () => {
      const r = onus(['explain', 'aws-s3-versioning'], ROOT);
      assert.equal(r.code, 0, r.stderr);
      for (const heading of ['# aws-s3-versioning', '## Who owns this setting, and why', '## Fix', '## Insecure example (terraform)', '## After the quick fix (terraform)', '## Same check in other tools', '## Suppressing']) {
        assert.ok(r.stdout.includes(`${heading}\n`), `missing ${heading}`);
      }
      assert.match(r.stdout, /under Amazon S3's \*abstracted\* service model/);
      assert.match(r.stdout, /\| checkov \| `CKV_AWS_21` \|/);
    });

    it('prints the page docs/rules holds for the rule', () => {
      const r = onus(['explain', 'aws-s3-public-acl'], ROOT);
      const page = fs.readFileSync(path.join(ROOT, 'docs/rules/aws-s3-public-acl.md'), 'utf8');
      assert.equal(r.stdout, page.trimEnd() + '\n');
    });

    it("prints a custom rule's page with its own examples, and a meta rule's page", () => {
      const dir = workspace(ADOPTION_FILES);
      const custom = onus(['explain', 'aws-s3-acme-cost-center'], dir);
      assert.equal(custom.code, 0, custom.stderr);
      assert.ok(custom.stdout.includes('## Insecure example (terraform)\n\n```hcl\nresource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n```'), custom.stdout);
      const meta = onus(['explain', 'onus-suppression-reason'], dir);
      assert.match(meta.stdout, /^# onus-suppression-reason\n/);
    });

    it('exits 2 for an unknown id, suggesting close ones', () => {
      const r = onus(['explain', 'aws-s3-versionning'], ROOT);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown rule "aws-s3-versionning"; did you mean aws-s3-versioning\?/);
    });
  });

  describe('test-rules', () => {
    it('runs a custom rule folder\'s fixtures and prints the counts', () => {
      const dir = workspace(ADOPTION_FILES);
      const r = onus(['test-rules', '.onus/rules'], dir);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(r.stdout.split('\n'), [
        'aws-s3-acme-cost-center (.onus/rules/aws-s3-acme-cost-center)',
        '  \u2714 passes the rule schema',
        '  \u2714 has terraform good and bad fixtures',
        '  \u2714 has no terraform fixed fixtures (no fix)',
        '  \u2714 good/tagged.tf: no finding',
        '  \u2714 bad/untagged.tf: findings match the golden',
        '',
        '5 passed, 0 failed',
        '',
      ]);
    });

    it('fails on a golden that differs, a good fixture that fires and a missing golden; --update writes goldens', () => {
      const base = '.onus/rules/aws-s3-acme-cost-center/fixtures/terraform';
      const dir = workspace({
        ...ADOPTION_FILES,
        [`${base}/bad/untagged.findings`]: '1:1-1:31 aws-s3-acme-cost-center low Something else\n',
        [`${base}/good/untagged-too.tf`]: 'resource "aws_s3_bucket" "c" {}\n',
        [`${base}/bad/no-golden.tf`]: 'resource "aws_s3_bucket" "d" {}\n',
      });
      const r = onus(['test-rules', '.onus/rules/aws-s3-acme-cost-center'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /\u2718 good\/untagged-too\.tf: no finding: the rule reports\n {6}1:1-1:31 aws-s3-acme-cost-center low S3 bucket has no cost-center tag/);
      assert.match(r.stdout, /\u2718 bad\/untagged\.tf: findings match the golden: differs from .*untagged\.findings/);
      assert.match(r.stdout, /\u2718 bad\/no-golden\.tf: findings match the golden: missing .*no-golden\.findings \(run with --update/);
      assert.match(r.stdout, /\n4 passed, 3 failed\n$/);
      onus(['test-rules', '.onus/rules', '--update'], dir);
      assert.equal(
        fs.readFileSync(path.join(dir, base, 'bad/no-golden.findings'), 'utf8'),
        '1:1-1:31 aws-s3-acme-cost-center low S3 bucket has no cost-center tag\n',
      );
    });

    it('checks a fixable rule\'s fixed/ files, and reports a rule that does not load', () => {
      const fixable = COST_CENTER_RULE.replace(
        "      when: { path: tags.cost-center, exists: false }\n",
        "      when: { path: acl, equals: public-read }\n      fix: { title: Make it private, set: { path: acl, value: private } }\n",
      );
      const base = 'rules/aws-s3-acme-cost-center/fixtures/terraform';
      const dir = workspace({
        'rules/aws-s3-acme-cost-center/rule.yaml': fixable,
        [`${base}/good/private.tf`]: 'resource "aws_s3_bucket" "b" {\n  acl = "private"\n}\n',
        [`${base}/bad/public.tf`]: 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n',
        [`${base}/bad/public.findings`]: '2:9-2:22 aws-s3-acme-cost-center low S3 bucket has no cost-center tag\n',
        [`${base}/fixed/public.tf`]: 'resource "aws_s3_bucket" "b" {\n  acl = "private"\n}\n',
        'rules/aws-s3-acme-broken/rule.yaml': COST_CENTER_RULE.replace('aws-s3-acme-cost-center', 'aws-s3-acme-broken').replace('severity: low', 'severity: urgent'),
      });
      const r = onus(['test-rules', 'rules'], dir);
      assert.match(r.stdout, /\u2714 bad\/public\.tf: the fix gives fixed\/public\.tf, re-parses and clears the rule/);
      assert.match(r.stdout, /\u2718 passes the rule schema: rules\/aws-s3-acme-broken\/rule\.yaml:3:11: severity: must be equal to one of the allowed values/);
      assert.match(r.stdout, /\n6 passed, 1 failed\n$/);
      assert.equal(r.code, 1);
    });

    it('exits 2 for a folder that cannot be read', () => {
      const r = onus(['test-rules', 'no/such/folder'], ROOT);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read folder "no\/such\/folder"/);
    });
  });
});
