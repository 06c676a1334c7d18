/**
 * KICS's labeled query samples (the corpus's `kics/`, see its README) as the KICS benchmark reads and scores them:
 * the platforms Onus lints, each query folder's samples and expected lines, and the score of one rule on one query.
 *
 * Each sample is analysed ON ITS OWN (an in-memory file system holding just that file): a query's samples share a
 * folder, which Terraform would otherwise read as one module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { parseCloudFormation, type CfnNode } from '../../server/src/parse/cloudformation';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import type { Finding } from '../../server/src/engine/types';
import { LineIndex } from '../../server/src/text/lineIndex';
import { memoryFileSystem } from '../../test/support/memoryFileSystem';

/** The date suppressions and expiries are judged against, fixed so runs compare. */
const TODAY = '2026-01-01';

/** A KICS platform Onus lints: its corpus folder, the samples Onus reads there and those KICS itself scans. */
export interface Platform {
  /** The name printed and written: language/provider. */
  name: string;
  provider: 'aws' | 'azure' | 'gcp';
  folder: string;
  /** Sample extensions Onus lints (`.tf`, not KICS's Terraform-plan `.json`; `.bicep`, not ARM JSON). */
  extensions: readonly string[];
  /** Sample extensions KICS scans in that folder (to resolve expected entries without a file name). */
  kicsKinds: readonly string[];
  /** Whether the platform counts in the coverage target (Bicep shares its queries with ARM JSON, which Onus does not lint). */
  coverageTarget: boolean;
}

/** The platforms measured, in print order. */
export const PLATFORMS: readonly Platform[] = [
  { name: 'terraform/aws', provider: 'aws', folder: 'terraform/aws', extensions: ['.tf'], kicsKinds: ['.tf', '.json'], coverageTarget: true },
  {
    name: 'cloudformation/aws',
    provider: 'aws',
    folder: 'cloudFormation/aws',
    extensions: ['.yaml', '.yml', '.json'],
    kicsKinds: ['.yaml', '.json'],
    coverageTarget: true,
  },
  { name: 'terraform/azure', provider: 'azure', folder: 'terraform/azure', extensions: ['.tf'], kicsKinds: ['.tf', '.json'], coverageTarget: true },
  {
    name: 'bicep/azure',
    provider: 'azure',
    folder: 'azureResourceManager/azure',
    extensions: ['.bicep'],
    kicsKinds: ['.json', '.bicep'],
    coverageTarget: false,
  },
  { name: 'terraform/gcp', provider: 'gcp', folder: 'terraform/gcp', extensions: ['.tf'], kicsKinds: ['.tf', '.json'], coverageTarget: true },
];

/** One entry of `expected.json` (Go decodes its keys case-insensitively, so both spellings occur). */
interface ExpectedEntry {
  line: number;
  fileName?: string;
  filename?: string;
}

/** A query directory of the corpus. */
export interface Query {
  platform: Platform;
  /** The folder relative to the corpus's `kics/`. */
  dir: string;
  id: string;
  name: string;
  positives: string[];
  negatives: string[];
  /** Expected (file, line) pairs in positive files Onus lints. */
  expected: { file: string; line: number }[];
  /** Expected lines left out because their file is not one Onus lints (ARM JSON, plan JSON) or does not exist. */
  skippedExpected: number;
}

/** What one rule scored on one query. */
export interface QueryScore {
  query: string;
  id: string;
  expected: number;
  skippedExpected: number;
  matched: number;
  /**
   * Expected lines matched at the line or, in a CloudFormation template, inside the value of the key KICS's line
   * names (KICS reports the deepest key its query names, e.g. `PolicyDocument`, where Onus points at `Action: "*"`).
   */
  matchedWithin: number;
  missed: { file: string; line: number }[];
  extra: { file: string; line: number }[];
  negatives: number;
  cleanNegatives: number;
  dirtyNegatives: { file: string; lines: number[] }[];
  errors: { file: string; message: string }[];
}

/** Reads the query directories of one platform (none when the folder is missing). */
export function readQueries(kicsRoot: string, platform: Platform): Query[] {
  const base = path.join(kicsRoot, platform.folder);
  if (!fs.existsSync(base)) {
    return [];
  }
  const lints = (name: string) => platform.extensions.some((e) => name.toLowerCase().endsWith(e));
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
    const kicsScanned = files.filter((n) => n.startsWith('positive') && platform.kicsKinds.some((e) => n.endsWith(e)));
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
    queries.push({ platform, dir: `${platform.folder}/${entry.name}`, id: meta.id, name: meta.queryName, positives, negatives, expected, skippedExpected });
  }
  return queries;
}

