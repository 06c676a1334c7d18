/**
 * SARIF 2.1.0 output that GitHub code scanning accepts: one run, the catalog's rules with help text, and results
 * with `properties.owner` and `properties.layer`.
 */
import { META_RULES, type MetaRule } from '../engine/metaRules';
import type { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import type { Severity } from '../engine/types';
import { UNKNOWN_PROPERTY_CODE } from '../engine/unknownProperties';
import { displayPath, Locator } from './locations';
import type { ScanResult } from './scan';

/** SARIF levels per severity. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub's `security-severity` scores per severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** Where rule documentation lives. */
export const DOCS_BASE = 'https://github.com/onus-dev/onus/blob/main/docs/rules/';

/** The SARIF reporting descriptor of a rule. */
function ruleDescriptor(rule: Rule) {
  const help = `${rule.why.trim()}\n\nRemediation: ${rule.remediation.trim()}\n\nOwner: ${rule.owner} · layer: ${rule.layer} · service: ${rule.service}`;
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why.trim() },
    help: {
      text: help,
      markdown: `**${rule.title}**\n\n${rule.why.trim()}\n\n**Remediation:** ${rule.remediation.trim()}\n\n**Owner:** ${rule.owner} · **layer:** ${rule.layer} · **service:** \`${rule.service}\``,
    },
    // A custom rule's page is its own folder, not the catalog's docs.
    ...(rule.isCustom ? {} : { helpUri: `${DOCS_BASE}${rule.id}.md` }),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: [...new Set(['security', rule.concept, ...(rule.tags ?? [])])],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      owner: rule.owner,
      layer: rule.layer,
      service: rule.service,
    },
  };
}

/** SARIF levels of the meta rules' levels (a hint is a note too). */
const META_LEVEL: Record<MetaRule['level'], 'warning' | 'note'> = { warning: 'warning', note: 'note', hint: 'note' };

/** The SARIF reporting descriptor of a meta rule (a problem with a suppression, or an unknown property name). */
function metaRuleDescriptor(meta: MetaRule) {
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.why },
    help: { text: `${meta.why}\n\n${meta.remediation}`, markdown: `**${meta.title}**\n\n${meta.why}\n\n${meta.remediation}` },
    helpUri: `${DOCS_BASE}${meta.id}.md`,
    defaultConfiguration: { level: META_LEVEL[meta.level] },
    properties: { tags: [meta.subject === 'template' ? 'cloudformation' : 'suppression'] },
  };
}

/** Stands for the results in the printed log, which {@link formatSarifChunks} prints one by one in its place. */
const RESULTS_MARKER = 'onus:results';

/** How many results one piece of {@link formatSarifChunks} holds. */
const RESULTS_PER_CHUNK = 500;

/** Renders a scan result as a SARIF 2.1.0 log. */
export function formatSarif(result: ScanResult, rules: RuleSet, version: string): string {
  return [...formatSarifChunks(result, rules, version)].join('');
}

/**
 * Renders a scan result as a SARIF 2.1.0 log in pieces whose concatenation is exactly `JSON.stringify(log, null, 2)`
 * and a newline: the results are converted and printed a few hundred at a time, not held as one document and string.
 */
