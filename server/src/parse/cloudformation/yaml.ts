/**
 * Reads a CloudFormation template written in YAML with the `yaml` package (its `Parser` and `Composer` and a
 * `LineCounter`, as yaml-language-server does) into the syntax tree of `syntax.ts`. Short-form intrinsics
 * are registered as custom tags and normalized to their long form (`intrinsics.ts`); aliases are expanded within a
 * budget; duplicate keys are reported as warnings. Never throws: a broken document yields what parsed.
 */
import {
  Composer,
  LineCounter,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type CollectionTag,
  type Document,
  type ScalarTag,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import { SHORT_FORM_TAGS, normalizeShortForm } from './intrinsics';
import {
  MAX_ALIAS_EXPANSIONS,
  capDiagnostics,
  MAX_ALIAS_NODES,
  MAX_NESTING_DEPTH,
  type CfnDiagnostic,
  type CfnMapping,
  type CfnNode,
  type CfnPair,
  type CfnParseResult,
  type CfnScalar,
  type CfnScalarStyle,
  type CfnSequence,
} from './syntax';

/** The custom tags: each short form may tag a scalar, a sequence or a mapping, and resolves to the node as written. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_FORM_TAGS).flatMap((tag) => [
  { tag, identify: () => false, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, identify: () => false, collection: 'seq', resolve: (value: unknown) => value } satisfies CollectionTag,
  { tag, identify: () => false, collection: 'map', resolve: (value: unknown) => value } satisfies CollectionTag,
]);

/** The scalar styles of the `yaml` package, by its `Scalar.type` names. */
const SCALAR_STYLES: Readonly<Record<string, CfnScalarStyle>> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

/** The characters after which a tag token may start. */
const TAG_PRECEDERS = new Set([' ', '\n', '\r', '[', '{', ',']);

/** One tag written in the source, found in the CST (the composed nodes do not keep where their tag was). */
interface TagToken {
  offset: number;
  source: string;
}

/** Parses a YAML 1.2 stream (a CloudFormation template: one document, normally) into `CfnNode` trees; never throws. */
export function parseYamlTemplate(text: string): CfnParseResult {
  return readYamlTemplate(text).result;
}

/** Parses a YAML stream as {@link parseYamlTemplate} does, and tells whether it has anchors or aliases. */
export function readYamlTemplate(text: string): { result: CfnParseResult; hasAnchors: boolean } {
  const lineCounter = new LineCounter();
  try {
    const { documents, reader } = composeYaml(text, lineCounter.addNewLine);
    const roots: CfnNode[] = [];
    documents.forEach((document, i) => {
      reader.addErrors(document);
      const converted = document.contents === null ? undefined : reader.convert(document.contents, document, 0, false);
      const isEmpty = converted?.kind === 'scalar' && converted.value === null && converted.span.start === converted.span.end;
      if (converted && !isEmpty) {
        roots.push(converted);
      }
      if (i > 0) {
        const start = document.range[0];
        reader.diagnostics.push({
          span: { start, end: Math.max(start, Math.min(document.range[1], lineEndOf(text, start))) },
          message: 'CloudFormation reads one YAML document per template; each document here is checked on its own',
          severity: 'error',
          code: 'cfn-multiple-documents',
        });
      }
    });
    const result: CfnParseResult = {
      syntax: 'yaml',
      root: roots[0],
      documents: roots,
      diagnostics: capDiagnostics(reader.diagnostics),
      lineStarts: [...lineCounter.lineStarts],
    };
    return { result, hasAnchors: reader.hasAnchors };
  } catch (error) {
    // The composer recurses per nesting level; a pathological document can exhaust the stack. Report, never throw.
    const result: CfnParseResult = {
      syntax: 'yaml',
      root: undefined,
      documents: [],
      diagnostics: [
        {
          span: { start: 0, end: 0 },
          message: `The YAML document could not be read (${error instanceof Error ? error.message : String(error)})`,
          severity: 'error',
          code: 'cfn-yaml-unreadable',
        },
      ],
      lineStarts: [0],
    };
    return { result, hasAnchors: false };
  }
}

/**
 * The options of the composer. The custom tags are added by a function: given as an array, the `yaml` package
 * concatenates them one at a time for every document (a cost per chunk read).
 */
const COMPOSER_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  strict: false,
  uniqueKeys: false,
  customTags: (tags) => tags.concat(CUSTOM_TAGS),
  version: '1.2',
};

