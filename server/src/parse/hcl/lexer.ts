/**
 * The HCL native-syntax lexer, after hashicorp/hcl `hclsyntax/scan_tokens.rl`.
 *
 * It works on character codes, never throws, and emits every character of the input as part of exactly one token
 * (trivia included), so the token texts concatenate to the input. Templates (quoted strings, heredocs and the
 * interpolations inside them) are lexed with a stack of modes, as HCL's scanner does.
 */
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import { TokenKind, type SyntaxDiagnostic, type Token } from './syntax';

/** What the lexer starts in: a configuration file or expression (`config`) or a bare template (`template`). */
export type LexStart = 'config' | 'template';

/**
 * The lexer's full output, in flat arrays (no object per token): token `i` (of `count`, the last being EOF) has the kind
 * `kinds[i]` and spans `[starts[i], starts[i + 1])` (tokens are contiguous; EOF is zero-width, `starts[count]` is its
 * offset too). Beside the tokens: the significant ones for the parser, the diagnostics, and the extent of every template
 * construct so the parser can stay inside it (an interpolation cut short by a line end, a string without its closing
 * quote). {@link tokensOf} turns it into token objects.
 */
export interface LexOutput {
  count: number;
  kinds: Uint8Array;
  /** `count + 1` offsets. */
  starts: Int32Array;
  /** Token indices of the significant (non-trivia) tokens, in order; newlines and EOF are significant. */
  sig: Int32Array;
  /** For each token index, the position in `sig` of it or of the next significant token. */
  sigOf: Int32Array;
  /** Whether the text has more `{` than `}` (braces of the expression language, not template sequence ends). */
  isUnbalanced: boolean;
  diagnostics: SyntaxDiagnostic[];
  /**
   * For an opener token (`OpenQuote`, `HeredocBegin`, `TemplateInterp`, `TemplateControl`): the index of the first
   * token after the whole construct. Zero for other tokens.
   */
  endOf: Int32Array;
  /** For an opener token: whether its closing token (quote, heredoc marker or `}`) is present. */
  isClosed: Uint8Array;
}

/** Splits HCL source into tokens, trivia included, ending with EOF. */
export function lexHcl(text: string): { tokens: Token[]; diagnostics: SyntaxDiagnostic[] } {
  const out = lexHclWithExtents(text, 'config');
  return { tokens: tokensOf(out, 0, out.count), diagnostics: out.diagnostics };
}

/** Token objects for the tokens `[from, to)` of a lexer output. */
export function tokensOf(lexed: LexOutput, from: number, to: number): Token[] {
  const { kinds, starts } = lexed;
  const tokens: Token[] = new Array<Token>(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    tokens[i - from] = { kind: kinds[i] as TokenKind, start: starts[i] as number, end: starts[i + 1] as number };
  }
  return tokens;
}

const enum Mode {
  Main,
  Quoted,
  Heredoc,
  Bare,
}

/** One entry of the mode stack. */
interface Context {
  mode: Mode;
  /** The index of the token that opened this context (-1 for the root). */
  opener: number;
  /** Interpolations only: open `{` not yet closed inside it. */
  braces: number;
  /** Interpolations only: open `(` and `[` not yet closed inside it. */
  parens: number;
  /** Interpolations only: whether it sits directly in a quoted string (so a line end ends both). */
  isInQuoted: boolean;
  /** Heredocs only: the closing marker. */
  marker: string;
  /** Heredocs only: whether the next literal starts a line (only such a line can be the closing marker). */
  isStartOfLine: boolean;
}

const CR = 13;
const LF = 10;

/**
 * The lexer behind {@link lexHcl}, also reporting template extents; `start` picks the initial mode. With `from` and
 * `until` it lexes only part of the text: from the offset `from` (where the whole text's lexer would be at the top
 * level), and it stops at the first token boundary at or after `until` where it is back at the top level; the EOF
 * token then sits, zero-width, at the offset where it stopped.
 */
