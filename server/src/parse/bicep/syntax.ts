/**
 * The Bicep syntax tree, after Azure/bicep `docs/grammar.md` and the productions of `src/Bicep.Core/Parsing/`
 * (`Parser.cs`, `BaseParser.cs`), which are the grammar of record where the document lags behind the language.
 *
 * The tree is lossless through its token list: concatenating the text of every token in `BicepFile.tokens`
 * reproduces the input exactly. Nodes hold spans (half-open UTF-16 offsets) rather than text, so the source must be
 * kept beside the tree; `value` fields are the decoded values of literals only. Where a required part is absent the
 * node still has it, as a zero-width span or a `Missing` node, so the tree shape is always complete.
 */
import type { Span } from '../../text/span';

/** Every kind of token the Bicep lexer produces, trivia included. */
export enum TokenKind {
  Whitespace, // spaces and tabs (and a leading byte order mark)
  Newline, // a run of line break characters; significant to the parser
  LineComment, // `// …`, without the line break
  BlockComment, // `/* … */`
  Directive, // `#disable-next-line code…` at the start of a line, without trailing whitespace or comment
  Identifier,
  Integer,
  TrueKeyword,
  FalseKeyword,
  NullKeyword,
  StringComplete, // `'…'`
  StringLeftPiece, // `'…${`
  StringMiddlePiece, // `}…${`
  StringRightPiece, // `}…'` (zero-width when a line break ends an interpolation)
  MultilineString, // `'''…'''`
  At, // `@`
  OpenBrace,
  CloseBrace,
  OpenParen,
  CloseParen,
  OpenBracket,
  CloseBracket,
  Comma,
  Dot,
  Ellipsis, // `...`
  Question,
  DoubleQuestion, // `??`
  Colon,
  DoubleColon, // `::`
  Semicolon,
  Assignment, // `=`
  Arrow, // `=>`
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang, // `!`
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  EqualOp, // `==`
  NotEqual, // `!=`
  EqualInsensitive, // `=~`
  NotEqualInsensitive, // `!~`
  And, // `&&`
  Or, // `||`
  Pipe, // `|`
  Hat, // `^`
  Unknown, // a character that starts no token; reported as a diagnostic
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
  /** A stable code such as `BICEP012`. */
  code: string;
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}

/** The result of parsing one Bicep file: always a tree, plus any syntax diagnostics. */
export interface BicepParseResult {
  tree: BicepFile;
  diagnostics: SyntaxDiagnostic[];
}

/** `program -> statement* EOF` */
export interface BicepFile {
  kind: 'File';
  span: Span;
  declarations: Declaration[];
  /** Every token of the file, trivia included, ending with EOF. */
  tokens: Token[];
}

/** A name written in the source; `name` is empty and the span zero-width where the parser expected one. */
export interface Identifier {
  name: string;
  span: Span;
}

/** `decorator -> "@" decoratorExpression NL` */
export interface Decorator {
  span: Span;
  atSpan: Span;
  /** A call (`secure()`), a namespaced call (`sys.description('…')`) or a bare name. */
  expr: Expression;
}

/** What may appear at the top level of a file. */
export type Declaration =
  | ParameterDeclaration
  | VariableDeclaration
  | OutputDeclaration
  | ResourceDeclaration
  | ModuleDeclaration
  | TestDeclaration
  | TargetScopeDeclaration
  | MetadataDeclaration
  | TypeDeclaration
  | FunctionDeclaration
  | ImportDeclaration
  | ExtensionDeclaration
  | UsingDeclaration
  | ExtendsDeclaration
  | AssertDeclaration
  | MissingDeclaration
  | ErrorNode;

/** Fields of every declaration. */
interface DeclarationBase {
  /** From the first decorator (or the keyword) to the end of the declaration. */
  span: Span;
  decorators: Decorator[];
  keywordSpan: Span;
}

