/**
 * The repository configuration at the engine's boundary: `.onus.yaml` texts parsed and validated (problems with
 * their line and field), found by walking up, applied to a rule set (selection, severity overrides, exclusion), and
 * custom rule folders loaded through a file system, as both the CLI and the language server use them.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import {
  DEFAULT_CONFIG,
  findConfigFile,
  isExcluded,
  parseConfig,
  ProjectLoader,
  selectRules,
  type OnusConfig,
} from '../../server/src/engine/config';
import { globToRegExp, matchesGlob } from '../../server/src/engine/glob';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import type { SourceProblem } from '../../server/src/engine/types';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** The `.onus.yaml` of the issue. */
const ISSUE_EXAMPLE = `# .onus.yaml
minimumSeverity: medium          # low | medium | high | critical
rules:
  disabled: [aws-s3-versioning]  # rule ids
  enabled: [gcp-gke-private-nodes]
  disabledTags: [logging]        # concept or tag names
  providers: [aws, azure]        # only these providers' rules
  layers: [data, identity, network]
  severity: { aws-ec2-imdsv2: critical }
exclude: ["legacy/**", "**/fixtures/**"]
suppressions:
  honorPeers: true               # checkov / tfsec / trivy / kics / cfn_nag / cfn-lint comments
  requireReason: true
customRules: [".onus/rules"]
`;

/** A rule.yaml with the boilerplate fields filled in. */
function ruleYaml(id: string, fields: Record<string, string> = {}, match?: string): string {
  const all: Record<string, string> = {
    title: 'A test rule for the configuration',
    severity: 'medium',
    owner: 'customer',
    layer: 'data',
    service: `${id.split('-')[0]}/s3`,
    concept: 'test',
    why: 'A test rule that exercises the configuration.',
    remediation: 'Do the secure thing.',
    sources: '[https://example.com/docs]',
    references: '{}',
    message: 'Bucket is not secure',
    ...fields,
  };
  return `id: ${id}\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\nmatch:\n${match ?? '  terraform:\n    - resources: [aws_s3_bucket]\n      when: { path: acl, equals: public-read }\n'}`;
}

/** A rule set from rule.yaml texts, failing on load errors. */
function rules(...yamls: string[]): RuleSet {
  const result = buildRuleSet(
    yamls.map((yaml) => ({ folder: `x/${/^id: (\S+)/.exec(yaml)?.[1] ?? ''}`, yaml, check: undefined })),
    [],
  );
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
}

/** A problem as `line:column-endColumn message`. */
function at(p: SourceProblem): string {
  return `${p.line}:${p.column}-${p.endColumn} ${p.message}`;
}

const CATALOG = rules(
  ruleYaml('aws-s3-a', { severity: 'low', concept: 'logging', layer: 'data' }),
  ruleYaml('aws-s3-b', { severity: 'medium', tags: '[backup]', layer: 'data' }),
  ruleYaml('aws-s3-c', { severity: 'high', layer: 'network' }),
  ruleYaml('azure-s3-d', { severity: 'critical', layer: 'identity', aliases: '[azure-s3-old-d]' }),
  ruleYaml('gcp-s3-e', { severity: 'high', layer: 'os' }),
);

/** A configuration from a `.onus.yaml` text, failing on problems. */
function config(text: string): OnusConfig {
  const result = parseConfig('/repo/.onus.yaml', text);
  assert.deepEqual(result.problems.map(at), []);
  return result.config;
}

