/**
 * `onus test-rules DIR`: runs a team's own rules against their fixtures the way `test/rules.test.ts` runs the
 * catalog's (rules/README.md, "Fixtures"): the rule file passes the schema; every language it targets has good and
 * bad fixtures; a good fixture gives no finding of the rule; a bad fixture's findings match its `.findings` golden;
 * and for a fixable rule, applying its fixes gives `fixed/<name>`, which re-parses, no longer has a fixable finding
 * and has fewer findings. `--update` writes missing or changed goldens and `fixed/` files instead of failing.
 *
 * Invariant: a custom rule is data only; nothing in DIR is executed (a `check` target is refused when it loads).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf, type Analysis } from '../engine/analyze';
import { applyEdits } from '../engine/applyEdits';
import { findRuleFiles } from '../engine/config';
import { addRules } from '../engine/loadRules';
import { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import type { Finding } from '../engine/types';
import type { FileSystem } from '../model/fileSystem';
import { LineIndex } from '../text/lineIndex';
import { displayPath } from './locations';

/** Fixture languages: folder name → the file name endings it holds (as in test/rules.test.ts). */
const LANGUAGES: Record<string, string[]> = {
  terraform: ['.tf', '.tf.json'],
  cloudformation: ['.yaml', '.yml', '.json', '.template'],
  bicep: ['.bicep'],
};

/** What a test run printed and counted. */
export interface RuleTestRun {
  lines: string[];
  passed: number;
  failed: number;
}

/** How a test run reads and writes. */
export interface RuleTestOptions {
  /** Today's date as `YYYY-MM-DD` (for suppressions with `until=` in fixtures). */
  today: string;
  /** Whether to write missing or different goldens and `fixed/` files instead of failing. */
  isUpdate: boolean;
  /** Reads rules and fixtures. */
  fs: FileSystem;
  /** Colours the marks. */
  isColor: boolean;
}

