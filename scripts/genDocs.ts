/**
 * Generates docs/rules/<id>.md from each rule's rule.yaml, the services catalog and the rule's fixtures (the page
 * `onus explain` prints), a page per meta rule, and docs/rules/README.md as the index.
 * CI fails when the committed pages differ from what this writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildRuleSet } from '../server/src/engine/loadRules';
import { META_RULES } from '../server/src/engine/metaRules';
import { readRuleExamples, renderMetaRulePage, renderRuleIndex, renderRulePage } from '../server/src/engine/ruleDoc';
import { diskFileSystem } from '../server/src/model/diskFileSystem';
import { readRuleSource, readServiceFiles, ruleFolders, RULES_ROOT } from '../test/support/ruleSources';

const outDir = path.resolve(__dirname, '../docs/rules');

const { ruleSet, errors } = buildRuleSet(ruleFolders().map(readRuleSource), readServiceFiles());
if (errors.length > 0) {
  for (const e of errors) {
    console.error(`${e.file}:${e.line}:${e.column}: ${e.message}`);
  }
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
const written = new Set<string>();
const write = (name: string, text: string) => {
  written.add(name);
  fs.writeFileSync(path.join(outDir, name), text);
};
for (const rule of ruleSet.rules) {
  const examples = readRuleExamples(path.join(RULES_ROOT, rule.folder), Object.keys(rule.match), diskFileSystem);
  write(`${rule.id}.md`, renderRulePage(rule, ruleSet, examples));
}
for (const meta of META_RULES) {
  write(`${meta.id}.md`, renderMetaRulePage(meta));
}
write('README.md', renderRuleIndex(ruleSet.rules, META_RULES));
for (const name of fs.readdirSync(outDir)) {
  if (!written.has(name)) {
    fs.rmSync(path.join(outDir, name));
  }
}
console.log(`wrote ${ruleSet.rules.length} rule pages and ${META_RULES.length} meta rule pages to docs/rules`);
