/**
 * The loaded rule catalog and services catalog.
 */
import type { Rule } from './rule';
import type { Format } from '../model/types';
import { typeMatches } from './typeMatches';
import type { Layer } from './types';

/** The rules and services the engine evaluates and hovers describe. */
export interface RuleSet {
  rules: Rule[];
  byId: Map<string, Rule>;
  services: Service[];
}

/** Who owns one layer of one service, with a note where the split is conditional. */
export interface LayerOwnership {
  owner: 'customer' | 'provider' | 'shared';
  note?: string;
}

/**
 * What fulfils a duty for a resource in one language: a setting path on the resource's body (keys joined by dots;
 * lists crossed implicitly; present means set to something other than false, null, 0, "", an empty list or an empty block), or
 * `resource:<type>`, a companion resource of that type linked to the resource by a reference in either direction.
 */
export type Fulfilment = string;

/**
 * One security duty of the customer for a resource of a service. Its state on a resource: open when one of `rules`
 * has a finding on it; secure when none has and something of `fulfilledBy` is present (or one of `rules` evaluated it
 * without a finding); provider-covered when `providerDefault` holds and nothing turned it off; otherwise a
 * responsibility gap.
 */
export interface Duty {
  /** Kebab case, unique within the service (`access-logging`). */
  id: string;
  /** A short noun phrase for people (`Access logging`). */
  name: string;
  layer: Layer;
  /**
   * Per language, the types of the service the duty is about (exact, or a prefix ending in `*`); a language left out
   * has none. Absent: every resource of the service. Companion types usually fulfil duties rather than have them.
   */
  appliesTo?: { terraform?: string[]; cloudformation?: string[]; bicep?: string[] };
  /** Whether the provider fulfils the duty unless the customer turns it off. */
  providerDefault: boolean;
  /** Ids of the rules that check this duty. */
  rules?: string[];
  /** Per language, the settings or companion resources that fulfil the duty. */
  fulfilledBy?: { terraform?: Fulfilment[]; cloudformation?: Fulfilment[]; bicep?: Fulfilment[] };
  note?: string;
}

/** One entry of the services catalog (`rules/services/<provider>.yaml`). */
export interface Service {
  id: string;
  provider: 'aws' | 'azure' | 'gcp';
  name: string;
  /** The provider's own classification: iaas, paas, saas, abstracted, container, serverless, database. */
  model: string;
  modelSource: string;
  /** How the service differs from the same kind of service at the other providers. */
  note?: string;
  resourceTypes: { terraform?: string[]; cloudformation?: string[]; bicep?: string[] };
  layers: Record<Layer, LayerOwnership>;
  /** The customer's duties for a resource of the service (every catalog entry has them; `[]` when none). */
  duties: Duty[];
  sources: string[];
}

/** Helpers for {@link Fulfilment}. */
export namespace Fulfilment {
  /** A fulfilment read: a setting path (split at dots) or a companion resource type. */
  export type Parsed = { kind: 'setting'; path: string[] } | { kind: 'resource'; type: string };

  /** Reads a fulfilment string (`logging`, `versioning.enabled`, `resource:aws_s3_bucket_logging`). */
  export function parse(fulfilment: Fulfilment): Parsed {
    return fulfilment.startsWith('resource:')
      ? { kind: 'resource', type: fulfilment.slice('resource:'.length) }
      : { kind: 'setting', path: fulfilment.split('.') };
  }
}

/** Helpers for {@link Duty}. */
export namespace Duty {
  /** Whether the duty is about a resource of its service with this format and type (its `appliesTo`, else all). */
  export function isAbout(duty: Duty, resource: { format: Format; type: string }): boolean {
    if (!duty.appliesTo) {
      return true;
    }
    return (duty.appliesTo[resource.format] ?? []).some((pattern) => typeMatches(pattern, resource.type, resource.format));
  }
}
