/**
 * Reading YAML templates in chunks after an edit (`yamlChunks.ts`) must give exactly what a whole parse gives: the
 * same nodes, spans, diagnostics and line starts. Random edits (typed characters, deletions, lines duplicated, removed
 * or broken) are applied one after another to hand-written and generated templates and, with `ONUS_CORPUS`, to every
 * real-world YAML template of the corpus; after each one the chunked read is compared with `parseYamlTemplate`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCloudFormation } from '../../../bench/support/generate';
import { analyzeUnitOf, type Analysis } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/applyEdits';
import { EvaluationMemo } from '../../../server/src/engine/evaluationMemo';
import { loadBundledRuleSet } from '../../../server/src/engine/loadRules';
import { isCloudFormationTemplate } from '../../../server/src/model/cloudformation/detect';
import { parseYamlTemplate } from '../../../server/src/parse/cloudformation/yaml';
import { YamlChunkCache, chunksOf } from '../../../server/src/parse/cloudformation/yamlChunks';
import { LineIndex } from '../../../server/src/text/lineIndex';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { prng } from '../hcl/prng';

/** A template with every kind of chunk: comments, sections of entries, block scalars, short forms, odd layouts. */
const TEMPLATE = `# A template to edit
AWSTemplateFormatVersion: "2010-09-09"
Description: >
  Folded
  text
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env:
    Type: String
    Default: prod   # a comment
  # between parameters
  Size: {Type: Number, Default: 3}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsBig: !Not
    - !Equals [!Ref Size, 1]
Mappings:
  Regions:
    eu-west-1: {Ami: ami-1}
Globals:
  Function:
    Timeout: 5
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${AWS::StackName}-logs"
      Tags:
      - Key: Name
        Value: !Ref Env
# a comment at the margin inside Resources

  "Quoted":
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: 'it''s'
  Function:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: |
        exports.handler = async () => 1;

      Runtime: nodejs20.x
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: false
      Arn: !GetAtt Bucket.Arn
Outputs:
  Name:
    Value: !Ref Bucket
`;

/** Characters typed at random, those that matter to YAML first. */
const TYPED = [...':-#"\'![]{},|>&*?\n \t\r%', 'a', 'Z', '0', 'x', '\n  ', '\n    ', '\n  New:\n    Type: AWS::S3::Bucket\n'];

/** One random edit of `text`, as a user (or a paste, or an undo) makes it. */
function randomEdit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndAt = text.indexOf('\n', at);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt + 1;
  switch (Math.floor(random() * 7)) {
    case 0:
    case 1:
      return text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)]! + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    case 3:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 30));
    case 4:
      // The line duplicated.
      return text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
    case 5:
      // The line removed.
      return text.slice(0, lineStart) + text.slice(lineEnd);
    default:
      // A line of elsewhere inserted here.
      return text.slice(0, lineStart) + text.split('\n')[Math.floor(random() * 40)] + '\n' + text.slice(lineStart);
  }
}

/**
 * Applies `trials` chains of up to three random edits to `text` (each chain starts again from `text`, as an undo
 * does), comparing the chunked read with a whole parse after each edit; returns the cache's counts.
 */
function compareEdits(text: string, trials: number, seed: number, what: string): YamlChunkCache['counts'] {
  const random = prng(seed);
  const cache = new YamlChunkCache();
  assert.deepEqual(cache.parse(text), parseYamlTemplate(text), `${what}: first read`);
  for (let trial = 0; trial < trials; trial++) {
    let edited = text;
    const chain = 1 + Math.floor(random() * 3);
    for (let i = 0; i < chain; i++) {
      edited = randomEdit(edited, random);
      const chunked = cache.parse(edited);
      assert.deepEqual(chunked, parseYamlTemplate(edited), `${what}: edit ${trial}.${i} gives ${JSON.stringify(edited)}`);
    }
    cache.parse(text);
  }
  return cache.counts;
}

