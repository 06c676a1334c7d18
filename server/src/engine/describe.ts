/**
 * What Onus knows about the thing at one offset: the service a resource belongs to and who owns each of its six
 * layers, or an attribute's owner, layer, current and secure value, and the rules that check it. The language
 * server's hover is a thin shell over this; `onus explain` can reuse it.
 *
 * Invariants:
 * - Pure: no LSP, no I/O, no parsing. It reads an {@link Analysis} that was already computed (the hover's cached
 *   analysis of the current document version) and the {@link RuleSet}.
 * - It reports values as the model resolved them and never guesses: an unknown value is described as unknown.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Value, type Entry, type Resource, type Scalar } from '../model/types';
import { Span } from '../text/span';
import { escapeTableCell } from '../text/markdown';
import type { Analysis } from './analyze';
import { catalogServiceOf } from './checkCatalog';
import { resourceDuties, type DutyStatus, type ResourceDuty } from './duties';
import { resolvePath, splitPath } from './paths';
import { remediationFor } from './remediation';
import type { Condition, LeafCondition, Rule, Target } from './rule';
import { Fulfilment, type Duty, type RuleSet, type Service } from './ruleSet';
import { typeMatches } from './typeMatches';
import type { Finding, Layer, Owner, Provider, SuppressedFinding } from './types';

/** The six layers in the order hovers and the matrix list them. */
export const LAYERS: readonly Layer[] = ['data', 'identity', 'application', 'network', 'os', 'physical'];

/** The base URL of the generated rule pages. */
const DOCS_BASE = 'https://github.com/onus-dev/onus/blob/main/docs/rules/';

/**
 * The documentation page of a rule (the diagnostic's `codeDescription.href` and the hover's link): the catalog's page,
 * or for a custom rule its own `rule.yaml`.
 */
export function ruleDocsUrl(ruleId: string, rule?: Pick<Rule, 'isCustom' | 'folder'>): string {
  if (rule?.isCustom) {
    return pathToFileURL(path.join(rule.folder, 'rule.yaml')).href;
  }
  return `${DOCS_BASE}${encodeURIComponent(ruleId)}.md`;
}

/** How a provider is named in prose ("the os layer is AWS's"). */
export function providerName(provider: Provider): string {
  switch (provider) {
    case 'aws':
      return 'AWS';
    case 'azure':
      return 'Microsoft';
    case 'gcp':
      return 'Google';
  }
}

/** Where one rule stands on one resource. */
export type RuleStatus = 'fails' | 'suppressed' | 'no finding';

/** A rule that applies to a resource type, with its status on the hovered resource. */
export interface AppliedRule {
  rule: Rule;
  status: RuleStatus;
}

