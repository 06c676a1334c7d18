/**
 * Where the customer's duties of the services catalog stand on one resource, for hovers and code lenses: open (a
 * rule of the duty reports a finding there), accepted (that finding is suppressed), secure (a rule of the duty checked
 * the resource without a finding, or a setting or companion resource of `fulfilledBy` is present), covered by the
 * provider's default, a responsibility gap (nothing fulfils it), or unknown (a value the model cannot resolve hides it).
 *
 * Invariant: pure, over an analysis already computed; it never guesses a value the model left unknown.
 */
import { type Model, type Resource, type Value } from '../model/types';
import type { Analysis } from './analyze';
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

/** The duties of `service` that are about `resource`, each with its status, in catalog order. */
export function resourceDuties(analysis: Analysis, ruleSet: RuleSet, service: Service, resource: Resource): ResourceDuty[] {
  const findings = analysis.findings.filter((f) => f.file === resource.file && f.resource === resource.address);
  const suppressed = analysis.suppressed.filter((f) => f.file === resource.file && f.resource === resource.address);
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
    const applicable = [...ids].some((id) => {
      const rule = ruleSet.byId.get(id);
      return (rule?.match[resource.format] ?? []).some(
        (t) => t.dataSources !== true && t.resources.some((p) => typeMatches(p, resource.type, resource.format)),
      );
    });
    if (applicable) {
      out.push({ ...base, status: 'secure' });
      continue;
    }
    const found = fulfilment(resource, analysis.model, fulfilledBy);
    if (found.with !== undefined) {
      out.push({ ...base, status: 'secure', fulfilledWith: found.with });
    } else if (duty.providerDefault) {
      out.push({ ...base, status: 'provider' });
    } else if (found.isUnknown || fulfilledBy.length === 0) {
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
      return value.entries.length > 0 || value.block !== undefined;
    case 'unknown':
      return false;
  }
}

/**
 * Whether a resource of `type` in the same module refers to `resource` (a reference to its address, a CloudFormation
 * `Ref`/`GetAtt`, its literal name) or is a Bicep child declared inside it; undefined when none does but one holds a
 * value the model cannot resolve.
 */
function hasCompanion(resource: Resource, type: string, model: Model): boolean | undefined {
  const module = resource.modulePath.join('/');
  let isUnknown = false;
  for (const other of model.resources) {
    if (other === resource || other.modulePath.join('/') !== module || !typeMatches(type, other.type, other.format)) {
      continue;
    }
    if (other.format === 'bicep' && other.address.startsWith(`${resource.address}::`)) {
      return true;
    }
    const seen = { names: false, hasUnknown: false };
    scan(other.body, resource, seen, 0);
    if (seen.names) {
      return true;
    }
    isUnknown ||= seen.hasUnknown;
  }
  return isUnknown ? undefined : false;
}

function scan(value: Value, resource: Resource, seen: { names: boolean; hasUnknown: boolean }, depth: number): void {
  if (seen.names || depth > 32) {
    return;
  }
  switch (value.kind) {
    case 'unknown':
      if (value.references.some((r) => namesResource(r, resource))) {
        seen.names = true;
      } else if (value.references.some((r) => r.startsWith('var.') || r.startsWith('Ref:') || r.startsWith('param'))) {
        seen.hasUnknown = true;
      }
      if (value.partial) {
        scan(value.partial, resource, seen, depth + 1);
      }
      return;
    case 'scalar':
      if (typeof value.value === 'string' && (value.value === resource.name || value.value === resource.address)) {
        seen.names = true;
      }
      return;
    case 'array':
      value.items.forEach((item) => scan(item, resource, seen, depth + 1));
      return;
    case 'object':
      value.entries.forEach((entry) => scan(entry.value, resource, seen, depth + 1));
      return;
  }
}

/** Whether a reference (`aws_s3_bucket.logs.id`, `Ref:Logs`, `GetAtt:Logs.Arn`, `stg.id`) names the resource. */
function namesResource(reference: string, resource: Resource): boolean {
  const bare = reference.replace(/^(Ref|GetAtt|Fn::GetAtt):/, '');
  return bare === resource.address || bare.startsWith(`${resource.address}.`) || bare.startsWith(`${resource.address}[`);
}
