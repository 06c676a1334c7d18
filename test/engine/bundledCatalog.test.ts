/**
 * The catalog as the build embeds it: each rule and services file's data parsed and schema-checked at build time
 * (scripts/bundleRules.mjs), so start-up neither parses YAML nor compiles a schema. The embedded data must be exactly
 * what the engine would read from the YAML text, and everything in the catalog must have passed its schema.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledRules, bundledServices } from '../../server/src/engine/generated/bundledRules';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import { YamlSource } from '../../server/src/engine/yamlSource';

const ROOT = path.resolve(__dirname, '..', '..');

describe('bundled catalog (parsed and validated at build time)', () => {
  const textOf = (file: string) => fs.readFileSync(path.join(ROOT, 'rules', file), 'utf8');

  it('embeds, for every rule and services file, the data its YAML reads as, marked validated', () => {
    for (const source of [...bundledRules.map((r) => ({ file: `${r.folder}/rule.yaml`, ...r })), ...bundledServices]) {
      assert.equal(source.isValidated, true, `${source.file} was not validated at build time`);
      assert.deepEqual(source.data, new YamlSource(source.file, textOf(source.file)).data(), source.file);
    }
  });

  it('loads to the same rule set as parsing and validating the texts does', () => {
    const prebuilt = buildRuleSet(bundledRules, bundledServices);
    const fromText = buildRuleSet(
      bundledRules.map((r) => ({ folder: r.folder, yaml: textOf(`${r.folder}/rule.yaml`), check: r.check })),
      bundledServices.map((s) => ({ file: s.file, yaml: textOf(s.file) })),
    );
    assert.deepEqual(prebuilt.errors, []);
    assert.deepEqual(fromText.errors, []);
    assert.deepEqual(prebuilt.ruleSet.rules, fromText.ruleSet.rules);
    assert.deepEqual(prebuilt.ruleSet.services, fromText.ruleSet.services);
  });

  it('still reports a problem in prebuilt data with its line and field', () => {
    const [first] = bundledRules;
    assert.ok(first);
    const data = { ...(first.data as Record<string, unknown>), id: 'not-the-folder' };
    const { errors } = buildRuleSet([{ ...first, data }], []);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 1);
    assert.match(errors[0]!.message, /^id: "not-the-folder" does not match its folder name/);
  });
});