/** Lexes, parses and composes a YAML text with the `yaml` package, and a reader for the composed documents. */
function composeYaml(text: string, onNewLine: ((offset: number) => void) | undefined) {
  const parser = new Parser(onNewLine);
  const tokens = [...parser.parse(text)];
  const composer = new Composer(COMPOSER_OPTIONS);
  const documents = [...composer.compose(tokens, true, text.length)];
  return { documents, reader: new YamlReader(text, () => collectTagTokens(tokens)) };
}

/** One entry of a block mapping read from a text that holds only that entry (see `yamlChunks.ts`). */
export interface YamlEntry {
  /** The entry; its spans are offsets in the chunk's text. */
  pair: CfnPair;
  /** Duplicate keys inside the entry (other problems make the chunk unusable: see `isUsable`). */
  diagnostics: CfnDiagnostic[];
}

/**
 * Reads a text that holds exactly one entry of a block mapping, at the nesting `depth` (0 for a top-level key of a
 * template, 1 for an entry of a top-level section) the entry has in the whole template. Returns undefined when the
 * text is anything else or reading it alone could differ from reading it in place: a YAML error or warning, an
 * anchor or alias, more than one document, nesting beyond the limit.
 */
export function readYamlEntry(text: string, depth: number): YamlEntry | undefined {
  try {
    const { documents, reader } = composeYaml(text, undefined);
    const [document] = documents;
    if (documents.length !== 1 || !document || document.errors.length > 0 || document.warnings.length > 0) {
      return undefined;
    }
    if (!isMap(document.contents) || document.contents.flow === true) {
      return undefined;
    }
    reader.stopsAtAnchors = true;
    const converted = reader.convert(document.contents, document, depth, false);
    if (converted.kind !== 'mapping' || converted.pairs.length !== 1) {
      return undefined;
    }
    if (reader.diagnostics.some((d) => d.code !== 'cfn-duplicate-key')) {
      return undefined;
    }
    return { pair: converted.pairs[0]!, diagnostics: reader.diagnostics };
  } catch {
    return undefined;
  }
}

/** The offset where the line holding `offset` ends. */
function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
    i++;
  }
  return i;
}

