/**
 * The HCL native syntax tree, after hashicorp/hcl `hclsyntax/spec.md`.
 *
 * The tree is lossless through its token list: concatenating the text of every token in `ConfigFile.tokens`
 * reproduces the input exactly. Nodes hold spans (half-open UTF-16 offsets) rather than text, so the source must be
 * kept beside the tree; `text` fields are the decoded values of literals only.
 */
import type { Span } from '../../text/span';

/** Every kind of token the HCL lexer produces, trivia included. */
export enum TokenKind {
  Whitespace,
  Newline,
  LineComment, // `# …` or `// …`, without the line break
  BlockComment, // `/* … */`
  Identifier,
  Number,
  OpenQuote, // `"`
  CloseQuote,
  TemplateLiteral, // literal text inside a quoted template or heredoc
  TemplateInterp, // `${` or `${~`
  TemplateControl, // `%{` or `%{~`
  TemplateSeqEnd, // `}` or `~}` closing an interpolation or directive
  HeredocBegin, // `<<EOT` or `<<-EOT` including the line break after the marker
  HeredocEnd, // the closing marker line (leading whitespace included)
  OpenBrace,
  CloseBrace,
  OpenBracket,
  CloseBracket,
  OpenParen,
  CloseParen,
  Comma,
  Dot,
  Ellipsis, // `...`
  Star,
  Equals,
  Colon,
  Question,
  FatArrow, // `=>`
  Plus,
  Minus,
  Slash,
  Percent,
  Bang,
  EqualOp, // `==`
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  And, // `&&`
  Or, // `||`
  Unknown, // any character that starts no token; reported as a diagnostic
  EOF,
}

/** One token: its kind and its span; the text is `source.slice(start, end)`. */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

/** A syntax error or warning found while lexing or parsing. */
export interface SyntaxDiagnostic {
  /** A stable code such as `HCL001`. */
  code: string;
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}

/** The root of one parsed file. */
export interface ConfigFile {
  kind: 'ConfigFile';
  span: Span;
  body: Body;
  /** Every token of the file, trivia included, ending with EOF (made from the lexer's arrays when first read). */
  readonly tokens: Token[];
}

/** `Body = (Attribute | Block | OneLineBlock)*;` */
export interface Body {
  kind: 'Body';
  span: Span;
  items: BodyItem[];
}

/** What a body may hold; `ErrorItem` wraps tokens skipped during recovery. */
export type BodyItem = Attribute | Block | ErrorItem;

/** `Attribute = Identifier "=" Expression Newline;` */
export interface Attribute {
  kind: 'Attribute';
  /** From the name to the end of the expression (no trailing newline or comment). */
  span: Span;
  name: string;
  nameSpan: Span;
  equalsSpan: Span;
  expr: Expression;
}

/** `Block = Identifier (StringLit|Identifier)* "{" Newline Body "}" Newline;` (one-line blocks too). */
export interface Block {
  kind: 'Block';
  /** From the type name to the closing brace (or to where recovery stopped). */
  span: Span;
  type: string;
  typeSpan: Span;
  labels: BlockLabel[];
  openBrace: Span;
  /** Zero-width at the point of recovery when the closing brace is missing. */
  closeBrace: Span;
  isCloseBraceMissing: boolean;
  body: Body;
}

/** A block label: a quoted string or a bare identifier. */
export interface BlockLabel {
  /** The decoded label text. */
  value: string;
  span: Span;
  isQuoted: boolean;
}

/** Tokens the parser skipped while recovering; kept so nothing is dropped. */
export interface ErrorItem {
  kind: 'Error';
  span: Span;
}

/** `Expression = ExprTerm | Operation | Conditional;` and everything below it. */
export type Expression =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | FunctionCallExpr
  | ForExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | ConditionalExpr
  | UnaryExpr
  | BinaryExpr
  | ParenExpr
  | MissingExpr;

/** `LiteralValue = NumericLit | "true" | "false" | "null";` */
export interface LiteralExpr {
  kind: 'Literal';
  span: Span;
  value: number | boolean | null;
}

/** A quoted template (`"…"`) or a heredoc (`<<EOT … EOT`), as a list of parts. */
export interface TemplateExpr {
  kind: 'Template';
  span: Span;
  isHeredoc: boolean;
  /** For heredocs, whether it is the indented form `<<-`. */
  isIndentedHeredoc: boolean;
  parts: TemplatePart[];
}

/** One piece of a template: literal text, an interpolation or a directive. */
export type TemplatePart = TemplateLiteralPart | TemplateInterpPart | TemplateIfPart | TemplateForPart;

/** Literal text of a template with escapes decoded (`$${` → `${`, `\n` → newline in quoted templates). */
export interface TemplateLiteralPart {
  kind: 'TemplateLiteral';
  span: Span;
  value: string;
}

