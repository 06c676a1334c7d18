/**
 * A rule's documentation page as markdown, from its data: what it checks, who owns the setting and why under the
 * service's model, the fix, examples from its fixtures, the peers' ids, compliance references, sources and how to
 * suppress it. `scripts/genDocs.ts` writes these pages to `docs/rules/`; `onus explain` prints the same page.
 *
 * Invariant: pure and deterministic (the same rule, services and examples give the same text, so CI can compare).
 */
import * as path from 'node:path';
import type { FileSystem } from '../model/fileSystem';
import type { Format } from '../model/types';
import { escapeTableCell } from '../text/markdown';
import { LAYERS, ownershipSentence, providerName } from './describe';
import type { MetaRule } from './metaRules';
import { Rule, type FixIntent, type FixStep } from './rule';
import type { RuleSet } from './ruleSet';

/** One example file of a rule, from its fixtures. */
export interface RuleExample {
  /** The fixture's file name, e.g. `versioning-omitted.tf`. */
  name: string;
  text: string;
}

/** A rule's examples per language: the first bad and good fixtures, and the bad one after its fix. */
export type RuleExamples = Partial<Record<string, { bad?: RuleExample; good?: RuleExample; fixed?: RuleExample }>>;

/** The code fence language of each rule language's fixtures (JSON templates get `json`). */
function fenceOf(language: string, name: string): string {
  if (language === 'terraform') {
    return name.endsWith('.json') ? 'json' : 'hcl';
  }
  if (language === 'cloudformation') {
    return name.endsWith('.json') ? 'json' : 'yaml';
  }
  return language;
}

/** The first file of a fixture folder (by name, goldens left out), or undefined. */
function firstFixture(folder: string, fs: FileSystem): RuleExample | undefined {
  const entries = fs.readDirectory(folder);
  const name = entries
    ?.filter((e) => !e.isDirectory && !e.name.endsWith('.findings'))
    .map((e) => e.name)
    .sort()[0];
  const text = name === undefined ? undefined : fs.readFile(path.join(folder, name));
  return name === undefined || text === undefined ? undefined : { name, text: text.trimEnd() };
}

/**
 * Reads a rule's examples from its folder: per language, the first `bad/` and `good/` fixture by name, and the
 * `fixed/` file of that bad fixture. (`scripts/bundleRules.mjs` picks the same files for the bundled catalog.)
 */
export function readRuleExamples(ruleFolder: string, languages: readonly string[], fs: FileSystem): RuleExamples {
  const out: RuleExamples = {};
  for (const language of languages) {
    const base = path.join(ruleFolder, 'fixtures', language);
    const bad = firstFixture(path.join(base, 'bad'), fs);
    const good = firstFixture(path.join(base, 'good'), fs);
    const fixedText = bad ? fs.readFile(path.join(base, 'fixed', bad.name)) : undefined;
    if (bad || good) {
      out[language] = {
        ...(bad ? { bad } : {}),
        ...(good ? { good } : {}),
        ...(bad && fixedText !== undefined ? { fixed: { name: bad.name, text: fixedText.trimEnd() } } : {}),
      };
    }
  }
  return out;
}

/** How a fix intent changes the file, in words. */
function describeIntent(fix: FixIntent, depth = 0): string {
  const own = describeOwnIntent(fix);
  const condition = fix.requires ? ' where the conditions for it hold' : '';
  const otherwise = fix.otherwise && depth < 4 ? `; otherwise (**${fix.otherwise.title ?? 'Fix'}**) ${describeIntent(fix.otherwise, depth + 1)}` : '';
  return `${own}${condition}${otherwise}`;
}

