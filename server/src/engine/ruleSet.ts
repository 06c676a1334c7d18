/**
 * The loaded rule catalog and services catalog.
 */
import type { Rule } from './rule';

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

/** One entry of the services catalog (`rules/services/<provider>.yaml`). */
export interface Service {
  id: string;
  provider: 'aws' | 'azure' | 'gcp';
  name: string;
  /** The provider's own classification: iaas, paas, saas, abstracted, container, serverless, database. */
  model: string;
  modelSource: string;
  resourceTypes: { terraform?: string[]; cloudformation?: string[]; bicep?: string[] };
  layers: Record<'data' | 'identity' | 'application' | 'network' | 'os' | 'physical', LayerOwnership>;
  sources: string[];
}