/** `"${" "~"? Expression "~"? "}"` */
export interface TemplateInterpPart {
  kind: 'TemplateInterp';
  span: Span;
  expr: Expression;
  stripLeft: boolean;
  stripRight: boolean;
}

/** `%{ if cond }…%{ else }…%{ endif }` */
export interface TemplateIfPart {
  kind: 'TemplateIf';
  span: Span;
  condition: Expression;
  then: TemplatePart[];
  else: TemplatePart[] | undefined;
}

/** `%{ for k, v in coll }…%{ endfor }` */
export interface TemplateForPart {
  kind: 'TemplateFor';
  span: Span;
  keyVar: string | undefined;
  valueVar: string;
  collection: Expression;
  body: TemplatePart[];
}

/** `Tuple = "[" (Expression ("," Expression)* ","?)? "]";` */
export interface TupleExpr {
  kind: 'Tuple';
  span: Span;
  items: Expression[];
  openBracket: Span;
  closeBracket: Span;
}

/** `Object = "{" (ObjectElem (( "," | Newline) ObjectElem)* ("," | Newline)?)? "}";` */
export interface ObjectExpr {
  kind: 'Object';
  span: Span;
  items: ObjectItem[];
  openBrace: Span;
  closeBrace: Span;
}

/** `ObjectElem = (Identifier | Expression) ("=" | ":") Expression;` */
export interface ObjectItem {
  span: Span;
  /** A bare identifier key is a `Variable` expression whose name is the key; `(expr)` keys are `Paren`. */
  key: Expression;
  /** The key as text when it is a bare identifier or a literal string; otherwise undefined. */
  keyName: string | undefined;
  separatorSpan: Span;
  value: Expression;
}

/** `FunctionCall = Identifier ("::" Identifier)* "(" Arguments ")";` */
export interface FunctionCallExpr {
  kind: 'FunctionCall';
  span: Span;
  /** The full name, with provider namespaces joined by `::` (`provider::aws::arn_parse`). */
  name: string;
  nameSpan: Span;
  args: Expression[];
  /** Whether the last argument is followed by `...`. */
  hasExpandFinal: boolean;
}

/** `ForExpr = forTupleExpr | forObjectExpr;` */
export interface ForExpr {
  kind: 'For';
  span: Span;
  isObject: boolean;
  keyVar: string | undefined;
  valueVar: string;
  collection: Expression;
  /** The value expression for tuples; the key expression for objects. */
  keyExpr: Expression | undefined;
  valueExpr: Expression;
  isGrouped: boolean;
  condition: Expression | undefined;
}

/** A root variable reference such as `var`, `local`, `aws_s3_bucket` (traversals wrap it). */
export interface VariableExpr {
  kind: 'Variable';
  span: Span;
  name: string;
}

/** `GetAttr = "." Identifier;` applied to `target`; legacy index `.0` has a numeric `name`. */
export interface GetAttrExpr {
  kind: 'GetAttr';
  span: Span;
  target: Expression;
  name: string;
  nameSpan: Span;
}

/** `Index = "[" Expression "]";` applied to `target`. */
export interface IndexExpr {
  kind: 'Index';
  span: Span;
  target: Expression;
  key: Expression;
}

/** `Splat = attrSplat | fullSplat;` — `target.*.a` or `target[*].a`; `traversal` holds what follows the splat. */
export interface SplatExpr {
  kind: 'Splat';
  span: Span;
  target: Expression;
  isFull: boolean;
  /** The attribute and index steps after the splat marker, applied to each element. */
  traversal: (GetAttrStep | IndexStep)[];
}

/** One `.name` step after a splat. */
export interface GetAttrStep {
  kind: 'GetAttrStep';
  name: string;
  span: Span;
}

/** One `[key]` step after a splat. */
export interface IndexStep {
  kind: 'IndexStep';
  key: Expression;
  span: Span;
}

/** `Conditional = Expression "?" Expression ":" Expression;` */
export interface ConditionalExpr {
  kind: 'Conditional';
  span: Span;
  condition: Expression;
  trueExpr: Expression;
  falseExpr: Expression;
}

/** `unaryOp = ("-" | "!") ExprTerm;` */
export interface UnaryExpr {
  kind: 'Unary';
  span: Span;
  operator: '-' | '!';
  operand: Expression;
}

/** The binary operators of `binaryOp`, with HCL's precedence handled by the parser. */
export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** `binaryOp = ExprTerm binaryOperator ExprTerm;` */
export interface BinaryExpr {
  kind: 'Binary';
  span: Span;
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

/** `"(" Expression ")"` */
export interface ParenExpr {
  kind: 'Paren';
  span: Span;
  expr: Expression;
}

/** A zero-width placeholder where an expression was required but absent; always paired with a diagnostic. */
export interface MissingExpr {
  kind: 'Missing';
  span: Span;
}

/** The result of parsing one HCL file: always a tree, plus any syntax diagnostics. */
export interface HclParseResult {
  tree: ConfigFile;
  diagnostics: SyntaxDiagnostic[];
}
