/**
 * The HCL parser's shortcuts for common cases (a string of one literal, a template of literals and plain
 * interpolations, a small body's duplicate-attribute check) must build exactly what the general paths build: the two
 * parses are compared on the parser fixtures, seeded random edits of them, template-heavy generated texts and, with
 * `ONUS_CORPUS` set, a seeded sample of the real-world corpus. Also: the lexer reuses its arrays from one lex to the
 * next, and a tree's tokens are made when first read, so tokens read after other parses must still be the file's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lexHcl } from '../../../server/src/parse/hcl/lexer';
import { parseHcl, parseHclWithoutShortcuts } from '../../../server/src/parse/hcl/parser';
import type { HclParseResult } from '../../../server/src/parse/hcl/syntax';
import { listFilesEndingWith, randomEdit } from '../../support/randomEdits';
import { prng } from './prng';

/** Pieces the random edits insert: template syntax above all, so that both template paths are taken. */
const PIECES = [
  ...['"', '${', '}', '~}', '${~', '%{ if a }', '%{ endif }', '$${', '%%{', '$', '%', '\\n', '\\"', '\\u00e9', '\\q'],
  ...['\n', '<<EOT\n', '<<-EOT\n', 'EOT\n', 'a = ', 'b = "x"\n', '{', '[', ']', ',', 'é', '#'],
];

/** The parts a test compares: the items and the diagnostics (codes, messages, spans). */
function comparable(result: HclParseResult): unknown {
  return {
    body: result.tree.body,
    diagnostics: result.diagnostics.map((d) => [d.code, d.message, d.span.start, d.span.end]),
  };
}

function assertSameAsGeneral(text: string, label: string): void {
  assert.deepStrictEqual(comparable(parseHcl(text)), comparable(parseHclWithoutShortcuts(text)), label);
}

/** A file of strings: one literal, escapes, interpolations, `$${`, lone `$`, strip markers, heredocs, duplicates. */
function templateText(random: () => number, lines: number): string {
  const values = [
    ...['"plain"', '""', '"a\\tb\\u00e9"', '"${var.x}"', '"a-${var.x}-b${local.y}"', '"$${not}"', '"100% $5"'],
    ...['"${~ var.x ~}"', '"%{ if var.x }y%{ else }n%{ endif }"', '<<EOT\nline ${var.x}\n  two\nEOT'],
    ...['<<-EOT\n    a\n    b ${1}\n  EOT', '"${"nested ${var.z}"}"', '["a", "b${1}", "c"]'],
    '{ k = "v", "q" = "${w}" }',
  ];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const name = `n${Math.floor(random() * 20)}`;
    out.push(`${name} = ${values[Math.floor(random() * values.length)] as string}`);
  }
  return `block "b" {\n${out.join('\n')}\n}\n`;
}

describe('HCL parser shortcuts build what the general paths build', () => {
  const fixtures = ['ok', 'err'].flatMap((folder) => listFilesEndingWith(path.join(__dirname, folder), '.tf'));

  it('on the parser fixtures and seeded random edits of them', () => {
    assert.ok(fixtures.length > 40, 'the fixtures are found');
    const random = prng(9);
    for (const file of fixtures) {
      const text = fs.readFileSync(file, 'utf8');
      assertSameAsGeneral(text, file);
      for (let i = 0; i < 30; i++) {
        const edited = randomEdit(text, random, PIECES);
        assertSameAsGeneral(edited, `${file} edit ${i}: ${JSON.stringify(edited)}`);
      }
    }
  });

  it('on generated template-heavy files (duplicates included) and edits of them', () => {
    const random = prng(17);
    for (let i = 0; i < 200; i++) {
      const text = templateText(random, 1 + Math.floor(random() * 30));
      assertSameAsGeneral(text, `generated ${i}: ${JSON.stringify(text)}`);
      const edited = randomEdit(text, random, PIECES);
      assertSameAsGeneral(edited, `generated ${i} edited: ${JSON.stringify(edited)}`);
    }
  });

  it('keeps what a user sees: a string value, an interpolation, a duplicate attribute', () => {
    const result = parseHcl('a = "x\\ty"\nb = "p-${var.q}"\na = 1\n');
    const parts = result.tree.body.items.map((item) =>
      item.kind === 'Attribute' && item.expr.kind === 'Template' ? item.expr.parts : [],
    );
    assert.deepEqual(
      parts[0]?.map((p) => (p.kind === 'TemplateLiteral' ? p.value : p.kind)),
      ['x\ty'],
    );
    assert.deepEqual(
      parts[1]?.map((p) => (p.kind === 'TemplateLiteral' ? p.value : p.kind)),
      ['p-', 'TemplateInterp'],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.message, d.span.start]),
      [['HCL019', 'Attribute "a" is already set in this block', 28]],
    );
  });

  const corpus = process.env.ONUS_CORPUS;
  if (corpus !== undefined) {
    it('on a seeded sample of the real-world corpus', () => {
      const files = listFilesEndingWith(path.join(corpus, 'realworld'), '.tf');
      assert.ok(files.length > 100, 'the corpus is found');
      const random = prng(23);
      for (let i = 0; i < 300; i++) {
        const file = files[Math.floor(random() * files.length)] as string;
        assertSameAsGeneral(fs.readFileSync(file, 'utf8'), file);
      }
    });
  }
});

describe('HCL parses one after another', () => {
  it('do not see the previous lex: an unterminated string after the same text terminated', () => {
    parseHcl('a = "x"\nb = "${c}"\n');
    const result = parseHcl('a = "x\nb = "${c}"\n');
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.span.start, d.span.end]), [['HCL002', 4, 6]]);
    assert.deepEqual(result.tree.body.items.map((item) => [item.kind, item.span.start, item.span.end]), [
      ['Attribute', 0, 6],
      ['Attribute', 7, 17],
    ]);
  });

  it('of small texts before and after a large one give the same results', () => {
    // A large text (its arrays are not kept) between small ones, then the small ones again.
    const small = ['a = "x"\n', 'b = "${1}\n', 'c = <<EOT\nx\nEOT\n', 'd = <<EOT\nx\n'];
    const first = small.map((text) => JSON.stringify(comparable(parseHcl(text))));
    parseHcl('x = "y"\n'.repeat(40000));
    assert.deepEqual(small.map((text) => JSON.stringify(comparable(parseHcl(text)))), first);
  });
});

describe('HCL tokens read after other parses', () => {
  it('are those of the parsed text, though the lexer reused its arrays since', () => {
    const texts = ['a = "x"\n', 'resource "t" "n" {\n  b = [1, 2] # c\n}\n', 'x = <<EOT\n${y}\nEOT\n', ''];
    const results = texts.map((text) => parseHcl(text));
    texts.forEach((text, i) => {
      const tokens = (results[i] as HclParseResult).tree.tokens;
      assert.deepStrictEqual(tokens, lexHcl(text).tokens);
      assert.equal(tokens.map((t) => text.slice(t.start, t.end)).join(''), text);
    });
    assert.deepEqual(
      (results[0] as HclParseResult).tree.tokens.map((t) => texts[0]!.slice(t.start, t.end)),
      ['a', ' ', '=', ' ', '"', 'x', '"', '\n', ''],
    );
  });
});
