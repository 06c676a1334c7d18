/**
 * Reuse of rule evaluations between analyses of a unit (the language server's edits): after every edit, an analysis
 * that reuses the previous ones must report exactly what an analysis from scratch reports, at the new positions, with
 * fixes that apply to the new text. Cases where a stale reuse would be wrong: a related resource, a variable in
 * another file, the file's line ending, a companion fix, text above the resource; and every rule's fixtures edited.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnitOf, type Analysis } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { EvaluationMemo } from '../../server/src/engine/evaluationMemo';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { LineIndex } from '../../server/src/text/lineIndex';
import { generate, type Language } from '../../bench/support/generate';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { seededInts } from '../support/randomEdits';
import { RULES_ROOT, ruleFolders } from '../support/ruleSources';

const rules = loadBundledRuleSet();

/** What a user can see of an analysis: findings, suppressed findings and undecided rules, in order. */
function visible(a: Analysis): unknown {
  return {
    findings: a.findings,
    suppressed: a.suppressed,
    suppressionProblems: a.suppressionProblems,
    undecided: [...a.undecided].map(([key, ids]) => [key, [...ids].sort()]).sort(),
  };
}

/** Analyses `entry`'s unit with the memo and from scratch, asserts they agree, and returns the memo's analysis. */
function analyzeBoth(files: Record<string, string>, entry: string, memo: EvaluationMemo, what = entry): Analysis {
  const options = { rules, today: '2026-01-01' };
  const reused = analyzeUnitOf(entry, memoryFileSystem(files), { ...options, memo });
  const fresh = analyzeUnitOf(entry, memoryFileSystem(files), options);
  assert.deepEqual(visible(reused), visible(fresh), `reused evaluation differs from a fresh one: ${what}`);
  return reused;
}

/** The findings of one rule as `line: resource` (1-based lines). */
function linesOf(a: Analysis, ruleId: string, text: string): string[] {
  const index = new LineIndex(text);
  return a.findings.filter((f) => f.ruleId === ruleId).map((f) => `${index.positionAt(f.span.start).line + 1}: ${f.resource}`);
}

const BUCKETS = `resource "aws_s3_bucket" "a" {
  bucket = "a"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "enc" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d"
    }
  }
}
`;

