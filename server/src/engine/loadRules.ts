/**
 * Loads and validates the rule catalog and the services catalog: from the texts bundled at build time, or from a
 * folder on disk (custom rules, tests). A malformed rule is a clear error naming its file and field, never a crash.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import ruleSchema from '../../../rules/schema/rule.schema.json';
import servicesSchema from '../../../rules/schema/services.schema.json';
import type { CheckFunction } from './check';
import { bundledRules, bundledServices } from './generated/bundledRules';
import type { Condition, FixIntent, Rule } from './rule';
import { nestedQuantifier } from './regexSafety';
import type { RuleSet, Service } from './ruleSet';
import type { Provider, SourceProblem } from './types';
import { fieldName, splitInstancePath, YamlSource, type YamlPathSegment } from './yamlSource';

/** A problem loading one rule or services file, with its line and field. */
export type RuleLoadError = SourceProblem;

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
  /** The path errors name; defaults to `rules/<folder>/rule.yaml`. */
  file?: string;
  /** A team's own rule from a folder `.onus.yaml` names: data only, so a target may not use `check`. */
  isCustom?: boolean;
  /** The YAML's data, parsed at build time (the bundled catalog); the text is then parsed only to locate a problem. */
  data?: unknown;
  /** Whether `data` passed the rule schema at build time, so it is not validated again. */
  isValidated?: boolean;
}

/** A services catalog file: its text, and for the bundled catalog its data parsed (and validated) at build time. */
export interface ServicesSource {
  file: string;
  yaml: string;
  data?: unknown;
  isValidated?: boolean;
}

let validateRule: ValidateFunction | undefined;
let validateService: ValidateFunction | undefined;

/** Validates one services catalog entry against `services.schema.json`'s `service` definition. */
function serviceValidator(): ValidateFunction {
  if (!validateService) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    ajv.addSchema(servicesSchema, 'services.schema.json');
    validateService = ajv.compile({ $ref: 'services.schema.json#/definitions/service' });
  }
  return validateService;
}

function ruleValidator(): ValidateFunction {
  if (!validateRule) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    validateRule = ajv.compile(ruleSchema);
  }
  return validateRule;
}

/** Ajv's most specific error as the path it is about, a `field: problem` message and whether it names a key. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): {
  path: YamlPathSegment[];
  message: string;
  isKey: boolean;
} {
  if (!errors || errors.length === 0) {
    return { path: [], message: '(root): does not match the schema', isKey: false };
  }
  const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0]!;
  const path = splitInstancePath(deepest.instancePath);
  if (deepest.keyword === 'additionalProperties') {
    const property = String((deepest.params as { additionalProperty?: string }).additionalProperty);
    return { path: [...path, property], message: `${fieldName([...path, property])}: is not a known field`, isKey: true };
  }
  const extra =
    deepest.keyword === 'enum'
      ? ` (${((deepest.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
      : '';
  return { path, message: `${fieldName(path)}: ${deepest.message ?? 'is invalid'}${extra}`, isKey: false };
}

/** Checks the regular expressions of a condition compile; returns the first error with its path. */
function checkRegexes(
  condition: Condition | undefined,
  path: YamlPathSegment[],
): { path: YamlPathSegment[]; message: string } | undefined {
  if (!condition) {
    return undefined;
  }
  if ('all' in condition) {
    for (const [i, c] of condition.all.entries()) {
      const e = checkRegexes(c, [...path, 'all', i]);
      if (e) {
        return e;
      }
    }
    return undefined;
  }
  if ('any' in condition) {
    for (const [i, c] of condition.any.entries()) {
      const e = checkRegexes(c, [...path, 'any', i]);
      if (e) {
        return e;
      }
    }
    return undefined;
  }
  if ('not' in condition) {
    return checkRegexes(condition.not, [...path, 'not']);
  }
  if ('related' in condition) {
    return checkRegexes(condition.related.where, [...path, 'related', 'where']);
  }
  for (const key of ['matches', 'notMatches'] as const) {
    const pattern = condition[key];
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
      } catch (e) {
        return {
          path: [...path, key],
          message: `${fieldName(path)}: invalid regular expression "${pattern}": ${(e as Error).message}`,
        };
      }
      const unsafe = nestedQuantifier(pattern);
      if (unsafe !== undefined) {
        return { path: [...path, key], message: `${fieldName(path)}: the regular expression "${pattern}" could take exponential time: ${unsafe}` };
      }
    }
  }
  return undefined;
}

/** Checks the regular expressions of a fix's `requires`, and of the fixes offered `otherwise` (a short chain). */
function checkFixRegexes(fix: FixIntent | undefined, path: YamlPathSegment[]): { path: YamlPathSegment[]; message: string } | undefined {
  let at = path;
  for (let current = fix, depth = 0; current && depth < 8; current = current.otherwise, depth++) {
    const e = checkRegexes(current.requires, [...at, 'requires']);
    if (e) {
      return e;
    }
    at = [...at, 'otherwise'];
  }
  return undefined;
}

