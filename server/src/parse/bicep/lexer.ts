/**
 * The Bicep lexer, after Azure/bicep `src/Bicep.Core/Parsing/Lexer.cs`.
 *
 * It works on character codes, never throws, and emits every character of the input as part of exactly one token
 * (trivia included), so the token texts concatenate to the input. Interpolated strings are split into pieces
 * (`'a${`, `}b${`, `}c'`) with the expression tokens in between, tracked with a stack of open interpolations and
 * braces, as Bicep's lexer does. Line breaks are tokens: Bicep's grammar is newline-sensitive.
 */
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import { TokenKind, type SyntaxDiagnostic, type Token } from './syntax';

/** The lexer's full output: tokens and diagnostics, plus the decoded text of every string token. */
export interface LexOutput {
  tokens: Token[];
  diagnostics: SyntaxDiagnostic[];
  /** For each string token (complete, piece or multi-line) by token index: its decoded text, delimiters removed. */
  values: Map<number, string>;
  /** Indices of string tokens that end without their closing delimiter (at a line end or the end of input). */
  unterminated: Set<number>;
}

/** An open interpolated string: the token that opened it, and for multi-line strings the number of `$` of its marker. */
interface OpenString {
  opener: number;
  /** Zero for a quoted string; for `$$'''…'''` the count of dollars that start an interpolation (`$${`). */
  dollars: number;
}

/** The escapes Bicep strings accept after a backslash (besides `\u{…}`), with their values. */
export const SINGLE_CHARACTER_ESCAPES: ReadonlyMap<number, string> = new Map([
  [110 /* n */, '\n'],
  [114 /* r */, '\r'],
  [116 /* t */, '\t'],
  [92 /* \ */, '\\'],
  [39 /* ' */, "'"],
  [36 /* $ */, '$'],
]);

const CR = 13;
const LF = 10;
const QUOTE = 39;
const BACKSLASH = 92;
/** The directives Bicep reads in comments' place: `#disable-next-line`, and the range pragmas. */
const DIRECTIVES = ['#disable-next-line', '#disable-diagnostics', '#restore-diagnostics'];

/**
 * Splits Bicep source into tokens, trivia included, ending with EOF. With `from` and `until` it lexes only part of
 * the text: from the offset `from` (where the whole text's lexer is outside every string), and it stops at the first
 * token boundary at or after `until` outside every string; the EOF token then sits, zero-width, where it stopped.
 */
