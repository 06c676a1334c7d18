/**
 * The HCL native-syntax parser: hand-written recursive descent after hashicorp/hcl `hclsyntax/spec.md` (and
 * `hclsyntax/parser.go` where the spec is silent), with Pratt-style precedence climbing for operators.
 *
 * It never throws and always returns a complete tree. Recovery follows STYLE.md section 2: missing expressions become
 * zero-width `Missing` nodes, skipped tokens go into `Error` items, resynchronisation is bracket-aware and happens at
 * the next line or item, and only the first error of a construct is reported (the `isRecovering` flag, reset when a
 * body item starts on a new line).
 */
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import { lexHclWithExtents, tokensOf, type LexOutput } from './lexer';
import {
  TokenKind,
  type Attribute,
  type BinaryOperator,
  type Block,
  type BlockLabel,
  type Body,
  type BodyItem,
  type ConfigFile,
  type ErrorItem,
  type Expression,
  type ForExpr,
  type GetAttrStep,
  type HclParseResult,
  type IndexStep,
  type MissingExpr,
  type ObjectItem,
  type SyntaxDiagnostic,
  type TemplateExpr,
  type TemplateForPart,
  type TemplateIfPart,
  type TemplateLiteralPart,
  type TemplatePart,
  type Token,
} from './syntax';

// The token kinds as module constants: a compiler that transforms one file at a time (tsx, which runs the tests and
// benchmarks) leaves each `TokenKind.X` a read of the enum object, and V8 made those reads cost a parse five times its
// time once another enum of that shape (Bicep's) was loaded. The bundles inline the values either way.
const TK_And = TokenKind.And;
const TK_Bang = TokenKind.Bang;
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

/** The deepest nesting of blocks and expressions parsed; deeper input is skipped with one diagnostic. */
export const MAX_NESTING_DEPTH = 500;

/** Parses an HCL configuration file (`ConfigFile = Body;`); never throws, always returns a tree. */
export function parseHcl(text: string): HclParseResult {
  return parseConfig(text, true);
}

/**
 * {@link parseHcl} without the parser's shortcuts for common cases (a string of one literal, a template without
 * directives or strip markers, a small body's duplicate check): the general paths they stand for, which a test
 * compares them with.
 */
export function parseHclWithoutShortcuts(text: string): HclParseResult {
  return parseConfig(text, false);
}

function parseConfig(text: string, hasShortcuts: boolean): HclParseResult {
  const lexed = lexHclWithExtents(text, 'config');
  const parser = new Parser(text, lexed, hasShortcuts);
  const body = parser.parseConfigBody();
  const tree: ConfigFile = new ParsedConfigFile(text, body);
  return { tree, diagnostics: sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]) };
}

/**
 * Parses the top-level block of an HCL configuration that spans `[start, end)` of `text`, without the rest of the
 * file: the incremental re-parse after an edit inside that block. `start` must be where the block's type name starts
 * in an error-free parse of the text around it (so the lexer and parser are at the top level there, after a line
 * end), and the text from `end` on must be text that followed the block in that parse. The result is the block and
 * its tokens exactly as a parse of the whole `text` would produce them, or undefined when the text from `start` does
 * not parse, without any diagnostic, as one block that ends at `end` followed by a line end or the end of the text
 * (the caller then parses the whole text).
 *
 * Why the rest of the file cannot differ: the lexer's state at the top level is empty, so tokens from `start` and
 * from `end` on are those of the whole text; the parser reads nothing past the block but the token after it; and the
 * one file-wide fact it uses, whether `{` outnumber `}`, is false both for the error-free file around the block and
 * for an error-free block (every brace of an error-free parse is matched). The tokens are made when first read.
 */
export function parseHclBlockAt(text: string, start: number, end: number): { block: Block; tokens: Token[] } | undefined {
  const lineEnd = text.indexOf('\n', end);
  const lexed = lexHclWithExtents(text, 'config', start, lineEnd < 0 ? text.length : lineEnd + 1);
  if (lexed.diagnostics.length > 0) {
    return undefined;
  }
  const parser = new Parser(text, lexed);
  const items = parser.parseItems();
  const block = items[0];
  if (
    items.length !== 1 ||
    parser.diagnostics.length > 0 ||
    block?.kind !== 'Block' ||
    block.isCloseBraceMissing ||
    block.span.start !== start ||
    block.span.end !== end
  ) {
    return undefined;
  }
  let count = 0;
  while ((lexed.starts[count + 1] as number) <= end && count < lexed.count - 1) {
    count++;
  }
  return new ParsedBlock(block, text, start, lineEnd < 0 ? text.length : lineEnd + 1, count);
}

/**
 * A parsed file whose token objects are made when first read (the analysis never reads them), by lexing the text
 * again: the lexer's arrays are reused by the next lex. A class, so that every tree shares one shape.
 */
class ParsedConfigFile implements ConfigFile {
  readonly kind = 'ConfigFile';
  readonly span: Span;
  readonly body: Body;
  readonly #text: string;
  #tokens: Token[] | undefined;

  constructor(text: string, body: Body) {
    this.span = { start: 0, end: text.length };
    this.body = body;
    this.#text = text;
  }

  get tokens(): Token[] {
    if (this.#tokens === undefined) {
      const lexed = lexHclWithExtents(this.#text, 'config');
      this.#tokens = tokensOf(lexed, 0, lexed.count);
    }
    return this.#tokens;
  }
}

/** The result of {@link parseHclBlockAt}: the block, and its tokens (the first `count` of lexing `[from, until)`). */
class ParsedBlock {
  readonly block: Block;
  readonly #text: string;
  readonly #from: number;
  readonly #until: number;
  readonly #count: number;
  #tokens: Token[] | undefined;

  constructor(block: Block, text: string, from: number, until: number, count: number) {
    this.block = block;
    this.#text = text;
    this.#from = from;
    this.#until = until;
    this.#count = count;
  }

  get tokens(): Token[] {
    this.#tokens ??= tokensOf(lexHclWithExtents(this.#text, 'config', this.#from, this.#until), 0, this.#count);
    return this.#tokens;
  }
}

/** Parses a standalone expression (`Expression`, newlines ignored as in HCL's `ParseExpression`). */
export function parseHclExpression(text: string): { expr: Expression; diagnostics: SyntaxDiagnostic[] } {
  const lexed = lexHclWithExtents(text, 'config');
  const parser = new Parser(text, lexed);
  const expr = parser.parseStandaloneExpression();
  return { expr, diagnostics: sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]) };
}

/**
 * Parses a whole text as a bare template (`Template`, as HCL's `ParseTemplate`), such as a Terraform JSON string;
 * every span is shifted by `offset` so it points into the enclosing document.
 */
export function parseHclTemplate(
  text: string,
  offset = 0,
): { expr: TemplateExpr; diagnostics: SyntaxDiagnostic[] } {
  const lexed = lexHclWithExtents(text, 'template');
  const parser = new Parser(text, lexed);
  const expr = parser.parseBareTemplate();
  const diagnostics = sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]);
  if (offset !== 0) {
    shiftSpans(expr, offset, new Set());
    shiftSpans(diagnostics, offset, new Set());
  }
  return { expr, diagnostics };
}

/** Bodies with at most this many items are checked for duplicate attributes without a set. */
const SMALL_BODY = 16;

/** Binary operators by token kind, with their precedence (higher binds tighter), after the spec's table. */
const BINARY_OPERATOR_LIST: [TokenKind, [BinaryOperator, number]][] = [
  [TK_Or, ['||', 1]],
  [TK_And, ['&&', 2]],
  [TK_EqualOp, ['==', 3]],
  [TK_NotEqual, ['!=', 3]],
  [TK_Less, ['<', 4]],
  [TK_LessEqual, ['<=', 4]],
  [TK_Greater, ['>', 4]],
  [TK_GreaterEqual, ['>=', 4]],
  [TK_Plus, ['+', 5]],
  [TK_Minus, ['-', 5]],
  [TK_Star, ['*', 6]],
  [TK_Slash, ['/', 6]],
  [TK_Percent, ['%', 6]],
];

/** {@link BINARY_OPERATOR_LIST} indexed by token kind (looked up after every operand). */
const BINARY_OPERATORS: ([BinaryOperator, number] | undefined)[] = [];
for (const [kind, operator] of BINARY_OPERATOR_LIST) {
  BINARY_OPERATORS[kind] = operator;
}

/** A template piece before trimming, flushing and nesting (HCL's "template tokens"). */
type RawPart =
  | { kind: 'literal'; span: Span; value: string }
  | { kind: 'interp'; span: Span; expr: Expression; stripLeft: boolean; stripRight: boolean }
  | { kind: 'if'; span: Span; condition: Expression; stripLeft: boolean; stripRight: boolean }
  | {
      kind: 'for';
      span: Span;
      keyVar: string | undefined;
      valueVar: string;
      collection: Expression;
      stripLeft: boolean;
      stripRight: boolean;
    }
  | { kind: 'else' | 'endif' | 'endfor' | 'invalid'; span: Span; stripLeft: boolean; stripRight: boolean };

/** A template piece that is a `${…}` or `%{…}` sequence. */
type SequencePart = Exclude<RawPart, { kind: 'literal' }>;

/** The outcome of resynchronising inside a bracketed list. */
type ListRecovery = { kind: 'closed'; close: number } | { kind: 'resume' } | { kind: 'stopped' };

