/**
 * Text edits on CloudFormation templates that keep the file's own style: YAML block or flow style and its
 * indentation, JSON and its indentation, comments, and the line endings. Works on the text and the offsets the model
 * carries: the template is parsed again (`parseCloudFormation` reuses a recent parse of the same text) to find the
 * mapping or pair the offsets name.
 *
 * How offsets name a place (see `model/cloudformation/evaluate.ts` `blockInfoOf`): a mapping by its first offset (a
 * YAML block mapping's first key, a flow mapping's or JSON object's `{`); a key with no value by the offset of its
 * (empty) null value; a pair by its key's first offset. A resource's own mapping named as an insertion target means
 * that the resource has no `Properties` yet: they are created.
 */
import { chainOf, isVerbatim, type InsertNode, type Verbatim } from '../../text/insertTree';
import { isFirstOnLine, lineEndAt, lineEndingOf, lineStartAt } from '../../text/lines';
import { appendBracketedItem, removeBracketedItems } from '../../text/listItems';
import type { Span } from '../../text/span';
import { parseCloudFormation } from './index';
import { CfnNode, type CfnMapping, type CfnPair, type CfnParseResult, type CfnScalarStyle, type CfnSequence } from './syntax';

/** A scalar a fix writes. */
export type CfnScalarLiteral = string | number | boolean | null;

/**
 * A scalar or list of scalars a fix writes, or source text written as it is (a reference in the template's syntax:
 * `!GetAtt Key.Arn` in YAML, `{ "Fn::GetAtt": ["Key", "Arn"] }` in JSON).
 */
export type CfnLiteral = CfnScalarLiteral | CfnScalarLiteral[] | Verbatim;

/** One replacement in the text. */
export interface CfnEdit {
  span: Span;
  newText: string;
}

/** A node found in the tree, with what holds it. */
interface Located {
  node: CfnNode;
  /** The pair whose value the node is, if any. */
  pair: CfnPair | undefined;
  /** The collection that holds the node (or its pair). */
  parent: CfnMapping | CfnSequence | undefined;
  /** Whether the node sits inside a YAML flow collection (where `,[]{}` end a plain scalar). */
  isInFlow: boolean;
}

/** Visits every node of every document (iteratively) until `visit` returns true; returns the node it stopped at. */
function findNode(roots: CfnNode[], visit: (located: Located) => boolean): Located | undefined {
  const stack: Located[] = [...roots].reverse().map((node) => ({ node, pair: undefined, parent: undefined, isInFlow: false }));
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (visit(current)) {
      return current;
    }
    const { node } = current;
    const isFlowCollection =
      node.kind === 'sequence'
        ? node.style === 'flow'
        : node.kind === 'mapping' && node.style === 'flow' && node.shortForm === undefined;
    const isInFlow = current.isInFlow || isFlowCollection;
    if (node.kind === 'mapping') {
      for (let i = node.pairs.length - 1; i >= 0; i--) {
        const pair = node.pairs[i]!;
        stack.push({ node: pair.value, pair, parent: node, isInFlow });
      }
    } else if (node.kind === 'sequence') {
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push({ node: node.items[i]!, pair: undefined, parent: node, isInFlow });
      }
    }
  }
  return undefined;
}

/** Every node of a parse by its first offset, and every mapping by the first offsets of its keys, in visit order. */
interface NodeIndex {
  byStart: Map<number, Located[]>;
  byPairKey: Map<number, Located[]>;
}

const nodeIndexes = new WeakMap<CfnNode[], NodeIndex>();

/**
 * The node index of a parse's documents, built by one walk and kept while the parse is: each fix rendered on a
 * template looks its node up instead of walking the whole tree again (which made fixing n findings cost n walks).
 */
function nodeIndexOf(roots: CfnNode[]): NodeIndex {
  let index = nodeIndexes.get(roots);
  if (!index) {
    const built: NodeIndex = { byStart: new Map(), byPairKey: new Map() };
    const add = (map: Map<number, Located[]>, key: number, located: Located) => {
      const list = map.get(key);
      if (list) {
        list.push(located);
      } else {
        map.set(key, [located]);
      }
    };
    findNode(roots, (located) => {
      add(built.byStart, located.node.span.start, located);
      if (located.node.kind === 'mapping') {
        for (const pair of located.node.pairs) {
          add(built.byPairKey, pair.keySpan.start, located);
        }
      }
      return false;
    });
    nodeIndexes.set(roots, built);
    index = built;
  }
  return index;
}

/** The first node (in visit order) starting at `start` that satisfies `accept`. */
function findNodeStartingAt(roots: CfnNode[], start: number, accept: (located: Located) => boolean): Located | undefined {
  return nodeIndexOf(roots).byStart.get(start)?.find(accept);
}

const resourceMappings = new WeakMap<CfnNode[], Set<CfnNode>>();

/**
 * Whether a mapping is a resource's own mapping (a value of a document's top-level `Resources`). The resources'
 * mappings are gathered once per parse, since a fix-all asks once per fix.
 */
function isResourceMapping(roots: CfnNode[], node: CfnMapping): boolean {
  let set = resourceMappings.get(roots);
  if (!set) {
    set = new Set();
    for (const root of roots) {
      for (const r of root.kind === 'mapping' ? root.pairs.filter((p) => p.key === 'Resources') : []) {
        if (r.value.kind === 'mapping') {
          r.value.pairs.forEach((p) => set!.add(p.value));
        }
      }
    }
    resourceMappings.set(roots, set);
  }
  return set.has(node);
}

