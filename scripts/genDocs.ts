/**
 * Generates docs/rules/<id>.md from each rule's rule.yaml and fixtures, and docs/rules/README.md as the index.
 * CI fails when the committed pages differ from what this writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildRuleSet } from '../server/src/engine/loadRules';
import { Rule } from '../server/src/engine/rule';
import { readRuleSource, readServiceFiles, ruleFolders, RULES_ROOT } from '../test/support/ruleSources';

const outDir = path.resolve(__dirname, '../docs/rules');
const LANGS: Record<string, string> = { terraform: 'hcl', cloudformation: 'yaml', bicep: 'bicep' };

/** The first fixture of a kind, for the Good/Bad examples. */
function example(folder: string, language: string, kind: string): string | undefined {
  const dir = path.join(RULES_ROOT, folder, 'fixtures', language, kind);
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  // Prefer the YAML twin of a CloudFormation case over its `.template.json` copy (the example shows in a yaml block).
  const names = fs
    .readdirSync(dir)
    .filter((n) => !n.endsWith('.findings'))
    .sort();
  const file = names.find((n) => !n.endsWith('.json')) ?? names[0];
  return file ? fs.readFileSync(path.join(dir, file), 'utf8').trimEnd() : undefined;
}

const { ruleSet, errors } = buildRuleSet(ruleFolders().map(readRuleSource), readServiceFiles());
if (errors.length > 0) {
  for (const e of errors) {
    console.error(`${e.file}: ${e.message}`);
  }
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
const written = new Set<string>();
for (const rule of ruleSet.rules) {
  const lines: string[] = [];
  lines.push(`# ${rule.id}`, '', `**${rule.title}**`, '');
  lines.push(`| severity | owner | layer | service | concept | fix |`, `|---|---|---|---|---|---|`);
  lines.push(`| ${rule.severity} | ${rule.owner} | ${rule.layer} | \`${rule.service}\` | ${rule.concept} | ${Rule.isFixable(rule) ? 'quick fix' : 'manual'} |`, '');
  lines.push('## Why', '', rule.why.trim(), '', '## Remediation', '', rule.remediation.trim(), '');
  lines.push('## Checked resources', '');
  for (const [language, targets] of Object.entries(rule.match)) {
    lines.push(`- ${language}: ${[...new Set((targets ?? []).flatMap((t) => t.resources))].map((r) => `\`${r}\``).join(', ')}`);
  }
  lines.push('');
  for (const language of Object.keys(rule.match)) {
    const bad = example(rule.folder, language, 'bad');
    const good = example(rule.folder, language, 'good');
    if (bad) {
      lines.push(`## Bad (${language})`, '', '```' + (LANGS[language] ?? ''), bad, '```', '');
    }
    if (good) {
      lines.push(`## Good (${language})`, '', '```' + (LANGS[language] ?? ''), good, '```', '');
    }
  }
  lines.push('## Sources', '', ...rule.sources.map((s) => `- ${s}`), '');
  const refs = Object.entries(rule.references).filter(([, ids]) => (ids ?? []).length > 0);
  if (refs.length > 0) {
    lines.push('## Same check in other tools', '', ...refs.map(([peer, ids]) => `- ${peer}: ${(ids ?? []).join(', ')}`), '');
  }
  const compliance = Object.entries(rule.compliance ?? {});
  if (compliance.length > 0) {
    lines.push('## Compliance', '', ...compliance.map(([std, ids]) => `- ${std}: ${ids.join(', ')}`), '');
  }
  lines.push('## Suppressing', '', '```hcl', `# onus:ignore ${rule.id} <reason>`, '```', '');
  const file = path.join(outDir, `${rule.id}.md`);
  written.add(path.basename(file));
  fs.writeFileSync(file, lines.join('\n'));
}
const index = ['# Rules', '', '| id | severity | owner | layer | title |', '|---|---|---|---|---|'];
for (const rule of [...ruleSet.rules].sort((a, b) => a.id.localeCompare(b.id))) {
  index.push(`| [${rule.id}](${rule.id}.md) | ${rule.severity} | ${rule.owner} | ${rule.layer} | ${rule.title} |`);
}
fs.writeFileSync(path.join(outDir, 'README.md'), index.join('\n') + '\n');
written.add('README.md');
for (const name of fs.readdirSync(outDir)) {
  if (!written.has(name)) {
    fs.rmSync(path.join(outDir, name));
  }
}
console.log(`wrote ${ruleSet.rules.length} rule pages to docs/rules`);
