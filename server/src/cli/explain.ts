/**
 * `onus explain RULE-ID`: a rule's documentation page (the one `docs/rules/<id>.md` holds) printed in the terminal,
 * for built-in rules (with the examples bundled at build time), the repository's custom rules (examples read from
 * their fixtures) and the meta rules.
 */
import { bundledExamples } from '../engine/generated/bundledExamples';
import { editDistance } from '../engine/editDistance';
import { MetaRule } from '../engine/metaRules';
import type { Rule } from '../engine/rule';
import { readRuleExamples, renderMetaRulePage, renderRulePage, type RuleExamples } from '../engine/ruleDoc';
import type { RuleSet } from '../engine/ruleSet';
import type { FileSystem } from '../model/fileSystem';

/** The markdown page of a rule or meta rule, or undefined when no rule has this id (or alias). */
export function explainRule(id: string, ruleSet: RuleSet, fs: FileSystem): string | undefined {
  const meta = MetaRule.byId(id);
  if (meta) {
    return renderMetaRulePage(meta);
  }
  const rule = ruleSet.byId.get(id);
  if (!rule) {
    return undefined;
  }
  return renderRulePage(rule, ruleSet, examplesOf(rule, fs));
}

/** A rule's examples: bundled for the catalog's rules, read from the fixtures for a custom rule. */
function examplesOf(rule: Rule, fs: FileSystem): RuleExamples {
  const languages = Object.keys(rule.match);
  if (rule.isCustom) {
    return readRuleExamples(rule.folder, languages, fs);
  }
  const bundled = bundledExamples[rule.folder] ?? {};
  return Object.fromEntries(languages.filter((l) => bundled[l]).map((l) => [l, bundled[l]]));
}

/** Rule ids close to an unknown one (a typo away, else sharing its distinctive words), for "did you mean". */
export function similarRuleIds(id: string, ruleSet: RuleSet): string[] {
  const wanted = id.toLowerCase();
  const close = ruleSet.rules
    .map((r) => ({ id: r.id, distance: editDistance(wanted, r.id) }))
    .filter((r) => r.distance <= Math.max(2, Math.floor(wanted.length / 5)))
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  if (close.length > 0) {
    return close.slice(0, 5).map((r) => r.id);
  }
  // The provider's name is in every id of that provider, so it says nothing.
  const words = wanted.split(/[-_\s]+/).filter((w) => w.length > 2 && !['aws', 'azure', 'gcp'].includes(w));
  return ruleSet.rules
    .map((r) => ({ id: r.id, score: words.filter((w) => r.id.includes(w)).length }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, 5)
    .map((r) => r.id);
}

/** Styles a markdown page for a terminal: headings bold, code fences dim; unchanged without colour. */
export function styleMarkdown(markdown: string, isColor: boolean): string {
  if (!isColor) {
    return markdown;
  }
  let isCode = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) {
        isCode = !isCode;
        return `\u001b[2m${line}\u001b[0m`;
      }
      if (isCode) {
        return `\u001b[36m${line}\u001b[0m`;
      }
      if (/^#{1,6} /.test(line)) {
        return `\u001b[1m\u001b[4m${line.replace(/^#+ /, '')}\u001b[0m`;
      }
      return line;
    })
    .join('\n');
}