/** `parameterDecl -> decorator* "param" IDENTIFIER type ("=" expression)?` */
export interface ParameterDeclaration extends DeclarationBase {
  kind: 'Parameter';
  name: Identifier;
  type: TypeExpression;
  /** The `=` before the default value; undefined when there is no default. */
  equalsSpan: Span | undefined;
  defaultValue: Expression | undefined;
}

/** `variableDecl -> decorator* "var" IDENTIFIER type? "=" expression` */
export interface VariableDeclaration extends DeclarationBase {
  kind: 'Variable';
  name: Identifier;
  type: TypeExpression | undefined;
  equalsSpan: Span;
  value: Expression;
}

/** `outputDecl -> decorator* "output" IDENTIFIER (type | "resource" interpString?) "=" expression` */
export interface OutputDeclaration extends DeclarationBase {
  kind: 'Output';
  name: Identifier;
  type: TypeExpression;
  equalsSpan: Span;
  value: Expression;
}

/**
 * `resourceDecl -> decorator* "resource" IDENTIFIER interpString "existing"? "=" (ifCondition | object | forExpression)`;
 * also a nested child resource inside a resource body.
 */
export interface ResourceDeclaration extends DeclarationBase {
  kind: 'Resource';
  name: Identifier;
  /** The type string (`'Microsoft.Storage/storageAccounts@2023-01-01'`); `Missing` where absent. */
  typeString: Expression;
  /** The `existing` keyword, when present. */
  existingSpan: Span | undefined;
  equalsSpan: Span;
  /** An `Object`, an `If` whose body is the object, a `For` whose body is one of those, or `Missing`/`Skipped`. */
  value: Expression;
}

/** `moduleDecl -> decorator* "module" IDENTIFIER interpString "=" (ifCondition | object | forExpression)` */
export interface ModuleDeclaration extends DeclarationBase {
  kind: 'Module';
  name: Identifier;
  path: Expression;
  equalsSpan: Span;
  value: Expression;
}

/** `testDecl -> decorator* "test" IDENTIFIER interpString "=" object` */
export interface TestDeclaration extends DeclarationBase {
  kind: 'Test';
  name: Identifier;
  path: Expression;
  equalsSpan: Span;
  value: Expression;
}

/** `targetScopeDecl -> "targetScope" "=" expression` */
export interface TargetScopeDeclaration extends DeclarationBase {
  kind: 'TargetScope';
  equalsSpan: Span;
  value: Expression;
}

/** `metadataDecl -> "metadata" IDENTIFIER "=" expression` */
export interface MetadataDeclaration extends DeclarationBase {
  kind: 'Metadata';
  name: Identifier;
  equalsSpan: Span;
  value: Expression;
}

/** `typeDecl -> decorator* "type" IDENTIFIER "=" typeExpression` */
export interface TypeDeclaration extends DeclarationBase {
  kind: 'TypeAlias';
  name: Identifier;
  equalsSpan: Span;
  value: TypeExpression;
}

/** One `name type` parameter of a user-defined function. */
export interface TypedParameter {
  span: Span;
  name: Identifier;
  type: TypeExpression;
}

/** `functionDecl -> decorator* "func" IDENTIFIER "(" (IDENTIFIER type ("," IDENTIFIER type)*)? ")" type "=>" expression` */
export interface FunctionDeclaration extends DeclarationBase {
  kind: 'Function';
  name: Identifier;
  parameters: TypedParameter[];
  openParen: Span;
  closeParen: Span;
  returnType: TypeExpression;
  arrowSpan: Span;
  body: Expression;
}

/** One `name` or `name as alias` (or `'name' as alias`) of an import list. */
export interface ImportedSymbol {
  span: Span;
  /** The imported name, or a string literal naming it. */
  name: Identifier;
  alias: Identifier | undefined;
}

