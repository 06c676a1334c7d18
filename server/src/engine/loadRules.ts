/**
 * Loads and validates the rule catalog and the services catalog: from the texts bundled at build time, or from a
 * folder on disk (custom rules, tests). A malformed rule is a clear error naming its file and field, never a crash.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import ruleSchema from '../../../rules/schema/rule.schema.json';
import type { CheckFunction } from './check';
import { bundledRules, bundledServices } from './generated/bundledRules';
import type { Condition, Rule } from './rule';
import type { RuleSet, Service } from './ruleSet';
import type { Provider } from './types';

/** A problem loading one rule or services file. */
export interface RuleLoadError {
  file: string;
  message: string;
}

/** A rule set plus the problems met while loading it. */
export interface RuleSetLoadResult {
  ruleSet: RuleSet;
  errors: RuleLoadError[];
}

/** One rule source: the folder (relative to the rules root), the YAML text and the optional check. */
export interface RuleSource {
  folder: string;
  yaml: string;
  check: CheckFunction | undefined;
}

let validateRule: ValidateFunction | undefined;

function ruleValidator(): ValidateFunction {
  if (!validateRule) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    validateRule = ajv.compile(ruleSchema);
  }
  return validateRule;
}

/** Formats Ajv's first error as `field: problem`, picking the most specific error of a `oneOf`. */
function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) {
    return 'does not match the rule schema';
  }
  const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0]!;
  const field = deepest.instancePath ? deepest.instancePath.slice(1).split('/').join('.') : '(root)';
  const extra =
    deepest.keyword === 'additionalProperties'
      ? ` "${String((deepest.params as { additionalProperty?: string }).additionalProperty)}"`
      : deepest.keyword === 'enum'
        ? ` (${((deepest.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
        : '';
  return `${field}: ${deepest.message ?? 'is invalid'}${extra}`;
}

/** Checks the regular expressions of a condition compile; returns the first error. */
function checkRegexes(condition: Condition | undefined, where: string): string | undefined {
  if (!condition) {
    return undefined;
  }
  if ('all' in condition) {
    for (const c of condition.all) {
      const e = checkRegexes(c, where);
      if (e) {
        return e;
      }
    }
    return undefined;
  }
  if ('any' in condition) {
    for (const c of condition.any) {
      const e = checkRegexes(c, where);
      if (e) {
        return e;
      }
    }
    return undefined;
  }
  if ('not' in condition) {
    return checkRegexes(condition.not, where);
  }
  if ('related' in condition) {
    return checkRegexes(condition.related.where, where);
  }
  for (const pattern of [condition.matches, condition.notMatches]) {
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
      } catch (e) {
        return `${where}: invalid regular expression "${pattern}": ${(e as Error).message}`;
      }
    }
  }
  return undefined;
}

/** Parses and validates one rule; returns the rule or an error naming the file and the field. */
export function loadRule(source: RuleSource): { rule?: Rule; error?: RuleLoadError } {
  const file = `rules/${source.folder}/rule.yaml`;
  let data: unknown;
  try {
    data = parseYaml(source.yaml, { prettyErrors: true });
  } catch (e) {
    return { error: { file, message: `invalid YAML: ${(e as Error).message.split('\n')[0]}` } };
  }
  const validate = ruleValidator();
  if (!validate(data)) {
    return { error: { file, message: describeSchemaError(validate.errors) } };
  }
  const raw = data as Omit<Rule, 'provider' | 'folder' | 'checkFunction'>;
  const folderName = source.folder.split('/').pop();
  if (folderName !== raw.id) {
    return { error: { file, message: `id: "${raw.id}" does not match its folder name "${folderName ?? ''}"` } };
  }
  for (const [format, targets] of Object.entries(raw.match)) {
    for (const [i, target] of (targets ?? []).entries()) {
      const where = `match.${format}.${i}`;
      const regexError = checkRegexes(target.when, `${where}.when`) ?? checkRegexes(target.unless, `${where}.unless`);
      if (regexError) {
        return { error: { file, message: regexError } };
      }
      if (target.check && !source.check) {
        return { error: { file, message: `${where}.check: the rule has no rule.ts exporting check()` } };
      }
    }
  }
  const rule: Rule = {
    ...raw,
    references: raw.references ?? {},
    provider: raw.id.split('-')[0] as Provider,
    folder: source.folder,
    ...(source.check ? { checkFunction: source.check } : {}),
  };
  return { rule };
}

/** Parses the services catalog files; a malformed entry is reported and skipped. */
export function loadServices(files: { file: string; yaml: string }[]): { services: Service[]; errors: RuleLoadError[] } {
  const services: Service[] = [];
  const errors: RuleLoadError[] = [];
  const layers = ['data', 'identity', 'application', 'network', 'os', 'physical'] as const;
  for (const { file, yaml } of files) {
    let data: unknown;
    try {
      data = parseYaml(yaml);
    } catch (e) {
      errors.push({ file: `rules/${file}`, message: `invalid YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const list = (data as { services?: unknown } | null)?.services;
    if (!Array.isArray(list)) {
      errors.push({ file: `rules/${file}`, message: 'services: expected a list' });
      continue;
    }
    list.forEach((entry: unknown, i) => {
      const s = entry as Partial<Service> | null;
      const missingLayer = layers.find((l) => !s?.layers?.[l]?.owner);
      if (!s || typeof s.id !== 'string' || typeof s.name !== 'string' || missingLayer) {
        errors.push({
          file: `rules/${file}`,
          message: `services.${i}: needs id, name and an owner for every layer${missingLayer ? ` (missing ${missingLayer})` : ''}`,
        });
        return;
      }
      services.push(s as Service);
    });
  }
  return { services, errors };
}

/** Builds a rule set from sources; rules with errors are left out and reported. */
export function buildRuleSet(sources: RuleSource[], serviceFiles: { file: string; yaml: string }[]): RuleSetLoadResult {
  const errors: RuleLoadError[] = [];
  const rules: Rule[] = [];
  const byId = new Map<string, Rule>();
  for (const source of sources) {
    const { rule, error } = loadRule(source);
    if (error) {
      errors.push(error);
      continue;
    }
    if (!rule) {
      continue;
    }
    if (byId.has(rule.id)) {
      errors.push({ file: `rules/${source.folder}/rule.yaml`, message: `id: "${rule.id}" is used by another rule` });
      continue;
    }
    rules.push(rule);
    byId.set(rule.id, rule);
    for (const alias of rule.aliases ?? []) {
      if (!byId.has(alias)) {
        byId.set(alias, rule);
      }
    }
  }
  const { services, errors: serviceErrors } = loadServices(serviceFiles);
  errors.push(...serviceErrors);
  return { ruleSet: { rules, byId, services }, errors };
}

let bundled: RuleSetLoadResult | undefined;

/** The catalog bundled at build time (loaded once). */
export function loadBundledRuleSet(): RuleSet {
  return loadBundledRuleSetWithErrors().ruleSet;
}

/** The bundled catalog with the problems met loading it (the build fails on them; this is for diagnostics). */
export function loadBundledRuleSetWithErrors(): RuleSetLoadResult {
  bundled ??= buildRuleSet(bundledRules, bundledServices);
  return bundled;
}
