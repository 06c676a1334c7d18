/**
 * Onus measured on KICS's labeled query samples (the corpus's `kics/`, see its README), over every provider:
 * Terraform AWS, Azure and Google Cloud, CloudFormation, and Bicep (KICS keeps its Bicep samples beside the ARM JSON
 * versions of the same cases in `azureResourceManager/azure`).
 *
 * For every Onus rule whose `references.kics` names a KICS query (`meta.json` `id`), each positive and negative sample
 * of that query is analysed on its own (`support/kics.ts`), and per rule and platform it prints:
 * - recall: the expected lines of `expected.json` matched by a finding of that rule at exactly that line;
 * - within: the same, also counting a finding inside the value of the CloudFormation key that KICS's line names
 *   (KICS reports a template at the deepest key its query names, so it expects `PolicyDocument` or `Properties:`
 *   where Onus points at the offending value inside it); for diagnosis, not the target;
 * - clean negatives: the share of negative files with no finding of that rule;
 * - extra: findings of the rule on positive files at lines KICS does not expect (for diagnosis, not scored);
 * then the totals per platform and over all mapped rules, and the coverage: how many of the corpus's KICS queries of
 * each platform an Onus rule names in `references.kics`.
 * Only files Onus lints count (`.tf`, not Terraform-plan `.json`; `.bicep`, not ARM JSON); expected lines in other
 * files are left out of the totals and counted as skipped.
 *
 * Run: `npm run bench:kics -- [--verbose] [--rule <id>] [--provider aws|azure|gcp] [--unmapped]`
 * (ONUS_CORPUS names the corpus folder; default `../shared/corpus` beside the repository). `--verbose` lists every
 * missed, extra and dirty line; `--unmapped` lists the queries no rule names. Writes `bench/results/kics.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rule } from '../server/src/engine/rule';
import { loadDiskRuleSet } from '../test/support/ruleSources';
import { corpusRoot, ROOT } from './support/corpus';
import { PLATFORMS, ratio, readQueries, SampleScanner, scoreQuery, type Platform, type Query, type QueryScore } from './support/kics';

/** Below this recall or clean-negative rate a rule is flagged (README's rule notes explain each one). */
const RULE_THRESHOLD = 0.9;
/** The targets over all mapped rules. */
const TARGET = { recall: 0.95, cleanRate: 0.97, coverage: 0.6 };

/** What one rule scored on one platform. */
interface RuleScore {
  rule: string;
  platform: string;
  queries: QueryScore[];
  expected: number;
  matched: number;
  recall: number | null;
  /** Matched at the line or inside the CloudFormation key KICS's line names (see `QueryScore.matchedWithin`). */
  matchedWithin: number;
  recallWithin: number | null;
  negatives: number;
  cleanNegatives: number;
  cleanRate: number | null;
  extra: number;
  skippedExpected: number;
}

/** Totals over a set of rule scores. */
interface Totals {
  rules: number;
  queries: number;
  expected: number;
  matched: number;
  recall: number | null;
  matchedWithin: number;
  recallWithin: number | null;
  negatives: number;
  cleanNegatives: number;
  cleanRate: number | null;
  extra: number;
  skippedExpected: number;
}

/** How many of a platform's queries some rule names. */
interface Coverage {
  platform: string;
  queries: number;
  mapped: number;
  share: number | null;
  target: boolean;
  unmapped: { dir: string; id: string; name: string }[];
}

interface Args {
  verbose: boolean;
  unmapped: boolean;
  rule: string | undefined;
  provider: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  return { verbose: argv.includes('--verbose'), unmapped: argv.includes('--unmapped'), rule: value('--rule'), provider: value('--provider') };
}

