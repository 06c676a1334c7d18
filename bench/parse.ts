/**
 * Parse throughput (MB/s) of the HCL, Bicep and CloudFormation front ends, on the real-world corpus and on generated
 * 1k/5k/20k-line files, beside `JSON.parse` of an equivalent JSON document and, for HCL, `hcl2-parser` (HashiCorp's
 * HCL compiled to JavaScript), all in the same process on the same texts; and the full pipeline (parse, lower,
 * evaluate every rule) on a 5k-line Terraform file against `JSON.parse` of its JSON.
 *
 * Every figure is the median of repeated passes; absolute times depend on the machine and its load, ratios much less.
 * Run alone: `npx tsx bench/parse.ts [--quick]`; `npm run bench` runs it with the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { analyzeUnitOf } from '../server/src/engine/analyze';
import { isCloudFormationFile } from '../server/src/engine/analyze';
import type { RuleSet } from '../server/src/engine/ruleSet';
import { parseBicep } from '../server/src/parse/bicep/parser';
import { parseJsonTemplate, parseYamlTemplate, syntaxOf } from '../server/src/parse/cloudformation/index';
import { parseHcl } from '../server/src/parse/hcl/parser';
import { memoryFileSystem } from '../test/support/memoryFileSystem';
import { loadDiskRuleSet } from '../test/support/ruleSources';
import { listFiles, realworldRoot } from './support/corpus';
import { generate, type Language } from './support/generate';
import { fmt, median, printTable, timeMedian } from './support/stats';

/** One row of the parse table. */
export interface ParseRow {
  language: Language;
  input: string;
  files: number;
  lines: number;
  bytes: number;
  /** Onus's parser, MB/s. */
  onusMBs: number;
  /** JSON.parse of the equivalent JSON, MB/s of the IaC text (so the two are comparable per source byte). */
  jsonMBs?: number;
  /** hcl2-parser, MB/s (HCL only). */
  hcl2MBs?: number;
  /** Microseconds per line for Onus's parser. */
  onusUsPerLine: number;
}

/** The pipeline row. */
export interface PipelineResult {
  lines: number;
  pipelineMs: number;
  parseMs: number;
  jsonParseMs: number;
  ratio: number;
}

/** The parse benchmark's results. */
export interface ParseResults {
  rows: ParseRow[];
  pipeline: PipelineResult;
  /** Onus HCL parse time over hcl2-parser time, on all the HCL inputs measured with both (lower is better). */
  hclSpeedupVsHcl2: number;
}

type Hcl2 = { parseToObject(text: string): [unknown, unknown] };

function loadHcl2(): Hcl2 | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('hcl2-parser') as Hcl2;
  } catch {
    return undefined;
  }
}

const PARSERS: Record<Language, (file: string, text: string) => unknown> = {
  terraform: (_file, text) => parseHcl(text),
  bicep: (_file, text) => parseBicep(text),
  // The parsers themselves: `parseCloudFormation` would return its cached result for a text it has just parsed.
  cloudformation: (file, text) => (syntaxOf(file, text) === 'json' ? parseJsonTemplate(text) : parseYamlTemplate(text)),
};

/** Times one pass of `fn` over every text (median of passes), in ms. */
function passMs(count: number, fn: (i: number) => unknown, minMs: number, minRuns = 3, warmups = 2): number {
  return timeMedian(
    () => {
      for (let i = 0; i < count; i++) {
        fn(i);
      }
    },
    minMs,
    minRuns,
    warmups,
  );
}

const MB = 1024 * 1024;