/** A golden line for a finding: `line:col-endLine:endCol rule-id severity message`, 1-based, end exclusive. */
export function goldenLine(finding: Finding, text: string): string {
  const index = new LineIndex(text);
  const s = index.positionAt(finding.span.start);
  const e = index.positionAt(finding.span.end);
  return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${finding.ruleId} ${finding.severity} ${finding.message}`;
}

/** A file system holding one file (a fixture is analysed alone, as its own module). */
function singleFile(file: string, text: string): FileSystem {
  return {
    readFile: (p) => (p === file ? text : undefined),
    readDirectory: (folder) => (folder === path.dirname(file) ? [{ name: path.basename(file), isDirectory: false }] : undefined),
  };
}

/** The fixture files of one kind (good/bad/fixed) of one language, sorted. */
function fixtureFiles(fs: FileSystem, ruleFolder: string, language: string, kind: string): string[] {
  const folder = path.join(ruleFolder, 'fixtures', language, kind);
  const endings = LANGUAGES[language] ?? [];
  return (fs.readDirectory(folder) ?? [])
    .filter((e) => !e.isDirectory && endings.some((x) => e.name.endsWith(x)))
    .map((e) => e.name)
    .sort()
    .map((name) => path.join(folder, name));
}

/**
 * Runs the fixtures of every rule under `dir` (a folder of rule folders, or one rule folder); undefined when `dir`
 * cannot be read.
 */
export function runRuleTests(dir: string, catalog: RuleSet, options: RuleTestOptions): RuleTestRun | undefined {
  const ruleFiles = findRuleFiles(path.resolve(dir), options.fs);
  if (ruleFiles === undefined) {
    return undefined;
  }
  const run: RuleTestRun = { lines: [], passed: 0, failed: 0 };
  const mark = (isPassed: boolean) => {
    const symbol = isPassed ? '\u2714' : '\u2718';
    return options.isColor ? `\u001b[${isPassed ? 32 : 31}m${symbol}\u001b[0m` : symbol;
  };
  const check = (name: string, problem: string | undefined, detail: string[] = []) => {
    if (problem === undefined) {
      run.passed++;
      run.lines.push(`  ${mark(true)} ${name}`);
    } else {
      run.failed++;
      run.lines.push(`  ${mark(false)} ${name}: ${problem}`, ...detail.map((d) => `      ${d}`));
    }
  };
  if (ruleFiles.length === 0) {
    run.lines.push(`no rule.yaml under ${displayPath(path.resolve(dir))}`);
    run.failed++;
    return run;
  }
  for (const ruleFile of ruleFiles) {
    const ruleFolder = path.dirname(ruleFile);
    run.lines.push(`${path.basename(ruleFolder)} (${displayPath(ruleFolder)})`);
    const yaml = options.fs.readFile(ruleFile) ?? '';
    const loaded = addRules(catalog, [{ folder: ruleFolder, yaml, check: undefined, file: ruleFile, isCustom: true }]);
    const error = loaded.errors[0];
    const rule = error ? undefined : loaded.ruleSet.rules[loaded.ruleSet.rules.length - 1];
    check('passes the rule schema', error ? `${displayPath(error.file)}:${error.line}:${error.column}: ${error.message}` : undefined);
    if (!rule) {
      continue;
    }
    const only: RuleSet = {
      rules: [rule],
      byId: new Map([rule.id, ...(rule.aliases ?? [])].map((id) => [id, rule])),
      services: catalog.services,
    };
    testRule(rule, only, ruleFolder, options, check);
  }
  run.lines.push('', `${run.passed} passed, ${run.failed} failed`);
  return run;
}

/** The checks of one loaded rule over its fixtures. */
function testRule(
  rule: Rule,
  only: RuleSet,
  ruleFolder: string,
  options: RuleTestOptions,
  check: (name: string, problem: string | undefined, detail?: string[]) => void,
): void {
  const analyzeFixture = (file: string, text: string): Analysis => {
    const virtual = path.join(path.parse(path.resolve(ruleFolder)).root, '__onus_fixture__', path.basename(file));
    return analyzeUnitOf(virtual, singleFile(virtual, text), { rules: only, today: options.today });
  };
  const golden = (file: string, actual: string): { problem?: string; detail?: string[] } => {
    const expected = options.fs.readFile(file);
    if (expected === actual) {
      return {};
    }
    if (options.isUpdate) {
      nodeFs.mkdirSync(path.dirname(file), { recursive: true });
      nodeFs.writeFileSync(file, actual);
      return {};
    }
    if (expected === undefined) {
      return { problem: `missing ${displayPath(file)} (run with --update to write it, then review it)` };
    }
    return { problem: `differs from ${displayPath(file)}`, detail: [`expected: ${JSON.stringify(expected)}`, `actual:   ${JSON.stringify(actual)}`] };
  };
  const isFixable = Rule.isFixable(rule);
  for (const language of Object.keys(rule.match)) {
    const good = fixtureFiles(options.fs, ruleFolder, language, 'good');
    const bad = fixtureFiles(options.fs, ruleFolder, language, 'bad');
    const fixed = fixtureFiles(options.fs, ruleFolder, language, 'fixed');
    check(
      `has ${language} good and bad fixtures`,
      good.length > 0 && bad.length > 0 ? undefined : `no fixtures/${language}/${good.length === 0 ? 'good' : 'bad'}`,
    );
    check(
      isFixable ? `has ${language} fixed fixtures for its fix` : `has no ${language} fixed fixtures (no fix)`,
      isFixable === fixed.length > 0 || (isFixable && options.isUpdate) ? undefined : isFixable ? `no fixtures/${language}/fixed` : 'a rule without a fix has fixed/ fixtures',
    );
    for (const file of good) {
      const text = options.fs.readFile(file) ?? '';
      const analysis = analyzeFixture(file, text);
      const errors = analysis.errors.map((e) => e.message);
      const findings = analysis.findings.map((f) => goldenLine(f, text));
      check(
        `good/${path.basename(file)}: no finding`,
        errors.length > 0 ? 'the fixture has syntax errors' : findings.length > 0 ? 'the rule reports' : undefined,
        [...errors, ...findings],
      );
    }
    for (const file of bad) {
      const base = path.basename(file);
      const text = options.fs.readFile(file) ?? '';
      const analysis = analyzeFixture(file, text);
      const goldenFile = file.replace(/\.(tf\.json|tf|ya?ml|json|template|bicep)$/, '.findings');
      if (analysis.errors.length > 0 || analysis.findings.length === 0) {
        check(
          `bad/${base}: findings match the golden`,
          analysis.errors.length > 0 ? 'the fixture has syntax errors' : 'a bad fixture must produce at least one finding',
          analysis.errors.map((e) => e.message),
        );
        continue;
      }
      const compared = golden(goldenFile, analysis.findings.map((f) => goldenLine(f, text)).join('\n') + '\n');
      check(`bad/${base}: findings match the golden`, compared.problem, compared.detail);
      if (!isFixable) {
        continue;
      }
      const edits = analysis.findings.flatMap((f) => f.fix?.edits ?? []);
      const fixedFile = path.join(path.dirname(path.dirname(file)), 'fixed', base);
      const name = `bad/${base}: the fix gives fixed/${base}, re-parses and clears the rule`;
      if (edits.length === 0) {
        check(name, options.fs.readFile(fixedFile) !== undefined ? `fixed/${base} exists but the rule offers no fix for this case` : undefined);
        continue;
      }
      const fixedText = applyEdits(text, edits);
      const fixedCompared = golden(fixedFile, fixedText);
      const after = analyzeFixture(file, fixedText);
      const problem =
        fixedCompared.problem ??
        (after.errors.length > analysis.errors.length
          ? 'the fix introduced a syntax error'
          : after.findings.some((f) => f.fix)
            ? 'the rule still fires with a fix after fixing'
            : after.findings.length >= analysis.findings.length
              ? 'fixing did not reduce the findings of the rule'
              : undefined);
      check(name, problem, fixedCompared.detail ?? after.findings.map((f) => goldenLine(f, fixedText)));
    }
  }
}
