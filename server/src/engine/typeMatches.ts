/**
 * Matching resource types against the type patterns of rule targets and `related` conditions.
 */
import type { Resource } from '../model/types';

/**
 * Whether a resource type matches a target's pattern (exact, or a prefix ending in `*`). Azure resource types are
 * case-insensitive (`networkWatchers/FlowLogs` is `networkWatchers/flowLogs`); Terraform and CloudFormation types
 * are not.
 */
export function typeMatches(pattern: string, type: string, format: Resource['format'] = 'terraform'): boolean {
  const [p, t] = format === 'bicep' ? [pattern.toLowerCase(), type.toLowerCase()] : [pattern, type];
  return p.endsWith('*') ? t.startsWith(p.slice(0, -1)) : p === t;
}
