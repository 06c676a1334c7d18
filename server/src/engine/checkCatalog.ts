/**
 * Cross-checks the rule catalog against the services catalog: the conventions the two schemas cannot state on their
 * own. Used by the catalog's tests and by `scripts/checkRules.ts`; the engine itself tolerates what it finds here.
 */
import type { Format } from '../model/types';
import type { Rule } from './rule';
import type { RuleSet, Service } from './ruleSet';
import { typeMatches } from './typeMatches';

const FORMATS: readonly Format[] = ['terraform', 'cloudformation', 'bicep'];

/** The catalog entry that lists a resource type of a format, from the catalog's own resource types only. */
export function catalogServiceOf(services: readonly Service[], format: Format, type: string): Service | undefined {
  return services.find((s) => (s.resourceTypes[format] ?? []).some((pattern) => typeMatches(pattern, type, format)));
}

/** Whether some type pattern of a rule's targets names a type of the service (patterns compared both ways). */
function ruleTouchesService(rule: Rule, service: Service): boolean {
  return FORMATS.some((format) =>
    (rule.match[format] ?? []).some((target) =>
      target.resources.some((type) =>
        (service.resourceTypes[format] ?? []).some(
          (pattern) => typeMatches(pattern, type, format) || typeMatches(type, pattern.replace(/\*$/, ''), format),
        ),
      ),
    ),
  );
}

/**
 * Every problem between the two catalogs, one sentence each: a rule naming a service the catalog lacks or that no
 * duty of its service names, a rule
 * target type no service lists, a duty naming a rule that does not exist or that checks none of the service's types,
 * a duty about a type its service does not list, a duty nothing could ever meet, a type two services both list.
 */
export function checkCatalog(ruleSet: RuleSet): string[] {
  const problems: string[] = [];
  const byId = new Map(ruleSet.services.map((s) => [s.id, s]));
  for (const rule of ruleSet.rules) {
    if (rule.deprecated || rule.isCustom) {
      continue;
    }
    const service = byId.get(rule.service);
    if (!service) {
      problems.push(`rule ${rule.id}: service ${rule.service} is not in the services catalog`);
    } else if (!service.duties.some((duty) => (duty.rules ?? []).includes(rule.id))) {
      problems.push(`rule ${rule.id}: no duty of ${rule.service} names it (hovers, code lenses and the matrix read findings through duties)`);
    }
    for (const format of FORMATS) {
      for (const target of rule.match[format] ?? []) {
        for (const type of target.resources) {
          if (!catalogServiceOf(ruleSet.services, format, type)) {
            problems.push(`rule ${rule.id}: ${format} type ${type} belongs to no service of the catalog`);
          }
        }
      }
    }
  }
  problems.push(...overlappingTypes(ruleSet.services));
  for (const service of ruleSet.services) {
    for (const duty of service.duties) {
      const where = `service ${service.id}, duty ${duty.id}`;
      for (const id of duty.rules ?? []) {
        const rule = ruleSet.byId.get(id);
        if (!rule) {
          problems.push(`${where}: rule ${id} does not exist`);
        } else if (rule.id !== id) {
          problems.push(`${where}: ${id} is an alias of ${rule.id}; name the rule by its id`);
        } else if (rule.service !== service.id && !ruleTouchesService(rule, service)) {
          problems.push(`${where}: rule ${id} checks none of the service's resource types`);
        }
      }
      for (const format of FORMATS) {
        for (const type of duty.appliesTo?.[format] ?? []) {
          if (!(service.resourceTypes[format] ?? []).some((pattern) => typeMatches(pattern, type, format))) {
            problems.push(`${where}: appliesTo names ${format} type ${type}, which the service does not list`);
          }
        }
        if (duty.fulfilledBy?.[format] && !(service.resourceTypes[format] ?? []).length) {
          problems.push(`${where}: fulfilledBy names ${format}, a language the service has no resource type in`);
        }
      }
      if (!duty.providerDefault && (duty.rules ?? []).length === 0 && !duty.fulfilledBy) {
        problems.push(`${where}: names no rule and nothing that fulfils it, so it could never be met`);
      }
    }
  }
  return problems;
}

/** Type patterns that two services both claim (a resource must belong to one service, whatever the catalog's order). */
function overlappingTypes(services: readonly Service[]): string[] {
  const problems: string[] = [];
  const strip = (pattern: string): string => pattern.replace(/\*$/, '');
  for (const format of FORMATS) {
    const claims = services.flatMap((s) => (s.resourceTypes[format] ?? []).map((pattern) => ({ service: s.id, pattern })));
    for (const [i, a] of claims.entries()) {
      for (const b of claims.slice(i + 1)) {
        if (a.service !== b.service && (typeMatches(a.pattern, strip(b.pattern), format) || typeMatches(b.pattern, strip(a.pattern), format))) {
          problems.push(`${format} types ${a.pattern} (${a.service}) and ${b.pattern} (${b.service}) overlap`);
        }
      }
    }
  }
  return problems;
}
