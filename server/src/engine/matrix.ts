/**
 * The Responsibility Matrix: from the analyses of a set of units (the same analyses `onus scan` makes), the
 * inventory of services in use and, per service and layer, who owns it and how the customer's side stands: open
 * findings, responsibility gaps (a customer duty of the services catalog that nothing in the code fulfils and that
 * the provider does not cover by default), secure, or not checked.
 *
 * Invariants:
 * - Pure: reads only the analyses and the catalog it is given; knows nothing of LSP or the terminal.
 * - Three-valued like the rules: a duty is a gap only when it is known to be unfulfilled. A setting behind an
 *   unknown value, a companion resource that may or may not refer to the resource (through a variable), or a rule
 *   that could not decide make the duty undecided, never a gap.
 * - A resource declared once but analysed in several units (a local module scanned on its own and through its
 *   caller) is one resource; a duty is a gap on it only when it is a gap in every analysis that saw it.
 */
import type { Entry, Format, Model, Resource, Value } from '../model/types';
import { LineIndex } from '../text/lineIndex';
import { undecidedKey, type Analysis } from './analyze';
import { addressesOf, literalNames, namesAddress, referencedAddresses, type Truth } from './conditions';
import { isExcluded } from './config';
import { rulesFor, serviceOf } from './describe';
import { isNeverDeployed } from './evaluate';
import {
  MATRIX_LAYERS,
  MatrixData,
  type CellState,
  type DutyState,
  type MatrixCell,
  type MatrixFinding,
  type MatrixGap,
  type MatrixLayer,
  type MatrixProvider,
  type MatrixResource,
  type MatrixService,
} from './matrixData';
import { resolvePath, splitPath } from './paths';
import { Duty, Fulfilment, type RuleSet, type Service } from './ruleSet';
import type { Finding } from './types';

/** One analysed unit and which of its files the matrix reports (as `onus scan` reports findings). */
export interface MatrixUnit {
  analysis: Analysis;
  /** Whether resources and findings in this file belong to the matrix (a file that was asked for). */
  isReported: (file: string) => boolean;
}

/** Everything known about one resource declaration across the analyses that saw it. */
interface ResourceEntry {
  service: Service;
  resource: MatrixResource;
  findings: Map<string, MatrixFinding & { layer: MatrixLayer }>;
  suppressed: Map<string, MatrixLayer>;
  /** Layers where a rule ran and decided, or a duty is known fulfilled, on this resource. */
  checked: Set<MatrixLayer>;
  /** Per duty id, its state in each analysis that saw the resource. */
  duties: Map<string, DutyState[]>;
}

/** Builds the matrix from analysed units. `fileCount` is how many IaC files the scan read. */
export function buildMatrix(units: readonly MatrixUnit[], ruleSet: RuleSet, fileCount: number): MatrixData {
  const entries = new Map<string, ResourceEntry>();
  const unlisted = new Map<string, { type: string; format: Format; resources: Map<string, MatrixResource> }>();
  for (const unit of units) {
    const { analysis } = unit;
    const locate = locator(analysis.model);
    const isWanted = (file: string) => unit.isReported(file) && !isExcluded(analysis.config, file);
    const findingsOf = groupByResource(analysis.model, analysis.findings);
    const suppressedOf = groupByResource(analysis.model, analysis.suppressed);
    for (const resource of analysis.model.resources) {
      if (resource.kind !== 'resource' || !isWanted(resource.file) || isNeverDeployed(resource)) {
        continue;
      }
      const key = `${resource.file}\u0000${resource.span.start}`;
      const location = locate(resource.file, headerStart(resource));
      const shown: MatrixResource = { address: resource.address, type: resource.type, format: resource.format, ...location };
      const service = serviceOf(analysis.ruleSet, resource) ?? serviceOf(ruleSet, resource);
      if (!service) {
        const typeKey = `${resource.format}\u0000${resource.type}`;
        let group = unlisted.get(typeKey);
        if (!group) {
          group = { type: resource.type, format: resource.format, resources: new Map() };
          unlisted.set(typeKey, group);
        }
        group.resources.set(key, shown);
        continue;
      }
      let entry = entries.get(key);
      if (!entry) {
        entry = { service, resource: shown, findings: new Map(), suppressed: new Map(), checked: new Set(), duties: new Map() };
        entries.set(key, entry);
      }
      const found = (findingsOf.get(resource) ?? []).filter((f) => isWanted(f.file));
      for (const f of found) {
        const at = locate(f.file, f.span.start);
        const findingKey = `${f.ruleId}\u0000${f.file}\u0000${at.line}\u0000${at.column}\u0000${f.message}`;
        entry.findings.set(findingKey, {
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          resource: f.resource,
          ...at,
          layer: f.layer,
        });
        entry.checked.add(f.layer);
      }
      const accepted = suppressedOf.get(resource) ?? [];
      for (const f of accepted) {
        entry.suppressed.set(`${f.ruleId}\u0000${f.file}\u0000${f.span.start}`, f.layer);
      }
      const undecided = analysis.undecided.get(undecidedKey(resource)) ?? new Set<string>();
      const applicable = new Set<string>();
      for (const { rule } of rulesFor(analysis.ruleSet, resource)) {
        if (analysis.ranRules.has(rule.id)) {
          applicable.add(rule.id);
          if (!undecided.has(rule.id)) {
            entry.checked.add(rule.layer);
          }
        }
      }
      for (const duty of service.duties ?? []) {
        if (!Duty.isAbout(duty, resource)) {
          continue;
        }
        const state = dutyState(duty, resource, analysis.model, {
          firing: new Set(found.map((f) => f.ruleId)),
          accepted: new Set(accepted.map((f) => f.ruleId)),
          applicable,
          undecided,
        });
        if (state === 'fulfilled' || state === 'accepted') {
          entry.checked.add(duty.layer);
        }
        entry.duties.set(duty.id, [...(entry.duties.get(duty.id) ?? []), state]);
      }
    }
  }
  return assemble(entries, unlisted, fileCount);
}