/** How a fix (without its alternative) changes the file, in words. */
function describeOwnIntent(fix: FixIntent): string {
  if (fix.removeEach) {
    return 'removes the entry the finding is about, keeping the others';
  }
  if (fix.accountPrincipal) {
    const which = fix.accountPrincipal === true ? 'the statement' : `each statement of \`${fix.accountPrincipal.statements}\` that allows everyone without a condition`;
    return `gives ${which} the account itself as its principal instead of everyone (\`{ AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }\`, so that the account's IAM policies decide who may act), or removes a \`"*"\` listed beside other principals`;
  }
  if (fix.moveToSecretInput) {
    return 'replaces the literal the finding points at with a reference to a new input declared in the same file (Terraform: a `variable` with `type = string` and `sensitive = true`; CloudFormation: a `String` parameter with `NoEcho: true`), named after the resource and the setting; the value is then supplied at deployment and no longer kept in the file (only for one string literal written in place)';
  }
  if (fix.add?.reference) {
    const { path: setting, attribute } = fix.add.reference;
    const to = attribute === 'Ref' ? 'a `Ref` to it' : `its \`${attribute}\``;
    const steps = [`adds a new \`${fix.add.type}\` resource`, `sets \`${setting}\` to ${to}`, ...(fix.also ?? []).map((step) => describeStep(step))];
    return `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]!}`;
  }
  if (fix.add) {
    return `adds a companion \`${fix.add.type}\` resource referring to it (only where none does yet)`;
  }
  const steps = [describeStep(fix), ...(fix.also ?? []).map((step) => describeStep(step))];
  return steps.length === 1 ? steps[0]! : `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]!}`;
}

/** How one step of a fix changes the file, in words. */
function describeStep(fix: FixStep): string {
  if (fix.set) {
    const value = Array.isArray(fix.set.value) ? `[${fix.set.value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(fix.set.value);
    return `sets \`${fix.set.path}\` to \`${value}\`${fix.set.ifMissing ? ' where it is not set' : ''}`;
  }
  if (fix.remove) {
    return `removes \`${fix.remove.path}\``;
  }
  if (fix.addItem) {
    const value = fix.addItem.value;
    if (value !== null && typeof value === 'object') {
      const fields = Object.entries(value).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ');
      return `adds an entry \`${fields}\` to \`${fix.addItem.path}\` (where an entry with that ${fix.addItem.key ?? 'key'} exists, sets its other fields)`;
    }
    return `adds \`${JSON.stringify(value)}\` to \`${fix.addItem.path}\` where it is not there`;
  }
  if (fix.removeItems) {
    const which = fix.removeItems.in
      ? fix.removeItems.in.map((v) => `\`${JSON.stringify(v)}\``).join(', ')
      : `those matching \`${fix.removeItems.matches ?? ''}\``;
    return `removes ${which} from \`${fix.removeItems.path}\``;
  }
  return 'changes the setting';
}

/** The quick fixes of a rule, one line per language and target that has one. */
function fixLines(rule: Rule): string[] {
  const lines: string[] = [];
  for (const [language, targets] of Object.entries(rule.match)) {
    for (const target of targets ?? []) {
      if (!target.fix) {
        continue;
      }
      const title = target.fix.title ?? 'Fix';
      const safety = target.fix.preferred ? ' Safe to apply without review (offered as the preferred fix).' : '';
      const versions = target.apiVersions ? ` (API versions before ${target.apiVersions.before})` : '';
      lines.push(`- ${language}, \`${target.resources.join('`, `')}\`${versions}: **${title}** — ${describeIntent(target.fix)}.${safety}`);
    }
  }
  return lines;
}

