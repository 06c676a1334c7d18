/**
 * Discovers every rule folder under `rules/` and checks it by its fixtures (STYLE.md section 4):
 * the schema; good fixtures produce no finding of the rule; bad fixtures match their `.findings` goldens; applying
 * the rule's fixes (through fix-all, as the editor and `onus fix` apply them) gives `fixed/`, which re-parses without
 * new syntax errors, no longer fires, and is stable.
 *
 * `UPDATE_GOLDEN=1 npm test` rewrites goldens and `fixed/` files (a missing golden fails under CI).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf, type Analysis } from '../server/src/engine/analyze';
import { fixAll } from '../server/src/engine/fixAll';
import { buildRuleSet } from '../server/src/engine/loadRules';
import type { RuleSet } from '../server/src/engine/ruleSet';
import type { Finding } from '../server/src/engine/types';
import { LineIndex } from '../server/src/text/lineIndex';
import { memoryFileSystem } from './support/memoryFileSystem';
import { readRuleSource, readServiceFiles, ruleFolders, RULES_ROOT } from './support/ruleSources';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const IS_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const TODAY = '2026-01-01';

/** Fixture languages: folder name → file extensions it holds. */
const LANGUAGES: Record<string, string[]> = {
  terraform: ['.tf', '.tf.json'],
  cloudformation: ['.yaml', '.yml', '.json', '.template'],
  bicep: ['.bicep'],
};

