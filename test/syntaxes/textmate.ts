/**
 * A small TextMate tokenizer for the grammar baselines, so they need no native Oniguruma build.
 *
 * It follows vscode-textmate's rules for what the grammar uses: `match` and `begin`/`end` rules, `include`
 * (`#name`, `$self`, `$base`), `name`, `contentName`, `captures`/`beginCaptures`/`endCaptures` (with nested
 * `patterns`), back-references to `begin` captures in `end`, and the scan order (at each position the earliest
 * match wins; on a tie the end pattern, then patterns in order). Lines are scanned with their `\n`, as
 * vscode-textmate does. Regular expressions run as JavaScript ones, so the grammar keeps to the syntax both engines
 * share (the test compiles every pattern, and an Oniguruma-only construct fails there).
 */

/** One rule of a TextMate grammar, as found in its JSON. */
export interface RawRule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: RawRule[];
  captures?: Record<string, RawCapture>;
  beginCaptures?: Record<string, RawCapture>;
  endCaptures?: Record<string, RawCapture>;
  applyEndPatternLast?: boolean | number;
  repository?: Record<string, RawRule>;
}

/** One capture's scope and/or nested patterns. */
export interface RawCapture {
  name?: string;
  patterns?: RawRule[];
}

/** A grammar's JSON. */
export interface RawGrammar extends RawRule {
  scopeName: string;
  patterns: RawRule[];
  repository: Record<string, RawRule>;
}

/** One token: its text's offsets within its line and its scopes, outermost first. */
export interface Token {
  start: number;
  end: number;
  scopes: string[];
}

interface Frame {
  rule: RawRule;
  /** Scopes of the frame (its `name`), used for the begin and end tokens. */
  scopes: string[];
  /** Scopes inside the frame (plus `contentName`). */
  contentScopes: string[];
  end: RegExp | undefined;
}

const MAX_STEPS_PER_LINE = 10000;

/** Tokenizes a whole text line by line with a grammar. */
export function tokenize(grammar: RawGrammar, text: string): Token[][] {
  const lines = text.split(/\r?\n/);
  const root: Frame = { rule: grammar, scopes: [grammar.scopeName], contentScopes: [grammar.scopeName], end: undefined };
  let stack: Frame[] = [root];
  const out: Token[][] = [];
  for (const line of lines) {
    const result = tokenizeLine(grammar, line, stack);
    out.push(result.tokens);
    stack = result.stack;
  }
  return out;
}

function tokenizeLine(grammar: RawGrammar, line: string, initial: Frame[]): { tokens: Token[]; stack: Frame[] } {
  const input = `${line}\n`;
  const stack = [...initial];
  const perChar: string[][] = new Array<string[]>(input.length);
  let pos = 0;
  let steps = 0;
  const lastEmptyPush = new Set<RawRule>();
  while (pos <= input.length && steps++ < MAX_STEPS_PER_LINE) {
    const frame = stack[stack.length - 1]!;
    const candidates = candidatesOf(grammar, frame);
    let best: { index: number; match: RegExpExecArray; rule: RawRule | 'end' } | undefined;
    const consider = (rule: RawRule | 'end', regex: RegExp): void => {
      regex.lastIndex = pos;
      const m = regex.exec(input);
      if (m && (!best || m.index < best.index)) {
        best = { index: m.index, match: m, rule };
      }
    };
    const endLast = frame.rule.applyEndPatternLast === true || frame.rule.applyEndPatternLast === 1;
    if (frame.end && !endLast) {
      consider('end', frame.end);
    }
    for (const rule of candidates) {
      if (lastEmptyPush.has(rule)) {
        continue;
      }
      consider(rule, compile(rule.match ?? rule.begin!));
    }
    if (frame.end && endLast) {
      consider('end', frame.end);
    }
    if (!best) {
      fill(perChar, pos, input.length, frame.contentScopes);
      break;
    }
    const { match, rule } = best;
    fill(perChar, pos, match.index, frame.contentScopes);
    const matchEnd = match.index + match[0].length;
    if (rule === 'end') {
      applyCaptures(grammar, perChar, match, frame.rule.endCaptures ?? frame.rule.captures, frame.scopes);
      if (stack.length > 1) {
        stack.pop();
      }
      lastEmptyPush.clear();
    } else if (rule.match !== undefined) {
      const scopes = rule.name ? [...frame.contentScopes, rule.name] : frame.contentScopes;
      applyCaptures(grammar, perChar, match, rule.captures, scopes);
      if (match[0].length === 0) {
        lastEmptyPush.add(rule);
      }
    } else {
      const scopes = rule.name ? [...frame.contentScopes, rule.name] : frame.contentScopes;
      applyCaptures(grammar, perChar, match, rule.beginCaptures ?? rule.captures, scopes);
      const contentScopes = rule.contentName ? [...scopes, rule.contentName] : scopes;
      stack.push({ rule, scopes, contentScopes, end: compile(resolveBackReferences(rule.end ?? '(?!)', match)) });
      if (match[0].length === 0) {
        lastEmptyPush.add(rule);
      } else {
        lastEmptyPush.clear();
      }
    }
    if (matchEnd > pos) {
      lastEmptyPush.clear();
    }
    pos = matchEnd;
    if (pos >= input.length) {
      break;
    }
  }
  return { tokens: mergeTokens(perChar, line.length), stack };
}

