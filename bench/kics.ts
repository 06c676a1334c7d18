/**
 * Onus measured on KICS's labeled query samples (the corpus's `kics/`, see its README).
 *
 * For every Onus rule whose `references.kics` names a KICS query (`meta.json` `id`) of `kics/terraform/aws` or
 * `kics/cloudFormation/aws`, each positive and negative sample is analysed ON ITS OWN (an in-memory file system
 * holding just that file: a query's samples share a folder, which Terraform would otherwise read as one module), and
 * per rule it reports:
 * - recall: the expected lines of `expected.json` (key `fileName` or `filename`; an entry without one names the only
 *   positive file) matched by a finding of that rule that starts at exactly that line in that file;
 * - clean negatives: the share of negative files with no finding of that rule;
 * - extra: findings of the rule on positive files at lines KICS does not expect (for diagnosis, not scored).
 * Only files Onus lints count: `.tf` for Terraform (not KICS's Terraform-plan `.json`), `.yaml`/`.yml`/`.json`
 * templates for CloudFormation. Expected lines in files that do not count are left out of the totals.
 *
 * Run: `npx tsx bench/kics.ts [--verbose] [--rule <id>]` (ONUS_CORPUS names the corpus folder; default
 * `../shared/corpus` beside the repository). Prints a table and writes `bench/results/kics.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf } from '../server/src/engine/analyze';
import type { Rule } from '../server/src/engine/rule';
import type { Finding } from '../server/src/engine/types';
import { LineIndex } from '../server/src/text/lineIndex';
import { memoryFileSystem } from '../test/support/memoryFileSystem';
import { loadDiskRuleSet } from '../test/support/ruleSources';

const ROOT = path.resolve(__dirname, '..');
const TODAY = '2026-01-01';

/** The KICS platforms measured: corpus folder → the sample extensions Onus lints there. */
const PLATFORMS = {
  terraform: { folder: 'terraform/aws', extensions: ['.tf'], kicsKinds: ['.tf', '.json'] },
  cloudformation: { folder: 'cloudFormation/aws', extensions: ['.yaml', '.yml', '.json'], kicsKinds: ['.yaml', '.json'] },
} as const;
type Platform = keyof typeof PLATFORMS;

/** One entry of `expected.json`. */
interface ExpectedEntry {
  line: number;
  fileName?: string;
  filename?: string;
}

/** A query directory of the corpus. */
interface Query {
  platform: Platform;
  dir: string;
  id: string;
  name: string;
  positives: string[];
  negatives: string[];
  /** Expected (file, line) pairs in positive files Onus lints. */
  expected: { file: string; line: number }[];
  /** Expected lines left out because their file is not one Onus lints (or does not exist). */
  skippedExpected: number;
}

/** What one rule scored on one query. */
interface QueryScore {
  query: string;
  id: string;
  expected: number;
  matched: number;
  missed: { file: string; line: number }[];
  extra: { file: string; line: number }[];
  negatives: number;
  cleanNegatives: number;
  dirtyNegatives: { file: string; lines: number[] }[];
  errors: { file: string; message: string }[];
}

/** What one rule scored on one platform. */
interface RuleScore {
  rule: string;
  platform: Platform;
  queries: QueryScore[];
  expected: number;
  matched: number;
  recall: number | null;
  negatives: number;
  cleanNegatives: number;
  cleanRate: number | null;
  extra: number;
}

function parseArgs(argv: string[]): { verbose: boolean; rule: string | undefined } {
  const ruleAt = argv.indexOf('--rule');
  return { verbose: argv.includes('--verbose'), rule: ruleAt >= 0 ? argv[ruleAt + 1] : undefined };
}