describe('reading YAML templates in chunks', () => {
  it('splits a block-style template at top-level keys and section entries, and leaves unusual layouts to a whole parse', () => {
    const chunks = chunksOf(TEMPLATE)!;
    const names = chunks.map((c) => ('header' in c ? `${TEMPLATE.slice(c.header.start, TEMPLATE.indexOf(':', c.header.start))}: ${c.entries.length}` : TEMPLATE.slice(c.start, TEMPLATE.indexOf(':', c.start))));
    assert.deepEqual(names, [
      'AWSTemplateFormatVersion',
      'Description',
      'Transform',
      'Parameters: 2',
      'Conditions: 2',
      'Mappings: 1',
      'Globals: 1',
      'Resources: 4',
      'Outputs: 1',
    ]);
    for (const unusual of ['---\nA: 1\n', '%YAML 1.2\n---\nA: 1\n', '{A: 1}\n', 'A:\n\tB: 1\n', '\uFEFFA: 1\n', 'A: 1\rB: 2\n', '- a\n', 'A:\n    B: 1\n  C: 2\n']) {
      assert.equal(chunksOf(unusual), undefined, JSON.stringify(unusual));
    }
  });

  it('reads only the chunk an edit touched and moves the others', () => {
    const cache = new YamlChunkCache();
    cache.parse(TEMPLATE);
    assert.equal(cache.counts.chunked, 0, 'a first read parses the whole text');
    const edited = TEMPLATE.replace('StorageEncrypted: false', 'StorageEncrypted: true');
    assert.deepEqual(cache.parse(edited), parseYamlTemplate(edited));
    const inserted = `${edited.slice(0, edited.indexOf('  Bucket:'))}  Extra:\n    Type: AWS::SNS::Topic\n${edited.slice(edited.indexOf('  Bucket:'))}`;
    assert.deepEqual(cache.parse(inserted), parseYamlTemplate(inserted));
    assert.deepEqual(cache.counts, { chunked: 2, chunksRead: 2 });
  });

  it('reports duplicate keys across chunks as a whole parse does', () => {
    const text = `${TEMPLATE}Outputs:\n  Again:\n    Value: x\n`.replace('  Db:', '  Bucket:');
    const cache = new YamlChunkCache();
    cache.parse(TEMPLATE);
    const chunked = cache.parse(text);
    assert.equal(cache.counts.chunked, 1);
    assert.deepEqual(chunked, parseYamlTemplate(text));
    assert.deepEqual(
      chunked.diagnostics.map((d) => d.message),
      ['Duplicate key "Bucket": the last one applies', 'Duplicate key "Outputs": the last one applies'],
    );
  });

  for (const [name, text, trials] of [
    ['a hand-written template', TEMPLATE, 600],
    ['the hand-written template with CRLF line ends', TEMPLATE.replace(/\n/g, '\r\n'), 500],
    ['a generated template', generateCloudFormation(300, 1).text, 200],
    ['a generated template of 2k lines', generateCloudFormation(2000, 2).text, 40],
  ] as const) {
    it(`equals a whole parse after random edits of ${name}`, function () {
      this.timeout(300_000);
      const counts = compareEdits(text, trials, name.length, name);
      assert.ok(counts.chunked > trials * 0.7, `most edits are read in chunks (${counts.chunked} of about ${trials * 2})`);
    });
  }

  it('moves, removes and adds findings at the right lines as a template is edited, and the moved fix applies', () => {
    // The same file analysed after each edit, as the language server does: its parse reuses the unchanged chunks.
    const rules = loadBundledRuleSet();
    const file = '/stack/template.yaml';
    const memo = new EvaluationMemo();
    const analyze = (text: string): Analysis => analyzeUnitOf(file, memoryFileSystem({ [file]: text }), { rules, today: '2026-01-01', memo });
    const encryption = (a: Analysis, text: string): string[] => {
      const index = new LineIndex(text);
      return a.findings.filter((f) => f.ruleId === 'aws-rds-storage-encryption').map((f) => `${index.positionAt(f.span.start).line + 1}: ${f.resource}`);
    };
    const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
    assert.deepEqual(encryption(analyze(TEMPLATE), TEMPLATE), [`${lineOf(TEMPLATE, 'StorageEncrypted')}: Db`]);

    // Three lines inserted above the database move its finding three lines down.
    const moved = TEMPLATE.replace('  Db:\n', '  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {}\n  Db:\n');
    const atMoved = analyze(moved);
    assert.deepEqual(encryption(atMoved, moved), [`${lineOf(TEMPLATE, 'StorageEncrypted') + 3}: Db`]);
    const fix = atMoved.findings.find((f) => f.ruleId === 'aws-rds-storage-encryption')?.fix;
    assert.ok(fix, 'the moved finding offers its fix');
    const fixed = applyEdits(moved, fix.edits);
    assert.ok(fixed.includes('      StorageEncrypted: true\n      Arn: !GetAtt Bucket.Arn\n'), fixed);
    assert.deepEqual(encryption(analyze(fixed), fixed), [], 'the fixed text has no such finding');

    // A second database added at the end gets a finding at its own line; the first one's is gone.
    const added = `${fixed}  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: false\n`.replace('Outputs:\n  Name:\n    Value: !Ref Bucket\n', '');
    assert.deepEqual(encryption(analyze(added), added), [`${added.split('\n').length - 1}: Replica`]);
    const fresh = analyzeUnitOf('/other/template.yaml', memoryFileSystem({ '/other/template.yaml': added }), { rules, today: '2026-01-01' });
    assert.deepEqual(encryption(fresh, added), encryption(analyze(added), added));
  });

  const corpus = process.env.ONUS_CORPUS;
  if (corpus) {
    it('equals a whole parse after random edits of every YAML template of the corpus', function () {
      this.timeout(600_000);
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            walk(full);
          } else if (/\.(?:ya?ml|template)$/i.test(entry.name)) {
            files.push(full);
          }
        }
      };
      for (const folder of [path.join(corpus, 'realworld'), path.join(corpus, 'kics', 'cloudFormation')]) {
        if (fs.existsSync(folder)) {
          walk(folder);
        }
      }
      let templates = 0;
      let chunked = 0;
      for (const [i, file] of files.sort().entries()) {
        const text = fs.readFileSync(file, 'utf8');
        if (!isCloudFormationTemplate(file, text) || text.startsWith('{')) {
          continue;
        }
        templates++;
        chunked += compareEdits(text, 3, i, path.relative(corpus, file)).chunked;
      }
      assert.ok(templates > 300, `the corpus holds YAML templates (${templates})`);
      assert.ok(chunked > templates, `edits of corpus templates are read in chunks (${chunked} of ${templates * 6})`);
    });
  }
});
