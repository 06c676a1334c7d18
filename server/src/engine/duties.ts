/**
 * Where the customer's duties of the services catalog stand on one resource, for hovers and code lenses: open (a
 * rule of the duty reports a finding there), accepted (that finding is suppressed), secure (a rule of the duty checked
 * the resource without a finding, or a setting or companion resource of `fulfilledBy` is present), covered by the
 * provider's default, a responsibility gap (nothing fulfils it), or unknown (a value the model cannot resolve hides it).
 *
 * The Responsibility Matrix (`matrix.ts`), hovers and code lenses all read duties through this one function, so they
 * always agree.
 *
 * Invariant: pure, over an analysis already computed; it never guesses a value the model left unknown: a rule that
 * could not decide, a setting behind an unknown value, a companion that may name the resource through a variable, or
 * a duty with nothing to look for in the resource's language is `unknown`, never a gap.
 */
import { type Model, type Resource, type Value } from '../model/types';
import { undecidedKey, type Analysis } from './analyze';
import { addressesOf, literalNames, namesAddress, referencedAddresses } from './conditions';
import { resolvePath } from './paths';
import { Duty, Fulfilment, type RuleSet, type Service } from './ruleSet';
import { typeMatches } from './typeMatches';
import type { Finding, SuppressedFinding } from './types';

/** The state of one duty on one resource. */
export type DutyStatus = 'open' | 'accepted' | 'secure' | 'provider' | 'gap' | 'unknown';

/** One duty of the resource's service, with where it stands on the resource and why. */
export interface ResourceDuty {
  duty: Duty;
  status: DutyStatus;
  /** The findings of the duty's rules on the resource (for `open`), in source order. */
  findings: Finding[];
  /** The suppressed findings of the duty's rules on the resource (for `accepted`). */
  suppressed: SuppressedFinding[];
  /** What fulfils it in the resource's language (setting paths and `resource:<type>`), for a gap's explanation. */
  fulfilledBy: string[];
  /** The setting or companion type found to fulfil it (for `secure` without a rule). */
  fulfilledWith?: string;
}

/**
 * The duties of `service` that are about `resource`, each with its status, in catalog order. `on` gives the
 * resource's findings when the caller has already matched them (a finding whose value lies in another file).
 */
export function resourceDuties(
  analysis: Analysis,
  ruleSet: RuleSet,
  service: Service,
  resource: Resource,
  on?: { findings: readonly Finding[]; suppressed: readonly SuppressedFinding[] },
): ResourceDuty[] {
  const findings = on?.findings ?? analysis.findings.filter((f) => f.file === resource.file && f.resource === resource.address);
  const suppressed = on?.suppressed ?? analysis.suppressed.filter((f) => f.file === resource.file && f.resource === resource.address);
  const undecided = analysis.undecided.get(undecidedKey(resource));
  const out: ResourceDuty[] = [];
  for (const duty of service.duties) {
    if (!Duty.isAbout(duty, resource)) {
      continue;
    }
    const ids = new Set(duty.rules ?? []);
    const fulfilledBy = duty.fulfilledBy?.[resource.format] ?? [];
    const base = {
      duty,
      findings: findings.filter((f) => ids.has(f.ruleId)),
      suppressed: suppressed.filter((f) => ids.has(f.ruleId)),
      fulfilledBy,
    };
    if (base.findings.length > 0) {
      out.push({ ...base, status: 'open' });
      continue;
    }
    if (base.suppressed.length > 0) {
      out.push({ ...base, status: 'accepted' });
      continue;
    }
    // A rule of the duty that ran on the resource (selected by the configuration) and decided checked it.
    const applicable = [...ids].filter((id) => {
      const rule = ruleSet.byId.get(id) ?? analysis.ruleSet.byId.get(id);
      return (
        analysis.ranRules.has(id) &&
        (rule?.match[resource.format] ?? []).some(
          (t) => t.dataSources !== true && t.resources.some((p) => typeMatches(p, resource.type, resource.format)),
        )
      );
    });
    if (applicable.some((id) => !undecided?.has(id))) {
      out.push({ ...base, status: 'secure' });
      continue;
    }
    const found = fulfilment(resource, analysis.model, fulfilledBy);
    if (found.with !== undefined) {
      out.push({ ...base, status: 'secure', fulfilledWith: found.with });
    } else if (duty.providerDefault) {
      out.push({ ...base, status: 'provider' });
    } else if (found.isUnknown || applicable.length > 0 || fulfilledBy.length === 0) {
      out.push({ ...base, status: 'unknown' });
    } else {
      out.push({ ...base, status: 'gap' });
    }
  }
  return out;
}