export function lexBicep(text: string, from = 0, until = text.length): LexOutput {
  const tokens: Token[] = [];
  const diagnostics: SyntaxDiagnostic[] = [];
  const unterminated = new Set<number>();
  const values = new Map<number, string>();
  const length = text.length;
  /**
   * One entry per open interpolation or per `{` opened inside one (undefined), so that a `}` can tell whether it
   * closes an object or the interpolation hole.
   */
  const stack: (OpenString | undefined)[] = [];
  let pos = from;

  const emit = (kind: TokenKind, end: number): void => {
    WorkCounter.lexer++;
    tokens.push({ kind, start: pos, end });
    pos = end;
  };
  const report = (code: string, message: string, span: Span): void => {
    diagnostics.push({ code, message, span, severity: 'error' });
  };

  // A BOM is kept as whitespace so that offsets stay those of the editor's string.
  if (from === 0 && length > 0 && text.charCodeAt(0) === 0xfeff) {
    emit(TokenKind.Whitespace, 1);
  }

  while (pos < length && (pos < until || stack.length > 0)) {
    const c = text.charCodeAt(pos);
    const next = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
    if (c === 32 || c === 9) {
      let end = pos + 1;
      while (end < length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) {
        end++;
      }
      emit(TokenKind.Whitespace, end);
      continue;
    }
    if (c === LF || c === CR) {
      if (stack.length > 0) {
        // An interpolation cannot span lines: a line break ends it and its string, as in Bicep's lexer, so that the
        // next line is lexed as the structure it most likely is. See test/parse/bicep/err/unclosed-interpolation.bicep.
        const last = diagnostics[diagnostics.length - 1];
        if (last?.code !== 'BICEP004' || last.span.end !== pos) {
          // (A string opened inside the interpolation may have reported this line end already.)
          report('BICEP004', 'Unterminated string: a string cannot span lines (use a multi-line string)', {
            start: firstOpenerStart(),
            end: pos,
          });
        }
        unterminated.add(tokens.length);
        values.set(tokens.length, '');
        emit(TokenKind.StringRightPiece, pos);
        stack.length = 0;
        continue;
      }
      let end = pos + 1;
      while (end < length && (text.charCodeAt(end) === LF || text.charCodeAt(end) === CR)) {
        end++;
      }
      emit(TokenKind.Newline, end);
      continue;
    }
    if (c === 47 /* / */ && next === 47) {
      emit(TokenKind.LineComment, lineContentEnd(pos));
      continue;
    }
    if (c === 47 && next === 42 /* * */) {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) {
        report('BICEP003', 'Unterminated comment, expected "*/"', { start: pos, end: length });
        emit(TokenKind.BlockComment, length);
      } else {
        emit(TokenKind.BlockComment, close + 2);
      }
      continue;
    }
    if (c === 35 /* # */ && isLineStart(pos)) {
      const directive = DIRECTIVES.find((d) => text.startsWith(d, pos));
      if (directive !== undefined) {
        lexDirective(directive);
        continue;
      }
    }
    if (c >= 48 && c <= 57) {
      let end = pos + 1;
      while (end < length && isDigit(text.charCodeAt(end))) {
        end++;
      }
      emit(TokenKind.Integer, end);
      continue;
    }
    if (isIdentifierStart(c)) {
      let end = pos + 1;
      while (end < length && isIdentifierPart(text.charCodeAt(end))) {
        end++;
      }
      emit(keywordKind(text.slice(pos, end)), end);
      continue;
    }
    if (c === QUOTE) {
      if (next === QUOTE && pos + 2 < length && text.charCodeAt(pos + 2) === QUOTE) {
        lexMultilineSegment(pos, 0, true);
      } else {
        lexStringSegment(true);
      }
      continue;
    }
    if (c === 36 /* $ */) {
      let quotes = pos;
      while (quotes < length && text.charCodeAt(quotes) === 36) {
        quotes++;
      }
      if (text.startsWith("'''", quotes)) {
        lexMultilineSegment(pos, quotes - pos, true);
        continue;
      }
    }
    lexPunctuation(c, next);
  }
  if (stack.length > 0) {
    // The text ends inside an interpolation: its string is unterminated.
    report('BICEP004', 'Unterminated string, expected "}" and the closing quote', {
      start: firstOpenerStart(),
      end: length,
    });
    for (const open of stack) {
      if (open !== undefined) {
        unterminated.add(open.opener);
      }
    }
    stack.length = 0;
  }
  tokens.push({ kind: TokenKind.EOF, start: pos, end: pos });
  return { tokens, diagnostics, values, unterminated };

  /** Operators, brackets and anything else that starts no token. */
  function lexPunctuation(c: number, next: number): void {
    switch (c) {
      case 123 /* { */:
        if (stack.length > 0) {
          stack.push(undefined);
        }
        emit(TokenKind.OpenBrace, pos + 1);
        return;
      case 125 /* } */:
        if (stack.length > 0) {
          const top = stack[stack.length - 1];
          if (top !== undefined) {
            if (top.dollars > 0) {
              lexMultilineSegment(pos, top.dollars, false);
            } else {
              lexStringSegment(false);
            }
            return;
          }
          stack.pop();
        }
        emit(TokenKind.CloseBrace, pos + 1);
        return;
      case 40:
        emit(TokenKind.OpenParen, pos + 1);
        return;
      case 41:
        emit(TokenKind.CloseParen, pos + 1);
        return;
      case 91:
        emit(TokenKind.OpenBracket, pos + 1);
        return;
      case 93:
        emit(TokenKind.CloseBracket, pos + 1);
        return;
      case 64:
        emit(TokenKind.At, pos + 1);
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
      case 63 /* ? */:
        emit(next === 63 ? TokenKind.DoubleQuestion : TokenKind.Question, next === 63 ? pos + 2 : pos + 1);
        return;
      case 58 /* : */:
        emit(next === 58 ? TokenKind.DoubleColon : TokenKind.Colon, next === 58 ? pos + 2 : pos + 1);
        return;
      case 59:
        emit(TokenKind.Semicolon, pos + 1);
        return;
      case 43:
        emit(TokenKind.Plus, pos + 1);
        return;
      case 45:
        emit(TokenKind.Minus, pos + 1);
        return;
      case 37:
        emit(TokenKind.Percent, pos + 1);
        return;
      case 42:
        emit(TokenKind.Star, pos + 1);
        return;
      case 47:
        emit(TokenKind.Slash, pos + 1);
        return;
      case 94:
        emit(TokenKind.Hat, pos + 1);
        return;
      case 33 /* ! */:
        if (next === 61) {
          emit(TokenKind.NotEqual, pos + 2);
        } else if (next === 126 /* ~ */) {
          emit(TokenKind.NotEqualInsensitive, pos + 2);
        } else {
          emit(TokenKind.Bang, pos + 1);
        }
        return;
      case 60 /* < */:
        emit(next === 61 ? TokenKind.LessEqual : TokenKind.Less, next === 61 ? pos + 2 : pos + 1);
        return;
      case 62 /* > */:
        emit(next === 61 ? TokenKind.GreaterEqual : TokenKind.Greater, next === 61 ? pos + 2 : pos + 1);
        return;
      case 61 /* = */:
        if (next === 61) {
          emit(TokenKind.EqualOp, pos + 2);
        } else if (next === 126) {
          emit(TokenKind.EqualInsensitive, pos + 2);
        } else if (next === 62) {
          emit(TokenKind.Arrow, pos + 2);
        } else {
          emit(TokenKind.Assignment, pos + 1);
        }
        return;
      case 38 /* & */:
        if (next === 38) {
          emit(TokenKind.And, pos + 2);
          return;
        }
        break;
      case 124 /* | */:
        emit(next === 124 ? TokenKind.Or : TokenKind.Pipe, next === 124 ? pos + 2 : pos + 1);
        return;
    }
    lexUnknown(c);
  }

  /** One character (one code point) that starts no token becomes an Unknown token and a diagnostic. */
  function lexUnknown(c: number): void {
    const isPair = c >= 0xd800 && c <= 0xdbff && pos + 1 < length && isLowSurrogate(text.charCodeAt(pos + 1));
    const end = pos + (isPair ? 2 : 1);
    const span = { start: pos, end };
    if (c === 34 /* " */) {
      report('BICEP002', `Unexpected character '"': Bicep strings use single quotes`, span);
    } else {
      report('BICEP001', `Unexpected character ${JSON.stringify(text.slice(pos, end))}`, span);
    }
    emit(TokenKind.Unknown, end);
  }

  /** `#disable-next-line code…` (or a pragma): the directive up to a comment or the line end, trailing blanks excluded. */
  function lexDirective(directive: string): void {
    const afterKeyword = pos + directive.length;
    let end = afterKeyword;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === LF || d === CR || (d === 47 && (text.charCodeAt(end + 1) === 47 || text.charCodeAt(end + 1) === 42))) {
        break;
      }
      end++;
    }
    while (end > afterKeyword && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) {
      end--;
    }
    const codes = text.slice(afterKeyword, end);
    if (codes.length > 0 && !/^[ \t]/.test(codes)) {
      // `#disable-next-lineX` is not the directive: an unknown character followed by ordinary tokens.
      lexUnknown(35);
      return;
    }
    if (directive === '#disable-next-line' && codes.trim().length === 0) {
      report('BICEP005', 'Expected at least one diagnostic code after "#disable-next-line"', { start: pos, end });
    }
    emit(TokenKind.Directive, end);
  }

  /**
   * One piece of a multi-line string from `start`: the opening `$…'''` (with `dollars` dollars, zero for a verbatim
   * `'''` string) or the `}` that closed an interpolation, up to the closing `'''` (further quotes belong to the
   * string) or, when `dollars` is not zero, the next interpolation marker (`dollars` dollars and `{`).
   */
  function lexMultilineSegment(start: number, dollars: number, isStart: boolean): void {
    const contentStart = isStart ? start + dollars + 3 : start + 1;
    const endKind = isStart ? (dollars === 0 ? TokenKind.MultilineString : TokenKind.StringComplete) : TokenKind.StringRightPiece;
    let end = contentStart;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === QUOTE && text.startsWith("'''", end)) {
        let close = end + 3;
        while (close < length && text.charCodeAt(close) === QUOTE) {
          close++;
        }
        emitMultiline(contentStart, close - 3, close, isStart, endKind);
        if (!isStart) {
          stack.pop();
        }
        return;
      }
      if (d === 36 && dollars > 0) {
        let run = end;
        while (run < length && text.charCodeAt(run) === 36) {
          run++;
        }
        if (run - end >= dollars && text.charCodeAt(run) === 123) {
          emitMultiline(contentStart, run - dollars, run + 1, isStart, isStart ? TokenKind.StringLeftPiece : TokenKind.StringMiddlePiece);
          if (isStart) {
            stack.push({ opener: tokens.length - 1, dollars });
          }
          return;
        }
        end = run;
        continue;
      }
      end++;
    }
    report('BICEP006', "Unterminated multi-line string, expected \"'''\"", { start, end: length });
    unterminated.add(tokens.length);
    emitMultiline(contentStart, length, length, isStart, endKind);
    if (!isStart) {
      stack.pop();
    }
  }

  /** Emits a multi-line string piece ending at `end`, whose text runs from `contentStart` to `contentEnd`. */
  function emitMultiline(contentStart: number, contentEnd: number, end: number, isStart: boolean, kind: TokenKind): void {
    let from = contentStart;
    if (isStart) {
      // One line break right after the opening quotes is not part of the value.
      if (text.charCodeAt(from) === CR && from < contentEnd) {
        from++;
      }
      if (text.charCodeAt(from) === LF && from < contentEnd) {
        from++;
      }
    }
    values.set(tokens.length, text.slice(from, Math.max(from, contentEnd)));
    emit(kind, end);
  }

  /**
   * One piece of a quoted string, from `'` (at the start) or `}` (after an interpolation) to the closing `'` or the
   * next `${`. A line end or the end of input ends it unterminated.
   */
  function lexStringSegment(isStart: boolean): void {
    const start = pos;
    const endKind = isStart ? TokenKind.StringComplete : TokenKind.StringRightPiece;
    let end = pos + 1;
    while (true) {
      if (end >= length) {
        report('BICEP004', 'Unterminated string, expected "\'"', { start, end });
        emitQuoted(endKind, end, false);
        if (!isStart) {
          stack.pop();
        }
        return;
      }
      const d = text.charCodeAt(end);
      if (d === LF || d === CR) {
        report('BICEP004', 'Unterminated string: a string cannot span lines (use a multi-line string)', {
          start,
          end,
        });
        emitQuoted(endKind, end, false);
        if (!isStart) {
          stack.length = 0;
        }
        return;
      }
      if (d === QUOTE) {
        emitQuoted(endKind, end + 1, true);
        if (!isStart) {
          stack.pop();
        }
        return;
      }
      if (d === 36 /* $ */ && end + 1 < length && text.charCodeAt(end + 1) === 123) {
        emitQuoted(isStart ? TokenKind.StringLeftPiece : TokenKind.StringMiddlePiece, end + 2, true);
        if (isStart) {
          stack.push({ opener: tokens.length - 1, dollars: 0 });
        }
        return;
      }
      if (d === BACKSLASH) {
        end = scanEscape(end);
        continue;
      }
      end++;
    }
  }

  /** Emits a quoted-string piece ending at `end`, with its decoded value. */
  function emitQuoted(kind: TokenKind, end: number, isTerminated: boolean): void {
    const index = tokens.length;
    values.set(index, decodeStringPiece(text.slice(pos, end), kind, isTerminated));
    if (!isTerminated) {
      unterminated.add(index);
    }
    emit(kind, end);
  }

  /** Checks the escape sequence at `at` (a backslash); returns the offset after it. */
  function scanEscape(at: number): number {
    const e = at + 1 < length ? text.charCodeAt(at + 1) : -1;
    if (e === -1 || e === LF || e === CR) {
      // The string ends here unterminated; the segment scanner reports that.
      return at + 1;
    }
    if (SINGLE_CHARACTER_ESCAPES.has(e)) {
      return at + 2;
    }
    if (e === 117 /* u */) {
      let end = at + 2;
      if (text.charCodeAt(end) === 123 /* { */) {
        end++;
        const digitsStart = end;
        while (end < length && isHexDigit(text.charCodeAt(end))) {
          end++;
        }
        const digits = text.slice(digitsStart, end);
        if (digits.length > 0 && text.charCodeAt(end) === 125 && parseInt(digits, 16) <= 0x10ffff) {
          return end + 1;
        }
      }
      report('BICEP007', 'Invalid Unicode escape, expected "\\u{…}" with up to 0x10FFFF', { start: at, end });
      return end;
    }
    const width = e >= 0xd800 && e <= 0xdbff && isLowSurrogate(text.charCodeAt(at + 2)) ? 3 : 2;
    report('BICEP007', "Invalid escape sequence; valid escapes are \\n \\r \\t \\\\ \\' \\$ and \\u{…}", {
      start: at,
      end: at + width,
    });
    return at + width;
  }

  /** The start offset of the outermost open interpolation's string. */
  function firstOpenerStart(): number {
    const open = stack.find((entry) => entry !== undefined);
    return open === undefined ? pos : (tokens[open.opener]?.start ?? pos);
  }

  /** The end of the line holding `from`, before its line break. */
  function lineContentEnd(from: number): number {
    let end = from;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d === LF || d === CR) {
        break;
      }
      end++;
    }
    return end;
  }

  /** Whether only spaces and tabs precede `at` on its line. */
  function isLineStart(at: number): boolean {
    for (let i = at - 1; i >= 0; i--) {
      const d = text.charCodeAt(i);
      if (d === LF || d === CR) {
        return true;
      }
      if (d !== 32 && d !== 9 && d !== 0xfeff) {
        return false;
      }
    }
    return true;
  }
}