/** How to write a suppression of a rule in each language it targets. */
function suppressionLines(rule: Rule): string[] {
  const lines: string[] = [];
  const languages = Object.keys(rule.match) as Format[];
  if (languages.includes('terraform')) {
    lines.push('```hcl', `# onus:ignore ${rule.id} <reason>`, '```', '');
  }
  if (languages.includes('cloudformation')) {
    lines.push(
      '```yaml',
      `  MyResource:`,
      `    # onus:ignore ${rule.id} <reason>`,
      '    Type: …',
      '    Metadata:',
      `      onus: { ignore: [{ id: ${rule.id}, reason: "<reason>", until: "YYYY-MM-DD" }] }   # or as data (JSON templates too)`,
      '```',
      '',
    );
  }
  if (languages.includes('bicep')) {
    lines.push('```bicep', `// onus:ignore ${rule.id} <reason>`, '```', '');
  }
  lines.push('Add `until=YYYY-MM-DD` after the id for a temporary exception. A suppression without a reason is reported as `onus-suppression-reason` (see `.onus.yaml`\u2019s `suppressions.requireReason`).', '');
  return lines;
}

/** The peers' comments that suppress a rule, from its references. */
function peerSuppressionText(rule: Rule): string | undefined {
  const forms: string[] = [];
  for (const id of rule.references.checkov ?? []) {
    forms.push(`\`checkov:skip=${id}\``);
  }
  for (const id of rule.references.trivy ?? []) {
    forms.push(`\`trivy:ignore:${id}\``);
  }
  if ((rule.references.kics ?? []).length > 0) {
    forms.push('`kics-scan ignore-line` / `ignore-block`');
  }
  for (const id of rule.references['cfn-nag'] ?? []) {
    forms.push(`cfn_nag \`rules_to_suppress\` ${id}`);
  }
  for (const id of rule.references['cfn-lint'] ?? []) {
    forms.push(`cfn-lint \`ignore_checks\` ${id}`);
  }
  return forms.length > 0
    ? `A repository that already uses these tools keeps its suppressions: ${forms.join(', ')} also suppress this rule (unless \`.onus.yaml\` sets \`suppressions.honorPeers: false\`).`
    : undefined;
}


