/**
 * `onus scan`'s streamed report: JSON and text print each file's findings while the scan goes on, SARIF converts them
 * as they come and holds them compressed until the rules the log names are known, and each must print byte for byte
 * what formatting the whole scan (every unit analysed, the findings sorted at the end) prints. Checked on
 * generated repositories made to need held findings (modules called from folders that come later in the report, a
 * module reached by several callers, folders told apart only by case, names on both sides of the path separator,
 * downloaded modules, Bicep modules, two `.onus.yaml` with one custom rule id), on seeded random repositories of
 * folders calling each other, and with `ONUS_CORPUS` on every real-world repository of the corpus.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatJson } from '../../server/src/cli/formatJson';
import { formatSarif, formatSarifChunks } from '../../server/src/cli/formatSarif';
import { formatText } from '../../server/src/cli/formatText';
import { runCli, VERSION } from '../../server/src/cli/main';
import { scanPaths, scanStreamed } from '../../server/src/cli/scan';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { bundledCfnSpec } from '../../server/src/engine/cfnSpecShards';
import { ProjectLoader } from '../../server/src/engine/config';
import { loadBundledRuleSetWithErrors } from '../../server/src/engine/loadRules';
import { MetaRule } from '../../server/src/engine/metaRules';
import type { Severity } from '../../server/src/engine/types';
import { COST_CENTER_RULE } from '../support/adoptionRepo';

const TODAY = '2026-01-01';
const { ruleSet } = loadBundledRuleSetWithErrors();

/** Writes files into a new temporary folder. */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-stream-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The options `onus scan` analyses with. */
function analyzeOptions(severity?: Severity): AnalyzeOptions {
  return {
    rules: ruleSet,
    project: new ProjectLoader(ruleSet, { canLoadCustomRules: true }),
    today: TODAY,
    ...(severity ? { minimumSeverity: severity } : {}),
  };
}

/** Runs `fn` with the current folder set to `dir` (reported paths are relative to it). */
function inFolder<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}

/** The variants of a scan compared: format, `--list-suppressed`, `--severity`. */
const VARIANTS: { format: 'json' | 'text' | 'sarif'; listSuppressed: boolean; severity?: Severity }[] = [
  { format: 'json', listSuppressed: true },
  { format: 'text', listSuppressed: true },
  { format: 'sarif', listSuppressed: false },
  { format: 'json', listSuppressed: false, severity: 'high' },
  { format: 'text', listSuppressed: false },
  { format: 'sarif', listSuppressed: true, severity: 'high' },
];

/** The variants compared on the corpus: the JSON report and SARIF (text prints what JSON does, differently). */
const CORPUS_VARIANTS = VARIANTS.filter((v) => v.severity === undefined && v.format !== 'text');

/**
 * Checks that `onus scan PATHS` in `dir` prints, in every variant, what formatting the whole scan prints, with the
 * exit code the whole scan asks for; returns how many findings the JSON report had.
 */
function assertSameReports(dir: string, paths: string[], variants = VARIANTS): number {
  return inFolder(dir, () => {
    let findingCount = 0;
    // The whole scan of each severity, made once for every format.
    const wholeScans = new Map<Severity | undefined, ReturnType<typeof scanPaths>>();
    for (const { format, listSuppressed, severity } of variants) {
      const label = `${paths.join(' ')} --format ${format}${listSuppressed ? ' --list-suppressed' : ''}${severity ? ` --severity ${severity}` : ''}`;
      const whole = wholeScans.get(severity) ?? scanPaths(paths, analyzeOptions(severity), undefined, { cfnSpec: bundledCfnSpec, isReportOnly: true });
      wholeScans.set(severity, whole);
      const expected =
        format === 'json'
          ? formatJson(whole, listSuppressed)
          : format === 'sarif'
            ? formatSarif(whole, whole.ruleSet, VERSION)
            : formatText(whole, whole.ruleSet, { isColor: false, listSuppressed });
      const pieces: string[] = [];
      const args = ['scan', ...paths, '--format', format, ...(listSuppressed ? ['--list-suppressed'] : []), ...(severity ? ['--severity', severity] : [])];
      const streamed = runCli(args, { isColor: false, today: TODAY, writeStdout: (chunk) => pieces.push(chunk) });
      assert.equal(pieces.join(''), expected, label);
      const isFailing =
        whole.findings.length > 0 || whole.unknownProperties.length > 0 || whole.suppressionProblems.some((p) => MetaRule.byId(p.ruleId)?.isFailing);
      assert.equal(streamed.exitCode, isFailing ? 1 : 0, label);
      if (format === 'json' && listSuppressed) {
        findingCount = whole.findings.length;
      }
    }
    return findingCount;
  });
}