/** The token kind of an identifier-shaped word: a literal keyword or a plain identifier. */
function keywordKind(word: string): TokenKind {
  switch (word) {
    case 'true':
      return TokenKind.TrueKeyword;
    case 'false':
      return TokenKind.FalseKeyword;
    case 'null':
      return TokenKind.NullKeyword;
    default:
      return TokenKind.Identifier;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `[A-Za-z_]`, as in Bicep (identifiers are ASCII). */
export function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** `[A-Za-z0-9_]` */
export function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * The decoded value of one quoted-string piece (the token's text, delimiters included); escapes are resolved and
 * invalid ones kept as written (the lexer reported them).
 */
function decodeStringPiece(raw: string, kind: TokenKind, isTerminated: boolean): string {
  // Every piece starts with one delimiter character: `'` or the `}` that closed the previous interpolation.
  const startLength = 1;
  let endLength = 0;
  if (isTerminated) {
    endLength = kind === TokenKind.StringLeftPiece || kind === TokenKind.StringMiddlePiece ? 2 : 1;
  }
  const body = raw.slice(Math.min(startLength, raw.length), Math.max(startLength, raw.length - endLength));
  if (!body.includes('\\')) {
    return body;
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== BACKSLASH || i + 1 >= body.length) {
      out += body[i] ?? '';
      continue;
    }
    const e = body.charCodeAt(i + 1);
    const single = SINGLE_CHARACTER_ESCAPES.get(e);
    if (single !== undefined) {
      out += single;
      i++;
      continue;
    }
    const unicode = e === 117 ? /^\\u\{([0-9A-Fa-f]+)\}/.exec(body.slice(i)) : null;
    const codePoint = unicode ? parseInt(unicode[1] ?? '', 16) : NaN;
    if (unicode && codePoint <= 0x10ffff) {
      out += String.fromCodePoint(codePoint);
      i += unicode[0].length - 1;
      continue;
    }
    out += body[i] ?? '';
  }
  return out;
}
