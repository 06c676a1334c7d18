/**
 * Secure resource templates, generated from the rules: a new resource of a type the rules know, with every setting
 * they check already at its secure value.
 *
 * A template is never written by hand. It starts as an empty resource (plus, where a rule is satisfied by a
 * companion resource such as AWS provider v4's `aws_s3_bucket_public_access_block`, that companion referring to
 * it) and goes through the same fix-all passes as the editor's "Fix all" (`fixAll.ts`), planned and rendered by the
 * same fix planner and renderers (`fixes.ts`, `renderers/`). The passes run with a template rule set: each rule's
 * own fix where it has one; where it has none, a fix derived from its condition (a `notEquals: X` check is satisfied
 * by setting X; a setting that must exist and names an id, ARN, key or bucket gets a placeholder the user fills in).
 * Rules whose condition gives no such fix leave the template as it is; a test scans every template with the real
 * rules.
 */
import * as path from 'node:path';
import type { Format, Scalar } from '../model/types';
import type { FileSystem } from '../model/fileSystem';
import { analyzeUnitOf, type Analysis } from './analyze';
import { fixAll } from './fixAll';
import type { Condition, FixIntent, LeafCondition, Rule, Target } from './rule';
import type { RuleSet } from './ruleSet';
import type { Finding } from './types';

/** The syntax a template is written in: CloudFormation has two. */
export type TemplateSyntax = 'terraform' | 'cloudformation-yaml' | 'cloudformation-json' | 'bicep';

/** The token that names the resource in a template's text; completions turn it into the first tab stop. */
export const TEMPLATE_NAME = 'example';

/** Placeholders in a template's text are `<…>` strings: completions turn each into a tab stop. */
export const PLACEHOLDER = /<([a-z0-9][a-z0-9 -]*)>/g;

/** A generated template. */
export interface ResourceTemplate {
  syntax: TemplateSyntax;
  type: string;
  /** The companion resource types the template adds (AWS provider v4 style), in order. */
  companions: string[];
  /** The file the template was analysed as (a throwaway path) and its whole text. */
  file: string;
  text: string;
  /** What the real rules find in the template: nothing, unless a rule's condition gives no secure setting to derive. */
  findings: Finding[];
  /** The rules whose settings the template sets (their fix or a derived one applied). */
  ruleIds: string[];
}

/** The format a syntax belongs to. */
export function formatOf(syntax: TemplateSyntax): Format {
  return syntax === 'cloudformation-yaml' || syntax === 'cloudformation-json' ? 'cloudformation' : syntax;
}

/** The resource types with at least one rule, per format (exact names only, no `*` patterns; no data sources). */
export function templateTypes(ruleSet: RuleSet, format: Format): string[] {
  const types = new Set<string>();
  for (const rule of ruleSet.rules) {
    if (rule.deprecated) {
      continue;
    }
    for (const target of rule.match[format] ?? []) {
      if (target.dataSources) {
        continue;
      }
      for (const type of target.resources) {
        if (!type.includes('*')) {
          types.add(type);
        }
      }
    }
  }
  return [...types].sort();
}

/** One setting a derived fix makes: the leaf that fires while it is unset, and the value it sets. */
interface Piece {
  when: Condition;
  path: string;
  value: Scalar | Scalar[];
  isPlaceholder: boolean;
}

/** Setting names that hold an identifier of something the user owns (a key, a bucket, a policy): a placeholder fits. */
const IDENTIFIER_NAME = /(_id|Id|ID|_arn|Arn|ARN|_name|Name|_link|_uri|Uri|_bucket|Bucket|_pool|_data|_date|exp|_account)$/;

/** Whether a path can take a derived value: no wildcard, and not inside tags or labels (whose keys are the user's). */
function isSettable(p: string): boolean {
  return !p.includes('*') && !/(^|\.)(tags|labels)\./.test(p);
}

/** A placeholder value naming a setting: `kms_key_id` gives `<kms key id>`. */
function placeholderFor(p: string): string {
  const last = p.split('.').pop() ?? p;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return `<${words}>`;
}

/** The secure values a condition names outright (`notEquals: X`, `notIn: [X, …]`, the other boolean), by path. */
export function knownValues(condition: Condition, out = new Map<string, Scalar | Scalar[]>()): Map<string, Scalar | Scalar[]> {
  if ('not' in condition) {
    // `not: { contains: X }` asks for a list holding X.
    const inner = condition.not;
    if ('path' in inner && inner.contains !== undefined && isSettable(inner.path) && !out.has(inner.path)) {
      out.set(inner.path, [inner.contains]);
    }
  } else if ('all' in condition) {
    condition.all.forEach((c) => knownValues(c, out));
  } else if ('any' in condition) {
    condition.any.forEach((c) => knownValues(c, out));
  } else if ('path' in condition && isSettable(condition.path) && !out.has(condition.path)) {
    const bad = condition.equals !== undefined ? [condition.equals] : condition.in;
    if (condition.notEquals !== undefined) {
      out.set(condition.path, condition.notEquals);
    } else if (condition.notIn?.[0] !== undefined) {
      out.set(condition.path, condition.notIn[0]);
    } else if (bad && bad.length > 0 && bad.every((v) => typeof v === 'boolean')) {
      // A check that flags `true` (or `false`) names the other value as the secure one.
      out.set(condition.path, !bad[0]);
    }
  }
  return out;
}

