/**
 * The Responsibility Matrix: from the analyses of a set of units (the same analyses `onus scan` makes), the
 * inventory of services in use and, per service and layer, who owns it and how the customer's side stands: open
 * findings, responsibility gaps (a customer duty of the services catalog that nothing in the code fulfils and that
 * the provider does not cover by default), secure, or not checked.
 *
 * Invariants:
 * - Pure: reads only the analyses and the catalog it is given; knows nothing of LSP or the terminal.
 * - Three-valued like the rules: a duty is a gap only when it is known to be unfulfilled (`duties.ts`, which hovers
 *   and code lenses read too, decides each duty on each resource). A setting behind an unknown value, a companion
 *   that may or may not refer to the resource (through a variable), or a rule that could not decide leave the duty
 *   unknown, never a gap.
 * - A resource declared once but analysed in several units (a local module scanned on its own and through its
 *   caller) is one resource; a duty is a gap on it only when it is a gap in every analysis that saw it.
 */
import type { Format, Model, Resource } from '../model/types';
import { LineIndex } from '../text/lineIndex';
import { undecidedKey, type Analysis } from './analyze';
import { isExcluded } from './config';
import { rulesFor, serviceOf } from './describe';
import { resourceDuties } from './duties';
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
import type { RuleSet, Service } from './ruleSet';
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

/**
 * What one unit contributes to the matrix: its resources with their findings, suppressions, checked layers and duty
 * states, keyed by declaration (file and offset), and the resources of types no service lists. Plain data (maps,
 * sets, strings, the catalog's service entries), so a part made in a worker thread can be sent to the main thread.
 */
export interface MatrixPart {
  entries: Map<string, ResourceEntry>;
  unlisted: Map<string, UnlistedGroup>;
}

/** The resources of one type that no service of the catalog lists. */
interface UnlistedGroup {
  type: string;
  format: Format;
  resources: Map<string, MatrixResource>;
}

/** Builds the matrix from analysed units. `fileCount` is how many IaC files the scan read. */
export function buildMatrix(units: readonly MatrixUnit[], ruleSet: RuleSet, fileCount: number): MatrixData {
  return mergeMatrixParts(
    units.map((unit) => matrixPartOf(unit, ruleSet)),
    fileCount,
  );
}

/**
 * Builds the matrix from the units' parts, in the order of the units: the same result as {@link buildMatrix} over the
 * analyses the parts were made from.
 */
export function mergeMatrixParts(parts: readonly MatrixPart[], fileCount: number): MatrixData {
  const entries = new Map<string, ResourceEntry>();
  const unlisted = new Map<string, UnlistedGroup>();
  for (const part of parts) {
    for (const [typeKey, group] of part.unlisted) {
      const known = unlisted.get(typeKey);
      if (!known) {
        unlisted.set(typeKey, { type: group.type, format: group.format, resources: new Map(group.resources) });
        continue;
      }
      for (const [key, shown] of group.resources) {
        known.resources.set(key, shown);
      }
    }
    for (const [key, entry] of part.entries) {
      const known = entries.get(key);
      if (!known) {
        entries.set(key, {
          service: entry.service,
          resource: entry.resource,
          findings: new Map(entry.findings),
          suppressed: new Map(entry.suppressed),
          checked: new Set(entry.checked),
          duties: new Map([...entry.duties].map(([dutyId, states]) => [dutyId, [...states]])),
        });
        continue;
      }
      for (const [findingKey, finding] of entry.findings) {
        known.findings.set(findingKey, finding);
      }
      for (const [suppressedKey, layer] of entry.suppressed) {
        known.suppressed.set(suppressedKey, layer);
      }
      for (const layer of entry.checked) {
        known.checked.add(layer);
      }
      for (const [dutyId, states] of entry.duties) {
        pushTo(known.duties, dutyId, ...states);
      }
    }
  }
  return assemble(entries, unlisted, fileCount);
}

/** What one analysed unit contributes to the matrix. */
export function matrixPartOf(unit: MatrixUnit, ruleSet: RuleSet): MatrixPart {
  const entries = new Map<string, ResourceEntry>();
  const unlisted = new Map<string, UnlistedGroup>();
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
    const undecided = analysis.undecided.get(undecidedKey(resource));
    for (const { rule } of rulesFor(analysis.ruleSet, resource)) {
      if (analysis.ranRules.has(rule.id) && !undecided?.has(rule.id)) {
        entry.checked.add(rule.layer);
      }
    }
    for (const d of resourceDuties(analysis, analysis.ruleSet, service, resource, { findings: found, suppressed: accepted })) {
      if (d.status === 'secure' || d.status === 'accepted') {
        entry.checked.add(d.duty.layer);
      }
      pushTo(entry.duties, d.duty.id, d.status);
    }
  }
  return { entries, unlisted };
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
    pushTo(byAddress, r.address, r);
  }
  const out = new Map<Resource, T[]>();
  for (const f of findings) {
    const candidates = byAddress.get(f.resource) ?? [];
    const holder =
      candidates.find((r) => r.file === f.file && r.span.start <= f.span.start && f.span.end <= r.span.end) ?? candidates[0];
    if (holder) {
      pushTo(out, holder, f);
    }
  }
  return out;
}

/** Appends to the list under `key`, starting it when absent (a copy per append made big groups quadratic). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) {
    list.push(...values);
  } else {
    map.set(key, values);
  }
}

/** The state of a duty on a resource across its analyses: a gap only when it is one in all of them. */
function combinedDutyState(states: DutyState[]): DutyState {
  for (const s of ['open', 'accepted', 'secure', 'unknown', 'provider'] as const) {
    if (states.includes(s)) {
      return s;
    }
  }
  return 'gap';
}

/** `localeCompare`'s order (the default locale's), without building a collator for every comparison. */
const compareText = new Intl.Collator().compare;

const byLocation = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
  (a.file === b.file ? 0 : compareText(a.file, b.file)) || a.line - b.line || a.column - b.column;

/** Groups the resource entries into providers, services and cells. */
function assemble(
  entries: Map<string, ResourceEntry>,
  unlisted: Map<string, UnlistedGroup>,
  fileCount: number,
): MatrixData {
  const byService = new Map<string, ResourceEntry[]>();
  for (const entry of entries.values()) {
    pushTo(byService, entry.service.id, entry);
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
        .sort((a, b) => byLocation(a, b) || compareText(a.ruleId, b.ruleId));
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
      gaps.sort((a, b) => byLocation(a, b) || compareText(a.dutyId, b.dutyId));
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
    pushTo(providers, service.provider, row);
  }
  const order: MatrixProvider['id'][] = ['aws', 'azure', 'gcp'];
  const providerRows = order
    .filter((id) => providers.has(id))
    .map((id) => ({
      id,
      name: MatrixData.providerTitle(id),
      services: providers.get(id)!.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id)),
    }));
  return {
    version: 1,
    layers: [...MATRIX_LAYERS],
    providers: providerRows,
    unlisted: [...unlisted.values()]
      .map((u) => ({ type: u.type, format: u.format, resources: [...u.resources.values()].sort(byLocation) }))
      .sort((a, b) => compareText(a.type, b.type)),
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
