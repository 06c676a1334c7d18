/**
 * The HCL native-syntax lexer, after hashicorp/hcl `hclsyntax/scan_tokens.rl`.
 *
 * It works on character codes, never throws, and emits every character of the input as part of exactly one token
 * (trivia included), so the token texts concatenate to the input. Templates (quoted strings, heredocs and the
 * interpolations inside them) are lexed with a stack of modes, as HCL's scanner does.
 */
import { WorkCounter } from '../../text/workCounter';
import { TokenKind, type SyntaxDiagnostic, type Token } from './syntax';

// The token kinds as module constants: a compiler that transforms one file at a time (tsx, which runs the tests and
// benchmarks) leaves each `TokenKind.X` a read of the enum object, and V8 made those reads cost a parse five times its
// time once another enum of that shape (Bicep's) was loaded. The bundles inline the values either way.
const TK_And = TokenKind.And;
const TK_Bang = TokenKind.Bang;
const TK_BlockComment = TokenKind.BlockComment;
const TK_CloseBrace = TokenKind.CloseBrace;
const TK_CloseBracket = TokenKind.CloseBracket;
const TK_CloseParen = TokenKind.CloseParen;
const TK_CloseQuote = TokenKind.CloseQuote;
const TK_Colon = TokenKind.Colon;
const TK_Comma = TokenKind.Comma;
const TK_Dot = TokenKind.Dot;
const TK_EOF = TokenKind.EOF;
const TK_Ellipsis = TokenKind.Ellipsis;
const TK_EqualOp = TokenKind.EqualOp;
const TK_Equals = TokenKind.Equals;
const TK_FatArrow = TokenKind.FatArrow;
const TK_Greater = TokenKind.Greater;
const TK_GreaterEqual = TokenKind.GreaterEqual;
const TK_HeredocBegin = TokenKind.HeredocBegin;
const TK_HeredocEnd = TokenKind.HeredocEnd;
const TK_Identifier = TokenKind.Identifier;
const TK_Less = TokenKind.Less;
const TK_LessEqual = TokenKind.LessEqual;
const TK_LineComment = TokenKind.LineComment;
const TK_Minus = TokenKind.Minus;
const TK_Newline = TokenKind.Newline;
const TK_NotEqual = TokenKind.NotEqual;
const TK_Number = TokenKind.Number;
const TK_OpenBrace = TokenKind.OpenBrace;
const TK_OpenBracket = TokenKind.OpenBracket;
const TK_OpenParen = TokenKind.OpenParen;
const TK_OpenQuote = TokenKind.OpenQuote;
const TK_Or = TokenKind.Or;
const TK_Percent = TokenKind.Percent;
const TK_Plus = TokenKind.Plus;
const TK_Question = TokenKind.Question;
const TK_Slash = TokenKind.Slash;
const TK_Star = TokenKind.Star;
const TK_TemplateControl = TokenKind.TemplateControl;
const TK_TemplateInterp = TokenKind.TemplateInterp;
const TK_TemplateLiteral = TokenKind.TemplateLiteral;
const TK_TemplateSeqEnd = TokenKind.TemplateSeqEnd;
const TK_Unknown = TokenKind.Unknown;
const TK_Whitespace = TokenKind.Whitespace;

/** What the lexer starts in: a configuration file or expression (`config`) or a bare template (`template`). */
export type LexStart = 'config' | 'template';

/**
 * The lexer's full output, in flat arrays (no object per token): token `i` (of `count`, the last being EOF) has the
 * kind `kinds[i]` and spans `[starts[i], starts[i + 1])` (tokens are contiguous; EOF is zero-width, `starts[count]` is
 * its offset too). Beside the tokens: the significant ones for the parser, the diagnostics, and the extent of every
 * template construct so the parser can stay inside it (an interpolation cut short by a line end, a string without its
 * closing quote). {@link tokensOf} turns it into token objects.
 *
 * The arrays are valid until the next call of the lexer, which reuses them: read them (parse) before lexing again.
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

/** The arrays of one lexer output, kept for the next lex (allocating them costs more than lexing a small file). */
interface Buffers {
  capacity: number;
  kinds: Uint8Array;
  starts: Int32Array;
  sig: Int32Array;
  sigOf: Int32Array;
  endOf: Int32Array;
  isClosed: Uint8Array;
}

