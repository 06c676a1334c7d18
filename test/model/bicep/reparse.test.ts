/**
 * The incremental re-parse of a Bicep file after an edit (only the edited top-level declaration is lexed and parsed
 * again) must give exactly what a fresh parse gives: declarations with every span, every token, and the diagnostics.
 * Checked over seeded random edits (insertions, deletions and replacements of structure: brackets, quotes,
 * interpolations, multi-line strings, comments, decorators, line breaks) of generated files, the parser's fixtures
 * and, with `ONUS_CORPUS`, real-world files; and through the analysis, where an edit moves, creates and removes
 * findings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../../bench/support/generate';
import { analyzeUnitOf } from '../../../server/src/engine/analyze';
import { loadBundledRuleSet } from '../../../server/src/engine/loadRules';
import { reparseBicepEdit } from '../../../server/src/model/bicep/parse';
import { parseBicep } from '../../../server/src/parse/bicep/parser';
import type { BicepParseResult } from '../../../server/src/parse/bicep/syntax';
import { LineIndex } from '../../../server/src/text/lineIndex';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { listFilesEndingWith, randomEdit } from '../../support/randomEdits';
import { prng } from '../../parse/hcl/prng';

/** Text the random edits insert: structure, string and comment openers, decorators, whole lines, non-ASCII. */
const PIECES = [
  ...'{}[]()\'=,.:?!<*-$@#/|\\\n\r\t a0é',
  ' ',
  ' ',
  'x',
  'abc',
  '42',
  '\r\n',
  '//',
  '/*',
  '*/',
  '${',
  "'''",
  '\n  extra: 1\n',
  "\n@description('d')\n",
  '\nvar extra = 1\n',
  "'${x}'",
  '😀',
];

interface Tally {
  edits: number;
  reparsed: number;
}

/** A parse and its text. */
interface Parsed {
  text: string;
  result: BicepParseResult;
}

/** Parses `text` as an edit of `previous` both ways and asserts that the re-parse, when it applies, equals the fresh one. */
function checkEdit(previous: Parsed, text: string, tally: Tally, what: string): Parsed {
  tally.edits++;
  const fresh = parseBicep(text);
  const reparsed = reparseBicepEdit(previous.text, previous.result, text);
  if (reparsed === undefined) {
    return { text, result: fresh };
  }
  tally.reparsed++;
  const label = `${what}: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`;
  assert.deepStrictEqual(reparsed, fresh, `re-parse differs from a fresh parse: ${label}`);
  return { text, result: reparsed };
}

function checkRandomEdits(text: string, seed: number, edits: number, tally: Tally, what: string): void {
  const random = prng(seed);
  const base = { text, result: parseBicep(text) };
  for (let i = 0; i < edits; i++) {
    checkEdit(base, randomEdit(text, random, PIECES), tally, `${what} edit ${i}`);
  }
  let previous = base;
  for (let i = 0; i < edits; i++) {
    if (previous.result.diagnostics.length > 0) {
      previous = base;
    }
    previous = checkEdit(previous, randomEdit(previous.text, random, PIECES), tally, `${what} chain step ${i}`);
  }
}