/** What the rules said about one resource, for {@link dutyState}. */
interface RuleOutcome {
  /** Rules with a reported finding on the resource. */
  firing: ReadonlySet<string>;
  /** Rules whose finding on the resource is suppressed in the code. */
  accepted: ReadonlySet<string>;
  /** Rules that ran and target the resource's type. */
  applicable: ReadonlySet<string>;
  /** Rules that could not decide on the resource. */
  undecided: ReadonlySet<string>;
}

/**
 * How a duty stands on one resource in one analysis (the services catalog's definition, `rules/schema`): open when
 * one of its rules reports a finding on the resource; accepted when that finding is suppressed in the code;
 * fulfilled when one of its rules evaluated the resource without a finding, or something of its `fulfilledBy` is
 * present; the provider's when it covers the duty by default; otherwise a gap. Undecided instead of a gap when a rule
 * could not decide or a setting or companion cannot be seen through an unknown value, and when the catalog names
 * neither a rule nor a fulfilment for the resource's language (Onus would have no way to see the duty fulfilled).
 */
export function dutyState(duty: Duty, resource: Resource, model: Model, outcome: RuleOutcome): DutyState {
  const rules = duty.rules ?? [];
  if (rules.some((id) => outcome.firing.has(id))) {
    return 'open';
  }
  if (rules.some((id) => outcome.accepted.has(id))) {
    return 'accepted';
  }
  const ran = rules.filter((id) => outcome.applicable.has(id));
  if (ran.some((id) => !outcome.undecided.has(id))) {
    return 'fulfilled';
  }
  const ways = duty.fulfilledBy?.[resource.format] ?? [];
  let sawUnknown = ran.length > 0;
  for (const way of ways) {
    const parsed = Fulfilment.parse(way);
    const truth = parsed.kind === 'resource' ? hasCompanion(resource, parsed.type, model) : hasSetting(resource, way);
    if (truth === true) {
      return 'fulfilled';
    }
    if (truth === undefined) {
      sawUnknown = true;
    }
  }
  if (duty.providerDefault) {
    return 'provider-default';
  }
  return sawUnknown || (ways.length === 0 && ran.length === 0) ? 'undecided' : 'gap';
}

/**
 * Whether a setting path is present on the resource's body, set to something other than false, null, 0, "", an
 * empty list or an empty block (unknown when an unknown value hides it or is its value).
 */
function hasSetting(resource: Resource, path: string): Truth {
  const result = resolvePath({ value: resource.body, chain: [] }, splitPath(path));
  let sawUnknown = result.isBlockedByUnknown;
  for (const hit of result.hits) {
    const value = hit.value;
    if (value.kind === 'unknown') {
      sawUnknown = true;
    } else if (
      (value.kind === 'scalar' && value.value !== false && value.value !== null && value.value !== 0 && value.value !== '') ||
      (value.kind === 'array' && value.items.length > 0) ||
      (value.kind === 'object' && value.entries.length > 0)
    ) {
      return true;
    }
  }
  return sawUnknown ? undefined : false;
}

/**
 * Whether a resource of `type` in the same module is linked to `resource`: true when the resource names it, or a
 * value anywhere in its body names the resource (its address in a reference or `Ref`, its literal name, a Bicep `scope:` or `parent:`), or when it is a
 * Bicep child declared inside it. A companion that names a sibling of the resource (another resource of its type)
 * belongs to that sibling. One that names neither, but holds a value the model cannot resolve (a variable, a
 * parameter), may be linked: unknown. Linking goes through references only, never through "the unit has one".
 */
