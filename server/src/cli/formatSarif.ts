/**
 * SARIF 2.1.0 output that GitHub code scanning accepts: one run, the catalog's rules with help text, and results
 * with `properties.owner` and `properties.layer`.
 */
import * as zlib from 'node:zlib';
import { META_RULES, type MetaRule } from '../engine/metaRules';
import type { Rule } from '../engine/rule';
import type { RuleSet } from '../engine/ruleSet';
import type { Finding, Severity } from '../engine/types';
import { UNKNOWN_PROPERTY_CODE } from '../engine/unknownProperties';
import { displayPath, Locator, type Location } from './locations';
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

/** Stands, in a held result's text, for its `ruleIndex` line, known once every result was seen (raw in no JSON). */
const RULE_INDEX_MARK = '\u0000';

/** A piece of held results: their printed text compressed, its length in bytes, and each one's rule. */
interface HeldResults {
  deflated: Buffer;
  byteLength: number;
  ruleIds: string[];
}

/** Renders a scan result as a SARIF 2.1.0 log. */
export function formatSarif(result: ScanResult, rules: RuleSet, version: string): string {
  return [...formatSarifChunks(result, rules, version)].join('');
}

type Located = { file: string; span: { start: number; end: number } };

/**
 * Renders a scan result as a SARIF 2.1.0 log in pieces whose concatenation is exactly `JSON.stringify(log, null, 2)`
 * and a newline: the results are converted and printed a few hundred at a time, not held as one document and string.
 *
 * `findings` are the result's findings in the report's order, a few files' at a time (a streamed scan's, read as
 * they come; the other lists are read after them). The log names the rules its results use, and each result's place
 * in that list (`ruleIndex`), before the results, so nothing is printed before the last finding was read: the
 * findings' results are printed as they come into text with a mark where the `ruleIndex` line goes, and held
 * compressed in memory (a few hundred bytes per thousand results) until the rules are known.
 */
