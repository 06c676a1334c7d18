/**
 * Bicep fixes and suppressions at the engine's boundary: fix intents planned on a lowered Bicep file and rendered by
 * `bicepRenderer` are applied, and the result must re-parse without errors and hold the intended value (or lose the
 * removed one); suppression comments (`// onus:ignore`, Bicep's `#disable-next-line`) silence findings where
 * DESIGN.md says they do.
 */
import * as assert from 'node:assert/strict';
import { analyzeModel } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { planFix } from '../../server/src/engine/fixes';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import { bicepRenderer } from '../../server/src/engine/renderers/bicep';
import type { FixIntent } from '../../server/src/engine/rule';
import { lowerBicepFile } from '../../server/src/model/bicep/lower';
import type { Model, Value } from '../../server/src/model/types';
import { parseBicep } from '../../server/src/parse/bicep/parser';
import { MemoryFileSystem } from '../model/memoryFs';
import { show } from '../model/terraform/helpers';

function lower(text: string): Model {
  return lowerBicepFile('main.bicep', new MemoryFileSystem({ 'main.bicep': text }));
}

/** The value at a dot path of the first resource's body, or undefined. */
function valueAtPath(model: Model, path: string, address?: string): Value | undefined {
  const r = address ? model.resources.find((x) => x.address === address) : model.resources[0];
  let v: Value | undefined = r?.body;
  for (const key of path.split('.')) {
    v = v?.kind === 'object' ? v.entries.find((e) => e.key === key)?.value : undefined;
  }
  return v;
}

/** Plans `intent` on the resource at `address` (default: the first) and applies it; undefined when there is no fix. */
function fix(text: string, intent: FixIntent, address?: string): string | undefined {
  const model = lower(text);
  const resource = address ? model.resources.find((r) => r.address === address) : model.resources[0];
  assert.ok(resource, 'the fixture has the resource');
  const planned = planFix(intent, {
    subject: { value: resource.body, chain: [] },
    blame: undefined,
    resource,
    renderer: bicepRenderer,
    textOf: (file) => model.files.find((f) => f.path === file)?.text,
  });
  return planned ? applyEdits(text, planned.edits) : undefined;
}

const STORAGE = "'Microsoft.Storage/storageAccounts@2023-01-01'";

interface FixCase {
  name: string;
  text: string;
  intent: FixIntent;
  expected: string | undefined;
  address?: string;
}