/** Reads the query directories of one platform. */
function readQueries(kicsRoot: string, platform: Platform): Query[] {
  const { folder, extensions } = PLATFORMS[platform];
  const base = path.join(kicsRoot, folder);
  if (!fs.existsSync(base)) {
    return [];
  }
  const lints = (name: string) => extensions.some((e) => name.toLowerCase().endsWith(e));
  const queries: Query[] = [];
  for (const entry of fs.readdirSync(base, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(base, entry.name);
    const metaPath = path.join(dir, 'meta.json');
    if (!entry.isDirectory() || !fs.existsSync(metaPath)) {
      continue;
    }
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { id: string; queryName: string };
    const files = fs.readdirSync(dir).sort();
    const positives = files.filter((n) => n.startsWith('positive') && lints(n));
    const negatives = files.filter((n) => n.startsWith('negative') && lints(n));
    // The positives KICS itself scans (Terraform-plan `.json` included), for entries without a file name.
    const kicsScanned = files.filter((n) => n.startsWith('positive') && PLATFORMS[platform].kicsKinds.some((e) => n.endsWith(e)));
    const expectedPath = path.join(dir, 'expected.json');
    const raw = fs.existsSync(expectedPath) ? (JSON.parse(fs.readFileSync(expectedPath, 'utf8')) as ExpectedEntry[]) : [];
    const expected: { file: string; line: number }[] = [];
    let skippedExpected = 0;
    for (const e of raw) {
      let file = e.fileName ?? e.filename;
      if (file === undefined || file === '') {
        // An entry without a file name refers to the folder's only (scanned) positive file.
        file = kicsScanned.length === 1 ? kicsScanned[0] : undefined;
      }
      if (file !== undefined && positives.includes(file)) {
        expected.push({ file, line: e.line });
      } else {
        skippedExpected++;
      }
    }
    queries.push({
      platform,
      dir: `${folder}/${entry.name}`,
      id: meta.id,
      name: meta.queryName,
      positives,
      negatives,
      expected,
      skippedExpected,
    });
  }
  return queries;
}

/** The 1-based start lines of one rule's findings on one sample analysed alone, or a load error. */
function scan(
  dir: string,
  name: string,
  ruleSet: ReturnType<typeof loadDiskRuleSet>['ruleSet'],
  ruleId: string,
): { lines: number[]; error?: string } {
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  const virtual = path.join('/kics', name);
  let findings: Finding[];
  try {
    const analysis = analyzeUnitOf(virtual, memoryFileSystem({ [virtual]: text }), { rules: ruleSet, today: TODAY });
    findings = analysis.findings.filter((f) => f.ruleId === ruleId && f.file === virtual);
    if (analysis.errors.length > 0 && findings.length === 0) {
      return { lines: [], error: analysis.errors.map((e) => e.message).join('; ') };
    }
  } catch (error) {
    return { lines: [], error: `threw: ${String(error)}` };
  }
  const index = new LineIndex(text);
  return { lines: [...new Set(findings.map((f) => index.positionAt(f.span.start).line + 1))].sort((a, b) => a - b) };
}

/** Scores one rule on one query. */
function scoreQuery(
  query: Query,
  kicsRoot: string,
  ruleSet: ReturnType<typeof loadDiskRuleSet>['ruleSet'],
  ruleId: string,
): QueryScore {
  const dir = path.join(kicsRoot, PLATFORMS[query.platform].folder, path.basename(query.dir));
  const score: QueryScore = {
    query: query.dir,
    id: query.id,
    expected: query.expected.length,
    matched: 0,
    missed: [],
    extra: [],
    negatives: query.negatives.length,
    cleanNegatives: 0,
    dirtyNegatives: [],
    errors: [],
  };
  for (const file of query.positives) {
    const { lines, error } = scan(dir, file, ruleSet, ruleId);
    if (error) {
      score.errors.push({ file, message: error });
    }
    const wanted = query.expected.filter((e) => e.file === file).map((e) => e.line);
    for (const line of wanted) {
      if (lines.includes(line)) {
        score.matched++;
      } else {
        score.missed.push({ file, line });
      }
    }
    for (const line of lines) {
      if (!wanted.includes(line)) {
        score.extra.push({ file, line });
      }
    }
  }
  for (const file of query.negatives) {
    const { lines, error } = scan(dir, file, ruleSet, ruleId);
    if (error) {
      score.errors.push({ file, message: error });
    }
    if (lines.length === 0) {
      score.cleanNegatives++;
    } else {
      score.dirtyNegatives.push({ file, lines });
    }
  }
  return score;
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function fmt(r: number | null): string {
  return r === null ? '   -' : r.toFixed(2);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const corpus = path.resolve(process.env.ONUS_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'));
  const kicsRoot = path.join(corpus, 'kics');
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
  const queriesById = new Map<string, Query[]>();
  for (const platform of Object.keys(PLATFORMS) as Platform[]) {
    for (const q of readQueries(kicsRoot, platform)) {
      queriesById.set(q.id, [...(queriesById.get(q.id) ?? []), q]);
    }
  }

  const scores: RuleScore[] = [];
  const unknownIds: { rule: string; id: string }[] = [];
  // The corpus folders read here hold AWS queries only (bench/kicsAzure.ts measures the Azure rules).
  const rules: Rule[] = ruleSet.rules.filter((r) => r.provider === 'aws' && (args.rule ? r.id === args.rule : true));
  for (const rule of rules) {
    const ids = rule.references.kics ?? [];
    const byPlatform = new Map<Platform, QueryScore[]>();
    for (const id of ids) {
      const queries = queriesById.get(id);
      if (!queries) {
        unknownIds.push({ rule: rule.id, id });
        continue;
      }
      for (const q of queries) {
        byPlatform.set(q.platform, [...(byPlatform.get(q.platform) ?? []), scoreQuery(q, kicsRoot, ruleSet, rule.id)]);
      }
    }
    for (const [platform, queries] of byPlatform) {
      const sum = (f: (q: QueryScore) => number) => queries.reduce((n, q) => n + f(q), 0);
      const expected = sum((q) => q.expected);
      const matched = sum((q) => q.matched);
      const negatives = sum((q) => q.negatives);
      const cleanNegatives = sum((q) => q.cleanNegatives);
      scores.push({
        rule: rule.id,
        platform,
        queries,
        expected,
        matched,
        recall: ratio(matched, expected),
        negatives,
        cleanNegatives,
        cleanRate: ratio(cleanNegatives, negatives),
        extra: sum((q) => q.extra.length),
      });
    }
  }
  scores.sort((a, b) => a.platform.localeCompare(b.platform) || a.rule.localeCompare(b.rule));

  const totals = Object.fromEntries(
    (['terraform', 'cloudformation', 'all'] as const).map((p) => {
      const mine = scores.filter((s) => p === 'all' || s.platform === p);
      const sum = (f: (s: RuleScore) => number) => mine.reduce((n, s) => n + f(s), 0);
      const expected = sum((s) => s.expected);
      const matched = sum((s) => s.matched);
      const negatives = sum((s) => s.negatives);
      const cleanNegatives = sum((s) => s.cleanNegatives);
      return [
        p,
        {
          rules: mine.length,
          queries: sum((s) => s.queries.length),
          expected,
          matched,
          recall: ratio(matched, expected),
          negatives,
          cleanNegatives,
          cleanRate: ratio(cleanNegatives, negatives),
          extra: sum((s) => s.extra),
        },
      ];
    }),
  );

  const header = `${'rule'.padEnd(44)} ${'platform'.padEnd(14)} ${'q'.padStart(2)} ${'recall'.padStart(13)} ${'clean neg'.padStart(13)} ${'extra'.padStart(5)}`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const s of scores) {
    const flag = (s.recall !== null && s.recall < 0.95) || (s.cleanRate !== null && s.cleanRate < 0.95) ? ' *' : '';
    console.log(
      `${s.rule.padEnd(44)} ${s.platform.padEnd(14)} ${String(s.queries.length).padStart(2)} ` +
        `${`${s.matched}/${s.expected} ${fmt(s.recall)}`.padStart(13)} ` +
        `${`${s.cleanNegatives}/${s.negatives} ${fmt(s.cleanRate)}`.padStart(13)} ${String(s.extra).padStart(5)}${flag}`,
    );
    if (args.verbose) {
      for (const q of s.queries) {
        for (const m of q.missed) {
          console.log(`    missed  ${q.query}/${m.file}:${m.line}`);
        }
        for (const x of q.extra) {
          console.log(`    extra   ${q.query}/${x.file}:${x.line}`);
        }
        for (const d of q.dirtyNegatives) {
          console.log(`    dirty   ${q.query}/${d.file}:${d.lines.join(',')}`);
        }
        for (const e of q.errors) {
          console.log(`    error   ${q.query}/${e.file}: ${e.message}`);
        }
      }
    }
  }
  console.log('-'.repeat(header.length));
  for (const [p, t] of Object.entries(totals)) {
    console.log(
      `${`TOTAL ${p}`.padEnd(44)} ${`${t.rules} rules`.padEnd(14)} ${String(t.queries).padStart(2)} ` +
        `${`${t.matched}/${t.expected} ${fmt(t.recall)}`.padStart(13)} ` +
        `${`${t.cleanNegatives}/${t.negatives} ${fmt(t.cleanRate)}`.padStart(13)} ${String(t.extra).padStart(5)}`,
    );
  }
  for (const u of unknownIds) {
    console.log(`note: ${u.rule} names KICS id ${u.id}, which no query of the corpus has`);
  }

  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, 'kics.json'),
    JSON.stringify({ corpus: path.relative(ROOT, kicsRoot), totals, rules: scores, unknownIds }, null, 2) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), path.join(outDir, 'kics.json'))}`);
}

main();
