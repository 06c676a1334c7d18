/**
 * SARIF 2.1.0 output that GitHub code scanning accepts: one run, the catalog's rules with help text, and results
 * with `properties.owner` and `properties.layer`.
 */
import type { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import type { Severity } from '../engine/types';
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
    helpUri: `${DOCS_BASE}${rule.id}.md`,
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

/** Renders a scan result as a SARIF 2.1.0 log. */
export function formatSarif(result: ScanResult, rules: RuleSet, version: string): string {
  const locator = new Locator(result.texts);
  const used = [...new Set([...result.findings, ...result.suppressed].map((f) => f.ruleId))].sort();
  const descriptors = used.map((id) => rules.byId.get(id)).filter((r): r is Rule => r !== undefined);
  const index = new Map(descriptors.map((r, i) => [r.id, i]));
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
            rules: descriptors.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [
          ...result.findings.map((f) => toResult(f)),
          ...result.suppressed.map((f) => toResult(f, { reason: f.reason })),
        ],
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.errors.map((e) => {
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
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
