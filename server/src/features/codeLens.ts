/**
 * Code lens: one line above each resource summing up its customer side, "Customer-owned: 5 settings · 2 open
 * findings" (or "all customer-side settings secure"), whose command lists the settings and duties with where they are.
 *
 * Invariant: like hover, it never parses; it reads the cached analysis of the document's current version.
 */
import type { CodeLens } from 'vscode-languageserver';
import { rulesFor, serviceOf } from '../engine/describe';
import { resourceDuties, type ResourceDuty } from '../engine/duties';
import type { RuleSet } from '../engine/ruleSet';
import type { Analysis } from '../engine/analyze';
import type { Resource } from '../model/types';
import type { LineIndex } from '../text/lineIndex';
import { SHOW_RESOURCE_RESPONSIBILITIES_COMMAND, type ResponsibilityItem, type ShowResponsibilitiesArgs } from '../protocol';
import type { CachedAnalysis, TrackedDocument } from './workspace';

/** The customer side of one resource: the items its lens lists and the counts its title shows. */
export interface ResourceResponsibilities {
  items: ResponsibilityItem[];
  openFindings: number;
  gaps: number;
}

/** The code lenses of a tracked document: one per resource of the file that Onus knows something about. */
export function provideCodeLenses(entry: CachedAnalysis | undefined, ruleSet: RuleSet, tracked: TrackedDocument, uri: string): CodeLens[] {
  if (!entry || tracked.kind === 'terraform-vars') {
    return [];
  }
  const index = entry.lineIndexOf(tracked.path);
  if (!index) {
    return [];
  }
  const lenses: CodeLens[] = [];
  const seen = new Set<number>();
  for (const resource of entry.analysis.model.resources) {
    // Module instances repeat a declaration; one lens per declaration.
    if (resource.file !== tracked.path || resource.kind !== 'resource' || seen.has(resource.span.start)) {
      continue;
    }
    seen.add(resource.span.start);
    const summary = resourceResponsibilities(entry.analysis, ruleSet, resource, index);
    if (summary.items.length === 0) {
      continue;
    }
    const start = index.positionAt(resource.headerSpan?.start ?? resource.span.start);
    const args: ShowResponsibilitiesArgs = { uri, resource: resource.address, items: summary.items };
    lenses.push({
      range: { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } },
      command: { title: lensTitle(summary), command: SHOW_RESOURCE_RESPONSIBILITIES_COMMAND, arguments: [args] },
    });
  }
  return lenses;
}

/** `Customer-owned: 6 settings · 2 open findings · 1 gap`, or `… · all customer-side settings secure`. */
export function lensTitle(summary: ResourceResponsibilities): string {
  const n = summary.items.length;
  const parts = [`Customer-owned: ${n} setting${n === 1 ? '' : 's'}`];
  if (summary.openFindings > 0) {
    parts.push(`${summary.openFindings} open finding${summary.openFindings === 1 ? '' : 's'}`);
  }
  if (summary.gaps > 0) {
    parts.push(`${summary.gaps} responsibility gap${summary.gaps === 1 ? '' : 's'}`);
  }
  if (parts.length === 1) {
    parts.push('all customer-side settings secure');
  }
  return parts.join(' · ');
}

/**
 * The customer-owned items of a resource: each duty of its service that is about it (provider defaults included,
 * since the customer can turn them off), then each rule for its type that no duty names; plus the counts.
 */
export function resourceResponsibilities(analysis: Analysis, ruleSet: RuleSet, resource: Resource, index: LineIndex): ResourceResponsibilities {
  const service = serviceOf(ruleSet, resource);
  const duties = service ? resourceDuties(analysis, ruleSet, service, resource) : [];
  const header = index.positionAt(resource.headerSpan?.start ?? resource.span.start);
  const findings = analysis.findings.filter((f) => f.file === resource.file && f.resource === resource.address);
  const items: ResponsibilityItem[] = duties.map((item) => dutyItem(item, header, index));
  const named = new Set(duties.flatMap((item) => item.duty.rules ?? []));
  for (const rule of new Set(rulesFor(ruleSet, resource).map((r) => r.rule))) {
    if (named.has(rule.id) || rule.owner === 'provider') {
      continue;
    }
    named.add(rule.id);
    const finding = findings.find((f) => f.ruleId === rule.id);
    const isSuppressed = analysis.suppressed.some((f) => f.ruleId === rule.id && f.resource === resource.address && f.file === resource.file);
    const at = finding ? index.positionAt(finding.span.start) : header;
    items.push({
      state: finding ? 'open' : isSuppressed ? 'accepted' : 'secure',
      label: rule.title,
      description: `${rule.layer} layer · ${rule.id}`,
      detail: finding ? finding.message : isSuppressed ? 'suppressed in the code' : 'no finding',
      line: at.line,
      character: at.character,
    });
  }
  return {
    items,
    openFindings: findings.length,
    gaps: duties.filter((item) => item.status === 'gap').length,
  };
}

/** One duty as a list item: located at its first finding, else at the resource's header. */
function dutyItem(item: ResourceDuty, header: { line: number; character: number }, index: LineIndex): ResponsibilityItem {
  const finding = item.findings[0];
  const at = finding ? index.positionAt(finding.span.start) : header;
  const rules = item.duty.rules ?? [];
  return {
    state: item.status,
    label: item.duty.name,
    description: `${item.duty.layer} layer${rules.length > 0 ? ` · ${rules.join(', ')}` : ''}`,
    detail: dutyDetail(item),
    line: at.line,
    character: at.character,
  };
}

function dutyDetail(item: ResourceDuty): string {
  switch (item.status) {
    case 'open':
      return item.findings.map((f) => f.message).join('; ');
    case 'accepted':
      return `suppressed: ${item.suppressed.map((f) => f.reason).join('; ')}`;
    case 'secure':
      return item.fulfilledWith ? `fulfilled by ${item.fulfilledWith}` : 'no finding';
    case 'provider':
      return `the provider covers it by default${item.duty.note ? `: ${item.duty.note}` : ''}`;
    case 'gap':
      return `nothing fulfils it; add ${item.fulfilledBy.join(' or ')}`;
    case 'unknown':
      return 'depends on values Onus cannot resolve';
  }
}
