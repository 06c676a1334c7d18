/**
 * What AWS's resource specification says about the CloudFormation resource type or property under the cursor, as
 * hover markdown below Onus's own description: the documentation's first paragraph, the property's type, whether it
 * is required, whether changing it replaces the resource, and a link to AWS's page.
 *
 * Invariant: pure over a {@link Description} and the {@link CfnSpec}; a type or property the specification does not
 * know gives nothing.
 */
import { specDocsUrl, type CfnSpec } from './cfnSpec';
import type { Description } from './describe';

/** The specification's documentation for a hover description, or undefined when it has none. */
export function renderSpecDescription(description: Description, spec: CfnSpec): string | undefined {
  const resource = description.resource;
  if (resource.format !== 'cloudformation') {
    return undefined;
  }
  if (description.kind === 'resource') {
    const ref = spec.resource(resource.type);
    if (!ref) {
      return undefined;
    }
    const lines = [`**${resource.type}** (AWS resource specification)`];
    if (ref.type.doc) {
      lines.push('', ref.type.doc);
    }
    lines.push('', `[AWS documentation](${specDocsUrl(ref)})`);
    return lines.join('\n');
  }
  const keys = description.path.split('.');
  const found = spec.propertyAt(resource.type, keys);
  if (!found) {
    return undefined;
  }
  const { owner, name, property } = found;
  const facts = [`\`${property.type}\``, property.required ? 'required' : 'optional'];
  if (property.replaces === 'yes') {
    facts.push('changing it replaces the resource');
  } else if (property.replaces === 'maybe') {
    facts.push('changing it may replace the resource');
  }
  if (property.deprecated) {
    facts.push('deprecated');
  }
  const where = owner.key === undefined ? resource.type : `${owner.type.name ?? ''} (${resource.type})`;
  const lines = [`**${name}** of ${where} · ${facts.join(' · ')}`];
  if (property.doc) {
    lines.push('', property.doc);
  }
  lines.push('', `[AWS documentation](${specDocsUrl(owner, name)})`);
  return lines.join('\n');
}