/** Collects every tag token of the CST with its offset, in source order (an iterative walk: the CST may be deep). */
function collectTagTokens(tokens: unknown[]): TagToken[] {
  const out: TagToken[] = [];
  const stack: unknown[] = [...tokens].reverse();
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
      }
      continue;
    }
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    const record = item as Record<string, unknown>;
    if (record.type === 'tag' && typeof record.offset === 'number' && typeof record.source === 'string') {
      out.push({ offset: record.offset, source: record.source });
      continue;
    }
    for (const key of ['props', 'start', 'key', 'sep', 'value', 'items', 'end']) {
      if (key in record) {
        stack.push(record[key]);
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Removes the position and source excerpt that the `yaml` package appends to its messages. */
function cleanMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Converts composed `yaml` nodes into `CfnNode`s, with spans, duplicate-key warnings and the limits. */
class YamlReader {
  readonly diagnostics: CfnDiagnostic[] = [];
  private aliasExpansions = 0;
  private aliasNodes = 0;
  private reportedDepth = false;
  private reportedAliases = false;
  /** The alias being expanded that is written outside any expansion. */
  private outerAlias: Span | undefined;
  /** The tags written in the source, collected from the CST when the first short-form tag is met. */
  private tags: TagToken[] | undefined;
  /** Whether an anchor (`&name`) or an alias (`*name`) was read. */
  hasAnchors = false;
  /** Set to stop reading (by throwing {@link AnchorMet}) at the first anchor or alias. */
  stopsAtAnchors = false;

  constructor(
    private readonly text: string,
    private readonly collectTags: () => TagToken[],
  ) {}

  /**
   * The tag's span when the text holds it directly before the node: the nearest earlier occurrence of its text,
   * starting a token (after white space, a flow indicator or at the start) outside a comment, with only white space up
   * to the node. Nothing else (a comment, an anchor) lies between, so it is the tag token. Undefined otherwise.
   */
  private tagInText(tag: string, nodeStart: number): Span | undefined {
    const start = this.text.lastIndexOf(tag, nodeStart - tag.length);
    if (start < 0) {
      return undefined;
    }
    const before = start === 0 ? ' ' : this.text[start - 1]!;
    if (!TAG_PRECEDERS.has(before)) {
      return undefined;
    }
    for (let i = start + tag.length; i < nodeStart; i++) {
      const c = this.text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13) {
        return undefined;
      }
    }
    // Not in a comment: no `#` starts one earlier on the line (a `#` in a string there only sends this to the CST).
    for (let i = start - 1; i >= 0 && this.text[i] !== '\n' && this.text[i] !== '\r'; i--) {
      if (this.text[i] === '#' && (i === 0 || TAG_PRECEDERS.has(this.text[i - 1]!))) {
        return undefined;
      }
    }
    return { start, end: start + tag.length };
  }

  /** Notes an anchor or alias. */
  private metAnchor(): void {
    this.hasAnchors = true;
    if (this.stopsAtAnchors) {
      throw new AnchorMet();
    }
  }

  /** Adds a document's errors and warnings as diagnostics. */
  addErrors(document: Document.Parsed): void {
    for (const [list, severity] of [
      [document.errors, 'error'],
      [document.warnings, 'warning'],
    ] as const) {
      for (const e of list) {
        const start = Math.max(0, Math.min(e.pos[0], this.text.length));
        const end = Math.max(start, Math.min(e.pos[1], this.text.length));
        this.diagnostics.push({ span: { start, end }, message: cleanMessage(e.message), severity, code: `yaml-${e.code}` });
      }
    }
  }

  /** Converts one node; `isAliased` marks nodes reached through an alias. */
  convert(node: unknown, document: Document.Parsed, depth: number, isAliased: boolean): CfnNode {
    WorkCounter.parser++;
    if (isAliased && ++this.aliasNodes > MAX_ALIAS_NODES) {
      return this.nullAt(rangeOf(node)?.[0] ?? 0, isAliased);
    }
    if (depth > MAX_NESTING_DEPTH) {
      const range = rangeOf(node);
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.diagnostics.push({
          span: { start: range?.[0] ?? 0, end: range?.[1] ?? 0 },
          message: `Values nested deeper than ${MAX_NESTING_DEPTH} levels are not read`,
          severity: 'error',
          code: 'cfn-nesting-too-deep',
        });
      }
      return this.nullAt(range?.[0] ?? 0, isAliased);
    }
    if (isAlias(node) || (node as { anchor?: string }).anchor !== undefined) {
      this.metAnchor();
    }
    if (isAlias(node)) {
      return this.convertAlias(node, document, depth, isAliased);
    }
    let converted: CfnNode;
    if (isScalar(node)) {
      converted = this.convertScalar(node.value, node.type, node.range, isAliased);
    } else if (isMap(node)) {
      converted = this.convertMap(node.items, node.flow === true, node.range, document, depth, isAliased);
    } else if (isSeq(node)) {
      converted = this.convertSeq(node.items, node.flow === true, node.range, document, depth, isAliased);
    } else {
      return this.nullAt(rangeOf(node)?.[0] ?? 0, isAliased);
    }
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && tag in SHORT_FORM_TAGS) {
      return normalizeShortForm(tag, this.tagSpan(tag, converted.span.start), converted);
    }
    return converted;
  }

  /** Expands an alias (`*name`) to a copy of its anchored node, within the alias budget. */
  private convertAlias(node: AliasNode, document: Document.Parsed, depth: number, isAliased: boolean): CfnNode {
    const start = node.range?.[0] ?? 0;
    const end = node.range?.[1] ?? start;
    let target: unknown;
    try {
      target = node.resolve(document);
    } catch {
      target = undefined;
    }
    if (target === undefined || target === null) {
      return this.nullAt(start, isAliased);
    }
    if (!isAliased) {
      this.outerAlias = { start, end };
    }
    if (++this.aliasExpansions > MAX_ALIAS_EXPANSIONS || this.aliasNodes > MAX_ALIAS_NODES) {
      if (!this.reportedAliases) {
        this.reportedAliases = true;
        this.diagnostics.push({
          // Inside an expansion, spans are the anchor's: point at the alias written where the limit was reached.
          span: this.outerAlias ?? { start, end },
          message: 'Too many alias expansions; the remaining aliases are read as null',
          severity: 'error',
          code: 'cfn-alias-limit',
        });
      }
      return this.nullAt(start, isAliased);
    }
    return this.convert(target, document, depth + 1, true);
  }

  /** A null scalar of zero width, for values that are absent or not read. */
  private nullAt(offset: number, isAliased: boolean): CfnScalar {
    return { kind: 'scalar', value: null, style: 'plain', span: { start: offset, end: offset }, ...(isAliased ? { isAliased } : {}) };
  }

  private convertScalar(value: unknown, type: string | undefined, range: Range | null | undefined, isAliased: boolean): CfnScalar {
    const start = range?.[0] ?? 0;
    let end = range?.[1] ?? start;
    const style = SCALAR_STYLES[type ?? 'PLAIN'] ?? 'plain';
    if (style === 'literal' || style === 'folded') {
      // A block scalar's range runs over its final line breaks; the span ends at its last character.
      while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) {
        end--;
      }
    }
    let scalar: CfnScalar['value'];
    if (value === null || typeof value === 'string' || typeof value === 'boolean') {
      scalar = value;
    } else if (typeof value === 'number') {
      scalar = value;
    } else if (typeof value === 'bigint') {
      scalar = Number(value);
    } else {
      scalar = value === undefined ? null : this.text.slice(start, end);
    }
    return { kind: 'scalar', value: scalar, style, span: { start, end }, ...(isAliased ? { isAliased } : {}) };
  }

  private convertMap(
    items: unknown[],
    isFlow: boolean,
    range: Range | null | undefined,
    document: Document.Parsed,
    depth: number,
    isAliased: boolean,
  ): CfnMapping {
    const start = range?.[0] ?? 0;
    const pairs: CfnPair[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (!isPair(item)) {
        continue;
      }
      const pair = this.convertPair(item.key, item.value, document, depth, isAliased);
      if (seen.has(pair.key) && !isAliased) {
        this.diagnostics.push({
          span: pair.keySpan,
          message: `Duplicate key "${pair.key}": the last one applies`,
          severity: 'warning',
          code: 'cfn-duplicate-key',
        });
      }
      seen.add(pair.key);
      pairs.push(pair);
    }
    const mapping: CfnMapping = {
      kind: 'mapping',
      style: isFlow ? 'flow' : 'block',
      pairs,
      span: { start, end: start },
      ...(isAliased ? { isAliased } : {}),
    };
    this.finishCollection(mapping, isFlow, range, pairs.map((p) => p.span), '}');
    return mapping;
  }

  private convertSeq(
    items: unknown[],
    isFlow: boolean,
    range: Range | null | undefined,
    document: Document.Parsed,
    depth: number,
    isAliased: boolean,
  ): CfnSequence {
    const start = range?.[0] ?? 0;
    const converted: CfnNode[] = [];
    for (const item of items) {
      if (isPair(item)) {
        // A flow sequence may hold `key: value` pairs (`[a: 1]`): each is a one-pair mapping.
        const pair = this.convertPair(item.key, item.value, document, depth + 1, isAliased);
        converted.push({ kind: 'mapping', style: 'flow', pairs: [pair], span: { ...pair.span } });
        continue;
      }
      converted.push(item === null ? this.nullAt(start, isAliased) : this.convert(item, document, depth + 1, isAliased));
    }
    const sequence: CfnSequence = {
      kind: 'sequence',
      style: isFlow ? 'flow' : 'block',
      items: converted,
      span: { start, end: start },
      ...(isAliased ? { isAliased } : {}),
    };
    this.finishCollection(sequence, isFlow, range, converted.map((n) => n.span), ']');
    return sequence;
  }

  /** Sets a collection's span end and, for flow style, its brackets. */
  private finishCollection(
    node: CfnMapping | CfnSequence,
    isFlow: boolean,
    range: Range | null | undefined,
    children: Span[],
    closer: string,
  ): void {
    const start = node.span.start;
    if (isFlow) {
      const end = range?.[1] ?? start;
      node.open = { start, end: Math.min(start + 1, Math.max(end, start)) };
      node.close = this.text[end - 1] === closer && end - 1 > start ? { start: end - 1, end } : { start: end, end };
      node.span = { start, end: Math.max(end, start) };
      return;
    }
    // A block collection's range runs over the line breaks after it; its span ends where its last child ends.
    const last = children.reduce((max, s) => Math.max(max, s.end), start);
    node.span = { start, end: last };
  }

  private convertPair(key: unknown, value: unknown, document: Document.Parsed, depth: number, isAliased: boolean): CfnPair {
    if (isAlias(key) || (key as { anchor?: string } | null)?.anchor !== undefined) {
      this.metAnchor();
    }
    const keyRange = rangeOf(key);
    let keyText: string;
    if (isScalar(key)) {
      const v: unknown = key.value;
      keyText =
        typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
    } else if (keyRange) {
      keyText = this.text.slice(keyRange[0], keyRange[1]);
    } else {
      keyText = '';
    }
    const valueRange = rangeOf(value);
    const keyStart = keyRange?.[0] ?? valueRange?.[0] ?? 0;
    const keyEnd = keyRange?.[1] ?? keyStart;
    const colonEnd = this.colonEndAfter(keyEnd);
    const converted =
      value === null || value === undefined
        ? this.nullAt(colonEnd, isAliased)
        : this.convert(value, document, depth + 1, isAliased);
    const keySpan = { start: keyStart, end: keyEnd };
    // An alias's value has the anchored node's spans; the pair itself ends where the alias does.
    const valueEnd = isAlias(value) && valueRange ? valueRange[1] : converted.span.end;
    return {
      key: keyText,
      keySpan,
      span: { start: keyStart, end: Math.max(colonEnd, valueEnd) },
      value: converted,
    };
  }

  /** The offset after the `:` that follows a key (the key's end when there is none on its line). */
  private colonEndAfter(offset: number): number {
    let i = offset;
    while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) {
      i++;
    }
    return this.text[i] === ':' ? i + 1 : offset;
  }

  /** The span of the tag written before the node starting at `nodeStart` (zero-width there when it is not found). */
  private tagSpan(tag: string, nodeStart: number): Span {
    const written = yamlReading.findsTagsInText ? this.tagInText(tag, nodeStart) : undefined;
    if (written) {
      return written;
    }
    const tags = (this.tags ??= this.collectTags());
    let low = 0;
    let high = tags.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (tags[mid]!.offset < nodeStart) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    // The node's properties directly precede it, so the nearest earlier token with the same text is its tag.
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const token = tags[i]!;
      if (token.source === tag) {
        return { start: token.offset, end: token.offset + token.source.length };
      }
    }
    return { start: nodeStart, end: nodeStart };
  }
}

/** Thrown by a reader that stops at the first anchor or alias. */
class AnchorMet extends Error {}

/** How tags are found (a switch for tests, which compare both ways). */
export const yamlReading = {
  /**
   * Whether a tag written directly before its node (only white space between) is found in the text, without walking
   * the CST for every tag token.
   */
  findsTagsInText: true,
};

/** What an alias node of the `yaml` package offers here. */
interface AliasNode {
  source: string;
  range?: Range | null;
  resolve: (document: Document.Parsed) => unknown;
}

/** A composed node's range, `[start, valueEnd, nodeEnd]`. */
type Range = [number, number, number];

/** The range of a composed node, when it has one. */
function rangeOf(node: unknown): Range | undefined {
  const range = (node as { range?: unknown } | null | undefined)?.range;
  return Array.isArray(range) && range.length === 3 ? (range as Range) : undefined;
}