/** Parses and validates one rule; returns the rule or an error naming the file, the line and the field. */
export function loadRule(source: RuleSource): { rule?: Rule; error?: RuleLoadError } {
  const file = source.file ?? `rules/${source.folder}/rule.yaml`;
  const yaml = new YamlSource(file, source.yaml, source.data);
  const syntaxError = yaml.syntaxError;
  if (syntaxError) {
    return { error: syntaxError };
  }
  const data = yaml.data();
  const validate = source.isValidated ? undefined : ruleValidator();
  if (validate && !validate(data)) {
    const { path, message, isKey } = describeSchemaError(validate.errors);
    return { error: yaml.problemAt(path, message, { isKey }) };
  }
  const raw = data as Omit<Rule, 'provider' | 'folder' | 'checkFunction'>;
  const folderName = source.folder.split(/[\\/]/).pop();
  if (folderName !== raw.id) {
    return { error: yaml.problemAt(['id'], `id: "${raw.id}" does not match its folder name "${folderName ?? ''}"`) };
  }
  for (const [format, targets] of Object.entries(raw.match)) {
    for (const [i, target] of (targets ?? []).entries()) {
      const where: YamlPathSegment[] = ['match', format, i];
      const regexError =
        checkRegexes(target.when, [...where, 'when']) ??
        checkRegexes(target.unless, [...where, 'unless']) ??
        checkFixRegexes(target.fix, [...where, 'fix']);
      if (regexError) {
        return { error: yaml.problemAt(regexError.path, regexError.message) };
      }
      if (target.check && source.isCustom) {
        return {
          error: yaml.problemAt([...where, 'check'], `${fieldName([...where, 'check'])}: custom rules are data only; use when`),
        };
      }
      if (target.check && !source.check) {
        return {
          error: yaml.problemAt([...where, 'check'], `${fieldName([...where, 'check'])}: the rule has no rule.ts exporting check()`),
        };
      }
    }
  }
  const rule: Rule = {
    ...raw,
    references: raw.references ?? {},
    provider: raw.id.split('-')[0] as Provider,
    folder: source.folder,
    ...(source.check && !source.isCustom ? { checkFunction: source.check } : {}),
    ...(source.isCustom ? { isCustom: true } : {}),
  };
  return { rule };
}

/**
 * Parses the services catalog files, each entry validated against `services.schema.json` (and its duty ids checked
 * for uniqueness); a malformed entry is reported with its line and field, and skipped.
 */
export function loadServices(files: ServicesSource[]): { services: Service[]; errors: RuleLoadError[] } {
  const services: Service[] = [];
  const errors: RuleLoadError[] = [];
  const seen = new Set<string>();
  for (const { file, yaml: text, data, isValidated } of files) {
    // The schema is compiled only for a file that was not validated at build time.
    const validate: ((entry: unknown) => boolean) & { errors?: ErrorObject[] | null } = isValidated ? () => true : serviceValidator();
    const yaml = new YamlSource(`rules/${file}`, text, data);
    const syntaxError = yaml.syntaxError;
    if (syntaxError) {
      errors.push(syntaxError);
      continue;
    }
    const list = (yaml.data() as { services?: unknown } | null)?.services;
    if (!Array.isArray(list)) {
      errors.push(yaml.problemAt(['services'], 'services: expected a list'));
      continue;
    }
    list.forEach((entry: unknown, i) => {
      if (!validate(entry)) {
        const { path, message, isKey } = describeSchemaError(validate.errors);
        const full = ['services', i, ...path];
        errors.push(yaml.problemAt(full, `${fieldName(full)}${message.slice(message.indexOf(':'))}`, { isKey }));
        return;
      }
      const service = entry as Service;
      if (seen.has(service.id)) {
        errors.push(yaml.problemAt(['services', i, 'id'], `services.${i}.id: "${service.id}" is listed twice`));
        return;
      }
      const dutyIds = new Set<string>();
      for (const [j, duty] of (service.duties ?? []).entries()) {
        if (dutyIds.has(duty.id)) {
          errors.push(yaml.problemAt(['services', i, 'duties', j, 'id'], `services.${i}.duties.${j}.id: "${duty.id}" is listed twice in ${service.id}`));
        }
        dutyIds.add(duty.id);
      }
      seen.add(service.id);
      services.push({ ...service, duties: service.duties ?? [] });
    });
  }
  return { services, errors };
}

/** Builds a rule set from sources; rules with errors are left out and reported. */
export function buildRuleSet(sources: RuleSource[], serviceFiles: ServicesSource[]): RuleSetLoadResult {
  const { services, errors: serviceErrors } = loadServices(serviceFiles);
  const { ruleSet, errors } = addRules({ rules: [], byId: new Map(), services }, sources);
  return { ruleSet, errors: [...errors, ...serviceErrors] };
}

/**
 * A rule set with more rules added (a team's custom rules on top of the catalog); a rule whose id or alias is taken
 * is left out and reported. The base rule set is not changed.
 */
export function addRules(base: RuleSet, sources: RuleSource[]): RuleSetLoadResult {
  const errors: RuleLoadError[] = [];
  const rules: Rule[] = [...base.rules];
  const byId = new Map(base.byId);
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
      const taken = byId.get(rule.id);
      const by = taken?.isCustom || !rule.isCustom ? 'another rule' : 'a built-in rule';
      errors.push(
        new YamlSource(source.file ?? `rules/${source.folder}/rule.yaml`, source.yaml).problemAt(['id'], `id: "${rule.id}" is used by ${by}`),
      );
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
  return { ruleSet: { rules, byId, services: base.services }, errors };
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
