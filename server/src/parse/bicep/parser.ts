/**
 * The Bicep parser: hand-written recursive descent after Azure/bicep `docs/grammar.md` and the productions of
 * `src/Bicep.Core/Parsing/Parser.cs` and `BaseParser.cs` (the grammar of record for the current language), with
 * precedence climbing for binary operators.
 *
 * Bicep is newline-sensitive: declarations, decorators and the items of multi-line objects and arrays end at a line
 * break, while function arguments, parentheses and `for` brackets may span lines. Line breaks are therefore tokens,
 * and each production skips them only where the grammar allows.
 *
 * It never throws and always returns a complete tree. Recovery follows STYLE.md section 2: missing parts become
 * zero-width spans or `Missing` nodes; skipped tokens go into `Error` nodes; resynchronisation is bracket-aware and
 * stops at the next line (the next declaration or property) or at a closer that an enclosing list can use; only the
 * first error of a construct is reported (the `isRecovering` flag, reset when a declaration or an item starts on a
 * new line); a progress guard turns a loop that consumed nothing into an internal error; nesting is capped.
 */
import type { Span } from '../../text/span';
import { WorkCounter } from '../../text/workCounter';
import { lexBicep, type LexOutput } from './lexer';
import {
  TokenKind,
  type ArrayExpression,
  type ArrayItem,
  type BicepParseResult,
  type BinaryOperator,
  type CallExpression,
  type Declaration,
  type Decorator,
  type ErrorNode,
  type Expression,
  type ExtensionDeclaration,
  type ForExpression,
  type FunctionDeclaration,
  type Identifier,
  type IfCondition,
  type ImportDeclaration,
  type ImportedSymbol,
  type MissingNode,
  type ObjectExpression,
  type ObjectItem,
  type ObjectType,
  type ObjectTypeProperty,
  type ResourceDeclaration,
  type StringExpression,
  type SyntaxDiagnostic,
  type Token,
  type TupleType,
  type TypeExpression,
  type TypedParameter,
} from './syntax';

/**
 * The deepest nesting of expressions and types parsed: far beyond real files, and well inside a small call stack.
 * Deeper input is skipped with one diagnostic.
 */
export const MAX_NESTING_DEPTH = 256;

/** The keywords that start a declaration. */
export const DECLARATION_KEYWORDS: ReadonlySet<string> = new Set([
  'targetScope',
  'metadata',
  'type',
  'param',
  'var',
  'func',
  'resource',
  'output',
  'module',
  'test',
  'import',
  'extension',
  'using',
  'extends',
  'assert',
]);

/** Parses a Bicep file (`program -> statement* EOF`); never throws, always returns a tree. */
export function parseBicep(text: string): BicepParseResult {
  const lexed = lexBicep(text);
  try {
    const parser = new Parser(text, lexed);
    const declarations = parser.parseProgram();
    return {
      tree: { kind: 'File', span: { start: 0, end: text.length }, declarations, tokens: lexed.tokens },
      diagnostics: sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]),
    };
  } catch (error) {
    // A bug (or an input beyond every cap) must not take the server down: keep the tokens, report what happened.
    const reason = error instanceof RangeError ? 'the file is nested too deeply' : 'of an internal error';
    return {
      tree: {
        kind: 'File',
        span: { start: 0, end: text.length },
        declarations: [{ kind: 'Error', span: { start: 0, end: text.length } }],
        tokens: lexed.tokens,
      },
      diagnostics: sortDiagnostics([
        ...lexed.diagnostics,
        {
          code: 'BICEP098',
          message: `The file could not be parsed because ${reason}`,
          span: { start: 0, end: 0 },
          severity: 'error',
        },
      ]),
    };
  }
}

/**
 * Parses the top-level declaration of a Bicep file that spans `[start, end)` of `text` (decorators included),
 * without the rest of the file: the incremental re-parse after an edit inside that declaration. `start` must be where
 * the declaration starts in an error-free parse of the text around it (so the lexer is outside every string there and
 * the parser at the start of a line), and the text from `end` on must be text that followed the declaration in that
 * parse. The result is the declaration and its tokens exactly as a parse of the whole `text` would produce them, or
 * undefined when the text from `start` does not parse, without any diagnostic, as one declaration that ends at `end`
 * followed by a line break or the end of the text (the caller then parses the whole text).
 *
 * Why the rest of the file cannot differ: the lexer's state outside strings is empty, so tokens from `start` and from
 * `end` on are those of the whole text; past the declaration the parser only looks at the next significant token
 * after line breaks (`?`, `:`, `|`, `]`, `,` would continue an expression), which in the error-free file is a
 * declaration's first token and here the end of input, and neither continues anything; and the one file-wide fact
 * it uses, whether brackets are left open, is false both for the error-free file and for an error-free declaration.
 */
export function parseBicepDeclarationAt(
  text: string,
  start: number,
  end: number,
): { declaration: Declaration; tokens: Token[] } | undefined {
  const lineEnd = text.indexOf('\n', end);
  const lexed = lexBicep(text, start, lineEnd < 0 ? text.length : lineEnd + 1);
  if (lexed.diagnostics.length > 0) {
    return undefined;
  }
  const parser = new Parser(text, lexed);
  const declarations = parser.parseProgram();
  const declaration = declarations[0];
  if (
    declarations.length !== 1 ||
    parser.diagnostics.length > 0 ||
    declaration === undefined ||
    declaration.kind === 'Error' ||
    declaration.kind === 'MissingDeclaration' ||
    declaration.span.start !== start ||
    declaration.span.end !== end
  ) {
    return undefined;
  }
  let count = 0;
  while ((lexed.tokens[count] as Token).end <= end && count < lexed.tokens.length - 1) {
    count++;
  }
  return { declaration, tokens: lexed.tokens.slice(0, count) };
}

/** Parses a standalone expression (`expression`, line breaks allowed between tokens only where Bicep allows them). */
export function parseBicepExpression(text: string): { expr: Expression; diagnostics: SyntaxDiagnostic[] } {
  const lexed = lexBicep(text);
  const parser = new Parser(text, lexed);
  const expr = parser.parseStandaloneExpression();
  return { expr, diagnostics: sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]) };
}

/** Binary operators by token kind, with their precedence (higher binds tighter), after `TokenTypeHelper.cs`. */
const BINARY_OPERATORS = new Map<TokenKind, [BinaryOperator, number]>([
  [TokenKind.DoubleQuestion, ['??', 30]],
  [TokenKind.Or, ['||', 40]],
  [TokenKind.And, ['&&', 50]],
  [TokenKind.EqualOp, ['==', 70]],
  [TokenKind.NotEqual, ['!=', 70]],
  [TokenKind.EqualInsensitive, ['=~', 70]],
  [TokenKind.NotEqualInsensitive, ['!~', 70]],
  [TokenKind.Less, ['<', 80]],
  [TokenKind.LessEqual, ['<=', 80]],
  [TokenKind.Greater, ['>', 80]],
  [TokenKind.GreaterEqual, ['>=', 80]],
  [TokenKind.Plus, ['+', 90]],
  [TokenKind.Minus, ['-', 90]],
  [TokenKind.Star, ['*', 100]],
  [TokenKind.Slash, ['/', 100]],
  [TokenKind.Percent, ['%', 100]],
]);

const OPENERS = new Set([TokenKind.OpenBrace, TokenKind.OpenBracket, TokenKind.OpenParen]);
const CLOSERS = new Set([TokenKind.CloseBrace, TokenKind.CloseBracket, TokenKind.CloseParen]);
const TRIVIA = new Set([TokenKind.Whitespace, TokenKind.LineComment, TokenKind.BlockComment, TokenKind.Directive]);
const STRING_STARTS = new Set([TokenKind.StringComplete, TokenKind.StringLeftPiece]);

/**
 * How a list separates its items: objects and arrays by line breaks or commas; argument lists by commas (with line
 * breaks allowed after them); parenthesized lists (lambda and function parameters) by commas that may also start a
 * line (`BaseParser.ParenthesizedExpressionList`).
 */
const enum ListStyle {
  Lines,
  Commas,
  Parens,
}

/** A recursive-descent parser over the significant tokens (line breaks included) of one lexed text. */
class Parser {
  readonly diagnostics: SyntaxDiagnostic[] = [];
  private readonly tokens: Token[];
  private readonly values: Map<number, string>;
  private readonly unterminated: Set<number>;
  /** Token indices of the significant (non-trivia) tokens; line breaks are significant. */
  private readonly sig: Int32Array;
  /** The position in `sig` of the EOF token. */
  private readonly limit: number;
  /** Whether the file opens more brackets than it closes: only then do column-0 declarations end open lists. */
  private readonly isUnbalanced: boolean;
  /** The current position in `sig`. */
  private pos = 0;
  /** The end offset of the last consumed token that is not a line break. */
  private lastEnd = 0;
  /** The closing token kinds of the lists and interpolations being parsed, innermost last. */
  private readonly closers: TokenKind[] = [];
  /** Set after an error is reported; further errors are suppressed until the next construct on a new line. */
  private isRecovering = false;
  private depth = 0;
  private hasReportedDepth = false;
  private hasReportedStuck = false;