/** `importDecl -> decorator* "import" ("{" importedSymbol* "}" | "*" "as" IDENTIFIER) "from" interpString` */
export interface ImportDeclaration extends DeclarationBase {
  kind: 'Import';
  /** The listed symbols; undefined for a wildcard import. */
  symbols: ImportedSymbol[] | undefined;
  /** The namespace alias of `import * as alias`. */
  wildcardAlias: Identifier | undefined;
  fromSpan: Span;
  path: Expression;
}

/**
 * `extensionDecl -> decorator* ("extension" | "import") (IDENTIFIER | interpString) ("with" object)? ("as" IDENTIFIER)?`
 * (`import 'x@1.0'` is the older spelling of an extension declaration).
 */
export interface ExtensionDeclaration extends DeclarationBase {
  kind: 'Extension';
  specification: Expression;
  config: Expression | undefined;
  alias: Identifier | undefined;
}

/** `usingDecl -> "using" (interpString | "none") ("with" object)?` (parameter files; accepted anywhere). */
export interface UsingDeclaration extends DeclarationBase {
  kind: 'Using';
  path: Expression;
  config: Expression | undefined;
}

/** `extendsDecl -> "extends" interpString` (parameter files; accepted anywhere). */
export interface ExtendsDeclaration extends DeclarationBase {
  kind: 'Extends';
  path: Expression;
}

/** `assertDecl -> "assert" IDENTIFIER "=" expression` */
export interface AssertDeclaration extends DeclarationBase {
  kind: 'Assert';
  name: Identifier;
  equalsSpan: Span;
  value: Expression;
}

/** Decorators not followed by a declaration; always paired with a diagnostic. */
export interface MissingDeclaration extends DeclarationBase {
  kind: 'MissingDeclaration';
}

/** Tokens the parser skipped while recovering; kept so nothing is dropped. */
export interface ErrorNode {
  kind: 'Error';
  span: Span;
}

/** `expression` and everything below it. */
export type Expression =
  | IntegerLiteral
  | BooleanLiteral
  | NullLiteral
  | StringExpression
  | ArrayExpression
  | ObjectExpression
  | VariableAccess
  | CallExpression
  | MemberAccess
  | IndexAccess
  | ResourceAccess
  | NonNullAssertion
  | UnaryExpression
  | BinaryExpression
  | TernaryExpression
  | ParenExpression
  | LambdaExpression
  | ForExpression
  | IfCondition
  | MissingNode
  | ErrorNode;

/** `NUMBER` */
export interface IntegerLiteral {
  kind: 'Integer';
  span: Span;
  value: number;
}

/** `"true" | "false"` */
export interface BooleanLiteral {
  kind: 'Boolean';
  span: Span;
  value: boolean;
}

/** `"null"` */
export interface NullLiteral {
  kind: 'Null';
  span: Span;
}

/**
 * `interpString -> "'" STRINGCHAR* ("${" expression "}" STRINGCHAR*)* "'"`, or a multi-line `'''…'''` string.
 * `segments` are the decoded texts around the interpolations (one more than `expressions`).
 */
export interface StringExpression {
  kind: 'String';
  span: Span;
  segments: string[];
  expressions: Expression[];
  isMultiline: boolean;
}

/** `array -> "[" (NL* arrayItem ((NL+ | ",") arrayItem)*)? NL* "]"` */
export interface ArrayExpression {
  kind: 'Array';
  span: Span;
  items: ArrayItem[];
  openSpan: Span;
  /** Zero-width at the point of recovery when the closing bracket is missing. */
  closeSpan: Span;
}

/** What an array holds. */
export type ArrayItem = Expression | SpreadElement;

/** `object -> "{" (NL* objectItem ((NL+ | ",") objectItem)*)? NL* "}"` */
export interface ObjectExpression {
  kind: 'Object';
  span: Span;
  items: ObjectItem[];
  openSpan: Span;
  /** Zero-width at the point of recovery when the closing brace is missing. */
  closeSpan: Span;
}

/** What an object holds: properties, spreads, and (in resource bodies) nested child resources. */
export type ObjectItem = ObjectProperty | SpreadElement | ResourceDeclaration | ErrorNode;