/** Measures one set of inputs. */
function measure(
  language: Language,
  input: string,
  items: { file: string; text: string; json?: string }[],
  hcl2: Hcl2 | undefined,
  minMs: number,
): ParseRow {
  const bytes = items.reduce((n, it) => n + Buffer.byteLength(it.text), 0);
  const lines = items.reduce((n, it) => n + it.text.split('\n').length, 0);
  const parse = PARSERS[language];
  const onusMs = passMs(items.length, (i) => parse(items[i]!.file, items[i]!.text), minMs);
  const withJson = items.every((it) => it.json !== undefined);
  const jsonMs = withJson ? passMs(items.length, (i) => JSON.parse(items[i]!.json!), minMs) : undefined;
  const hcl2Ms =
    language === 'terraform' && hcl2
      ? passMs(
          items.length,
          (i) => {
            try {
              hcl2.parseToObject(items[i]!.text);
            } catch {
              // A rejected file still cost the time spent on it.
            }
          },
          // hcl2-parser is about a hundred times slower: one warm-up pass and one timed pass.
          0,
          1,
          1,
        )
      : undefined;
  return {
    language,
    input,
    files: items.length,
    lines,
    bytes,
    onusMBs: bytes / MB / (onusMs / 1000),
    ...(jsonMs !== undefined ? { jsonMBs: bytes / MB / (jsonMs / 1000) } : {}),
    ...(hcl2Ms !== undefined ? { hcl2MBs: bytes / MB / (hcl2Ms / 1000) } : {}),
    onusUsPerLine: (onusMs * 1000) / lines,
  };
}

/** The corpus files of a language with an equivalent JSON where one can be made. */
function corpusItems(language: Language, hcl2: Hcl2 | undefined, limit: number): { file: string; text: string; json?: string; sampleStep?: number }[] {
  const root = realworldRoot();
  if (!root) {
    return [];
  }
  // Every n-th item when there are more than `limit`; the step is recorded on the items for the table's label.
  let step = 1;
  const pick = <T>(all: T[]): T[] => {
    step = Math.ceil(all.length / limit);
    return step <= 1 ? all : all.filter((_, i) => i % step === 0);
  };
  const items = corpusItemsOf(language, root, pick, hcl2);
  return step > 1 ? items.map((it) => ({ ...it, sampleStep: step })) : items;
}

/** The corpus files of a language (picked by `pick`) with an equivalent JSON where one can be made. */
function corpusItemsOf(
  language: Language,
  root: string,
  pick: <T>(all: T[]) => T[],
  hcl2: Hcl2 | undefined,
): { file: string; text: string; json?: string }[] {
  switch (language) {
    case 'terraform':
      return pick(listFiles(root, (n) => n.endsWith('.tf'))).map((file) => {
        const text = fs.readFileSync(file, 'utf8');
        // hcl2-parser's own output (hcl2json's shape) is the equivalent JSON of an HCL file.
        let json: string | undefined;
        try {
          const [obj, err] = hcl2?.parseToObject(text) ?? [undefined, 'missing'];
          json = err ? '{}' : JSON.stringify(obj);
        } catch {
          json = '{}';
        }
        return { file, text, json };
      });
    case 'bicep':
      // No equivalent JSON exists for a Bicep source without the Bicep compiler; the reference column stays empty.
      return pick(listFiles(root, (n) => n.endsWith('.bicep'))).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    case 'cloudformation':
      return pick(
        listFiles(root, (n) => /\.(ya?ml|json|template)$/i.test(n))
          .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }))
          .filter((it) => isCloudFormationFile(it.file, it.text)),
      ).map((it) => {
        let json: string;
        try {
          json = JSON.stringify(it.file.endsWith('.json') ? JSON.parse(it.text) : parseYaml(it.text, { logLevel: 'silent', customTags: [] }));
        } catch {
          json = '{}';
        }
        return { ...it, json };
      });
  }
}