/** A recursive-descent parser over the significant tokens of one lexed text. */
class Parser {
  readonly diagnostics: SyntaxDiagnostic[] = [];
  /** The lexer's token kinds and offsets (see {@link LexOutput}). */
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  /** Token indices of the significant (non-trivia) tokens; newlines are significant. */
  private readonly sig: Int32Array;
  /** For each token index, the position in `sig` of it or of the next significant token. */
  private readonly sigOf: Int32Array;
  private readonly endOf: Int32Array;
  private readonly isClosed: Uint8Array;
  /** Whether the file has more `{` than `}`: only then do indentation hints end unclosed constructs. */
  private readonly isUnbalanced: boolean;
  /** The current position in `sig`. */
  private pos = 0;
  /** A position in `sig` that acts as the end of input (the end of the current template sequence). */
  private limit: number;
  private readonly newlineModes: boolean[] = [true];
  private isNewlineSignificant = true;
  /** Set after an error is reported; further errors are suppressed until the next body item on a new line. */
  private isRecovering = false;
  /** Counts every error, reported or suppressed, so a caller can tell that a sub-parse failed. */
  private errorSerial = 0;
  private depth = 0;
  private hasReportedDepth = false;
  private hasReportedStuck = false;
  /** The end offset of the last consumed token. */
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    lexed: LexOutput,
    /** Whether the shortcuts for common cases are taken (see {@link parseHclWithoutShortcuts}). */
    private readonly hasShortcuts = true,
  ) {
    this.kinds = lexed.kinds;
    this.starts = lexed.starts;
    this.endOf = lexed.endOf;
    this.isClosed = lexed.isClosed;
    this.sig = lexed.sig;
    this.sigOf = lexed.sigOf;
    this.limit = lexed.sig.length - 1;
    this.isUnbalanced = lexed.isUnbalanced;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Entry points

  /** `ConfigFile = Body;` */
  parseConfigBody(): Body {
    const items: BodyItem[] = [];
    this.parseBodyItems(false, true, items);
    this.checkDuplicateAttributes(items);
    return { kind: 'Body', span: { start: 0, end: this.text.length }, items };
  }

  /** Body items up to the end of the tokens, as at the top level of a file. */
  parseItems(): BodyItem[] {
    const items: BodyItem[] = [];
    this.parseBodyItems(false, true, items);
    return items;
  }

  /** `Expression` followed by the end of the text. */
  parseStandaloneExpression(): Expression {
    this.pushNewlines(false);
    const expr = this.parseExpression();
    if (this.peek() !== TK_EOF) {
      this.error('HCL028', 'Extra characters after the expression', this.spanOfNext());
    }
    this.popNewlines();
    return expr;
  }

  /** `Template` over the whole text (bare template mode). */
  parseBareTemplate(): TemplateExpr {
    const raws = this.parseTemplateParts(this.sig.length - 1, false);
    const parts = this.buildTemplateParts(raws, false);
    return {
      kind: 'Template',
      span: { start: 0, end: this.text.length },
      isHeredoc: false,
      isIndentedHeredoc: false,
      parts,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Token access

  // A token is its index in the lexer's arrays; a negative `t` is the end of input standing in for the token `~t`
  // (a zero-width EOF at that token's start), as the parser sees it at its `limit`.

  private kindAt(s: number): TokenKind {
    WorkCounter.parser++;
    return s >= this.limit ? TK_EOF : (this.kinds[this.sig[s] as number] as TokenKind);
  }

  private tokenAt(s: number): number {
    if (s >= this.limit) {
      return ~(this.sig[this.limit] as number);
    }
    return this.sig[s] as number;
  }

  private tokKind(t: number): TokenKind {
    return t < 0 ? TK_EOF : (this.kinds[t] as TokenKind);
  }

  private tokStart(t: number): number {
    return this.starts[t < 0 ? ~t : t] as number;
  }

  private tokEnd(t: number): number {
    return t < 0 ? (this.starts[~t] as number) : (this.starts[t + 1] as number);
  }

  /** A token's span, as a new object. */
  private spanOf(t: number): Span {
    return { start: this.tokStart(t), end: this.tokEnd(t) };
  }

  /** The end of `close`, or of the last consumed token when it is missing. */
  private endOrLast(close: number | undefined): number {
    return close === undefined ? this.lastEnd : this.tokEnd(close);
  }

  /** The position of the next token, skipping newlines where they are not significant. */
  private peekPos(): number {
    let s = this.pos;
    if (!this.isNewlineSignificant) {
      while (s < this.limit && this.kinds[this.sig[s] as number] === TK_Newline) {
        WorkCounter.parser++;
        s++;
      }
    }
    return s;
  }

  private peek(): TokenKind {
    return this.kindAt(this.peekPos());
  }

  private peekToken(): number {
    return this.tokenAt(this.peekPos());
  }

  /** The kind of the `n`-th token after the next one (n = 1 is the one after next), in the current newline mode. */
  private peekAhead(n: number): TokenKind {
    let s = this.peekPos();
    for (let i = 0; i < n; i++) {
      s++;
      if (!this.isNewlineSignificant) {
        while (s < this.limit && this.kindAt(s) === TK_Newline) {
          s++;
        }
      }
    }
    return this.kindAt(s);
  }

  private advance(): number {
    const s = this.peekPos();
    const token = this.tokenAt(s);
    if (s < this.limit) {
      this.pos = s + 1;
      if (this.tokKind(token) !== TK_Newline) {
        this.lastEnd = this.tokEnd(token);
      }
    }
    return token;
  }

  private textOf(token: number): string {
    return this.text.slice(this.tokStart(token), this.tokEnd(token));
  }

  private isKeyword(word: string): boolean {
    const token = this.peekToken();
    return (
      this.tokKind(token) === TK_Identifier &&
      this.tokEnd(token) - this.tokStart(token) === word.length &&
      this.textOf(token) === word
    );
  }

  private pushNewlines(isSignificant: boolean): void {
    this.newlineModes.push(isSignificant);
    this.isNewlineSignificant = isSignificant;
  }

  private popNewlines(): void {
    this.newlineModes.pop();
    this.isNewlineSignificant = this.newlineModes[this.newlineModes.length - 1] ?? true;
  }

  /** Whether the token at `s` is a template construct opener, whose whole extent recovery skips at once. */
  private isConstructOpener(kind: TokenKind): boolean {
    return (
      kind === TK_OpenQuote ||
      kind === TK_HeredocBegin ||
      kind === TK_TemplateInterp ||
      kind === TK_TemplateControl
    );
  }

  /** Moves past the whole construct opened at `s` (a string, heredoc or template sequence). */
  private skipConstruct(s: number): void {
    const ti = this.sig[s] as number;
    const after = this.endOf[ti] as number;
    const target = Math.max(s + 1, Math.min(this.sigOf[after] ?? this.limit, this.limit));
    this.pos = target;
    this.lastEnd = Math.max(this.lastEnd, this.starts[after] as number);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Diagnostics

  /** Reports an error unless one was already reported for the current construct. */
  private error(code: string, message: string, span: Span): void {
    this.errorSerial++;
    if (this.isRecovering) {
      return;
    }
    this.isRecovering = true;
    this.diagnostics.push({ code, message, span, severity: 'error' });
  }

  /**
   * Reports an error about the next token, except when it is an Unknown token, which the lexer already reported
   * (the construct still counts as failed).
   */
  private errorAtNext(code: string, message: string): void {
    if (this.peek() === TK_Unknown) {
      this.errorSerial++;
      this.isRecovering = true;
      return;
    }
    this.error(code, message, this.spanOfNext());
  }

  /** Reports an error that stands on its own (escape sequences, unclosed blocks), whatever the recovery state. */
  private forceError(code: string, message: string, span: Span): void {
    this.errorSerial++;
    this.diagnostics.push({ code, message, span, severity: 'error' });
  }

  /** The span to blame for something unexpected next: that token, or a zero-width span after the previous token. */
  private spanOfNext(): Span {
    const token = this.peekToken();
    if (this.tokKind(token) === TK_Newline || this.tokKind(token) === TK_EOF) {
      return { start: this.lastEnd, end: this.lastEnd };
    }
    return { start: this.tokStart(token), end: this.tokEnd(token) };
  }

  private missing(): MissingExpr {
    return { kind: 'Missing', span: { start: this.lastEnd, end: this.lastEnd } };
  }

  /** The progress guard: a loop iteration that consumed nothing is an internal error; one token is skipped. */
  private ensureProgress(before: number): void {
    if (this.pos !== before) {
      return;
    }
    if (!this.hasReportedStuck) {
      this.hasReportedStuck = true;
      const token = this.peekToken();
      this.forceError('HCL099', 'Internal error: the parser was stuck and skipped a token', this.spanOf(token));
    }
    if (this.pos < this.limit) {
      this.lastEnd = this.tokEnd(this.tokenAt(this.pos));
      this.pos++;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Recovery

  /** The column of an offset (code units since the line start). */
  private columnOf(offset: number): number {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return offset - lineStart;
  }

  /** The first position at or after `s` that is not a newline. */
  private skipNewlinesFrom(s: number): number {
    while (s < this.limit && this.kindAt(s) === TK_Newline) {
      s++;
    }
    return s;
  }

  /**
   * Whether the line at `s` starts, at column 0, what looks like a block header (`Identifier (Label)* "{"`). In a
   * file with unbalanced braces this ends the constructs still open above it.
   * See test/parse/hcl/err/unclosed-block-before-next.tf.
   */
  private isBlockHeaderAtColumn0(s: number): boolean {
    if (!this.isUnbalanced || this.kindAt(s) !== TK_Identifier) {
      return false;
    }
    if (this.columnOf(this.tokStart(this.tokenAt(s))) !== 0) {
      return false;
    }
    let p = s + 1;
    for (let labels = 0; labels < 8; labels++) {
      const kind = this.kindAt(p);
      if (kind === TK_OpenBrace) {
        return true;
      }
      if (kind === TK_Identifier) {
        p++;
      } else if (kind === TK_OpenQuote) {
        const after = this.endOf[this.sig[p] as number] as number;
        p = Math.max(p + 1, this.sigOf[after] ?? this.limit);
      } else {
        return false;
      }
    }
    return false;
  }

  /** Whether the line at `s` looks like the start of a body item (`name =` or a block header). */
  private looksLikeBodyItem(s: number): boolean {
    if (this.kindAt(s) !== TK_Identifier) {
      return false;
    }
    const next = this.kindAt(s + 1);
    return next === TK_Equals || next === TK_OpenBrace || next === TK_OpenQuote;
  }

  /**
   * Whether the next token starts a new line that looks like a body item (`name =`, a block header): no list item
   * can start that way, so an unclosed `(` or `[` above it ends there. See test/parse/hcl/err/unclosed-call.tf.
   */
  private isBodyItemOnNewLine(): boolean {
    const s = this.peekPos();
    return s > this.pos && this.looksLikeBodyItem(s);
  }

  /**
   * Skips the rest of a body line, bracket-aware, and returns the skipped span. Stops before the line end, before a
   * `}` that closes the enclosing block (when `isInBlock`), and before EOF.
   */
  private skipRestOfLine(isInBlock: boolean): Span | undefined {
    let nest = 0;
    let start = -1;
    for (;;) {
      const s = this.pos;
      const kind = this.kindAt(s);
      if (kind === TK_EOF) {
        break;
      }
      if (kind === TK_Newline) {
        if (nest === 0 || this.isBlockHeaderAtColumn0(this.skipNewlinesFrom(s))) {
          break;
        }
      }
      if (nest === 0 && kind === TK_CloseBrace && isInBlock) {
        break;
      }
      if (start < 0) {
        start = this.tokStart(this.tokenAt(s));
      }
      if (this.isConstructOpener(kind)) {
        this.skipConstruct(s);
        continue;
      }
      if (kind === TK_OpenBrace || kind === TK_OpenBracket || kind === TK_OpenParen) {
        nest++;
      } else if (
        nest > 0 &&
        (kind === TK_CloseBrace || kind === TK_CloseBracket || kind === TK_CloseParen)
      ) {
        nest--;
      }
      this.advanceRaw();
    }
    return start < 0 ? undefined : { start, end: this.lastEnd };
  }

  /**
   * Resynchronises inside a bracketed list after an error (HCL's `recover`, with line hints): skips, bracket-aware,
   * to the list's `closer` (consumed), or stops before a closer of an enclosing construct, or before a line that
   * starts a body item. In an object (`isObject`) a line end at the object's level resumes the item list.
   * See test/parse/hcl/err/unclosed-call.tf.
   */
  private recoverList(closer: TokenKind, isObject: boolean): ListRecovery {
    let nest = 0;
    for (;;) {
      const s = this.pos;
      const kind = this.kindAt(s);
      if (kind === TK_EOF) {
        return { kind: 'stopped' };
      }
      if (nest === 0) {
        if (kind === closer) {
          return { kind: 'closed', close: this.advanceRaw() };
        }
        if (kind === TK_CloseBrace || kind === TK_CloseBracket || kind === TK_CloseParen) {
          return { kind: 'stopped' };
        }
        if (kind === TK_Newline) {
          const next = this.skipNewlinesFrom(s);
          if (isObject) {
            if (this.isBlockHeaderAtColumn0(next)) {
              return { kind: 'stopped' };
            }
            this.pos = next;
            return { kind: 'resume' };
          }
          if (this.looksLikeBodyItem(next) || this.isBlockHeaderAtColumn0(next)) {
            return { kind: 'stopped' };
          }
        }
      } else if (kind === TK_Newline && this.isBlockHeaderAtColumn0(this.skipNewlinesFrom(s))) {
        return { kind: 'stopped' };
      }
      if (this.isConstructOpener(kind)) {
        this.skipConstruct(s);
        continue;
      }
      if (kind === TK_OpenBrace || kind === TK_OpenBracket || kind === TK_OpenParen) {
        nest++;
      } else if (kind === TK_CloseBrace || kind === TK_CloseBracket || kind === TK_CloseParen) {
        nest--;
      }
      this.advanceRaw();
    }
  }

  /** Consumes the token at the current position, newline or not. */
  private advanceRaw(): number {
    const token = this.tokenAt(this.pos);
    if (this.pos < this.limit) {
      this.pos++;
      if (this.tokKind(token) !== TK_Newline) {
        this.lastEnd = this.tokEnd(token);
      }
    }
    return token;
  }

  /**
   * Skips input nested deeper than {@link MAX_NESTING_DEPTH} without recursing: everything up to a closer at this
   * level, or a significant line end, stays for the enclosing constructs.
   * See "HCL limits" in test/parse/hcl/parser.test.ts.
   */
  private skipTooDeep(): MissingExpr {
    const at = this.spanOfNext();
    if (!this.hasReportedDepth) {
      this.hasReportedDepth = true;
      this.forceError('HCL040', `Nesting deeper than ${MAX_NESTING_DEPTH} levels is not supported`, at);
    }
    this.errorSerial++;
    this.isRecovering = true;
    let nest = 0;
    for (;;) {
      const s = this.pos;
      const kind = this.kindAt(s);
      if (kind === TK_EOF) {
        break;
      }
      if (nest === 0) {
        if (kind === TK_CloseBrace || kind === TK_CloseBracket || kind === TK_CloseParen) {
          break;
        }
        if (kind === TK_Newline && this.isNewlineSignificant) {
          break;
        }
      }
      if (this.isConstructOpener(kind)) {
        this.skipConstruct(s);
        continue;
      }
      if (kind === TK_OpenBrace || kind === TK_OpenBracket || kind === TK_OpenParen) {
        nest++;
      } else if (kind === TK_CloseBrace || kind === TK_CloseBracket || kind === TK_CloseParen) {
        nest--;
      }
      this.advanceRaw();
    }
    return { kind: 'Missing', span: { start: at.start, end: at.start } };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Structure

  /**
   * `Body = (Attribute | Block | OneLineBlock)*;` — appends items until EOF or, in a block, its closing brace (left
   * for the caller). Tokens that start no item are skipped to the line end into an `Error` item.
   */
  private parseBodyItems(isInBlock: boolean, isAtLineStart: boolean, items: BodyItem[]): void {
    let isNewLine = isAtLineStart;
    for (;;) {
      const before = this.pos;
      const kind = this.peek();
      if (kind === TK_EOF) {
        return;
      }
      if (kind === TK_Newline) {
        this.advance();
        isNewLine = true;
        continue;
      }
      if (kind === TK_CloseBrace && isInBlock) {
        return;
      }
      if (isInBlock && isNewLine && this.isBlockHeaderAtColumn0(this.pos)) {
        // The enclosing block is unclosed; let it end here. See test/parse/hcl/err/unclosed-block-before-next.tf.
        return;
      }
      if (isNewLine) {
        this.isRecovering = false;
      }
      isNewLine = false;
      if (kind === TK_Identifier) {
        this.parseBodyItem(isInBlock, items);
      } else {
        const token = this.peekToken();
        if (kind === TK_CloseBrace) {
          this.error('HCL015', 'Unexpected "}" without a matching "{"', this.spanOf(token));
          this.advance();
          items.push(errorItem(this.spanOf(token)));
        } else {
          const message =
            kind === TK_OpenQuote
              ? 'Expected an argument or block definition; argument names must not be quoted'
              : 'Expected an argument or block definition';
          this.errorAtNext('HCL010', message);
          if (this.isConstructOpener(kind)) {
            this.skipConstruct(this.peekPos());
          } else {
            this.advance();
          }
          const rest = this.skipRestOfLine(isInBlock);
          items.push(errorItem({ start: this.tokStart(token), end: rest?.end ?? this.lastEnd }));
        }
      }
      this.ensureProgress(before);
    }
  }

  /** `Attribute | Block`, decided by the token after the leading identifier. */
  private parseBodyItem(isInBlock: boolean, items: BodyItem[]): void {
    const name = this.advance();
    const kind = this.peek();
    if (kind === TK_Equals) {
      this.parseAttribute(name, false, isInBlock, items);
    } else if (kind === TK_OpenQuote || kind === TK_OpenBrace || kind === TK_Identifier) {
      this.parseBlock(name, isInBlock, items);
    } else {
      this.error('HCL012', 'Expected "="', this.spanOfNext());
      const rest = this.skipRestOfLine(isInBlock);
      items.push(errorItem({ start: this.tokStart(name), end: rest?.end ?? this.tokEnd(name) }));
    }
  }

  /**
   * `Attribute = Identifier "=" Expression Newline;` — the name is already consumed. A one-line block's attribute
   * (`isSingleLine`) needs no newline. Anything left on the line after an error becomes an `Error` item.
   */
  private parseAttribute(name: number, isSingleLine: boolean, isInBlock: boolean, items: BodyItem[]): void {
    const equals = this.advance();
    const serial = this.errorSerial;
    const expr = this.parseExpression();
    const attribute: Attribute = {
      kind: 'Attribute',
      span: { start: this.tokStart(name), end: Math.max(this.tokEnd(equals), expr.span.end) },
      name: this.textOf(name),
      nameSpan: { start: this.tokStart(name), end: this.tokEnd(name) },
      equalsSpan: { start: this.tokStart(equals), end: this.tokEnd(equals) },
      expr,
    };
    items.push(attribute);
    if (isSingleLine) {
      return;
    }
    const kind = this.peek();
    if (kind === TK_Newline || kind === TK_EOF) {
      return;
    }
    if (serial === this.errorSerial) {
      const message =
        kind === TK_Comma
          ? 'Unexpected "," after the argument; arguments are separated by newlines'
          : 'Expected a newline after the argument';
      this.errorAtNext('HCL011', message);
    }
    const rest = this.skipRestOfLine(isInBlock);
    if (rest !== undefined) {
      items.push(errorItem(rest));
    }
  }

  /**
   * `Block = Identifier (StringLit | Identifier)* "{" Newline Body "}" Newline;` and
   * `OneLineBlock = Identifier (StringLit | Identifier)* "{" (Identifier "=" Expression)? "}" Newline;`
   * — the type name is already consumed; the block (and an `Error` item for anything after it) is appended to `out`.
   */
  private parseBlock(typeToken: number, isInBlock: boolean, out: BodyItem[]): void {
    const labels: BlockLabel[] = [];
    for (;;) {
      const kind = this.peek();
      if (kind === TK_OpenBrace) {
        break;
      }
      if (kind === TK_OpenQuote) {
        labels.push(this.parseLabel());
      } else if (kind === TK_Identifier) {
        const token = this.advance();
        labels.push({ value: this.textOf(token), span: this.spanOf(token), isQuoted: false });
      } else {
        // A header without "{": the block is dropped into an Error item. See test/parse/hcl/err/block-without-brace.tf.
        const message =
          kind === TK_Equals
            ? 'Unexpected "=" in a block header; a block has no "="'
            : 'Expected "{" to open the block body';
        this.error('HCL013', message, this.spanOfNext());
        const rest = this.skipRestOfLine(isInBlock);
        out.push(errorItem({ start: this.tokStart(typeToken), end: rest?.end ?? this.lastEnd }));
        return;
      }
    }
    const open = this.advance();
    if (this.depth >= MAX_NESTING_DEPTH) {
      out.push(this.skipBlockTooDeep(typeToken));
      return;
    }
    this.depth++;
    const items: BodyItem[] = [];
    const first = this.peek();
    if (first !== TK_Newline && first !== TK_EOF && first !== TK_CloseBrace) {
      // A one-line block holds one attribute and closes on the same line; whatever else is there is still parsed as
      // a body so that nothing is lost. See test/parse/hcl/err/one-line-block-two-attributes.tf.
      if (first === TK_Identifier && this.peekAhead(1) === TK_Equals) {
        const name = this.advance();
        this.parseAttribute(name, true, true, items);
        if (this.peek() !== TK_CloseBrace) {
          this.error('HCL017', 'Expected "}" after the argument of a one-line block', this.spanOfNext());
        }
      } else {
        this.error('HCL017', 'A one-line block can hold only one argument', this.spanOfNext());
      }
      this.parseBodyItems(true, false, items);
    } else {
      this.parseBodyItems(true, true, items);
    }
    this.depth--;
    this.checkDuplicateAttributes(items);
    let closeBrace: Span;
    let isCloseBraceMissing = false;
    if (this.peek() === TK_CloseBrace) {
      const close = this.advance();
      closeBrace = { start: this.tokStart(close), end: this.tokEnd(close) };
    } else {
      isCloseBraceMissing = true;
      closeBrace = { start: this.lastEnd, end: this.lastEnd };
      this.forceError('HCL014', 'Missing "}" to close this block', this.spanOf(open));
    }
    const block: Block = {
      kind: 'Block',
      span: { start: this.tokStart(typeToken), end: closeBrace.end },
      type: this.textOf(typeToken),
      typeSpan: { start: this.tokStart(typeToken), end: this.tokEnd(typeToken) },
      labels,
      openBrace: { start: this.tokStart(open), end: this.tokEnd(open) },
      closeBrace,
      isCloseBraceMissing,
      body: {
        kind: 'Body',
        span: { start: this.tokEnd(open), end: Math.max(this.tokEnd(open), closeBrace.start) },
        items,
      },
    };
    out.push(block);
    if (isCloseBraceMissing) {
      return;
    }
    const after = this.peek();
    if (after === TK_Newline || after === TK_EOF) {
      return;
    }
    this.error('HCL016', 'Expected a newline after the block', this.spanOfNext());
    if (after === TK_CloseBrace && isInBlock) {
      return;
    }
    const rest = this.skipRestOfLine(isInBlock);
    if (rest !== undefined) {
      out.push(errorItem(rest));
    }
  }

  /** Skips a block body nested too deep, up to its matching `}`, without recursing. */
  private skipBlockTooDeep(typeToken: number): ErrorItem {
    if (!this.hasReportedDepth) {
      this.hasReportedDepth = true;
      const message = `Nesting deeper than ${MAX_NESTING_DEPTH} levels is not supported`;
      this.forceError('HCL040', message, this.spanOf(typeToken));
    }
    let nest = 0;
    for (;;) {
      const s = this.pos;
      const kind = this.kindAt(s);
      if (kind === TK_EOF) {
        break;
      }
      if (this.isConstructOpener(kind)) {
        this.skipConstruct(s);
        continue;
      }
      this.advanceRaw();
      if (kind === TK_OpenBrace) {
        nest++;
      } else if (kind === TK_CloseBrace) {
        if (nest === 0) {
          break;
        }
        nest--;
      }
    }
    return errorItem({ start: this.tokStart(typeToken), end: this.lastEnd });
  }

  /** A quoted block label: `StringLit` without template sequences, decoded. */
  private parseLabel(): BlockLabel {
    const s = this.peekPos();
    const openIndex = this.sig[s] as number;
    const open = this.advance();
    const end = Math.min(this.sigOf[this.endOf[openIndex] as number] ?? this.limit, this.limit);
    let value = '';
    while (this.pos < end) {
      const token = this.tokenAt(this.pos);
      if (this.tokKind(token) === TK_TemplateLiteral) {
        value += this.decodeLiteral(token, true);
        this.advanceRaw();
      } else if (
        this.tokKind(token) === TK_TemplateInterp ||
        this.tokKind(token) === TK_TemplateControl
      ) {
        this.error('HCL018', 'Template sequences are not allowed in a block label', this.spanOf(token));
        this.skipConstruct(this.pos);
      } else {
        this.advanceRaw();
      }
    }
    return { value, span: { start: this.tokStart(open), end: this.lastEnd }, isQuoted: true };
  }

  /** Reports attributes set twice in one body, as HCL's parser does ("Attribute redefined"). */
  private checkDuplicateAttributes(items: BodyItem[]): void {
    if (items.length < 2) {
      return;
    }
    if (items.length <= SMALL_BODY && this.hasShortcuts) {
      // Few items: comparing each with those before it is cheaper than a set.
      for (let i = 1; i < items.length; i++) {
        const item = items[i] as BodyItem;
        if (item.kind !== 'Attribute') {
          continue;
        }
        for (let j = 0; j < i; j++) {
          const earlier = items[j] as BodyItem;
          if (earlier.kind === 'Attribute' && earlier.name === item.name) {
            this.forceError('HCL019', `Attribute "${item.name}" is already set in this block`, item.nameSpan);
            break;
          }
        }
      }
      return;
    }
    const seen = new Set<string>();
    for (const item of items) {
      if (item.kind !== 'Attribute') {
        continue;
      }
      if (seen.has(item.name)) {
        this.forceError('HCL019', `Attribute "${item.name}" is already set in this block`, item.nameSpan);
      } else {
        seen.add(item.name);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expressions

  /**
   * `Expression = ExprTerm | Operation | Conditional;`
   * with `Conditional = Expression "?" Expression ":" Expression;` (right-associative).
   */
  private parseExpression(): Expression {
    if (this.depth >= MAX_NESTING_DEPTH) {
      return this.skipTooDeep();
    }
    this.depth++;
    let result = this.parseBinary(1);
    if (this.peek() === TK_Question) {
      this.advance();
      const trueExpr = this.parseExpression();
      let falseExpr: Expression;
      if (this.peek() === TK_Colon) {
        this.advance();
        falseExpr = this.parseExpression();
      } else {
        this.error('HCL023', 'Expected ":" and the false result of the conditional', this.spanOfNext());
        falseExpr = this.missing();
      }
      result = {
        kind: 'Conditional',
        span: { start: result.span.start, end: Math.max(falseExpr.span.end, trueExpr.span.end) },
        condition: result,
        trueExpr,
        falseExpr,
      };
    }
    this.depth--;
    return result;
  }

  /** `binaryOp = ExprTerm binaryOperator ExprTerm;` by precedence climbing, left-associative within a level. */
  private parseBinary(minPrecedence: number): Expression {
    let left = this.parseUnary();
    for (;;) {
      const operator = BINARY_OPERATORS[this.peek()];
      if (operator === undefined || operator[1] < minPrecedence) {
        return left;
      }
      this.advance();
      const right = this.parseBinary(operator[1] + 1);
      left = {
        kind: 'Binary',
        span: { start: left.span.start, end: Math.max(right.span.end, left.span.end) },
        operator: operator[0],
        left,
        right,
      };
    }
  }

  /** `unaryOp = ("-" | "!") ExprTerm;` — the operand is a term with its traversals, so `-a.b` is `-(a.b)`. */
  private parseUnary(): Expression {
    const kind = this.peek();
    if (kind !== TK_Minus && kind !== TK_Bang) {
      return this.parsePostfix(this.parseTerm());
    }
    if (this.depth >= MAX_NESTING_DEPTH) {
      return this.skipTooDeep();
    }
    this.depth++;
    const operator = this.advance();
    const operand = this.parseUnary();
    this.depth--;
    return {
      kind: 'Unary',
      span: { start: this.tokStart(operator), end: Math.max(operand.span.end, this.tokEnd(operator)) },
      operator: kind === TK_Minus ? '-' : '!',
      operand,
    };
  }

  /** `ExprTerm = ExprTerm (Index | GetAttr | Splat)` — the traversal steps after a term. */
  private parsePostfix(term: Expression): Expression {
    let expr = term;
    for (;;) {
      const kind = this.peek();
      if (kind === TK_Dot) {
        const dot = this.advance();
        const next = this.peek();
        if (next === TK_Identifier || next === TK_Number) {
          const name = this.advance();
          const nameText = this.textOf(name);
          if (next === TK_Number && nameText.includes('.')) {
            const message = 'Invalid legacy index: chained indexes like ".0.1" are not allowed; use "[0][1]"';
            this.error('HCL027', message, this.spanOf(name));
          }
          expr = {
            kind: 'GetAttr',
            span: { start: expr.span.start, end: this.tokEnd(name) },
            target: expr,
            name: nameText,
            nameSpan: { start: this.tokStart(name), end: this.tokEnd(name) },
          };
        } else if (next === TK_Star) {
          expr = this.parseAttrSplat(expr);
        } else {
          this.error('HCL024', 'Expected an attribute name after "."', this.spanOfNext());
          return {
            kind: 'GetAttr',
            span: { start: expr.span.start, end: this.tokEnd(dot) },
            target: expr,
            name: '',
            nameSpan: { start: this.tokEnd(dot), end: this.tokEnd(dot) },
          };
        }
      } else if (kind === TK_OpenBracket) {
        expr = this.parseIndexOrFullSplat(expr);
      } else {
        return expr;
      }
    }
  }

  /** `attrSplat = "." "*" GetAttr*;` — the dot is consumed, the star is next. */
  private parseAttrSplat(target: Expression): Expression {
    const star = this.advance();
    const traversal: (GetAttrStep | IndexStep)[] = [];
    let end = this.tokEnd(star);
    while (this.peek() === TK_Dot) {
      const next = this.peekAhead(1);
      if (next !== TK_Identifier && next !== TK_Number) {
        break;
      }
      const dot = this.advance();
      const name = this.advance();
      const span = { start: this.tokStart(dot), end: this.tokEnd(name) };
      traversal.push({ kind: 'GetAttrStep', name: this.textOf(name), span });
      end = this.tokEnd(name);
    }
    return { kind: 'Splat', span: { start: target.span.start, end }, target, isFull: false, traversal };
  }

  /** `Index = "[" Expression "]";` or `fullSplat = "[" "*" "]" (GetAttr | Index)*;` */
  private parseIndexOrFullSplat(target: Expression): Expression {
    const open = this.advance();
    this.pushNewlines(false);
    if (this.peek() === TK_Star) {
      this.advance();
      let end: number;
      if (this.peek() === TK_CloseBracket) {
        end = this.tokEnd(this.advance());
      } else {
        this.error('HCL021', 'Expected "]" after "[*"', this.spanOfNext());
        const recovered = this.recoverList(TK_CloseBracket, false);
        end = recovered.kind === 'closed' ? this.tokEnd(recovered.close) : this.lastEnd;
      }
      this.popNewlines();
      const traversal: (GetAttrStep | IndexStep)[] = [];
      for (;;) {
        const kind = this.peek();
        if (kind === TK_Dot) {
          const next = this.peekAhead(1);
          if (next !== TK_Identifier && next !== TK_Number) {
            break;
          }
          const dot = this.advance();
          const name = this.advance();
          const span = { start: this.tokStart(dot), end: this.tokEnd(name) };
          traversal.push({ kind: 'GetAttrStep', name: this.textOf(name), span });
          end = this.tokEnd(name);
        } else if (kind === TK_OpenBracket && this.peekAhead(1) !== TK_Star) {
          const stepOpen = this.advance();
          this.pushNewlines(false);
          const key = this.parseExpression();
          const close = this.expectCloser(TK_CloseBracket, '"]"');
          this.popNewlines();
          end = this.endOrLast(close);
          traversal.push({ kind: 'IndexStep', key, span: { start: this.tokStart(stepOpen), end } });
        } else {
          break;
        }
      }
      return { kind: 'Splat', span: { start: target.span.start, end }, target, isFull: true, traversal };
    }
    const key = this.parseExpression();
    const close = this.expectCloser(TK_CloseBracket, '"]"');
    this.popNewlines();
    return {
      kind: 'Index',
      span: {
        start: target.span.start,
        end: close === undefined ? Math.max(this.lastEnd, this.tokEnd(open)) : this.tokEnd(close),
      },
      target,
      key,
    };
  }

  /**
   * Consumes `closer` after a bracketed expression; after an error inside it, or when something else comes first,
   * resynchronises with {@link recoverList}. Returns the closer, or undefined when it is missing.
   */
  private expectCloser(closer: TokenKind, name: string, serial = this.errorSerial): number | undefined {
    if (this.peek() === closer) {
      return this.advance();
    }
    if (this.isBodyItemOnNewLine()) {
      // The closer is missing and the next line is the next item. See test/parse/hcl/err/unclosed-paren-and-index.tf.
      if (serial === this.errorSerial) {
        this.error('HCL021', `Expected ${name}`, { start: this.lastEnd, end: this.lastEnd });
      }
      return undefined;
    }
    if (serial === this.errorSerial) {
      this.error('HCL021', `Expected ${name}`, this.spanOfNext());
    }
    const recovered = this.recoverList(closer, false);
    return recovered.kind === 'closed' ? recovered.close : undefined;
  }

  /** `ExprTerm`: literals, templates, collections, calls, variables, `for` expressions and parentheses. */
  private parseTerm(): Expression {
    const token = this.peekToken();
    switch (this.tokKind(token)) {
      case TK_Number:
        this.advance();
        return { kind: 'Literal', span: this.spanOf(token), value: this.numberValue(token) };
      case TK_Identifier:
        return this.parseIdentifierTerm();
      case TK_OpenQuote:
        return this.parseQuotedTemplate();
      case TK_HeredocBegin:
        return this.parseHeredoc();
      case TK_OpenParen:
        return this.parseParen();
      case TK_OpenBracket:
        return this.parseTuple();
      case TK_OpenBrace:
        return this.parseObject();
      default:
        this.errorAtNext('HCL020', 'Expected an expression');
        return this.missing();
    }
  }

  /** `NumericLit = decimal+ ("." decimal+)? (expmark decimal+)?;` */
  private numberValue(token: number): number {
    const source = this.textOf(token);
    if (!/^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(source)) {
      this.error('HCL027', `Invalid number literal "${source}"`, this.spanOf(token));
      return Number.NaN;
    }
    return Number(source);
  }

  /**
   * `LiteralValue` keywords, `VariableExpr = Identifier;` and
   * `FunctionCall = Identifier ("::" Identifier)* "(" Arguments ")";`
   */
  private parseIdentifierTerm(): Expression {
    const name = this.advance();
    const text = this.textOf(name);
    const next = this.peek();
    if (next === TK_OpenParen) {
      return this.parseCall(name, text, { start: this.tokStart(name), end: this.tokEnd(name) });
    }
    if (next === TK_Colon && this.isDoubleColonAt(this.peekPos(), this.tokEnd(name))) {
      let fullName = text;
      let nameEnd = this.tokEnd(name);
      while (this.peek() === TK_Colon && this.isDoubleColonAt(this.peekPos(), nameEnd)) {
        this.advance();
        this.advance();
        if (this.peek() !== TK_Identifier) {
          this.error('HCL029', 'Expected a function name after "::"', this.spanOfNext());
          return { kind: 'Variable', span: { start: this.tokStart(name), end: this.lastEnd }, name: fullName };
        }
        const part = this.advance();
        fullName += `::${this.textOf(part)}`;
        nameEnd = this.tokEnd(part);
      }
      if (this.peek() !== TK_OpenParen) {
        this.error('HCL029', 'Expected "(" after the function name', this.spanOfNext());
        return { kind: 'Variable', span: { start: this.tokStart(name), end: nameEnd }, name: fullName };
      }
      return this.parseCall(name, fullName, { start: this.tokStart(name), end: nameEnd });
    }
    const span = { start: this.tokStart(name), end: this.tokEnd(name) };
    switch (text) {
      case 'true':
        return { kind: 'Literal', span, value: true };
      case 'false':
        return { kind: 'Literal', span, value: false };
      case 'null':
        return { kind: 'Literal', span, value: null };
      default:
        return { kind: 'Variable', span, name: text };
    }
  }

  /** Whether two adjacent colons (`::`, directly after `after`) start at position `s`. */
  private isDoubleColonAt(s: number, after: number): boolean {
    const first = this.tokenAt(s);
    const second = this.tokenAt(s + 1);
    return (
      this.tokKind(first) === TK_Colon &&
      this.tokKind(second) === TK_Colon &&
      this.tokStart(first) === after &&
      this.tokStart(second) === this.tokEnd(first)
    );
  }

  /** `Arguments = "(" (Expression ("," Expression)* ("," | "...")?)? ")";` — the name is already consumed. */
  private parseCall(nameToken: number, name: string, nameSpan: Span): Expression {
    this.advance();
    this.pushNewlines(false);
    const args: Expression[] = [];
    let hasExpandFinal = false;
    let close: number | undefined;
    for (;;) {
      const before = this.pos;
      const kind = this.peek();
      if (kind === TK_CloseParen) {
        close = this.advance();
        break;
      }
      if (kind === TK_EOF || this.isBodyItemOnNewLine()) {
        this.error('HCL021', 'Expected ")" to close the function call', { start: this.lastEnd, end: this.lastEnd });
        break;
      }
      const serial = this.errorSerial;
      args.push(this.parseExpression());
      if (serial !== this.errorSerial) {
        close = this.closedBy(this.recoverList(TK_CloseParen, false));
        break;
      }
      const separator = this.peek();
      if (separator === TK_Comma) {
        this.advance();
      } else if (separator === TK_CloseParen) {
        close = this.advance();
        break;
      } else if (separator === TK_Ellipsis) {
        this.advance();
        hasExpandFinal = true;
        close = this.expectCloser(TK_CloseParen, '")" after "..."');
        break;
      } else if (this.isBodyItemOnNewLine()) {
        this.error('HCL021', 'Expected ")" to close the function call', { start: this.lastEnd, end: this.lastEnd });
        break;
      } else {
        this.error('HCL022', 'Expected "," or ")" after the argument', this.spanOfNext());
        close = this.closedBy(this.recoverList(TK_CloseParen, false));
        break;
      }
      this.ensureProgress(before);
    }
    this.popNewlines();
    return {
      kind: 'FunctionCall',
      span: { start: this.tokStart(nameToken), end: this.endOrLast(close) },
      name,
      nameSpan,
      args,
      hasExpandFinal,
    };
  }

  private closedBy(recovery: ListRecovery): number | undefined {
    return recovery.kind === 'closed' ? recovery.close : undefined;
  }

  /** `"(" Expression ")"` */
  private parseParen(): Expression {
    const open = this.advance();
    this.pushNewlines(false);
    const serial = this.errorSerial;
    const expr = this.parseExpression();
    const close = this.expectCloser(TK_CloseParen, '")"', serial);
    this.popNewlines();
    return { kind: 'Paren', span: { start: this.tokStart(open), end: this.endOrLast(close) }, expr };
  }

  /** `Tuple = "[" (Expression ("," Expression)* ","?)? "]";` or a tuple `for` expression. */
  private parseTuple(): Expression {
    const open = this.advance();
    this.pushNewlines(false);
    if (this.isKeyword('for')) {
      const result = this.parseFor(open, false);
      this.popNewlines();
      return result;
    }
    const items: Expression[] = [];
    let close: number | undefined;
    for (;;) {
      const before = this.pos;
      const kind = this.peek();
      if (kind === TK_CloseBracket) {
        close = this.advance();
        break;
      }
      if (kind === TK_EOF || this.isBodyItemOnNewLine()) {
        this.error('HCL021', 'Expected "]" to close the tuple', { start: this.lastEnd, end: this.lastEnd });
        break;
      }
      const serial = this.errorSerial;
      items.push(this.parseExpression());
      if (serial !== this.errorSerial) {
        close = this.closedBy(this.recoverList(TK_CloseBracket, false));
        break;
      }
      const separator = this.peek();
      if (separator === TK_Comma) {
        this.advance();
      } else if (separator === TK_CloseBracket) {
        close = this.advance();
        break;
      } else if (this.isBodyItemOnNewLine()) {
        this.error('HCL021', 'Expected "]" to close the tuple', { start: this.lastEnd, end: this.lastEnd });
        break;
      } else {
        this.error('HCL022', 'Expected "," or "]" after the tuple item', this.spanOfNext());
        close = this.closedBy(this.recoverList(TK_CloseBracket, false));
        break;
      }
      this.ensureProgress(before);
    }
    this.popNewlines();
    const closeBracket = close !== undefined ? this.spanOf(close) : { start: this.lastEnd, end: this.lastEnd };
    return {
      kind: 'Tuple',
      span: { start: this.tokStart(open), end: closeBracket.end },
      items,
      openBracket: { start: this.tokStart(open), end: this.tokEnd(open) },
      closeBracket,
    };
  }

  /**
   * `Object = "{" (ObjectElem (("," | Newline) ObjectElem)* ("," | Newline)?)? "}";` or an object `for` expression.
   * Newlines separate items, as in HCL (they are significant inside the braces, outside nested brackets).
   */
  private parseObject(): Expression {
    const open = this.advance();
    this.pushNewlines(false);
    const isFor = this.isKeyword('for');
    if (isFor) {
      const result = this.parseFor(open, true);
      this.popNewlines();
      return result;
    }
    this.popNewlines();
    this.pushNewlines(true);
    const items: ObjectItem[] = [];
    let close: number | undefined;
    for (;;) {
      const before = this.pos;
      const kind = this.peek();
      if (kind === TK_EOF || this.isBlockHeaderAtColumn0(this.skipNewlinesFrom(this.pos))) {
        // An unclosed object ends before a block header at column 0. See test/parse/hcl/err/unclosed-object.tf.
        this.error('HCL021', 'Expected "}" to close the object', { start: this.lastEnd, end: this.lastEnd });
        break;
      }
      if (kind === TK_Newline) {
        this.advance();
        continue;
      }
      if (kind === TK_CloseBrace) {
        close = this.advance();
        break;
      }
      const recovery = this.parseObjectItem(items);
      if (recovery !== undefined) {
        if (recovery.kind === 'resume') {
          continue;
        }
        close = this.closedBy(recovery);
        break;
      }
      const separator = this.peek();
      if (separator === TK_CloseBrace) {
        close = this.advance();
        break;
      }
      if (separator === TK_Comma || separator === TK_Newline) {
        this.advance();
      } else {
        this.error('HCL022', 'Expected a newline or "," after the object item', this.spanOfNext());
        const after = this.recoverList(TK_CloseBrace, true);
        if (after.kind !== 'resume') {
          close = this.closedBy(after);
          break;
        }
      }
      this.ensureProgress(before);
    }
    this.popNewlines();
    const closeBrace = close !== undefined ? this.spanOf(close) : { start: this.lastEnd, end: this.lastEnd };
    return {
      kind: 'Object',
      span: { start: this.tokStart(open), end: closeBrace.end },
      items,
      openBrace: { start: this.tokStart(open), end: this.tokEnd(open) },
      closeBrace,
    };
  }

  /**
   * `ObjectElem = (Identifier | Expression) ("=" | ":") Expression;` — returns how the list resumed after an error,
   * or undefined when the item parsed cleanly.
   */
  private parseObjectItem(items: ObjectItem[]): ListRecovery | undefined {
    const serial = this.errorSerial;
    let key: Expression;
    let keyName: string | undefined;
    const next = this.peekAhead(1);
    if (this.peek() === TK_Identifier && (next === TK_Equals || next === TK_Colon)) {
      // A bare identifier key is the key's name, even "true" or "null" (HCL's ObjectConsKeyExpr).
      const token = this.advance();
      keyName = this.textOf(token);
      key = { kind: 'Variable', span: { start: this.tokStart(token), end: this.tokEnd(token) }, name: keyName };
    } else {
      key = this.parseExpression();
      keyName = literalTemplateValue(key);
    }
    if (serial !== this.errorSerial) {
      return this.recoverList(TK_CloseBrace, true);
    }
    const separatorKind = this.peek();
    if (separatorKind !== TK_Equals && separatorKind !== TK_Colon) {
      this.error('HCL025', 'Expected "=" after the object key', this.spanOfNext());
      return this.recoverList(TK_CloseBrace, true);
    }
    const separator = this.advance();
    const value = this.parseExpression();
    items.push({
      span: { start: key.span.start, end: Math.max(value.span.end, this.tokEnd(separator)) },
      key,
      keyName,
      separatorSpan: { start: this.tokStart(separator), end: this.tokEnd(separator) },
      value,
    });
    if (serial !== this.errorSerial) {
      return this.recoverList(TK_CloseBrace, true);
    }
    return undefined;
  }

  /**
   * `forTupleExpr = "[" forIntro Expression forCond? "]";` and
   * `forObjectExpr = "{" forIntro Expression "=>" Expression "..."? forCond? "}";`
   * with `forIntro = "for" Identifier ("," Identifier)? "in" Expression ":";`
   * — the opener is consumed and `for` is next.
   */
  private parseFor(open: number, isObject: boolean): ForExpr {
    const closer = isObject ? TK_CloseBrace : TK_CloseBracket;
    const closerName = isObject ? '"}"' : '"]"';
    this.advance();
    let keyVar: string | undefined;
    let valueVar = '';
    let collection: Expression | undefined = undefined;
    let keyExpr: Expression | undefined;
    let valueExpr: Expression | undefined;
    let condition: Expression | undefined;
    let isGrouped = false;
    const finish = (close: number | undefined): ForExpr => ({
      kind: 'For',
      span: { start: this.tokStart(open), end: this.endOrLast(close) },
      isObject,
      keyVar,
      valueVar,
      collection: collection ?? this.missing(),
      keyExpr,
      valueExpr: valueExpr ?? this.missing(),
      isGrouped,
      condition,
    });
    const fail = (message: string): ForExpr => {
      this.error('HCL026', message, this.spanOfNext());
      return finish(this.closedBy(this.recoverList(closer, false)));
    };
    if (this.peek() !== TK_Identifier) {
      return fail('Expected a variable name after "for"');
    }
    valueVar = this.textOf(this.advance());
    if (this.peek() === TK_Comma) {
      this.advance();
      keyVar = valueVar;
      if (this.peek() !== TK_Identifier) {
        return fail('Expected the value variable name after ","');
      }
      valueVar = this.textOf(this.advance());
    }
    if (!this.isKeyword('in')) {
      return fail('Expected "in" after the variable names');
    }
    this.advance();
    const serial = this.errorSerial;
    collection = this.parseExpression();
    if (serial !== this.errorSerial) {
      return finish(this.closedBy(this.recoverList(closer, false)));
    }
    if (this.peek() !== TK_Colon) {
      return fail('Expected ":" after the collection');
    }
    this.advance();
    valueExpr = this.parseExpression();
    if (this.peek() === TK_FatArrow) {
      this.advance();
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
    }
    if (this.peek() === TK_Ellipsis) {
      this.advance();
      isGrouped = true;
    }
    if (this.isKeyword('if')) {
      this.advance();
      condition = this.parseExpression();
    }
    if (serial !== this.errorSerial) {
      return finish(this.closedBy(this.recoverList(closer, false)));
    }
    if (this.peek() !== closer) {
      return fail(`Expected ${closerName} to close the for expression`);
    }
    const result = finish(this.advance());
    if (!isObject && keyExpr !== undefined) {
      this.error('HCL026', 'A key expression ("=>") is only valid in an object for expression', keyExpr.span);
    } else if (!isObject && isGrouped) {
      this.error('HCL026', 'Grouping ("...") is only valid in an object for expression', result.span);
    } else if (isObject && keyExpr === undefined) {
      this.error('HCL026', 'An object for expression needs a key expression ("key => value")', result.valueExpr.span);
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Templates

  /** `TemplateExpr = quotedTemplate;` — `"` TemplateLiteral/Interp/Control* `"`. */
  private parseQuotedTemplate(): TemplateExpr {
    const s = this.peekPos();
    const openIndex = this.sig[s] as number;
    const open = this.advance();
    const end = Math.min(this.sigOf[this.endOf[openIndex] as number] ?? this.limit, this.limit);
    const isClosed = this.isClosed[openIndex] === 1;
    const innerEnd = isClosed ? end - 1 : end;
    let parts: TemplatePart[];
    if (
      this.hasShortcuts &&
      this.pos + 1 === innerEnd &&
      this.pos < this.limit &&
      this.kinds[this.sig[this.pos] as number] === TK_TemplateLiteral
    ) {
      // One literal, the commonest string: its part directly (what the general path below builds from it).
      const token = this.advanceRaw();
      const value = this.decodeLiteral(token, true);
      parts = [{ kind: 'TemplateLiteral', span: { start: this.tokStart(token), end: this.tokEnd(token) }, value }];
    } else {
      parts = this.buildTemplateParts(this.parseTemplateParts(innerEnd, true), false);
    }
    if (isClosed && this.pos < this.limit && this.kindAt(this.pos) === TK_CloseQuote) {
      this.advanceRaw();
    }
    return {
      kind: 'Template',
      span: { start: this.tokStart(open), end: this.lastEnd },
      isHeredoc: false,
      isIndentedHeredoc: false,
      parts,
    };
  }

  /** `TemplateExpr = heredocTemplate;` — `<<EOT` or `<<-EOT`, lines, then the marker on its own line. */
  private parseHeredoc(): TemplateExpr {
    const s = this.peekPos();
    const openIndex = this.sig[s] as number;
    const open = this.advance();
    const isIndented = this.text.charCodeAt(this.tokStart(open) + 2) === 45;
    const end = Math.min(this.sigOf[this.endOf[openIndex] as number] ?? this.limit, this.limit);
    const isClosed = this.isClosed[openIndex] === 1;
    const raws = this.parseTemplateParts(isClosed ? end - 1 : end, false);
    if (isClosed && this.pos < this.limit && this.kindAt(this.pos) === TK_HeredocEnd) {
      this.advanceRaw();
    }
    const parts = this.buildTemplateParts(raws, isIndented);
    return {
      kind: 'Template',
      span: { start: this.tokStart(open), end: this.lastEnd },
      isHeredoc: true,
      isIndentedHeredoc: isIndented,
      parts,
    };
  }

  /** Reads the flat sequence of template pieces up to `end` (a position in `sig`). */
  private parseTemplateParts(end: number, isQuoted: boolean): RawPart[] {
    const raws: RawPart[] = [];
    while (this.pos < end && this.pos < this.limit) {
      const before = this.pos;
      const tokenIndex = this.sig[this.pos] as number;
      const token = tokenIndex;
      if (this.tokKind(token) === TK_TemplateLiteral) {
        this.advanceRaw();
        const value = this.decodeLiteral(token, isQuoted);
        raws.push({ kind: 'literal', span: { start: this.tokStart(token), end: this.tokEnd(token) }, value });
      } else if (
        this.tokKind(token) === TK_TemplateInterp ||
        this.tokKind(token) === TK_TemplateControl
      ) {
        raws.push(this.parseTemplateSequence(tokenIndex));
      } else {
        this.advanceRaw();
      }
      this.ensureProgress(before);
    }
    return raws;
  }

  /** `"${" "~"? Expression "~"? "}"` or `"%{" "~"? Directive "~"? "}"`, kept inside the lexer's extent of it. */
  private parseTemplateSequence(openIndex: number): SequencePart {
    const open = this.advanceRaw();
    const stripLeft = this.tokEnd(open) - this.tokStart(open) === 3;
    const isClosed = this.isClosed[openIndex] === 1;
    const after = this.endOf[openIndex] as number;
    const innerEnd = isClosed ? (this.sigOf[after - 1] as number) : (this.sigOf[after] ?? this.limit);
    const savedLimit = this.limit;
    this.limit = Math.min(innerEnd, savedLimit);
    this.pushNewlines(false);
    if (!isClosed) {
      // The lexer already reported the unterminated sequence; what is missing inside it follows from that.
      this.errorSerial++;
      this.isRecovering = true;
    }
    const serial = this.errorSerial;
    let raw: SequencePart;
    if (this.tokKind(open) === TK_TemplateInterp) {
      const expr = this.parseExpression();
      raw = { kind: 'interp', span: this.spanOf(open), expr, stripLeft, stripRight: false };
    } else {
      raw = this.parseDirective(open, stripLeft);
    }
    if (this.peekPos() < this.limit && serial === this.errorSerial) {
      this.error('HCL032', 'Expected "}" to end the template sequence', this.spanOf(this.peekToken()));
    }
    this.popNewlines();
    this.pos = Math.max(this.pos, this.limit);
    this.limit = savedLimit;
    const lastInside = this.pos > 0 ? this.tokenAt(this.pos - 1) : undefined;
    if (lastInside !== undefined && this.tokKind(lastInside) !== TK_Newline) {
      this.lastEnd = Math.max(this.lastEnd, this.tokEnd(lastInside));
    }
    if (isClosed && this.pos < this.limit && this.kindAt(this.pos) === TK_TemplateSeqEnd) {
      const close = this.advanceRaw();
      raw.stripRight = this.tokEnd(close) - this.tokStart(close) === 2;
    }
    raw.span = { start: this.tokStart(open), end: this.lastEnd };
    return raw;
  }

  /**
   * A template directive: `if Expression`, `else`, `endif`, `for Identifier ("," Identifier)? in Expression` or
   * `endfor`.
   */
  private parseDirective(open: number, stripLeft: boolean): SequencePart {
    const span = { start: this.tokStart(open), end: this.tokEnd(open) };
    const keyword = this.peekToken();
    const word = this.tokKind(keyword) === TK_Identifier ? this.textOf(keyword) : '';
    switch (word) {
      case 'if': {
        this.advance();
        const condition = this.parseExpression();
        return { kind: 'if', span, condition, stripLeft, stripRight: false };
      }
      case 'else':
      case 'endif':
      case 'endfor':
        this.advance();
        return { kind: word, span, stripLeft, stripRight: false };
      case 'for': {
        this.advance();
        let keyVar: string | undefined;
        let valueVar = '';
        if (this.peek() === TK_Identifier) {
          valueVar = this.textOf(this.advance());
          if (this.peek() === TK_Comma) {
            this.advance();
            keyVar = valueVar;
            valueVar = this.peek() === TK_Identifier ? this.textOf(this.advance()) : '';
          }
        }
        if (valueVar === '' || !this.isKeyword('in')) {
          const message = 'Expected "for name in collection" (or "for key, value in collection")';
          this.error('HCL030', message, this.spanOfNext());
          return { kind: 'invalid', span, stripLeft, stripRight: false };
        }
        this.advance();
        const collection = this.parseExpression();
        return { kind: 'for', span, keyVar, valueVar, collection, stripLeft, stripRight: false };
      }
      default: {
        const message = 'Expected a template directive: "if", "else", "endif", "for" or "endfor"';
        this.error('HCL030', message, this.spanOfNext());
        return { kind: 'invalid', span, stripLeft, stripRight: false };
      }
    }
  }

  /**
   * Turns raw pieces into the template tree as HCL does: strip markers trim the neighbouring literal, `<<-` removes
   * the common indentation of line-leading literals, consecutive literals merge, and directives nest.
   */
  private buildTemplateParts(raws: RawPart[], isIndentedHeredoc: boolean): TemplatePart[] {
    if (this.hasShortcuts && !isIndentedHeredoc && isPlainTemplate(raws)) {
      return plainTemplateParts(raws);
    }
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i] as RawPart;
      if (raw.kind === 'literal') {
        continue;
      }
      const previous = raws[i - 1];
      const next = raws[i + 1];
      if (raw.stripLeft && previous?.kind === 'literal') {
        previous.value = previous.value.replace(TRAILING_SPACE, '');
      }
      if (raw.stripRight && next?.kind === 'literal') {
        next.value = next.value.replace(LEADING_SPACE, '');
      }
    }
    if (isIndentedHeredoc) {
      flushHeredoc(raws);
    }
    const melded: RawPart[] = [];
    for (const raw of raws) {
      const last = melded[melded.length - 1];
      if (raw.kind === 'literal' && last?.kind === 'literal') {
        last.value += raw.value;
        last.span = { start: last.span.start, end: raw.span.end };
      } else {
        melded.push(raw.kind === 'literal' ? { ...raw } : raw);
      }
    }
    return this.nestTemplateParts(melded);
  }

  /** Nests `if`/`else`/`endif` and `for`/`endfor` with an explicit stack (no recursion). */
  private nestTemplateParts(raws: RawPart[]): TemplatePart[] {
    const root: TemplatePart[] = [];
    const stack: { node: TemplateIfPart | TemplateForPart; list: TemplatePart[] }[] = [];
    let current = root;
    for (const raw of raws) {
      const top = stack[stack.length - 1];
      switch (raw.kind) {
        case 'literal':
          current.push({ kind: 'TemplateLiteral', span: raw.span, value: raw.value });
          break;
        case 'interp':
          current.push({
            kind: 'TemplateInterp',
            span: raw.span,
            expr: raw.expr,
            stripLeft: raw.stripLeft,
            stripRight: raw.stripRight,
          });
          break;
        case 'if': {
          const node: TemplateIfPart = {
            kind: 'TemplateIf',
            span: { start: raw.span.start, end: raw.span.end },
            condition: raw.condition,
            then: [],
            else: undefined,
          };
          current.push(node);
          stack.push({ node, list: node.then });
          current = node.then;
          break;
        }
        case 'for': {
          const node: TemplateForPart = {
            kind: 'TemplateFor',
            span: { start: raw.span.start, end: raw.span.end },
            keyVar: raw.keyVar,
            valueVar: raw.valueVar,
            collection: raw.collection,
            body: [],
          };
          current.push(node);
          stack.push({ node, list: node.body });
          current = node.body;
          break;
        }
        case 'else':
          if (top?.node.kind === 'TemplateIf' && top.node.else === undefined) {
            top.node.else = [];
            top.list = top.node.else;
            current = top.list;
          } else {
            this.error('HCL030', 'Unexpected "else" directive without a matching "if"', raw.span);
          }
          break;
        case 'endif':
        case 'endfor': {
          const expected = raw.kind === 'endif' ? 'TemplateIf' : 'TemplateFor';
          if (top?.node.kind === expected) {
            top.node.span = { start: top.node.span.start, end: raw.span.end };
            stack.pop();
            current = stack[stack.length - 1]?.list ?? root;
          } else {
            const message = `Unexpected "${raw.kind}" directive without a matching "${raw.kind.slice(3)}"`;
            this.error('HCL030', message, raw.span);
          }
          break;
        }
        case 'invalid':
          break;
      }
    }
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i] as { node: TemplateIfPart | TemplateForPart; list: TemplatePart[] };
      const closing = frame.node.kind === 'TemplateIf' ? 'endif' : 'endfor';
      const directiveSpan = { start: frame.node.span.start, end: frame.node.span.end };
      this.error('HCL030', `Missing "${closing}" directive`, directiveSpan);
      const last = frame.list[frame.list.length - 1];
      frame.node.span = { start: frame.node.span.start, end: last?.span.end ?? frame.node.span.end };
    }
    return root;
  }

  /**
   * Decodes one literal token: in quoted templates the escapes `\n \r \t \" \\ \uNNNN \UNNNNNNNN`; everywhere `$${`
   * and `%%{` (which the lexer keeps as tokens of their own).
   */
  private decodeLiteral(token: number, isQuoted: boolean): string {
    const start = this.tokStart(token);
    const end = this.tokEnd(token);
    const text = this.text;
    if (end - start === 3 && text.charCodeAt(start + 2) === 123) {
      const first = text.charCodeAt(start);
      if ((first === 36 || first === 37) && text.charCodeAt(start + 1) === first) {
        return first === 36 ? '${' : '%{';
      }
    }
    const firstBackslash = isQuoted ? indexOfBackslash(text, start, end) : -1;
    if (firstBackslash < 0) {
      return text.slice(start, end);
    }
    let out = '';
    let i = start;
    while (i < end) {
      const backslash = indexOfBackslash(text, i, end);
      if (backslash < 0) {
        out += text.slice(i, end);
        break;
      }
      out += text.slice(i, backslash);
      const selector = backslash + 1 < end ? text[backslash + 1] : undefined;
      switch (selector) {
        case 'n':
          out += '\n';
          i = backslash + 2;
          break;
        case 'r':
          out += '\r';
          i = backslash + 2;
          break;
        case 't':
          out += '\t';
          i = backslash + 2;
          break;
        case '"':
          out += '"';
          i = backslash + 2;
          break;
        case '\\':
          out += '\\';
          i = backslash + 2;
          break;
        case 'u':
        case 'U': {
          const digits = selector === 'u' ? 4 : 8;
          const hex = text.slice(backslash + 2, backslash + 2 + digits);
          const codePoint = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : -1;
          if (codePoint < 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            const span = { start: backslash, end: Math.min(end, backslash + 2 + hex.length) };
            const message = `Invalid escape sequence: "\\${selector}" needs ${digits} hex digits of a valid character`;
            this.forceError('HCL005', message, span);
            i = backslash + 2;
          } else {
            out += String.fromCodePoint(codePoint);
            i = backslash + 2 + digits;
          }
          break;
        }
        case undefined:
          this.forceError('HCL005', 'Invalid escape sequence: "\\" must be followed by an escape character', {
            start: backslash,
            end: backslash + 1,
          });
          i = backslash + 1;
          break;
        default: {
          const length = (text.codePointAt(backslash + 1) ?? 0) > 0xffff ? 2 : 1;
          const shown = text.slice(backslash + 1, backslash + 1 + length);
          const span = { start: backslash, end: backslash + 1 + length };
          this.forceError('HCL005', `Invalid escape sequence "\\${shown}"`, span);
          out += shown;
          i = backslash + 1 + length;
        }
      }
    }
    return out;
  }
}

const LEADING_SPACE = /^\s+/u;

/** The offset of the first backslash in `[from, end)`, or -1. */
function indexOfBackslash(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (text.charCodeAt(i) === 92) {
      return i;
    }
  }
  return -1;
}
const TRAILING_SPACE = /\s+$/u;

/**
 * Removes the common leading whitespace of line-leading literals of a `<<-` heredoc, exactly as HCL's
 * `flushHeredocTemplateParts`: whitespace-only lines do not count and keep their spaces, and a line that starts with
 * a sequence forbids any trimming.
 */
function flushHeredoc(raws: RawPart[]): void {
  let minSpaces = Number.POSITIVE_INFINITY;
  let isNewline = true;
  const adjust: { kind: 'literal'; span: Span; value: string }[] = [];
  for (const raw of raws) {
    if (isNewline) {
      isNewline = false;
      let spaces: number;
      if (raw.kind === 'literal') {
        const trimmed = raw.value.replace(LEADING_SPACE, '');
        if (trimmed.length === 0 && raw.value.endsWith('\n')) {
          spaces = Number.POSITIVE_INFINITY;
        } else {
          spaces = [...raw.value.slice(0, raw.value.length - trimmed.length)].length;
          adjust.push(raw);
        }
      } else {
        spaces = 0;
      }
      minSpaces = Math.min(minSpaces, spaces);
    }
    if (raw.kind === 'literal' && raw.value.endsWith('\n')) {
      isNewline = true;
    }
  }
  if (!Number.isFinite(minSpaces) || minSpaces === 0) {
    return;
  }
  for (const raw of adjust) {
    let cut = 0;
    for (let n = 0; n < minSpaces && cut < raw.value.length; n++) {
      cut += (raw.value.codePointAt(cut) ?? 0) > 0xffff ? 2 : 1;
    }
    raw.value = raw.value.slice(cut);
    raw.span = { start: Math.min(raw.span.start + cut, raw.span.end), end: raw.span.end };
  }
}

/** Whether a template has only literal text and interpolations without strip markers (most templates). */
function isPlainTemplate(raws: RawPart[]): boolean {
  for (const raw of raws) {
    if (raw.kind !== 'literal' && (raw.kind !== 'interp' || raw.stripLeft || raw.stripRight)) {
      return false;
    }
  }
  return true;
}

/**
 * The parts of a template for which {@link isPlainTemplate} holds, as {@link Parser.buildTemplateParts} builds them
 * (nothing to trim or nest): consecutive literals merge.
 */
function plainTemplateParts(raws: RawPart[]): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last: TemplateLiteralPart | undefined;
  for (const raw of raws) {
    if (raw.kind === 'literal') {
      if (last === undefined) {
        last = { kind: 'TemplateLiteral', span: raw.span, value: raw.value };
        parts.push(last);
      } else {
        last.value += raw.value;
        last.span = { start: last.span.start, end: raw.span.end };
      }
    } else if (raw.kind === 'interp') {
      last = undefined;
      parts.push({
        kind: 'TemplateInterp',
        span: raw.span,
        expr: raw.expr,
        stripLeft: raw.stripLeft,
        stripRight: raw.stripRight,
      });
    }
  }
  return parts;
}

/** The decoded text of a template made only of literal text, else undefined. */
function literalTemplateValue(expr: Expression): string | undefined {
  if (expr.kind !== 'Template') {
    return undefined;
  }
  let value = '';
  for (const part of expr.parts) {
    if (part.kind !== 'TemplateLiteral') {
      return undefined;
    }
    value += part.value;
  }
  return value;
}

function errorItem(span: Span): ErrorItem {
  return { kind: 'Error', span: { start: span.start, end: span.end } };
}

function sortDiagnostics(diagnostics: SyntaxDiagnostic[]): SyntaxDiagnostic[] {
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => a.diagnostic.span.start - b.diagnostic.span.start || a.index - b.index)
    .map((entry) => entry.diagnostic);
}

/** Adds `offset` to every span (any object with numeric `start` and `end`) reachable from `value`, once each. */
function shiftSpans(value: unknown, offset: number, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) {
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      shiftSpans(item, offset, seen);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.start === 'number' && typeof record.end === 'number') {
    record.start += offset;
    record.end += offset;
  }
  for (const key of Object.keys(record)) {
    shiftSpans(record[key], offset, seen);
  }
}
