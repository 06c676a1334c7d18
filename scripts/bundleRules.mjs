// Generates server/src/engine/generated/bundledRules.ts: every rule.yaml (as text), every rule.ts (as an import) and
// the services catalog, so the bundles carry the catalog and the CLI needs no files beside it.
//
// Parsing the catalog's YAML and compiling its JSON Schemas took most of the CLI's and the server's start-up, so
// both happen here, once per build: each file's data is embedded already parsed, and marked validated when it passes
// its schema (rules/schema/rule.schema.json, services.schema.json). The engine then skips YAML and the schema for
// it, and its text is left out; a file that does not pass is embedded with its text and unmarked, and the engine
// reports it with its line and field as before.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesRoot = join(root, 'rules');
const outFile = join(root, 'server/src/engine/generated/bundledRules.ts');

/** Lists rule folders (those holding a rule.yaml), sorted for a stable output. */
function ruleFolders(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (!statSync(full).isDirectory() || name === 'fixtures' || name === 'schema' || name === 'services') {
      continue;
    }
    if (existsSync(join(full, 'rule.yaml'))) {
      found.push(full);
    } else {
      found.push(...ruleFolders(full));
    }
  }
  return found;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validateRule = ajv.compile(JSON.parse(readFileSync(join(rulesRoot, 'schema', 'rule.schema.json'), 'utf8')));
ajv.addSchema(JSON.parse(readFileSync(join(rulesRoot, 'schema', 'services.schema.json'), 'utf8')), 'services.schema.json');
const validateService = ajv.compile({ $ref: 'services.schema.json#/definitions/service' });
const warnings = [];

/**
 * A YAML text's data as the engine reads it (YamlSource: a key written twice is an error, at most 100 aliases), or
 * undefined when it has a syntax error (the engine reports that).
 */
function parseYaml(file, text) {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    warnings.push(`${file}: invalid YAML (reported when the catalog loads)`);
    return undefined;
  }
  return document.toJS({ maxAliasCount: 100 });
}

/** The generated fields of a file's parsed data: `data` and, when it passes its schema, `isValidated`. */
function dataFields(file, data, isValid) {
  if (data === undefined) {
    return '';
  }
  if (!isValid) {
    warnings.push(`${file}: does not pass its schema (reported with its line and field when the catalog loads)`);
  }
  // JSON.parse of a string is faster for V8 than the same data as an object literal.
  return `, data: JSON.parse(${JSON.stringify(JSON.stringify(data))})${isValid ? ', isValidated: true' : ''}`;
}

