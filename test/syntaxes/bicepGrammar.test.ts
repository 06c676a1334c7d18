/**
 * Token baselines for the Bicep TextMate grammar (after Bicep's `src/textmate/test/baselines`): every file in
 * `bicepCases/` is tokenized and compared with its `.tokens` golden. `UPDATE_GOLDEN=1` rewrites them; a missing
 * golden is written locally and fails in CI. The grammar also keeps to regular expressions both Oniguruma and
 * JavaScript read the same way, and every include resolves.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, tokenize, type RawGrammar, type RawRule } from './textmate';

const ROOT = path.resolve(__dirname, '..', '..');
const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', 'bicep.tmLanguage.json'), 'utf8')) as RawGrammar;
const CASES = path.join(__dirname, 'bicepCases');

/** Prints each source line followed by its tokens (the root scope left out; whitespace-only tokens skipped). */
function baseline(text: string): string {
  const lines = text.split(/\r?\n/);
  const tokens = tokenize(grammar, text);
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    for (const token of tokens[i] ?? []) {
      const value = line.slice(token.start, token.end);
      if (value.trim().length === 0) {
        continue;
      }
      const scopes = token.scopes.filter((s) => s !== grammar.scopeName).join(' ');
      out.push(`#[${token.start}:${token.end}) ${JSON.stringify(value)} ${scopes}`);
    }
  });
  return `${out.join('\n')}\n`;
}

function rules(rule: RawRule, out: RawRule[] = []): RawRule[] {
  out.push(rule);
  rule.patterns?.forEach((r) => rules(r, out));
  Object.values(rule.repository ?? {}).forEach((r) => rules(r, out));
  for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures]) {
    Object.values(captures ?? {}).forEach((c) => c.patterns?.forEach((r) => rules(r, out)));
  }
  return out;
}

describe('syntaxes/bicep.tmLanguage.json', () => {
  it('is the grammar of source.bicep', () => {
    assert.equal(grammar.scopeName, 'source.bicep');
  });

  it('uses only regular expressions both Oniguruma and JavaScript accept', () => {
    for (const rule of rules(grammar)) {
      for (const source of [rule.match, rule.begin, rule.end]) {
        if (source !== undefined) {
          assert.doesNotThrow(() => compile(source.replace(/\\(\d+)/g, 'x')), source);
          // Oniguruma-only syntax that JavaScript would read differently: \h, \A, \z, \Z, \G, possessive quantifiers.
          assert.doesNotMatch(source, /\\[hAzZG]|[*+?}]\+/, `not portable: ${source}`);
        }
      }
    }
  });

  it('resolves every include', () => {
    for (const rule of rules(grammar)) {
      if (rule.include?.startsWith('#')) {
        assert.ok(grammar.repository[rule.include.slice(1)], `missing repository entry ${rule.include}`);
      }
    }
  });

  it('has a language configuration with Bicep comments and single quotes', () => {
    const config = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'syntaxes', 'bicep.language-configuration.json'), 'utf8'),
    ) as { comments: { lineComment: string }; autoClosingPairs: { open: string }[] };
    assert.equal(config.comments.lineComment, '//');
    assert.ok(config.autoClosingPairs.some((p) => p.open === "'"));
  });

  const cases = fs.readdirSync(CASES).filter((name) => !name.endsWith('.tokens'));
  for (const name of cases) {
    it(`tokenizes ${name} as its baseline`, () => {
      const text = fs.readFileSync(path.join(CASES, name), 'utf8');
      const actual = baseline(text);
      const goldenPath = path.join(CASES, `${name}.tokens`);
      if (process.env.UPDATE_GOLDEN === '1' || (!fs.existsSync(goldenPath) && !process.env.CI)) {
        const existed = fs.existsSync(goldenPath);
        fs.writeFileSync(goldenPath, actual);
        if (!existed && process.env.UPDATE_GOLDEN !== '1') {
          assert.fail(`wrote the missing golden ${path.relative(ROOT, goldenPath)}; review it and run again`);
        }
        return;
      }
      assert.ok(fs.existsSync(goldenPath), `missing golden ${path.relative(ROOT, goldenPath)}`);
      assert.equal(actual, fs.readFileSync(goldenPath, 'utf8'));
    });
  }
});