/** The fixture files of one kind (good/bad/fixed) of one language. */
function fixtureFiles(folder: string, language: string, kind: string): string[] {
  const dir = path.join(RULES_ROOT, folder, 'fixtures', language, kind);
  if (!fs.existsSync(dir)) {
    return [];
  }
  const exts = LANGUAGES[language] ?? [];
  return fs
    .readdirSync(dir)
    .filter((n) => exts.some((e) => n.endsWith(e)))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Where a fixture is analysed: its own module in a memory file system. */
function virtualPathOf(file: string): string {
  return path.join('/fixture', path.basename(file));
}

/** Analyses one fixture file alone (as its own module) with one rule. */

function analyzeFixture(file: string, text: string, ruleSet: RuleSet): Analysis {
  const virtual = virtualPathOf(file);
  const fileSystem = memoryFileSystem({ [virtual]: text });
  return analyzeUnitOf(virtual, fileSystem, { rules: ruleSet, today: TODAY });
}

/** A golden line for a finding. */
function goldenLine(f: Finding, text: string): string {
  const index = new LineIndex(text);
  const s = index.positionAt(f.span.start);
  const e = index.positionAt(f.span.end);
  return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.ruleId} ${f.severity} ${f.message}`;
}

/** Compares `actual` with the file at `goldenPath`, rewriting it under UPDATE_GOLDEN. */
function assertGolden(goldenPath: string, actual: string): void {
  if (UPDATE || (!fs.existsSync(goldenPath) && !IS_CI)) {
    fs.mkdirSync(path.dirname(goldenPath), { recursive: true });
    fs.writeFileSync(goldenPath, actual);
    if (!UPDATE) {
      assert.fail(`created missing golden ${path.relative(RULES_ROOT, goldenPath)}; review it and run again`);
    }
    return;
  }
  assert.ok(fs.existsSync(goldenPath), `missing golden ${path.relative(RULES_ROOT, goldenPath)}`);
  assert.equal(actual, fs.readFileSync(goldenPath, 'utf8'));
}

const folders = fs.existsSync(RULES_ROOT) ? ruleFolders() : [];
const services = readServiceFiles();

describe('rules', () => {
  it('the catalog loads without errors and ids are unique', () => {
    const { errors, ruleSet } = buildRuleSet(folders.map(readRuleSource), services);
    assert.deepEqual(errors, []);
    assert.equal(ruleSet.rules.length, folders.length);
  });

  it('every rule names a service of the services catalog', () => {
    const { ruleSet } = buildRuleSet(folders.map(readRuleSource), services);
    const known = new Set(ruleSet.services.map((s) => s.id));
    const unknown = ruleSet.rules.filter((r) => !known.has(r.service)).map((r) => `${r.id} → ${r.service}`);
    assert.deepEqual(unknown, []);
  });

  for (const folder of folders) {
    describe(folder.split('/').pop()!, () => {
      const source = readRuleSource(folder);
      const { ruleSet, errors } = buildRuleSet([source], services);
      const rule = ruleSet.rules[0];

      it('passes the rule schema', () => {
        assert.deepEqual(errors, []);
        assert.ok(rule);
      });
      if (!rule) {
        return;
      }
      // A rule may have a fix in one language and none in another (a setting CloudFormation writes as a list of
      // objects, say): fixed fixtures are asked for per language.
      const isFixableIn = (language: string) =>
        (rule.match[language as keyof typeof rule.match] ?? []).some((target) => target.fix !== undefined);

      for (const language of Object.keys(rule.match)) {
        const good = fixtureFiles(folder, language, 'good');
        const bad = fixtureFiles(folder, language, 'bad');
        const fixed = fixtureFiles(folder, language, 'fixed');
        const isFixable = isFixableIn(language);

        it(`has ${language} good and bad fixtures`, () => {
          assert.ok(good.length > 0, `no fixtures/${language}/good`);
          assert.ok(bad.length > 0, `no fixtures/${language}/bad`);
        });

        it(isFixable ? `has ${language} fixed fixtures for its fix` : 'has no fixed fixtures (no fix)', () => {
          if (isFixable) {
            assert.ok(fixed.length > 0, `fixable rule without fixtures/${language}/fixed`);
          } else {
            assert.equal(fixed.length, 0, 'a rule without a fix has fixed/ fixtures');
          }
        });

        for (const file of good) {
          it(`good/${path.basename(file)}: no finding`, () => {
            const text = fs.readFileSync(file, 'utf8');
            const analysis = analyzeFixture(file, text, ruleSet);
            assert.deepEqual(analysis.errors.map((e) => e.message), [], 'fixture has syntax errors');
            assert.deepEqual(analysis.findings.map((f) => goldenLine(f, text)), []);
          });
        }

        for (const file of bad) {
          const base = path.basename(file);
          const golden = file.replace(/\.(tf\.json|tf|ya?ml|json|template|bicep)$/, '.findings');
          it(`bad/${base}: findings match the golden`, () => {
            const text = fs.readFileSync(file, 'utf8');
            const analysis = analyzeFixture(file, text, ruleSet);
            assert.deepEqual(analysis.errors.map((e) => e.message), [], 'fixture has syntax errors');
            assert.ok(analysis.findings.length > 0, 'a bad fixture must produce at least one finding');
            assertGolden(golden, analysis.findings.map((f) => goldenLine(f, text)).join('\n') + '\n');
          });

          if (!isFixable) {
            continue;
          }
          it(`bad/${base}: the fix gives fixed/${base}, re-parses, clears the rule and is stable`, () => {
            const text = fs.readFileSync(file, 'utf8');
            const analysis = analyzeFixture(file, text, ruleSet);
            // As the editor's Fix all and `onus fix` apply them: in passes, two fixes inserting at one place taking turns.
            const result = fixAll(
              virtualPathOf(file),
              text,
              { findings: analysis.findings, errorCount: analysis.errors.length },
              (fixed) => {
                const again = analyzeFixture(file, fixed, ruleSet);
                return { findings: again.findings, errorCount: again.errors.length };
              },
            );
            const fixedText = result.text;
            const fixedPath = path.join(path.dirname(path.dirname(file)), 'fixed', base);
            if (result.applied.length === 0) {
              assert.ok(!fs.existsSync(fixedPath), `fixed/${base} exists but the rule offers no fix for this case`);
              return;
            }
            assert.equal(result.isStoppedBySyntax, false, 'the fix introduced a syntax error');
            assertGolden(fixedPath, fixedText);
            const after = analyzeFixture(file, fixedText, ruleSet);
            assert.equal(after.errors.length, analysis.errors.length, 'the fix introduced a syntax error');
            const stillFixable = after.findings.filter((f) => f.fix);
            assert.deepEqual(
              stillFixable.map((f) => goldenLine(f, fixedText)),
              [],
              'the rule still fires with a fix after fixing',
            );
            assert.ok(
              after.findings.length < analysis.findings.length,
              'fixing did not reduce the findings of the rule',
            );
          });
        }
      }
    });
  }
});