/** The largest buffers kept between lexes, in tokens (about 1.2 MB); larger arrays are left to the collector. */
const MAX_REUSED_TOKENS = 1 << 16;

/** The buffers of the last lex, reused by the next one. */
let scratch: Buffers | undefined;

/**
 * The lexer behind {@link lexHcl}, also reporting template extents; `start` picks the initial mode. With `from` and
 * `until` it lexes only part of the text: from the offset `from` (where the whole text's lexer would be at the top
 * level), and it stops at the first token boundary at or after `until` where it is back at the top level; the EOF
 * token then sits, zero-width, at the offset where it stopped.
 *
 * One loop with its state in local variables: each step finds the next token's kind and end, appends it, then opens
 * or closes a template context when the token does.
 */
export function lexHclWithExtents(text: string, start: LexStart, from = 0, until = text.length): LexOutput {
  const diagnostics: SyntaxDiagnostic[] = [];
  const openers: number[] = [];
  const closedOpeners: number[] = [];
  const endIndex: number[] = [];
  const length = text.length;
  const stack: Context[] = [newContext(start === 'template' ? Mode.Bare : Mode.Main, -1)];
  let ctx = stack[0] as Context;
  const reused = scratch;
  scratch = undefined;
  let capacity = reused?.capacity ?? Math.max(16, Math.min(((until - from) >> 1) + 16, length - from + 2));
  let kinds: Uint8Array = reused?.kinds ?? new Uint8Array(capacity);
  let starts: Int32Array = reused?.starts ?? new Int32Array(capacity + 1);
  let sig: Int32Array = reused?.sig ?? new Int32Array(capacity);
  let sigOf: Int32Array = reused?.sigOf ?? new Int32Array(capacity);
  let endOf: Int32Array = reused?.endOf ?? new Int32Array(capacity);
  let isClosed: Uint8Array = reused?.isClosed ?? new Uint8Array(capacity);
  let count = 0;
  let sigCount = 0;
  let braces = 0;
  let pos = from;
  /** The marker of the heredoc a `HeredocBegin` token opens. */
  let marker = '';

  // A BOM is kept as whitespace so that offsets stay those of the editor's string.
  const hasBom = from === 0 && length > 0 && text.charCodeAt(0) === 0xfeff;

  for (;;) {
    let kind: TokenKind;
    let end: number;
    if (hasBom && count === 0) {
      kind = TK_Whitespace;
      end = 1;
    } else {
      if (pos >= length || (pos >= until && stack.length === 1)) {
        break;
      }
      const c = text.charCodeAt(pos);
      const mode = ctx.mode;
      if (mode === Mode.Main) {
        // The expression and structural language, at top level or inside `${ … }` and `%{ … }`.
        if (c === 32 || c === 9) {
          end = pos + 1;
          while (end < length) {
            const d = text.charCodeAt(end);
            if (d !== 32 && d !== 9) {
              break;
            }
            end++;
          }
          kind = TK_Whitespace;
        } else if (c >= 97 ? c <= 122 : c >= 65 ? c <= 90 || c === 95 : false) {
          end = identEnd(text, pos + 1, length);
          kind = TK_Identifier;
        } else if (c === LF || (c === CR && pos + 1 < length && text.charCodeAt(pos + 1) === LF)) {
          if (ctx.opener >= 0 && ctx.isInQuoted && ctx.braces === 0 && ctx.parens === 0) {
            // A quoted string is one line: a line end inside its interpolation ends both, so that the next line is
            // lexed as the structure it most likely is. See test/parse/hcl/err/unclosed-interpolation.tf.
            const message = 'Unterminated template sequence, expected "}"';
            report(diagnostics, 'HCL006', message, starts[ctx.opener] as number, pos);
            pop(false);
            if (ctx.mode === Mode.Quoted) {
              pop(false);
            }
            continue;
          }
          kind = TK_Newline;
          end = c === CR ? pos + 2 : pos + 1;
        } else if (c >= 48 && c <= 57) {
          kind = TK_Number;
          end = numberEnd(text, pos, length);
        } else {
          const next = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
          end = pos + 1;
          kind = TK_Unknown;
          switch (c) {
            case 35 /* # */:
              kind = TK_LineComment;
              end = lineContentEnd(text, pos, length);
              break;
            case 47 /* / */:
              if (next === 47) {
                kind = TK_LineComment;
                end = lineContentEnd(text, pos, length);
              } else if (next === 42 /* * */) {
                kind = TK_BlockComment;
                const close = text.indexOf('*/', pos + 2);
                if (close < 0) {
                  report(diagnostics, 'HCL004', 'Unterminated comment, expected "*/"', pos, length);
                  end = length;
                } else {
                  end = close + 2;
                }
              } else {
                kind = TK_Slash;
              }
              break;
            case 34 /* " */:
              kind = TK_OpenQuote;
              break;
            case 60 /* < */:
              if (next === 60) {
                const heredocEnd = matchHeredocStart(text, pos, length);
                if (heredocEnd > 0) {
                  kind = TK_HeredocBegin;
                  const markerStart = text.charCodeAt(pos + 2) === 45 ? pos + 3 : pos + 2;
                  const markerEnd = identEnd(text, markerStart + codePointLength(text, markerStart, length), length);
                  marker = text.slice(markerStart, markerEnd);
                  end = heredocEnd;
                  break;
                }
              }
              kind = next === 61 ? TK_LessEqual : TK_Less;
              end = next === 61 ? pos + 2 : pos + 1;
              break;
            case 123 /* { */:
              if (ctx.opener >= 0) {
                ctx.braces++;
              }
              kind = TK_OpenBrace;
              break;
            case 125 /* } */:
              if (ctx.opener >= 0) {
                if (ctx.braces === 0) {
                  kind = TK_TemplateSeqEnd;
                  break;
                }
                ctx.braces--;
              }
              kind = TK_CloseBrace;
              break;
            case 126 /* ~ */:
              if (next === 125 && ctx.opener >= 0 && ctx.braces === 0) {
                kind = TK_TemplateSeqEnd;
                end = pos + 2;
              }
              break;
            case 91 /* [ */:
            case 40 /* ( */:
              if (ctx.opener >= 0) {
                ctx.parens++;
              }
              kind = c === 91 ? TK_OpenBracket : TK_OpenParen;
              break;
            case 93 /* ] */:
            case 41 /* ) */:
              if (ctx.opener >= 0 && ctx.parens > 0) {
                ctx.parens--;
              }
              kind = c === 93 ? TK_CloseBracket : TK_CloseParen;
              break;
            case 44:
              kind = TK_Comma;
              break;
            case 46 /* . */:
              if (next === 46 && pos + 2 < length && text.charCodeAt(pos + 2) === 46) {
                kind = TK_Ellipsis;
                end = pos + 3;
              } else {
                kind = TK_Dot;
              }
              break;
            case 42:
              kind = TK_Star;
              break;
            case 61 /* = */:
              if (next === 61) {
                kind = TK_EqualOp;
                end = pos + 2;
              } else if (next === 62) {
                kind = TK_FatArrow;
                end = pos + 2;
              } else {
                kind = TK_Equals;
              }
              break;
            case 58:
              kind = TK_Colon;
              break;
            case 63:
              kind = TK_Question;
              break;
            case 43:
              kind = TK_Plus;
              break;
            case 45:
              kind = TK_Minus;
              break;
            case 37:
              kind = TK_Percent;
              break;
            case 33 /* ! */:
              kind = next === 61 ? TK_NotEqual : TK_Bang;
              end = next === 61 ? pos + 2 : pos + 1;
              break;
            case 62 /* > */:
              kind = next === 61 ? TK_GreaterEqual : TK_Greater;
              end = next === 61 ? pos + 2 : pos + 1;
              break;
            case 38 /* & */:
              if (next === 38) {
                kind = TK_And;
                end = pos + 2;
              }
              break;
            case 124 /* | */:
              if (next === 124) {
                kind = TK_Or;
                end = pos + 2;
              }
              break;
          }
          if (kind === TK_Unknown) {
            if (c >= 128 && isIdentStartAt(text, pos)) {
              kind = TK_Identifier;
              end = identEnd(text, pos + codePointLength(text, pos, length), length);
            } else {
              // A run of characters that start no token becomes one Unknown token and one diagnostic.
              end = pos;
              do {
                end += codePointLength(text, end, length);
              } while (end < length && isUnknownStart(text, end));
              report(diagnostics, 'HCL001', `Invalid character ${JSON.stringify(text.slice(pos, end))}`, pos, end);
            }
          }
        }
      } else if (mode === Mode.Quoted) {
        // Literal runs split at `$` and `%` as HCL's scanner does, escapes kept for the parser.
        if (c === 34) {
          kind = TK_CloseQuote;
          end = pos + 1;
        } else if (c === LF || c === CR) {
          // A quoted string ends at its line's end. See test/parse/hcl/err/unterminated-string.tf.
          report(diagnostics, 'HCL002', 'Unterminated string', starts[ctx.opener] as number, pos);
          pop(false);
          continue;
        } else if (c === 36 || c === 37) {
          kind = sequenceStartKind(text, pos, length, c);
          end = sequenceStartEnd(text, pos, length, c, kind);
        } else {
          end = pos;
          while (end < length) {
            const d = text.charCodeAt(end);
            if (d === 34 || d === LF || d === CR || d === 36 || d === 37) {
              break;
            }
            if (d === 92 /* \ */) {
              const e = end + 1 < length ? text.charCodeAt(end + 1) : -1;
              end += e === -1 || e === LF || e === CR ? 1 : 1 + codePointLength(text, end + 1, length);
              continue;
            }
            end++;
          }
          kind = TK_TemplateLiteral;
        }
      } else {
        // Heredoc mode: one literal token per line (line end included), split at `$` and `%`; the marker line ends
        // it. Bare-template mode (a whole text as a template) is the same without a closing marker.
        if (mode === Mode.Heredoc && ctx.isStartOfLine && isMarkerLine(text, pos, length, ctx.marker)) {
          kind = TK_HeredocEnd;
          end = lineContentEnd(text, pos, length);
        } else if (c === 36 || c === 37) {
          kind = sequenceStartKind(text, pos, length, c);
          end = sequenceStartEnd(text, pos, length, c, kind);
          ctx.isStartOfLine = false;
        } else {
          end = pos;
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
          if (mode === Mode.Heredoc) {
            ctx.isStartOfLine = text.charCodeAt(end - 1) === LF;
          }
          kind = TK_TemplateLiteral;
        }
      }
    }

    // Append the token.
    if (count === capacity) {
      capacity *= 2;
      kinds = grownBytes(kinds, capacity);
      starts = grownInts(starts, capacity + 1);
      sig = grownInts(sig, capacity);
      sigOf = grownInts(sigOf, capacity);
      endOf = new Int32Array(capacity);
      isClosed = new Uint8Array(capacity);
    }
    kinds[count] = kind;
    starts[count] = pos;
    sigOf[count] = sigCount;
    if (kind === TK_Newline || kind > TK_BlockComment) {
      sig[sigCount++] = count;
      if (kind === TK_OpenBrace) {
        braces++;
      } else if (kind === TK_CloseBrace) {
        braces--;
      }
    }
    count++;
    pos = end;

    // Open or close a template context.
    if (kind >= TK_OpenQuote && kind <= TK_HeredocEnd && kind !== TK_TemplateLiteral) {
      switch (kind) {
        case TK_OpenQuote:
          push(Mode.Quoted, false, '');
          break;
        case TK_HeredocBegin:
          push(Mode.Heredoc, false, marker);
          ctx.isStartOfLine = true;
          break;
        case TK_TemplateInterp:
        case TK_TemplateControl:
          push(Mode.Main, ctx.mode === Mode.Quoted, '');
          break;
        case TK_TemplateSeqEnd:
          pop(true);
          // After `}` closes a sequence inside a heredoc, the rest of that line is no longer at a line start.
          if (ctx.mode === Mode.Heredoc) {
            ctx.isStartOfLine = false;
          }
          break;
        default:
          // CloseQuote, HeredocEnd
          pop(true);
      }
    }
  }

  // Whatever is still open at the end of the input is unterminated.
  while (stack.length > 1) {
    const opener = starts[ctx.opener] as number;
    if (ctx.mode === Mode.Quoted) {
      report(diagnostics, 'HCL002', 'Unterminated string', opener, length);
    } else if (ctx.mode === Mode.Heredoc) {
      report(diagnostics, 'HCL003', `Unterminated heredoc, expected "${ctx.marker}"`, opener, length);
    } else {
      report(diagnostics, 'HCL006', 'Unterminated template sequence, expected "}"', opener, length);
    }
    pop(false);
  }
  WorkCounter.lexer += count;
  if (count + 1 >= capacity) {
    capacity += 2;
    kinds = grownBytes(kinds, capacity);
    starts = grownInts(starts, capacity + 1);
    sig = grownInts(sig, capacity);
    sigOf = grownInts(sigOf, capacity);
    endOf = new Int32Array(capacity);
    isClosed = new Uint8Array(capacity);
  }
  kinds[count] = TK_EOF;
  starts[count] = pos;
  sigOf[count] = sigCount;
  sig[sigCount++] = count;
  count++;
  starts[count] = pos;

  endOf.fill(0, 0, count);
  isClosed.fill(0, 0, count);
  for (let i = 0; i < openers.length; i++) {
    endOf[openers[i] as number] = endIndex[i] as number;
  }
  for (const opener of closedOpeners) {
    isClosed[opener] = 1;
  }
  if (capacity <= MAX_REUSED_TOKENS) {
    scratch = { capacity, kinds, starts, sig, sigOf, endOf, isClosed };
  }
  return {
    count,
    kinds: kinds.subarray(0, count),
    starts: starts.subarray(0, count + 1),
    sig: sig.subarray(0, sigCount),
    sigOf: sigOf.subarray(0, count),
    isUnbalanced: braces > 0,
    diagnostics,
    endOf: endOf.subarray(0, count),
    isClosed: isClosed.subarray(0, count),
  };

  /** Opens a context whose opener is the token just appended. */
  function push(mode: Mode, isInQuoted: boolean, heredocMarker: string): void {
    const next = newContext(mode, count - 1);
    next.isInQuoted = isInQuoted;
    next.marker = heredocMarker;
    stack.push(next);
    ctx = next;
  }

  /** Pops the top context; its construct ends before the next token. */
  function pop(isClosed: boolean): void {
    const top = stack.pop();
    if (top !== undefined && top.opener >= 0) {
      openers.push(top.opener);
      endIndex.push(count);
      if (isClosed) {
        closedOpeners.push(top.opener);
      }
    }
    ctx = stack[stack.length - 1] as Context;
  }
}

