/**
 * A deterministic mutation fuzzer over the whole pipeline (parse → model → every rule → fixes planned and applied),
 * shared by the quick suite (`test/fuzz/fuzz.test.ts`) and the long run (`npm run fuzz`, `bench/fuzz.ts`).
 *
 * Each case mutates a real file of one front end (HCL, `.tf.json`, CloudFormation YAML and JSON, Bicep) and checks
 * that no exception escapes, that the work it caused (lexer, parser, evaluator and rule steps counted by
 * `WorkCounter`, not time) stays within a bound proportional to its size, and that every span it reports lies in
 * the text. A failing case is shrunk to a minimal reproducer, which is kept under `test/fuzz/cases/` and replayed by
 * the regression suite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel, analyzeUnitOf, isCloudFormationFile, type Analysis, type AnalyzeOptions } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { lowerCloudFormationTemplate } from '../../server/src/model/cloudformation/template';
import { WorkCounter } from '../../server/src/text/workCounter';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { prng } from '../parse/hcl/prng';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where minimal reproducers of failures are kept (replayed by `test/fuzz/regressions.test.ts`). */
export const CASES_DIR = path.join(__dirname, 'cases');

/** The front ends, each with the file name its input is analysed under. */
export const FRONT_ENDS = ['hcl', 'tf-json', 'cfn-yaml', 'cfn-json', 'bicep'] as const;

/** One front end. */
export type FrontEnd = (typeof FRONT_ENDS)[number];

/** The name a front end's input is analysed under (the folder is never read from disk). */
export const FILE_OF: Record<FrontEnd, string> = {
  hcl: '/onus-fuzz/main.tf',
  'tf-json': '/onus-fuzz/main.tf.json',
  'cfn-yaml': '/onus-fuzz/template.yaml',
  'cfn-json': '/onus-fuzz/template.json',
  bicep: '/onus-fuzz/main.bicep',
};

/** The file extension a reproducer of each front end is saved with. */
export const EXTENSION_OF: Record<FrontEnd, string> = {
  hcl: '.tf',
  'tf-json': '.tf.json',
  'cfn-yaml': '.yaml',
  'cfn-json': '.json',
  bicep: '.bicep',
};

/** The front end of a reproducer file, from its name (`cfn-yaml-1a2b3c.yaml`). */
export function frontEndOfCase(name: string): FrontEnd | undefined {
  return [...FRONT_ENDS].sort((a, b) => b.length - a.length).find((f) => name.startsWith(`${f}-`));
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds

/** Every file under `dir` (recursively) whose name passes `accept`, sorted for determinism. */
function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (accept(full)) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

/** Which front end a seed file belongs to, if any. */
function frontEndOfFile(file: string, text: string): FrontEnd | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tf.json')) {
    return 'tf-json';
  }
  if (lower.endsWith('.tf')) {
    return 'hcl';
  }
  if (lower.endsWith('.bicep')) {
    return 'bicep';
  }
  if (/\.ya?ml$/.test(lower) && isCloudFormationFile(file, text)) {
    return 'cfn-yaml';
  }
  if (lower.endsWith('.json') && isCloudFormationFile(file, text)) {
    return 'cfn-json';
  }
  return undefined;
}

/** Seed texts per front end. */
export type Seeds = Record<FrontEnd, string[]>;

/**
 * The seeds: every rule fixture, the parser fixtures, `test/fuzz/seeds/` and, when `corpus` is given, a
 * deterministic sample of up to `corpusPerFrontEnd` of its files per front end (files up to `maxSize` characters).
 */