/** The description of a resource, from its header. */
export interface ResourceDescription {
  kind: 'resource';
  /** The span the description is about (the resource's header). */
  span: Span;
  resource: Resource;
  service: Service | undefined;
  /** The customer's duties of the service that are about this resource, with where each stands. */
  duties: ResourceDuty[];
  rules: AppliedRule[];
  /** Findings that point at the header (settings the resource is missing), in source order. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** One rule's view of one attribute (or nested block) path. */
export interface AttributeCheck {
  rule: Rule;
  /** The rule's path to the setting, from the resource body (`versioning.enabled`). */
  path: string;
  /** The value the model resolved at that path, described. */
  current: ValueSummary;
  /** The secure value in words or as a literal, from the rule's fix or else its condition. */
  secure: string | undefined;
  /** The finding of this rule that points inside the hovered entry, if it fires there. */
  finding: Finding | undefined;
  /** The suppressed finding of this rule inside the hovered entry, if a comment silenced it. */
  suppressed: SuppressedFinding | undefined;
}

/** The description of one attribute or nested block of a resource. */
export interface AttributeDescription {
  kind: 'attribute';
  /** The hovered entry's key span. */
  span: Span;
  resource: Resource;
  /** The entry's path from the resource body, keys joined by dots (`versioning.enabled`). */
  path: string;
  entry: Entry;
  service: Service | undefined;
  checks: AttributeCheck[];
  /** Duties of the service that a setting at this path fulfils (the catalog's `fulfilledBy`), with their state here. */
  duties: ResourceDuty[];
}

/** What {@link describeAt} found at an offset. */
export type Description = ResourceDescription | AttributeDescription;

/** A value described for people: its literal (when known), where it came from, or that it is unknown or unset. */
export interface ValueSummary {
  state: 'literal' | 'unknown' | 'unset' | 'complex';
  /** The literal, JSON-formatted (`true`, `"aws:kms"`) for `literal` and `complex`. */
  text?: string;
  /** For literals: written here (`explicit`) or computed from a variable default, local or tfvars (`resolved`). */
  provenance?: 'explicit' | 'resolved';
  /** For unknown values: what the expression refers to (`var.kms_key`). */
  references?: string[];
}

/**
 * Describes what lies at `offset` of `file`: a resource header gives its service and rules, an attribute (its name,
 * or a nested block's header) gives the rules that check it. Returns undefined elsewhere.
 */
export function describeAt(analysis: Analysis, ruleSet: RuleSet, file: string, offset: number): Description | undefined {
  const resource = innermostResourceAt(analysis.model.resources, file, offset);
  if (!resource) {
    return undefined;
  }
  const service = serviceOf(ruleSet, resource);
  // A CloudFormation resource has two headers: its logical id, and the `Properties` key its body hangs from.
  const header = [resource.headerSpan, resource.typeSpan, resource.body.block?.headerSpan ?? Span.of(resource.span.start, resource.span.start)].find(
    (span) => span !== undefined && Span.contains(span, offset),
  );
  if (header) {
    const applied = rulesFor(ruleSet, resource);
    const mine = analysis.findings.filter((f) => f.file === file && f.resource === resource.address);
    const mineSuppressed = analysis.suppressed.filter((f) => f.file === file && f.resource === resource.address);
    return {
      kind: 'resource',
      span: header,
      resource,
      service,
      duties: service ? resourceDuties(analysis, ruleSet, service, resource) : [],
      rules: uniqueRules(applied).map((rule) => ({
        rule,
        status: mine.some((f) => f.ruleId === rule.id)
          ? 'fails'
          : mineSuppressed.some((f) => f.ruleId === rule.id)
            ? 'suppressed'
            : 'no finding',
      })),
      findings: mine.filter((f) => Span.contains(header, f.span.start) && Span.contains(header, f.span.end)),
      suppressed: mineSuppressed.filter((f) => Span.contains(header, f.span.start) && Span.contains(header, f.span.end)),
    };
  }
  const hit = entryAt(resource.body, offset, []);
  if (!hit) {
    return undefined;
  }
  const { entry, keys } = hit;
  const entryPath = keys.join('.');
  const checks: AttributeCheck[] = [];
  for (const { rule, target } of rulesFor(ruleSet, resource)) {
    for (const rulePath of targetPaths(target)) {
      if (!coversPath(rulePath, keys, entry.isBlock || entry.value.kind === 'object')) {
        continue;
      }
      const inEntry = (f: Finding): boolean =>
        f.ruleId === rule.id && f.file === file && f.resource === resource.address && Span.contains(entry.span, f.span.start) && f.span.end <= entry.span.end;
      const isExact = normalizePath(rulePath).join('.') === normalizePath(entryPath).join('.');
      checks.push({
        rule,
        path: rulePath,
        current: isExact ? summarizeValue(entry.value) : summarizeAtPath(resource, rulePath),
        secure: secureValueOf(target, rulePath),
        finding: analysis.findings.find(inEntry),
        suppressed: analysis.suppressed.find(inEntry),
      });
    }
  }
  const isBlock = entry.isBlock || entry.value.kind === 'object';
  const duties = service
    ? resourceDuties(analysis, ruleSet, service, resource).filter((d) =>
        d.fulfilledBy.some((way) => {
          const parsed = Fulfilment.parse(way);
          return parsed.kind === 'setting' && (coversPath(parsed.path.join('.'), keys, isBlock) || coversPath(entryPath, parsed.path, true));
        }),
      )
    : [];
  return { kind: 'attribute', span: entry.keySpan, resource, path: entryPath, entry, service, checks: dedupeChecks(checks), duties };
}

/** The services catalog entry of a resource's type, if the catalog lists it. */
export function serviceOf(ruleSet: RuleSet, resource: Pick<Resource, 'type' | 'format'>): Service | undefined {
  const listed = catalogServiceOf(ruleSet.services, resource.format, resource.type);
  if (listed) {
    return listed;
  }
  // A rule that targets the type names its service even when the catalog does not list the type.
  const rule = ruleSet.rules.find((r) => !r.deprecated && (r.match[resource.format] ?? []).some((t) => t.resources.some((p) => typeMatches(p, resource.type, resource.format))));
  return rule ? ruleSet.services.find((s) => s.id === rule.service) : undefined;
}

/** The (non-deprecated) rules with a target for the resource's format, type and kind, with that target. */
export function rulesFor(ruleSet: RuleSet, resource: Pick<Resource, 'type' | 'format' | 'kind'>): { rule: Rule; target: Target }[] {
  const out: { rule: Rule; target: Target }[] = [];
  for (const rule of ruleSet.rules) {
    if (rule.deprecated) {
      continue;
    }
    for (const target of rule.match[resource.format] ?? []) {
      const wantsData = target.dataSources === true;
      if (wantsData === (resource.kind === 'data') && target.resources.some((t) => typeMatches(t, resource.type, resource.format))) {
        out.push({ rule, target });
      }
    }
  }
  return out;
}

/** Describes a model value for people. */
export function summarizeValue(value: Value | undefined): ValueSummary {
  if (!value) {
    return { state: 'unset' };
  }
  switch (value.kind) {
    case 'scalar':
      return { state: 'literal', text: formatScalar(value.value), provenance: value.provenance === 'resolved' ? 'resolved' : 'explicit' };
    case 'unknown':
      return { state: 'unknown', references: value.references };
    case 'array':
    case 'object': {
      const plain = Value.toPlain(value);
      if (plain === undefined) {
        return { state: 'unknown', references: [] };
      }
      const text = JSON.stringify(plain);
      return {
        state: 'complex',
        text: text.length > 80 ? `${text.slice(0, 77)}…` : text,
        provenance: value.provenance === 'resolved' ? 'resolved' : 'explicit',
      };
    }
  }
}

/** Renders a description as hover markdown: compact, with a table of layer owners and links to rule pages. */
export function renderDescription(description: Description): string {
  return description.kind === 'resource' ? renderResource(description) : renderAttribute(description);
}

function renderResource(d: ResourceDescription): string {
  const service = d.service;
  const sections = service
    ? [
        renderResourceHeading(d),
        renderServiceModel(service),
        renderOwnership(service),
        renderDuties(d, service),
        renderFindingsHere(d),
        renderOtherRules(d),
        renderSources(service),
      ]
    : [renderResourceHeading(d), renderNotInCatalog(d.resource), renderFindingsHere(d), renderOtherRules(d)];
  return sections.filter((s) => s.length > 0).join('\n\n');
}

/** `**aws_s3_bucket** `aws_s3_bucket.logs` · Amazon S3`. */
function renderResourceHeading(d: ResourceDescription): string {
  return `**${d.resource.type}** \`${d.resource.address}\`${d.service ? ` · ${d.service.name}` : ''}`;
}

/** The service's model as the provider classifies it, linked to where it says so. */
function renderServiceModel(service: Service): string {
  const provider = providerName(service.provider);
  return `Service model: *${service.model}* (${provider}'s own classification, [source](${service.modelSource})).${service.note ? ` ${sentence(service.note)}` : ''}`;
}

/** The six layers' owners in one compact table, then the notes where the split is conditional. */
function renderOwnership(service: Service): string {
  const provider = providerName(service.provider);
  const owners = LAYERS.map((layer) => ownerLabel(service.layers[layer].owner, service.provider));
  const lines = [`Who secures each layer (${provider} or the customer):`, '', `| ${LAYERS.join(' | ')} |`, `|${LAYERS.map(() => '---').join('|')}|`, `| ${owners.join(' | ')} |`];
  const notes = LAYERS.filter((layer) => service.layers[layer].note !== undefined);
  if (notes.length > 0) {
    lines.push('');
    for (const layer of notes) {
      lines.push(`- *${layer}*: ${escapeTableCell(stripPeriod(service.layers[layer].note ?? ''))}`);
    }
  }
  return lines.join('\n');
}

const DUTY_MARKS: Record<DutyStatus, string> = {
  open: '✗ open',
  accepted: '– accepted',
  secure: '✓ secure',
  provider: '○ provider default',
  gap: '⚠ gap',
  unknown: '? unknown',
};

/** The customer's duties for this resource, each with its state here. */
function renderDuties(d: ResourceDescription, service: Service): string {
  if (d.duties.length === 0) {
    return service.duties.length > 0 ? '' : `The catalog lists no customer duty for ${service.name} yet.`;
  }
  const provider = providerName(service.provider);
  const lines = ["The customer's duties here:", ''];
  for (const item of d.duties) {
    lines.push(`- ${DUTY_MARKS[item.status]} · **${item.duty.name}** · ${item.duty.layer} layer${dutyDetail(item, provider)}`);
  }
  return lines.join('\n');
}

/** Why a duty has its state on this resource, after a dash. */
function dutyDetail(item: ResourceDuty, provider: string): string {
  const note = item.duty.note ? stripPeriod(item.duty.note) : undefined;
  switch (item.status) {
    case 'open':
      return ` — ${item.findings.map((f) => `${f.message}, ${f.severity} ([\`${f.ruleId}\`](${ruleDocsUrl(f.ruleId)}))${f.fix ? ', quick fix available' : ''}`).join('; ')}`;
    case 'accepted':
      return ` — suppressed: ${item.suppressed.map((f) => f.reason).join('; ')}`;
    case 'secure':
      return item.fulfilledWith ? ` — ${describeFulfilment(item.fulfilledWith)}` : '';
    case 'provider':
      return ` — ${provider} covers it by default${note ? `: ${note}` : ''}`;
    case 'gap':
      return ` — nothing here fulfils it; ${item.fulfilledBy.map(describeFulfilment).join(' or ')} would${note ? `. ${sentence(note)}` : ''}`;
    case 'unknown':
      return item.fulfilledBy.length === 0 ? ' — Onus cannot tell from this language' : ' — depends on values Onus cannot resolve';
  }
}

/** `\`logging\` set` or `a companion \`aws_s3_bucket_logging\` resource`. */
function describeFulfilment(way: string): string {
  const parsed = Fulfilment.parse(way);
  return parsed.kind === 'resource' ? `a companion \`${parsed.type}\` resource` : `\`${parsed.path.join('.')}\` set`;
}

/** The findings that point at the header (settings the resource is missing), and the suppressed ones. */
function renderFindingsHere(d: ResourceDescription): string {
  const inDuties = new Set(d.duties.flatMap((item) => item.duty.rules ?? []));
  const findings = d.findings.filter((f) => !inDuties.has(f.ruleId));
  if (findings.length === 0 && d.suppressed.length === 0) {
    return '';
  }
  const lines = [inDuties.size > 0 ? 'Other findings here:' : 'Findings here:', ''];
  for (const finding of findings) {
    lines.push(renderFindingLine(finding, d.rules.find((r) => r.rule.id === finding.ruleId)?.rule));
  }
  for (const finding of d.suppressed) {
    lines.push(
      `- suppressed: [\`${finding.ruleId}\`](${ruleDocsUrl(finding.ruleId, d.rules.find((r) => r.rule.id === finding.ruleId)?.rule)}) ${finding.message} — ${finding.reason}${finding.until ? ` (until ${finding.until})` : ''}`,
    );
  }
  return lines.join('\n');
}

/** The rules for the type that neither a duty nor the findings above already name. */
function renderOtherRules(d: ResourceDescription): string {
  const named = new Set([...d.findings, ...d.suppressed].map((f) => f.ruleId));
  d.duties.forEach((item) => (item.duty.rules ?? []).forEach((id) => named.add(id)));
  const others = d.rules.filter((r) => !named.has(r.rule.id));
  if (others.length === 0) {
    return d.rules.length === 0 ? `No Onus rule checks \`${d.resource.type}\`.` : '';
  }
  const lines = [`${named.size > 0 ? 'Other rules' : 'Rules'} for \`${d.resource.type}\`:`, ''];
  for (const { rule, status } of others) {
    const mark = status === 'fails' ? '✗' : status === 'suppressed' ? '–' : '✓';
    lines.push(
      `- ${mark} [\`${rule.id}\`](${ruleDocsUrl(rule.id, rule)}) ${rule.title} · ${rule.severity} · ${ownerText(rule.owner)} · ${rule.layer} layer${status === 'no finding' ? '' : ` · **${status}**`}`,
    );
  }
  return lines.join('\n');
}

/** Where the catalog's facts about the service come from. */
function renderSources(service: Service): string {
  const links = [...new Set([service.modelSource, ...service.sources])].slice(0, 3).map((url) => `[${sourceTitle(url)}](${url})`);
  return `Source: ${links.join(' · ')}`;
}

/** A readable name for a documentation URL: its host and path, without the scheme, query or trailing `.html`. */
function sourceTitle(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/[?#].*$/, '').replace(/\.html?$/, '').replace(/\/$/, '');
}

/** The honest answer for a type the catalog does not list. */
function renderNotInCatalog(resource: Resource): string {
  return `\`${resource.type}\` is not in the Onus services catalog yet, so this hover cannot say which layers ${resource.format === 'bicep' ? 'Microsoft' : 'the provider'} secures and which are yours. The data, identity and configuration settings are always the customer's.`;
}

function renderAttribute(d: AttributeDescription): string {
  const service = d.service;
  const heading = `**${d.path}** · \`${d.resource.address}\`${service ? ` · ${service.name}` : ''}`;
  // A duty whose rule already speaks about the setting is named in that rule's table instead.
  const checked = new Set(d.checks.map((c) => c.rule.id));
  const duties = d.duties.filter((item) => !(item.duty.rules ?? []).some((id) => checked.has(id)));
  const sections = [heading, ...d.checks.map((check) => renderCheck(check, d.path, service)), ...duties.map((item) => renderDutySetting(d, item, service))];
  if (d.checks.length === 0 && d.duties.length === 0) {
    sections.push(
      service
        ? `No Onus rule or catalog duty of ${service.name} names \`${d.path}\` of \`${d.resource.type}\`.`
        : `No Onus rule checks \`${d.path}\` of \`${d.resource.type}\`, and the type is not in the services catalog yet.`,
    );
  }
  return sections.join('\n\n').trimEnd();
}

/** One rule's view of the hovered setting: whose job, current and secure value, the rule and why. */
function renderCheck(check: AttributeCheck, hoveredPath: string, service: Service | undefined): string {
  const { rule } = check;
  const lines = [ownershipSentence(rule, service), '', '| | |', '|---|---|'];
  if (check.path !== hoveredPath) {
    lines.push(`| setting | \`${check.path}\` |`);
  }
  lines.push(`| current | ${renderSummary(check.current)} |`);
  if (check.secure !== undefined) {
    lines.push(`| secure | ${escapeTableCell(check.secure)} |`);
  }
  const state = check.finding ? ' · **fires here**' : check.suppressed ? ' · suppressed here' : '';
  lines.push(`| rule | [\`${rule.id}\`](${ruleDocsUrl(rule.id, rule)}) · ${rule.severity}${state} |`);
  const duty = service?.duties.find((item) => (item.rules ?? []).includes(rule.id));
  if (duty) {
    lines.push(`| duty | ${escapeTableCell(duty.name)} (${duty.layer} layer) |`);
  }
  lines.push('');
  if (check.finding) {
    lines.push(`**${check.finding.message}.** ${rule.remediation.trim()}`);
    lines.push('');
  } else if (check.suppressed) {
    lines.push(`Suppressed: ${check.suppressed.reason}${check.suppressed.until ? ` (until ${check.suppressed.until})` : ''}`);
    lines.push('');
  }
  lines.push(`*Why:* ${shorten(rule.why, 420)} [More](${ruleDocsUrl(rule.id, rule)})`);
  return lines.join('\n').trimEnd();
}

/** A setting the catalog names as fulfilling a duty: whose duty, the value here, and what setting it does. */
function renderDutySetting(d: AttributeDescription, item: ResourceDuty, service: Service | undefined): string {
  const duty: Duty = item.duty;
  const model = service ? ` under ${service.name}'s *${service.model}* service model` : '';
  const lines = [`${duty.name} is the **customer's** duty (${duty.layer} layer)${model}${service?.layers[duty.layer].note ? `. ${sentence(service.layers[duty.layer].note ?? '')}` : '.'}`, '', '| | |', '|---|---|'];
  lines.push(`| current | ${renderSummary(summarizeValue(d.entry.value))} |`);
  lines.push(`| secure | set: ${item.fulfilledBy.map(describeFulfilment).join(' or ')} fulfils the duty |`);
  lines.push(`| state | ${DUTY_MARKS[item.status]}${item.status === 'provider' && service ? ` (${providerName(service.provider)} covers it by default)` : ''} |`);
  if (duty.note) {
    lines.push('', `*Why:* ${sentence(duty.note)}`);
  }
  return lines.join('\n');
}

/**
 * Says whose job the setting is under the service's model, then who owns the layers below it, e.g. "Encryption at
 * rest: the customer's job (data layer) under Amazon RDS's *container* service model. <the data layer's note>.
 * The os layer is shared (AWS patches the OS …). The physical layer is AWS's." The subject is the name of the
 * catalog's duty that names the rule ("Minimum TLS version"), or the rule's concept when no duty names it.
 */
export function ownershipSentence(rule: Rule, service: Service | undefined): string {
  const duty = service?.duties.find((item) => (item.rules ?? []).includes(rule.id));
  const subject = duty?.name ?? sentenceCase(rule.concept.replace(/-/g, ' '));
  const who =
    rule.owner === 'shared' ? 'a shared job' : rule.owner === 'customer' ? "the **customer's** job" : `**${providerName(rule.provider)}'s** job`;
  if (!service) {
    return `${subject}: ${who} (${rule.layer} layer).`;
  }
  const provider = providerName(service.provider);
  const parts = [`${subject}: ${who} (${rule.layer} layer) under ${service.name}'s *${service.model}* service model.`];
  const ownNote = service.layers[rule.layer].note;
  if (ownNote) {
    parts.push(sentence(ownNote));
  }
  // The layers below the application are where the provider's share shows; say who owns them.
  for (const layer of ['os', 'physical'] as const) {
    if (layer === rule.layer) {
      continue;
    }
    const { owner, note } = service.layers[layer];
    const whose = owner === 'provider' ? `${provider}'s` : owner === 'shared' ? 'shared' : "the customer's";
    parts.push(`The ${layer} layer is ${whose}${note ? ` (${stripPeriod(note)})` : ''}.`);
  }
  return parts.join(' ');
}

/** A finding at the cursor: its summary, severity, owner and layer, rule link, and the remediation's first sentence. */
function renderFindingLine(finding: Finding, rule: Rule | undefined): string {
  const remediation = rule ? ` — ${shorten(remediationFor(rule.remediation, finding.format).join(' '), 200)}` : '';
  return `- ⚠ **${finding.message}** · ${finding.severity} · ${ownerText(finding.owner)} · ${finding.layer} layer · [\`${finding.ruleId}\`](${ruleDocsUrl(finding.ruleId, rule)})${remediation}${finding.fix ? ' (quick fix available)' : ''}`;
}

function renderSummary(summary: ValueSummary): string {
  switch (summary.state) {
    case 'literal':
    case 'complex':
      return `\`${escapeTableCell(summary.text ?? '')}\`${summary.provenance === 'resolved' ? ' (resolved from a variable, local or tfvars)' : ''}`;
    case 'unknown':
      return summary.references && summary.references.length > 0
        ? `unknown here (depends on ${summary.references.slice(0, 3).map((r) => `\`${r}\``).join(', ')}); Onus does not guess`
        : 'unknown here; Onus does not guess';
    case 'unset':
      return "not set (the provider's default applies)";
  }
}

/** The secure value of the setting a target checks at `rulePath`: the fix's value, else the condition's opposite. */
function secureValueOf(target: Target, rulePath: string): string | undefined {
  const relative = relativeToEach(target, rulePath);
  for (const fix of target.fix ? [target.fix, ...(target.fix.also ?? [])] : []) {
    if (fix.set && samePath(fix.set.path, relative)) {
      return `\`${formatValue(fix.set.value)}\``;
    }
    if (fix.remove && samePath(fix.remove.path, relative)) {
      return 'not set (remove it)';
    }
  }
  const leaf = findLeaf(target.when, relative, false);
  return leaf ? describeSecureLeaf(leaf.leaf, leaf.isNegated) : undefined;
}

