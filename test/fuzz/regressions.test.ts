/**
 * Replays every minimal reproducer the fuzzer saved under `test/fuzz/cases/` (named `<front end>-<hash>.<ext>`)
 * through the whole pipeline, plus the inputs that once made the work grow with the square of their size.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { CASES_DIR, checkInput, frontEndOfCase, runPipeline } from './fuzzer';

describe('fuzz regressions', function () {
  this.timeout(120000);
  let rules: RuleSet;

  before(() => {
    rules = loadBundledRuleSet();
  });

  const cases = fs.existsSync(CASES_DIR) ? fs.readdirSync(CASES_DIR).filter((f) => frontEndOfCase(f) !== undefined).sort() : [];
  for (const name of cases) {
    it(`replays ${name}`, () => {
      const text = fs.readFileSync(path.join(CASES_DIR, name), 'utf8');
      assert.equal(checkInput(frontEndOfCase(name)!, text, rules), undefined);
    });
  }

  it('relates n buckets to n buckets in work linear in n (a related condition visits only resources that name it)', () => {
    // A template of buckets only: every bucket is a candidate of rules that relate buckets to other buckets (a
    // logging target), which used to visit all n buckets for each of the n buckets.
    const small = bucketTemplate(200);
    const large = bucketTemplate(2000);
    const perBucket = (n: number, text: string) => runPipeline('cfn-yaml', text, rules).work.rules / n;
    const [a, b] = [perBucket(200, small), perBucket(2000, large)];
    assert.ok(b < a * 1.5, `rule work per bucket grew from ${a.toFixed(1)} to ${b.toFixed(1)}`);
  });
});

/** A CloudFormation template of `n` buckets, half of them logging into the first. */
function bucketTemplate(n: number): string {
  const lines = ['Resources:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  B${i}:`, '    Type: AWS::S3::Bucket', '    Properties:', `      BucketName: b-${i}`);
    if (i % 2 === 1) {
      lines.push('      LoggingConfiguration:', '        DestinationBucketName: !Ref B0');
    }
  }
  return `${lines.join('\n')}\n`;
}