describe('.onus.yaml', () => {
  describe('parsing and validation', () => {
    it('reads the example of the issue', () => {
      const result = parseConfig('/repo/.onus.yaml', ISSUE_EXAMPLE);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.config, {
        file: '/repo/.onus.yaml',
        root: '/repo',
        minimumSeverity: 'medium',
        rules: {
          disabled: ['aws-s3-versioning'],
          enabled: ['gcp-gke-private-nodes'],
          disabledTags: ['logging'],
          providers: ['aws', 'azure'],
          layers: ['data', 'identity', 'network'],
          severity: { 'aws-ec2-imdsv2': 'critical' },
        },
        exclude: ['legacy/**', '**/fixtures/**'],
        suppressions: { honorPeers: true, requireReason: true },
        customRules: [path.resolve('/repo/.onus/rules')],
      });
    });

    it('an empty file is the defaults', () => {
      const result = parseConfig('/repo/.onus.yaml', '# nothing yet\n');
      assert.deepEqual(result.problems, []);
      assert.deepEqual({ ...result.config, file: undefined, root: undefined }, DEFAULT_CONFIG);
    });

    const problemCases: { name: string; text: string; problems: string[]; check?: (c: OnusConfig) => void }[] = [
      {
        name: 'a value outside the enum, at its line and column, naming the allowed values',
        text: 'minimumSeverity: urgent\n',
        problems: ['1:18-24 minimumSeverity: must be equal to one of the allowed values (low, medium, high, critical)'],
      },
      {
        name: 'a field that is not allowed, at its key',
        text: 'rules:\n  disabled: [aws-s3-a]\n  disable: [aws-s3-b]\n',
        problems: ['3:3-10 rules.disable: is not a known field'],
        check: (c) => assert.deepEqual(c.rules.disabled, ['aws-s3-a']),
      },
      {
        name: 'one bad item of a list; the other items still apply',
        text: 'rules:\n  providers: [aws, amazon, gcp]\n',
        problems: ['2:20-26 rules.providers.1: must be equal to one of the allowed values (aws, azure, gcp)'],
        check: (c) => assert.deepEqual(c.rules.providers, ['aws', 'gcp']),
      },
      {
        name: 'a wrong type; the rest of the file still applies',
        text: 'minimumSeverity: high\nsuppressions:\n  honorPeers: "no"\n  requireReason: false\n',
        problems: ['3:15-19 suppressions.honorPeers: must be boolean'],
        check: (c) => {
          assert.equal(c.minimumSeverity, 'high');
          assert.deepEqual(c.suppressions, { honorPeers: true, requireReason: false });
        },
      },
      {
        name: 'a severity override that is not a severity',
        text: 'rules:\n  severity:\n    aws-s3-a: urgent\n    aws-s3-b: high\n',
        problems: ['3:15-21 rules.severity.aws-s3-a: must be equal to one of the allowed values (low, medium, high, critical)'],
        check: (c) => assert.deepEqual(c.rules.severity, { 'aws-s3-b': 'high' }),
      },
      {
        name: 'invalid YAML, located',
        text: 'rules:\n  disabled: [aws-s3-a\nexclude: []\n',
        problems: ['3:1-2 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
      },
      {
        name: 'a key written twice, at its second occurrence (the file is not applied, as YAML forbids it)',
        text: 'minimumSeverity: high\nrules:\n  disabled: [aws-s3-a]\nminimumSeverity: low\n',
        problems: ['4:1-2 invalid YAML: Map keys must be unique'],
        check: (c) => assert.equal(c.minimumSeverity, DEFAULT_CONFIG.minimumSeverity),
      },
      {
        name: 'a list where a mapping belongs',
        text: '- minimumSeverity: high\n',
        problems: ['1:1-24 (root): must be a mapping of the fields of .onus.yaml'],
      },
    ];
    for (const c of problemCases) {
      it(c.name, () => {
        const result = parseConfig('/repo/.onus.yaml', c.text);
        assert.deepEqual(result.problems.map(at), c.problems);
        assert.ok(result.problems.every((p) => p.file === '/repo/.onus.yaml'));
        c.check?.(result.config);
      });
    }
  });

  describe('finding the file', () => {
    const cases: { name: string; files: Record<string, string>; from: string; found: string | undefined }[] = [
      {
        name: 'in the file\'s own folder',
        files: { '/r/.git/HEAD': 'x', '/r/.onus.yaml': '', '/r/a/.onus.yaml': '', '/r/a/main.tf': '' },
        from: '/r/a/main.tf',
        found: '/r/a/.onus.yaml',
      },
      {
        name: 'the nearest one above',
        files: { '/r/.git/HEAD': 'x', '/r/.onus.yaml': '', '/r/a/b/main.tf': '' },
        from: '/r/a/b/main.tf',
        found: '/r/.onus.yaml',
      },
      {
        name: 'not above the repository root (a .git folder)',
        files: { '/.onus.yaml': '', '/r/.git/HEAD': 'x', '/r/a/main.tf': '' },
        from: '/r/a/main.tf',
        found: undefined,
      },
      {
        name: 'not above a worktree root (a .git file)',
        files: { '/.onus.yaml': '', '/r/.git': 'gitdir: /elsewhere', '/r/main.tf': '' },
        from: '/r/main.tf',
        found: undefined,
      },
      {
        name: 'up to the filesystem root outside a repository',
        files: { '/.onus.yaml': '', '/x/y/main.tf': '' },
        from: '/x/y/main.tf',
        found: '/.onus.yaml',
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const found = findConfigFile(c.from, memoryFileSystem(c.files));
        assert.equal(found?.file, c.found === undefined ? undefined : path.resolve(c.found));
      });
    }
  });

  describe('which rules run', () => {
    const cases: { name: string; yaml: string; user?: Parameters<typeof selectRules>[2]; expected: string[] }[] = [
      { name: 'every rule by default', yaml: '', expected: ['aws-s3-a low', 'aws-s3-b medium', 'aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'] },
      { name: 'disabled by id (or alias)', yaml: 'rules: { disabled: [aws-s3-a, azure-s3-old-d] }', expected: ['aws-s3-b medium', 'aws-s3-c high', 'gcp-s3-e high'] },
      { name: 'disabled by concept or tag', yaml: 'rules: { disabledTags: [logging, backup] }', expected: ['aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'] },
      { name: 'only some providers', yaml: 'rules: { providers: [aws] }', expected: ['aws-s3-a low', 'aws-s3-b medium', 'aws-s3-c high'] },
      { name: 'only some layers', yaml: 'rules: { layers: [network, identity] }', expected: ['aws-s3-c high', 'azure-s3-d critical'] },
      {
        name: 'enabled ids come back past the provider filter',
        yaml: 'rules: { providers: [azure], enabled: [gcp-s3-e] }',
        expected: ['azure-s3-d critical', 'gcp-s3-e high'],
      },
      { name: 'disabled wins over enabled', yaml: 'rules: { enabled: [aws-s3-a], disabled: [aws-s3-a] }', expected: ['aws-s3-b medium', 'aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'] },
      { name: 'a minimum severity', yaml: 'minimumSeverity: high', expected: ['aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'] },
      {
        name: 'severity overrides apply before the minimum severity',
        yaml: 'minimumSeverity: high\nrules: { severity: { aws-s3-a: critical, aws-s3-c: low } }',
        expected: ['aws-s3-a critical', 'azure-s3-d critical', 'gcp-s3-e high'],
      },
      {
        name: "the user's minimum severity replaces the file's",
        yaml: 'minimumSeverity: critical',
        user: { minimumSeverity: 'medium' },
        expected: ['aws-s3-b medium', 'aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'],
      },
      {
        name: "the user's enabled ids win over the file's disabled ones, and the user's disabled ids win over everything",
        yaml: 'rules: { disabled: [aws-s3-a], providers: [aws] }',
        user: { enabledRules: ['aws-s3-a', 'gcp-s3-e'], disabledRules: ['gcp-s3-e', 'aws-s3-b'] },
        expected: ['aws-s3-a low', 'aws-s3-c high'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const selected = selectRules(CATALOG, c.yaml ? config(c.yaml) : DEFAULT_CONFIG, c.user);
        assert.deepEqual(
          selected.map((r) => `${r.id} ${r.severity}`),
          c.expected,
        );
      });
    }
  });

  describe('exclude', () => {
    const cases: { path: string; patterns: string[]; isExcluded: boolean }[] = [
      { path: '/repo/legacy/main.tf', patterns: ['legacy/**'], isExcluded: true },
      { path: '/repo/legacy/deep/er/main.tf', patterns: ['legacy/**'], isExcluded: true },
      { path: '/repo/src/legacy/main.tf', patterns: ['legacy/**'], isExcluded: false },
      { path: '/repo/legacy/main.tf', patterns: ['legacy'], isExcluded: true },
      { path: '/repo/a/fixtures/bad.tf', patterns: ['**/fixtures/**'], isExcluded: true },
      { path: '/repo/fixtures/bad.tf', patterns: ['**/fixtures/**'], isExcluded: true },
      { path: '/repo/a/b.generated.tf', patterns: ['*.generated.tf'], isExcluded: true },
      { path: '/repo/a/b.tf', patterns: ['*.generated.tf'], isExcluded: false },
      { path: '/repo/a/b.tf', patterns: ['a/*.tf'], isExcluded: true },
      { path: '/repo/a/c/b.tf', patterns: ['a/*.tf'], isExcluded: false },
      { path: '/repo/a/c/b.tf', patterns: ['a/**/*.tf'], isExcluded: true },
      { path: '/repo/x.bicep', patterns: ['*.{tf,bicep}'], isExcluded: true },
      { path: '/repo/env1/x.tf', patterns: ['env[0-9]'], isExcluded: true },
      { path: '/repo/envs/x.tf', patterns: ['env[!0-9]'], isExcluded: true },
      { path: '/repo/env?/x.tf', patterns: ['env\\?'], isExcluded: false },
      { path: '/elsewhere/legacy/main.tf', patterns: ['legacy/**'], isExcluded: false },
    ];
    for (const c of cases) {
      it(`${c.patterns.join(', ')} ${c.isExcluded ? 'excludes' : 'keeps'} ${c.path}`, () => {
        const cfg: OnusConfig = { ...DEFAULT_CONFIG, file: '/repo/.onus.yaml', root: path.resolve('/repo'), exclude: c.patterns };
        assert.equal(isExcluded(cfg, path.resolve(c.path)), c.isExcluded);
      });
    }
    it('the custom rule folders are excluded (their fixtures are insecure on purpose)', () => {
      const cfg = parseConfig(path.resolve('/repo/.onus.yaml'), 'customRules: [.onus/rules]\n').config;
      assert.equal(isExcluded(cfg, path.resolve('/repo/.onus/rules/r/fixtures/terraform/bad/x.tf')), true);
      assert.equal(isExcluded(cfg, path.resolve('/repo/.onus/rules.tf')), false);
    });
    it('an unclosed class is a literal bracket and never throws', () => {
      assert.equal(matchesGlob('a[b', 'a[b'), true);
      assert.ok(globToRegExp('{a,b') instanceof RegExp);
    });
  });

  describe('in an analysis', () => {
    const BUCKET = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';
    const loader = () => new ProjectLoader(CATALOG, { canLoadCustomRules: true });

    it('applies the nearest .onus.yaml: disabled rules, severity overrides and excluded paths', () => {
      const fs = memoryFileSystem({
        '/r/.git/HEAD': 'x',
        '/r/.onus.yaml': 'rules:\n  disabled: [aws-s3-a]\n  severity: { aws-s3-b: critical }\nexclude: [legacy]\n',
        '/r/main.tf': BUCKET,
        '/r/legacy/main.tf': BUCKET,
      });
      const analysis = analyzeUnitOf('/r/main.tf', fs, { rules: CATALOG, project: loader() });
      assert.deepEqual(
        analysis.findings.map((f) => `${f.ruleId} ${f.severity}`),
        ['aws-s3-b critical', 'aws-s3-c high', 'azure-s3-d critical', 'gcp-s3-e high'],
      );
      assert.equal(analysis.config.file, path.resolve('/r/.onus.yaml'));
      assert.deepEqual(analyzeUnitOf('/r/legacy/main.tf', fs, { rules: CATALOG, project: loader() }).findings, []);
    });

    it('reports rule ids that name no rule as warnings at their place', () => {
      const fs = memoryFileSystem({ '/r/.onus.yaml': 'rules:\n  disabled: [aws-s3-a, aws-s3-zz]\n', '/r/main.tf': BUCKET });
      const analysis = analyzeUnitOf('/r/main.tf', fs, { rules: CATALOG, project: loader() });
      assert.deepEqual(
        analysis.projectProblems.map((p) => `${p.severity ?? 'error'} ${at(p)}`),
        ['warning 2:24-33 rules.disabled.1: "aws-s3-zz" is not a rule id'],
      );
      assert.deepEqual(analysis.projectFiles, [path.resolve('/r/.onus.yaml')]);
    });
  });

  describe('custom rules', () => {
    const BUCKET = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';
    const CUSTOM = ruleYaml('aws-s3-acme-tags', { message: 'Bucket has no cost-center tag' }, '  terraform:\n    - resources: [aws_s3_bucket]\n      when: { path: tags.cost-center, exists: false }\n');

    it('loads the folders .onus.yaml names, with their fixtures left alone', () => {
      const fs = memoryFileSystem({
        '/r/.onus.yaml': 'customRules: [.onus/rules]\n',
        '/r/.onus/rules/aws-s3-acme-tags/rule.yaml': CUSTOM,
        '/r/.onus/rules/aws-s3-acme-tags/fixtures/terraform/bad/no-tags.tf': BUCKET,
        '/r/main.tf': BUCKET,
      });
      const analysis = analyzeUnitOf('/r/main.tf', fs, { rules: CATALOG, project: new ProjectLoader(CATALOG, { canLoadCustomRules: true }) });
      assert.deepEqual(analysis.projectProblems, []);
      const custom = analysis.findings.find((f) => f.ruleId === 'aws-s3-acme-tags');
      assert.equal(custom?.message, 'Bucket has no cost-center tag');
      assert.equal(analysis.ruleSet.byId.get('aws-s3-acme-tags')?.isCustom, true);
      assert.deepEqual(analysis.projectFiles, [path.resolve('/r/.onus.yaml'), path.resolve('/r/.onus/rules/aws-s3-acme-tags/rule.yaml')]);
    });

    it('does not read them when the loader may not (an untrusted workspace), and says so on customRules', () => {
      const fs = memoryFileSystem({
        '/r/.onus.yaml': 'rules:\n  disabled: [aws-s3-acme-tags]\ncustomRules: [.onus/rules]\n',
        '/r/.onus/rules/aws-s3-acme-tags/rule.yaml': CUSTOM,
        '/r/main.tf': BUCKET,
      });
      const reads: string[] = [];
      const recording = { ...fs, readFile: (p: string) => (reads.push(p), fs.readFile(p)) };
      const analysis = analyzeUnitOf('/r/main.tf', recording, { rules: CATALOG, project: new ProjectLoader(CATALOG, { canLoadCustomRules: false }) });
      assert.ok(!analysis.findings.some((f) => f.ruleId === 'aws-s3-acme-tags'));
      assert.ok(!reads.some((p) => p.includes('rule.yaml')), 'a custom rule file was read');
      // Ids of custom rules are not reported as unknown while the rules could not load.
      assert.deepEqual(
        analysis.projectProblems.map((p) => `${p.severity ?? 'error'} ${at(p)}`),
        ['info 3:1-27 customRules: not loaded, because the workspace is not trusted'],
      );
    });

    const invalidCases: { name: string; yaml: string; folder?: string; problem: string }[] = [
      {
        name: 'a schema error, at the field',
        yaml: CUSTOM.replace('owner: customer', 'owner: team'),
        problem: '4:8-12 owner: must be equal to one of the allowed values (customer, provider, shared)',
      },
      {
        name: 'a field the format does not have',
        yaml: CUSTOM.replace('concept: test', 'concept: test\nseverty: high'),
        problem: '8:1-8 severty: is not a known field',
      },
      {
        name: 'a check target (custom rules are data only)',
        yaml: CUSTOM.replace('when: { path: tags.cost-center, exists: false }', 'check: true'),
        problem: '16:14-18 match.terraform.0.check: custom rules are data only; use when',
      },
      {
        name: 'an id taken by a built-in rule',
        yaml: CUSTOM.replace('id: aws-s3-acme-tags', 'id: aws-s3-a'),
        folder: 'aws-s3-a',
        problem: '1:5-13 id: "aws-s3-a" is used by a built-in rule',
      },
      {
        name: 'an invalid regular expression',
        yaml: CUSTOM.replace('{ path: tags.cost-center, exists: false }', '{ path: tags.cost-center, matches: "(" }'),
        problem: '16:48-51 match.terraform.0.when: invalid regular expression "(": Invalid regular expression: /(/: Unterminated group',
      },
    ];
    for (const c of invalidCases) {
      it(`reports ${c.name} with the file, line and field, and loads the other rules`, () => {
        const folder = c.folder ?? 'aws-s3-acme-tags';
        const fs = memoryFileSystem({
          '/r/.onus.yaml': 'customRules: [rules]\n',
          [`/r/rules/${folder}/rule.yaml`]: c.yaml,
          '/r/rules/aws-s3-acme-other/rule.yaml': CUSTOM.replace('id: aws-s3-acme-tags', 'id: aws-s3-acme-other'),
          '/r/main.tf': BUCKET,
        });
        const project = new ProjectLoader(CATALOG, { canLoadCustomRules: true }).resolve('/r/main.tf', fs);
        assert.deepEqual(project.problems.map(at), [c.problem]);
        assert.equal(project.problems[0]?.file, path.resolve(`/r/rules/${folder}/rule.yaml`));
        assert.ok(project.ruleSet.byId.has('aws-s3-acme-other'));
      });
    }

    it('reports a custom rule folder that cannot be read at its entry in .onus.yaml', () => {
      const fs = memoryFileSystem({ '/r/.onus.yaml': 'customRules:\n  - missing\n', '/r/main.tf': BUCKET });
      const project = new ProjectLoader(CATALOG, { canLoadCustomRules: true }).resolve('/r/main.tf', fs);
      assert.deepEqual(project.problems.map(at), [`2:5-12 customRules.0: cannot read the folder "${path.resolve('/r/missing')}"`]);
    });
  });
});