export function hasCompanion(resource: Resource, type: string, model: Model): Truth {
  const same = resource.modulePath.join('/');
  const siblings = model.resources.filter(
    (r) => r !== resource && r.type === resource.type && r.modulePath.join('/') === same,
  );
  let sawUnknown = false;
  for (const other of model.resources) {
    if (other === resource || other.modulePath.join('/') !== same || !isOfType(type, other)) {
      continue;
    }
    if (other.format === 'bicep' && other.address.startsWith(`${resource.address}::`)) {
      return true;
    }
    // The other direction: the resource names the companion (an instance's profile, a bucket's log target).
    const back = { names: false, namesSibling: false, hasUnknown: false };
    scanReferences(resource.body, other, [], model, back, 0);
    if (back.names) {
      return true;
    }
    const seen = { names: false, namesSibling: false, hasUnknown: false };
    scanReferences(other.body, resource, siblings, model, seen, 0);
    if (seen.names) {
      return true;
    }
    if (!seen.namesSibling && seen.hasUnknown) {
      sawUnknown = true;
    }
  }
  return sawUnknown ? undefined : false;
}

/** Whether `type` names the other resource's type (Bicep types compare without case; the API version is apart). */
function isOfType(type: string, other: Resource): boolean {
  return other.format === 'bicep' ? other.type.toLowerCase() === type.toLowerCase() : other.type === type;
}

/** Whether a value names a resource: a reference to its address, or a string equal to its literal name. */
function valueNames(value: Value, resource: Resource): boolean {
  if (value.kind === 'scalar') {
    return typeof value.value === 'string' && literalNames(resource).includes(value.value);
  }
  return value.kind === 'unknown' && value.references.some((r) => namesAddress(r, resource.address));
}

/** Walks a companion's body, noting whether it names the resource, a sibling, or holds an unresolved value. */
function scanReferences(
  value: Value,
  resource: Resource,
  siblings: readonly Resource[],
  model: Model,
  seen: { names: boolean; namesSibling: boolean; hasUnknown: boolean },
  depth: number,
): void {
  if (depth > 32 || seen.names) {
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
      value.items.forEach((item) => scanReferences(item, resource, siblings, model, seen, depth + 1));
      return;
    case 'object':
      value.entries.forEach((e: Entry) => scanReferences(e.value, resource, siblings, model, seen, depth + 1));
      return;
    case 'unknown': {
      if (value.partial) {
        scanReferences(value.partial, resource, siblings, model, seen, depth + 1);
      }
      for (const a of value.alternatives ?? []) {
        if (a.value) {
          scanReferences(a.value, resource, siblings, model, seen, depth + 1);
        }
      }
      // A reference to another resource of the module is known not to be this one; anything else (a variable, a
      // parameter, a module output) might be.
      const addresses = addressesOf(model, resource.modulePath);
      const isResolvedElsewhere =
        value.references.length > 0 && value.references.every((r) => referencedAddresses(r).some((a) => addresses.has(a)));
      if (!isResolvedElsewhere && !value.partial && !value.alternatives) {
        seen.hasUnknown = true;
      }
    }
  }
}

/** Where the resource's header starts (its name, or a CloudFormation logical id). */
function headerStart(resource: Resource): number {
  return (resource.headerSpan ?? resource.body.block?.headerSpan ?? resource.span).start;
}

/** A function from file and offset to a 1-based line and column, over the model's texts. */
function locator(model: Model): (file: string, offset: number) => { file: string; line: number; column: number } {
  const indexes = new Map<string, LineIndex>();
  const texts = new Map(model.files.map((f) => [f.path, f.text]));
  return (file, offset) => {
    let index = indexes.get(file);
    if (!index) {
      index = new LineIndex(texts.get(file) ?? '');
      indexes.set(file, index);
    }
    const position = index.positionAt(offset);
    return { file, line: position.line + 1, column: position.character + 1 };
  };
}

/**
 * Findings grouped by the resource they are on: the resource with the finding's address whose declaration holds
 * the finding, else the first with that address (a value resolved from a variable's default in another file).
 */
function groupByResource<T extends Finding>(model: Model, findings: readonly T[]): Map<Resource, T[]> {
  const byAddress = new Map<string, Resource[]>();
  for (const r of model.resources) {
    byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r]);
  }
  const out = new Map<Resource, T[]>();
  for (const f of findings) {
    const candidates = byAddress.get(f.resource) ?? [];
    const holder =
      candidates.find((r) => r.file === f.file && r.span.start <= f.span.start && f.span.end <= r.span.end) ?? candidates[0];
    if (holder) {
      out.set(holder, [...(out.get(holder) ?? []), f]);
    }
  }
  return out;
}

