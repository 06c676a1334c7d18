/**
 * What the rules know about one setting of one resource type: its secure value (from a rule's fix or template) and
 * the values a rule flags, each with the rule that says so. Completions offer these while a resource is written.
 */
import type { Format, Scalar } from '../model/types';
import type { Condition, Rule } from './rule';
import type { RuleSet } from './ruleSet';
import { knownValues } from './templates';

/** A value a rule names for a setting. */
export interface KnownValue {
  value: Scalar | Scalar[];
  rule: Rule;
}

/** What the rules know about one setting (a dotted path from the resource's body). */
export interface SettingKnowledge {
  path: string;
  /** The secure value, from the first rule whose fix or template sets it. */
  secure: KnownValue | undefined;
  /** Values a rule flags as insecure (`equals`, `in`), in rule order. */
  insecure: KnownValue[];
}

/** Joins a target's `each` path and a path relative to it; `*` segments are dropped (they name any list item). */
function joinPath(each: string | undefined, p: string): string {
  return [each, p]
    .filter((s): s is string => s !== undefined && s !== '')
    .join('.')
    .split('.')
    .filter((s) => s !== '*')
    .join('.');
}

/** Whether a value is a placeholder (`<…>`), which completions do not offer as a value. */
function isPlaceholder(value: Scalar | Scalar[]): boolean {
  return typeof value === 'string' && /^<.*>$/.test(value);
}

/** The flagged values of a condition's leaves, by path. */
function flagged(condition: Condition | undefined, each: string | undefined, out: [string, Scalar][]): void {
  if (!condition) {
    return;
  }
  if ('all' in condition) {
    condition.all.forEach((c) => flagged(c, each, out));
  } else if ('any' in condition) {
    condition.any.forEach((c) => flagged(c, each, out));
  } else if ('path' in condition) {
    const p = joinPath(each, condition.path);
    if (condition.equals !== undefined) {
      out.push([p, condition.equals]);
    }
    for (const v of condition.in ?? []) {
      out.push([p, v]);
    }
  }
}

/** The settings the rules know for a resource type in a format, by path. */
export function settingsOf(ruleSet: RuleSet, format: Format, type: string): Map<string, SettingKnowledge> {
  const out = new Map<string, SettingKnowledge>();
  const at = (p: string): SettingKnowledge => {
    let s = out.get(p);
    if (!s) {
      s = { path: p, secure: undefined, insecure: [] };
      out.set(p, s);
    }
    return s;
  };
  for (const rule of ruleSet.rules) {
    if (rule.deprecated) {
      continue;
    }
    for (const target of rule.match[format] ?? []) {
      if (!target.resources.includes(type) || target.dataSources) {
        continue;
      }
      const fixSteps = target.fix ? [target.fix, ...(target.fix.also ?? [])] : [];
      const sets = [...fixSteps.flatMap((step) => (step.set ? [step.set] : [])), ...(target.template ?? [])];
      for (const set of sets) {
        const s = at(joinPath(target.each, set.path));
        if (!s.secure && !isPlaceholder(set.value)) {
          s.secure = { value: set.value, rule };
        }
      }
      // Where no fix says it, the value a check asks for (`notEquals: X`) is the secure one.
      if (target.when) {
        for (const [p, value] of knownValues(target.when)) {
          const s = at(joinPath(target.each, p));
          s.secure ??= { value, rule };
        }
      }
      const bad: [string, Scalar][] = [];
      flagged(target.when, target.each, bad);
      for (const [p, value] of bad) {
        const s = at(p);
        if (!s.insecure.some((k) => k.value === value)) {
          s.insecure.push({ value, rule });
        }
      }
    }
  }
  // A value that one rule sets is never also listed as insecure (a check may flag it only in another context).
  for (const s of out.values()) {
    s.insecure = s.insecure.filter((k) => k.value !== s.secure?.value && k.value !== '');
  }
  return out;
}

/** "customer-owned · network": who owns the setting a rule checks, and at which layer. */
export function ownershipLabel(rule: Rule): string {
  const owner = rule.owner === 'shared' ? 'shared' : `${rule.owner}-owned`;
  return `${owner} · ${rule.layer}`;
}