/** Whether a leaf is true on a setting that is absent. */
function isTrueWhenMissing(leaf: LeafCondition): boolean {
  if (leaf.exists !== undefined) {
    return leaf.exists === false;
  }
  return leaf.missing === true;
}

/** The pieces that make a leaf false on a new resource; undefined when no value can be derived. */
function deriveLeaf(leaf: LeafCondition, known: Map<string, Scalar | Scalar[]>): Piece[] | undefined {
  if (!isTrueWhenMissing(leaf)) {
    return [];
  }
  if (!isSettable(leaf.path)) {
    return undefined;
  }
  const piece = (value: Scalar | Scalar[], isPlaceholder = false): Piece[] => [{ when: leaf, path: leaf.path, value, isPlaceholder }];
  if (leaf.notEquals !== undefined) {
    return piece(leaf.notEquals);
  }
  if (leaf.notIn?.[0] !== undefined) {
    return piece(leaf.notIn[0]);
  }
  const bad = leaf.equals !== undefined ? [leaf.equals] : leaf.in;
  if (bad && bad.length > 0 && bad.every((v) => typeof v === 'boolean')) {
    return piece(!bad[0]);
  }
  const value = known.get(leaf.path);
  if (value !== undefined) {
    return piece(value);
  }
  const last = leaf.path.split('.').pop() ?? '';
  if ((leaf.exists === false || leaf.matches !== undefined || leaf.isEmpty === true) && IDENTIFIER_NAME.test(last)) {
    return piece(placeholderFor(leaf.path), true);
  }
  return undefined;
}

/** The pieces that make a condition false on a new resource; undefined when it cannot be derived. */
function deriveCondition(condition: Condition, known: Map<string, Scalar | Scalar[]>): Piece[] | undefined {
  if ('related' in condition) {
    return [];
  }
  if ('not' in condition) {
    const inner = condition.not;
    if ('path' in inner && inner.equals !== undefined && inner.path.endsWith('.*') && isSettable(inner.path.slice(0, -2))) {
      return [{ when: condition, path: inner.path.slice(0, -2), value: [inner.equals], isPlaceholder: false }];
    }
    return undefined;
  }
  if ('any' in condition) {
    const derived = condition.any.map((c) => deriveCondition(c, known));
    const pieces = derived.flatMap((d) => d ?? []);
    // A block that must exist (`encryption_config` with `exists: false`) is written by a setting inside it.
    const isCovered = (c: Condition) =>
      'path' in c && c.exists === false && pieces.some((p) => p.path.startsWith(`${c.path}.`));
    return derived.every((d, i) => d !== undefined || isCovered(condition.any[i]!)) ? pieces : undefined;
  }
  if ('all' in condition) {
    const derived = condition.all.map((c) => deriveCondition(c, known));
    if (derived.some((d) => d?.length === 0)) {
      return [];
    }
    return derived.find((d) => d !== undefined && d.every((p) => !p.isPlaceholder)) ?? derived.find((d) => d !== undefined);
  }
  return deriveLeaf(condition, known);
}

/** The related types a condition is satisfied by (`related` under `unless`, `not: related` under `when`). */
function relatedOf(condition: Condition | undefined): Companion[] {
  if (!condition) {
    return [];
  }
  if ('related' in condition) {
    const { type, via, template } = condition.related;
    return [{ type, via, template: template ?? [] }];
  }
  if ('any' in condition) {
    return condition.any.flatMap(relatedOf);
  }
  return [];
}

/**
 * A companion resource: its type, the attribute through which it refers to the main resource, and the settings it
 * starts with (the arguments its provider requires beside that one).
 */
interface Companion {
  type: string;
  via: string;
  template: { path: string; value: Scalar | Scalar[] }[];
}

/** Whether a companion can be written: it refers by a plain attribute to a resource of another type. */
function isWritableCompanion(c: Companion, mainType: string): boolean {
  return c.type !== mainType && !c.via.includes('.') && !c.type.includes('*');
}

