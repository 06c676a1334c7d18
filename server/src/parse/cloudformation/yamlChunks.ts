/**
 * Reads a block-style YAML template in chunks, so that re-reading it after an edit costs what the edit touched: the
 * text is cut at its top-level keys and at the entries of each top-level section (`Resources:`, `Parameters:`, …
 * written as a key alone on its line followed by indented `Name:` entries), each chunk is read on its own
 * (`readYamlEntry`) and kept by its text, and the template's tree is put together from the entries. An entry read
 * at another offset before is moved to its new offset, not read again.
 *
 * The result equals what `parseYamlTemplate` gives for the whole text (the same nodes, spans, diagnostics and line
 * starts). Whenever that could fail to hold, `parseYamlChunked` returns undefined and the caller reads the whole
 * text: a byte-order mark, a tab, a lone carriage return, a line at the left margin that does not start a plain key
 * (document markers, directives, flow style, a sequence, a tag, an anchor), an entry line indented less than its
 * section's entries, or a chunk that is not exactly one error-free entry without anchors or aliases.
 */
import { MAX_NESTING_DEPTH, capDiagnostics, type CfnDiagnostic, type CfnMapping, type CfnNode, type CfnPair, type CfnParseResult } from './syntax';
import { readYamlEntry, readYamlTemplate, type YamlEntry } from './yaml';

/** One chunk of the text: a top-level entry, a section's header line, or an entry of a section. */
interface Chunk {
  kind: 'top' | 'header' | 'entry';
  start: number;
  end: number;
}

/** A section: its header chunk and the chunks of its entries. */
interface Section {
  header: Chunk;
  entries: Chunk[];
}

/** A chunk as read: its entry with spans at `offset`. */
interface ReadChunk {
  offset: number;
  entry: YamlEntry;
}

/** A section header: a plain key alone on its line (a comment may follow). Keys YAML reads as other scalars are not. */
const HEADER = /^([A-Za-z][A-Za-z0-9_]*):[ ]*(?:#.*)?\r?$/;

/** Plain keys that YAML's core schema reads as null or a boolean. */
const NOT_STRING_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** Characters that may not start a line at the left margin or at a section's entry indentation. */
const UNUSUAL_START = new Set(['-', '.', '%', '[', ']', '{', '}', '?', ':', ',', '&', '*', '!', '|', '>', '@', '`']);

/** The deepest a node can be (a short-form tag adds a level); moving a deeper tree gives up. */
const MAX_MOVE_DEPTH = 4 * MAX_NESTING_DEPTH + 8;

/** The chunks of a text, by section; undefined when the text is not plain block style (see the module comment). */
export function chunksOf(text: string): (Chunk | Section)[] | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\t') || /\r(?!\n)/.test(text)) {
    return undefined;
  }
  const out: (Chunk | Section)[] = [];
  /** The open top-level chunk or section, and the open entry of a section. */
  let top: Chunk | undefined;
  let section: Section | undefined;
  let entry: Chunk | undefined;
  /** The indentation of the open section's entries (0 until its first entry). */
  let indent = 0;
  /** Ends the open chunks at `at` (a section without entries is read as one top-level chunk). */
  const close = (at: number): void => {
    if (entry) {
      entry.end = at;
      entry = undefined;
    }
    if (section) {
      if (section.entries.length === 0) {
        out.push({ kind: 'top', start: section.header.start, end: at });
      } else {
        section.header.end = section.entries[0]!.start;
        out.push(section);
      }
      section = undefined;
    }
    if (top) {
      top.end = at;
      out.push(top);
      top = undefined;
    }
  };
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) {
      i++;
    }
    const first = text[i];
    const isBlank = i === lineEnd || first === '\r';
    if (!isBlank && first !== '#') {
      const column = i - lineStart;
      if (column === 0) {
        if (UNUSUAL_START.has(first!)) {
          return undefined;
        }
        close(lineStart);
        const header = HEADER.exec(text.slice(lineStart, lineEnd));
        if (header && !NOT_STRING_KEYS.has(header[1]!)) {
          section = { header: { kind: 'header', start: lineStart, end: lineEnd }, entries: [] };
          indent = 0;
        } else {
          top = { kind: 'top', start: lineStart, end: lineEnd };
        }
      } else if (section) {
        if (indent === 0) {
          if (UNUSUAL_START.has(first!) || first === '"' || first === "'") {
            // Not a mapping of plain keys (a sequence, a tagged or flow value…): the section is read as a whole.
            top = { kind: 'top', start: section.header.start, end: lineEnd };
            section = undefined;
          } else {
            indent = column;
          }
        }
        if (section) {
          if (column < indent) {
            return undefined;
          }
          if (column === indent) {
            if (first === '-' && (text[i + 1] === ' ' || i + 1 === lineEnd || text[i + 1] === '\r')) {
              // A block sequence may sit at its key's indentation: it belongs to the open entry.
            } else if (UNUSUAL_START.has(first!)) {
              return undefined;
            } else {
              if (entry) {
                entry.end = lineStart;
              }
              entry = { kind: 'entry', start: lineStart, end: lineEnd };
              section.entries.push(entry);
            }
          }
        }
      } else if (!top) {
        // Content before the first top-level key.
        return undefined;
      }
    }
    lineStart = newline < 0 ? text.length : newline + 1;
  }
  close(text.length);
  return out.length > 0 ? out : undefined;
}

