/**
 * The incremental re-parse of a Terraform file after an edit (only the edited top-level block is lexed and parsed
 * again) must give exactly what a fresh parse gives: the configuration items with every span, the diagnostics, and at
 * the syntax level the block and its tokens. Checked over seeded random edits (insertions, deletions and replacements
 * of structure: braces, quotes, comments, heredocs, line ends) of generated files, the parser's fixtures and, with
 * `ONUS_CORPUS`, real-world files; and through the analysis, where an edit moves, creates and removes findings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../../bench/support/generate';
import { analyzeUnitOf, type Analysis } from '../../../server/src/engine/analyze';
import { loadBundledRuleSet } from '../../../server/src/engine/loadRules';
import type { ConfigFile } from '../../../server/src/model/terraform/config';
import { parseTerraformFileUncached, reparseEdit } from '../../../server/src/model/terraform/parse';
import { parseHcl, parseHclBlockAt } from '../../../server/src/parse/hcl/parser';
import { commonAffixes } from '../../../server/src/text/commonAffixes';
import { LineIndex } from '../../../server/src/text/lineIndex';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { listFilesEndingWith, randomEdit } from '../../support/randomEdits';
import { prng } from '../../parse/hcl/prng';

/** Text the random edits insert: structure, trivia openers, template and heredoc starts, whole lines, non-ASCII. */
const PIECES = [
  ...'{}[]()"=,.:?!<*-$%#/~\\\n\r\t a0é',
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
  '%{',
  '<<EOT\n',
  '<<-EOT\n',
  'EOT\n',
  '\n  extra = "v"\n',
  '\n  nested {\n    a = 1\n  }\n',
  '"${var.x}"',
  '😀',
];

/** Tallies of how the edits were parsed, so a suite can tell that it exercised the re-parse. */
interface Tally {
  edits: number;
  reparsed: number;
}

/**
 * Parses `text` as an edit of `previous` both ways and asserts that the re-parse, when it applies, equals the fresh
 * parse; returns the parse the cache would keep.
 */
function checkEdit(previous: ConfigFile, text: string, tally: Tally, what: string): ConfigFile {
  tally.edits++;
  const fresh = parseTerraformFileUncached(previous.path, text);
  const reparsed = reparseEdit(previous, text);
  if (reparsed === undefined) {
    return fresh;
  }
  tally.reparsed++;
  const label = `${what}: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`;
  assert.deepStrictEqual(reparsed, fresh, `re-parse differs from a fresh parse: ${label}`);
  // The syntax level: the block and its tokens as the whole file's parse has them.
  const index = findChangedItem(previous, text);
  const freshTree = parseHcl(text).tree;
  const block = freshTree.body.items[index];
  assert.ok(block?.kind === 'Block', `the edited item is a block: ${label}`);
  const syntax = parseHclBlockAt(text, block.span.start, block.span.end);
  assert.ok(syntax !== undefined, `the block re-parses: ${label}`);
  assert.deepStrictEqual(syntax.block, block, `block differs: ${label}`);
  const tokens = freshTree.tokens.filter((t) => t.start >= block.span.start && t.end <= block.span.end && t.end > t.start);
  assert.deepStrictEqual(syntax.tokens, tokens, `tokens differ: ${label}`);
  return reparsed;
}

/** The index of the first top-level item of `previous` whose text differs in `text` (the one re-parsed). */
function findChangedItem(previous: ConfigFile, text: string): number {
  let prefix = 0;
  while (prefix < text.length && previous.text.charCodeAt(prefix) === text.charCodeAt(prefix)) {
    prefix++;
  }
  const index = previous.items.findIndex((item) => item.span.end > prefix);
  return index < 0 ? previous.items.length - 1 : index;
}

/** Random single edits of `text` and chains of edits (each parsed from the previous one), checked both ways. */
function checkRandomEdits(file: string, text: string, seed: number, edits: number, tally: Tally): void {
  const random = prng(seed);
  const base = parseTerraformFileUncached(file, text);
  for (let i = 0; i < edits; i++) {
    checkEdit(base, randomEdit(text, random, PIECES), tally, `${file} edit ${i}`);
  }
  let previous = base;
  for (let i = 0; i < edits; i++) {
    // A chain restarts from the original text when it has drifted into syntax errors (no re-parse from there).
    if (previous.diagnostics.length > 0) {
      previous = base;
    }
    previous = checkEdit(previous, randomEdit(previous.text, random, PIECES), tally, `${file} chain step ${i}`);
  }
}