/** The state of a duty on a resource across its analyses: a gap only when it is one in all of them. */
function combinedDutyState(states: DutyState[]): DutyState {
  for (const s of ['open', 'accepted', 'fulfilled', 'undecided', 'provider-default'] as const) {
    if (states.includes(s)) {
      return s;
    }
  }
  return 'gap';
}

const byLocation = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

/** Groups the resource entries into providers, services and cells. */
function assemble(
  entries: Map<string, ResourceEntry>,
  unlisted: Map<string, { type: string; format: Format; resources: Map<string, MatrixResource> }>,
  fileCount: number,
): MatrixData {
  const byService = new Map<string, ResourceEntry[]>();
  for (const entry of entries.values()) {
    byService.set(entry.service.id, [...(byService.get(entry.service.id) ?? []), entry]);
  }
  const cellCounts: Record<CellState, number> = { open: 0, gap: 0, secure: 0, unchecked: 0, provider: 0 };
  const providers = new Map<MatrixProvider['id'], MatrixService[]>();
  let openFindings = 0;
  let gapCount = 0;
  for (const list of byService.values()) {
    const service = list[0]!.service;
    const duties = service.duties ?? [];
    const cells: MatrixCell[] = MATRIX_LAYERS.map((layer) => {
      const ownership = service.layers[layer];
      const findings = list
        .flatMap((e) => [...e.findings.values()])
        .filter((f) => f.layer === layer)
        .map(({ layer: _layer, ...f }) => f)
        .sort((a, b) => byLocation(a, b) || a.ruleId.localeCompare(b.ruleId));
      const gaps: MatrixGap[] = [];
      const summaries = duties
        .filter((d) => d.layer === layer)
        .map((duty) => {
          const counts: Partial<Record<DutyState, number>> = {};
          for (const e of list) {
            const states = e.duties.get(duty.id);
            if (!states) {
              continue; // The duty is not about this resource (a companion of the service's principal resource).
            }
            const state = combinedDutyState(states);
            counts[state] = (counts[state] ?? 0) + 1;
            if (state === 'gap') {
              gaps.push({
                dutyId: duty.id,
                duty: duty.name,
                resource: e.resource.address,
                resourceType: e.resource.type,
                fulfilledBy: duty.fulfilledBy?.[e.resource.format] ?? [],
                ...(duty.note ? { note: duty.note } : {}),
                file: e.resource.file,
                line: e.resource.line,
                column: e.resource.column,
              });
            }
          }
          return { id: duty.id, name: duty.name, providerDefault: duty.providerDefault, counts };
        })
        // A duty about none of the resources in use (its types are not here) says nothing.
        .filter((d) => Object.keys(d.counts).length > 0);
      gaps.sort((a, b) => byLocation(a, b) || a.dutyId.localeCompare(b.dutyId));
      const suppressed = list.reduce((n, e) => n + [...e.suppressed.values()].filter((l) => l === layer).length, 0);
      const isChecked = list.some((e) => e.checked.has(layer));
      const state: CellState =
        findings.length > 0
          ? 'open'
          : gaps.length > 0
            ? 'gap'
            : ownership.owner === 'provider'
              ? 'provider'
              : isChecked
                ? 'secure'
                : 'unchecked';
      cellCounts[state]++;
      openFindings += findings.length;
      gapCount += gaps.length;
      return {
        layer,
        owner: ownership.owner,
        ...(ownership.note ? { note: ownership.note } : {}),
        state,
        findings,
        gaps,
        duties: summaries,
        suppressed,
      };
    });
    const row: MatrixService = {
      id: service.id,
      name: service.name,
      model: service.model,
      sources: service.sources,
      resources: list.map((e) => e.resource).sort(byLocation),
      cells,
    };
    providers.set(service.provider, [...(providers.get(service.provider) ?? []), row]);
  }
  const order: MatrixProvider['id'][] = ['aws', 'azure', 'gcp'];
  const providerRows = order
    .filter((id) => providers.has(id))
    .map((id) => ({
      id,
      name: MatrixData.providerTitle(id),
      services: providers.get(id)!.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    }));
  return {
    version: 1,
    layers: [...MATRIX_LAYERS],
    providers: providerRows,
    unlisted: [...unlisted.values()]
      .map((u) => ({ type: u.type, format: u.format, resources: [...u.resources.values()].sort(byLocation) }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    summary: {
      files: fileCount,
      services: providerRows.reduce((n, p) => n + p.services.length, 0),
      resources: entries.size,
      openFindings,
      gaps: gapCount,
      cells: cellCounts,
    },
  };
}