/** The offset after the line break that ends the line holding `offset` (the text's end on the last line). */
function nextLineStart(text: string, offset: number): number {
  const end = lineEndAt(text, offset);
  if (text[end] === '\r' && text[end + 1] === '\n') {
    return end + 2;
  }
  return end < text.length ? end + 1 : end;
}

/** The column of an offset (code units from its line's start). */
function columnOf(text: string, offset: number): number {
  return offset - lineStartAt(text, offset);
}

/** The leading white space of the line holding `offset`. */
function indentationOf(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineEndAt(text, start)))?.[0] ?? '';
}

/**
 * The indentation step the file uses: the most frequent increase of indentation from one line to the next (ties go to
 * the smaller), or two spaces. JSON files indented with tabs step by one tab.
 */
export function indentStepOf(text: string): string {
  if (text !== lastStepText) {
    lastStepText = text;
    lastStep = computeIndentStep(text);
  }
  return lastStep;
}

/** The last text whose indentation step was asked for, and that step (a fix-all asks once per fix). */
let lastStepText: string | undefined;
let lastStep = '  ';

/** Computes {@link indentStepOf}. */
function computeIndentStep(text: string): string {
  const counts = new Map<string, number>();
  let previous: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '' || /^\s*#/.test(line)) {
      continue;
    }
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (previous !== undefined && indent.length > previous.length && indent.startsWith(previous)) {
      const step = indent.slice(previous.length);
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    previous = indent;
  }
  let best = '  ';
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step.length < best.length)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML scalars

/** Plain scalars that YAML (1.2 core, or 1.1 as older tools read it) would read as something other than a string. */
const NOT_A_PLAIN_STRING =
  new RegExp(
    '^(?:' +
      [
        '~|null|Null|NULL',
        'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF',
        '[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)',
        '[-+]?(?:\\.\\d|\\d)[\\d_.:eE+-]*|0[xo][0-9a-fA-F_]+',
        '\\d{4}-\\d\\d?-\\d\\d?.*',
        '<<|=',
      ].join('|') +
      ')$',
  );

/** Whether a string holds a control character (a line break, a tab, DEL …), which only double quotes can write. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      return true;
    }
  }
  return false;
}

/** Whether a string can be written as a plain YAML scalar in the given context. */
function isPlainSafe(value: string, isInFlow: boolean): boolean {
  if (value === '' || value.trim() !== value || NOT_A_PLAIN_STRING.test(value)) {
    return false;
  }
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || hasControlCharacter(value)) {
    return false;
  }
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) {
    return false;
  }
  return !(isInFlow && /[,[\]{}]/.test(value));
}

/** Renders a string in YAML single quotes. */
function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Renders a scalar as YAML: booleans, numbers and null plain; strings plain when that reads back as the same string,
 * else single-quoted (double-quoted when they hold control characters). `style` keeps an existing value's quotes.
 */
export function renderYamlScalar(value: CfnScalarLiteral, isInFlow: boolean, style?: CfnScalarStyle): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value !== 'string') {
    return Number.isFinite(value) || typeof value === 'boolean' ? String(value) : singleQuoted(String(value));
  }
  if (style === 'double' || hasControlCharacter(value)) {
    return JSON.stringify(value);
  }
  if (style === 'single') {
    return singleQuoted(value);
  }
  return isPlainSafe(value, isInFlow) ? value : singleQuoted(value);
}

/** How deeply a list item's mappings and lists are rendered (a template's `[{ Name: a, Value: b }]` needs two). */
const MAX_ITEM_DEPTH = 16;

/**
 * Renders a list item: a scalar, or (for a template's list of mappings, which reaches here as plain data although
 * the type says scalar) a flow mapping or list, nested at most {@link MAX_ITEM_DEPTH} levels.
 */
function renderYamlItem(value: unknown, isInFlow: boolean, depth = 0): string {
  if (isVerbatim(value)) {
    return value.verbatim;
  }
  if (Array.isArray(value)) {
    return depth >= MAX_ITEM_DEPTH ? '[]' : `[${value.map((v) => renderYamlItem(v, true, depth + 1)).join(', ')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    if (depth >= MAX_ITEM_DEPTH) {
      return '{}';
    }
    const pairs = Object.entries(value).map(([k, v]) => `${renderYamlKey(k, true)}: ${renderYamlItem(v, true, depth + 1)}`);
    return `{ ${pairs.join(', ')} }`;
  }
  return renderYamlScalar(value as CfnScalarLiteral, isInFlow);
}

/** Renders a literal in YAML flow style (`[a, b]` for lists). */
function renderYamlFlow(value: CfnLiteral, style?: CfnScalarStyle): string {
  if (isVerbatim(value)) {
    return value.verbatim;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderYamlItem(v, true)).join(', ')}]`;
  }
  return renderYamlScalar(value, true, style);
}

/** Renders a mapping key. */
function renderYamlKey(key: string, isInFlow: boolean): string {
  const isPlain = isPlainSafe(key, isInFlow) || (/^[A-Za-z][\w:.-]*$/.test(key) && !NOT_A_PLAIN_STRING.test(key));
  return isPlain ? key : singleQuoted(key);
}

/** The block-style lines for a tree of nested mappings ending in values, at `indent` with `step`. */
function yamlBlockLines(nodes: InsertNode[], indent: string, step: string): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    const key = renderYamlKey(node.key, false);
    if ('children' in node) {
      lines.push(`${indent}${key}:`, ...yamlBlockLines(node.children, indent + step, step));
    } else if (isVerbatim(node.value)) {
      lines.push(`${indent}${key}: ${node.value.verbatim}`);
    } else if (Array.isArray(node.value)) {
      if (node.value.length === 0) {
        lines.push(`${indent}${key}: []`);
      } else {
        lines.push(`${indent}${key}:`);
        for (const item of node.value) {
          lines.push(`${indent}${step}- ${renderYamlItem(item, false)}`);
        }
      }
    } else {
      lines.push(`${indent}${key}: ${renderYamlScalar(node.value, false)}`);
    }
  }
  return lines;
}