/** `objectProperty -> (IDENTIFIER | interpString) ":" expression` */
export interface ObjectProperty {
  kind: 'Property';
  /** From the key to the end of the value. */
  span: Span;
  /** The key's text: the identifier, or the decoded string when it has no interpolation; otherwise undefined. */
  keyName: string | undefined;
  key: Identifier | StringExpression;
  keySpan: Span;
  colonSpan: Span;
  value: Expression;
}

/** `spread -> "..." expression` */
export interface SpreadElement {
  kind: 'Spread';
  span: Span;
  expr: Expression;
}

/** A reference to a symbol: `IDENTIFIER` */
export interface VariableAccess {
  kind: 'Variable';
  span: Span;
  name: string;
}

/** `functionCall -> (memberExpression ".")? IDENTIFIER "(" argumentList? ")"` */
export interface CallExpression {
  kind: 'Call';
  span: Span;
  /** The namespace or object before the dot (`az` in `az.resourceGroup()`); undefined for a plain call. */
  target: Expression | undefined;
  name: string;
  nameSpan: Span;
  args: Expression[];
  openParen: Span;
  /** Zero-width at the point of recovery when the closing parenthesis is missing. */
  closeParen: Span;
}

/** `memberExpression "." "?"? IDENTIFIER` */
export interface MemberAccess {
  kind: 'Member';
  span: Span;
  target: Expression;
  name: string;
  nameSpan: Span;
  /** Whether it is the safe-dereference form `.?`. */
  isSafe: boolean;
}

/** `memberExpression "[" "?"? "^"? expression "]"` */
export interface IndexAccess {
  kind: 'Index';
  span: Span;
  target: Expression;
  index: Expression;
  /** Whether it is the safe-dereference form `[?…]`. */
  isSafe: boolean;
  /** Whether it indexes from the end (`[^1]`). */
  isFromEnd: boolean;
}

/** `memberExpression "::" IDENTIFIER` (a nested resource of a resource). */
export interface ResourceAccess {
  kind: 'ResourceAccess';
  span: Span;
  target: Expression;
  name: string;
  nameSpan: Span;
}

/** `memberExpression "!"` */
export interface NonNullAssertion {
  kind: 'NonNull';
  span: Span;
  target: Expression;
}

/** The prefix operators. */
export type UnaryOperator = '!' | '-';

/** `unaryOperator unaryExpression` */
export interface UnaryExpression {
  kind: 'Unary';
  span: Span;
  operator: UnaryOperator;
  operand: Expression;
}

/** The binary operators, with Bicep's precedence handled by the parser. */
export type BinaryOperator =
  | '??'
  | '||'
  | '&&'
  | '=='
  | '!='
  | '=~'
  | '!~'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