const folders = ruleFolders(rulesRoot);
const imports = [];
const entries = [];
folders.forEach((folder, i) => {
  const rel = relative(rulesRoot, folder).split('\\').join('/');
  const yaml = readFileSync(join(folder, 'rule.yaml'), 'utf8');
  let check = 'undefined';
  if (existsSync(join(folder, 'rule.ts'))) {
    const importPath = relative(dirname(outFile), join(folder, 'rule')).split('\\').join('/');
    imports.push(`import * as check${i} from '${importPath}';`);
    check = `check${i}.check`;
  }
  const file = `rules/${rel}/rule.yaml`;
  const data = parseYaml(file, yaml);
  const fields = dataFields(file, data, data !== undefined && validateRule(data));
  // A validated rule's text is not needed at run time (its problems, if any, are located at its first line).
  const kept = fields.includes('isValidated') ? '' : yaml;
  entries.push(`  { folder: ${JSON.stringify(rel)}, yaml: ${JSON.stringify(kept)}${fields}, check: ${check} },`);
});
const services = [];
const servicesDir = join(rulesRoot, 'services');
if (existsSync(servicesDir)) {
  for (const name of readdirSync(servicesDir).sort()) {
    if (name.endsWith('.yaml')) {
      const yaml = readFileSync(join(servicesDir, name), 'utf8');
      const data = parseYaml(`rules/services/${name}`, yaml);
      const list = data?.services;
      const isValid = Array.isArray(list) && list.every((entry) => validateService(entry));
      const fields = dataFields(`rules/services/${name}`, data, isValid);
      services.push(`  { file: ${JSON.stringify('services/' + name)}, yaml: ${JSON.stringify(isValid ? '' : yaml)}${fields} },`);
    }
  }
}
// The examples `onus explain` prints: per rule and language, the first bad and good fixture by name and the fixed/
// file of that bad one. The same choice as readRuleExamples in server/src/engine/ruleDoc.ts (a test compares them);
// a separate module, so that only the CLI bundle carries them.
/** The first file of a fixture folder by name, goldens left out. */
function firstFixture(dir) {
  if (!existsSync(dir)) {
    return undefined;
  }
  const name = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.isDirectory() && !e.name.endsWith('.findings'))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0];
  return name === undefined ? undefined : { name, text: readFileSync(join(dir, name), 'utf8').trimEnd() };
}
const examples = {};
for (const folder of folders) {
  const rel = relative(rulesRoot, folder).split('\\').join('/');
  const fixtures = join(folder, 'fixtures');
  if (!existsSync(fixtures)) {
    continue;
  }
  for (const language of readdirSync(fixtures).sort()) {
    const bad = firstFixture(join(fixtures, language, 'bad'));
    const good = firstFixture(join(fixtures, language, 'good'));
    const fixedPath = bad ? join(fixtures, language, 'fixed', bad.name) : undefined;
    const fixed = fixedPath && existsSync(fixedPath) ? { name: bad.name, text: readFileSync(fixedPath, 'utf8').trimEnd() } : undefined;
    if (bad || good) {
      examples[rel] ??= {};
      examples[rel][language] = { ...(bad ? { bad } : {}), ...(good ? { good } : {}), ...(fixed ? { fixed } : {}) };
    }
  }
}
const examplesFile = join(root, 'server/src/engine/generated/bundledExamples.ts');
const examplesText = `// Generated by scripts/bundleRules.mjs from rules/. Do not edit.
import type { RuleExamples } from '../ruleDoc';

/** Each rule folder's examples (first bad and good fixture per language, and the bad one fixed), for \`onus explain\`. */
export const bundledExamples: Record<string, RuleExamples> = ${JSON.stringify(examples, null, 1)};
`;

// The API version the secure Bicep templates use per resource type: the one the rules' Bicep fixtures use most (the
// latest on a tie), so a template names a version the rules were written against.
const versionCounts = {};
function scanBicep(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      scanBicep(full);
    } else if (entry.name.endsWith('.bicep')) {
      for (const m of readFileSync(full, 'utf8').matchAll(/'(Microsoft\.[A-Za-z]+\/[A-Za-z0-9/]+)@([0-9a-z-]+)'/g)) {
        const counts = (versionCounts[m[1]] ??= {});
        counts[m[2]] = (counts[m[2]] ?? 0) + 1;
      }
    }
  }
}
scanBicep(rulesRoot);
const apiVersions = Object.fromEntries(
  Object.keys(versionCounts)
    .sort()
    .map((type) => {
      const counts = versionCounts[type];
      const best = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || (a < b ? 1 : a > b ? -1 : 0))[0];
      return [type, best];
    }),
);

const text = `// Generated by scripts/bundleRules.mjs from rules/. Do not edit.
import type { CheckFunction } from '../check';
${imports.join('\n')}

/**
 * Every rule folder's rule.yaml data parsed at build time (\`isValidated\` when it passed the rule schema then; its
 * text is kept only when it did not), and its rule.ts check.
 */
export const bundledRules: { folder: string; yaml: string; data?: unknown; isValidated?: boolean; check: CheckFunction | undefined }[] = [
${entries.join('\n')}
];

/** The services catalog files' data parsed (and validated) at build time; the text only when it did not pass. */
export const bundledServices: { file: string; yaml: string; data?: unknown; isValidated?: boolean }[] = [
${services.join('\n')}
];

/** The API version of each Bicep resource type that the rules' fixtures use most (for the secure templates). */
export const bundledBicepApiVersions: Record<string, string> = ${JSON.stringify(apiVersions, null, 1)};
`;
mkdirSync(dirname(outFile), { recursive: true });
if (!existsSync(outFile) || readFileSync(outFile, 'utf8') !== text) {
  writeFileSync(outFile, text);
}
if (!existsSync(examplesFile) || readFileSync(examplesFile, 'utf8') !== examplesText) {
  writeFileSync(examplesFile, examplesText);
}
for (const warning of warnings) {
  console.warn(`warning: ${warning}`);
}
console.log(`bundled ${folders.length} rules, ${services.length} services files`);