function report(diagnostics: SyntaxDiagnostic[], code: string, message: string, start: number, end: number): void {
  diagnostics.push({ code, message, span: { start, end }, severity: 'error' });
}

function grownBytes(array: Uint8Array, capacity: number): Uint8Array {
  const grown = new Uint8Array(capacity);
  grown.set(array);
  return grown;
}

function grownInts(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

/** At `$` or `%` (`c`): `${`, `${~`, `%{` or `%{~` open a sequence; anything else there is literal text. */
function sequenceStartKind(text: string, pos: number, length: number, c: number): TokenKind {
  if (pos + 1 < length && text.charCodeAt(pos + 1) === 123) {
    return c === 36 ? TK_TemplateInterp : TK_TemplateControl;
  }
  return TK_TemplateLiteral;
}

/** The end of the token {@link sequenceStartKind} found: a sequence opener, an escape `$${` or `%%{`, or `$`/`%`. */
function sequenceStartEnd(text: string, pos: number, length: number, c: number, kind: TokenKind): number {
  if (kind !== TK_TemplateLiteral) {
    return pos + 2 < length && text.charCodeAt(pos + 2) === 126 ? pos + 3 : pos + 2;
  }
  if (pos + 2 < length && text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === 123) {
    return pos + 3;
  }
  return pos + 1;
}

/** Whether the line from `pos` is, trimmed, the heredoc's closing `marker`. */
function isMarkerLine(text: string, pos: number, length: number, marker: string): boolean {
  return text.slice(pos, lineContentEnd(text, pos, length)).trim() === marker;
}

/** `<<` `-`? Identifier followed directly by a line end, as HCL's `BeginHeredocTmpl`: its end, or -1. */
function matchHeredocStart(text: string, at: number, length: number): number {
  let p = at + 2;
  if (p < length && text.charCodeAt(p) === 45) {
    p++;
  }
  if (p >= length || !isIdentStartAt(text, p)) {
    return -1;
  }
  p = identEnd(text, p + codePointLength(text, p, length), length);
  if (text.charCodeAt(p) === LF) {
    return p + 1;
  }
  if (text.charCodeAt(p) === CR && text.charCodeAt(p + 1) === LF) {
    return p + 2;
  }
  return -1;
}

/** The end of the line's content starting at `from`: before `\n` or `\r\n`, or the end of the text. */
function lineContentEnd(text: string, from: number, length: number): number {
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
function numberEnd(text: string, from: number, length: number): number {
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

/** The end of `Ident = (ID_Start | "_") (ID_Continue | "-")*` whose first character ends at `from`. */
function identEnd(text: string, from: number, length: number): number {
  let p = from;
  while (p < length) {
    const d = text.charCodeAt(p);
    if (d < 128) {
      if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95 || d === 45) {
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

/** Whether an identifier starts at `offset` (`ID_Start` or `_`). */
function isIdentStartAt(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  }
  return ID_START.test(String.fromCodePoint(text.codePointAt(offset) ?? 0));
}

/** Whether the character at `offset` would also be unknown in main mode (to merge runs of garbage). */
function isUnknownStart(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  if (c < 128) {
    return !KNOWN_ASCII.includes(text[offset] as string) && !isIdentStartAt(text, offset);
  }
  return !isIdentStartAt(text, offset);
}

function codePointLength(text: string, offset: number, length: number): number {
  const c = text.charCodeAt(offset);
  if (c >= 0xd800 && c <= 0xdbff && offset + 1 < length) {
    const d = text.charCodeAt(offset + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      return 2;
    }
  }
  return 1;
}

const ID_START = /^\p{ID_Start}$/u;
const ID_CONTINUE = /^\p{ID_Continue}$/u;

function newContext(mode: Mode, opener: number): Context {
  return { mode, opener, braces: 0, parens: 0, isInQuoted: false, marker: '', isStartOfLine: false };
}

/** ASCII characters that start some token in main mode (everything else there is unknown). */
const KNOWN_ASCII = ' \t\r\n#/0123456789"<{}[]()~,.*=:?+-%!>&|';