/** Analyses samples alone and remembers each one's findings, so every rule mapped to a query reuses one analysis. */
export class SampleScanner {
  private readonly cache = new Map<string, { findings: Finding[]; index: LineIndex; error?: string }>();
  private readonly extents = new Map<string, Map<number, number>>();

  constructor(
    private readonly kicsRoot: string,
    private readonly ruleSet: RuleSet,
  ) {}

  /**
   * For a CloudFormation sample: per 1-based line where a key starts, the last line of that key's value (the
   * outermost pair when several keys start on one line); empty for other samples.
   */
  keyExtents(query: Query, name: string): Map<number, number> {
    const file = path.join(this.kicsRoot, query.dir, name);
    let extents = this.extents.get(file);
    if (extents === undefined) {
      extents = query.platform.name.startsWith('cloudformation') ? keyExtentsOf(file, fs.readFileSync(file, 'utf8')) : new Map();
      this.extents.set(file, extents);
    }
    return extents;
  }

  /** The 1-based start lines of one rule's findings on one sample, or the load error that stopped the analysis. */
  lines(query: Query, name: string, ruleId: string): { lines: number[]; error?: string } {
    const sample = this.analyse(path.join(this.kicsRoot, query.dir, name));
    const mine = sample.findings.filter((f) => f.ruleId === ruleId);
    if (sample.error !== undefined && mine.length === 0) {
      return { lines: [], error: sample.error };
    }
    return { lines: [...new Set(mine.map((f) => sample.index.positionAt(f.span.start).line + 1))].sort((a, b) => a - b) };
  }

  private analyse(file: string): { findings: Finding[]; index: LineIndex; error?: string } {
    const cached = this.cache.get(file);
    if (cached !== undefined) {
      return cached;
    }
    const text = fs.readFileSync(file, 'utf8');
    const virtual = path.join('/kics', path.basename(file));
    const index = new LineIndex(text);
    let result: { findings: Finding[]; index: LineIndex; error?: string };
    try {
      const analysis = analyzeUnitOf(virtual, memoryFileSystem({ [virtual]: text }), { rules: this.ruleSet, today: TODAY });
      const findings = analysis.findings.filter((f) => f.file === virtual);
      const error = analysis.errors.length > 0 ? analysis.errors.map((e) => e.message).join('; ') : undefined;
      result = { findings, index, error };
    } catch (error) {
      result = { findings: [], index, error: `threw: ${String(error)}` };
    }
    this.cache.set(file, result);
    return result;
  }
}

/** Per 1-based line where a key of a CloudFormation template starts, the last line of its value (explicit stack). */
function keyExtentsOf(file: string, text: string): Map<number, number> {
  const parsed = parseCloudFormation(file, text);
  const index = new LineIndex(text);
  const extents = new Map<number, number>();
  const stack: CfnNode[] = [...parsed.documents];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'mapping') {
      for (const pair of node.pairs) {
        const line = index.positionAt(pair.keySpan.start).line + 1;
        const last = index.positionAt(Math.max(pair.value.span.end - 1, pair.keySpan.start)).line + 1;
        extents.set(line, Math.max(extents.get(line) ?? line, last));
        stack.push(pair.value);
      }
    } else if (node.kind === 'sequence') {
      stack.push(...node.items);
    }
  }
  return extents;
}

/**
 * Scores one rule on one query: recall counts expected lines matched by a finding of the rule starting at exactly that
 * line of that file; clean negatives are the negative files with no finding of the rule; extra findings (lines KICS
 * does not expect in a positive file) are listed for diagnosis, not scored.
 */
export function scoreQuery(query: Query, scanner: SampleScanner, ruleId: string): QueryScore {
  const score: QueryScore = {
    query: query.dir,
    id: query.id,
    expected: query.expected.length,
    skippedExpected: query.skippedExpected,
    matched: 0,
    matchedWithin: 0,
    missed: [],
    extra: [],
    negatives: query.negatives.length,
    cleanNegatives: 0,
    dirtyNegatives: [],
    errors: [],
  };
  for (const file of query.positives) {
    const { lines, error } = scanner.lines(query, file, ruleId);
    if (error) {
      score.errors.push({ file, message: error });
    }
    const wanted = query.expected.filter((e) => e.file === file).map((e) => e.line);
    const extents = scanner.keyExtents(query, file);
    for (const line of wanted) {
      if (lines.includes(line)) {
        score.matched++;
        score.matchedWithin++;
      } else {
        score.missed.push({ file, line });
        const last = extents.get(line) ?? line;
        if (lines.some((l) => l > line && l <= last)) {
          score.matchedWithin++;
        }
      }
    }
    for (const line of lines) {
      if (!wanted.includes(line)) {
        score.extra.push({ file, line });
      }
    }
  }
  for (const file of query.negatives) {
    const { lines, error } = scanner.lines(query, file, ruleId);
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

/** n / d, or null when there is nothing to divide. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}