describe('Bicep re-parse after an edit equals a fresh parse', function () {
  this.timeout(120_000);

  it('on random edits of generated files', () => {
    const tally: Tally = { edits: 0, reparsed: 0 };
    for (let seed = 0; seed < 4; seed++) {
      checkRandomEdits(generate('bicep', 200 + seed * 100).text, 0xb1c + seed, 250, tally, `generated ${seed}`);
    }
    assert.ok(tally.reparsed > tally.edits / 4, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
  });

  it('on random edits of the parser fixtures', () => {
    const tally: Tally = { edits: 0, reparsed: 0 };
    listFilesEndingWith(path.join(__dirname, '../../parse/bicep/ok'), '.bicep').forEach((file, index) => {
      checkRandomEdits(fs.readFileSync(file, 'utf8'), 0xf1c + index, 300, tally, path.basename(file));
    });
    assert.ok(tally.reparsed > 200, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
  });

  it('does not apply to edits between declarations or to files with errors', () => {
    const text = "param name string = 'a'\n\nvar x = {\n  a: 1\n}\n";
    const base = parseBicep(text);
    assert.ok(reparseBicepEdit(text, base, text.replace('a: 1', 'a: 12')) !== undefined, 'inside a declaration');
    assert.equal(reparseBicepEdit(text, base, text.replace("'a'\n\n", "'a'\n\n\n")), undefined, 'between declarations');
    assert.equal(reparseBicepEdit(text, base, text.replace('a: 1', 'a: (1')), undefined, 'an edit that makes an error');
    const broken = text.replace("'a'", "'a");
    assert.equal(reparseBicepEdit(broken, parseBicep(broken), broken.replace('a: 1', 'a: 2')), undefined, 'a file with an error');
  });
});

const corpus = process.env.ONUS_CORPUS;
if (corpus) {
  describe('Bicep re-parse after an edit: a seeded sample of the real-world corpus', function () {
    this.timeout(300_000);
    it('equals a fresh parse on random edits of 150 files', () => {
      const files = listFilesEndingWith(path.join(corpus, 'realworld'), '.bicep');
      const random = prng(0xb1ce);
      const sample = new Set<string>();
      while (sample.size < Math.min(150, files.length)) {
        sample.add(files[Math.floor(random() * files.length)] as string);
      }
      const tally: Tally = { edits: 0, reparsed: 0 };
      [...sample].sort().forEach((file, index) => {
        checkRandomEdits(fs.readFileSync(file, 'utf8'), 0xc0de + index, 40, tally, file);
      });
      console.log(`      bicep re-parse: ${sample.size} corpus files, ${tally.reparsed} of ${tally.edits} edits re-parsed`);
      assert.ok(tally.reparsed > tally.edits / 10, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
    });
  });
}

describe('Bicep findings after edits re-parsed incrementally', () => {
  const rules = loadBundledRuleSet();
  const file = '/m/main.bicep';
  const original = `param location string = resourceGroup().location

resource web 'Microsoft.Web/sites@2022-09-01' = {
  name: 'web'
  location: location
  properties: {
    httpsOnly: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-02-01' = {
  name: 'vault'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enablePurgeProtection: true
    enableSoftDelete: true
  }
}
`;

  /** The findings of the analysis of `text` as `line rule resource` (1-based lines). */
  function findings(text: string): string[] {
    const analysis = analyzeUnitOf(file, memoryFileSystem({ [file]: text }), { rules, today: '2026-01-01' });
    const lines = new LineIndex(text);
    return analysis.findings.map((f) => `${lines.positionAt(f.span.start).line + 1} ${f.ruleId} ${f.resource}`);
  }

  /** Asserts that going from `before` to `after` takes the re-parse (so the test exercises it). */
  function assertReparsed(before: string, after: string): void {
    assert.ok(reparseBicepEdit(before, parseBicep(before), after) !== undefined, 'the edit is re-parsed');
  }

  const web = [
    '3 azure-appservice-authentication web',
    '3 azure-appservice-managed-identity web',
    '6 azure-appservice-client-certificates web',
    '6 azure-appservice-ftps web',
    '6 azure-appservice-http2 web',
  ];
  const vault = (line: number) => [
    `${line} azure-keyvault-diagnostic-logs vault`,
    `${line + 3} azure-keyvault-public-network-access vault`,
    `${line + 3} azure-keyvault-rbac-authorization vault`,
  ];

  it('creates, moves and removes findings at the right lines', () => {
    assert.deepEqual(findings(original), [...web, ...vault(11)]);

    const plain = original.replace('httpsOnly: true', 'httpsOnly: false');
    assertReparsed(original, plain);
    assert.deepEqual(findings(plain), [...web, '7 azure-appservice-https-only web', ...vault(11)]);

    const commented = plain.replace('    httpsOnly', '    // behind the gateway\n    httpsOnly');
    assertReparsed(plain, commented);
    assert.deepEqual(findings(commented), [...web, '8 azure-appservice-https-only web', ...vault(12)]);

    const secure = commented.replace('httpsOnly: false', 'httpsOnly: true');
    assertReparsed(commented, secure);
    assert.deepEqual(findings(secure), [...web, ...vault(12)]);
  });
});