export function* formatSarifChunks(result: ScanResult, rules: RuleSet, version: string): Generator<string> {
  const locator = new Locator(result.texts);
  const used = [...new Set([...result.findings, ...result.suppressed].map((f) => f.ruleId))].sort();
  const descriptors = used.map((id) => rules.byId.get(id)).filter((r): r is Rule => r !== undefined);
  const usedMeta = META_RULES.filter(
    (m) => result.suppressionProblems.some((p) => p.ruleId === m.id) || (m.id === UNKNOWN_PROPERTY_CODE && result.unknownProperties.length > 0),
  );
  const index = new Map([...descriptors, ...usedMeta].map((r, i) => [r.id, i]));
  const toResult = (f: ScanResult['findings'][number], suppression?: { reason: string }) => {
    const loc = locator.locate(f.file, f.span);
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message} (${f.owner}-owned, ${f.layer} layer)` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(displayPath(f.file)) },
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
        },
      ],
      properties: { owner: f.owner, layer: f.layer, service: f.service, resource: f.resource, fixable: f.fix !== undefined },
      ...(suppression ? { suppressions: [{ kind: 'inSource', justification: suppression.reason }] } : {}),
    };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Onus',
            semanticVersion: version,
            version,
            informationUri: 'https://github.com/onus-dev/onus',
            rules: [...descriptors.map(ruleDescriptor), ...usedMeta.map(metaRuleDescriptor)],
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [RESULTS_MARKER],
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.projectProblems.map((p) => ({
                level: p.severity === 'warning' ? 'warning' : p.severity === 'info' ? 'note' : 'error',
                message: { text: p.message },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: encodeURI(displayPath(p.file)) },
                      region: { startLine: p.line, startColumn: p.column },
                    },
                  },
                ],
              })),
              ...result.errors.map((e) => {
                const loc = locator.locate(e.file, e.span);
                return {
                  level: 'error',
                  message: { text: e.message },
                  locations: [
                    {
                      physicalLocation: {
                        artifactLocation: { uri: encodeURI(displayPath(e.file)) },
                        region: { startLine: loc.line, startColumn: loc.column },
                      },
                    },
                  ],
                };
              }),
            ],
          },
        ],
      },
    ],
  };
  const problemResult = (p: ScanResult['suppressionProblems'][number]) => {
    const loc = locator.locate(p.file, p.span);
    return {
      ruleId: p.ruleId,
      ruleIndex: index.get(p.ruleId),
      level: META_LEVEL[META_RULES.find((m) => m.id === p.ruleId)?.level ?? 'note'],
      message: { text: p.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(displayPath(p.file)) },
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
        },
      ],
      properties: { suppresses: p.ids },
    };
  };
  const unknownResult = (p: ScanResult['unknownProperties'][number]) => {
    const loc = locator.locate(p.file, p.span);
    return {
      ruleId: UNKNOWN_PROPERTY_CODE,
      ruleIndex: index.get(UNKNOWN_PROPERTY_CODE),
      level: 'warning',
      message: { text: p.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(displayPath(p.file)) },
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
        },
      ],
      properties: { resource: p.resource, suggestions: p.fixes.map((f) => f.name) },
    };
  };
  const lists: [length: number, resultAt: (i: number) => unknown][] = [
    [result.findings.length, (i) => toResult(result.findings[i]!)],
    [result.suppressed.length, (i) => toResult(result.suppressed[i]!, { reason: result.suppressed[i]!.reason })],
    [result.suppressionProblems.length, (i) => problemResult(result.suppressionProblems[i]!)],
    [result.unknownProperties.length, (i) => unknownResult(result.unknownProperties[i]!)],
  ];
  const printed = JSON.stringify(log, null, 2);
  const markerText = JSON.stringify(RESULTS_MARKER);
  const marker = printed.indexOf(markerText);
  const lineStart = printed.lastIndexOf('\n', marker) + 1;
  // The results' indentation inside the log, and the end of the line before the list's closing bracket.
  const indent = printed.slice(lineStart, marker);
  const listStart = printed.lastIndexOf('[', marker);
  const listEnd = printed.indexOf(']', marker);
  if (lists.every(([length]) => length === 0)) {
    yield `${printed.slice(0, listStart)}[]${printed.slice(listEnd + 1)}\n`;
    return;
  }
  yield printed.slice(0, lineStart);
  let isFirst = true;
  for (const [length, resultAt] of lists) {
    for (let start = 0; start < length; start += RESULTS_PER_CHUNK) {
      const items: string[] = [];
      for (let i = start; i < Math.min(length, start + RESULTS_PER_CHUNK); i++) {
        items.push(indent + JSON.stringify(resultAt(i), null, 2).replace(/\n/g, `\n${indent}`));
      }
      yield `${isFirst ? '' : ',\n'}${items.join(',\n')}`;
      isFirst = false;
    }
  }
  yield `${printed.slice(marker + markerText.length)}\n`;
}