/** Entries read before, by the chunk's text, for the texts of one document. */
export class YamlChunkCache {
  private entries = new Map<string, ReadChunk>();
  /** How many parses were put together from chunks, and how many chunks were read to do so (for tests and benches). */
  readonly counts = { chunked: 0, chunksRead: 0 };

  /**
   * Parses `text` as `parseYamlTemplate` does. When most of its chunks were read before (at any offset), only the
   * others are read; otherwise (a first read: one whole parse costs less than many small ones) the whole text is
   * parsed and, when it is clean, its entries are kept by their chunks' texts for the next call.
   */
  parse(text: string): CfnParseResult {
    const chunks = chunksOf(text);
    const chunked = chunks && this.isMostlyKnown(text, chunks) ? this.parseChunks(text, chunks) : undefined;
    if (chunked) {
      this.counts.chunked++;
      return chunked;
    }
    const { result, hasAnchors } = readYamlTemplate(text);
    if (chunks && !hasAnchors) {
      this.keep(text, chunks, result);
    }
    return result;
  }

  /**
   * Whether `text` is mostly made of chunks read before: some are known and the new ones hold at most a quarter of the
   * text (an edit, not a first read or a replaced text, where one whole parse costs less than many small ones).
   */
  private isMostlyKnown(text: string, chunks: (Chunk | Section)[]): boolean {
    let known = 0;
    let unknownLength = 0;
    const count = (chunk: Chunk): void => {
      if (this.entries.has(text.slice(chunk.start, chunk.end))) {
        known++;
      } else {
        unknownLength += chunk.end - chunk.start;
      }
    };
    for (const item of chunks) {
      if ('header' in item) {
        item.entries.forEach(count);
      } else {
        count(item);
      }
    }
    return known > 0 && unknownLength * 4 <= text.length;
  }

  /**
   * Keeps the entries of a whole parse by their chunks, when the parse is clean (no diagnostics, one document) and
   * its pairs are exactly the chunks; otherwise keeps what was kept.
   */
  private keep(text: string, chunks: (Chunk | Section)[], result: CfnParseResult): void {
    const root = result.root;
    if (result.diagnostics.length > 0 || result.documents.length !== 1 || root?.kind !== 'mapping') {
      return;
    }
    if (root.style !== 'block' || root.pairs.length !== chunks.length) {
      return;
    }
    const next = new Map<string, ReadChunk>();
    const add = (chunk: Chunk, pair: CfnPair): boolean => {
      if (pair.keySpan.start !== chunk.start + indentOf(text, chunk.start)) {
        return false;
      }
      next.set(text.slice(chunk.start, chunk.end), { offset: chunk.start, entry: { pair, diagnostics: [] } });
      return true;
    };
    for (let i = 0; i < chunks.length; i++) {
      const item = chunks[i]!;
      const pair = root.pairs[i]!;
      if ('header' in item) {
        const value = pair.value;
        if (pair.keySpan.start !== item.header.start || value.kind !== 'mapping' || value.style !== 'block') {
          return;
        }
        if (value.pairs.length !== item.entries.length || !item.entries.every((e, j) => add(e, value.pairs[j]!))) {
          return;
        }
      } else if (!add(item, pair)) {
        return;
      }
    }
    this.entries = next;
  }

