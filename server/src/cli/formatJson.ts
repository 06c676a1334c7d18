/**
 * The JSON output of `onus scan` (DESIGN.md, "CLI"): version 1, findings, errors (with `.onus.yaml` and custom rule
 * problems first), problems with suppressions, CloudFormation property names AWS's specification does not know
 * (`unknownProperties`), and suppressed findings (with what suppressed them) on request.
 */
import type { Finding } from '../engine/types';
import { UNKNOWN_PROPERTY_CODE } from '../engine/unknownProperties';
import type { Span } from '../text/span';
import { displayPath, Locator } from './locations';
import type { ScanResult } from './scan';

/** One finding in the JSON output. */
function findingJson(f: Finding, locator: Locator, show: (file: string) => string) {
  const loc = locator.locate(f.file, f.span);
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    owner: f.owner,
    layer: f.layer,
    service: f.service,
    message: f.message,
    file: show(f.file),
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    fixable: f.fix !== undefined,
    ...(f.expiredSuppression ? { expiredSuppression: f.expiredSuppression } : {}),
  };
}

/** How many list items one chunk of {@link formatJsonChunks} holds. */
const ITEMS_PER_CHUNK = 500;

/** One list of the document: its name and its items as JSON data, made when the list is reached. */
type Section = [name: string, items: () => Iterable<unknown>];

/** The document's lists, in order; items are converted when printed, and each list is read when it is reached. */
function sectionsOf(result: ScanResult, listSuppressed: boolean, locator: Locator, findings: Iterable<readonly Finding[]>): Section[] {
  // Thousands of findings share a few hundred files: each file's path is made relative once.
  const shown = new Map<string, string>();
  const show = (file: string): string => {
    let text = shown.get(file);
    if (text === undefined) {
      text = displayPath(file);
      shown.set(file, text);
    }
    return text;
  };
  // A problem that is not a finding: its rule, message and range.
  const located = (ruleId: string, message: string, file: string, span: Span) => {
    const loc = locator.locate(file, span);
    return { ruleId, message, file: show(file), line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn };
  };
  const sections: Section[] = [
    [
      'findings',
      function* () {
        for (const batch of findings) {
          for (const f of batch) {
            yield findingJson(f, locator, show);
          }
        }
      },
    ],
    [
      'errors',
      () => [
        ...result.projectProblems.map((p) => ({ file: show(p.file), line: p.line, column: p.column, message: p.message })),
        ...result.errors.map((e) => {
          const loc = locator.locate(e.file, e.span);
          return { file: show(e.file), line: loc.line, column: loc.column, message: e.message };
        }),
      ],
    ],
    [
      'suppressionProblems',
      () => result.suppressionProblems.map((p) => ({ ...located(p.ruleId, p.message, p.file, p.span), fixable: p.fix !== undefined })),
    ],
    [
      'unknownProperties',
      () =>
        result.unknownProperties.map((p) => ({
          ...located(UNKNOWN_PROPERTY_CODE, p.message, p.file, p.span),
          resource: p.resource,
          suggestions: p.fixes.map((f) => f.name),
        })),
    ],
  ];
  if (listSuppressed) {
    sections.push([
      'suppressed',
      function* () {
        for (const f of result.suppressed) {
          yield { ...findingJson(f, locator, show), reason: f.reason, until: f.until ?? null, suppressedBy: f.source };
        }
      },
    ]);
  }
  return sections;
}

/**
 * An item of one of the document's lists as `JSON.stringify(document, null, 2)` prints it there: indented by four
 * spaces, its fields by six. Items whose fields are all strings, numbers, booleans or null (findings, errors) are
 * written field by field; any other goes through `JSON.stringify`.
 */
function listItemJson(item: unknown): string {
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const fields: string[] = [];
    let isFlat = true;
    for (const [key, value] of Object.entries(item)) {
      if (value === undefined) {
        continue;
      }
      if (typeof value === 'object' && value !== null) {
        isFlat = false;
        break;
      }
      fields.push(`      ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
    if (isFlat) {
      return fields.length === 0 ? '    {}' : `    {\n${fields.join(',\n')}\n    }`;
    }
  }
  return `    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
}

/**
 * Renders a scan result as the JSON document of the CLI contract, in pieces whose concatenation is exactly
 * `JSON.stringify(document, null, 2) + "\n"`: a large repository's findings are converted and printed a few hundred
 * at a time instead of as one document and one string. `findings` are the result's findings in the report's order, a
 * few files' at a time (a streamed scan's, read as they come; the other lists are read after them).
 */
export function* formatJsonChunks(
  result: ScanResult,
  listSuppressed: boolean,
  findings: Iterable<readonly Finding[]> = [result.findings],
): Generator<string> {
  yield '{\n  "version": 1';
  for (const [name, items] of sectionsOf(result, listSuppressed, new Locator(result.texts), findings)) {
    yield `,\n  ${JSON.stringify(name)}: `;
    let isEmpty = true;
    let piece: string[] = [];
    for (const item of items()) {
      piece.push(listItemJson(item));
      if (piece.length >= ITEMS_PER_CHUNK) {
        yield `${isEmpty ? '[\n' : ',\n'}${piece.join(',\n')}`;
        isEmpty = false;
        piece = [];
      }
    }
    if (piece.length > 0) {
      yield `${isEmpty ? '[\n' : ',\n'}${piece.join(',\n')}`;
      isEmpty = false;
    }
    yield isEmpty ? '[]' : '\n  ]';
  }
  yield '\n}\n';
}

/** Renders a scan result as the JSON document of the CLI contract. */
export function formatJson(result: ScanResult, listSuppressed: boolean): string {
  return [...formatJsonChunks(result, listSuppressed)].join('');
}
