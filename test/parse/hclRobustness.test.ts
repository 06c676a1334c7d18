/**
 * HCL robustness: every prefix of every parse fixture (seeded offsets for big files) and seeded single-character
 * deletions and insertions must parse without throwing, keep the lossless invariant, and yield a well-formed tree
 * whose spans lie inside the text. With `ONUS_CORPUS` set, a seeded sample of real-world files gets the same
 * treatment. A failing input belongs in `test/parse/hcl/err/` as a new fixture.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHcl, parseHclExpression, parseHclTemplate } from '../../server/src/parse/hcl/parser';
import { TokenKind } from '../../server/src/parse/hcl/syntax';
import { prng } from './hcl/prng';
import { checkSpans } from './spans';
import { listFilesEndingWith } from '../support/randomEdits';

/** Characters the mutations insert: structure, operators, template starts, line ends, non-ASCII, a lone surrogate. */
const INSERTIONS = [
  ...'{}[]()"=,.:?!<*-$%#/~\\\n\r\t a0é',
  '😀',
  '\ud83d',
];

/** The texts derived from one source: prefixes and single-character deletions and insertions. */
function variants(text: string, seed: number, prefixes: number, edits: number): string[] {
  const random = prng(seed);
  const out: string[] = [];
  if (text.length <= prefixes) {
    for (let end = 0; end <= text.length; end++) {
      out.push(text.slice(0, end));
    }
  } else {
    for (let i = 0; i < prefixes; i++) {
      out.push(text.slice(0, Math.floor(random() * (text.length + 1))));
    }
  }
  for (let i = 0; i < edits && text.length > 0; i++) {
    const at = Math.floor(random() * text.length);
    out.push(text.slice(0, at) + text.slice(at + 1));
    const inserted = INSERTIONS[Math.floor(random() * INSERTIONS.length)] as string;
    out.push(text.slice(0, at) + inserted + text.slice(at));
  }
  return out;
}

/** Parses `text` every way and checks the invariants; the message names the input when one fails. */
function checkText(text: string, isFixture: boolean): void {
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  let result;
  try {
    result = parseHcl(text);
  } catch (error) {
    assert.fail(`parseHcl threw on ${label}: ${String(error)}`);
  }
  const tokens = result.tree.tokens;
  assert.equal(tokens.map((token) => text.slice(token.start, token.end)).join(''), text, `lossless: ${label}`);
  assert.equal(tokens[tokens.length - 1]?.kind, TokenKind.EOF, `ends with EOF: ${label}`);
  assert.equal(result.tree.kind, 'ConfigFile');
  assert.equal(result.tree.body.kind, 'Body');
  checkSpans(result.tree.body, text.length);
  checkSpans(result.diagnostics, text.length);
  if (isFixture) {
    // The other entry points see the same inputs; they must not throw either.
    const expression = parseHclExpression(text);
    checkSpans(expression.expr, text.length);
    const template = parseHclTemplate(text, 3);
    checkSpans(template.expr, text.length + 3);
  }
}

describe('HCL robustness: fixtures', () => {
  const root = path.join(__dirname, 'hcl');
  const fixtures = [...listFilesEndingWith(path.join(root, 'ok'), '.tf'), ...listFilesEndingWith(path.join(root, 'err'), '.tf')];
  fixtures.forEach((file, index) => {
    it(path.relative(root, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      for (const variant of variants(text, 0xc0ffee + index, 4000, 100)) {
        checkText(variant, true);
      }
    });
  });
});

const corpus = process.env.ONUS_CORPUS;
if (corpus) {
  describe('HCL robustness: a seeded sample of the real-world corpus', function () {
    this.timeout(120_000);
    it('parses prefixes and mutations of 200 files', () => {
      const files = listFilesEndingWith(path.join(corpus, 'realworld'), '.tf');
      const random = prng(0xbadc0de);
      const sample = new Set<string>();
      while (sample.size < Math.min(200, files.length)) {
        sample.add(files[Math.floor(random() * files.length)] as string);
      }
      let parsed = 0;
      [...sample].sort().forEach((file, index) => {
        const text = fs.readFileSync(file, 'utf8');
        for (const variant of variants(text, 0xf00d + index, 100, 25)) {
          checkText(variant, false);
          parsed++;
        }
      });
      console.log(`      hcl robustness: ${sample.size} corpus files, ${parsed} variants parsed`);
    });
  });
}