describe('Terraform re-parse after an edit equals a fresh parse', function () {
  this.timeout(120_000);

  it('on random edits of generated files', () => {
    const tally: Tally = { edits: 0, reparsed: 0 };
    for (let seed = 0; seed < 4; seed++) {
      const text = generate('terraform', 200 + seed * 100).text;
      checkRandomEdits(`/gen/main${seed}.tf`, text, 0x5eed + seed, 250, tally);
    }
    // Most random edits keep the file error-free and inside one block; those must have used the re-parse.
    assert.ok(tally.reparsed > tally.edits / 4, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
  });

  it('on random edits of the parser fixtures', () => {
    const tally: Tally = { edits: 0, reparsed: 0 };
    const root = path.join(__dirname, '../../parse/hcl/ok');
    listFilesEndingWith(root, '.tf').forEach((file, index) => {
      checkRandomEdits(file, fs.readFileSync(file, 'utf8'), 0xf1e + index, 300, tally);
    });
    assert.ok(tally.reparsed > 200, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
  });

  it('finds the common prefix and suffix of two texts across chunk boundaries', () => {
    const random = prng(0xaff1);
    const text = generate('terraform', 100).text;
    for (let i = 0; i < 300; i++) {
      const edited = randomEdit(text, random, PIECES);
      let prefix = 0;
      while (prefix < Math.min(text.length, edited.length) && text[prefix] === edited[prefix]) {
        prefix++;
      }
      let suffix = 0;
      while (
        suffix < Math.min(text.length, edited.length) - prefix &&
        text[text.length - 1 - suffix] === edited[edited.length - 1 - suffix]
      ) {
        suffix++;
      }
      assert.deepEqual(commonAffixes(text, edited), { prefix, suffix }, `edit ${i}`);
    }
    assert.deepEqual(commonAffixes('', 'abc'), { prefix: 0, suffix: 0 });
    assert.deepEqual(commonAffixes('aaa', 'aaaa'), { prefix: 3, suffix: 0 });
  });

  it('does not apply to edits between blocks, to the braces of a block, or to files with errors', () => {
    const text = 'resource "a" "b" {\n  x = 1\n}\n\nresource "a" "c" {\n  y = "z"\n}\n';
    const base = parseTerraformFileUncached('/m/main.tf', text);
    assert.ok(reparseEdit(base, text.replace('x = 1', 'x = 12')) !== undefined, 'an edit inside a block re-parses');
    assert.equal(reparseEdit(base, text.replace('}\n\n', '}\n\n\n')), undefined, 'between blocks');
    assert.equal(reparseEdit(base, text.replace('1\n}', '1\n}}')), undefined, 'the closing brace');
    assert.equal(reparseEdit(base, text.replace('x = 1', 'x = "1')), undefined, 'an edit that makes an error');
    const broken = parseTerraformFileUncached('/m/main.tf', text.replace('y = "z"', 'y = "z'));
    assert.equal(reparseEdit(broken, broken.text.replace('x = 1', 'x = 2')), undefined, 'a file with an error');
  });
});

const corpus = process.env.ONUS_CORPUS;
if (corpus) {
  describe('Terraform re-parse after an edit: a seeded sample of the real-world corpus', function () {
    this.timeout(300_000);
    it('equals a fresh parse on random edits of 150 files', () => {
      const files = listFilesEndingWith(path.join(corpus, 'realworld'), '.tf');
      const random = prng(0x7e4a);
      const sample = new Set<string>();
      while (sample.size < Math.min(150, files.length)) {
        sample.add(files[Math.floor(random() * files.length)] as string);
      }
      const tally: Tally = { edits: 0, reparsed: 0 };
      [...sample].sort().forEach((file, index) => {
        checkRandomEdits(file, fs.readFileSync(file, 'utf8'), 0xc0de + index, 40, tally);
      });
      console.log(`      terraform re-parse: ${sample.size} corpus files, ${tally.reparsed} of ${tally.edits} edits re-parsed`);
      assert.ok(tally.reparsed > tally.edits / 10, `re-parsed ${tally.reparsed} of ${tally.edits} edits`);
    });
  });
}

describe('findings after edits re-parsed incrementally', () => {
  const rules = loadBundledRuleSet();
  const file = '/m/main.tf';
  const original = `resource "aws_s3_bucket" "a" {
  bucket = "a"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`;

  /** The findings of the analysis of `text` as `line rule resource` (1-based lines), leaving out bucket a's. */
  function findings(text: string): string[] {
    const analysis: Analysis = analyzeUnitOf(file, memoryFileSystem({ [file]: text }), { rules, today: '2026-01-01' });
    const lines = new LineIndex(text);
    return analysis.findings
      .filter((f) => f.resource !== 'aws_s3_bucket.a')
      .map((f) => `${lines.positionAt(f.span.start).line + 1} ${f.ruleId} ${f.resource}`);
  }

  /** Asserts that going from `before` to `after` takes the re-parse (so the test exercises it). */
  function assertReparsed(before: string, after: string): void {
    assert.ok(reparseEdit(parseTerraformFileUncached(file, before), after) !== undefined, 'the edit is re-parsed');
  }

  it('creates, removes and moves findings at the right lines', () => {
    const bucketB = (line: number) =>
      [
        'aws-s3-access-logging',
        'aws-s3-bucket-public-access-block',
        'aws-s3-encryption-customer-key',
        'aws-s3-secure-transport',
        'aws-s3-versioning',
      ].map((rule) => `${line} ${rule} aws_s3_bucket.b`);
    assert.deepEqual(findings(original), [
      '5 aws-ec2-sg-description aws_security_group.web',
      '7 aws-ec2-sg-description aws_security_group.web',
      ...bucketB(15),
    ]);

    // Opening the rule to the internet creates findings inside the edited block.
    const open = original.replace('"10.0.0.0/8"', '"0.0.0.0/0"');
    assertReparsed(original, open);
    assert.deepEqual(findings(open), [
      '5 aws-ec2-sg-description aws_security_group.web',
      '7 aws-ec2-sg-description aws_security_group.web',
      '11 aws-ec2-sg-public-ingress aws_security_group.web',
      '11 aws-ec2-sg-public-ssh aws_security_group.web',
      ...bucketB(15),
    ]);

    // A description line removes the group's finding and moves every finding below it one line down.
    const described = open.replace('  name = "web"\n', '  name = "web"\n  description = "Web servers"\n');
    assertReparsed(open, described);
    assert.deepEqual(findings(described), [
      '8 aws-ec2-sg-description aws_security_group.web',
      '12 aws-ec2-sg-public-ingress aws_security_group.web',
      '12 aws-ec2-sg-public-ssh aws_security_group.web',
      ...bucketB(16),
    ]);

    // Deleting the ingress block's lines moves the bucket's findings up and removes the ingress findings.
    const closed = described.replace(/ {2}ingress \{[^}]*\}\n/, '');
    assertReparsed(described, closed);
    assert.deepEqual(findings(closed), bucketB(10));
  });
});