/** The companions the rules of a type ask for, and the targets they make unnecessary. */
function companionsOf(
  ruleSet: RuleSet,
  format: Format,
  type: string,
): { companions: Companion[]; replaced: Set<Target>; added: string[] } {
  const companions: Companion[] = [];
  const added: string[] = [];
  const replaced = new Set<Target>();
  const add = (c: Companion) => {
    if (!companions.some((x) => x.type === c.type)) {
      companions.push(c);
    }
  };
  for (const rule of ruleSet.rules) {
    for (const target of rule.match[format] ?? []) {
      if (rule.deprecated || !target.resources.includes(type)) {
        continue;
      }
      // A fix that adds the companion writes it, content and all: the skeleton leaves it out.
      if (target.fix?.add) {
        added.push(target.fix.add.type);
        continue;
      }
      // `when: not related …`: only the companion satisfies the rule.
      const required = target.when && 'not' in target.when ? relatedOf(target.when.not).filter((c) => isWritableCompanion(c, type)) : [];
      if (required[0]) {
        add(required[0]);
        replaced.add(target);
        continue;
      }
      // `unless: related …`: AWS's separate resources (provider v4 and later) are preferred; elsewhere the setting
      // goes inline unless it cannot be derived.
      const optional = relatedOf(target.unless).filter((c) => isWritableCompanion(c, type));
      const inline = target.fix ?? (target.when ? deriveCondition(target.when, knownValues(target.when)) : undefined);
      if (optional[0] && (rule.provider === 'aws' || !inline || (Array.isArray(inline) && inline.length === 0))) {
        add(optional[0]);
        replaced.add(target);
      }
    }
  }
  return { companions: companions.filter((c) => !added.includes(c.type)), replaced, added };
}

/** A target that sets one template setting on resources of some types while the setting does not hold its value. */
function settingTarget(resources: string[], setting: { path: string; value: Scalar | Scalar[] }): Target {
  const when: Condition = { path: setting.path, missing: true, ...(Array.isArray(setting.value) ? { isEmpty: true } : { notEquals: setting.value }) };
  return { resources, when, fix: { set: { path: setting.path, value: setting.value } } };
}

/**
 * The template rule set: every target of the types involved, with its own fix or one derived from its condition, and
 * the settings each companion starts with (under the rule whose target asked for the companion).
 */
function templateRules(ruleSet: RuleSet, format: Format, types: Set<string>, replaced: Set<Target>, companions: Companion[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of ruleSet.rules) {
    if (rule.deprecated) {
      continue;
    }
    const targets: Target[] = [];
    for (const target of rule.match[format] ?? []) {
      if (replaced.has(target)) {
        const asked = [...relatedOf(target.unless), ...(target.when && 'not' in target.when ? relatedOf(target.when.not) : [])];
        for (const companion of companions.filter((c) => asked.some((a) => a.type === c.type && a.via === c.via))) {
          targets.push(...companion.template.map((setting) => settingTarget([companion.type], setting)));
        }
        continue;
      }
      if (target.dataSources || !target.resources.some((t) => types.has(t))) {
        continue;
      }
      // The rule's own settings for new resources: each applies while its path does not hold its value.
      for (const setting of target.template ?? []) {
        targets.push(settingTarget(target.resources, setting));
      }
      // A `check` target's condition is code: only its `template` settings say what a secure resource holds.
      if (target.check) {
        continue;
      }
      if (target.fix) {
        targets.push(target);
        continue;
      }
      if (target.template) {
        continue;
      }
      const pieces = target.when ? deriveCondition(target.when, knownValues(target.when)) : undefined;
      for (const piece of pieces ?? []) {
        const fix: FixIntent = { set: { path: piece.path, value: piece.value } };
        // The target's `unless` stays: a setting is only derived where the rule would report its absence (no
        // `mfa_delete` for a bucket whose versioning is off, no cache encryption without a cache).
        targets.push({
          resources: target.resources,
          ...(target.each ? { each: target.each } : {}),
          ...(target.unless ? { unless: target.unless } : {}),
          when: piece.when,
          fix,
        });
      }
    }
    if (targets.length > 0) {
      out.push({ ...rule, match: { [format]: targets } });
    }
  }
  return out;
}