export function lexHclWithExtents(text: string, start: LexStart, from = 0, until = text.length): LexOutput {
  const diagnostics: SyntaxDiagnostic[] = [];
  const openers: number[] = [];
  const closedOpeners: number[] = [];
  const endIndex: number[] = [];
  const length = text.length;
  const stack: Context[] = [newContext(start === 'template' ? Mode.Bare : Mode.Main, -1)];
  let pos = from;
  let capacity = Math.min(Math.max(64, ((until - from) >> 2) + 16), length - from + 2);
  let kinds = new Uint8Array(capacity);
  let starts = new Int32Array(capacity + 1);
  let sig = new Int32Array(capacity);
  let sigOf = new Int32Array(capacity);
  let count = 0;
  let sigCount = 0;
  let braces = 0;

  const emit = (kind: TokenKind, end: number): void => {
    if (count === capacity) {
      grow();
    }
    kinds[count] = kind;
    starts[count] = pos;
    sigOf[count] = sigCount;
    if (kind === TokenKind.Newline || kind > TokenKind.BlockComment) {
      sig[sigCount++] = count;
      if (kind === TokenKind.OpenBrace) {
        braces++;
      } else if (kind === TokenKind.CloseBrace) {
        braces--;
      }
    }
    count++;
    pos = end;
  };
  const grow = (): void => {
    capacity *= 2;
    const nextKinds = new Uint8Array(capacity);
    nextKinds.set(kinds);
    kinds = nextKinds;
    const nextStarts = new Int32Array(capacity + 1);
    nextStarts.set(starts);
    starts = nextStarts;
    const nextSig = new Int32Array(capacity);
    nextSig.set(sig);
    sig = nextSig;
    const nextSigOf = new Int32Array(capacity);
    nextSigOf.set(sigOf);
    sigOf = nextSigOf;
  };
  const report = (code: string, message: string, span: Span): void => {
    diagnostics.push({ code, message, span, severity: 'error' });
  };
  const push = (mode: Mode, isInQuoted: boolean, marker = ''): void => {
    const ctx = newContext(mode, count - 1);
    ctx.isInQuoted = isInQuoted;
    ctx.marker = marker;
    stack.push(ctx);
  };
  /** Pops the top context; its construct ends before the next token. */
  const pop = (isClosed: boolean): void => {
    const ctx = stack.pop();
    if (ctx !== undefined && ctx.opener >= 0) {
      openers.push(ctx.opener);
      endIndex.push(count);
      if (isClosed) {
        closedOpeners.push(ctx.opener);
      }
    }
  };

  // A BOM is kept as whitespace so that offsets stay those of the editor's string.
  if (from === 0 && length > 0 && text.charCodeAt(0) === 0xfeff) {
    emit(TokenKind.Whitespace, 1);
  }

  while (pos < length && (pos < until || stack.length > 1)) {
    const ctx = stack[stack.length - 1] as Context;
    const c = text.charCodeAt(pos);
    switch (ctx.mode) {
      case Mode.Main:
        lexMain(ctx, c);
        break;
      case Mode.Quoted:
        lexQuoted(ctx, c);
        break;
      case Mode.Heredoc:
        lexHeredoc(ctx, c);
        break;
      case Mode.Bare:
        lexBare(c);
        break;
    }
  }

  // Whatever is still open at the end of the input is unterminated.
  while (stack.length > 1) {
    const ctx = stack[stack.length - 1] as Context;
    const span = { start: starts[ctx.opener] as number, end: length };
    if (ctx.mode === Mode.Quoted) {
      report('HCL002', 'Unterminated string', span);
    } else if (ctx.mode === Mode.Heredoc) {
      report('HCL003', `Unterminated heredoc, expected "${ctx.marker}"`, span);
    } else {
      report('HCL006', 'Unterminated template sequence, expected "}"', span);
    }
    pop(false);
  }
  WorkCounter.lexer += count;
  emit(TokenKind.EOF, pos);
  starts[count] = pos;

  const endOf = new Int32Array(count);
  const isClosed = new Uint8Array(count);
  for (let i = 0; i < openers.length; i++) {
    endOf[openers[i] as number] = endIndex[i] as number;
  }
  for (const opener of closedOpeners) {
    isClosed[opener] = 1;
  }
  return {
    count,
    kinds: kinds.subarray(0, count),
    starts: starts.subarray(0, count + 1),
    sig: sig.subarray(0, sigCount),
    sigOf: sigOf.subarray(0, count),
    isUnbalanced: braces > 0,
    diagnostics,
    endOf,
    isClosed,
  };

  /** Main mode: the expression and structural language, at top level or inside `${ … }` and `%{ … }`. */
  function lexMain(ctx: Context, c: number): void {
    const isInterp = ctx.opener >= 0;
    const next = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
    if (c === 32 || c === 9) {
      let end = pos + 1;
      while (end < length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) {
        end++;
      }
      emit(TokenKind.Whitespace, end);
      return;
    }
    if (c === LF || (c === CR && next === LF)) {
      if (isInterp && ctx.isInQuoted && ctx.braces === 0 && ctx.parens === 0) {
        // A quoted string is one line: a line end inside its interpolation ends both, so that the next line is lexed
        // as the structure it most likely is. See test/parse/hcl/err/unclosed-interpolation.tf.
        report('HCL006', 'Unterminated template sequence, expected "}"', { start: starts[ctx.opener] as number, end: pos });
        pop(false);
        const quoted = stack[stack.length - 1] as Context;
        if (quoted.mode === Mode.Quoted) {
          pop(false);
        }
        return;
      }
      emit(TokenKind.Newline, c === CR ? pos + 2 : pos + 1);
      return;
    }
    if (c === 35 /* # */ || (c === 47 /* / */ && next === 47)) {
      emit(TokenKind.LineComment, lineContentEnd(pos));
      return;
    }
    if (c === 47 && next === 42 /* * */) {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) {
        report('HCL004', 'Unterminated comment, expected "*/"', { start: pos, end: length });
        emit(TokenKind.BlockComment, length);
      } else {
        emit(TokenKind.BlockComment, close + 2);
      }
      return;
    }
    if (c >= 48 && c <= 57) {
      emit(TokenKind.Number, numberEnd(pos));
      return;
    }
    if (isIdentStartAt(pos)) {
      emit(TokenKind.Identifier, identEnd(pos));
      return;
    }
    switch (c) {
      case 34 /* " */:
        emit(TokenKind.OpenQuote, pos + 1);
        push(Mode.Quoted, false);
        return;
      case 60 /* < */: {
        if (next === 60) {
          const heredoc = matchHeredocStart(pos);
          if (heredoc !== undefined) {
            emit(TokenKind.HeredocBegin, heredoc.end);
            push(Mode.Heredoc, false, heredoc.marker);
            const top = stack[stack.length - 1] as Context;
            top.isStartOfLine = true;
            return;
          }
        }
        emit(next === 61 ? TokenKind.LessEqual : TokenKind.Less, next === 61 ? pos + 2 : pos + 1);
        return;
      }
      case 123 /* { */:
        if (isInterp) {
          ctx.braces++;
        }
        emit(TokenKind.OpenBrace, pos + 1);
        return;
      case 125 /* } */:
        if (isInterp && ctx.braces === 0) {
          emit(TokenKind.TemplateSeqEnd, pos + 1);
          pop(true);
          afterSequence();
          return;
        }
        if (isInterp) {
          ctx.braces--;
        }
        emit(TokenKind.CloseBrace, pos + 1);
        return;
      case 126 /* ~ */:
        if (next === 125 && isInterp && ctx.braces === 0) {
          emit(TokenKind.TemplateSeqEnd, pos + 2);
          pop(true);
          afterSequence();
          return;
        }
        break;
      case 91 /* [ */:
      case 40 /* ( */:
        if (isInterp) {
          ctx.parens++;
        }
        emit(c === 91 ? TokenKind.OpenBracket : TokenKind.OpenParen, pos + 1);
        return;
      case 93 /* ] */:
      case 41 /* ) */:
        if (isInterp && ctx.parens > 0) {
          ctx.parens--;
        }
        emit(c === 93 ? TokenKind.CloseBracket : TokenKind.CloseParen, pos + 1);
        return;
      case 44:
        emit(TokenKind.Comma, pos + 1);
        return;
      case 46 /* . */:
        if (next === 46 && pos + 2 < length && text.charCodeAt(pos + 2) === 46) {
          emit(TokenKind.Ellipsis, pos + 3);
        } else {
          emit(TokenKind.Dot, pos + 1);
        }
        return;
      case 42:
        emit(TokenKind.Star, pos + 1);
        return;
      case 61 /* = */:
        if (next === 61) {
          emit(TokenKind.EqualOp, pos + 2);
        } else if (next === 62) {
          emit(TokenKind.FatArrow, pos + 2);
        } else {
          emit(TokenKind.Equals, pos + 1);
        }
        return;
      case 58:
        emit(TokenKind.Colon, pos + 1);
        return;
      case 63:
        emit(TokenKind.Question, pos + 1);
        return;
      case 43:
        emit(TokenKind.Plus, pos + 1);
        return;
      case 45:
        emit(TokenKind.Minus, pos + 1);
        return;
      case 47:
        emit(TokenKind.Slash, pos + 1);
        return;
      case 37:
        emit(TokenKind.Percent, pos + 1);
        return;
      case 33 /* ! */:
        emit(next === 61 ? TokenKind.NotEqual : TokenKind.Bang, next === 61 ? pos + 2 : pos + 1);
        return;
      case 62 /* > */:
        emit(next === 61 ? TokenKind.GreaterEqual : TokenKind.Greater, next === 61 ? pos + 2 : pos + 1);
        return;
      case 38 /* & */:
        if (next === 38) {
          emit(TokenKind.And, pos + 2);
          return;
        }
        break;
      case 124 /* | */:
        if (next === 124) {
          emit(TokenKind.Or, pos + 2);
          return;
        }
        break;
    }
    lexUnknown();
  }

  /** After `}` closes a sequence inside a heredoc, the rest of that line is no longer at a line start. */
  function afterSequence(): void {
    const top = stack[stack.length - 1] as Context;
    if (top.mode === Mode.Heredoc) {
      top.isStartOfLine = false;
    }
  }

  /** A run of characters that start no token becomes one Unknown token and one diagnostic. */
  function lexUnknown(): void {
    let end = pos;
    do {
      end += codePointLength(end);
    } while (end < length && isUnknownStart(end));
    report('HCL001', `Invalid character ${JSON.stringify(text.slice(pos, end))}`, { start: pos, end });
    emit(TokenKind.Unknown, end);
  }

  /** Whether the character at `offset` would also be unknown in main mode (to merge runs of garbage). */
  function isUnknownStart(offset: number): boolean {
    const c = text.charCodeAt(offset);
    if (c < 128) {
      return !KNOWN_ASCII.includes(text[offset] as string) && !isIdentStartAt(offset);
    }
    return !isIdentStartAt(offset);
  }

  /** Whether an identifier starts at `offset` (`ID_Start` or `_`). */
  function isIdentStartAt(offset: number): boolean {
    const c = text.charCodeAt(offset);
    if (c < 128) {
      return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    }
    return ID_START.test(String.fromCodePoint(text.codePointAt(offset) ?? 0));
  }

  /** Quoted-string mode: literal runs split at `$` and `%` as HCL's scanner does, escapes kept for the parser. */
  function lexQuoted(ctx: Context, c: number): void {
    if (c === 34) {
      emit(TokenKind.CloseQuote, pos + 1);
      pop(true);
      return;
    }
    if (c === LF || c === CR) {
      // A quoted string ends at its line's end. See test/parse/hcl/err/unterminated-string.tf.
      report('HCL002', 'Unterminated string', { start: starts[ctx.opener] as number, end: pos });
      pop(false);
      return;
    }
    if (lexSequenceStart(c, true)) {
      return;
    }
    let end = pos;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === 34 || d === LF || d === CR || d === 36 || d === 37) {
        break;
      }
      if (d === 92 /* \ */) {
        const e = end + 1 < length ? text.charCodeAt(end + 1) : -1;
        end += e === -1 || e === LF || e === CR ? 1 : 1 + codePointLength(end + 1);
        continue;
      }
      end++;
    }
    emit(TokenKind.TemplateLiteral, end);
  }

  /**
   * Handles `${`, `${~`, `%{`, `%{~`, the escapes `$${` and `%%{`, and a lone `$` or `%`, at `pos`; returns false
   * if the character is none of these.
   */
  function lexSequenceStart(c: number, isQuoted: boolean): boolean {
    if (c !== 36 && c !== 37) {
      return false;
    }
    const next = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
    if (next === 123) {
      const hasStrip = pos + 2 < length && text.charCodeAt(pos + 2) === 126;
      emit(c === 36 ? TokenKind.TemplateInterp : TokenKind.TemplateControl, hasStrip ? pos + 3 : pos + 2);
      const top = stack[stack.length - 1] as Context;
      if (top.mode === Mode.Heredoc) {
        top.isStartOfLine = false;
      }
      push(Mode.Main, isQuoted);
      return true;
    }
    if (next === c && pos + 2 < length && text.charCodeAt(pos + 2) === 123) {
      emit(TokenKind.TemplateLiteral, pos + 3);
    } else {
      emit(TokenKind.TemplateLiteral, pos + 1);
    }
    const top = stack[stack.length - 1] as Context;
    if (top.mode === Mode.Heredoc) {
      top.isStartOfLine = false;
    }
    return true;
  }

  /** Heredoc mode: one literal token per line (line end included), split at `$` and `%`; the marker line ends it. */
  function lexHeredoc(ctx: Context, c: number): void {
    if (ctx.isStartOfLine) {
      const lineEnd = lineContentEnd(pos);
      if (text.slice(pos, lineEnd).trim() === ctx.marker) {
        emit(TokenKind.HeredocEnd, lineEnd);
        pop(true);
        return;
      }
    }
    if (lexSequenceStart(c, false)) {
      return;
    }
    let end = pos;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === 36 || d === 37) {
        break;
      }
      end++;
      if (d === LF) {
        break;
      }
    }
    ctx.isStartOfLine = text.charCodeAt(end - 1) === LF;
    emit(TokenKind.TemplateLiteral, end);
  }

  /** Bare-template mode (a whole text as a template): like a heredoc without a closing marker. */
  function lexBare(c: number): void {
    if (lexSequenceStart(c, false)) {
      return;
    }
    let end = pos;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === 36 || d === 37) {
        break;
      }
      end++;
      if (d === LF) {
        break;
      }
    }
    emit(TokenKind.TemplateLiteral, end);
  }

  /** `<<` `-`? Identifier followed directly by a line end, as HCL's `BeginHeredocTmpl`. */
  function matchHeredocStart(at: number): { end: number; marker: string } | undefined {
    let p = at + 2;
    if (p < length && text.charCodeAt(p) === 45) {
      p++;
    }
    if (p >= length || !isIdentStartAt(p)) {
      return undefined;
    }
    const markerStart = p;
    p = identEnd(p);
    const marker = text.slice(markerStart, p);
    if (text.charCodeAt(p) === LF) {
      return { end: p + 1, marker };
    }
    if (text.charCodeAt(p) === CR && text.charCodeAt(p + 1) === LF) {
      return { end: p + 2, marker };
    }
    return undefined;
  }

  /** The end of the line's content starting at `from`: before `\n` or `\r\n`, or the end of the text. */
  function lineContentEnd(from: number): number {
    let end = text.indexOf('\n', from);
    if (end < 0) {
      return length;
    }
    if (end > from && text.charCodeAt(end - 1) === CR) {
      end--;
    }
    return end;
  }

  /** `NumberLit = digit (digit | "." | ("e"|"E") ("+"|"-")? digit)*`, never ending in ".". */
  function numberEnd(from: number): number {
    let p = from + 1;
    let lastGood = p;
    while (p < length) {
      const d = text.charCodeAt(p);
      if (d >= 48 && d <= 57) {
        p++;
        lastGood = p;
      } else if (d === 46) {
        p++;
      } else if (d === 101 || d === 69) {
        let q = p + 1;
        const s = text.charCodeAt(q);
        if (s === 43 || s === 45) {
          q++;
        }
        const e = text.charCodeAt(q);
        if (e >= 48 && e <= 57) {
          p = q + 1;
          lastGood = p;
        } else {
          break;
        }
      } else {
        break;
      }
    }
    return lastGood;
  }

  /** `Ident = (ID_Start | "_") (ID_Continue | "-")*`. */
  function identEnd(from: number): number {
    let p = from + codePointLength(from);
    while (p < length) {
      const d = text.charCodeAt(p);
      if (d < 128) {
        if (isIdentPart(d)) {
          p++;
          continue;
        }
        break;
      }
      const cp = text.codePointAt(p) ?? 0;
      if (!ID_CONTINUE.test(String.fromCodePoint(cp))) {
        break;
      }
      p += cp > 0xffff ? 2 : 1;
    }
    return p;
  }

  function codePointLength(offset: number): number {
    const c = text.charCodeAt(offset);
    if (c >= 0xd800 && c <= 0xdbff && offset + 1 < length) {
      const d = text.charCodeAt(offset + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        return 2;
      }
    }
    return 1;
  }
}

const ID_START = /^\p{ID_Start}$/u;
const ID_CONTINUE = /^\p{ID_Continue}$/u;

function newContext(mode: Mode, opener: number): Context {
  return { mode, opener, braces: 0, parens: 0, isInQuoted: false, marker: '', isStartOfLine: false };
}

/** ASCII characters that start some token in main mode (everything else there is unknown). */
const KNOWN_ASCII = ' \t\r\n#/0123456789"<{}[]()~,.*=:?+-%!>&|';

function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
