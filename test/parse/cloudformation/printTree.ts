/**
 * Prints a CloudFormation parse result for golden files: the tree with `line:col` spans (1-based, end exclusive) in a
 * compact indented form, then the source with each diagnostic under its line (Bicep-baseline style).
 */
import type { CfnDiagnostic, CfnNode, CfnParseResult } from '../../../server/src/parse/cloudformation';
import { LineIndex } from '../../../server/src/text/lineIndex';
import type { Span } from '../../../server/src/text/span';

/** Renders the tree and the annotated diagnostics of one parse, LF line endings. */
export function printCfnParse(text: string, result: CfnParseResult): string {
  const index = new LineIndex(text);
  const at = (s: Span): string => {
    const a = index.positionAt(s.start);
    const b = index.positionAt(s.end);
    return `[${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1})`;
  };
  const lines: string[] = [`${result.syntax} document`];
  const count = (node: CfnNode): number =>
    1 +
    (node.kind === 'mapping'
      ? node.pairs.reduce((n, p) => n + count(p.value), 0)
      : node.kind === 'sequence'
        ? node.items.reduce((n, i) => n + count(i), 0)
        : 0);
  const print = (node: CfnNode, depth: number, prefix: string): void => {
    const pad = '  '.repeat(depth);
    if (node.isAliased) {
      // An expanded alias is printed as one line: its spans are its anchor's, printed there already.
      const shape = node.kind === 'scalar' ? JSON.stringify(node.value) : node.kind;
      lines.push(`${pad}${prefix}alias of ${shape} ${at(node.span)} (${count(node)} nodes)`);
      return;
    }
    switch (node.kind) {
      case 'scalar':
        lines.push(`${pad}${prefix}${JSON.stringify(node.value)} ${node.style} ${at(node.span)}`);
        return;
      case 'sequence':
        lines.push(`${pad}${prefix}sequence ${node.style} ${at(node.span)}`);
        for (const item of node.items) {
          print(item, depth + 1, '- ');
        }
        return;
      case 'mapping': {
        const form = node.shortForm ? `short form ${node.shortForm}` : `mapping ${node.style}`;
        const braces = node.open && node.close ? ` {${at(node.open)} }${at(node.close)}` : '';
        lines.push(`${pad}${prefix}${form} ${at(node.span)}${braces}`);
        for (const pair of node.pairs) {
          print(pair.value, depth + 1, `${JSON.stringify(pair.key)} ${at(pair.keySpan)} pair ${at(pair.span)}: `);
        }
        return;
      }
    }
  };
  if (result.documents.length === 0) {
    lines.push('  (empty)');
  }
  result.documents.forEach((root, i) => {
    if (i > 0) {
      lines.push(`${result.syntax} document ${i + 1}`);
    }
    print(root, 1, '');
  });
  lines.push('');
  lines.push(printDiagnostics(text, index, result.diagnostics));
  return lines.join('\n');
}

/** The source, line by line, with each diagnostic printed under the line where it starts. */
function printDiagnostics(text: string, index: LineIndex, diagnostics: CfnDiagnostic[]): string {
  if (diagnostics.length === 0) {
    return '--- no diagnostics\n';
  }
  const byLine = new Map<number, CfnDiagnostic[]>();
  for (const d of diagnostics) {
    const line = index.positionAt(d.span.start).line;
    byLine.set(line, [...(byLine.get(line) ?? []), d]);
  }
  const out = ['--- diagnostics'];
  text.split(/\r\n|\r|\n/).forEach((sourceLine, line) => {
    out.push(sourceLine);
    for (const d of byLine.get(line) ?? []) {
      const start = index.positionAt(d.span.start);
      const end = index.positionAt(d.span.end);
      const endText = end.line === start.line ? pad(end.character) : `${end.line + 1}:${pad(end.character)}`;
      out.push(`#@[${pad(start.character)}:${endText}) ${d.code} ${d.severity} ${d.message}`);
    }
  });
  return out.join('\n') + '\n';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