/** Runs the parse and pipeline benchmarks. */
export function runParse(options: { quick: boolean; rules?: RuleSet }): ParseResults {
  const hcl2 = loadHcl2();
  const minMs = options.quick ? 150 : 600;
  const sizes = options.quick ? [1000, 5000] : [1000, 5000, 20000];
  const rows: ParseRow[] = [];
  for (const language of ['terraform', 'bicep', 'cloudformation'] as const) {
    // hcl2-parser would take minutes over the whole Terraform corpus: its row is a sample (every n-th file).
    const limit = options.quick ? 150 : language === 'terraform' ? 300 : 100000;
    const corpus = corpusItems(language, hcl2, limit);
    if (corpus.length > 0) {
      const step = corpus[0]?.sampleStep;
      rows.push(measure(language, step ? `corpus (every ${step}th file)` : 'corpus', corpus, hcl2, minMs));
    }
    for (const lines of sizes) {
      const g = generate(language, lines);
      const file = `/bench/generated.${language === 'terraform' ? 'tf' : language === 'bicep' ? 'bicep' : 'yaml'}`;
      rows.push(measure(language, `generated ${lines / 1000}k lines`, [{ file, text: g.text, json: g.json }], hcl2, minMs));
    }
  }
  const hclRows = rows.filter((r) => r.language === 'terraform' && r.hcl2MBs !== undefined);
  const hclSpeedupVsHcl2 = median(hclRows.map((r) => r.onusMBs / r.hcl2MBs!));
  const pipeline = runPipeline(options.rules ?? loadDiskRuleSet().ruleSet, minMs);
  return { rows, pipeline, hclSpeedupVsHcl2 };
}

/** The full pipeline on a 5k-line Terraform file against `JSON.parse` of its JSON. */
function runPipeline(rules: RuleSet, minMs: number): PipelineResult {
  const g = generate('terraform', 5000);
  const file = path.resolve('/bench/pipeline/main.tf');
  const options = { rules, today: '2026-01-01' };
  // Each run sees a different text (as after an edit), so no cache of an earlier run's parse is reused.
  let run = 0;
  const pipelineMs = timeMedian(() => {
    run++;
    const text = `${g.text}\n# edit ${run}\n`;
    return analyzeUnitOf(file, memoryFileSystem({ [file]: text }), options);
  }, Math.max(minMs, 1000));
  const parseMs = timeMedian(() => parseHcl(g.text), minMs);
  const jsonParseMs = timeMedian(() => JSON.parse(g.json), minMs, 20);
  return { lines: g.lines, pipelineMs, parseMs, jsonParseMs, ratio: pipelineMs / jsonParseMs };
}

/** Prints the parse tables. */
export function printParse(r: ParseResults): void {
  printTable(
    'Parse throughput (MB/s of source text; median of repeated passes; higher is better)',
    ['language', 'input', 'files', 'lines', 'Onus MB/s', 'µs/line', 'JSON.parse MB/s', 'hcl2-parser MB/s', 'Onus vs hcl2'],
    r.rows.map((row) => [
      row.language,
      row.input,
      row.files,
      row.lines,
      fmt(row.onusMBs, 2),
      fmt(row.onusUsPerLine, 2),
      fmt(row.jsonMBs, 1),
      fmt(row.hcl2MBs, 3),
      row.hcl2MBs ? `${fmt(row.onusMBs / row.hcl2MBs, 0)}×` : 'n/a',
    ]),
  );
  const p = r.pipeline;
  printTable(
    `Full pipeline on a ${p.lines}-line Terraform file (parse + lower + evaluate every rule)`,
    ['step', 'ms (median)', '× JSON.parse'],
    [
      ['JSON.parse of the equivalent JSON', fmt(p.jsonParseMs, 2), '1×'],
      ['parseHcl', fmt(p.parseMs, 2), `${fmt(p.parseMs / p.jsonParseMs, 1)}×`],
      ['analyzeUnitOf (full pipeline)', fmt(p.pipelineMs, 2), `${fmt(p.ratio, 1)}× (target ≤ 25×)`],
    ],
  );
  console.log(`HCL parse speed vs hcl2-parser (median over inputs): ${fmt(r.hclSpeedupVsHcl2, 0)}× (target ≥ 50×)`);
}

if (require.main === module) {
  const results = runParse({ quick: process.argv.includes('--quick') });
  printParse(results);
}