/** The rules that may match inside a frame: its patterns with includes expanded (the root's for the grammar). */
function candidatesOf(grammar: RawGrammar, frame: Frame): RawRule[] {
  const out: RawRule[] = [];
  const seen = new Set<RawRule>();
  const expand = (rules: RawRule[] | undefined): void => {
    for (const rule of rules ?? []) {
      if (rule.include !== undefined) {
        const target = resolveInclude(grammar, rule.include);
        if (target && !seen.has(target)) {
          seen.add(target);
          if (target.match !== undefined || target.begin !== undefined) {
            out.push(target);
          } else {
            expand(target.patterns);
          }
        }
      } else if (rule.match !== undefined || rule.begin !== undefined) {
        out.push(rule);
      } else {
        expand(rule.patterns);
      }
    }
  };
  expand(frame.rule.patterns);
  return out;
}

function resolveInclude(grammar: RawGrammar, include: string): RawRule | undefined {
  if (include === '$self' || include === '$base') {
    return { patterns: grammar.patterns };
  }
  if (include.startsWith('#')) {
    return grammar.repository[include.slice(1)];
  }
  throw new Error(`unsupported include ${include}`);
}

const cache = new Map<string, RegExp>();

/** Compiles a pattern as a global, multi-line, index-reporting JavaScript regular expression. */
export function compile(source: string): RegExp {
  let regex = cache.get(source);
  if (!regex) {
    regex = new RegExp(source, 'gmd');
    cache.set(source, regex);
  }
  return regex;
}

function resolveBackReferences(end: string, begin: RegExpExecArray): string {
  return end.replace(/\\(\d+)/g, (_, n: string) => escapeRegExp(begin[Number(n)] ?? ''));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function applyCaptures(
  grammar: RawGrammar,
  perChar: string[][],
  match: RegExpExecArray,
  captures: Record<string, RawCapture> | undefined,
  scopes: string[],
): void {
  const start = match.index;
  const end = start + match[0].length;
  fill(perChar, start, end, scopes);
  if (!captures || !match.indices) {
    return;
  }
  // Captures apply in group order, so an outer group's scope comes before a nested group's.
  const groups = Object.keys(captures)
    .map(Number)
    .sort((a, b) => a - b);
  for (const group of groups) {
    const capture = captures[String(group)]!;
    const span = match.indices[group];
    if (!span || span[0] === span[1]) {
      continue;
    }
    const [from, to] = span;
    if (capture.name) {
      for (let i = from; i < to; i++) {
        perChar[i] = [...(perChar[i] ?? scopes), capture.name];
      }
    }
    if (capture.patterns) {
      const base = perChar[from] ?? scopes;
      const sub: RawGrammar = { ...grammar, patterns: capture.patterns };
      const text = match.input.slice(from, to);
      const tokens = tokenizeLine(sub, text, [{ rule: sub, scopes: base, contentScopes: base, end: undefined }]).tokens;
      for (const token of tokens) {
        for (let i = token.start; i < token.end; i++) {
          perChar[from + i] = token.scopes;
        }
      }
    }
  }
}

function fill(perChar: string[][], from: number, to: number, scopes: string[]): void {
  for (let i = from; i < to; i++) {
    perChar[i] = scopes;
  }
}

function mergeTokens(perChar: string[][], length: number): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < length; i++) {
    const scopes = perChar[i] ?? [];
    const last = tokens[tokens.length - 1];
    if (last && last.end === i && sameScopes(last.scopes, scopes)) {
      last.end = i + 1;
    } else {
      tokens.push({ start: i, end: i + 1, scopes });
    }
  }
  return tokens;
}

function sameScopes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