/** A module that reports what its callers give it: a bucket ACL from the input, with a default. */
const ACL_MODULE = `variable "acl" {
  default = "private"
}
resource "aws_s3_bucket_acl" "this" {
  bucket = "store"
  acl    = var.acl
}
resource "aws_security_group" "open" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

/** A Terraform file with findings of its own. */
const BUCKET = (name: string) => `resource "aws_s3_bucket" "${name}" {
  bucket = "${name}"
  acl    = "public-read"
}
`;

/** A module call with an ACL input. */
const CALL = (source: string, acl: string) => `module "store" {
  source = "${source}"
  acl    = "${acl}"
}
`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

const BICEP_MODULE = `param allowBlob bool = true
resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'store'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowBlobPublicAccess: allowBlob
    supportsHttpsTrafficOnly: false
  }
}
`;

/** A repository whose report needs findings held: callers after their modules, case-only names, separators. */
const LAYOUT: Record<string, string> = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  'stacks/prod/main.tf': CALL('../../modules/store', 'public-read') + BUCKET('prod'),
  'stacks/dev/main.tf': CALL('../../modules/store', 'public-read-write'),
  'stacks/qa/main.tf': CALL('../../modules/store', 'public-read'),
  'stacks/json/main.tf.json': JSON.stringify({ module: { store: { source: '../../modules/store', acl: 'authenticated-read' } } }),
  // A call whose text has no "module" in it: the block's key is escaped, the source is a folder of another name.
  'stacks/escaped/main.tf.json': '{"modul\\u0065": {"store": {"source": "../../lib/store", "acl": "public-read"}}}',
  'lib/store/main.tf': ACL_MODULE,
  'modules/store/main.tf': ACL_MODULE,
  'modules/store/extra.tf': BUCKET('extra'),
  'A/main.tf': BUCKET('upper'),
  'A/z.tf': BUCKET('upper_z'),
  'a/b.tf': BUCKET('lower') + '# onus:ignore aws-s3-versioning\n' + BUCKET('lower_ignored'),
  'a-b.yaml': TEMPLATE,
  'a_b/main.tf': BUCKET('under'),
  'a.b/main.tf': 'resource "aws_s3_bucket" "broken" {\n  bucket = \n}\n' + BUCKET('dotted'),
  'templates/b.yaml': TEMPLATE,
  'templates/B.json': JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead', Colour: 'red' } } } }),
  'templates/notes.yaml': 'just: data\n',
  'bicep/main.bicep': "module m './mod.bicep' = {\n  name: 'm'\n  params: { allowBlob: true }\n}\n",
  'bicep/mod.bicep': BICEP_MODULE,
  'bicep/0.bicep': BICEP_MODULE,
  'dl/main.tf': `module "assets" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  acl     = "public-read"\n}\n`,
  'dl/.terraform/modules/modules.json': JSON.stringify({
    Modules: [
      { Key: '', Source: '', Dir: '.' },
      { Key: 'assets', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Dir: '.terraform/modules/assets' },
    ],
  }),
  'dl/.terraform/modules/assets/main.tf': ACL_MODULE,
  // Names beyond ASCII, in the path (SARIF writes it URI-encoded) and in the resource (written as it is).
  'é/main.tf': BUCKET('bücket'),
  'z/main.tf': CALL('../modules/store', 'public-read') + '# onus:ignore aws-s3-public-acl reviewed\n' + BUCKET('z'),
};

/**
 * Two teams' folders with custom rules of one id: named by one `.onus.yaml` above both, or by each team's own, where
 * the rule is told differently. The report describes a rule as the first unit of the walk to have it does: `acme`'s
 * (the walk enters `acme` before `acme-web`), though the report lists `acme-web/…` before `acme/…`.
 */
function teams(isShared: boolean): Record<string, string> {
  const files: Record<string, string> = { '.git/HEAD': 'ref: refs/heads/main\n' };
  if (isShared) {
    files['.onus.yaml'] = 'customRules: [rules]\n';
    files['rules/aws-s3-acme-cost-center/rule.yaml'] = COST_CENTER_RULE.replace(/^remediation: .*$/m, 'remediation: Add a cost-center tag.');
  }
  for (const team of ['acme-web', 'acme']) {
    if (!isShared) {
      files[`${team}/.onus.yaml`] = 'customRules: [rules]\n';
      files[`${team}/rules/aws-s3-acme-cost-center/rule.yaml`] = COST_CENTER_RULE.replace(/^remediation: .*$/m, `remediation: Ask ${team} for its cost center.`);
    }
    for (const name of ['x', 'y']) {
      files[`${team}/${name}/main.tf`] = BUCKET(`${team.replace('-', '_')}_${name}`);
    }
  }
  files['shared/main.tf'] = BUCKET('shared');
  return files;
}

/** A seeded random number generator (mulberry32), so a failing repository can be made again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random repository of Terraform folders (some calling others), templates and Bicep files, with names that sort oddly. */
function randomRepository(seed: number): Record<string, string> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const names = ['a', 'A', 'b', 'B', 'a-b', 'a_b', 'a.b', 'ab', 'Ab', '0', 'a b', 'é'];
  const folders: string[] = [];
  for (let i = 0; i < 40; i++) {
    const depth = 1 + Math.floor(next() * 3);
    folders.push(Array.from({ length: depth }, () => pick(names)).join('/'));
  }
  const files: Record<string, string> = { '.git/HEAD': 'ref: refs/heads/main\n' };
  for (const [i, folder] of [...new Set(folders)].entries()) {
    const kind = next();
    if (kind < 0.6) {
      let text = next() < 0.5 ? ACL_MODULE.replace('"private"', `"${pick(['private', 'public-read'])}"`) : BUCKET(`b${i}`);
      if (next() < 0.4) {
        const target = pick(folders);
        text += CALL(path.posix.relative(folder, target) || '.', pick(['public-read', 'public-read-write', 'private']));
      }
      files[`${folder}/${pick(['main', 'Main', 'z', 'a-b'])}.tf`] = text;
    } else if (kind < 0.8) {
      files[`${folder}/${pick(['stack', 'Stack', 'a-b'])}.yaml`] = TEMPLATE;
    } else {
      files[`${folder}/${pick(['main', 'B'])}.bicep`] = BICEP_MODULE;
    }
  }
  return files;
}

describe('onus scan: streamed report', () => {
  it('prints what the whole scan prints when modules are called from folders the report lists after them', () => {
    const dir = workspace(LAYOUT);
    for (const paths of [['.'], ['stacks'], ['stacks', 'modules'], ['stacks/prod/main.tf', 'modules', 'A'], ['a', 'A', 'a-b.yaml'], ['bicep', 'templates']]) {
      assertSameReports(dir, paths);
    }
    // The module's findings are reported once per distinct message, in the module's file, among the others in order.
    const report = inFolder(dir, () => runCli(['scan', '.', '--format', 'json'], { isColor: false, today: TODAY }));
    const files = (JSON.parse(report.stdout) as { findings: { file: string; ruleId: string; message: string; line: number }[] }).findings;
    const inModule = files.filter((f) => f.file === 'modules/store/main.tf' && f.ruleId === 'aws-s3-public-acl');
    assert.equal(inModule.length, new Set(inModule.map((f) => f.message)).size);
    assert.ok(inModule.length >= 2, JSON.stringify(inModule));
    assert.ok(files.some((f) => f.file === 'dl/.terraform/modules/assets/main.tf'));
  });

  it('writes SARIF whose results sit at the findings\' lines and name their rules by place in the log\'s rule list', () => {
    const dir = workspace(LAYOUT);
    const report = inFolder(dir, () => runCli(['scan', '.', '--format', 'sarif'], { isColor: false, today: TODAY }));
    assert.equal(report.exitCode, 1);
    type Result = {
      ruleId: string;
      ruleIndex?: number;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
      suppressions?: unknown[];
    };
    const run = (JSON.parse(report.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: Result[] }[] }).runs[0]!;
    const at = (r: Result) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;
    // `a/b.tf`'s first bucket sets a public ACL on its third line, at the value; its second bucket (line 6) has its
    // versioning finding suppressed by the comment above it.
    const acl = run.results.find((r) => r.ruleId === 'aws-s3-public-acl' && at(r) === 'a/b.tf:3');
    assert.ok(acl, run.results.map(at).join(' '));
    assert.equal(acl.locations[0]!.physicalLocation.region.startColumn, 12);
    assert.ok(run.results.some((r) => r.ruleId === 'aws-s3-versioning' && at(r) === 'a/b.tf:6' && r.suppressions !== undefined));
    assert.ok(!run.results.some((r) => r.ruleId === 'aws-s3-versioning' && at(r) === 'a/b.tf:6' && r.suppressions === undefined));
    const accented = run.results.find((r) => r.ruleId === 'aws-s3-public-acl' && at(r) === '%C3%A9/main.tf:3');
    assert.equal((accented as { properties?: { resource?: string } } | undefined)?.properties?.resource, 'aws_s3_bucket.bücket');
    // The module's ACL, reported through its callers, in the module's file.
    assert.ok(run.results.some((r) => r.ruleId === 'aws-s3-public-acl' && at(r) === 'modules/store/main.tf:6'));
    // Every result's rule is the log's rule at its index, and every listed rule is used.
    for (const r of run.results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex!]?.id, r.ruleId, at(r));
    }
    assert.deepEqual(new Set(run.tool.driver.rules.map((rule) => rule.id)), new Set(run.results.map((r) => r.ruleId)));
  });

  it('SARIF from findings given in pieces equals the whole scan\'s, with no results, a rule the rule set lacks, and pieces of any size', () => {
    const dir = workspace(LAYOUT);
    inFolder(dir, () => {
      const whole = scanPaths(['.'], analyzeOptions(), undefined, { cfnSpec: bundledCfnSpec, isReportOnly: true });
      const inPieces = (result: typeof whole, size: number) => {
        const pieces: (typeof whole.findings)[] = [];
        for (let i = 0; i < result.findings.length; i += size) {
          pieces.push(result.findings.slice(i, i + size));
        }
        return [...formatSarifChunks({ ...result, findings: [] }, result.ruleSet, VERSION, pieces)].join('');
      };
      // More results than one held piece keeps (500).
      const many = { ...whole, findings: Array.from({ length: 6 }, () => whole.findings).flat() };
      assert.ok(many.findings.length > 600, `${many.findings.length} findings`);
      for (const size of [1, 7, 1000]) {
        assert.equal(inPieces(many, size), formatSarif(many, many.ruleSet, VERSION), `pieces of ${size}`);
      }
      // A rule the log cannot describe gets no ruleIndex; the rules after it keep theirs. A finding without a resource
      // (which no rule makes) has no `resource` property, as JSON.stringify leaves it out.
      const odd = {
        ...many,
        findings: many.findings.map((f, i) =>
          i % 3 === 0 ? { ...f, ruleId: 'aa-no-such-rule' } : i % 5 === 1 ? { ...f, resource: undefined as unknown as string } : f,
        ),
      };
      assert.equal(inPieces(odd, 50), formatSarif(odd, odd.ruleSet, VERSION));
      assert.ok(!/"ruleId": "aa-no-such-rule",\n\s*"ruleIndex"/.test(inPieces(odd, 50)));
      const oddResults = (JSON.parse(inPieces(odd, 50)) as { runs: { results: { properties: object }[] }[] }).runs[0]!.results;
      const withoutResource = oddResults.slice(0, odd.findings.length).filter((r) => !('resource' in r.properties));
      assert.equal(withoutResource.length, odd.findings.filter((f) => f.resource === undefined).length);
      // Only other lists' results, and none at all.
      const none = { ...whole, findings: [] };
      assert.equal(inPieces(none, 5), formatSarif(none, none.ruleSet, VERSION));
      const empty = { ...none, suppressed: [], suppressionProblems: [], unknownProperties: [] };
      assert.equal(inPieces(empty, 5), formatSarif(empty, empty.ruleSet, VERSION));
      assert.match(inPieces(empty, 5), /"results": \[\],/);
    });
  });

  it('gives the findings in several pieces, each file once, in the order of the whole scan', () => {
    const dir = workspace(LAYOUT);
    inFolder(dir, () => {
      const options = analyzeOptions();
      const whole = scanPaths(['.'], options, undefined, { isReportOnly: true });
      const scan = scanStreamed(['.'], analyzeOptions(), { isReportOnly: true });
      const batches = [...scan.findings];
      assert.ok(batches.filter((b) => b.length > 0).length >= 5, `${batches.length} pieces`);
      const fileOrder = batches.flatMap((b) => [...new Set(b.map((f) => f.file))]);
      assert.equal(fileOrder.length, new Set(fileOrder).size, 'a file in two pieces');
      assert.deepEqual(batches.flat(), whole.findings);
      const { findings: _w, texts: wholeTexts, ...wholeRest } = whole;
      const { findings: _s, texts, ...streamedRest } = scan.result;
      assert.deepEqual(streamedRest, wholeRest);
      // Texts are let go once their files' findings were printed, except where a later list (here the errors and
      // suppressed findings) locates an item.
      assert.deepEqual(
        [...texts.keys()].sort(),
        [...new Set([...whole.errors, ...whole.suppressed, ...whole.suppressionProblems, ...whole.unknownProperties].map((x) => x.file))].sort(),
      );
      assert.ok(texts.size > 0 && texts.size < wholeTexts.size / 2, `${texts.size} of ${wholeTexts.size}`);
      texts.forEach((text, file) => assert.equal(text, wholeTexts.get(file)));
    });
  });

  it('prints what the whole scan prints with custom rules, named once or by two .onus.yaml with one id told differently', () => {
    for (const isShared of [true, false]) {
      const dir = workspace(teams(isShared));
      assert.ok(assertSameReports(dir, ['.']) > 0);
      const text = inFolder(dir, () => runCli(['scan', '.'], { isColor: false, today: TODAY }).stdout);
      const hints = text.split('\n').filter((line) => line.includes('fix: ') && /cost.center/.test(line));
      assert.equal(hints.length, isShared ? 5 : 4, text);
      assert.ok(hints.every((line) => line.includes(isShared ? 'fix: Add a cost-center tag.' : 'fix: Ask acme for its cost center.')), text);
    }
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`prints what the whole scan prints on random repository ${seed}`, () => {
      const dir = workspace(randomRepository(seed));
      assert.ok(assertSameReports(dir, ['.']) > 0);
      const folders = fs.readdirSync(dir).filter((name) => name !== '.git');
      assertSameReports(dir, folders.slice(0, 3));
    });
  }

  const corpus = process.env.ONUS_CORPUS;
  if (corpus) {
    const realworld = path.join(corpus, 'realworld');
    for (const repo of fs.readdirSync(realworld).filter((name) => fs.statSync(path.join(realworld, name)).isDirectory())) {
      it(`prints what the whole scan prints on the corpus repository ${repo} and its examples`, function () {
        this.timeout(300_000);
        const root = path.join(realworld, repo);
        // JSON and SARIF here: the other variants differ only in what the formatters print, checked above.
        assertSameReports(root, ['.'], CORPUS_VARIANTS);
        if (fs.existsSync(path.join(root, 'examples'))) {
          assertSameReports(root, ['examples'], CORPUS_VARIANTS);
        }
      });
    }
  }
});
