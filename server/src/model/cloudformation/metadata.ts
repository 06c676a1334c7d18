/**
 * Suppressions that a CloudFormation resource declares as data in its `Metadata`: Onus's own
 * (`onus: { ignore: [{ id, reason, until }] }`) and the peers' (cfn_nag `rules_to_suppress`, cfn-lint
 * `config.ignore_checks`, checkov `skip`), read as written (no intrinsic functions are evaluated here).
 */
import { CfnNode } from '../../parse/cloudformation';
import type { DeclaredSuppression, PeerSuppression } from '../types';

/** The suppressions one resource declares. */
export interface MetadataSuppressions {
  declared: DeclaredSuppression[];
  peer: PeerSuppression[];
}

/** The items of a sequence node (a single non-sequence node counts as one item). */
function itemsOf(node: CfnNode | undefined): CfnNode[] {
  if (node === undefined) {
    return [];
  }
  return node.kind === 'sequence' ? node.items : [node];
}

/** Splits `a,b` and trims each part. */
function splitIds(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Reads the suppressions of a resource's `Metadata` node. */
export function lowerMetadataSuppressions(metadata: CfnNode | undefined): MetadataSuppressions {
  const declared: DeclaredSuppression[] = [];
  const peer: PeerSuppression[] = [];
  for (const item of itemsOf(CfnNode.get(CfnNode.get(metadata, 'onus'), 'ignore'))) {
    const asText = CfnNode.text(item);
    if (asText !== undefined) {
      declared.push({ ids: splitIds(asText), reason: '', span: item.span });
      continue;
    }
    const ids = [
      ...splitIds(CfnNode.text(CfnNode.get(item, 'id')) ?? ''),
      ...itemsOf(CfnNode.get(item, 'ids')).flatMap((n) => splitIds(CfnNode.text(n) ?? '')),
    ];
    if (ids.length === 0) {
      continue;
    }
    const until = CfnNode.text(CfnNode.get(item, 'until'));
    declared.push({
      ids,
      reason: CfnNode.text(CfnNode.get(item, 'reason')) ?? '',
      ...(until !== undefined ? { until } : {}),
      span: item.span,
    });
  }
  for (const item of itemsOf(CfnNode.get(CfnNode.get(metadata, 'cfn_nag'), 'rules_to_suppress'))) {
    const id = CfnNode.text(CfnNode.get(item, 'id')) ?? CfnNode.text(item);
    if (id !== undefined) {
      peer.push({ peer: 'cfn-nag', id: id.trim(), reason: CfnNode.text(CfnNode.get(item, 'reason')) ?? '' });
    }
  }
  peer.push(...cfnLintIgnores(metadata));
  for (const item of itemsOf(CfnNode.get(CfnNode.get(metadata, 'checkov'), 'skip'))) {
    const id = CfnNode.text(CfnNode.get(item, 'id')) ?? CfnNode.text(item);
    if (id !== undefined) {
      peer.push({ peer: 'checkov', id: id.trim(), reason: CfnNode.text(CfnNode.get(item, 'comment')) ?? '' });
    }
  }
  return { declared, peer };
}

/** cfn-lint's `Metadata: { cfn-lint: { config: { ignore_checks: [W3005] } } }` (on a resource or the template). */
export function cfnLintIgnores(metadata: CfnNode | undefined): PeerSuppression[] {
  const checks = CfnNode.get(CfnNode.get(CfnNode.get(metadata, 'cfn-lint'), 'config'), 'ignore_checks');
  const out: PeerSuppression[] = [];
  for (const item of itemsOf(checks)) {
    const id = CfnNode.text(item);
    if (id !== undefined) {
      out.push({ peer: 'cfn-lint', id: id.trim(), reason: '' });
    }
  }
  return out;
}