describe('reusing rule evaluations between edits', () => {
  it('re-evaluates a bucket when the encryption configuration that names it changes in another block', () => {
    const memo = new EvaluationMemo();
    const file = '/m/main.tf';
    const before = analyzeBoth({ [file]: BUCKETS }, file, memo);
    assert.deepEqual(linesOf(before, 'aws-s3-encryption-customer-key', BUCKETS), ['1: aws_s3_bucket.a']);
    const after = BUCKETS.replace('aws_s3_bucket.b.id', 'aws_s3_bucket.a.id');
    const reused = analyzeBoth({ [file]: after }, file, memo);
    assert.ok(memo.reused > 0, 'the unchanged buckets reuse their evaluations');
    assert.deepEqual(linesOf(reused, 'aws-s3-encryption-customer-key', after), ['5: aws_s3_bucket.b']);
  });

  it('re-evaluates a resource when a variable it reads changes in another file of the module', () => {
    const memo = new EvaluationMemo();
    const main = '/m/main.tf';
    const variables = '/m/variables.tf';
    const bucket = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n}\n\nresource "aws_s3_bucket_acl" "site" {\n  bucket = aws_s3_bucket.site.id\n  acl    = var.acl\n}\n';
    const files = { [main]: bucket, [variables]: 'variable "acl" {\n  default = "private"\n}\n' };
    assert.deepEqual(linesOf(analyzeBoth(files, main, memo), 'aws-s3-public-acl', bucket), []);
    const changed = { ...files, [variables]: 'variable "acl" {\n  default = "public-read"\n}\n' };
    assert.deepEqual(linesOf(analyzeBoth(changed, main, memo), 'aws-s3-public-acl', bucket), ['7: aws_s3_bucket_acl.site']);
  });

  it('moves reused findings and fixes below an edit, and the moved fix applies to the new text', () => {
    const memo = new EvaluationMemo();
    const file = '/m/main.tf';
    analyzeBoth({ [file]: BUCKETS }, file, memo);
    const after = `# storage for the site\n\n${BUCKETS}`;
    const a = analyzeBoth({ [file]: after }, file, memo);
    assert.ok(memo.reused > 0);
    assert.deepEqual(linesOf(a, 'aws-s3-encryption-customer-key', after), ['3: aws_s3_bucket.a']);
    const fixable = a.findings.find((f) => f.fix && f.resource === 'aws_s3_bucket.a');
    assert.ok(fixable?.fix, 'a fix on the moved bucket');
    const fixed = applyEdits(after, fixable.fix.edits);
    assert.ok(fixed.startsWith('# storage for the site\n\nresource "aws_s3_bucket" "a" {'), fixed);
    // The fixed text scans without that finding (the fix landed where the bucket is now).
    const rescanned = analyzeUnitOf(file, memoryFileSystem({ [file]: fixed }), { rules, today: '2026-01-01' });
    assert.ok(!rescanned.findings.some((f) => f.ruleId === fixable.ruleId && f.resource === 'aws_s3_bucket.a'));
  });

  it('renders fixes again when the file changes its line ending elsewhere', () => {
    const memo = new EvaluationMemo();
    const file = '/m/main.tf';
    const bucket = 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n';
    const first = analyzeBoth({ [file]: bucket }, file, memo);
    assert.ok(first.findings.some((f) => f.fix?.edits.some((e) => e.newText.includes('\n') && !e.newText.includes('\r\n'))));
    // A header written with Windows line endings above the bucket: the new lines a fix writes use them too.
    const crlf = `# owned by the platform team\r\n# reviewed yearly\r\n\n${bucket}`;
    const second = analyzeBoth({ [file]: crlf }, file, memo);
    const multiline = second.findings.flatMap((f) => f.fix?.edits ?? []).filter((e) => e.newText.includes('\n'));
    assert.ok(multiline.length > 0);
    assert.ok(multiline.every((e) => e.newText.includes('\r\n')), 'fixes use the file\'s line ending');
  });

  it('drops a companion fix when a resource of the companion type is added elsewhere', () => {
    const memo = new EvaluationMemo();
    const file = '/m/main.tf';
    const bucket = 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n';
    const first = analyzeBoth({ [file]: bucket }, file, memo);
    const companions = (a: Analysis) =>
      a.findings.filter((f) => f.fix?.edits.some((e) => /resource "aws_s3_bucket_\w+"/.test(e.newText))).map((f) => f.ruleId).sort();
    const before = companions(first);
    assert.ok(before.length > 0, 'some fix adds a companion resource to a lone bucket');
    const withPolicies = `${bucket}
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = "{}"
}

resource "aws_s3_bucket_versioning" "a" {
  bucket = aws_s3_bucket.a.id
  versioning_configuration {
    status = "Enabled"
  }
}
`;
    const after = companions(analyzeBoth({ [file]: withPolicies }, file, memo));
    assert.notDeepEqual(after, before, 'a companion that now exists is not offered again');
  });


  it('names a new CloudFormation key anew when a parameter takes its logical id elsewhere in the template', () => {
    const memo = new EvaluationMemo();
    const file = '/m/queue.yaml';
    const queue = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: alias/aws/sqs\n';
    const keyFix = (a: Analysis) => a.findings.find((f) => f.ruleId === 'aws-sqs-customer-key')?.fix?.edits.map((e) => e.newText).join('');
    assert.match(keyFix(analyzeBoth({ [file]: queue }, file, memo)) ?? '', /!Ref OrdersKey\b/);
    // The parameter goes above the resources, away from the queue's lines: the queue itself is unchanged.
    const withParameter = queue.replace('Resources:', 'Parameters:\n  OrdersKey:\n    Type: String\nResources:');
    const fix = keyFix(analyzeBoth({ [file]: withParameter }, file, memo, 'a parameter named like the key'));
    assert.match(fix ?? '', /!Ref OrdersKey2\b/, 'the key the fix adds does not take the parameter\'s name');
  });
  it('agrees with a fresh analysis over random edits of generated files, suppressions included', function () {
    this.timeout(600000);
    const names: Record<Language, string> = { terraform: '/g/main.tf', cloudformation: '/g/stack.yaml', bicep: '/g/main.bicep' };
    const comment: Record<Language, string> = { terraform: '#', cloudformation: '#', bicep: '//' };
    const ids: Record<Language, string> = { terraform: 'aws-ec2-sg-description', cloudformation: 'aws-s3-versioning', bicep: 'azure-storage-blob-public-access' };
    for (const language of ['terraform', 'cloudformation', 'bicep'] as const) {
      const random = seededInts(7);
      const file = names[language];
      const memo = new EvaluationMemo();
      let text = generate(language, 240).text;
      analyzeBoth({ [file]: text }, file, memo);
      let reused = 0;
      for (let i = 0; i < 40; i++) {
        const lines = text.split('\n');
        const line = random(lines.length);
        const at = lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + random(lines[line]!.length + 1);
        const kind = random(6);
        if (kind === 0) {
          text = `${text.slice(0, at)}${' x"{}:\n'[random(8)]}${text.slice(at)}`;
        } else if (kind === 1) {
          text = `${text.slice(0, at)}${text.slice(at + 1 + random(3))}`;
        } else if (kind === 2) {
          lines.splice(line, 0, lines[line]!);
          text = lines.join('\n');
        } else if (kind === 3) {
          const indent = /^\s*/.exec(lines[line]!)![0];
          lines.splice(line, 0, `${indent}${comment[language]} onus:ignore ${ids[language]}${random(2) ? ' until=2025-01-01' : ''} kept on purpose`);
          text = lines.join('\n');
        } else if (kind === 4) {
          lines.splice(line, 0, `${/^\s*/.exec(lines[line]!)![0]}${comment[language]} trivy:ignore:AVD-AWS-0090`);
          text = lines.join('\n');
        } else {
          text = `${text.slice(0, at)} ${text.slice(at)}`;
        }
        analyzeBoth({ [file]: text }, file, memo, `${language} edit ${i}`);
        reused += memo.reused;
      }
      assert.ok(reused > 0, `${language}: the edits reused evaluations`);
    }
  });

  it('agrees with a fresh analysis after edits to every rule\'s first bad fixture of each language', function () {
    this.timeout(600000);
    const edits: { name: string; apply: (text: string) => string }[] = [
      { name: 'a line above everything', apply: (t) => (t.startsWith('{') ? t : `\n${t}`) },
      { name: 'a space at the end of the middle line', apply: (t) => insertAtMiddleLineEnd(t, ' ') },
      { name: 'a character deleted in the middle line', apply: (t) => deleteInMiddleLine(t) },
      { name: 'back to the original', apply: (t) => t },
    ];
    let files = 0;
    for (const folder of ruleFolders()) {
      for (const language of ['terraform', 'cloudformation', 'bicep']) {
        const dir = path.join(RULES_ROOT, folder, 'fixtures', language, 'bad');
        if (!fs.existsSync(dir)) {
          continue;
        }
        const name = fs.readdirSync(dir).filter((n) => /\.(tf|ya?ml|json|bicep)$/.test(n)).sort()[0];
        if (!name) {
          continue;
        }
        files++;
        const original = fs.readFileSync(path.join(dir, name), 'utf8');
        const file = path.join('/fixtures', path.basename(folder), language, name);
        const memo = new EvaluationMemo();
        analyzeBoth({ [file]: original }, file, memo);
        for (const edit of edits) {
          const text = edit.name === 'back to the original' ? original : edit.apply(original);
          analyzeBoth({ [file]: text }, file, memo, `${path.relative(process.cwd(), path.join(dir, name))}: ${edit.name}`);
        }
      }
    }
    assert.ok(files > 300, `${files} fixture files`);
  });
});

/** The offset of the end of the middle line. */
function middleLineEnd(text: string): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length >> 1; i++) {
    offset += lines[i]!.length + 1;
  }
  return offset + lines[lines.length >> 1]!.replace(/\r$/, '').length;
}

function insertAtMiddleLineEnd(text: string, insert: string): string {
  const at = middleLineEnd(text);
  return text.slice(0, at) + insert + text.slice(at);
}

function deleteInMiddleLine(text: string): string {
  const at = middleLineEnd(text);
  return at > 0 ? text.slice(0, at - 1) + text.slice(at) : text;
}
