/**
 * Bicep robustness: every prefix of every parse fixture (seeded offsets for big files) and seeded single-character
 * deletions and insertions must parse without throwing, keep the lossless invariant, and yield spans that lie inside
 * the text; the lowering must not throw on them either. With `ONUS_CORPUS` set, a seeded sample of real-world files
 * gets the same treatment. A failing input belongs in `test/parse/bicep/err/` as a new fixture.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lowerBicepFile } from '../../../server/src/model/bicep/lower';
import { MAX_NESTING_DEPTH, parseBicep, parseBicepExpression } from '../../../server/src/parse/bicep/parser';
import { TokenKind } from '../../../server/src/parse/bicep/syntax';
import { MemoryFileSystem } from '../../model/memoryFs';
import { prng } from '../hcl/prng';
import { checkSpans } from '../spans';

/** Characters the mutations insert: structure, operators, string and interpolation starts, line ends, non-ASCII. */
const INSERTIONS = [...'{}[]()\'=,.:?!<*-$@#/\\\n\r\t a0é|^~', "'''", '${', '😀', '\ud83d'];

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

/** Parses (and, for fixtures, lowers) `text` and checks the invariants; the message names the input when one fails. */
function checkText(text: string, isFixture: boolean): void {
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  let result;
  try {
    result = parseBicep(text);
  } catch (error) {
    assert.fail(`parseBicep threw on ${label}: ${String(error)}`);
  }
  const tokens = result.tree.tokens;
  assert.equal(tokens.map((token) => text.slice(token.start, token.end)).join(''), text, `lossless: ${label}`);
  assert.equal(tokens[tokens.length - 1]?.kind, TokenKind.EOF, `ends with EOF: ${label}`);
  assert.ok(!result.diagnostics.some((d) => d.code === 'BICEP098' || d.code === 'BICEP099'), `no internal error: ${label}`);
  checkSpans(result.tree.declarations, text.length);
  checkSpans(result.diagnostics, text.length);
  if (isFixture) {
    const expression = parseBicepExpression(text);
    checkSpans(expression.expr, text.length);
    try {
      lowerBicepFile('main.bicep', new MemoryFileSystem({ 'main.bicep': text }));
    } catch (error) {
      assert.fail(`lowerBicepFile threw on ${label}: ${String(error)}`);
    }
  }
}

function listFixtures(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.bicep'))
    .map((name) => path.join(folder, name))
    .sort();
}

describe('Bicep robustness: fixtures', () => {
  const fixtures = [...listFixtures(path.join(__dirname, 'ok')), ...listFixtures(path.join(__dirname, 'err'))];
  fixtures.forEach((file, index) => {
    it(path.relative(__dirname, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      for (const variant of variants(text, 0xb1cef + index, 1500, 100)) {
        checkText(variant, true);
      }
    });
  });
});

describe('Bicep robustness: hostile shapes', () => {
  const deep = MAX_NESTING_DEPTH * 3;
  const cases: { name: string; text: string }[] = [
    { name: 'deeply nested arrays', text: `var a = ${'['.repeat(deep)}${']'.repeat(deep)}\nvar b = 1\n` },
    { name: 'deeply nested objects', text: `var a = ${'{a:'.repeat(deep)}1${'}'.repeat(deep)}\n` },
    { name: 'deeply nested parentheses', text: `var a = ${'('.repeat(deep)}1${')'.repeat(deep)}\n` },
    { name: 'a long chain of unary operators', text: `var a = ${'!'.repeat(deep * 10)}true\n` },
    { name: 'deeply nested interpolations', text: `var a = ${"'${".repeat(deep)}x${"}'".repeat(deep)}\n` },
    { name: 'deeply nested types', text: `type t = ${'{a:'.repeat(deep)}string${'}'.repeat(deep)}\n` },
    {
      name: 'a long chain of variables',
      text: `${Array.from({ length: 3000 }, (_, i) => `var v${i} = v${i + 1}`).join('\n')}\nresource r 'A.B/c@1' = {\n  v: v0\n}\n`,
    },
    {
      name: 'values doubling through variables',
      text: `var v0 = ['x', 'x']\n${Array.from({ length: 60 }, (_, i) => `var v${i + 1} = concat(v${i}, v${i})`).join('\n')}\nresource r 'A.B/c@1' = {\n  v: v60\n}\n`,
    },
    { name: 'a long binary chain', text: `var a = ${Array.from({ length: 5000 }, () => '1').join(' + ')}\n` },
    { name: 'many unclosed objects', text: 'var a = {\n'.repeat(2000) },
    { name: 'only closers', text: '}])'.repeat(1000) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      checkText(c.text, true);
    });
  }

  it('reports nesting beyond the cap once', () => {
    const { diagnostics } = parseBicep(`var a = ${'['.repeat(deep)}${']'.repeat(deep)}\n`);
    assert.equal(diagnostics.filter((d) => d.code === 'BICEP030').length, 1);
  });
});

const corpus = process.env.ONUS_CORPUS;
if (corpus) {
  describe('Bicep robustness: a seeded sample of the real-world corpus', function () {
    this.timeout(300_000);
    it('parses prefixes and mutations of 100 files', () => {
      const files: string[] = [];
      const walk = (folder: string): void => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) {
            walk(full);
          } else if (entry.name.endsWith('.bicep')) {
            files.push(full);
          }
        }
      };
      walk(path.join(corpus, 'realworld'));
      files.sort();
      const random = prng(0x5eed);
      const sample = new Set<string>();
      while (sample.size < Math.min(100, files.length)) {
        sample.add(files[Math.floor(random() * files.length)] as string);
      }
      let parsed = 0;
      [...sample].sort().forEach((file, index) => {
        const text = fs.readFileSync(file, 'utf8');
        for (const variant of variants(text, 0xf00d + index, 60, 20)) {
          checkText(variant, false);
          parsed++;
        }
      });
      console.log(`      bicep robustness: ${sample.size} corpus files, ${parsed} variants parsed`);
    });
  });
}
