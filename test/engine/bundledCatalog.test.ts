/**
 * The catalog as the build embeds it: each rule and services file's data parsed and schema-checked at build time
 * (scripts/bundleRules.mjs), so start-up neither parses YAML nor compiles a schema. The embedded data must be exactly
 * what the engine would read from the YAML text, and everything in the catalog must have passed its schema.
 */
import * as assert from 'node:assert/strict';
import { bundledRules, bundledServices } from '../../server/src/engine/generated/bundledRules';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import { YamlSource } from '../../server/src/engine/yamlSource';

describe('bundled catalog (parsed and validated at build time)', () => {
  it('embeds, for every rule and services file, the data its YAML reads as, marked validated', () => {
    for (const source of [...bundledRules.map((r) => ({ file: r.folder, ...r })), ...bundledServices]) {
      assert.equal(source.isValidated, true, `${source.file} was not validated at build time`);
      assert.deepEqual(source.data, new YamlSource(source.file, source.yaml).data(), source.file);
    }
  });

  it('loads to the same rule set as parsing and validating the texts does', () => {
    const strip = <T extends { data?: unknown; isValidated?: boolean }>(s: T) => ({ ...s, data: undefined, isValidated: undefined });
    const prebuilt = buildRuleSet(bundledRules, bundledServices);
    const fromText = buildRuleSet(bundledRules.map(strip), bundledServices.map(strip));
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
