/**
 * A YAML file read for its data with the positions of its fields kept, so that a schema error names the file, the
 * line and the field (`.onus.yaml`, custom and built-in `rule.yaml` files).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourceProblem } from './types';

/** One segment of a path into YAML data: a mapping key or a sequence index. */
export type YamlPathSegment = string | number;

/** A parsed YAML text that can locate its fields by path. */
export class YamlSource {
  private parsed: Document.Parsed | undefined;
  private readonly lineCounter = new LineCounter();

  /**
   * With `preparsed` (the data of a text parsed without errors at build time, for the bundled catalog), the text is
   * parsed only if a problem has to be located in it.
   */
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly preparsed?: unknown,
  ) {
    if (preparsed === undefined) {
      this.parsed = this.parse();
    }
  }

  private parse(): Document.Parsed {
    return parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: true });
  }

  private get document(): Document.Parsed {
    this.parsed ??= this.parse();
    return this.parsed;
  }

  /** The first syntax error, located, or undefined when the text is well-formed YAML. */
  get syntaxError(): SourceProblem | undefined {
    if (this.parsed === undefined && this.preparsed !== undefined) {
      return undefined;
    }
    const error = this.document.errors[0];
    if (!error) {
      return undefined;
    }
    const [start, end] = error.pos;
    return this.problemAtOffsets(start, Math.max(end, start + 1), `invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`);
  }

  /** The data, as plain JavaScript values. */
  data(): unknown {
    if (this.preparsed !== undefined) {
      return this.preparsed;
    }
    return this.document.toJS({ maxAliasCount: 100 }) as unknown;
  }

  /**
   * A problem at the field a path names: its value, or its key when `isKey` (a property that is not allowed). A
   * path that leads nowhere stops at the deepest field that exists (a missing property points at its parent).
   */
  problemAt(path: readonly YamlPathSegment[], message: string, options: { isKey?: boolean } = {}): SourceProblem {
    let node: unknown = this.document.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) {
          break;
        }
        keyNode = isScalar(pair.key) ? pair.key : undefined;
        node = pair.value ?? keyNode;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) {
          break;
        }
        keyNode = undefined;
        node = item;
      } else {
        break;
      }
    }
    const target = options.isKey && keyNode ? keyNode : (node as Node | null | undefined);
    const range = target?.range;
    if (!range) {
      return this.problemAtOffsets(0, 0, message);
    }
    // A collection is marked on its first line only (or by its key), never as a whole block.
    const isCollection = isMap(target) || isSeq(target);
    const start = isCollection && keyNode && !options.isKey ? (keyNode.range?.[0] ?? range[0]) : range[0];
    const lineEnd = this.text.indexOf('\n', start);
    const end = isCollection ? (lineEnd < 0 ? this.text.length : lineEnd) : range[1];
    return this.problemAtOffsets(start, end, message);
  }

  /** A problem between two offsets; a range over several lines is cut at the end of its first line. */
  problemAtOffsets(start: number, end: number, message: string): SourceProblem {
    const from = this.lineCounter.linePos(start);
    const firstLine = this.text.slice(start, Math.max(start, Math.min(end, this.text.length))).split(/\r?\n/)[0] ?? '';
    return {
      file: this.file,
      line: from.line,
      column: from.col,
      endLine: from.line,
      endColumn: from.col + firstLine.length,
      message,
    };
  }
}

/** Splits an Ajv `instancePath` (`/match/terraform/0`) into segments. */
export function splitInstancePath(instancePath: string): YamlPathSegment[] {
  if (instancePath === '') {
    return [];
  }
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A path as a dotted field name for messages (`match.terraform.0.when`), `(root)` for the whole document. */
export function fieldName(path: readonly YamlPathSegment[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}