/** The logical name of a companion in CloudFormation and Bicep: the main name plus the type's last segment. */
function companionName(syntax: TemplateSyntax, type: string): string {
  const last = type.split(/::|\//).pop() ?? 'Companion';
  const pascal = last.charAt(0).toUpperCase() + last.slice(1);
  return syntax === 'bicep' ? `${TEMPLATE_NAME}${pascal}` : `${capitalized(TEMPLATE_NAME)}${pascal}`;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Bicep API versions, by type: the one the rules' fixtures use most, else a recent general one. */
export type ApiVersions = Readonly<Record<string, string>>;

/** The empty resources a template starts from, with the companions referring to the main one. */
function skeleton(syntax: TemplateSyntax, type: string, companions: Companion[], apiVersions: ApiVersions): string {
  const name = TEMPLATE_NAME;
  switch (syntax) {
    case 'terraform': {
      const blocks = [`resource "${type}" "${name}" {\n}\n`];
      for (const c of companions) {
        const attribute = /name$/.test(c.via) ? 'name' : /arn$/.test(c.via) ? 'arn' : 'id';
        blocks.push(`resource "${c.type}" "${name}" {\n  ${c.via} = ${type}.${name}.${attribute}\n}\n`);
      }
      return blocks.join('\n');
    }
    case 'cloudformation-yaml': {
      const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', `  ${capitalized(name)}:`, `    Type: ${type}`, '    Properties: {}'];
      for (const c of companions) {
        lines.push(`  ${companionName(syntax, c.type)}:`, `    Type: ${c.type}`, '    Properties:', `      ${c.via}: !Ref ${capitalized(name)}`);
      }
      return `${lines.join('\n')}\n`;
    }
    case 'cloudformation-json': {
      const resources: Record<string, unknown> = { [capitalized(name)]: { Type: type, Properties: {} } };
      for (const c of companions) {
        resources[companionName(syntax, c.type)] = { Type: c.type, Properties: { [c.via]: { Ref: capitalized(name) } } };
      }
      return `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2)}\n`;
    }
    case 'bicep': {
      const blocks = [bicepResource(name, type, apiVersions, [], true)];
      for (const c of companions) {
        const reference = c.via === 'parent' || c.via === 'scope' ? name : `${name}.id`;
        blocks.push(bicepResource(companionName(syntax, c.type), c.type, apiVersions, [`${c.via}: ${reference}`], false));
      }
      return blocks.join('\n');
    }
  }
}

function bicepResource(symbol: string, type: string, apiVersions: ApiVersions, extra: string[], isMain: boolean): string {
  const version = apiVersions[type] ?? DEFAULT_BICEP_API_VERSION;
  const isChild = type.split('/').length > 2;
  const lines = [`resource ${symbol} '${type}@${version}' = {`, ...extra.map((l) => `  ${l}`)];
  lines.push(`  name: '${isMain ? symbol : 'default'}'`);
  if (!isChild && isMain) {
    lines.push('  location: resourceGroup().location');
  }
  lines.push('  properties: {', '  }', '}');
  return `${lines.join('\n')}\n`;
}

/** The API version a Bicep template uses when the rules' fixtures name none for its type. */
export const DEFAULT_BICEP_API_VERSION = '2023-01-01';

/** The throwaway path a template is analysed as. */
function templateFile(syntax: TemplateSyntax): string {
  const dir = path.resolve('/onus-template');
  switch (syntax) {
    case 'terraform':
      return path.join(dir, 'main.tf');
    case 'cloudformation-yaml':
      return path.join(dir, 'template.yaml');
    case 'cloudformation-json':
      return path.join(dir, 'template.json');
    case 'bicep':
      return path.join(dir, 'main.bicep');
  }
}

/** A file system holding one file. */
function oneFile(file: string, text: string): FileSystem {
  return {
    readFile: (p) => (path.resolve(p) === file ? text : undefined),
    readDirectory: (dir) => (path.resolve(dir) === path.dirname(file) ? [{ name: path.basename(file), isDirectory: false }] : undefined),
  };
}

/** Analyses a template's text with a rule set (the real one, or the template rule set). */
function analyzeText(file: string, text: string, rules: RuleSet): Analysis {
  return analyzeUnitOf(file, oneFile(file, text), { rules, today: '2000-01-01' });
}

/** Builds the secure template of a resource type in a syntax; undefined when no rule targets the type there. */
export function buildTemplate(ruleSet: RuleSet, syntax: TemplateSyntax, type: string, apiVersions: ApiVersions = {}): ResourceTemplate | undefined {
  const format = formatOf(syntax);
  if (!templateTypes(ruleSet, format).includes(type)) {
    return undefined;
  }
  const { companions, replaced, added } = companionsOf(ruleSet, format, type);
  const types = new Set([type, ...companions.map((c) => c.type), ...added]);
  const rules = templateRules(ruleSet, format, types, replaced, companions);
  const generator: RuleSet = { rules, byId: new Map(rules.map((r) => [r.id, r])), services: ruleSet.services };
  const file = templateFile(syntax);
  const start = skeleton(syntax, type, companions, apiVersions);
  const first = analyzeText(file, start, generator);
  const result = fixAll(file, start, { findings: first.findings, errorCount: first.errors.length }, (next) => {
    const analysis = analyzeText(file, next, generator);
    return { findings: analysis.findings, errorCount: analysis.errors.length };
  });
  const findings = analyzeText(file, result.text, ruleSet).findings;
  return {
    syntax,
    type,
    companions: [...new Set([...companions.map((c) => c.type), ...added])],
    file,
    text: result.text,
    findings,
    ruleIds: [...new Set(result.applied.map((f) => f.ruleId))].sort(),
  };
}
