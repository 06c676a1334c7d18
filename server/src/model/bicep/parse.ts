/**
 * The parse of one Bicep file for the lowering, kept per path: the same text is parsed once (a module used by several
 * files, or a file analysed again), and a text that differs from the previous one of its path only inside one
 * top-level declaration is parsed incrementally from the previous parse. Nothing here or in the lowering modifies a
 * parse, so parses can share their unchanged declarations and tokens.
 */
import { parseBicep, parseBicepDeclarationAt } from '../../parse/bicep/parser';
import type { BicepParseResult, Declaration, Token } from '../../parse/bicep/syntax';
import { commonAffixes } from '../../text/commonAffixes';
import { RecentMap } from '../../text/recentMap';
import { shiftedCopy } from '../../text/shiftedCopy';

/** How many parsed files are kept. */
const RECENT_PARSES = 64;

/** Recent parses by path (least recently used first out). */
const recentParses = new RecentMap<string, { text: string; result: BicepParseResult }>(RECENT_PARSES);

/**
 * Parses the Bicep file `path` whose text is `text`, reusing or building on the previous parse of the same path.
 * Callers must not modify the result.
 */
export function parseBicepFile(path: string, text: string): BicepParseResult {
  const cached = recentParses.get(path);
  if (cached !== undefined && cached.text === text) {
    return cached.result;
  }
  const result = (cached !== undefined ? reparseBicepEdit(cached.text, cached.result, text) : undefined) ?? parseBicep(text);
  recentParses.set(path, { text, result });
  return result;
}

/**
 * The parse of `text` built from `previous`, the error-free parse of the earlier text `old`, when the two texts differ
 * only inside one top-level declaration (not in its first character): that declaration alone is lexed and parsed
 * again, the declarations and tokens before it are reused and those after it copied with their spans moved by the
 * length difference. Undefined when that does not apply or the declaration does not parse, error-free, as one
 * declaration ending where the old one ended (moved by the difference); the caller then parses the whole text. The
 * result equals `parseBicep(text)`.
 */
export function reparseBicepEdit(old: string, previous: BicepParseResult, text: string): BicepParseResult | undefined {
  const { declarations, tokens } = previous.tree;
  if (previous.diagnostics.length > 0) {
    return undefined;
  }
  const { prefix, suffix } = commonAffixes(old, text);
  const changeEnd = old.length - suffix;
  const index = countStartingBefore(declarations.length, (i) => (declarations[i] as Declaration).span.start, prefix) - 1;
  const declaration = declarations[index];
  if (declaration === undefined || changeEnd > declaration.span.end) {
    return undefined;
  }
  const delta = text.length - old.length;
  const { start, end } = declaration.span;
  try {
    const parsed = parseBicepDeclarationAt(text, start, end + delta);
    if (parsed === undefined) {
      return undefined;
    }
    const nextDeclarations = declarations.slice(0, index);
    nextDeclarations.push(parsed.declaration);
    for (let i = index + 1; i < declarations.length; i++) {
      nextDeclarations.push(shiftedCopy(declarations[i] as Declaration, delta));
    }
    const tokenStart = (i: number): number => (tokens[i] as Token).start;
    const first = countStartingBefore(tokens.length, tokenStart, start);
    const after = countStartingBefore(tokens.length, tokenStart, end);
    const nextTokens = tokens.slice(0, first);
    for (const token of parsed.tokens) {
      nextTokens.push(token);
    }
    for (let i = after; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      nextTokens.push({ kind: token.kind, start: token.start + delta, end: token.end + delta });
    }
    return {
      tree: { kind: 'File', span: { start: 0, end: text.length }, declarations: nextDeclarations, tokens: nextTokens },
      diagnostics: [],
    };
  } catch {
    return undefined;
  }
}

/** How many of `count` elements in source order start before `offset`, given the start of each by index. */
function countStartingBefore(count: number, startOf: (index: number) => number, offset: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (startOf(middle) < offset) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