/** The leaf of a condition that reads `path`, with whether an odd number of `not`s wraps it. */
function findLeaf(condition: Condition | undefined, path: string, isNegated: boolean): { leaf: LeafCondition; isNegated: boolean } | undefined {
  if (!condition) {
    return undefined;
  }
  if ('all' in condition) {
    for (const c of condition.all) {
      const found = findLeaf(c, path, isNegated);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if ('any' in condition) {
    for (const c of condition.any) {
      const found = findLeaf(c, path, isNegated);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if ('not' in condition) {
    return findLeaf(condition.not, path, !isNegated);
  }
  if ('related' in condition) {
    return undefined;
  }
  return samePath(condition.path, path) ? { leaf: condition, isNegated } : undefined;
}

/** Describes the values that make a leaf false (the leaf is the insecure condition; negated, the secure one). */
function describeSecureLeaf(leaf: LeafCondition, isNegated: boolean): string | undefined {
  const v = (x: Scalar): string => `\`${formatScalar(x)}\``;
  const list = (xs: Scalar[]): string => xs.map(v).join(', ');
  // Each pair: [the secure description when the leaf is the insecure test, and when it is negated].
  const pick = (secure: string, negated: string): string => (isNegated ? negated : secure);
  if (leaf.notEquals !== undefined) {
    return pick(v(leaf.notEquals), `anything but ${v(leaf.notEquals)}`);
  }
  if (leaf.equals !== undefined) {
    return pick(`anything but ${v(leaf.equals)}`, v(leaf.equals));
  }
  if (leaf.notIn) {
    return pick(`one of ${list(leaf.notIn)}`, `none of ${list(leaf.notIn)}`);
  }
  if (leaf.in) {
    return pick(`none of ${list(leaf.in)}`, `one of ${list(leaf.in)}`);
  }
  if (leaf.notMatches !== undefined) {
    return pick(`matching \`${leaf.notMatches}\``, `not matching \`${leaf.notMatches}\``);
  }
  if (leaf.matches !== undefined) {
    return pick(`not matching \`${leaf.matches}\``, `matching \`${leaf.matches}\``);
  }
  if (leaf.contains !== undefined) {
    return pick(`without ${v(leaf.contains)}`, `containing ${v(leaf.contains)}`);
  }
  if (leaf.lt !== undefined) {
    return pick(`at least ${leaf.lt}`, `less than ${leaf.lt}`);
  }
  if (leaf.lte !== undefined) {
    return pick(`more than ${leaf.lte}`, `at most ${leaf.lte}`);
  }
  if (leaf.gt !== undefined) {
    return pick(`at most ${leaf.gt}`, `more than ${leaf.gt}`);
  }
  if (leaf.gte !== undefined) {
    return pick(`less than ${leaf.gte}`, `at least ${leaf.gte}`);
  }
  if (leaf.exists !== undefined) {
    return leaf.exists !== isNegated ? 'not set' : 'set explicitly';
  }
  if (leaf.isEmpty !== undefined) {
    return leaf.isEmpty !== isNegated ? 'not empty' : 'empty';
  }
  return undefined;
}

/** Every setting path a target reads or writes, from the resource body (an `each` prefix included). */
function targetPaths(target: Target): string[] {
  const relative = new Set<string>();
  collectPaths(target.when, relative);
  for (const fix of target.fix ? [target.fix, ...(target.fix.also ?? [])] : []) {
    if (fix.set) {
      relative.add(fix.set.path);
    }
    if (fix.remove) {
      relative.add(fix.remove.path);
    }
    if (fix.addItem) {
      relative.add(fix.addItem.path);
    }
  }
  if (target.fix?.removeItems) {
    relative.add(target.fix.removeItems.path);
  }
  return [...relative].map((p) => (target.each ? `${target.each}.${p}` : p));
}

function collectPaths(condition: Condition | undefined, out: Set<string>): void {
  if (!condition) {
    return;
  }
  if ('all' in condition) {
    condition.all.forEach((c) => collectPaths(c, out));
  } else if ('any' in condition) {
    condition.any.forEach((c) => collectPaths(c, out));
  } else if ('not' in condition) {
    collectPaths(condition.not, out);
  } else if (!('related' in condition)) {
    out.add(condition.path);
  }
}

/** The path of a rule relative to the target's `each` node. */
function relativeToEach(target: Target, rulePath: string): string {
  return target.each && rulePath.startsWith(`${target.each}.`) ? rulePath.slice(target.each.length + 1) : rulePath;
}

/**
 * Whether a rule path is about the hovered entry: equal to its path (wildcards skipped, since lists are traversed
 * implicitly), or, for a block, passing through it (`versioning.enabled` is about the `versioning` block).
 */
function coversPath(rulePath: string, entryKeys: string[], isBlock: boolean): boolean {
  const rule = normalizePath(rulePath);
  const entry = normalizePath(entryKeys.join('.'));
  if (rule.length < entry.length || (!isBlock && rule.length !== entry.length)) {
    return false;
  }
  return entry.every((key, i) => key === rule[i]);
}

function normalizePath(path: string): string[] {
  return splitPath(path).filter((s) => s !== '*' && !/^\d+$/.test(s));
}

function samePath(a: string, b: string): boolean {
  return normalizePath(a).join('.') === normalizePath(b).join('.');
}

/** The current value at a rule path below the hovered block (the first value the path reaches). */
function summarizeAtPath(resource: Resource, rulePath: string): ValueSummary {
  const result = resolvePath({ value: resource.body, chain: [] }, splitPath(rulePath));
  const first = result.hits[0];
  if (first) {
    return summarizeValue(first.value);
  }
  return result.isBlockedByUnknown ? { state: 'unknown', references: [] } : { state: 'unset' };
}

/** The deepest entry of a body that the offset is on: its key, a scalar attribute's whole span, or a block header. */
function entryAt(body: Value, offset: number, keys: string[], depth = 0): { entry: Entry; keys: string[] } | undefined {
  if (depth > 32) {
    return undefined;
  }
  const objects = body.kind === 'object' ? [body] : body.kind === 'array' ? body.items.filter((i) => i.kind === 'object') : [];
  for (const object of objects) {
    if (object.kind !== 'object') {
      continue;
    }
    for (const entry of object.entries) {
      if (!Span.contains(entry.span, offset)) {
        continue;
      }
      const path = [...keys, entry.key];
      if (Span.contains(entry.keySpan, offset)) {
        return { entry, keys: path };
      }
      const value = entry.value;
      if (value.kind === 'object' || value.kind === 'array') {
        const inner = entryAt(value, offset, path, depth + 1);
        if (inner) {
          return inner;
        }
        if (value.kind === 'object' && value.block && Span.contains(value.block.headerSpan, offset)) {
          return { entry, keys: path };
        }
        continue;
      }
      // A scalar or unknown attribute: anywhere from its name to the end of its value.
      return { entry, keys: path };
    }
  }
  return undefined;
}

/** The smallest resource of `file` whose span holds the offset. */
function innermostResourceAt(resources: readonly Resource[], file: string, offset: number): Resource | undefined {
  let best: Resource | undefined;
  for (const resource of resources) {
    if (resource.file === file && Span.contains(resource.span, offset) && (!best || Span.length(resource.span) < Span.length(best.span))) {
      best = resource;
    }
  }
  return best;
}

/** The distinct rules of a list of rule targets, in order. */
function uniqueRules(applied: readonly { rule: Rule }[]): Rule[] {
  return [...new Set(applied.map((a) => a.rule))];
}

/** Keeps one check per rule and path (a rule with several targets for the same type reads the same setting). */
function dedupeChecks(checks: AttributeCheck[]): AttributeCheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const key = `${c.rule.id}\0${normalizePath(c.path).join('.')}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

function ownerLabel(owner: Owner, provider: Provider): string {
  return owner === 'provider' ? `**${providerName(provider)}**` : owner === 'customer' ? '**customer**' : 'shared';
}

function ownerText(owner: Owner): string {
  return owner === 'shared' ? 'shared' : `${owner}-owned`;
}

function formatScalar(value: Scalar): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function formatValue(value: Scalar | Scalar[]): string {
  return Array.isArray(value) ? `[${value.map(formatScalar).join(', ')}]` : formatScalar(value);
}


function sentenceCase(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

function stripPeriod(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

function sentence(text: string): string {
  return `${sentenceCase(stripPeriod(text))}.`;
}

/** The first sentences of a text up to about `max` characters. */
function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) {
    return flat;
  }
  // A sentence ends at a stop followed by a space or the end, so "TLS 1.0" does not end one.
  const sentences = flat.match(/.+?[.!?]+(?=\s|$)\s*/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    if (out.length + sentence.length > max) {
      break;
    }
    out += sentence;
  }
  return out.length > 0 ? out.trim() : `${flat.slice(0, max - 1)}…`;
}