export function loadSeeds(options: { corpus?: string; corpusPerFrontEnd?: number; maxSize?: number } = {}): Seeds {
  const maxSize = options.maxSize ?? 16_000;
  const seeds: Seeds = { hcl: [], 'tf-json': [], 'cfn-yaml': [], 'cfn-json': [], bicep: [] };
  const add = (files: string[], limit = Infinity): void => {
    const taken: Record<FrontEnd, number> = { hcl: 0, 'tf-json': 0, 'cfn-yaml': 0, 'cfn-json': 0, bicep: 0 };
    for (const file of files) {
      let text: string;
      try {
        if (fs.statSync(file).size > maxSize * 4) {
          continue;
        }
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (text.length === 0 || text.length > maxSize) {
        continue;
      }
      const frontEnd = frontEndOfFile(file, text);
      if (frontEnd && taken[frontEnd] < limit) {
        taken[frontEnd]++;
        seeds[frontEnd].push(text);
      }
    }
  };
  const isSource = (f: string) => /\.(tf|tf\.json|bicep|ya?ml|json)$/i.test(f);
  add(filesUnder(path.join(ROOT, 'rules'), (f) => f.includes(`${path.sep}fixtures${path.sep}`) && isSource(f)));
  add(filesUnder(path.join(ROOT, 'test', 'parse'), isSource));
  add(filesUnder(path.join(__dirname, 'seeds'), isSource));
  if (options.corpus) {
    const all = filesUnder(options.corpus, isSource);
    // A deterministic, spread-out sample: every k-th file, from a seeded starting point.
    const random = prng(0xc0ffee);
    const shuffled = all.map((f) => ({ f, key: random() })).sort((a, b) => a.key - b.key).map((x) => x.f);
    add(shuffled, options.corpusPerFrontEnd ?? 40);
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

type Random = () => number;

/** A mutation: a name and a function from a seed (and another seed of the same front end, for splicing) to a text. */
export interface Mutation {
  name: string;
  apply(random: Random, text: string, other: string, frontEnd: FrontEnd, scale: number): string;
  /** How often it is picked relative to the others. */
  weight: number;
}

const int = (random: Random, below: number): number => Math.floor(random() * Math.max(1, below));

/** Characters a flip may write: structure, quotes, operators, template and interpolation starts, line ends. */
const FLIP_CHARS = [...'{}[]()"\'=,.:;?!<>*-+$%#/\\|&@`~^\n\r\t 0aZé', '${', '%{', '<<EOF\n', '!Ref ', '- ', '\u2028', '\ufeff'];

/** The openers that nest a front end's values one level deeper each. */
const NESTERS: Record<FrontEnd, string[]> = {
  hcl: ['[', '(', '{a=', 'b {\n', '"${', 'x ? '],
  'tf-json': ['[', '{"a":'],
  'cfn-yaml': ['[', '{a: ', '- ', '!If [c, '],
  'cfn-json': ['[', '{"a":', '{"Fn::If":["c",'],
  bicep: ['[', '(', '{\na: ', 'x ? ', "'${"],
};

/** The closers matching {@link NESTERS} where a front end has one (a deep nest is closed half the time). */
const CLOSERS: Record<string, string> = { '[': ']', '(': ')', '{a=': '}', 'b {\n': '}\n', '{"a":': '1}', '{a: ': '}', '{"Fn::If":["c",': '1,2]}', '{\na: ': '}' };

/** The mutations the issue lists, plus line-ending changes and lone surrogates. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip',
    weight: 1,
    apply(random, text) {
      let out = text;
      for (let n = 1 + int(random, 8); n > 0 && out.length > 0; n--) {
        const at = int(random, out.length);
        const by = random() < 0.7 ? FLIP_CHARS[int(random, FLIP_CHARS.length)]! : String.fromCharCode(int(random, 0x3000));
        out = out.slice(0, at) + by + out.slice(at + 1);
      }
      return out;
    },
  },
  {
    name: 'delete',
    weight: 1,
    apply(random, text) {
      const at = int(random, text.length);
      const length = 1 + int(random, random() < 0.5 ? 8 : Math.max(1, text.length / 4));
      return text.slice(0, at) + text.slice(at + length);
    },
  },
  {
    name: 'duplicate',
    weight: 1,
    apply(random, text) {
      const from = int(random, text.length);
      const piece = text.slice(from, from + 1 + int(random, Math.max(1, text.length / 3)));
      const at = int(random, text.length + 1);
      return text.slice(0, at) + piece.repeat(1 + int(random, 4)) + text.slice(at);
    },
  },
  {
    name: 'truncate',
    weight: 1,
    apply(random, text) {
      return text.slice(0, int(random, text.length + 1));
    },
  },
  {
    name: 'splice',
    weight: 1,
    apply(random, text, other) {
      return text.slice(0, int(random, text.length + 1)) + other.slice(int(random, other.length + 1));
    },
  },
  {
    name: 'nest',
    weight: 0.5,
    apply(random, text, _other, frontEnd, scale) {
      const nesters = NESTERS[frontEnd];
      const opener = nesters[int(random, nesters.length)]!;
      const depth = 50 + int(random, (random() < 0.3 ? 3000 : 600) * scale);
      const closer = random() < 0.5 ? (CLOSERS[opener] ?? '').repeat(depth) : '';
      let deep = opener.repeat(depth) + '1' + closer;
      if (frontEnd === 'cfn-yaml' && random() < 0.5) {
        // Block-style nesting: one more level of indentation per line.
        deep = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
      }
      const at = int(random, text.length + 1);
      return text.slice(0, at) + deep + text.slice(at);
    },
  },
  {
    name: 'long-line',
    weight: 0.5,
    apply(random, text, _other, _frontEnd, scale) {
      const unit = ['a', ' ', '"', '${x}', '\\', '#', 'é', '1,'][int(random, 8)]!;
      const run = unit.repeat(Math.ceil((5_000 + int(random, 200_000 * scale)) / unit.length));
      const at = int(random, text.length + 1);
      return text.slice(0, at) + run + text.slice(at);
    },
  },
  {
    name: 'invalid-utf8',
    weight: 1,
    apply(random, text) {
      // What reading a file with broken UTF-8 gives: the bytes decode to U+FFFD where they are invalid.
      const bytes = Buffer.from(text, 'utf8');
      const parts: Buffer[] = [];
      let last = 0;
      for (let n = 1 + int(random, 6); n > 0; n--) {
        const at = int(random, bytes.length + 1);
        if (at < last) {
          continue;
        }
        parts.push(bytes.subarray(last, at), Buffer.from([0x80 + int(random, 0x80), int(random, 0x100), 0xc0 + int(random, 0x40)]));
        last = at;
      }
      parts.push(bytes.subarray(last));
      return Buffer.concat(parts).toString('utf8');
    },
  },
  {
    name: 'nul',
    weight: 1,
    apply(random, text) {
      let out = text;
      for (let n = 1 + int(random, 5); n > 0; n--) {
        const at = int(random, out.length + 1);
        out = out.slice(0, at) + '\0'.repeat(1 + int(random, 3)) + out.slice(at);
      }
      return out;
    },
  },
  {
    name: 'surrogates-and-line-ends',
    weight: 1,
    apply(random, text) {
      const pick = int(random, 3);
      if (pick === 0) {
        return text.replace(/\n/g, '\r\n');
      }
      if (pick === 1) {
        return text.replace(/\n/g, '\r');
      }
      const at = int(random, text.length + 1);
      return text.slice(0, at) + ['\ud800', '\udfff', '\ud83d\ude00'][int(random, 3)] + text.slice(at);
    },
  },
];

/** One generated case: the front end, the mutations applied (one to three) and the text. */
export interface FuzzCase {
  frontEnd: FrontEnd;
  mutations: string[];
  text: string;
}

/** Picks a mutation by weight. */
function pickMutation(random: Random): Mutation {
  const total = MUTATIONS.reduce((sum, m) => sum + m.weight, 0);
  let at = random() * total;
  for (const mutation of MUTATIONS) {
    at -= mutation.weight;
    if (at < 0) {
      return mutation;
    }
  }
  return MUTATIONS[0]!;
}

/**
 * The `index`-th case of a run seeded with `seed`: the same arguments always give the same case. `scale` (0 to 1)
 * sizes the deep nests and long lines: the quick suite keeps them smaller than the long run.
 */
export function generateCase(seeds: Seeds, seed: number, index: number, scale = 1): FuzzCase {
  const random = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const frontEnd = FRONT_ENDS[index % FRONT_ENDS.length]!;
  const pool = seeds[frontEnd];
  let text = pool[int(random, pool.length)] ?? '';
  const mutations: string[] = [];
  // Mostly one mutation; sometimes two or three stacked, but never two huge ones (nest, long line) at once.
  const count = random() < 0.7 ? 1 : 2 + int(random, 2);
  let isHuge = false;
  for (let i = 0; i < count; i++) {
    let mutation = pickMutation(random);
    if (isHuge && (mutation.name === 'nest' || mutation.name === 'long-line' || mutation.name === 'duplicate')) {
      mutation = MUTATIONS[0]!;
    }
    isHuge ||= mutation.name === 'nest' || mutation.name === 'long-line';
    const other = pool[int(random, pool.length)] ?? '';
    text = mutation.apply(random, text, other, frontEnd, scale);
    mutations.push(mutation.name);
  }
  return { frontEnd, mutations, text };
}

// ---------------------------------------------------------------------------------------------------------------
// The pipeline and its checks

/** The work bound of an input of `length` characters: proportional to its size, plus a constant for the rules. */
export function workBound(length: number): number {
  return WORK_PER_CHARACTER * length + WORK_CONSTANT;
}

/**
 * Units of work allowed per input character. Real files measure at about 1 to 15 (the rule engine visits each
 * resource once per rule that targets its type); the margin leaves room for new rules, not for superlinear work.
 */
export const WORK_PER_CHARACTER = 200;

/** Units of work allowed whatever the size (rule set overheads); the model's evaluation budget is 1,000,000. */
export const WORK_CONSTANT = 2_500_000;

/** What one run of the pipeline did. */
export interface PipelineResult {
  analysis: Analysis;
  /** Units of work counted, by stage. */
  work: { lexer: number; parser: number; evaluator: number; rules: number; total: number };
  /** The text after applying every planned fix of the file (non-overlapping edits, one pass). */
  fixed: string;
}

/** Runs parse → model → rules → fixes on `text` as the front end's file; throws only if the pipeline throws. */
export function runPipeline(frontEnd: FrontEnd, text: string, rules: RuleSet): PipelineResult {
  const file = FILE_OF[frontEnd];
  const options: AnalyzeOptions = { rules, today: '2026-01-01' };
  WorkCounter.reset();
  let analysis: Analysis;
  if (frontEnd === 'cfn-yaml' || frontEnd === 'cfn-json') {
    // Detection runs as in a scan, but the template is lowered even when a mutation broke what detection looks at.
    isCloudFormationFile(file, text);
    analysis = analyzeModel(lowerCloudFormationTemplate(file, text), options);
  } else {
    analysis = analyzeUnitOf(file, memoryFileSystem({ [file]: text }), options);
  }
  const edits = analysis.findings.flatMap((f) => f.fix?.edits ?? []).filter((e) => e.file === file);
  const fixed = applyEdits(text, edits);
  const work = {
    lexer: WorkCounter.lexer,
    parser: WorkCounter.parser,
    evaluator: WorkCounter.evaluator,
    rules: WorkCounter.rules,
    total: WorkCounter.total(),
  };
  return { analysis, work, fixed };
}

/** Checks one input; returns what went wrong, or undefined. */
export function checkInput(frontEnd: FrontEnd, text: string, rules: RuleSet): string | undefined {
  let result: PipelineResult;
  try {
    result = runPipeline(frontEnd, text, rules);
  } catch (error) {
    return `threw: ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error)}`;
  }
  const bound = workBound(text.length);
  if (result.work.total > bound) {
    return `work ${result.work.total} exceeds the bound ${bound} for ${text.length} characters (${JSON.stringify(result.work)})`;
  }
  const file = FILE_OF[frontEnd];
  const isInside = (span: { start: number; end: number }) => span.start >= 0 && span.start <= span.end && span.end <= text.length;
  for (const finding of result.analysis.findings) {
    if (finding.file === file && !isInside(finding.span)) {
      return `finding ${finding.ruleId} at ${finding.span.start}-${finding.span.end} lies outside the text`;
    }
    for (const edit of finding.fix?.edits ?? []) {
      if (edit.file === file && !isInside(edit.span)) {
        return `fix of ${finding.ruleId} edits ${edit.span.start}-${edit.span.end}, outside the text`;
      }
    }
  }
  for (const error of result.analysis.errors) {
    if (error.file === file && !isInside(error.span)) {
      return `diagnostic ${error.code ?? ''} at ${error.span.start}-${error.span.end} lies outside the text`;
    }
  }
  return undefined;
}

/**
 * Shrinks a failing input while it still fails the same way (same first word of the failure): removes chunks of
 * halving size (delta debugging), within a bounded number of attempts.
 */
export function minimize(text: string, fails: (candidate: string) => boolean, maxAttempts = 400): string {
  let current = text;
  let attempts = 0;
  for (let chunk = Math.max(1, Math.floor(current.length / 2)); chunk >= 1 && attempts < maxAttempts; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < current.length && attempts < maxAttempts; ) {
      const candidate = current.slice(0, at) + current.slice(at + chunk);
      attempts++;
      if (fails(candidate)) {
        current = candidate;
      } else {
        at += chunk;
      }
    }
  }
  return current;
}

/** A short stable hash of a text (FNV-1a), naming reproducer files. */
export function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Saves a reproducer under `test/fuzz/cases/`; returns its path. */
export function saveReproducer(frontEnd: FrontEnd, text: string): string {
  fs.mkdirSync(CASES_DIR, { recursive: true });
  const file = path.join(CASES_DIR, `${frontEnd}-${hashOf(text)}${EXTENSION_OF[frontEnd]}`);
  fs.writeFileSync(file, text);
  return file;
}
