/**
 * gcp-vpc-firewall-public-all-ports: a google_compute_firewall ingress rule that is not disabled, whose source_ranges include 0.0.0.0/0 or ::/0,
 * and one of whose allow blocks reaches every port (all protocols, or TCP/UDP/SCTP with no ports or 0-65535).
 * Per allow block, because the protocol and its ports belong together: a declarative condition without `each` would
 * mix ports of one block with the protocol of another, and one with `each: allow` cannot see source_ranges.
 * Unknown values (variables without defaults, references) never fire. The finding points at the port item that
 * reaches the port, or at the protocol when the allow block opens every port of it.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Entry } from '../../../../server/src/model/types';

const PUBLIC_RANGES = new Set(['0.0.0.0/0', '::/0']);
const PORT: number | undefined = undefined;

/** A known scalar as a lower-case string, or undefined when it is absent or unknown. */
function text(entry: Entry | undefined): string | undefined {
  const value = entry?.value;
  return value?.kind === 'scalar' && value.value !== null ? String(value.value).toLowerCase() : undefined;
}

/** Whether a port item ("22", 22, "20-30") spans the given port, or (without one) every port. */
function portSpans(item: Value): boolean {
  if (item.kind !== 'scalar' || item.value === null) {
    return false;
  }
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(item.value));
  if (!m) {
    return false;
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return PORT === undefined ? from <= 1 && to >= 65535 : from <= PORT && to >= PORT;
}

/**
 * Whether one allow block reaches the port this rule is about (false when unknown), and where: the port item that
 * spans it, or the protocol when the block allows every port of it.
 */
function allowReaches(block: Value): { reaches: boolean; at?: Value } {
  const protocolEntry = Value.entry(block, 'protocol');
  const protocol = text(protocolEntry);
  if (protocol === 'all') {
    return { reaches: true, at: protocolEntry?.value };
  }
  const portBased = PORT === undefined ? ['tcp', 'udp', 'sctp', '6', '17', '132'] : ['tcp', '6'];
  if (protocol === undefined || !portBased.includes(protocol)) {
    return { reaches: false };
  }
  const ports = Value.entry(block, 'ports')?.value;
  if (ports === undefined || (ports.kind === 'array' && ports.items.length === 0)) {
    return { reaches: true, at: protocolEntry?.value };
  }
  const at = ports.kind === 'array' ? ports.items.find(portSpans) : undefined;
  return at ? { reaches: true, at } : { reaches: false };
}

export function check(ctx: CheckContext): void {
  const body = ctx.resource.body;
  const direction = Value.entry(body, 'direction');
  if (direction && text(direction) !== 'ingress') {
    return;
  }
  const disabled = Value.entry(body, 'disabled');
  if (disabled && text(disabled) !== 'false') {
    return;
  }
  const ranges = Value.entry(body, 'source_ranges')?.value;
  if (ranges?.kind !== 'array') {
    return;
  }
  const open = ranges.items.find((r) => r.kind === 'scalar' && typeof r.value === 'string' && PUBLIC_RANGES.has(r.value.trim()));
  if (!open || open.kind !== 'scalar') {
    return;
  }
  const hit = Value.entries(body, 'allow')
    .map((e) => allowReaches(e.value))
    .find((r) => r.reaches);
  if (hit) {
    // At what opens the port (a port item, or the protocol); the public source range is in the message.
    ctx.report({ at: hit.at ?? open, message: `Firewall rule allows every port from "${String(open.value)}"` });
  }
}
