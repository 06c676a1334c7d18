/**
 * Reads a CloudFormation template written in JSON with jsonc-parser (fault tolerant, with offsets) into the syntax
 * tree of `syntax.ts`. Comments are read but reported, as CloudFormation rejects them; duplicate keys are reported as
 * warnings. Never throws: a broken document yields what parsed.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { computeLineStarts } from '../../text/lineIndex';
import { WorkCounter } from '../../text/workCounter';
import {
  MAX_NESTING_DEPTH,
  capDiagnostics,
  type CfnDiagnostic,
  type CfnMapping,
  type CfnNode,
  type CfnPair,
  type CfnParseResult,
  type CfnSequence,
} from './syntax';

/** Plain-language messages for jsonc-parser's error codes. */
const MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'A property name (a string in double quotes) is expected',
  ValueExpected: 'A value is expected',
  ColonExpected: 'A ":" is expected',
  CommaExpected: 'A "," is expected',
  CloseBraceExpected: 'A "}" is expected',
  CloseBracketExpected: 'A "]" is expected',
  EndOfFileExpected: 'Nothing may follow the template\'s value',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid Unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in a string',
};

/** Parses a JSON document (RFC 8259, as CloudFormation reads it) into a `CfnNode` tree; never throws. */
export function parseJsonTemplate(text: string): CfnParseResult {
  const diagnostics: CfnDiagnostic[] = [];
  const lineStarts = computeLineStarts(text);
  try {
    const errors: ParseError[] = [];
    // A byte-order mark is not JSON but is common in files saved on Windows: read it as a space, keeping offsets.
    const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
    const tree = parseTree(source, errors, { allowTrailingComma: false, disallowComments: false });
    for (const e of errors) {
      const name = printParseErrorCode(e.error);
      const start = Math.min(Math.max(0, e.offset), text.length);
      diagnostics.push({
        span: { start, end: Math.min(Math.max(start, e.offset + e.length), text.length) },
        message: MESSAGES[name] ?? name,
        severity: 'error',
        code: `json-${name}`,
      });
    }
    reportComments(text, tree, diagnostics);
    const reader = new JsonReader(text, diagnostics);
    const root = tree ? reader.convert(tree, 0) : undefined;
    return { syntax: 'json', root, documents: root ? [root] : [], diagnostics: capDiagnostics(diagnostics), lineStarts };
  } catch (error) {
    diagnostics.push({
      span: { start: 0, end: 0 },
      message: `The JSON document could not be read (${error instanceof Error ? error.message : String(error)})`,
      severity: 'error',
      code: 'cfn-json-unreadable',
    });
    return { syntax: 'json', root: undefined, documents: [], diagnostics, lineStarts };
  }
}

/** Reports comments (which jsonc-parser accepts silently) as errors: CloudFormation's JSON has none. */
function reportComments(text: string, tree: Node | undefined, diagnostics: CfnDiagnostic[]): void {
  if (!tree || (!text.includes('//') && !text.includes('/*'))) {
    return;
  }
  // Scan outside strings for comment starts.
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const close = text.indexOf('*/', i + 2);
      const end = text[i + 1] === '/' ? lineEnd(text, i) : close < 0 ? text.length : close + 2;
      diagnostics.push({
        span: { start: i, end },
        message: 'JSON templates cannot hold comments',
        severity: 'error',
        code: 'json-comment',
      });
      i = end - 1;
    }
  }
}

/** The offset of the end of the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
    i++;
  }
  return i;
}

/** Converts jsonc-parser nodes into `CfnNode`s. */
class JsonReader {
  private reportedDepth = false;

  constructor(
    private readonly text: string,
    private readonly diagnostics: CfnDiagnostic[],
  ) {}

  convert(node: Node, depth: number): CfnNode {
    WorkCounter.parser++;
    const span = { start: node.offset, end: node.offset + node.length };
    if (depth > MAX_NESTING_DEPTH && (node.type === 'object' || node.type === 'array')) {
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.diagnostics.push({
          span,
          message: `Values nested deeper than ${MAX_NESTING_DEPTH} levels are not read`,
          severity: 'error',
          code: 'cfn-nesting-too-deep',
        });
      }
      return { kind: 'scalar', value: null, style: 'json', span: { start: span.start, end: span.start } };
    }
    switch (node.type) {
      case 'object':
        return this.convertObject(node, depth);
      case 'array': {
        const items = (node.children ?? []).map((child) => this.convert(child, depth + 1));
        const sequence: CfnSequence = { kind: 'sequence', style: 'json', items, span, ...this.brackets(span, ']') };
        return sequence;
      }
      case 'string':
      case 'number':
      case 'boolean':
        return { kind: 'scalar', value: node.value as string | number | boolean, style: 'json', span };
      case 'null':
        return { kind: 'scalar', value: null, style: 'json', span };
      case 'property':
        // Properties only occur inside objects; convertObject handles them.
        return { kind: 'scalar', value: null, style: 'json', span };
    }
  }

  private convertObject(node: Node, depth: number): CfnMapping {
    const span = { start: node.offset, end: node.offset + node.length };
    const pairs: CfnPair[] = [];
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') {
        continue;
      }
      const keySpan = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
      const key = keyNode.value;
      if (!valueNode) {
        // `"Key":` with nothing after it: the pair is kept with a null value, so the key is still seen.
        const end = property.offset + property.length;
        pairs.push({
          key,
          keySpan,
          span: { start: keySpan.start, end },
          value: { kind: 'scalar', value: null, style: 'json', span: { start: end, end } },
        });
        continue;
      }
      if (seen.has(key)) {
        this.diagnostics.push({
          span: keySpan,
          message: `Duplicate key "${key}": the last one applies`,
          severity: 'warning',
          code: 'cfn-duplicate-key',
        });
      }
      seen.add(key);
      const value = this.convert(valueNode, depth + 1);
      pairs.push({ key, keySpan, span: { start: keySpan.start, end: value.span.end }, value });
    }
    return { kind: 'mapping', style: 'json', pairs, span, ...this.brackets(span, '}') };
  }

  /** The opening and closing brackets of a JSON object or array (the closer zero-width when it is missing). */
  private brackets(span: { start: number; end: number }, closer: string) {
    const close =
      span.end - 1 > span.start && this.text[span.end - 1] === closer
        ? { start: span.end - 1, end: span.end }
        : { start: span.end, end: span.end };
    return { open: { start: span.start, end: span.start + 1 }, close };
  }
}