function total(scores: RuleScore[]): Totals {
  const sum = (f: (s: RuleScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const expected = sum((s) => s.expected);
  const matched = sum((s) => s.matched);
  const matchedWithin = sum((s) => s.matchedWithin);
  const negatives = sum((s) => s.negatives);
  const cleanNegatives = sum((s) => s.cleanNegatives);
  return {
    rules: new Set(scores.map((s) => s.rule)).size,
    queries: sum((s) => s.queries.length),
    expected,
    matched,
    recall: ratio(matched, expected),
    matchedWithin,
    recallWithin: ratio(matchedWithin, expected),
    negatives,
    cleanNegatives,
    cleanRate: ratio(cleanNegatives, negatives),
    extra: sum((s) => s.extra),
    skippedExpected: sum((s) => s.skippedExpected),
  };
}

function fmt(r: number | null): string {
  return r === null ? '   -' : r.toFixed(2);
}

function row(
  name: string,
  platform: string,
  t: { queries: number; matched: number; expected: number; recall: number | null; matchedWithin: number; recallWithin: number | null; cleanNegatives: number; negatives: number; cleanRate: number | null; extra: number },
  flag = '',
): string {
  return (
    `${name.padEnd(46)} ${platform.padEnd(19)} ${String(t.queries).padStart(3)} ` +
    `${`${t.matched}/${t.expected} ${fmt(t.recall)}`.padStart(14)} ` +
    `${`${t.matchedWithin} ${fmt(t.recallWithin)}`.padStart(10)} ` +
    `${`${t.cleanNegatives}/${t.negatives} ${fmt(t.cleanRate)}`.padStart(14)} ${String(t.extra).padStart(5)}${flag}`
  );
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const kicsRoot = path.join(corpusRoot(), 'kics');
  if (!fs.existsSync(kicsRoot)) {
    console.error(`kics: corpus not found at ${kicsRoot} (set ONUS_CORPUS)`);
    process.exit(2);
  }
  const { ruleSet, errors } = loadDiskRuleSet();
  if (errors.length > 0) {
    for (const e of errors) {
      console.error(`${e.file}: ${e.message}`);
    }
    process.exit(2);
  }
  const platforms: readonly Platform[] = PLATFORMS.filter((p) => args.provider === undefined || p.provider === args.provider);
  const queries: Query[] = platforms.flatMap((p) => readQueries(kicsRoot, p));
  const queriesById = new Map<string, Query[]>();
  for (const q of queries) {
    queriesById.set(q.id, [...(queriesById.get(q.id) ?? []), q]);
  }
  const scanner = new SampleScanner(kicsRoot, ruleSet);

  const scores: RuleScore[] = [];
  const unknownIds: { rule: string; id: string }[] = [];
  const rules: Rule[] = ruleSet.rules.filter(
    (r) => (args.rule === undefined || r.id === args.rule) && (args.provider === undefined || r.provider === args.provider),
  );
  for (const rule of rules) {
    const byPlatform = new Map<string, QueryScore[]>();
    for (const id of rule.references.kics ?? []) {
      const found = queriesById.get(id);
      if (found === undefined) {
        unknownIds.push({ rule: rule.id, id });
        continue;
      }
      for (const q of found) {
        byPlatform.set(q.platform.name, [...(byPlatform.get(q.platform.name) ?? []), scoreQuery(q, scanner, rule.id)]);
      }
    }
    for (const [platform, scored] of byPlatform) {
      const sum = (f: (q: QueryScore) => number) => scored.reduce((n, q) => n + f(q), 0);
      scores.push({
        rule: rule.id,
        platform,
        queries: scored,
        expected: sum((q) => q.expected),
        matched: sum((q) => q.matched),
        recall: ratio(sum((q) => q.matched), sum((q) => q.expected)),
        matchedWithin: sum((q) => q.matchedWithin),
        recallWithin: ratio(sum((q) => q.matchedWithin), sum((q) => q.expected)),
        negatives: sum((q) => q.negatives),
        cleanNegatives: sum((q) => q.cleanNegatives),
        cleanRate: ratio(sum((q) => q.cleanNegatives), sum((q) => q.negatives)),
        extra: sum((q) => q.extra.length),
        skippedExpected: sum((q) => q.skippedExpected),
      });
    }
  }
  const order = platforms.map((p) => p.name);
  scores.sort((a, b) => order.indexOf(a.platform) - order.indexOf(b.platform) || a.rule.localeCompare(b.rule));

  const header =
    `${'rule'.padEnd(46)} ${'platform'.padEnd(19)} ${'q'.padStart(3)} ${'recall'.padStart(14)} ${'within'.padStart(10)} ` +
    `${'clean neg'.padStart(14)} ${'extra'.padStart(5)}`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const s of scores) {
    const low = (s.recall !== null && s.recall < RULE_THRESHOLD) || (s.cleanRate !== null && s.cleanRate < RULE_THRESHOLD);
    console.log(row(s.rule, s.platform, { ...s, queries: s.queries.length }, low ? ' *' : ''));
    if (args.verbose) {
      for (const q of s.queries) {
        q.missed.forEach((m) => console.log(`    missed  ${q.query}/${m.file}:${m.line}`));
        q.extra.forEach((x) => console.log(`    extra   ${q.query}/${x.file}:${x.line}`));
        q.dirtyNegatives.forEach((d) => console.log(`    dirty   ${q.query}/${d.file}:${d.lines.join(',')}`));
        q.errors.forEach((e) => console.log(`    error   ${q.query}/${e.file}: ${e.message}`));
      }
    }
  }
  console.log('-'.repeat(header.length));
  const totals: Record<string, Totals> = {};
  for (const p of order) {
    const mine = scores.filter((s) => s.platform === p);
    if (mine.length > 0) {
      totals[p] = total(mine);
    }
  }
  totals['all'] = total(scores);
  for (const [p, t] of Object.entries(totals)) {
    console.log(row(`TOTAL ${p}`, `${t.rules} rules`, t));
  }
  console.log(`(* below ${RULE_THRESHOLD} on recall or clean negatives; targets over all mapped rules: recall >= ${TARGET.recall}, clean negatives >= ${TARGET.cleanRate})`);
  console.log(
    '(within: expected lines matched at the line or, in a CloudFormation template, inside the value of the key KICS names there, ' +
      'e.g. a finding at `Action: "*"` inside the `PolicyDocument` KICS expects; recall and the targets count exact lines only)',
  );
  for (const [p, t] of Object.entries(totals)) {
    if (t.skippedExpected > 0 && p !== 'all') {
      console.log(`note: ${p}: ${t.skippedExpected} expected lines are in files Onus does not lint (ARM JSON, Terraform-plan JSON) and are not counted`);
    }
  }
  for (const u of unknownIds) {
    console.log(`note: ${u.rule} names KICS id ${u.id}, which no query of the measured corpus folders has`);
  }

  // Coverage: the corpus's queries per platform that some rule of the whole catalog names.
  const named = new Set(ruleSet.rules.flatMap((r) => r.references.kics ?? []));
  const coverage: Coverage[] = platforms.map((p) => {
    const mine = queries.filter((q) => q.platform === p);
    const unmapped = mine.filter((q) => !named.has(q.id)).map((q) => ({ dir: q.dir, id: q.id, name: q.name }));
    const mapped = mine.length - unmapped.length;
    return { platform: p.name, queries: mine.length, mapped, share: ratio(mapped, mine.length), target: p.coverageTarget, unmapped };
  });
  console.log('');
  console.log(`${'coverage: KICS queries named by a rule'.padEnd(46)} ${'mapped'.padStart(14)}`);
  for (const c of coverage) {
    const flag = c.target && c.share !== null && c.share < TARGET.coverage ? ' *' : c.target ? '' : ' (no target: ARM JSON queries)';
    console.log(`${c.platform.padEnd(46)} ${`${c.mapped}/${c.queries} ${fmt(c.share)}`.padStart(14)}${flag}`);
    if (args.unmapped) {
      c.unmapped.forEach((u) => console.log(`    unmapped  ${u.dir}  ${u.id}  ${u.name}`));
    }
  }
  console.log(`(target: >= ${TARGET.coverage} for Terraform AWS, Azure and Google Cloud and for CloudFormation)`);

  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'kics.json');
  fs.writeFileSync(out, JSON.stringify({ corpus: path.relative(ROOT, kicsRoot), totals, coverage, rules: scores, unknownIds }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main();
