/**
 * Security: no outbound connection during a CLI scan or a whole language server session (a preloaded module makes
 * every net/tls connect, dns lookup, http(s) request and fetch fail loudly and records it); nothing from the scanned
 * workspace is executed; the regular expressions of the rules cannot backtrack catastrophically; the JSON, SARIF
 * and HTML outputs escape what they embed from scanned files.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBundledRuleSet, loadRule } from '../../server/src/engine/loadRules';
import { nestedQuantifier } from '../../server/src/engine/regexSafety';
import { ensureBuilt, makeFolder, removeFolder, ROOT, TestClient, uriOf } from '../protocol/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const PRELOAD = path.join(__dirname, 'denyNetwork.js');

/** A resource name made to break out of HTML, a script, JSON strings and a terminal line. */
const HOSTILE = `</script><img src=x onerror="alert(1)">'&amp;<!--\u2028\u001b[2J`;

/** A text without control characters and line separators (YAML keys cannot hold them unquoted). */
function withoutControls(text: string): string {
  return [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u2028').join('');
}

/** Whether a text holds a control character other than tab, line feed and carriage return. */
function hasRawControl(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 && c !== '\t' && c !== '\n' && c !== '\r');
}

/** A workspace whose files would leave a marker behind if anything in them were executed. */
function hostileWorkspace(marker: string): Record<string, string> {
  const js = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'executed')\n`;
  return {
    'main.tf': `resource "aws_s3_bucket" ${JSON.stringify(HOSTILE)} {\n  acl = "public-read"\n}\n`,
    'template.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ${JSON.stringify(withoutControls(HOSTILE))}:\n    Type: AWS::S3::Bucket\n`,
    'main.bicep': `resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'x'\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    '.onus.yaml': 'customRules:\n  - rules\n',
    'rules/custom/rule.yaml': 'id: custom-exec\ntitle: Executes\nmatch:\n  terraform:\n    - resources: [aws_s3_bucket]\n      check: rule.ts\n',
    'rules/custom/rule.ts': js,
    'rules/custom/rule.js': js,
    'package.json': JSON.stringify({ name: 'x', scripts: { postinstall: js, test: js } }),
    'index.js': js,
    'node_modules/onus/index.js': js,
    '.terraform/modules/m/main.tf': 'resource "aws_s3_bucket" "b" {}\n',
    'modules/a/main.tf': 'module "remote" {\n  source = "git::https://example.com/modules.git"\n}\n',
  };
}

/** Runs the CLI under the network-denying preload; returns its output and the attempts recorded. */
function runCli(args: string[], cwd: string, logFile: string): { stdout: string; stderr: string; status: number | null; attempts: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: `--require ${PRELOAD}`, ONUS_NETWORK_LOG: logFile },
  });
  const attempts = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, attempts };
}

describe('security', function () {
  this.timeout(120000);
  const folders: string[] = [];
  let scratch: string;

  before(() => {
    ensureBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-security-'));
  });

  after(() => {
    folders.splice(0).forEach(removeFolder);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe('no network', () => {
    it('the preload records and refuses every kind of attempt (so the tests below can fail)', () => {
      const logFile = path.join(scratch, 'control.log');
      const probe = [
        "for (const f of [() => require('net').connect(443, 'example.com'), () => require('tls').connect(443, 'example.com'),",
        "  () => require('dns').lookup('example.com', () => {}), () => require('https').get('https://example.com'),",
        "  () => require('http').request('http://example.com'), () => fetch('https://example.com')]) {",
        '  try { f(); } catch {}',
        '}',
      ].join('\n');
      spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${PRELOAD}`, ONUS_NETWORK_LOG: logFile } });
      const kinds = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((line) => line.split(' ')[1]);
      assert.deepEqual(kinds, ['net.connect', 'tls.connect', 'dns.lookup', 'https.request', 'http.request', 'fetch']);
    });

    it('a CLI scan (text, JSON, SARIF) and onus matrix attempt no connection', () => {
      const marker = path.join(scratch, 'cli-marker');
      const folder = makeFolder(hostileWorkspace(marker));
      folders.push(folder);
      const logFile = path.join(scratch, 'cli.log');
      for (const args of [['scan', '.'], ['scan', '.', '--format', 'json'], ['scan', '.', '--format', 'sarif'], ['matrix', '.', '--format', 'html']]) {
        const result = runCli(args, folder, logFile);
        assert.ok(result.status === 0 || result.status === 1, `${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
        assert.ok(result.stdout.length > 0, args.join(' '));
        assert.equal(result.attempts, '', `${args.join(' ')} attempted network access`);
      }
      assert.equal(fs.existsSync(marker), false, 'something from the workspace was executed');
    });

    it('a whole language server session attempts no connection and executes nothing from the workspace', async () => {
      const marker = path.join(scratch, 'server-marker');
      const folder = makeFolder(hostileWorkspace(marker));
      folders.push(folder);
      const logFile = path.join(scratch, 'server.log');
      // Trusted, so that the workspace's custom rules are read too (and refused for naming code).
      const { client } = await TestClient.start({
        initializationOptions: { isTrusted: true },
        env: { NODE_OPTIONS: `--require ${PRELOAD}`, ONUS_NETWORK_LOG: logFile },
      });
      try {
        const files = [
          ['main.tf', 'terraform'],
          ['template.yaml', 'yaml'],
          ['main.bicep', 'bicep'],
          ['modules/a/main.tf', 'terraform'],
        ] as const;
        for (const [name, languageId] of files) {
          const uri = uriOf(path.join(folder, name));
          const text = fs.readFileSync(path.join(folder, name), 'utf8');
          await client.open(uri, text, languageId);
          const published = await client.waitForVersion(uri, 1);
          await client.hover(uri, { line: 0, character: 2 });
          const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, published.diagnostics);
          assert.ok(Array.isArray(actions));
        }
        const mainUri = uriOf(path.join(folder, 'main.tf'));
        await client.change(mainUri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '  bucket = "b"\n' }]);
        await client.waitForVersion(mainUri, 2);
        await client.changeSettings({ severity: 'high' });
        await client.sleep(500);
        assert.equal(await client.shutdown(), 0);
      } finally {
        client.kill();
      }
      const attempts = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      assert.equal(attempts, '', 'the server attempted network access');
      assert.equal(fs.existsSync(marker), false, 'something from the workspace was executed');
    });
  });

  describe('outputs escape what they embed', () => {
    let folder: string;
    const logFile = () => path.join(scratch, 'outputs.log');

    before(() => {
      folder = makeFolder(hostileWorkspace(path.join(scratch, 'outputs-marker')));
      folders.push(folder);
    });

    it('JSON: valid, and the hostile resource name round-trips exactly', () => {
      const result = runCli(['scan', 'main.tf', '--format', 'json'], folder, logFile());
      const parsed = JSON.parse(result.stdout) as { findings: { resource?: string; message: string }[] };
      assert.ok(parsed.findings.length > 0);
      // The name may be left out of the JSON, but where it is embedded it is exactly the scanned text.
      const embedded = JSON.stringify(parsed).includes(JSON.stringify(HOSTILE).slice(1, -1));
      assert.ok(!result.stdout.includes(HOSTILE) || embedded);
      assert.ok(!hasRawControl(result.stdout), 'raw control characters in JSON');
    });

    it('SARIF: valid, and no raw control character or unescaped name', () => {
      const result = runCli(['scan', '.', '--format', 'sarif'], folder, logFile());
      const sarif = JSON.parse(result.stdout) as { runs: { results: unknown[] }[] };
      assert.ok(sarif.runs[0]!.results.length > 0);
      assert.ok(!hasRawControl(result.stdout), 'raw control characters in SARIF');
      assert.ok(!result.stdout.includes(HOSTILE));
    });

    it('HTML matrix: the hostile name shows escaped and never as markup', () => {
      const result = runCli(['matrix', '.', '--format', 'html'], folder, logFile());
      const html = result.stdout;
      assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'), 'the name is shown, escaped');
      assert.ok(!html.includes('<img'), 'an img element from the scanned file');
      assert.ok(!html.includes('onerror="'), 'an event handler attribute from the scanned file');
      assert.ok(!html.includes('</script><img'), 'a script end tag from the scanned file');
      assert.ok(!html.includes('<!--\u2028'), 'a comment opened by the scanned file');
    });
  });

  describe('regular expressions in rules', () => {
    /** Every `matches` and `notMatches` pattern in the catalog, with its rule id. */
    function patterns(): { ruleId: string; pattern: string }[] {
      const out: { ruleId: string; pattern: string }[] = [];
      const walk = (ruleId: string, value: unknown): void => {
        if (Array.isArray(value)) {
          value.forEach((v) => walk(ruleId, v));
        } else if (typeof value === 'object' && value !== null) {
          for (const [key, v] of Object.entries(value)) {
            if ((key === 'matches' || key === 'notMatches') && typeof v === 'string') {
              out.push({ ruleId, pattern: v });
            } else {
              walk(ruleId, v);
            }
          }
        }
      };
      for (const rule of loadBundledRuleSet().rules) {
        walk(rule.id, rule.match);
      }
      return out;
    }

    it('the catalog has patterns to check', () => {
      assert.ok(patterns().length >= 20, `${patterns().length} patterns`);
    });

    it('no pattern nests an unbounded quantifier inside a repeated group (star height 1 at most)', () => {
      const unsafe = patterns().filter((p) => nestedQuantifier(p.pattern) !== undefined);
      assert.deepEqual(
        unsafe.map((p) => `${p.ruleId}: ${p.pattern} (${nestedQuantifier(p.pattern)})`),
        [],
      );
    });

    it('a custom rule with a catastrophic pattern is refused when it loads, naming the field', () => {
      const yaml = [
        'id: aws-s3-acme-name',
        'title: Bucket names follow the convention',
        'severity: low',
        'owner: customer',
        'layer: data',
        'service: aws/s3',
        'concept: naming',
        'why: A test rule whose pattern backtracks without end on a long name.',
        'remediation: Rename the bucket to follow the convention.',
        'sources: [https://example.com/docs]',
        'references: {}',
        'message: Bucket name breaks the convention',
        'match:',
        '  terraform:',
        '    - resources: [aws_s3_bucket]',
        "      when: { path: bucket, matches: '^(a+)+$' }",
        '',
      ].join('\n');
      const { rule, error } = loadRule({ folder: 'custom/aws-s3-acme-name', yaml, check: undefined, isCustom: true });
      assert.equal(rule, undefined);
      assert.match(error?.message ?? '', /the regular expression "\^\(a\+\)\+\$" could take exponential time/);
      assert.equal(error?.line, 16);
    });

    it('the check itself flags the classic catastrophic patterns', () => {
      for (const bad of ['(a+)+$', '(a*)*b', '^(\\w+\\s?)*$', '(x+x+)+y', '((ab)*)+', '(.*a){2,}', '(a+|b)*c']) {
        assert.notEqual(nestedQuantifier(bad), undefined, bad);
      }
      for (const good of ['^\\s*(\\*|0\\.0\\.0\\.0)\\s*$', '(^|:)alias/aws/s3$', '^[a-z]+(-[a-z]+)?$', '(ab){2}']) {
        assert.equal(nestedQuantifier(good), undefined, good);
      }
    });

    it('every pattern answers at once on long adversarial inputs', () => {
      // A catastrophic pattern would not return here (mocha's timeout fails the test); no time is measured.
      for (const { pattern } of patterns()) {
        const regex = new RegExp(pattern);
        const alphabet = [...new Set(pattern.replace(/\\./g, '').replace(/[^A-Za-z0-9 ,:/.*-]/g, ''))].join('') || 'a';
        for (const input of [alphabet.repeat(2000), ' '.repeat(5000) + '!', '0'.repeat(5000) + '-', `${alphabet.repeat(500)}\u0000`]) {
          regex.test(input);
        }
      }
    });
  });
});