  /** Reads `text` from its chunks; undefined when a chunk cannot be read alone. */
  private parseChunks(text: string, chunks: (Chunk | Section)[]): CfnParseResult | undefined {
    const next = new Map<string, ReadChunk>();
    const read = (chunk: Chunk, depth: number): YamlEntry | undefined => {
      const source = text.slice(chunk.start, chunk.end);
      const known = next.get(source) ?? this.entries.get(source);
      if (known) {
        if (known.offset === chunk.start) {
          next.set(source, known);
          return known.entry;
        }
        const moved = moveEntry(known.entry, chunk.start - known.offset);
        if (moved) {
          next.set(source, { offset: chunk.start, entry: moved });
        }
        return moved;
      }
      this.counts.chunksRead++;
      const fresh = readYamlEntry(source, depth);
      if (!fresh) {
        return undefined;
      }
      const placed = moveEntry(fresh, chunk.start);
      if (placed) {
        next.set(source, { offset: chunk.start, entry: placed });
      }
      return placed;
    };
    const pairs: CfnPair[] = [];
    const diagnostics: CfnDiagnostic[] = [];
    for (const item of chunks) {
      if ('header' in item) {
        const entries: CfnPair[] = [];
        for (const chunk of item.entries) {
          const entry = read(chunk, 1);
          if (!entry || entry.pair.keySpan.start !== chunk.start + indentOf(text, chunk.start)) {
            return undefined;
          }
          entries.push(entry.pair);
          diagnostics.push(...entry.diagnostics);
        }
        duplicateKeys(entries, diagnostics);
        pairs.push(sectionPair(text, item.header, entries));
      } else {
        const entry = read(item, 0);
        if (!entry || entry.pair.keySpan.start !== item.start) {
          return undefined;
        }
        pairs.push(entry.pair);
        diagnostics.push(...entry.diagnostics);
      }
    }
    this.entries = next;
    duplicateKeys(pairs, diagnostics);
    const root = blockMapping(pairs);
    return { syntax: 'yaml', root, documents: [root], diagnostics: capDiagnostics(diagnostics), lineStarts: lineStartsOf(text) };
  }
}

/** The pair of a section: its header's key and the block mapping of its entries. */
function sectionPair(text: string, header: Chunk, entries: CfnPair[]): CfnPair {
  const line = text.slice(header.start, header.end);
  const key = line.slice(0, line.indexOf(':'));
  const keySpan = { start: header.start, end: header.start + key.length };
  const value = blockMapping(entries);
  return { key, keySpan, span: { start: keySpan.start, end: Math.max(keySpan.end + 1, value.span.end) }, value };
}

/** A block mapping of pairs, spanning from its first key to the end of its last value (as a whole read gives it). */
function blockMapping(pairs: CfnPair[]): CfnMapping {
  const start = pairs[0]!.keySpan.start;
  const end = pairs.reduce((max, p) => Math.max(max, p.span.end), start);
  return { kind: 'mapping', style: 'block', pairs, span: { start, end } };
}

/** Reports each key that an earlier pair of the same mapping already has, as a whole read does. */
function duplicateKeys(pairs: CfnPair[], diagnostics: CfnDiagnostic[]): void {
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.key)) {
      diagnostics.push({
        span: pair.keySpan,
        message: `Duplicate key "${pair.key}": the last one applies`,
        severity: 'warning',
        code: 'cfn-duplicate-key',
      });
    }
    seen.add(pair.key);
  }
}

/** The number of spaces a line starts with. */
function indentOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) {
    i++;
  }
  return i - lineStart;
}

/** The offsets where lines start, as the `yaml` package counts them (after each line feed). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/** A copy of an entry with every span moved by `delta`; undefined when it is nested too deep to copy. */
function moveEntry(entry: YamlEntry, delta: number): YamlEntry | undefined {
  if (delta === 0) {
    return entry;
  }
  const pair = movePair(entry.pair, delta, 0);
  if (!pair) {
    return undefined;
  }
  const diagnostics = entry.diagnostics.map((d) => ({ ...d, span: { start: d.span.start + delta, end: d.span.end + delta } }));
  return { pair, diagnostics };
}

function movePair(pair: CfnPair, delta: number, depth: number): CfnPair | undefined {
  const value = moveNode(pair.value, delta, depth + 1);
  if (!value) {
    return undefined;
  }
  return {
    key: pair.key,
    keySpan: { start: pair.keySpan.start + delta, end: pair.keySpan.end + delta },
    span: { start: pair.span.start + delta, end: pair.span.end + delta },
    value,
  };
}

function moveNode(node: CfnNode, delta: number, depth: number): CfnNode | undefined {
  if (depth > MAX_MOVE_DEPTH) {
    return undefined;
  }
  const span = { start: node.span.start + delta, end: node.span.end + delta };
  if (node.kind === 'scalar') {
    return { ...node, span };
  }
  const moved = { ...node, span };
  if (node.open) {
    moved.open = { start: node.open.start + delta, end: node.open.end + delta };
  }
  if (node.close) {
    moved.close = { start: node.close.start + delta, end: node.close.end + delta };
  }
  if (node.kind === 'mapping') {
    const pairs: CfnPair[] = [];
    for (const pair of node.pairs) {
      const p = movePair(pair, delta, depth);
      if (!p) {
        return undefined;
      }
      pairs.push(p);
    }
    return { ...(moved as CfnMapping), pairs };
  }
  const items: CfnNode[] = [];
  for (const item of node.items) {
    const m = moveNode(item, delta, depth + 1);
    if (!m) {
      return undefined;
    }
    items.push(m);
  }
  return { ...moved, kind: 'sequence', items };
}
