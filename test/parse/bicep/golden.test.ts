/**
 * Bicep parse goldens: every `ok/*.bicep` and `err/*.bicep` fixture is parsed and printed (tree, then diagnostics
 * under their lines) and compared with the `.golden` beside it. `UPDATE_GOLDEN=1` rewrites them; a missing golden
 * is written locally and fails under `CI`. Every fixture also checks the lossless invariant.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBicep } from '../../../server/src/parse/bicep/parser';
import { printParse } from './printTree';

const root = __dirname;

for (const group of ['ok', 'err']) {
  describe(`Bicep parse goldens: ${group}/`, () => {
    const folder = path.join(root, group);
    const fixtures = fs.readdirSync(folder).filter((name) => name.endsWith('.bicep')).sort();
    for (const name of fixtures) {
      it(name, () => {
        const file = path.join(folder, name);
        const text = fs.readFileSync(file, 'utf8');
        const result = parseBicep(text);
        assert.equal(
          result.tree.tokens.map((token) => text.slice(token.start, token.end)).join(''),
          text,
          'tokens must concatenate to the input',
        );
        const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
        if (group === 'ok') {
          assert.deepEqual(errors, [], 'ok/ fixtures parse without errors');
        } else {
          assert.ok(errors.length > 0, 'err/ fixtures report at least one error');
        }
        const actual = printParse(text, result);
        const goldenFile = file.replace(/\.bicep$/, '.golden');
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