  constructor(
    private readonly text: string,
    lexed: LexOutput,
  ) {
    this.tokens = lexed.tokens;
    this.values = lexed.values;
    this.unterminated = lexed.unterminated;
    const sig: number[] = [];
    const balance = new Map<TokenKind, number>();
    for (let i = 0; i < this.tokens.length; i++) {
      const kind = (this.tokens[i] as Token).kind;
      if (!TRIVIA.has(kind)) {
        sig.push(i);
      }
      if (OPENERS.has(kind)) {
        balance.set(kind, (balance.get(kind) ?? 0) + 1);
      } else if (CLOSERS.has(kind)) {
        const opener = openerOf(kind);
        balance.set(opener, (balance.get(opener) ?? 0) - 1);
      }
    }
    this.sig = Int32Array.from(sig);
    this.limit = sig.length - 1;
    this.isUnbalanced = [...balance.values()].some((n) => n > 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Entry points

  /** `program -> statement* EOF`, where every declaration ends at a line break or the end of the file. */
  parseProgram(): Declaration[] {
    const declarations: Declaration[] = [];
    while (this.kind() !== TokenKind.EOF) {
      if (this.kind() === TokenKind.Newline) {
        this.advance();
        continue;
      }
      const before = this.pos;
      this.isRecovering = false;
      declarations.push(this.parseDeclaration());
      // A declaration ends at a line break, or where a list left open inside it gave way to the next declaration.
      // See test/parse/bicep/err/import-errors.bicep.
      if (this.kind() !== TokenKind.Newline && this.kind() !== TokenKind.EOF && !this.isAtLineStart()) {
        this.errorAtNext('BICEP011', 'Expected a new line after the declaration');
        const skipped = this.skipUntil();
        if (skipped) {
          declarations.push({ kind: 'Error', span: skipped });
        }
      }
      this.ensureProgress(before);
    }
    return declarations;
  }

  /** `expression` followed by the end of the text (leading and trailing line breaks allowed). */
  parseStandaloneExpression(): Expression {
    this.skipNewlines();
    const expr = this.parseExpression();
    this.skipNewlines();
    if (this.kind() !== TokenKind.EOF) {
      this.errorAtNext('BICEP026', 'Unexpected tokens after the expression');
    }
    return expr;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Token access

  private tokenAt(s: number): Token {
    WorkCounter.parser++;
    return this.tokens[this.sig[Math.min(s, this.limit)] as number] as Token;
  }

  private kindAt(s: number): TokenKind {
    return this.tokenAt(s).kind;
  }

  /** The kind of the token `ahead` significant tokens after the current one. */
  private kind(ahead = 0): TokenKind {
    return this.kindAt(this.pos + ahead);
  }

  private token(): Token {
    return this.tokenAt(this.pos);
  }

  private at(kind: TokenKind): boolean {
    return this.kind() === kind;
  }

  private textOf(token: Token): string {
    return this.text.slice(token.start, token.end);
  }

  /** Whether the token at position `s` is the identifier `word`. */
  private isKeywordAt(s: number, word: string): boolean {
    const token = this.tokenAt(s);
    return (
      token.kind === TokenKind.Identifier && token.end - token.start === word.length && this.textOf(token) === word
    );
  }

  private atKeyword(word: string): boolean {
    return this.isKeywordAt(this.pos, word);
  }

  /** The position of the first token at or after the current one that is not a line break. */
  private posPastNewlines(): number {
    let s = this.pos;
    while (s < this.limit && this.kindAt(s) === TokenKind.Newline) {
      s++;
    }
    return s;
  }

  private kindPastNewlines(): TokenKind {
    return this.kindAt(this.posPastNewlines());
  }

  private skipNewlines(): void {
    while (this.kind() === TokenKind.Newline) {
      this.advance();
    }
  }

  private advance(): Token {
    const token = this.token();
    if (this.pos < this.limit) {
      this.pos++;
      if (token.kind !== TokenKind.Newline) {
        this.lastEnd = token.end;
      }
    }
    return token;
  }

  /** Consumes a token of `kind` and returns its span; otherwise reports and returns a zero-width span. */
  private expect(kind: TokenKind, code: string, message: string): Span {
    if (this.at(kind)) {
      const token = this.advance();
      return { start: token.start, end: token.end };
    }
    this.errorAtNext(code, message);
    return this.emptySpan();
  }

  /** A span from `start` to the end of the last consumed token. */
  private spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  private emptySpan(): Span {
    return { start: this.lastEnd, end: this.lastEnd };
  }

  private missing(): MissingNode {
    return { kind: 'Missing', span: this.emptySpan() };
  }

  /** Whether the previous significant token is a line break (or there is none): the current one starts a line. */
  private isAtLineStart(): boolean {
    return this.pos === 0 || this.kindAt(this.pos - 1) === TokenKind.Newline;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Diagnostics

  /** Reports an error unless one was already reported for the current construct. */
  private error(code: string, message: string, span: Span): void {
    if (this.isRecovering) {
      return;
    }
    this.isRecovering = true;
    this.diagnostics.push({ code, message, span, severity: 'error' });
  }

  /** Reports an error that stands on its own (an unclosed bracket), whatever the recovery state. */
  private forceError(code: string, message: string, span: Span): void {
    this.isRecovering = true;
    this.diagnostics.push({ code, message, span, severity: 'error' });
  }

  /**
   * Reports an error about the next token, except when it is one the lexer already reported (an unknown character),
   * which still counts as the construct's error.
   */
  private errorAtNext(code: string, message: string): void {
    if (this.at(TokenKind.Unknown)) {
      this.isRecovering = true;
      return;
    }
    this.error(code, message, this.spanOfNext());
  }

  /** The span to blame for something unexpected next: that token, or a zero-width span after the previous one. */
  private spanOfNext(): Span {
    const token = this.token();
    if (token.kind === TokenKind.Newline || token.kind === TokenKind.EOF) {
      return this.emptySpan();
    }
    return { start: token.start, end: token.end };
  }

  /** The progress guard: a loop iteration that consumed nothing is an internal error; one token is skipped. */
  private ensureProgress(before: number): void {
    if (this.pos !== before) {
      return;
    }
    if (!this.hasReportedStuck) {
      this.hasReportedStuck = true;
      const token = this.token();
      this.forceError('BICEP099', 'Internal error: the parser was stuck and skipped a token', token);
    }
    this.advance();
  }

  /** Enters one level of nesting; false (after one diagnostic per file) when the cap is reached. */
  private enter(): boolean {
    if (this.depth >= MAX_NESTING_DEPTH) {
      if (!this.hasReportedDepth) {
        this.hasReportedDepth = true;
        this.forceError('BICEP030', `Expressions are nested more than ${MAX_NESTING_DEPTH} levels deep`, this.spanOfNext());
      }
      return false;
    }
    this.depth++;
    return true;
  }

  private leave(): void {
    this.depth--;
  }

  /** What a too-deep construct becomes: the rest of its line, skipped without regard to brackets. */
  private skipTooDeep(): ErrorNode {
    const start = this.token().start;
    while (this.kind() !== TokenKind.Newline && this.kind() !== TokenKind.EOF) {
      this.advance();
    }
    return { kind: 'Error', span: this.spanFrom(start) };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Recovery

  /** Whether `kind` closes a list or interpolation that encloses the current position (so that list can use it). */
  private isEnclosingCloser(kind: TokenKind): boolean {
    if (kind === TokenKind.StringMiddlePiece) {
      kind = TokenKind.StringRightPiece;
    }
    return this.closers.includes(kind);
  }

  /** Whether the current position is inside an interpolation hole (`${ … }`), which never spans lines. */
  private isInHole(): boolean {
    return this.closers.includes(TokenKind.StringRightPiece);
  }

  /** The column of an offset (code units since the line start). */
  private columnOf(offset: number): number {
    let i = offset;
    while (i > 0) {
      const c = this.text.charCodeAt(i - 1);
      if (c === 10 || c === 13) {
        break;
      }
      i--;
    }
    return offset - i;
  }

  /**
   * Whether the token at `s` starts, at column 0, what looks like a top-level declaration (`param x`, `resource r`,
   * `@description(…)`). In a file with unclosed brackets this ends the lists still open above it, so that one
   * missing `}` does not swallow the rest of the file. See test/parse/bicep/err/unclosed-object-before-next.bicep.
   */
  private startsDeclarationAtColumn0(s: number): boolean {
    if (!this.isUnbalanced) {
      return false;
    }
    const token = this.tokenAt(s);
    if (this.columnOf(token.start) !== 0) {
      return false;
    }
    if (token.kind === TokenKind.At) {
      return this.kindAt(s + 1) === TokenKind.Identifier;
    }
    if (token.kind !== TokenKind.Identifier) {
      return false;
    }
    const word = this.textOf(token);
    if (!DECLARATION_KEYWORDS.has(word)) {
      return false;
    }
    const next = this.kindAt(s + 1);
    switch (word) {
      case 'targetScope':
        return next === TokenKind.Assignment;
      case 'import':
        return next === TokenKind.OpenBrace || next === TokenKind.Star || STRING_STARTS.has(next);
      case 'extension':
      case 'using':
      case 'extends':
        return next === TokenKind.Identifier || STRING_STARTS.has(next);
      default:
        return next === TokenKind.Identifier;
    }
  }

  /**
   * Skips tokens until a line break, the end of input, a closer an enclosing list can use, or one of `stops`; brackets
   * opened on the way are skipped to their match (across lines, but never past a column-0 declaration). Inside an
   * interpolation it skips plainly to the end of the hole. Returns the skipped span, if anything was skipped.
   */
  private skipUntil(stops: readonly TokenKind[] = []): Span | undefined {
    const first = this.pos;
    const start = this.token().start;
    const isInHole = this.isInHole();
    let nesting = 0;
    while (this.pos < this.limit) {
      const kind = this.kind();
      if (isInHole) {
        if (kind === TokenKind.Newline || kind === TokenKind.StringMiddlePiece || kind === TokenKind.StringRightPiece) {
          break;
        }
        this.advance();
        continue;
      }
      if (nesting === 0) {
        if (kind === TokenKind.Newline || stops.includes(kind) || this.isEnclosingCloser(kind)) {
          break;
        }
      } else if (kind === TokenKind.Newline && this.startsDeclarationAtColumn0(this.pos + 1)) {
        break;
      }
      if (OPENERS.has(kind)) {
        nesting++;
      } else if (CLOSERS.has(kind) && nesting > 0) {
        nesting--;
      }
      this.advance();
    }
    return this.pos === first ? undefined : this.spanFrom(start);
  }

  /** Skips what is left of a failed construct and wraps it in an `Error` node (zero-width when nothing was left). */
  private skipToError(stops: readonly TokenKind[] = []): ErrorNode {
    const start = this.token().start;
    const skipped = this.skipUntil(stops);
    return { kind: 'Error', span: skipped ?? { start: Math.min(start, this.lastEnd), end: this.lastEnd } };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Declarations

  /** `statement -> decorator* declaration` (or a line the parser cannot read, skipped into an `Error` node). */
  private parseDeclaration(): Declaration {
    const start = this.token().start;
    const decorators = this.parseDecorators();
    if (this.at(TokenKind.Identifier)) {
      const keywordToken = this.token();
      const keyword = this.textOf(keywordToken);
      const keywordSpan = { start: keywordToken.start, end: keywordToken.end };
      const declaration = this.parseKeywordDeclaration(keyword, start, decorators, keywordSpan);
      if (declaration) {
        return declaration;
      }
    }
    if (decorators.length > 0) {
      const last = decorators[decorators.length - 1] as Decorator;
      this.error('BICEP010', 'Expected a declaration after the decorators', last.span);
      return {
        kind: 'MissingDeclaration',
        span: this.spanFrom(start),
        decorators,
        keywordSpan: this.emptySpan(),
      };
    }
    this.errorAtNext(
      'BICEP010',
      'Expected a declaration: param, var, resource, module, output, type, func, import, metadata or targetScope',
    );
    return this.skipToError();
  }

  /** The declaration that `keyword` starts, or undefined when it is not a declaration keyword. */
  private parseKeywordDeclaration(
    keyword: string,
    start: number,
    decorators: Decorator[],
    keywordSpan: Span,
  ): Declaration | undefined {
    const base = { decorators, keywordSpan };
    switch (keyword) {
      case 'targetScope': {
        this.advance();
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        const value = this.parseValue();
        return { kind: 'TargetScope', span: this.spanFrom(start), ...base, equalsSpan, value };
      }
      case 'metadata':
      case 'assert': {
        this.advance();
        const name = this.parseName(keyword === 'metadata' ? 'Expected the metadata name' : 'Expected the assertion name');
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        const value = this.parseValue();
        const kind = keyword === 'metadata' ? 'Metadata' : 'Assert';
        return { kind, span: this.spanFrom(start), ...base, name, equalsSpan, value };
      }
      case 'type': {
        this.advance();
        const name = this.parseName('Expected the type name');
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        const value = this.parseTypeOrMissing(false);
        return { kind: 'TypeAlias', span: this.spanFrom(start), ...base, name, equalsSpan, value };
      }
      case 'param':
        return this.parseParameter(start, base);
      case 'var': {
        this.advance();
        const name = this.parseName('Expected the variable name');
        let type: TypeExpression | undefined;
        if (!this.at(TokenKind.Assignment) && !this.at(TokenKind.Newline) && !this.at(TokenKind.EOF)) {
          type = this.parseTypeOrMissing(false);
        }
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        const value = this.parseValue();
        return { kind: 'Variable', span: this.spanFrom(start), ...base, name, type, equalsSpan, value };
      }
      case 'output': {
        this.advance();
        const name = this.parseName('Expected the output name');
        const type = this.parseTypeOrMissing(true);
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        const value = this.parseValue();
        return { kind: 'Output', span: this.spanFrom(start), ...base, name, type, equalsSpan, value };
      }
      case 'func':
        return this.parseFunction(start, base);
      case 'resource':
        return this.parseResource(start, decorators, keywordSpan);
      case 'module':
      case 'test': {
        this.advance();
        const name = this.parseName(keyword === 'module' ? 'Expected the module name' : 'Expected the test name');
        const path = this.parseRequiredString('BICEP021', `Expected the ${keyword} path string`);
        const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
        if (keyword === 'module' && this.isKeywordAt(this.posPastNewlines(), 'if')) {
          this.skipNewlines();
        }
        const value = keyword === 'module' ? this.parseDeployableBody(false) : this.parseObjectOrMissing(false);
        const kind = keyword === 'module' ? 'Module' : 'Test';
        return { kind, span: this.spanFrom(start), ...base, name, path, equalsSpan, value };
      }
      case 'import':
        return this.parseImport(start, base);
      case 'extension': {
        this.advance();
        return this.parseExtensionRest(start, base);
      }
      case 'using': {
        this.advance();
        const path = this.at(TokenKind.Identifier)
          ? this.parseVariableLike()
          : this.parseRequiredString('BICEP021', 'Expected the template path string');
        const config = this.parseWithClause();
        return { kind: 'Using', span: this.spanFrom(start), ...base, path, config };
      }
      case 'extends': {
        this.advance();
        const path = this.parseRequiredString('BICEP021', 'Expected the path string');
        return { kind: 'Extends', span: this.spanFrom(start), ...base, path };
      }
      default:
        return undefined;
    }
  }

  /** `parameterDecl -> "param" IDENTIFIER type ("=" expression)?` */
  private parseParameter(start: number, base: { decorators: Decorator[]; keywordSpan: Span }): Declaration {
    this.advance();
    const name = this.parseName('Expected the parameter name');
    let type: TypeExpression;
    if (this.at(TokenKind.Assignment) || this.at(TokenKind.Newline) || this.at(TokenKind.EOF)) {
      this.errorAtNext('BICEP020', 'Expected the parameter type');
      type = this.missing();
    } else {
      type = this.parseTypeOrMissing(false);
    }
    let equalsSpan: Span | undefined;
    let defaultValue: Expression | undefined;
    if (this.at(TokenKind.Assignment)) {
      equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
      defaultValue = this.parseValue();
    }
    return { kind: 'Parameter', span: this.spanFrom(start), ...base, name, type, equalsSpan, defaultValue };
  }

  /** `functionDecl -> "func" IDENTIFIER "(" typedParameters ")" type "=>" expression` */
  private parseFunction(start: number, base: { decorators: Decorator[]; keywordSpan: Span }): FunctionDeclaration {
    this.advance();
    const name = this.parseName('Expected the function name');
    const parameters: TypedParameter[] = [];
    let openParen = this.emptySpan();
    let closeParen = this.emptySpan();
    if (this.at(TokenKind.OpenParen)) {
      const open = this.advance();
      openParen = { start: open.start, end: open.end };
      const items: (TypedParameter | ErrorNode)[] = [];
      this.parseList(TokenKind.CloseParen, ListStyle.Parens, items, () => {
        if (!this.at(TokenKind.Identifier)) {
          this.errorAtNext('BICEP012', 'Expected a parameter name');
          return this.skipToError([TokenKind.Comma]);
        }
        const paramStart = this.token().start;
        const paramName = this.parseName('Expected a parameter name');
        const type = this.parseTypeOrMissing(false);
        return { span: this.spanFrom(paramStart), name: paramName, type };
      });
      for (const item of items) {
        if (!('kind' in item)) {
          parameters.push(item);
        }
      }
      closeParen = this.closeList(TokenKind.CloseParen, openParen, 'Missing ")" to close the parameter list');
    } else {
      this.errorAtNext('BICEP027', 'Expected "(" and the function parameters');
    }
    const returnType = this.parseTypeOrMissing(false);
    const arrowSpan = this.expect(TokenKind.Arrow, 'BICEP027', 'Expected "=>"');
    this.skipNewlinesBeforeBody();
    const body = this.parseValue();
    return {
      kind: 'Function',
      span: this.spanFrom(start),
      ...base,
      name,
      parameters,
      openParen,
      closeParen,
      returnType,
      arrowSpan,
      body,
    };
  }

  /**
   * `resourceDecl -> decorator* "resource" IDENTIFIER interpString "existing"? "=" (ifCondition | object | forExpression)`,
   * at the top level or nested in a resource body.
   */
  private parseResource(start: number, decorators: Decorator[], keywordSpan: Span): ResourceDeclaration {
    this.advance();
    const name = this.parseName('Expected the resource symbolic name');
    const typeString = this.parseRequiredString('BICEP021', 'Expected the resource type string');
    let existingSpan: Span | undefined;
    if (this.atKeyword('existing')) {
      const token = this.advance();
      existingSpan = { start: token.start, end: token.end };
    }
    const equalsSpan = this.expect(TokenKind.Assignment, 'BICEP013', 'Expected "="');
    if (this.isKeywordAt(this.posPastNewlines(), 'if')) {
      this.skipNewlines();
    }
    const value = this.parseDeployableBody(true);
    return {
      kind: 'Resource',
      span: this.spanFrom(start),
      decorators,
      keywordSpan,
      name,
      typeString,
      existingSpan,
      equalsSpan,
      value,
    };
  }

  /** The body of a resource or module: `ifCondition | object | forExpression`. */
  private parseDeployableBody(allowResources: boolean): Expression {
    if (this.atKeyword('if')) {
      return this.parseIfCondition(allowResources, false);
    }
    if (this.at(TokenKind.OpenBrace)) {
      return this.parseObject(allowResources);
    }
    if (this.at(TokenKind.OpenBracket)) {
      return this.parseFor(allowResources, true);
    }
    this.errorAtNext('BICEP022', 'Expected "{", "if" or "[for" to start the body');
    return this.missing();
  }

  /** `importDecl -> "import" ("{" importedSymbol* "}" | "*" "as" IDENTIFIER) "from" interpString`, or a legacy extension. */
  private parseImport(start: number, base: { decorators: Decorator[]; keywordSpan: Span }): Declaration {
    this.advance();
    if (STRING_STARTS.has(this.kind())) {
      return this.parseExtensionRest(start, base);
    }
    let symbols: ImportedSymbol[] | undefined;
    let wildcardAlias: Identifier | undefined;
    if (this.at(TokenKind.OpenBrace)) {
      const open = this.advance();
      const openSpan = { start: open.start, end: open.end };
      const items: (ImportedSymbol | ErrorNode)[] = [];
      this.parseList(TokenKind.CloseBrace, ListStyle.Lines, items, () => this.parseImportedSymbol());
      this.closeList(TokenKind.CloseBrace, openSpan, 'Missing "}" to close the import list');
      symbols = items.filter((item): item is ImportedSymbol => !('kind' in item));
    } else if (this.at(TokenKind.Star)) {
      this.advance();
      this.expectKeyword('as');
      wildcardAlias = this.parseName('Expected the namespace name');
    } else {
      this.errorAtNext('BICEP023', 'Expected "{" and the imported names, or "* as" and a namespace name');
    }
    let fromSpan = this.emptySpan();
    let path: Expression;
    if (this.atKeyword('from')) {
      const token = this.advance();
      fromSpan = { start: token.start, end: token.end };
      path = this.parseRequiredString('BICEP021', 'Expected the path string');
    } else {
      this.errorAtNext('BICEP023', 'Expected "from"');
      path = this.missing();
    }
    const declaration: ImportDeclaration = {
      kind: 'Import',
      span: this.spanFrom(start),
      ...base,
      symbols,
      wildcardAlias,
      fromSpan,
      path,
    };
    return declaration;
  }

  /** `importedSymbol -> (IDENTIFIER | interpString) ("as" IDENTIFIER)?` */
  private parseImportedSymbol(): ImportedSymbol | ErrorNode {
    const start = this.token().start;
    let name: Identifier;
    if (this.at(TokenKind.Identifier)) {
      name = this.parseName('Expected an imported name');
    } else if (STRING_STARTS.has(this.kind())) {
      const str = this.parseString();
      name = { name: str.segments.join(''), span: str.span };
    } else {
      this.errorAtNext('BICEP012', 'Expected an imported name');
      return this.skipToError([TokenKind.Comma]);
    }
    let alias: Identifier | undefined;
    if (this.atKeyword('as')) {
      this.advance();
      alias = this.parseName('Expected the alias name');
    }
    return { span: this.spanFrom(start), name, alias };
  }

  /** The rest of `extensionDecl` after its keyword: `(IDENTIFIER | interpString) ("with" object)? ("as" IDENTIFIER)?` */
  private parseExtensionRest(
    start: number,
    base: { decorators: Decorator[]; keywordSpan: Span },
  ): ExtensionDeclaration {
    const specification = this.at(TokenKind.Identifier)
      ? this.parseVariableLike()
      : this.parseRequiredString('BICEP021', 'Expected the extension name or specification string');
    const config = this.parseWithClause();
    let alias: Identifier | undefined;
    if (this.atKeyword('as')) {
      this.advance();
      alias = this.parseName('Expected the alias name');
    } else if (!this.at(TokenKind.Newline) && !this.at(TokenKind.EOF)) {
      this.errorAtNext('BICEP023', 'Expected "with", "as" or a new line');
    }
    return { kind: 'Extension', span: this.spanFrom(start), ...base, specification, config, alias };
  }

  /** `("with" object)?` */
  private parseWithClause(): Expression | undefined {
    if (!this.atKeyword('with')) {
      return undefined;
    }
    this.advance();
    return this.parseObjectOrMissing(false);
  }

  /** An identifier read as a variable access (an extension name, `using none`). */
  private parseVariableLike(): Expression {
    const token = this.advance();
    return { kind: 'Variable', span: { start: token.start, end: token.end }, name: this.textOf(token) };
  }

  /** `decorator* ` with each decorator followed by a line break (further line breaks allowed). */
  private parseDecorators(): Decorator[] {
    const decorators: Decorator[] = [];
    while (this.at(TokenKind.At)) {
      decorators.push(this.parseDecorator());
      if (this.at(TokenKind.Newline)) {
        this.skipNewlines();
      } else if (!this.at(TokenKind.EOF)) {
        this.errorAtNext('BICEP011', 'Expected a new line after the decorator');
        this.skipUntil();
        this.skipNewlines();
      }
    }
    return decorators;
  }

  /** `decorator -> "@" IDENTIFIER ("(" argumentList? ")")? ("." IDENTIFIER ("(" argumentList? ")")?)*` */
  private parseDecorator(): Decorator {
    const at = this.advance();
    let expr: Expression;
    if (!this.at(TokenKind.Identifier)) {
      this.errorAtNext('BICEP012', 'Expected a decorator name');
      expr = this.missing();
    } else {
      const nameToken = this.advance();
      expr = this.at(TokenKind.OpenParen)
        ? this.parseCall(undefined, nameToken)
        : { kind: 'Variable', span: { start: nameToken.start, end: nameToken.end }, name: this.textOf(nameToken) };
      while (this.at(TokenKind.Dot)) {
        this.advance();
        if (!this.at(TokenKind.Identifier)) {
          this.errorAtNext('BICEP025', 'Expected a function or property name after "."');
          break;
        }
        const member = this.advance();
        expr = this.at(TokenKind.OpenParen)
          ? this.parseCall(expr, member)
          : {
              kind: 'Member',
              span: { start: expr.span.start, end: member.end },
              target: expr,
              name: this.textOf(member),
              nameSpan: { start: member.start, end: member.end },
              isSafe: false,
            };
      }
    }
    return { span: this.spanFrom(at.start), atSpan: { start: at.start, end: at.end }, expr };
  }

  /** An identifier naming a declaration; reported and zero-width when absent. */
  private parseName(message: string): Identifier {
    if (this.at(TokenKind.Identifier)) {
      const token = this.advance();
      return { name: this.textOf(token), span: { start: token.start, end: token.end } };
    }
    this.errorAtNext('BICEP012', message);
    return { name: '', span: this.emptySpan() };
  }

  private expectKeyword(word: string): void {
    if (this.atKeyword(word)) {
      this.advance();
    } else {
      this.errorAtNext('BICEP023', `Expected "${word}"`);
    }
  }

  /** A string literal where the grammar requires one (a type string, a path); `Missing` when absent. */
  private parseRequiredString(code: string, message: string): Expression {
    if (STRING_STARTS.has(this.kind())) {
      return this.parseString();
    }
    if (this.at(TokenKind.MultilineString)) {
      return this.parsePrimary();
    }
    this.errorAtNext(code, message);
    return this.missing();
  }

  /** The expression after `=` of a declaration; reported (and `Missing`) when the line ends first. */
  private parseValue(): Expression {
    if (this.at(TokenKind.Newline) || this.at(TokenKind.EOF)) {
      this.errorAtNext('BICEP014', 'Expected a value');
      return this.missing();
    }
    return this.parseExpression();
  }

  /** After `=>`, line breaks are allowed unless the next line starts a declaration. */
  private skipNewlinesBeforeBody(): void {
    const next = this.posPastNewlines();
    const token = this.tokenAt(next);
    if (!(token.kind === TokenKind.Identifier && DECLARATION_KEYWORDS.has(this.textOf(token)))) {
      this.skipNewlines();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lists

  /**
   * The items of a bracketed list after its opener, up to (not including) `closer`: items separated by line breaks
   * or commas (`ListStyle.Lines`, objects and arrays) or by commas with optional line breaks (`ListStyle.Commas`,
   * argument lists). A list is left early at a closer an enclosing list can use, at the end of input, and at a
   * column-0 declaration in a file with unclosed brackets.
   */
  private parseList<T>(closer: TokenKind, style: ListStyle, items: T[], parseItem: () => T): void {
    this.closers.push(closer);
    try {
      this.skipNewlines();
      while (true) {
        const kind = this.kind();
        if (kind === closer || kind === TokenKind.EOF || this.isEnclosingCloser(kind)) {
          break;
        }
        if (this.isAtLineStart() && this.startsDeclarationAtColumn0(this.pos)) {
          break;
        }
        const before = this.pos;
        if (style === ListStyle.Lines && this.isAtLineStart()) {
          // Each line of a multi-line object or array is its own construct for error reporting.
          this.isRecovering = false;
        }
        items.push(parseItem());
        if (!this.parseSeparator(closer, style)) {
          break;
        }
        this.ensureProgress(before);
      }
    } finally {
      this.closers.pop();
    }
  }

  /** Consumes what separates two list items; false when the list should end here (its closer is missing). */
  private parseSeparator(closer: TokenKind, style: ListStyle): boolean {
    const kind = this.kind();
    if (kind === closer || kind === TokenKind.EOF || this.isEnclosingCloser(kind)) {
      return true;
    }
    if (kind === TokenKind.Comma) {
      this.advance();
      if (this.at(TokenKind.Newline)) {
        if (style === ListStyle.Lines) {
          // Mixing separators this way is an error in Bicep (BCP238); the item after it still parses.
          this.error('BICEP019', 'Unexpected new line after a comma', this.emptySpan());
        }
        this.skipNewlines();
      }
      if (style !== ListStyle.Lines && this.at(closer)) {
        this.errorAtNext('BICEP024', 'Expected another argument after ","; trailing commas are not allowed here');
      }
      return true;
    }
    if (kind === TokenKind.Newline) {
      const next = this.posPastNewlines();
      const nextKind = this.kindAt(next);
      if (style === ListStyle.Parens && nextKind === TokenKind.Comma) {
        this.skipNewlines();
        return this.parseSeparator(closer, style);
      }
      if (style !== ListStyle.Lines && nextKind !== closer) {
        if (nextKind === TokenKind.EOF || this.isEnclosingCloser(nextKind) || this.startsDeclarationAtColumn0(next)) {
          return false;
        }
        this.error('BICEP018', 'Expected a comma between arguments', this.emptySpan());
      }
      this.skipNewlines();
      return true;
    }
    this.error('BICEP018', 'Expected a new line or a comma', this.emptySpan());
    return true;
  }

  /** Consumes the closer of a list, or reports it missing at the opener (zero-width span where it should be). */
  private closeList(closer: TokenKind, openSpan: Span, message: string): Span {
    if (this.at(closer)) {
      const token = this.advance();
      return { start: token.start, end: token.end };
    }
    this.forceError('BICEP017', message, openSpan);
    return this.emptySpan();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Objects and arrays

  /** `object` where the grammar requires one; reported and `Missing` otherwise. */
  private parseObjectOrMissing(allowResources: boolean): Expression {
    if (this.at(TokenKind.OpenBrace)) {
      return this.parseObject(allowResources);
    }
    this.errorAtNext('BICEP022', 'Expected "{"');
    return this.missing();
  }

  /** `object -> "{" (NL* objectItem ((NL+ | ",") objectItem)*)? NL* "}"` */
  private parseObject(allowResources: boolean): ObjectExpression {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const items: ObjectItem[] = [];
    this.parseList(TokenKind.CloseBrace, ListStyle.Lines, items, () => this.parseObjectItem(allowResources));
    const closeSpan = this.closeList(TokenKind.CloseBrace, openSpan, 'Missing "}" to close this object');
    return { kind: 'Object', span: this.spanFrom(open.start), items, openSpan, closeSpan };
  }

  /** `objectItem -> objectProperty | "..." expression | resourceDecl` (nested resources only in resource bodies). */
  private parseObjectItem(allowResources: boolean): ObjectItem {
    const start = this.token().start;
    if (
      allowResources &&
      (this.at(TokenKind.At) || (this.atKeyword('resource') && this.kind(1) === TokenKind.Identifier))
    ) {
      const decorators = this.parseDecorators();
      if (this.atKeyword('resource')) {
        const keyword = this.token();
        return this.parseResource(start, decorators, { start: keyword.start, end: keyword.end });
      }
      const last = decorators[decorators.length - 1];
      this.error('BICEP010', 'Expected a nested resource declaration after the decorators', last?.span ?? this.spanOfNext());
      const rest = this.skipToError();
      return { kind: 'Error', span: { start, end: Math.max(start, rest.span.end) } };
    }
    if (this.at(TokenKind.Ellipsis)) {
      this.advance();
      const expr = this.parseValue();
      return { kind: 'Spread', span: this.spanFrom(start), expr };
    }
    let key: Identifier | StringExpression;
    let keyName: string | undefined;
    if (this.at(TokenKind.Identifier)) {
      const token = this.advance();
      key = { name: this.textOf(token), span: { start: token.start, end: token.end } };
      keyName = key.name;
    } else if (STRING_STARTS.has(this.kind())) {
      key = this.parseString();
      keyName = key.expressions.length === 0 ? key.segments.join('') : undefined;
    } else {
      this.errorAtNext('BICEP016', 'Expected a property name');
      return this.skipToError();
    }
    const keySpan = key.span;
    let colonSpan: Span;
    let value: Expression;
    if (this.at(TokenKind.Colon)) {
      colonSpan = this.expect(TokenKind.Colon, 'BICEP015', 'Expected ":"');
      value = this.parseValue();
      if (value.kind === 'Missing' && !this.at(TokenKind.Newline)) {
        const skipped = this.skipUntil();
        if (skipped) {
          value = { kind: 'Error', span: skipped };
        }
      }
    } else {
      this.errorAtNext('BICEP015', 'Expected ":" after the property name');
      colonSpan = this.emptySpan();
      const skipped = this.skipUntil();
      value = skipped ? { kind: 'Error', span: skipped } : this.missing();
    }
    return { kind: 'Property', span: this.spanFrom(start), keyName, key, keySpan, colonSpan, value };
  }

  /** `array -> "[" (NL* arrayItem ((NL+ | ",") arrayItem)*)? NL* "]"` */
  private parseArray(): ArrayExpression {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const items: ArrayItem[] = [];
    this.parseList(TokenKind.CloseBracket, ListStyle.Lines, items, () => {
      const start = this.token().start;
      if (this.at(TokenKind.Ellipsis)) {
        this.advance();
        const expr = this.parseValue();
        return { kind: 'Spread', span: this.spanFrom(start), expr };
      }
      return this.parseExpressionOrSkip();
    });
    const closeSpan = this.closeList(TokenKind.CloseBracket, openSpan, 'Missing "]" to close this array');
    return { kind: 'Array', span: this.spanFrom(open.start), items, openSpan, closeSpan };
  }

  /** An expression as a list item: when none can start here, the rest of the item is skipped into an `Error` node. */
  private parseExpressionOrSkip(stops: readonly TokenKind[] = []): Expression {
    const expr = this.parseExpression();
    if (expr.kind === 'Missing') {
      const skipped = this.skipUntil(stops);
      if (skipped) {
        return { kind: 'Error', span: skipped };
      }
    }
    return expr;
  }

  /**
   * `forExpression -> "[" NL* "for" (IDENTIFIER | "(" IDENTIFIER "," IDENTIFIER ")") "in" expression ":" forBody NL* "]"`
   * where, for resources and modules, `forBody -> object | ifCondition`.
   */
  private parseFor(allowResources: boolean, isDeployable: boolean): ForExpression {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    this.closers.push(TokenKind.CloseBracket);
    let itemVariable: Identifier = { name: '', span: this.emptySpan() };
    let indexVariable: Identifier | undefined;
    let collection: Expression = this.missing();
    let body: Expression = this.missing();
    try {
      this.skipNewlines();
      if (!this.atKeyword('for')) {
        this.errorAtNext('BICEP023', 'Expected "for"');
      } else {
        this.advance();
        if (this.at(TokenKind.OpenParen)) {
          const paren = this.advance();
          itemVariable = this.parseName('Expected the item variable name');
          this.expect(TokenKind.Comma, 'BICEP018', 'Expected "," and the index variable name');
          indexVariable = this.parseName('Expected the index variable name');
          if (this.at(TokenKind.CloseParen)) {
            this.advance();
          } else {
            this.error('BICEP017', 'Missing ")" to close the loop variables', { start: paren.start, end: paren.end });
          }
        } else {
          itemVariable = this.parseName('Expected the loop variable name, or "(item, index)"');
        }
        this.expectKeyword('in');
        collection = this.parseExpressionOrSkip([TokenKind.Colon]);
        this.expect(TokenKind.Colon, 'BICEP015', 'Expected ":"');
        if (isDeployable) {
          if (this.atKeyword('if')) {
            body = this.parseIfCondition(allowResources, true);
          } else {
            body = this.parseObjectOrMissing(allowResources);
          }
        } else {
          body = this.parseExpressionOrSkip();
        }
      }
      if (!this.at(TokenKind.CloseBracket) && this.kindPastNewlines() !== TokenKind.CloseBracket) {
        if (!this.at(TokenKind.Newline)) {
          this.errorAtNext('BICEP026', 'Unexpected tokens in the for expression');
        }
        this.skipUntil();
      }
      if (this.kindPastNewlines() === TokenKind.CloseBracket) {
        this.skipNewlines();
      }
    } finally {
      this.closers.pop();
    }
    const closeSpan = this.closeList(TokenKind.CloseBracket, openSpan, 'Missing "]" to close the for expression');
    return {
      kind: 'For',
      span: this.spanFrom(open.start),
      itemVariable,
      indexVariable,
      collection,
      body,
      openSpan,
      closeSpan,
    };
  }

  /** `ifCondition -> "if" "(" expression ")" object` */
  private parseIfCondition(allowResources: boolean, isInFor: boolean): IfCondition {
    const keyword = this.advance();
    let condition: Expression;
    if (this.at(TokenKind.OpenParen)) {
      condition = this.parseParenOrLambda();
    } else {
      this.errorAtNext('BICEP027', 'Expected "(" and the condition');
      condition = this.missing();
      this.skipUntil(isInFor ? [TokenKind.OpenBrace, TokenKind.CloseBracket] : [TokenKind.OpenBrace]);
    }
    const body = this.parseObjectOrMissing(allowResources);
    return { kind: 'If', span: this.spanFrom(keyword.start), condition, body };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expressions

  /** `expression -> binaryExpression (NL* "?" expression NL* ":" expression)?` */
  private parseExpression(): Expression {
    if (!this.enter()) {
      return this.skipTooDeep();
    }
    try {
      const condition = this.parseBinary(0);
      if (condition.kind === 'Missing' || this.kindPastNewlines() !== TokenKind.Question) {
        return condition;
      }
      this.skipNewlines();
      this.advance();
      const trueExpr = this.parseValue();
      if (this.kindPastNewlines() === TokenKind.Colon) {
        this.skipNewlines();
      }
      this.expect(TokenKind.Colon, 'BICEP015', 'Expected ":" in the conditional expression');
      const falseExpr = this.parseValue();
      return {
        kind: 'Ternary',
        span: this.spanFrom(condition.span.start),
        condition,
        trueExpr,
        falseExpr,
      };
    } finally {
      this.leave();
    }
  }

  /** `binaryExpression -> unaryExpression (binaryOperator unaryExpression)*` by precedence climbing (left-associative). */
  private parseBinary(minPrecedence: number): Expression {
    let left = this.parseUnary();
    if (left.kind === 'Missing') {
      return left;
    }
    while (true) {
      const operator = BINARY_OPERATORS.get(this.kind());
      if (operator === undefined || operator[1] <= minPrecedence) {
        return left;
      }
      this.advance();
      const right =
        this.at(TokenKind.Newline) || this.at(TokenKind.EOF)
          ? (this.errorAtNext('BICEP014', `Expected an expression after "${operator[0]}"`), this.missing())
          : this.parseBinary(operator[1]);
      left = { kind: 'Binary', span: this.spanFrom(left.span.start), operator: operator[0], left, right };
    }
  }

  /** `unaryExpression -> ("!" | "-") unaryExpression | memberExpression` */
  private parseUnary(): Expression {
    const kind = this.kind();
    if (kind !== TokenKind.Bang && kind !== TokenKind.Minus) {
      return this.parseMember();
    }
    if (!this.enter()) {
      return this.skipTooDeep();
    }
    try {
      const operator = this.advance();
      const operand = this.at(TokenKind.Newline) ? (this.errorAtNext('BICEP014', 'Expected an expression'), this.missing()) : this.parseUnary();
      return {
        kind: 'Unary',
        span: this.spanFrom(operator.start),
        operator: kind === TokenKind.Bang ? '!' : '-',
        operand,
      };
    } finally {
      this.leave();
    }
  }

  /**
   * `memberExpression -> primaryExpression ("[" "?"? "^"? expression "]" | "." "?"? IDENTIFIER ("(" args ")")? |
   * "::" IDENTIFIER | "!")*`
   */
  private parseMember(): Expression {
    let expr = this.parsePrimary();
    if (expr.kind === 'Missing') {
      return expr;
    }
    while (true) {
      const kind = this.kind();
      if (kind === TokenKind.OpenBracket) {
        expr = this.parseIndex(expr);
      } else if (kind === TokenKind.Dot) {
        this.advance();
        const isSafe = this.at(TokenKind.Question);
        if (isSafe) {
          this.advance();
        }
        if (!this.at(TokenKind.Identifier)) {
          this.errorAtNext('BICEP025', 'Expected a property or function name after "."');
          return { kind: 'Member', span: this.spanFrom(expr.span.start), target: expr, name: '', nameSpan: this.emptySpan(), isSafe };
        }
        const name = this.advance();
        if (this.at(TokenKind.OpenParen)) {
          if (isSafe) {
            this.error('BICEP025', 'The safe-dereference operator cannot be applied to a function call', name);
          }
          expr = this.parseCall(expr, name);
        } else {
          expr = {
            kind: 'Member',
            span: this.spanFrom(expr.span.start),
            target: expr,
            name: this.textOf(name),
            nameSpan: { start: name.start, end: name.end },
            isSafe,
          };
        }
      } else if (kind === TokenKind.DoubleColon) {
        this.advance();
        if (!this.at(TokenKind.Identifier)) {
          this.errorAtNext('BICEP025', 'Expected a nested resource name after "::"');
          return expr;
        }
        const name = this.advance();
        expr = {
          kind: 'ResourceAccess',
          span: this.spanFrom(expr.span.start),
          target: expr,
          name: this.textOf(name),
          nameSpan: { start: name.start, end: name.end },
        };
      } else if (kind === TokenKind.Bang) {
        this.advance();
        expr = { kind: 'NonNull', span: this.spanFrom(expr.span.start), target: expr };
      } else {
        return expr;
      }
    }
  }

  /** `"[" "?"? "^"? expression "]"` applied to `target`. */
  private parseIndex(target: Expression): Expression {
    const open = this.advance();
    const isSafe = this.at(TokenKind.Question);
    if (isSafe) {
      this.advance();
    }
    const isFromEnd = this.at(TokenKind.Hat);
    if (isFromEnd) {
      this.advance();
    }
    this.closers.push(TokenKind.CloseBracket);
    let index: Expression;
    try {
      if (this.at(TokenKind.CloseBracket)) {
        this.errorAtNext('BICEP014', 'Expected an index expression');
        index = this.missing();
      } else {
        index = this.parseExpressionOrSkip();
      }
    } finally {
      this.closers.pop();
    }
    if (this.at(TokenKind.CloseBracket)) {
      this.advance();
    } else {
      this.error('BICEP017', 'Missing "]" to close the index', { start: open.start, end: open.end });
    }
    return { kind: 'Index', span: this.spanFrom(target.span.start), target, index, isSafe, isFromEnd };
  }

  /**
   * `primaryExpression -> literalValue | interpString | multilineString | object | array | forExpression |
   * parenthesizedExpression | lambda | functionCall | IDENTIFIER`
   */
  private parsePrimary(): Expression {
    const token = this.token();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case TokenKind.Integer:
        this.advance();
        return { kind: 'Integer', span, value: Number(this.textOf(token)) };
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
        this.advance();
        return { kind: 'Boolean', span, value: token.kind === TokenKind.TrueKeyword };
      case TokenKind.NullKeyword:
        this.advance();
        return { kind: 'Null', span };
      case TokenKind.StringComplete:
      case TokenKind.StringLeftPiece:
        return this.parseString();
      case TokenKind.MultilineString:
        this.advance();
        return { kind: 'String', span, segments: [this.valueOf(this.pos - 1)], expressions: [], isMultiline: true };
      case TokenKind.OpenBrace:
        return this.parseObject(false);
      case TokenKind.OpenBracket:
        return this.isKeywordAt(this.posPastNewlinesFrom(this.pos + 1), 'for') ? this.parseFor(false, false) : this.parseArray();
      case TokenKind.OpenParen:
        return this.parseParenOrLambda();
      case TokenKind.Identifier: {
        this.advance();
        if (this.at(TokenKind.OpenParen)) {
          return this.parseCall(undefined, token);
        }
        if (this.at(TokenKind.Arrow)) {
          return this.parseLambdaRest(token.start, [{ name: this.textOf(token), span }]);
        }
        return { kind: 'Variable', span, name: this.textOf(token) };
      }
      default:
        this.errorAtNext('BICEP014', 'Expected an expression');
        return this.missing();
    }
  }

  private posPastNewlinesFrom(s: number): number {
    while (s < this.limit && this.kindAt(s) === TokenKind.Newline) {
      s++;
    }
    return s;
  }

  /** `functionCall -> IDENTIFIER "(" (NL* expression (NL* "," NL* expression)*)? NL* ")"`, after its name. */
  private parseCall(target: Expression | undefined, name: Token): CallExpression {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const args: Expression[] = [];
    if (!this.at(TokenKind.CloseParen)) {
      this.parseList(TokenKind.CloseParen, ListStyle.Commas, args, () =>
        this.parseExpressionOrSkip([TokenKind.Comma]),
      );
    }
    const closeParen = this.closeList(TokenKind.CloseParen, openSpan, 'Missing ")" to close the argument list');
    return {
      kind: 'Call',
      span: this.spanFrom(target?.span.start ?? name.start),
      target,
      name: this.textOf(name),
      nameSpan: { start: name.start, end: name.end },
      args,
      openParen: openSpan,
      closeParen,
    };
  }

  /** `"(" NL* expression (NL* "," NL* expression)* NL* ")"`, then a lambda when `=>` follows, else a parenthesized expression. */
  private parseParenOrLambda(): Expression {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const items: Expression[] = [];
    if (!this.at(TokenKind.CloseParen)) {
      this.parseList(TokenKind.CloseParen, ListStyle.Parens, items, () =>
        this.parseExpressionOrSkip([TokenKind.Comma]),
      );
    }
    this.closeList(TokenKind.CloseParen, openSpan, 'Missing ")" to close the parentheses');
    if (this.at(TokenKind.Arrow)) {
      const parameters: Identifier[] = [];
      for (const item of items) {
        if (item.kind === 'Variable') {
          parameters.push({ name: item.name, span: item.span });
        } else {
          this.error('BICEP012', 'Expected a lambda parameter name', item.span);
        }
      }
      return this.parseLambdaRest(open.start, parameters);
    }
    if (items.length !== 1) {
      this.error(
        'BICEP014',
        items.length === 0 ? 'Expected an expression in the parentheses' : 'Expected one expression in the parentheses',
        this.spanFrom(open.start),
      );
    }
    return { kind: 'Paren', span: this.spanFrom(open.start), expr: items[0] ?? this.missing() };
  }

  /** `"=>" NL* expression`, after a lambda's parameters. */
  private parseLambdaRest(start: number, parameters: Identifier[]): Expression {
    this.advance();
    this.skipNewlinesBeforeBody();
    const body = this.parseValue();
    return { kind: 'Lambda', span: this.spanFrom(start), parameters, body };
  }

  /** `interpString -> "'" STRINGCHAR* ("${" expression "}" STRINGCHAR*)* "'"` from its pieces. */
  private parseString(): StringExpression {
    const first = this.advance();
    const segments = [this.valueOf(this.pos - 1)];
    const expressions: Expression[] = [];
    if (first.kind === TokenKind.StringLeftPiece) {
      this.closers.push(TokenKind.StringRightPiece);
      try {
        while (true) {
          if (this.at(TokenKind.StringMiddlePiece) || this.at(TokenKind.StringRightPiece)) {
            this.errorAtNext('BICEP014', 'Expected an expression in the interpolation');
            expressions.push(this.missing());
          } else {
            expressions.push(this.parseExpression());
          }
          const kind = this.kind();
          if (kind !== TokenKind.StringMiddlePiece && kind !== TokenKind.StringRightPiece) {
            const junk = this.skipUntil();
            const next = this.token();
            const isPieceTerminated = this.values.has(this.sig[this.pos] as number) && !this.unterminated.has(this.sig[this.pos] as number);
            // Junk before an unterminated end is the lexer's error already (a quote that opened a new string).
            if (junk && isPieceTerminated && (next.kind === TokenKind.StringMiddlePiece || next.kind === TokenKind.StringRightPiece)) {
              this.error('BICEP026', 'Unexpected tokens in the interpolation', junk);
            }
          }
          const piece = this.token();
          if (piece.kind !== TokenKind.StringMiddlePiece && piece.kind !== TokenKind.StringRightPiece) {
            // The line or the input ended inside the interpolation; the lexer reported the unterminated string.
            segments.push('');
            break;
          }
          this.advance();
          segments.push(this.valueOf(this.pos - 1));
          if (piece.kind === TokenKind.StringRightPiece) {
            break;
          }
        }
      } finally {
        this.closers.pop();
      }
    }
    const isMultiline = this.text.charCodeAt(first.start) === 36 /* $ */;
    return { kind: 'String', span: this.spanFrom(first.start), segments, expressions, isMultiline };
  }

  /** The decoded text of the string token at `sig` position `s`. */
  private valueOf(s: number): string {
    return this.values.get(this.sig[s] as number) ?? '';
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Types

  /** A type where the grammar requires one; `Missing` (reported) when none can start here. */
  private parseTypeOrMissing(allowOptionalResourceType: boolean): TypeExpression {
    if (this.atKeyword('resource') && this.kind(1) !== TokenKind.Less) {
      const keyword = this.advance();
      let typeString: Expression | undefined;
      if (STRING_STARTS.has(this.kind())) {
        typeString = this.parseString();
      } else if (!allowOptionalResourceType) {
        this.errorAtNext('BICEP021', 'Expected the resource type string');
      }
      return { kind: 'ResourceType', span: this.spanFrom(keyword.start), typeString };
    }
    return this.parseTypeExpression();
  }

  /** `typeExpression -> "|"? unaryType (NL* "|" unaryType)*` */
  private parseTypeExpression(): TypeExpression {
    if (!this.enter()) {
      return this.skipTooDeep();
    }
    try {
      const start = this.tokenAt(this.posPastNewlines()).start;
      const isPipe = () => this.at(TokenKind.Pipe) || (this.at(TokenKind.Newline) && this.kindPastNewlines() === TokenKind.Pipe);
      let hasLeadingPipe = false;
      if (isPipe()) {
        this.skipNewlines();
        this.advance();
        hasLeadingPipe = true;
      }
      const first = this.parseUnaryType();
      if (!hasLeadingPipe && !isPipe()) {
        return first;
      }
      const members = [first];
      while (isPipe()) {
        this.skipNewlines();
        this.advance();
        if (this.at(TokenKind.Newline) || this.at(TokenKind.EOF)) {
          this.errorAtNext('BICEP020', 'Expected a type after "|"');
          break;
        }
        members.push(this.parseUnaryType());
      }
      return { kind: 'UnionType', span: this.spanFrom(start), members };
    } finally {
      this.leave();
    }
  }

  /** `unaryType -> ("-" | "!")? memberType ("?" | "!")*` */
  private parseUnaryType(): TypeExpression {
    const start = this.token().start;
    let base: TypeExpression;
    if (this.at(TokenKind.Minus) || this.at(TokenKind.Bang)) {
      const operator = this.advance();
      base = {
        kind: 'UnaryType',
        span: { start, end: start },
        operator: operator.kind === TokenKind.Bang ? '!' : '-',
        operand: this.parseMemberType(),
      };
      base.span = this.spanFrom(start);
    } else {
      base = this.parseMemberType();
    }
    while (this.at(TokenKind.Question) || this.at(TokenKind.Bang)) {
      const isNullable = this.advance().kind === TokenKind.Question;
      base = isNullable
        ? { kind: 'NullableType', span: this.spanFrom(start), base }
        : { kind: 'NonNullableType', span: this.spanFrom(start), base };
    }
    return base;
  }

  /** `memberType -> primaryType ("[" "]" | "[" "*" "]" | "[" expression "]" | "." "*" | "." IDENTIFIER typeArgs?)*` */
  private parseMemberType(): TypeExpression {
    let type = this.parsePrimaryType();
    if (type.kind === 'Missing') {
      return type;
    }
    const start = type.span.start;
    while (true) {
      if (this.at(TokenKind.OpenBracket)) {
        const open = this.advance();
        if (this.at(TokenKind.CloseBracket)) {
          this.advance();
          type = { kind: 'ArrayType', span: this.spanFrom(start), element: type };
          continue;
        }
        let index: Expression | undefined;
        if (this.at(TokenKind.Star)) {
          this.advance();
        } else {
          this.closers.push(TokenKind.CloseBracket);
          try {
            index = this.parseExpressionOrSkip();
          } finally {
            this.closers.pop();
          }
        }
        if (this.at(TokenKind.CloseBracket)) {
          this.advance();
        } else {
          this.error('BICEP017', 'Missing "]"', { start: open.start, end: open.end });
        }
        type = { kind: 'TypeIndex', span: this.spanFrom(start), target: type, index };
      } else if (this.at(TokenKind.Dot)) {
        this.advance();
        if (this.at(TokenKind.Star)) {
          this.advance();
          type = { kind: 'TypeMember', span: this.spanFrom(start), target: type, name: '*', args: undefined };
          continue;
        }
        if (!this.at(TokenKind.Identifier)) {
          this.errorAtNext('BICEP025', 'Expected a type or property name after "."');
          return type;
        }
        const name = this.advance();
        const args = this.at(TokenKind.Less) ? this.parseTypeArguments() : undefined;
        type = { kind: 'TypeMember', span: this.spanFrom(start), target: type, name: this.textOf(name), args };
      } else {
        return type;
      }
    }
  }

  /** `primaryType -> literal | interpString | objectType | tupleType | "(" typeExpression ")" | IDENTIFIER typeArgs?` */
  private parsePrimaryType(): TypeExpression {
    const token = this.token();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case TokenKind.Integer:
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
      case TokenKind.NullKeyword:
      case TokenKind.StringComplete:
      case TokenKind.StringLeftPiece:
      case TokenKind.MultilineString: {
        const literal = this.parsePrimary();
        return literal.kind === 'Integer' ||
          literal.kind === 'Boolean' ||
          literal.kind === 'Null' ||
          literal.kind === 'String' ||
          literal.kind === 'Missing'
          ? literal
          : { kind: 'Error', span: literal.span };
      }
      case TokenKind.OpenBrace:
        return this.parseObjectType();
      case TokenKind.OpenBracket:
        return this.parseTupleType();
      case TokenKind.OpenParen: {
        const open = this.advance();
        this.closers.push(TokenKind.CloseParen);
        let inner: TypeExpression;
        try {
          inner = this.parseTypeExpression();
        } finally {
          this.closers.pop();
        }
        this.closeList(TokenKind.CloseParen, { start: open.start, end: open.end }, 'Missing ")" to close the parentheses');
        return { kind: 'ParenType', span: this.spanFrom(open.start), type: inner };
      }
      case TokenKind.Identifier: {
        this.advance();
        const args = this.at(TokenKind.Less) ? this.parseTypeArguments() : undefined;
        return { kind: 'TypeRef', span: this.spanFrom(token.start), name: this.textOf(token), nameSpan: span, args };
      }
      default:
        this.errorAtNext('BICEP020', 'Expected a type');
        return this.missing();
    }
  }

  /** `typeArgs -> "<" typeExpression ("," typeExpression)* ">"` */
  private parseTypeArguments(): TypeExpression[] {
    const open = this.advance();
    const args: TypeExpression[] = [];
    if (!this.at(TokenKind.Greater)) {
      this.parseList(TokenKind.Greater, ListStyle.Commas, args, () => {
        const type = this.parseTypeExpression();
        if (type.kind === 'Missing') {
          const skipped = this.skipUntil([TokenKind.Comma, TokenKind.Greater]);
          return skipped ? { kind: 'Error', span: skipped } : type;
        }
        return type;
      });
    }
    this.closeList(TokenKind.Greater, { start: open.start, end: open.end }, 'Missing ">" to close the type arguments');
    return args;
  }

  /** `objectType -> "{" (NL* objectTypeProperty ((NL+ | ",") objectTypeProperty)*)? NL* "}"` */
  private parseObjectType(): ObjectType {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const properties: (ObjectTypeProperty | ErrorNode)[] = [];
    this.parseList(TokenKind.CloseBrace, ListStyle.Lines, properties, () => this.parseObjectTypeProperty());
    const closeSpan = this.closeList(TokenKind.CloseBrace, openSpan, 'Missing "}" to close this object type');
    return { kind: 'ObjectType', span: this.spanFrom(open.start), properties, openSpan, closeSpan };
  }

  /** `objectTypeProperty -> decorator* (IDENTIFIER | interpString | "*") ":" typeExpression` */
  private parseObjectTypeProperty(): ObjectTypeProperty | ErrorNode {
    const start = this.token().start;
    const decorators = this.parseDecorators();
    const keyToken = this.token();
    let keyName: string | undefined;
    let keySpan: Span;
    if (keyToken.kind === TokenKind.Identifier || keyToken.kind === TokenKind.Star) {
      this.advance();
      keyName = this.textOf(keyToken);
      keySpan = { start: keyToken.start, end: keyToken.end };
    } else if (STRING_STARTS.has(keyToken.kind)) {
      const key = this.parseString();
      keyName = key.expressions.length === 0 ? key.segments.join('') : undefined;
      keySpan = key.span;
    } else {
      this.errorAtNext('BICEP016', 'Expected a property name');
      const rest = this.skipToError();
      return { kind: 'Error', span: { start, end: Math.max(start, rest.span.end) } };
    }
    const colonSpan = this.expect(TokenKind.Colon, 'BICEP015', 'Expected ":" after the property name');
    let value: TypeExpression;
    if (colonSpan.start === colonSpan.end) {
      value = this.missing();
      this.skipUntil();
    } else {
      value = this.parseTypeExpression();
      if (value.kind === 'Missing') {
        this.skipUntil();
      }
    }
    return { kind: 'TypeProperty', span: this.spanFrom(start), decorators, keyName, keySpan, colonSpan, value };
  }

  /** `tupleType -> "[" (NL* decorator* typeExpression ((NL+ | ",") decorator* typeExpression)*)? NL* "]"` */
  private parseTupleType(): TupleType {
    const open = this.advance();
    const openSpan = { start: open.start, end: open.end };
    const items: TypeExpression[] = [];
    this.parseList(TokenKind.CloseBracket, ListStyle.Lines, items, () => {
      this.parseDecorators();
      const type = this.parseTypeExpression();
      if (type.kind === 'Missing') {
        const skipped = this.skipUntil();
        return skipped ? { kind: 'Error', span: skipped } : type;
      }
      return type;
    });
    const closeSpan = this.closeList(TokenKind.CloseBracket, openSpan, 'Missing "]" to close this tuple type');
    return { kind: 'TupleType', span: this.spanFrom(open.start), items, openSpan, closeSpan };
  }
}

/** The opener matching a closer. */
function openerOf(closer: TokenKind): TokenKind {
  switch (closer) {
    case TokenKind.CloseBrace:
      return TokenKind.OpenBrace;
    case TokenKind.CloseBracket:
      return TokenKind.OpenBracket;
    default:
      return TokenKind.OpenParen;
  }
}

/** Diagnostics in source order (stable for equal starts). */
function sortDiagnostics(diagnostics: SyntaxDiagnostic[]): SyntaxDiagnostic[] {
  return diagnostics
    .map((d, i) => [d, i] as const)
    .sort((a, b) => a[0].span.start - b[0].span.start || a[1] - b[1])
    .map(([d]) => d);
}