export function* formatSarifChunks(
  result: ScanResult,
  rules: RuleSet,
  version: string,
  findings?: Iterable<readonly Finding[]>,
): Generator<string> {
  const locator = new Locator(result.texts);
  // Thousands of results share a few hundred files: each file's URI is made once.
  const uris = new Map<string, string>();
  const uriOf = (file: string) => {
    let uri = uris.get(file);
    if (uri === undefined) {
      uri = encodeURI(displayPath(file));
      uris.set(file, uri);
    }
    return uri;
  };
  const located = (item: Located) => {
    const loc = locator.locate(item.file, item.span);
    return {
      physicalLocation: {
        artifactLocation: { uri: uriOf(item.file) },
        region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
      },
    };
  };
  // A finding's result, with its `ruleIndex` when it has one.
  const toResult = (f: Finding, ruleIndex: number | undefined, suppression?: { reason: string }) => ({
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: `${f.message} (${f.owner}-owned, ${f.layer} layer)` },
    locations: [located(f)],
    properties: { owner: f.owner, layer: f.layer, service: f.service, resource: f.resource, fixable: f.fix !== undefined },
    ...(suppression ? { suppressions: [{ kind: 'inSource', justification: suppression.reason }] } : {}),
  });
  // The results' indentation inside the log (the log's shape does not depend on what it lists).
  const { indent } = resultsPlace(printedLog(version, [], []));
  const printItem = (item: unknown) => indent + JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}`);
  // A streamed scan's findings: printed as they come, held compressed until the rules they use are known.
  const held: HeldResults[] = [];
  const usedByFindings = new Set<string>();
  if (findings !== undefined) {
    let items: string[] = [];
    let ruleIds: string[] = [];
    const hold = () => {
      const text = items.join(',\n');
      // Kept in a buffer of its own size: zlib's answer is a slice of a 16 KB buffer, which it would keep whole.
      const deflated = zlib.deflateRawSync(text, { level: 1 });
      const kept = Buffer.allocUnsafeSlow(deflated.length);
      deflated.copy(kept);
      held.push({ deflated: kept, byteLength: Buffer.byteLength(text, 'utf8'), ruleIds });
      items = [];
      ruleIds = [];
    };
    for (const batch of findings) {
      for (const f of batch) {
        usedByFindings.add(f.ruleId);
        items.push(
          printFindingResult(f, uriOf(f.file), locator.locate(f.file, f.span), indent) ??
            withRuleIndexMark(printItem(toResult(f, undefined)), f.ruleId, indent),
        );
        ruleIds.push(f.ruleId);
        if (items.length >= RESULTS_PER_CHUNK) {
          hold();
        }
      }
      // Compressed at once, the texts die young: held across the scan's next units, they would outlive the young
      // generation and fill the old one with garbage.
      if (items.length > 0) {
        hold();
      }
    }
  } else {
    result.findings.forEach((f) => usedByFindings.add(f.ruleId));
  }
  const used = [...new Set([...usedByFindings, ...result.suppressed.map((f) => f.ruleId)])].sort();
  const descriptors = used.map((id) => rules.byId.get(id)).filter((r): r is Rule => r !== undefined);
  const usedMeta = META_RULES.filter(
    (m) => result.suppressionProblems.some((p) => p.ruleId === m.id) || (m.id === UNKNOWN_PROPERTY_CODE && result.unknownProperties.length > 0),
  );
  const index = new Map([...descriptors, ...usedMeta].map((r, i) => [r.id, i]));
  const notifications = [
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
  ];
  const printed = printedLog(version, [...descriptors.map(ruleDescriptor), ...usedMeta.map(metaRuleDescriptor)], notifications);
  const problemResult = (p: ScanResult['suppressionProblems'][number]) => ({
    ruleId: p.ruleId,
    ruleIndex: index.get(p.ruleId),
    level: META_LEVEL[META_RULES.find((m) => m.id === p.ruleId)?.level ?? 'note'],
    message: { text: p.message },
    locations: [located(p)],
    properties: { suppresses: p.ids },
  });
  const unknownResult = (p: ScanResult['unknownProperties'][number]) => ({
    ruleId: UNKNOWN_PROPERTY_CODE,
    ruleIndex: index.get(UNKNOWN_PROPERTY_CODE),
    level: 'warning',
    message: { text: p.message },
    locations: [located(p)],
    properties: { resource: p.resource, suggestions: p.fixes.map((f) => f.name) },
  });
  const heldCount = held.reduce((n, piece) => n + piece.ruleIds.length, 0);
  const lists: [length: number, resultAt: (i: number) => unknown][] = [
    [findings === undefined ? result.findings.length : 0, (i) => toResult(result.findings[i]!, index.get(result.findings[i]!.ruleId))],
    [result.suppressed.length, (i) => toResult(result.suppressed[i]!, index.get(result.suppressed[i]!.ruleId), { reason: result.suppressed[i]!.reason })],
    [result.suppressionProblems.length, (i) => problemResult(result.suppressionProblems[i]!)],
    [result.unknownProperties.length, (i) => unknownResult(result.unknownProperties[i]!)],
  ];
  const { marker, lineStart, listStart, listEnd } = resultsPlace(printed);
  if (heldCount === 0 && lists.every(([length]) => length === 0)) {
    yield `${printed.slice(0, listStart)}[]${printed.slice(listEnd + 1)}\n`;
    return;
  }
  yield printed.slice(0, lineStart);
  let isFirst = true;
  for (const { deflated, byteLength, ruleIds } of held) {
    // Inflated into one buffer with room to spare, not pieces of 16 KB joined into another.
    const parts = zlib.inflateRawSync(deflated, { chunkSize: byteLength + 64 }).toString('utf8').split(RULE_INDEX_MARK);
    const out: string[] = [parts[0]!];
    ruleIds.forEach((id, i) => {
      const ruleIndex = index.get(id);
      out.push(ruleIndex === undefined ? '' : `\n${indent}  "ruleIndex": ${ruleIndex},`, parts[i + 1]!);
    });
    yield `${isFirst ? '' : ',\n'}${out.join('')}`;
    isFirst = false;
  }
  for (const [length, resultAt] of lists) {
    for (let start = 0; start < length; start += RESULTS_PER_CHUNK) {
      const items: string[] = [];
      for (let i = start; i < Math.min(length, start + RESULTS_PER_CHUNK); i++) {
        items.push(printItem(resultAt(i)));
      }
      yield `${isFirst ? '' : ',\n'}${items.join(',\n')}`;
      isFirst = false;
    }
  }
  yield `${printed.slice(marker + JSON.stringify(RESULTS_MARKER).length)}\n`;
}

/**
 * A finding's result without `ruleIndex` as `JSON.stringify(result, null, 2)` prints it at `indent` in the log, with
 * {@link RULE_INDEX_MARK} after its `ruleId` line: written field by field (a few times faster), for a finding whose
 * fields are all strings and whole numbers as typed; `undefined` for another, which goes through `JSON.stringify`.
 */
function printFindingResult(f: Finding, uri: string, loc: Location, indent: string): string | undefined {
  const level = LEVEL[f.severity];
  const strings = [f.ruleId, level, f.message, f.owner, f.layer, f.service, f.resource];
  const numbers = [loc.line, loc.column, loc.endLine, loc.endColumn];
  if (!strings.every((x) => typeof x === 'string') || !numbers.every(Number.isSafeInteger)) {
    return undefined;
  }
  const q = JSON.stringify;
  const i1 = `${indent}  `;
  const i2 = `${i1}  `;
  const i3 = `${i2}  `;
  const i4 = `${i3}  `;
  const i5 = `${i4}  `;
  return (
    `${indent}{\n${i1}"ruleId": ${q(f.ruleId)},${RULE_INDEX_MARK}\n${i1}"level": ${q(level)},\n` +
    `${i1}"message": {\n${i2}"text": ${q(`${f.message} (${f.owner}-owned, ${f.layer} layer)`)}\n${i1}},\n` +
    `${i1}"locations": [\n${i2}{\n${i3}"physicalLocation": {\n${i4}"artifactLocation": {\n${i5}"uri": ${q(uri)}\n${i4}},\n` +
    `${i4}"region": {\n${i5}"startLine": ${loc.line},\n${i5}"startColumn": ${loc.column},\n${i5}"endLine": ${loc.endLine},\n` +
    `${i5}"endColumn": ${loc.endColumn}\n${i4}}\n${i3}}\n${i2}}\n${i1}],\n` +
    `${i1}"properties": {\n${i2}"owner": ${q(f.owner)},\n${i2}"layer": ${q(f.layer)},\n${i2}"service": ${q(f.service)},\n` +
    `${i2}"resource": ${q(f.resource)},\n${i2}"fixable": ${f.fix !== undefined}\n${i1}}\n${indent}}`
  );
}

/** A printed result without `ruleIndex` with {@link RULE_INDEX_MARK} put after its `ruleId` line. */
function withRuleIndexMark(text: string, ruleId: string, indent: string): string {
  const head = `${indent}{\n${indent}  "ruleId": ${JSON.stringify(ruleId)},`;
  if (!text.startsWith(head)) {
    throw new Error(`SARIF result of ${ruleId} does not start with its rule id`);
  }
  return `${head}${RULE_INDEX_MARK}${text.slice(head.length)}`;
}

/** The printed log with {@link RESULTS_MARKER} in place of the results. */
function printedLog(version: string, rules: unknown[], notifications: unknown[]): string {
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
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [RESULTS_MARKER],
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

/** Where the results go in a printed log: the marker, its line's start and indentation, the list's brackets. */
function resultsPlace(printed: string): { marker: number; lineStart: number; indent: string; listStart: number; listEnd: number } {
  const marker = printed.indexOf(JSON.stringify(RESULTS_MARKER));
  const lineStart = printed.lastIndexOf('\n', marker) + 1;
  return {
    marker,
    lineStart,
    indent: printed.slice(lineStart, marker),
    listStart: printed.lastIndexOf('[', marker),
    listEnd: printed.indexOf(']', marker),
  };
}
