/**
 * CloudFormation parse goldens: every `ok/` and `err/` template (YAML and JSON) is parsed and printed (tree with
 * spans, then diagnostics under their lines) and compared with the `.golden` beside it. `UPDATE_GOLDEN=1` rewrites
 * them; a missing golden is written locally and fails under `CI`. Selected fixtures are also parsed with CRLF line
 * endings, which must print the same golden (positions are lines and columns).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCloudFormation, type CfnNode, type CfnParseResult } from '../../../server/src/parse/cloudformation';
import { printCfnParse } from './printTree';

const root = __dirname;
const TEMPLATE = /\.(?:ya?ml|json)$/;

/** Fixtures also checked with CRLF line endings. */
const CRLF_CASES = new Set(['short-forms.yaml', 'styles.yaml', 'template.json', 'half-typed.yaml']);

/** Asserts the span invariants: inside the text, children inside their parents (aliases excepted), keys in pairs. */
function assertSpans(text: string, result: CfnParseResult): void {
  const check = (node: CfnNode, outer: { start: number; end: number }): void => {
    assert.ok(node.span.start >= 0 && node.span.start <= node.span.end && node.span.end <= text.length, 'span in text');
    if (!node.isAliased) {
      assert.ok(node.span.start >= outer.start && node.span.end <= outer.end, `span inside its parent: ${JSON.stringify(node.span)}`);
    }
    const inner = node.isAliased ? { start: 0, end: text.length } : node.span;
    if (node.kind === 'mapping') {
      for (const pair of node.pairs) {
        assert.ok(pair.keySpan.start >= pair.span.start && pair.keySpan.end <= pair.span.end, 'key inside its pair');
        check(pair.value, pair.value.isAliased ? { start: 0, end: text.length } : inner);
      }
    } else if (node.kind === 'sequence') {
      node.items.forEach((item) => check(item, inner));
    }
  };
  for (const root of result.documents) {
    check(root, { start: 0, end: text.length });
  }
  for (const d of result.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, 'diagnostic span in text');
  }
}

for (const group of ['ok', 'err']) {
  describe(`CloudFormation parse goldens: ${group}/`, () => {
    const folder = path.join(root, group);
    const fixtures = fs.readdirSync(folder).filter((name) => TEMPLATE.test(name)).sort();
    for (const name of fixtures) {
      it(name, () => {
        const file = path.join(folder, name);
        const text = fs.readFileSync(file, 'utf8');
        const result = parseCloudFormation(name, text);
        assertSpans(text, result);
        if (group === 'ok') {
          assert.deepEqual(result.diagnostics, [], 'ok/ fixtures parse without diagnostics');
        } else {
          assert.ok(result.diagnostics.length > 0, 'err/ fixtures report at least one diagnostic');
        }
        const actual = printCfnParse(text, result);
        const goldenFile = `${file}.golden`;
        if (CRLF_CASES.has(name)) {
          const crlf = text.replace(/\r?\n/g, '\r\n');
          const crlfResult = parseCloudFormation(name, crlf);
          assertSpans(crlf, crlfResult);
          assert.equal(printCfnParse(crlf, crlfResult).replace(/\r\n/g, '\n'), actual.replace(/\r\n/g, '\n'), 'CRLF prints the same');
        }
        if (process.env.UPDATE_GOLDEN) {
          fs.writeFileSync(goldenFile, actual);
          return;
        }
        if (!fs.existsSync(goldenFile)) {
          if (process.env.CI) {
            assert.fail(`missing golden ${path.relative(process.cwd(), goldenFile)}; run UPDATE_GOLDEN=1 locally`);
          }
          fs.writeFileSync(goldenFile, actual);
          return;
        }
        const expected = fs.readFileSync(goldenFile, 'utf8').replace(/\r\n/g, '\n');
        assert.equal(actual, expected, `golden differs; run UPDATE_GOLDEN=1 to accept: ${goldenFile}`);
      });
    }
  });
}