/** The flow-style text for a tree: `A: { B: v, C: w }`. */
function yamlFlowPairs(nodes: InsertNode[]): string {
  return nodes
    .map((node) => {
      const key = renderYamlKey(node.key, true);
      return 'children' in node ? `${key}: { ${yamlFlowPairs(node.children)} }` : `${key}: ${renderYamlFlow(node.value)}`;
    })
    .join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** Renders a literal as JSON (lists on one line; source text as it is). */
function renderJson(value: CfnLiteral): string {
  if (isVerbatim(value)) {
    return value.verbatim;
  }
  return Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value);
}

/**
 * The JSON text for a tree (`"A": { "B": v }`) in multi-line form: pairs after the first start a line at `indent`,
 * nested pairs one `step` deeper; the first line is unindented.
 */
function jsonPairs(nodes: InsertNode[], indent: string, step: string, eol: string): string {
  return nodes
    .map((node) => {
      const key = JSON.stringify(node.key);
      if (!('children' in node)) {
        return `${key}: ${renderJson(node.value)}`;
      }
      const inner = jsonPairs(node.children, indent + step, step, eol);
      return `${key}: {${eol}${indent}${step}${inner}${eol}${indent}}`;
    })
    .join(`,${eol}${indent}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/**
 * Inserts `segments` (nested mappings, then the key holding `value`) into the mapping (or empty value) that
 * `openOffset` names; undefined when the place cannot be found or edited cleanly.
 */
export function insertCfnValue(
  file: string,
  text: string,
  openOffset: number,
  segments: string[],
  value: CfnLiteral,
): CfnEdit[] | undefined {
  return insertCfnTree(file, text, openOffset, chainOf(segments, value));
}

/**
 * Inserts a tree of nested mappings ending in values (several settings of one fix, a missing mapping written once)
 * into the mapping (or empty value) that `openOffset` names, as `insertCfnValue` does for one setting.
 */
export function insertCfnTree(file: string, text: string, openOffset: number, tree: InsertNode[]): CfnEdit[] | undefined {
  if (tree.length === 0) {
    return undefined;
  }
  const parsed = parseCloudFormation(file, text);
  const target = findNodeStartingAt(
    parsed.documents,
    openOffset,
    ({ node }) => (node.kind === 'mapping' && node.shortForm === undefined) || (node.kind === 'scalar' && node.value === null),
  );
  if (!target) {
    return undefined;
  }
  let located: Located = target;
  let rest = tree;
  if (located.node.kind === 'mapping' && isResourceMapping(parsed.documents, located.node)) {
    rest = [{ key: 'Properties', children: rest }];
  }
  // Walk down through a mapping that exists already (the model may have named an outer mapping).
  for (;;) {
    const only = rest.length === 1 ? rest[0] : undefined;
    if (located.node.kind !== 'mapping' || !only || !('children' in only)) {
      break;
    }
    const existing = located.node.pairs.find((p) => p.key === only.key);
    if (!existing) {
      break;
    }
    const value0 = existing.value;
    const isContainer = value0.kind === 'mapping' && value0.shortForm === undefined;
    const isEmpty = value0.kind === 'scalar' && value0.value === null;
    if (value0.isAliased || !(isContainer || isEmpty)) {
      return undefined;
    }
    located = { node: value0, pair: existing, parent: located.node, isInFlow: located.isInFlow || located.node.style === 'flow' };
    rest = only.children;
  }
  if (located.node.isAliased) {
    return undefined;
  }
  if (located.node.kind === 'scalar') {
    return located.pair ? fillEmptyValue(parsed, text, located, rest) : undefined;
  }
  if (located.node.kind !== 'mapping') {
    return undefined;
  }
  const mapping = located.node;
  if (rest.some((node) => mapping.pairs.some((p) => p.key === node.key))) {
    // A key exists already (with a value that is not a mapping, or beside others to insert): not an insertion.
    return undefined;
  }
  switch (mapping.style) {
    case 'block':
      return insertIntoBlockMapping(text, located, rest);
    case 'flow':
      return insertIntoFlowMapping(text, mapping, rest);
    case 'json':
      return insertIntoJsonObject(text, mapping, rest);
  }
}

/** Inserts at the end of a YAML block mapping, indented like its keys. */
function insertIntoBlockMapping(text: string, located: Located, tree: InsertNode[]): CfnEdit[] | undefined {
  const node = located.node as CfnMapping;
  const last = node.pairs[node.pairs.length - 1];
  if (!last) {
    return undefined;
  }
  const eol = lineEndingOf(text);
  const indent = ' '.repeat(columnOf(text, node.span.start));
  const step = stepBelow(text, located, node.span.start);
  const lines = yamlBlockLines(tree, indent, step);
  // After the last entry's line, so a comment ending that line stays with it.
  const end = lastContentEnd(text, node.span.end);
  const at = lineEndAt(text, end);
  return [{ span: { start: at, end: at }, newText: eol + lines.join(eol) }];
}

/** The end of a value, moved back over the line breaks a block scalar's span may end with. */
function lastContentEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && (text[i - 1] === '\n' || text[i - 1] === '\r')) {
    i--;
  }
  return i;
}

/** The indentation step below a mapping: its keys' column minus its own key's column, or the file's step. */
function stepBelow(text: string, located: Located, childStart: number): string {
  if (located.pair && isFirstOnLine(text, located.pair.keySpan.start)) {
    const delta = columnOf(text, childStart) - columnOf(text, located.pair.keySpan.start);
    if (delta > 0 && lineStartAt(text, childStart) !== lineStartAt(text, located.pair.keySpan.start)) {
      return ' '.repeat(delta);
    }
  }
  const step = indentStepOf(text);
  return step.includes('\t') ? '  ' : step;
}

/** Inserts into a YAML flow mapping: `{ A: 1 }` → `{ A: 1, B: v }`; a multi-line one keeps one entry per line. */
function insertIntoFlowMapping(text: string, node: CfnMapping, tree: InsertNode[]): CfnEdit[] | undefined {
  if (!node.open || !node.close || node.close.start === node.close.end) {
    return undefined;
  }
  const pair = yamlFlowPairs(tree);
  const last = node.pairs[node.pairs.length - 1];
  if (!last) {
    const inner = text.slice(node.open.end, node.close.start);
    if (inner.trim() !== '') {
      return undefined;
    }
    return [{ span: { start: node.open.end, end: node.close.start }, newText: ` ${pair} ` }];
  }
  return [appendAfterLast(text, last, node.close, pair, ' ')];
}

/**
 * The edit that appends `item` after the last entry of a flow collection or JSON object: after a trailing comma
 * if there is one; on its own line, indented like the last entry, when that entry starts its line.
 */
function appendAfterLast(text: string, last: CfnPair, close: Span, item: string, space: string): CfnEdit {
  const eol = lineEndingOf(text);
  let at = last.span.end;
  const between = text.slice(at, close.start);
  const comma = /^\s*,/.exec(between);
  const isMultiLine = isFirstOnLine(text, last.keySpan.start);
  const prefix = isMultiLine ? eol + indentationOf(text, last.keySpan.start) : space;
  if (comma) {
    at += comma[0].length;
    return { span: { start: at, end: at }, newText: prefix + item + ',' };
  }
  return { span: { start: at, end: at }, newText: ',' + prefix + item };
}

/** Inserts into a JSON object, indented like its entries (or one step more than its `{` line). */
function insertIntoJsonObject(text: string, node: CfnMapping, tree: InsertNode[]): CfnEdit[] | undefined {
  if (!node.open || !node.close || node.close.start === node.close.end) {
    return undefined;
  }
  const eol = lineEndingOf(text);
  const openIndent = indentationOf(text, node.open.start);
  const last = node.pairs[node.pairs.length - 1];
  if (!last) {
    if (text.slice(node.open.end, node.close.start).trim() !== '') {
      return undefined;
    }
    const step = indentStepOf(text);
    const inner = openIndent + step;
    // `}` keeps its line's indentation when it starts a line; otherwise it moves to the `{` line's.
    const closeIndent = isFirstOnLine(text, node.close.start) ? indentationOf(text, node.close.start) : openIndent;
    return [
      {
        span: { start: node.open.end, end: node.close.start },
        newText: eol + inner + jsonPairs(tree, inner, step, eol) + eol + closeIndent,
      },
    ];
  }
  const isMultiLine = isFirstOnLine(text, last.keySpan.start);
  const entryIndent = isMultiLine ? indentationOf(text, last.keySpan.start) : openIndent;
  const step =
    isMultiLine && entryIndent.length > openIndent.length && entryIndent.startsWith(openIndent)
      ? entryIndent.slice(openIndent.length)
      : indentStepOf(text);
  const pair = isMultiLine ? jsonPairs(tree, entryIndent, step, eol) : jsonInline(tree);
  return [appendAfterLast(text, last, node.close, pair, ' ')];
}

/** The one-line JSON text for a tree: `"A": { "B": v, "C": w }`. */
function jsonInline(nodes: InsertNode[]): string {
  return nodes
    .map((node) =>
      'children' in node
        ? `${JSON.stringify(node.key)}: { ${jsonInline(node.children)} }`
        : `${JSON.stringify(node.key)}: ${renderJson(node.value)}`,
    )
    .join(', ');
}

/** Fills a key that has no value (`Properties:`, `Properties: ~`, `"Properties": null`) with the nested mappings. */
function fillEmptyValue(
  parsed: CfnParseResult,
  text: string,
  located: Located,
  tree: InsertNode[],
): CfnEdit[] | undefined {
  const pair = located.pair!;
  const empty = located.node;
  const eol = lineEndingOf(text);
  if (parsed.syntax === 'json') {
    const indent = indentationOf(text, pair.keySpan.start);
    const step = indentStepOf(text);
    return [
      {
        span: empty.span,
        newText: `{${eol}${indent}${step}${jsonPairs(tree, indent + step, step, eol)}${eol}${indent}}`,
      },
    ];
  }
  const beforeKey = text.slice(lineStartAt(text, pair.keySpan.start), pair.keySpan.start);
  // A key written after other content on its line (not just indentation and `- ` item markers) cannot hold a block.
  if (located.isInFlow || !/^[ \t]*(?:- )*$/.test(beforeKey)) {
    return [{ span: empty.span, newText: `{ ${yamlFlowPairs(tree)} }` }];
  }
  // Block style: remove the null token (and the spaces before it), then add the lines after the key's line.
  const colon = text.lastIndexOf(':', empty.span.start);
  const edits: CfnEdit[] = [];
  if (empty.span.end > empty.span.start && colon >= pair.keySpan.end) {
    edits.push({ span: { start: colon + 1, end: empty.span.end }, newText: '' });
  }
  const keyIndent = ' '.repeat(columnOf(text, pair.keySpan.start));
  const step = stepBelow(text, { ...located, pair: undefined }, pair.keySpan.start);
  const lines = yamlBlockLines(tree, keyIndent + step, step);
  const at = lineEndAt(text, Math.max(empty.span.end, pair.keySpan.end));
  edits.push({ span: { start: at, end: at }, newText: eol + lines.join(eol) });
  return edits;
}

/**
 * Replaces the value of the pair whose key starts at `keyStart`, or the value node spanning `valueSpan` inside it
 * (a `Ref`, a taken `Fn::If` branch), keeping a scalar's quotes; undefined when it cannot be found.
 */
export function replaceCfnValue(
  file: string,
  text: string,
  keyStart: number,
  valueSpan: Span,
  value: CfnLiteral,
): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  const found = findNodeStartingAt(parsed.documents, valueSpan.start, ({ node }) => node.span.end === valueSpan.end);
  if (!found || found.node.isAliased) {
    return undefined;
  }
  const node = found.node;
  if (parsed.syntax === 'json') {
    return [{ span: node.span, newText: renderJson(value) }];
  }
  const style = node.kind === 'scalar' ? node.style : undefined;
  const rendered =
    Array.isArray(value) || isVerbatim(value)
      ? renderYamlFlow(value)
      : renderYamlScalar(value, found.isInFlow, style === 'single' || style === 'double' ? style : undefined);
  const pair = found.pair;
  const isOnLaterLine = pair !== undefined && lineStartAt(text, node.span.start) !== lineStartAt(text, pair.keySpan.start);
  if (isOnLaterLine && pair.keySpan.start === keyStart && !found.isInFlow) {
    // A block collection (or a scalar on the next line) below its key: the value moves up after the `:`.
    const colon = text.indexOf(':', pair.keySpan.end);
    if (colon < 0 || colon >= node.span.start) {
      return undefined;
    }
    return [
      { span: { start: colon + 1, end: colon + 1 }, newText: ` ${rendered}` },
      { span: { start: lineStartAt(text, node.span.start), end: nextLineStart(text, node.span.end) }, newText: '' },
    ];
  }
  // An empty value right after its `:` needs the space YAML wants there.
  const isBare = node.span.start === node.span.end && text[node.span.start - 1] === ':';
  return [{ span: node.span, newText: isBare ? ` ${rendered}` : rendered }];
}

/** Removes the pair whose key starts at `keyStart` (its whole lines in block style; with its comma in flow and JSON). */
export function removeCfnPair(file: string, text: string, keyStart: number): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  let holder: CfnMapping | undefined;
  let holderLocated: Located | undefined;
  const found = nodeIndexOf(parsed.documents).byPairKey.get(keyStart)?.find((located) => {
    const { node } = located;
    if (node.kind === 'mapping' && node.shortForm === undefined) {
      holder = node;
      holderLocated = located;
      return true;
    }
    return false;
  });
  if (!found || !holder || !holderLocated || holder.isAliased) {
    return undefined;
  }
  const index = holder.pairs.findIndex((p) => p.keySpan.start === keyStart);
  const pair = holder.pairs[index]!;
  if (holder.style === 'block') {
    if (holder.pairs.length === 1) {
      return removeOnlyPair(text, holderLocated, pair);
    }
    if (!isFirstOnLine(text, pair.keySpan.start)) {
      return undefined;
    }
    const start = lineStartAt(text, pair.keySpan.start);
    return [{ span: { start, end: nextLineStart(text, lastContentEnd(text, pair.span.end)) }, newText: '' }];
  }
  const previous = holder.pairs[index - 1];
  const next = holder.pairs[index + 1];
  if (next) {
    const start = isFirstOnLine(text, pair.keySpan.start) ? lineStartAt(text, pair.keySpan.start) : pair.span.start;
    const end = isFirstOnLine(text, next.keySpan.start) ? lineStartAt(text, next.keySpan.start) : next.span.start;
    return [{ span: { start, end }, newText: '' }];
  }
  if (previous) {
    return [{ span: { start: previous.span.end, end: pair.span.end }, newText: '' }];
  }
  if (!holder.open || !holder.close) {
    return undefined;
  }
  return [{ span: { start: holder.open.end, end: holder.close.start }, newText: '' }];
}

/**
 * Removes the items at `indexes` (ascending) from the sequence that is the value of the pair whose key starts at
 * `keyStart`: in block style each item's whole lines (every item: the sequence becomes `[]` after its key), in flow
 * style and JSON each item with its comma. Undefined when the pair or its sequence is not written there.
 */
export function removeCfnItems(file: string, text: string, keyStart: number, indexes: number[]): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  let sequence: CfnSequence | undefined;
  let keyEnd = keyStart;
  nodeIndexOf(parsed.documents).byPairKey.get(keyStart)?.find(({ node }) => {
    const isPlain = node.kind === 'mapping' && node.shortForm === undefined && !node.isAliased;
    const pair = isPlain ? node.pairs.find((p) => p.keySpan.start === keyStart) : undefined;
    sequence = pair?.value.kind === 'sequence' && !pair.value.isAliased ? pair.value : undefined;
    keyEnd = pair?.keySpan.end ?? keyStart;
    return sequence !== undefined;
  });
  if (!sequence || indexes.length === 0 || indexes.some((i) => i < 0 || i >= sequence!.items.length)) {
    return undefined;
  }
  const items = sequence.items;
  if (sequence.style !== 'block') {
    if (!sequence.open || !sequence.close || sequence.close.start === sequence.close.end) {
      return undefined;
    }
    return removeBracketedItems(text, { start: sequence.open.start, end: sequence.close.end }, items.map((item) => item.span), indexes);
  }
  // Block style: an item is its `- ` line and the lines of its content below.
  const lines: Span[] = [];
  for (const item of items) {
    const dash = lineStartAt(text, item.span.start);
    if (!/^[ \t]*-[ \t]+$/.test(text.slice(dash, item.span.start))) {
      return undefined; // an item that does not start on its own `- ` line
    }
    lines.push({ start: dash, end: nextLineStart(text, lastContentEnd(text, item.span.end)) });
  }
  const edits: CfnEdit[] = indexes.map((i) => ({ span: lines[i]!, newText: '' }));
  if (indexes.length === items.length) {
    const colon = text.indexOf(':', keyEnd);
    if (colon < 0 || colon >= lines[0]!.start) {
      return undefined;
    }
    edits.unshift({ span: { start: colon + 1, end: colon + 1 }, newText: ' []' });
  }
  return edits;
}

/** A list item a fix appends: a scalar, or a mapping of scalars (`{ Name: x, Value: on }`). */
export type CfnItem = CfnScalarLiteral | { [key: string]: CfnScalarLiteral };

/**
 * Appends an item to the sequence that is the value of the pair whose key starts at `keyStart`, in the sequence's
 * style: a block sequence gets a `- ` line (a mapping's other keys on lines below it) indented like its last item; a
 * flow sequence or JSON array gets the item after a comma, on a line of its own where the items are one per line (a
 * JSON object over lines, its keys one step deeper). Undefined when the pair or its sequence is not written there.
 */
export function appendCfnItem(file: string, text: string, keyStart: number, item: CfnItem): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  let sequence: CfnSequence | undefined;
  nodeIndexOf(parsed.documents).byPairKey.get(keyStart)?.find(({ node }) => {
    const isPlain = node.kind === 'mapping' && node.shortForm === undefined && !node.isAliased;
    const pair = isPlain ? node.pairs.find((p) => p.keySpan.start === keyStart) : undefined;
    sequence = pair?.value.kind === 'sequence' && !pair.value.isAliased ? pair.value : undefined;
    return sequence !== undefined;
  });
  if (!sequence) {
    return undefined;
  }
  const eol = lineEndingOf(text);
  const pairs = item !== null && typeof item === 'object' ? Object.entries(item) : undefined;
  if (sequence.style === 'json') {
    const step = indentStepOf(text);
    const render = (indent: string) =>
      pairs === undefined
        ? JSON.stringify(item)
        : indent === ''
          ? `{ ${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`
          : ['{', pairs.map(([k, v]) => `${indent}${step}${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(`,${eol}`), `${indent}}`].join(eol);
    return bracketed(text, sequence, render);
  }
  if (sequence.style === 'flow') {
    const render = () =>
      pairs === undefined
        ? renderYamlScalar(item as CfnScalarLiteral, true)
        : `{ ${pairs.map(([k, v]) => `${renderYamlKey(k, true)}: ${renderYamlScalar(v, true)}`).join(', ')} }`;
    return bracketed(text, sequence, render);
  }
  const last = sequence.items[sequence.items.length - 1];
  const dash = last ? lineStartAt(text, last.span.start) : 0;
  const lead = last ? /^([ \t]*)-([ \t]+)$/.exec(text.slice(dash, last.span.start)) : undefined;
  if (!last || !lead) {
    return undefined; // an item that does not start on its own `- ` line
  }
  const contentIndent = ' '.repeat(lead[0].length);
  const lines =
    pairs === undefined
      ? [`${lead[0]}${renderYamlScalar(item as CfnScalarLiteral, false)}`]
      : pairs.map(([k, v], i) => `${i === 0 ? lead[0] : contentIndent}${renderYamlKey(k, false)}: ${renderYamlScalar(v, false)}`);
  if (lines.length === 0) {
    return undefined;
  }
  const at = lineEndAt(text, lastContentEnd(text, last.span.end));
  return [{ span: { start: at, end: at }, newText: eol + lines.join(eol) }];
}

/** Appends to a flow sequence or JSON array `[ … ]` (see `appendBracketedItem`). */
function bracketed(text: string, sequence: CfnSequence, render: (indent: string) => string): CfnEdit[] | undefined {
  if (!sequence.open || !sequence.close || sequence.close.start === sequence.close.end) {
    return undefined;
  }
  const span = { start: sequence.open.start, end: sequence.close.end };
  return appendBracketedItem(text, span, sequence.items.map((i) => i.span), render, true);
}

/** Removes the only pair of a YAML block mapping: the mapping becomes `{}` after its own key. */
function removeOnlyPair(text: string, located: Located, pair: CfnPair): CfnEdit[] | undefined {
  const owner = located.pair;
  if (!owner || !isFirstOnLine(text, pair.keySpan.start)) {
    return undefined;
  }
  const colon = text.indexOf(':', owner.keySpan.end);
  if (colon < 0 || colon >= pair.keySpan.start) {
    return undefined;
  }
  return [
    { span: { start: colon + 1, end: colon + 1 }, newText: ' {}' },
    {
      span: { start: lineStartAt(text, pair.keySpan.start), end: nextLineStart(text, lastContentEnd(text, pair.span.end)) },
      newText: '',
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// A new resource

/** A value written whole into a new resource: scalars, lists and mappings; `{ Ref: X }`, `{ "Fn::Sub": s }` … */
export type CfnDocument = CfnScalarLiteral | CfnDocument[] | { [key: string]: CfnDocument };

/** The most levels a written document may nest; deeper ones are not written (an IAM policy needs five). */
export const MAX_CFN_DOCUMENT_DEPTH = 16;

function isMappingDocument(value: CfnDocument): value is { [key: string]: CfnDocument } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The YAML short form of an intrinsic function with a scalar argument (`!Ref X`, `!Sub '…'`), if the value is one. */
function yamlShortForm(value: CfnDocument): string | undefined {
  if (!isMappingDocument(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  const name = keys.length === 1 ? keys[0]! : '';
  const argument = value[name];
  if (!(name === 'Ref' || name.startsWith('Fn::')) || argument === undefined || (argument !== null && typeof argument === 'object')) {
    return undefined;
  }
  return `!${name === 'Ref' ? 'Ref' : name.slice(4)} ${renderYamlScalar(argument, false)}`;
}

/** The block-style lines of a mapping's entries at `indent`; undefined when it nests too deep or holds a list of lists. */
function yamlDocumentLines(value: { [key: string]: CfnDocument }, indent: string, step: string, depth: number): string[] | undefined {
  if (depth > MAX_CFN_DOCUMENT_DEPTH) {
    return undefined;
  }
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const head = `${indent}${renderYamlKey(key, false)}:`;
    const short = yamlShortForm(v);
    if (short !== undefined) {
      lines.push(`${head} ${short}`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) {
        lines.push(`${head} []`);
        continue;
      }
      lines.push(head);
      for (const item of v) {
        const itemShort = yamlShortForm(item);
        if (itemShort !== undefined) {
          lines.push(`${indent}${step}- ${itemShort}`);
        } else if (isMappingDocument(item) && Object.keys(item).length > 0) {
          const inner = yamlDocumentLines(item, `${indent}${step}  `, step, depth + 1);
          if (!inner) {
            return undefined;
          }
          inner[0] = `${indent}${step}- ${inner[0]!.trimStart()}`;
          lines.push(...inner);
        } else if (item === null || typeof item !== 'object') {
          lines.push(`${indent}${step}- ${renderYamlScalar(item, false)}`);
        } else {
          return undefined;
        }
      }
    } else if (isMappingDocument(v)) {
      if (Object.keys(v).length === 0) {
        lines.push(`${head} {}`);
        continue;
      }
      const inner = yamlDocumentLines(v, indent + step, step, depth + 1);
      if (!inner) {
        return undefined;
      }
      lines.push(head, ...inner);
    } else {
      lines.push(`${head} ${renderYamlScalar(v, false)}`);
    }
  }
  return lines;
}

/** Whether a document nests no deeper than {@link MAX_CFN_DOCUMENT_DEPTH} (checked before `JSON.stringify`). */
function isShallow(value: CfnDocument): boolean {
  const stack: { value: CfnDocument; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (depth > MAX_CFN_DOCUMENT_DEPTH) {
      return false;
    }
    if (v !== null && typeof v === 'object') {
      for (const child of Array.isArray(v) ? v : Object.values(v)) {
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return true;
}

/** The pairs of mappings by key (the first pair of each key), made once per mapping. */
const pairIndexes = new WeakMap<CfnMapping, Map<string, CfnPair>>();

/**
 * The pairs of a mapping by key, the first of each key: a template's `Resources` is asked once per companion resource a
 * fix adds, so looking a key up must not walk every resource each time.
 */
function pairsByKey(mapping: CfnMapping): Map<string, CfnPair> {
  let index = pairIndexes.get(mapping);
  if (!index) {
    index = new Map();
    for (const pair of mapping.pairs) {
      if (!index.has(pair.key)) {
        index.set(pair.key, pair);
      }
    }
    pairIndexes.set(mapping, index);
  }
  return index;
}

/**
 * Adds a resource `id` with `body` (its `Type`, `Properties` …) to the `Resources` mapping, right after the resource
 * `after`, in the template's style (YAML block mapping or JSON, its indentation and line endings); undefined when
 * `after` is not found, `id` exists already, the mapping is in YAML flow style, or the body nests too deep.
 */
export function appendCfnResource(
  file: string,
  text: string,
  after: string,
  id: string,
  body: { [key: string]: CfnDocument },
): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  const resources = parsed.documents.map((root) => CfnNode.get(root, 'Resources')).find((r) => r?.kind === 'mapping' && pairsByKey(r).has(after));
  if (resources?.kind !== 'mapping' || resources.isAliased || pairsByKey(resources).has(id) || !isShallow(body)) {
    return undefined;
  }
  const pair = pairsByKey(resources).get(after)!;
  const eol = lineEndingOf(text);
  const indent = indentationOf(text, pair.keySpan.start);
  if (!isFirstOnLine(text, pair.keySpan.start)) {
    return undefined;
  }
  if (resources.style === 'block') {
    const step = indentStepOf(text).includes('\t') ? '  ' : indentStepOf(text);
    const lines = yamlDocumentLines(body, indent + step, step, 0);
    if (!lines) {
      return undefined;
    }
    const at = lineEndAt(text, lastContentEnd(text, pair.span.end));
    return [{ span: { start: at, end: at }, newText: eol + [`${indent}${renderYamlKey(id, false)}:`, ...lines].join(eol) }];
  }
  if (resources.style === 'json') {
    const step = indentStepOf(text);
    const rendered = JSON.stringify(body, null, step).split('\n').join(eol + indent);
    const at = pair.span.end;
    return [{ span: { start: at, end: at }, newText: `,${eol}${indent}${JSON.stringify(id)}: ${rendered}` }];
  }
  return undefined;
}

/** The template sections whose keys a `Ref` names, so a new resource's logical id must differ from all of them. */
const REFERABLE_SECTIONS = ['Resources', 'Parameters'];

/** The logical ids of a template's resources and parameters (a new resource's id must be none of them). */
export function cfnLogicalIds(file: string, text: string): string[] {
  return parseCloudFormation(file, text).documents.flatMap((root) =>
    REFERABLE_SECTIONS.flatMap((section) => {
      const mapping = CfnNode.get(root, section);
      return mapping?.kind === 'mapping' ? mapping.pairs.map((p) => p.key) : [];
    }),
  );
}

/**
 * Whether `id` is free as a new resource's logical id: neither a resource nor a parameter of the template has it
 * (both are named by `Ref`, and CloudFormation wants them unique).
 */
export function isCfnLogicalIdFree(file: string, text: string, id: string): boolean {
  return !cfnLogicalIds(file, text).includes(id);
}

/**
 * The reference to attribute `attribute` of resource `id` in the template's syntax: `!GetAtt Id.Attribute` (or
 * `!Ref Id` for `Ref`) in YAML, `{ "Fn::GetAtt": ["Id", "Attribute"] }` (or `{ "Ref": "Id" }`) in JSON.
 */
export function cfnReference(file: string, text: string, id: string, attribute: string): Verbatim {
  const isJson = parseCloudFormation(file, text).syntax === 'json';
  if (attribute === 'Ref') {
    return { verbatim: isJson ? `{ "Ref": ${JSON.stringify(id)} }` : `!Ref ${id}` };
  }
  return { verbatim: isJson ? `{ "Fn::GetAtt": [${JSON.stringify(id)}, ${JSON.stringify(attribute)}] }` : `!GetAtt ${id}.${attribute}` };
}

/**
 * The account itself as a policy principal, in the template's syntax: the ARN of its root
 * (`!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"`, `{ "Fn::Sub": … }` in JSON), or a whole `Principal`
 * holding it as `AWS`.
 */
export function cfnAccountPrincipal(file: string, text: string, form: 'principal' | 'arn'): Verbatim {
  const sub = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root';
  if (parseCloudFormation(file, text).syntax === 'json') {
    const arn = `{ "Fn::Sub": ${JSON.stringify(sub)} }`;
    return { verbatim: form === 'arn' ? arn : `{ "AWS": ${arn} }` };
  }
  const arn = `!Sub "${sub}"`;
  return { verbatim: form === 'arn' ? arn : `{ AWS: ${arn} }` };
}

// ---------------------------------------------------------------------------------------------------------------
// A new parameter

/**
 * Whether the value spanning `valueSpan` is one string scalar written in place: plain, quoted or a JSON string (not a
 * block scalar, an intrinsic function, an alias or a string inside a larger one).
 */
export function isCfnPlainString(file: string, text: string, valueSpan: Span): boolean {
  const parsed = parseCloudFormation(file, text);
  const found = findNodeStartingAt(parsed.documents, valueSpan.start, ({ node }) => node.span.end === valueSpan.end);
  const node = found?.node;
  return (
    node?.kind === 'scalar' &&
    !node.isAliased &&
    typeof node.value === 'string' &&
    (node.style === 'plain' || node.style === 'single' || node.style === 'double' || node.style === 'json')
  );
}

/** The start of the line holding `offset`, moved up over the comment lines right above it (they belong to it). */
function startWithComments(text: string, offset: number): number {
  let start = lineStartAt(text, offset);
  while (start > 0) {
    const previous = lineStartAt(text, start - 1);
    if (!/^[ \t]*#/.test(text.slice(previous, start))) {
      break;
    }
    start = previous;
  }
  return start;
}

/**
 * Declares a parameter `id` with `properties` (`Type`, `NoEcho`, `Description`) in the template's `Parameters`
 * section, in the template's style (YAML block or flow, JSON; its indentation and line endings). A template without
 * the section gets one before `Resources` (after the section's last parameter otherwise). Undefined when `id` is a
 * resource's or parameter's id already, or when the place cannot be edited cleanly.
 */
export function addCfnParameter(file: string, text: string, id: string, properties: InsertNode[]): CfnEdit[] | undefined {
  const parsed = parseCloudFormation(file, text);
  const root = parsed.documents.length === 1 ? parsed.documents[0] : undefined;
  if (root?.kind !== 'mapping' || root.shortForm !== undefined || root.isAliased || !isCfnLogicalIdFree(file, text, id)) {
    return undefined;
  }
  const parameter: InsertNode = { key: id, children: properties };
  const section = root.pairs.find((p) => p.key === 'Parameters');
  if (section) {
    const value = section.value;
    const isEmpty = value.kind === 'scalar' && value.value === null;
    if (value.isAliased || !(isEmpty || (value.kind === 'mapping' && value.shortForm === undefined))) {
      return undefined;
    }
    return insertCfnTree(file, text, value.span.start, [parameter]);
  }
  const tree: InsertNode[] = [{ key: 'Parameters', children: [parameter] }];
  const resources = root.pairs.find((p) => p.key === 'Resources');
  if (!resources || root.style === 'flow' || !isFirstOnLine(text, resources.keySpan.start)) {
    return insertCfnTree(file, text, root.span.start, tree);
  }
  const eol = lineEndingOf(text);
  const indent = indentationOf(text, resources.keySpan.start);
  if (root.style === 'json') {
    const at = resources.keySpan.start;
    return [{ span: { start: at, end: at }, newText: `${jsonPairs(tree, indent, indentStepOf(text), eol)},${eol}${indent}` }];
  }
  const step = indentStepOf(text).includes('\t') ? '  ' : indentStepOf(text);
  const at = startWithComments(text, resources.keySpan.start);
  return [{ span: { start: at, end: at }, newText: yamlBlockLines(tree, indent, step).join(eol) + eol }];
}