/** A rule's documentation page. */
export function renderRulePage(rule: Rule, ruleSet: RuleSet, examples: RuleExamples): string {
  const service = ruleSet.services.find((s) => s.id === rule.service);
  const languages = Object.keys(rule.match);
  const lines: string[] = [];
  lines.push(`# ${rule.id}`, '', `**${rule.title}**`, '');
  if (rule.deprecated) {
    lines.push('> Deprecated: this rule no longer runs.', '');
  }
  lines.push('| severity | owner | layer | service | concept | languages | fix |', '|---|---|---|---|---|---|---|');
  lines.push(
    `| ${rule.severity} | ${rule.owner} | ${rule.layer} | \`${rule.service}\`${service ? ` (${service.name})` : ''} | ${rule.concept} | ${languages.join(', ')} | ${Rule.isFixable(rule) ? 'quick fix' : 'manual'} |`,
    '',
  );
  if (rule.isCustom) {
    lines.push(`A custom rule of this repository (\`${rule.folder}\`).`, '');
  }

  lines.push('## What it checks', '', `Reports: *${rule.message.replace(/\{(value|path|resource)\}/g, '<$1>')}*.`, '');
  for (const [language, targets] of Object.entries(rule.match)) {
    lines.push(`- ${language}: ${[...new Set((targets ?? []).flatMap((t) => t.resources))].map((r) => `\`${r}\``).join(', ')}`);
  }
  lines.push('');

  lines.push('## Who owns this setting, and why', '', ownershipSentence(rule, service), '');
  if (service) {
    lines.push(
      `${service.name} is ${/^[aeiou]/i.test(service.model) ? 'an' : 'a'} *${service.model}* service in ${providerName(service.provider)}'s own classification (${service.modelSource}). Who secures each of its layers:`,
      '',
      '| layer | owner | note |',
      '|---|---|---|',
    );
    for (const layer of LAYERS) {
      const ownership = service.layers[layer];
      const owner = ownership.owner === 'provider' ? providerName(service.provider) : ownership.owner;
      lines.push(`| ${layer === rule.layer ? `**${layer}** (this rule)` : layer} | ${owner} | ${escapeTableCell(ownership.note ?? '')} |`);
    }
    lines.push('');
  }
  lines.push(rule.why.trim(), '');

  lines.push('## Fix', '', rule.remediation.trim(), '');
  const fixes = fixLines(rule);
  lines.push(...(fixes.length > 0 ? ['Quick fix in the editor (and fix-all):', '', ...fixes] : ['No automatic fix: the secure value depends on your environment.']), '');

  for (const language of languages) {
    const example = examples[language];
    if (!example) {
      continue;
    }
    if (example.bad) {
      lines.push(`## Insecure example (${language})`, '', '```' + fenceOf(language, example.bad.name), example.bad.text, '```', '');
    }
    if (example.fixed) {
      lines.push(`## After the quick fix (${language})`, '', '```' + fenceOf(language, example.fixed.name), example.fixed.text, '```', '');
    }
    if (example.good) {
      lines.push(`## Secure example (${language})`, '', '```' + fenceOf(language, example.good.name), example.good.text, '```', '');
    }
  }

  const refs = Object.entries(rule.references).filter(([, ids]) => (ids ?? []).length > 0);
  if (refs.length > 0) {
    lines.push('## Same check in other tools', '', '| tool | ids |', '|---|---|');
    lines.push(...refs.map(([peer, ids]) => `| ${peer} | ${(ids ?? []).map((id) => `\`${id}\``).join(', ')} |`), '');
    const peers = peerSuppressionText(rule);
    if (peers) {
      lines.push(peers, '');
    }
  }
  const compliance = Object.entries(rule.compliance ?? {});
  if (compliance.length > 0) {
    lines.push('## Compliance', '', '| standard | controls |', '|---|---|');
    lines.push(...compliance.map(([standard, ids]) => `| ${standard} | ${ids.join(', ')} |`), '');
  }
  lines.push('## Sources', '', ...rule.sources.map((s) => `- ${s}`), '');
  lines.push('## Suppressing', '', ...suppressionLines(rule));
  return lines.join('\n');
}

/** A meta rule's documentation page (problems with suppressions themselves, or with a template's property names). */
export function renderMetaRulePage(meta: MetaRule): string {
  const shown = meta.level === 'warning' ? 'warning' : meta.level === 'note' ? 'information' : 'hint (faded)';
  return [
    `# ${meta.id}`,
    '',
    `**${meta.title}**`,
    '',
    `A built-in meta rule about ${meta.subject === 'template' ? 'a template\u2019s own text' : 'suppressions'}, not a cloud setting: it has no provider, service or layer. Shown as a ${shown}${meta.isFailing ? '; `onus scan` exits 1 when it reports' : '; it does not change `onus scan`\u2019s exit code'}. Turn it off with \`rules: { disabled: [${meta.id}] }\` in \`.onus.yaml\`.`,
    '',
    '## Why',
    '',
    meta.why,
    '',
    '## Fix',
    '',
    meta.remediation,
    '',
  ].join('\n');
}

/** The index page of the catalog: one row per rule, then the meta rules. */
export function renderRuleIndex(rules: readonly Rule[], metaRules: readonly MetaRule[]): string {
  const lines = ['# Rules', '', '| id | severity | owner | layer | title |', '|---|---|---|---|---|'];
  for (const rule of [...rules].sort((a, b) => a.id.localeCompare(b.id))) {
    lines.push(`| [${rule.id}](${rule.id}.md) | ${rule.severity} | ${rule.owner} | ${rule.layer} | ${escapeTableCell(rule.title)} |`);
  }
  lines.push('', '## Meta rules', '', 'Problems with suppressions themselves, and CloudFormation property names AWS\u2019s specification does not know, reported beside findings.', '', '| id | title |', '|---|---|');
  for (const meta of metaRules) {
    lines.push(`| [${meta.id}](${meta.id}.md) | ${meta.title} |`);
  }
  return lines.join('\n') + '\n';
}