/** The first of `ways` present for the resource, or whether an unknown value may hide one. */
function fulfilment(resource: Resource, model: Model, ways: readonly string[]): { with?: string; isUnknown: boolean } {
  let isUnknown = false;
  for (const way of ways) {
    const parsed = Fulfilment.parse(way);
    const truth = parsed.kind === 'setting' ? hasSetting(resource, parsed.path) : hasCompanion(resource, parsed.type, model);
    if (truth === true) {
      return { with: way, isUnknown: false };
    }
    isUnknown ||= truth === undefined;
  }
  return { isUnknown };
}

/** Whether a setting is present with a value other than false, null, 0, "", [] or {}; undefined when unknown. */
function hasSetting(resource: Resource, path: string[]): boolean | undefined {
  const result = resolvePath({ value: resource.body, chain: [] }, path);
  if (result.hits.some((hit) => isPresent(hit.value))) {
    return true;
  }
  if (result.hits.some((hit) => hit.value.kind === 'unknown') || result.isBlockedByUnknown) {
    return undefined;
  }
  return false;
}

function isPresent(value: Value): boolean {
  switch (value.kind) {
    case 'scalar':
      return value.value !== false && value.value !== null && value.value !== 0 && value.value !== '';
    case 'array':
      return value.items.length > 0;
    case 'object':
      return value.entries.length > 0;
    case 'unknown':
      return false;
  }
}

/**
 * Whether a resource of `type` in the same module is linked to `resource` by a reference in either direction: the
 * resource names it, or a value anywhere in its body names the resource (its address in a reference, a `Ref` or
 * `GetAtt`, its literal name, a Bicep `scope:` or `parent:`), or it is a Bicep child declared inside the resource.
 * A companion that names a sibling (another resource of the resource's type) is that sibling's. One that names
 * neither but holds a value the model cannot resolve (a variable, a parameter) may be linked: undefined.
 */
function hasCompanion(resource: Resource, type: string, model: Model): boolean | undefined {
  const module = resource.modulePath.join('/');
  const siblings = model.resources.filter((r) => r !== resource && r.type === resource.type && r.modulePath.join('/') === module);
  let isUnknown = false;
  for (const other of model.resources) {
    if (other === resource || other.modulePath.join('/') !== module || !typeMatches(type, other.type, other.format)) {
      continue;
    }
    if (other.format === 'bicep' && other.address.startsWith(`${resource.address}::`)) {
      return true;
    }
    const back = { names: false, namesSibling: false, hasUnknown: false };
    scan(resource.body, other, [], model, back, 0);
    if (back.names) {
      return true;
    }
    const seen = { names: false, namesSibling: false, hasUnknown: false };
    scan(other.body, resource, siblings, model, seen, 0);
    if (seen.names) {
      return true;
    }
    isUnknown ||= seen.hasUnknown && !seen.namesSibling;
  }
  return isUnknown ? undefined : false;
}

/** Whether a value names a resource: a reference to its address, or a string equal to its literal name. */
function valueNames(value: Value, resource: Resource): boolean {
  if (value.kind === 'scalar') {
    return typeof value.value === 'string' && literalNames(resource).includes(value.value);
  }
  return value.kind === 'unknown' && value.references.some((r) => namesAddress(r, resource.address));
}

/** Walks a body, noting whether it names the resource, a sibling of it, or holds a value that may name either. */
function scan(
  value: Value,
  resource: Resource,
  siblings: readonly Resource[],
  model: Model,
  seen: { names: boolean; namesSibling: boolean; hasUnknown: boolean },
  depth: number,
): void {
  if (seen.names || depth > 32) {
    return;
  }
  if (valueNames(value, resource)) {
    seen.names = true;
    return;
  }
  if (siblings.some((s) => valueNames(value, s))) {
    seen.namesSibling = true;
  }
  switch (value.kind) {
    case 'scalar':
      return;
    case 'array':
      value.items.forEach((item) => scan(item, resource, siblings, model, seen, depth + 1));
      return;
    case 'object':
      value.entries.forEach((entry) => scan(entry.value, resource, siblings, model, seen, depth + 1));
      return;
    case 'unknown': {
      if (value.partial) {
        scan(value.partial, resource, siblings, model, seen, depth + 1);
      }
      for (const a of value.alternatives ?? []) {
        if (a.value) {
          scan(a.value, resource, siblings, model, seen, depth + 1);
        }
      }
      // A reference to another resource of the module is known not to be this one; anything else (a variable, a
      // parameter, a module output) might be.
      const addresses = addressesOf(model, resource.modulePath);
      const isElsewhere = value.references.length > 0 && value.references.every((r) => referencedAddresses(r).some((x) => addresses.has(x)));
      if (!isElsewhere && !value.partial && !value.alternatives) {
        seen.hasUnknown = true;
      }
    }
  }
}