const cases: FixCase[] = [
  {
    name: 'several steps: settings of one missing object written once, a conflicting property removed',
    text: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: {\n    legacy: true\n    accessTier: 'Hot'\n  }\n}\n`,
    intent: {
      set: { path: 'properties.encryption.services.blob.enabled', value: true },
      also: [{ set: { path: 'properties.encryption.keySource', value: 'Microsoft.Storage' } }, { remove: { path: 'properties.legacy' } }],
    },
    expected: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: {\n    accessTier: 'Hot'\n    encryption: {\n      services: {\n        blob: {\n          enabled: true\n        }\n      }\n      keySource: 'Microsoft.Storage'\n    }\n  }\n}\n`,
  },
  {
    name: 'several steps: a one-line object gets both settings inline',
    text: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: { accessTier: 'Hot' }\n}\n`,
    intent: {
      set: { path: 'properties.encryption.keySource', value: 'Microsoft.Storage' },
      also: [{ set: { path: 'properties.encryption.requireInfrastructureEncryption', value: true } }],
    },
    expected: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: { accessTier: 'Hot', encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: true } }\n}\n`,
  },
  {
    name: 'replaces an explicit string with a single-quoted one',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
  },
  {
    name: 'replaces a value resolved from a parameter at its use',
    text: `param tls string = 'TLS1_0'\nresource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: tls\n  }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `param tls string = 'TLS1_0'\nresource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
  },
  {
    name: 'replaces with a boolean, a number and an array',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    a: 'x'\n  }\n}\n`,
    intent: { set: { path: 'properties.a', value: ['Deny', "it's ${x}"] } },
    expected: `resource stg ${STORAGE} = {\n  properties: {\n    a: ['Deny', 'it\\'s \\\${x}']\n  }\n}\n`,
  },
  {
    name: 'inserts into a multi-line object with its indentation',
    text: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: {\n    allowBlobPublicAccess: false\n  }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: {\n    allowBlobPublicAccess: false\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
  },
  {
    name: 'inserts missing nested objects into the resource body',
    text: `resource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    intent: { set: { path: 'properties.networkAcls.defaultAction', value: 'Deny' } },
    expected: `resource stg ${STORAGE} = {\n  name: 'a'\n  properties: {\n    networkAcls: {\n      defaultAction: 'Deny'\n    }\n  }\n}\n`,
  },
  {
    name: 'opens an empty one-line object onto lines',
    text: `resource stg ${STORAGE} = {\n  properties: {}\n}\n`,
    intent: { set: { path: 'properties.supportsHttpsTrafficOnly', value: true } },
    expected: `resource stg ${STORAGE} = {\n  properties: {\n    supportsHttpsTrafficOnly: true\n  }\n}\n`,
  },
  {
    name: 'keeps a one-line object on one line',
    text: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot', allowBlobPublicAccess: false }\n}\n`,
    intent: { set: { path: 'properties.networkAcls.defaultAction', value: 'Deny' } },
    expected: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot', allowBlobPublicAccess: false, networkAcls: { defaultAction: 'Deny' } }\n}\n`,
  },
  {
    name: 'keeps a trailing comma of a one-line object',
    text: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot', }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot', minimumTlsVersion: 'TLS1_2' }\n}\n`,
  },
  {
    name: 'keeps CRLF line endings',
    text: `resource stg ${STORAGE} = {\r\n  name: 'a'\r\n}\r\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\r\n  name: 'a'\r\n  properties: {\r\n    minimumTlsVersion: 'TLS1_2'\r\n  }\r\n}\r\n`,
  },
  {
    name: 'follows tab indentation',
    text: `resource stg ${STORAGE} = {\n\tname: 'a'\n\tproperties: {\n\t}\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n\tname: 'a'\n\tproperties: {\n\t\tminimumTlsVersion: 'TLS1_2'\n\t}\n}\n`,
  },
  {
    name: 'follows four-space indentation in an empty multi-line object',
    text: `resource stg ${STORAGE} = {\n    properties: {\n    }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n    properties: {\n        minimumTlsVersion: 'TLS1_2'\n    }\n}\n`,
  },
  {
    name: 'inserts before a closing brace that shares a line with a property',
    text: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot'\n    allowBlobPublicAccess: false }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stg ${STORAGE} = {\n  properties: { accessTier: 'Hot'\n    allowBlobPublicAccess: false \n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
  },
  {
    name: 'inserts into the body of a resource loop',
    text: `resource stgs ${STORAGE} = [for n in names: {\n  name: n\n}]\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: `resource stgs ${STORAGE} = [for n in names: {\n  name: n\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}]\n`,
  },
  {
    name: 'inserts into the body of a conditional resource',
    text: `resource stg ${STORAGE} = if (deploy) {\n  name: 'a'\n}\n`,
    intent: { set: { path: 'kind', value: 'StorageV2' } },
    expected: `resource stg ${STORAGE} = if (deploy) {\n  name: 'a'\n  kind: 'StorageV2'\n}\n`,
  },
  {
    name: 'quotes keys that are not identifiers',
    text: `resource stg ${STORAGE} = {\n  tags: {\n    a: 'b'\n  }\n}\n`,
    intent: { set: { path: 'tags.cost-center', value: 'x' } },
    expected: `resource stg ${STORAGE} = {\n  tags: {\n    a: 'b'\n    'cost-center': 'x'\n  }\n}\n`,
  },
  {
    name: 'removes a property with its trailing comment and line',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    allowSharedKeyAccess: true // legacy\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
    intent: { remove: { path: 'properties.allowSharedKeyAccess' } },
    expected: `resource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n`,
  },
  {
    name: 'removes the first property of a one-line object with its comma',
    text: `resource stg ${STORAGE} = {\n  properties: { a: 1, b: 2 }\n}\n`,
    intent: { remove: { path: 'properties.a' } },
    expected: `resource stg ${STORAGE} = {\n  properties: { b: 2 }\n}\n`,
  },
  {
    name: 'removes the last property of a one-line object with its comma',
    text: `resource stg ${STORAGE} = {\n  properties: { a: 1, b: 2 }\n}\n`,
    intent: { remove: { path: 'properties.b' } },
    expected: `resource stg ${STORAGE} = {\n  properties: { a: 1 }\n}\n`,
  },
  {
    name: 'gives no fix for an object without its closing brace',
    text: `resource stg ${STORAGE} = {\n  name: 'a'\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: undefined,
  },
  {
    name: 'gives no fix inside an object that is not written here (spread from a variable)',
    text: `var props = { minimumTlsVersion: 'TLS1_0' }\nresource stg ${STORAGE} = {\n  properties: {\n    ...props\n  }\n}\n`,
    intent: { set: { path: 'properties.minimumTlsVersion', value: 'TLS1_2' } },
    expected: undefined,
  },
  {
    name: 'gives no fix inside an object resolved from a variable',
    text: `var props = { minimumTlsVersion: 'TLS1_0' }\nresource stg ${STORAGE} = {\n  properties: props\n}\n`,
    intent: { set: { path: 'properties.supportsHttpsTrafficOnly', value: true } },
    expected: undefined,
  },
];

describe('Bicep fixes: planned, rendered, applied and re-parsed', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = fix(c.text, c.intent, c.address);
      assert.equal(result, c.expected);
      if (result === undefined) {
        return;
      }
      const { diagnostics } = parseBicep(result);
      assert.deepEqual(diagnostics, [], 'the fixed file re-parses without errors');
      const model = lower(result);
      if (c.intent.set) {
        assert.deepEqual(show(valueAtPath(model, c.intent.set.path, c.address)!), c.intent.set.value);
        assert.equal(fix(result, c.intent, c.address), undefined, 'applying the fix again changes nothing');
      } else if (c.intent.remove) {
        assert.equal(valueAtPath(model, c.intent.remove.path, c.address), undefined);
      }
    });
  }
});

/** A rule for `Microsoft.Storage/storageAccounts` that wants `properties.minimumTlsVersion` to be TLS1_2. */
const ruleSet = (() => {
  const yaml = `id: azure-testbicep-min-tls
title: Minimum TLS is 1.2
severity: high
owner: customer
layer: network
service: aws/s3
concept: test
why: A test rule for Bicep suppressions.
remediation: Require TLS 1.2.
sources: [https://example.com/docs]
references: {}
message: TLS is "{value}"
match:
  bicep:
    - resources: [Microsoft.Storage/storageAccounts]
      when: { path: properties.minimumTlsVersion, notEquals: TLS1_2, missing: true }
`;
  const result = buildRuleSet([{ folder: 'azure/storage/azure-testbicep-min-tls', yaml, check: undefined }], []);
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

/** Finding and suppression counts of one Bicep text. */
function analyze(text: string): { findings: number; suppressed: number } {
  const analysis = analyzeModel(lower(text), { rules: ruleSet, today: '2026-06-01' });
  return { findings: analysis.findings.length, suppressed: analysis.suppressed.length };
}

const suppressionCases: { name: string; text: string; expected: { findings: number; suppressed: number } }[] = [
  {
    name: 'no suppression: the finding is reported',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    expected: { findings: 1, suppressed: 0 },
  },
  {
    name: '// onus:ignore above the resource',
    text: `// onus:ignore azure-testbicep-min-tls reviewed\nresource stg ${STORAGE} = {\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '// onus:ignore above the decorators of the resource',
    text: `// onus:ignore azure-testbicep-min-tls reviewed\n@description('x')\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '// onus:ignore between the decorators and the resource',
    text: `@description('x')\n// onus:ignore azure-testbicep-min-tls reviewed\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '// onus:ignore above the property',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    // onus:ignore azure-testbicep-min-tls legacy clients\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '// onus:ignore naming another rule',
    text: `// onus:ignore some-other-rule reviewed\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 1, suppressed: 0 },
  },
  {
    name: '// onus:ignore whose until= date has passed',
    text: `// onus:ignore azure-testbicep-min-tls until=2026-01-01 migration\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 1, suppressed: 0 },
  },
  {
    name: '#disable-next-line above the resource (a missing setting)',
    text: `#disable-next-line azure-testbicep-min-tls\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '#disable-next-line above the property (an explicit value), among other codes',
    text: `resource stg ${STORAGE} = {\n  properties: {\n    #disable-next-line BCP037 azure-testbicep-min-tls\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
    expected: { findings: 0, suppressed: 1 },
  },
  {
    name: '#disable-next-line naming only other codes',
    text: `#disable-next-line BCP081\nresource stg ${STORAGE} = {\n  name: 'a'\n}\n`,
    expected: { findings: 1, suppressed: 0 },
  },
];

describe('Bicep suppressions', () => {
  for (const c of suppressionCases) {
    it(c.name, () => {
      assert.deepEqual(parseBicep(c.text).diagnostics, []);
      assert.deepEqual(analyze(c.text), c.expected);
    });
  }
});

/** Rules whose fixes remove list items: the rule `each` selected, and the listed items of a list. */
const listRules = (() => {
  const header = (id: string) => `id: ${id}
title: A test rule for Bicep list fixes
severity: high
owner: customer
layer: network
service: aws/s3
concept: test
why: A test rule for Bicep list fixes.
remediation: Remove it.
sources: [https://example.com/docs]
references: {}
message: Not secure
`;
  const openRule = `${header('azure-testbicep-open-rule')}match:
  bicep:
    - resources: [Microsoft.Network/networkSecurityGroups]
      each: properties.securityRules
      when: { path: properties.sourceAddressPrefix, equals: '*' }
      fix: { removeEach: true }
`;
  const wildcard = `${header('azure-testbicep-wildcard')}match:
  bicep:
    - resources: [Microsoft.Authorization/roleDefinitions]
      when: { path: properties.actions.*, equals: '*' }
      fix: { removeItems: { path: properties.actions, in: ['*'] } }
`;
  const result = buildRuleSet(
    [
      { folder: 'azure/network/azure-testbicep-open-rule', yaml: openRule, check: undefined },
      { folder: 'azure/rbac/azure-testbicep-wildcard', yaml: wildcard, check: undefined },
    ],
    [],
  );
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

describe('Bicep fixes that remove list items', () => {
  const nsg = (rules: string) =>
    `resource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {\n  name: 'web'\n  location: 'westeurope'\n  properties: {\n    securityRules: ${rules}\n  }\n}\n`;
  const rule = (name: string, source: string) =>
    `{\n        name: '${name}'\n        properties: {\n          sourceAddressPrefix: '${source}'\n        }\n      }`;
  const role = (actions: string) =>
    `resource r 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {\n  name: 'ops'\n  properties: {\n    actions: ${actions}\n  }\n}\n`;
  const cases: { name: string; text: string; expected: string }[] = [
    {
      name: 'removeEach: a multi-line item goes with its lines, the others stay',
      text: nsg(`[\n      ${rule('office', '10.0.0.0/8')}\n      ${rule('ssh', '*')}\n      ${rule('vnet', 'VirtualNetwork')}\n    ]`),
      expected: nsg(`[\n      ${rule('office', '10.0.0.0/8')}\n      ${rule('vnet', 'VirtualNetwork')}\n    ]`),
    },
    {
      name: 'removeEach: the only item leaves an empty array',
      text: nsg(`[\n      ${rule('ssh', '*')}\n    ]`),
      expected: nsg('[]'),
    },
    {
      name: 'removeItems: one line, with its comma',
      text: role("['*', 'Microsoft.Compute/*/read']"),
      expected: role("['Microsoft.Compute/*/read']"),
    },
    {
      name: 'removeItems: one item per line',
      text: role("[\n      'Microsoft.Compute/*/read'\n      '*'\n    ]"),
      expected: role("[\n      'Microsoft.Compute/*/read'\n    ]"),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const analysis = analyzeModel(lower(c.text), { rules: listRules, today: '2026-06-01' });
      assert.equal(analysis.findings.length, 1);
      const fixed = applyEdits(c.text, analysis.findings[0]!.fix?.edits ?? []);
      assert.equal(fixed, c.expected);
      assert.deepEqual(parseBicep(fixed).diagnostics, [], 'the fixed file re-parses without errors');
      assert.deepEqual(analyzeModel(lower(fixed), { rules: listRules, today: '2026-06-01' }).findings, []);
    });
  }
});

/** Rules whose fixes add an entry to an array: a keyed object, and a scalar. */
const addRules = (() => {
  const header = (id: string) => `id: ${id}
title: A test rule for Bicep list fixes
severity: high
owner: customer
layer: network
service: aws/s3
concept: test
why: A test rule for Bicep list fixes.
remediation: Add the entry to the list.
sources: [https://example.com/docs]
references: {}
message: Not secure
`;
  const flags = `${header('azure-testbicep-flag')}match:
  bicep:
    - resources: [Microsoft.Web/sites]
      when:
        any:
          - not: { path: properties.siteConfig.appSettings.name, equals: HTTPS_ONLY }
          - { path: properties.siteConfig.appSettings.value, equals: 'false' }
      fix: { addItem: { path: properties.siteConfig.appSettings, key: name, value: { name: HTTPS_ONLY, value: 'true' } } }
`;
  const bypass = `${header('azure-testbicep-bypass')}match:
  bicep:
    - resources: [Microsoft.Web/sites]
      when: { not: { path: properties.hostNames, contains: contoso.com } }
      fix: { addItem: { path: properties.hostNames, value: contoso.com } }
`;
  const result = buildRuleSet(
    [
      { folder: 'azure/appservice/azure-testbicep-flag', yaml: flags, check: undefined },
      { folder: 'azure/appservice/azure-testbicep-bypass', yaml: bypass, check: undefined },
    ],
    [],
  );
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

describe('Bicep fixes that add an entry to an array', () => {
  const site = (config: string) =>
    `resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'app'\n  location: 'westeurope'\n  properties: {\n    hostNames: ['contoso.com']\n    siteConfig: {\n${config}    }\n  }\n}\n`;
  const hosts = (names: string) =>
    `resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'app'\n  properties: {\n${names}    siteConfig: {\n      appSettings: [{ name: 'HTTPS_ONLY', value: 'true' }]\n    }\n  }\n}\n`;
  const setting = (name: string, value: string) => `        {\n          name: '${name}'\n          value: '${value}'\n        }\n`;
  const cases: { name: string; text: string; expected: string }[] = [
    {
      name: 'an object over lines after the last item of a multi-line array',
      text: site(`      appSettings: [\n${setting('MODE', 'x')}      ]\n`),
      expected: site(`      appSettings: [\n${setting('MODE', 'x')}${setting('HTTPS_ONLY', 'true')}      ]\n`),
    },
    {
      name: 'an item with the same name gets its value set',
      text: site(`      appSettings: [\n${setting('HTTPS_ONLY', 'false')}      ]\n`),
      expected: site(`      appSettings: [\n${setting('HTTPS_ONLY', 'true')}      ]\n`),
    },
    {
      name: 'a one-line object in a one-line array',
      text: site(`      appSettings: [{ name: 'MODE', value: 'x' }]\n`),
      expected: site(`      appSettings: [{ name: 'MODE', value: 'x' }, { name: 'HTTPS_ONLY', value: 'true' }]\n`),
    },
    {
      name: 'no array yet: a new one',
      text: site(`      alwaysOn: true\n`),
      expected: site(`      alwaysOn: true\n      appSettings: [{ name: 'HTTPS_ONLY', value: 'true' }]\n`),
    },
    {
      name: 'a scalar on a line of its own, no commas',
      text: hosts(`    hostNames: [\n      'fabrikam.com'\n    ]\n`),
      expected: hosts(`    hostNames: [\n      'fabrikam.com'\n      'contoso.com'\n    ]\n`),
    },
    {
      name: 'a scalar into an empty array',
      text: hosts(`    hostNames: []\n`),
      expected: hosts(`    hostNames: ['contoso.com']\n`),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const analysis = analyzeModel(lower(c.text), { rules: addRules, today: '2026-06-01' });
      assert.equal(analysis.findings.length, 1);
      const fixed = applyEdits(c.text, analysis.findings[0]!.fix?.edits ?? []);
      assert.equal(fixed, c.expected);
      assert.deepEqual(parseBicep(fixed).diagnostics, [], 'the fixed file re-parses without errors');
      assert.deepEqual(analyzeModel(lower(fixed), { rules: addRules, today: '2026-06-01' }).findings, []);
    });
  }
});