/** `binaryExpression binaryOperator binaryExpression` */
export interface BinaryExpression {
  kind: 'Binary';
  span: Span;
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

/** `binaryExpression "?" expression ":" expression` */
export interface TernaryExpression {
  kind: 'Ternary';
  span: Span;
  condition: Expression;
  trueExpr: Expression;
  falseExpr: Expression;
}

/** `"(" expression ")"` */
export interface ParenExpression {
  kind: 'Paren';
  span: Span;
  expr: Expression;
}

/** `lambda -> (IDENTIFIER | "(" (IDENTIFIER ("," IDENTIFIER)*)? ")") "=>" expression` */
export interface LambdaExpression {
  kind: 'Lambda';
  span: Span;
  parameters: Identifier[];
  body: Expression;
}

/** `forExpression -> "[" "for" (IDENTIFIER | "(" IDENTIFIER "," IDENTIFIER ")") "in" expression ":" forBody "]"` */
export interface ForExpression {
  kind: 'For';
  span: Span;
  itemVariable: Identifier;
  indexVariable: Identifier | undefined;
  collection: Expression;
  /** The element expression; for resources and modules an `Object` or an `If` (the filter). */
  body: Expression;
  openSpan: Span;
  closeSpan: Span;
}

/** `ifCondition -> "if" "(" expression ")" object` */
export interface IfCondition {
  kind: 'If';
  span: Span;
  condition: Expression;
  body: Expression;
}

/** A zero-width placeholder where a part was required but absent; always paired with a diagnostic. */
export interface MissingNode {
  kind: 'Missing';
  span: Span;
}

/** Type expressions: `typeExpression -> "|"? unaryType ("|" unaryType)*` and below. */
export type TypeExpression =
  | TypeReference
  | TypeMemberAccess
  | TypeIndexAccess
  | ArrayType
  | ObjectType
  | TupleType
  | UnionType
  | NullableType
  | NonNullableType
  | ParenType
  | ResourceType
  | StringExpression
  | IntegerLiteral
  | BooleanLiteral
  | NullLiteral
  | UnaryType
  | MissingNode
  | ErrorNode;

/** A named type (`string`, `myType`), possibly parameterized (`resource<'Microsoft.X/y@2023-01-01'>`). */
export interface TypeReference {
  kind: 'TypeRef';
  span: Span;
  name: string;
  nameSpan: Span;
  /** The arguments between `<` and `>`; undefined when there are none. */
  args: TypeExpression[] | undefined;
}

/** `type "." (IDENTIFIER | "*")` (a member of an imported namespace, a property type, or `.*`). */
export interface TypeMemberAccess {
  kind: 'TypeMember';
  span: Span;
  target: TypeExpression;
  /** The member name, or `*` for additional properties. */
  name: string;
  args: TypeExpression[] | undefined;
}

/** `type "[" (expression | "*") "]"` */
export interface TypeIndexAccess {
  kind: 'TypeIndex';
  span: Span;
  target: TypeExpression;
  /** The index, or undefined for `[*]`. */
  index: Expression | undefined;
}

/** `type "[" "]"` */
export interface ArrayType {
  kind: 'ArrayType';
  span: Span;
  element: TypeExpression;
}

/** `"{" (objectTypeProperty (NL | ","))* "}"` */
export interface ObjectType {
  kind: 'ObjectType';
  span: Span;
  properties: (ObjectTypeProperty | ErrorNode)[];
  openSpan: Span;
  closeSpan: Span;
}

/** `decorator* (IDENTIFIER | interpString | "*") ":" typeExpression` */
export interface ObjectTypeProperty {
  kind: 'TypeProperty';
  span: Span;
  decorators: Decorator[];
  /** The key text; `*` for the additional-properties matcher; undefined when it cannot be read. */
  keyName: string | undefined;
  keySpan: Span;
  colonSpan: Span;
  value: TypeExpression;
}

/** `"[" (decorator* typeExpression (NL | ","))* "]"` */
export interface TupleType {
  kind: 'TupleType';
  span: Span;
  items: TypeExpression[];
  openSpan: Span;
  closeSpan: Span;
}

/** `unaryType ("|" unaryType)+` */
export interface UnionType {
  kind: 'UnionType';
  span: Span;
  members: TypeExpression[];
}

/** `type "?"` */
export interface NullableType {
  kind: 'NullableType';
  span: Span;
  base: TypeExpression;
}

/** `type "!"` */
export interface NonNullableType {
  kind: 'NonNullableType';
  span: Span;
  base: TypeExpression;
}

/** `"(" typeExpression ")"` */
export interface ParenType {
  kind: 'ParenType';
  span: Span;
  type: TypeExpression;
}

/** `"resource" interpString?` (the older resource-typed parameter and output syntax). */
export interface ResourceType {
  kind: 'ResourceType';
  span: Span;
  typeString: Expression | undefined;
}

/** `("-" | "!") type` (a negative integer literal type). */
export interface UnaryType {
  kind: 'UnaryType';
  span: Span;
  operator: UnaryOperator;
  operand: TypeExpression;
}
