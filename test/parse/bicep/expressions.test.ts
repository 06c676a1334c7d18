/**
 * Bicep expressions, table-driven: each input parses to the expected tree (printed as an s-expression) with no
 * diagnostics, or reports the expected diagnostic codes. Declarations-level constructs (decorators, loop filters,
 * nested resources) are checked through whole files.
 */
import * as assert from 'node:assert/strict';
import { parseBicep, parseBicepExpression } from '../../../server/src/parse/bicep/parser';
import type { Expression, ObjectItem } from '../../../server/src/parse/bicep/syntax';

/** A compact s-expression of an expression tree. */
function sexpr(e: Expression): string {
  switch (e.kind) {
    case 'Integer':
    case 'Boolean':
      return String(e.value);
    case 'Null':
      return 'null';
    case 'String': {
      const parts: string[] = [];
      e.segments.forEach((s, i) => {
        if (s !== '') {
          parts.push(JSON.stringify(s));
        }
        const inner = e.expressions[i];
        if (inner) {
          parts.push(sexpr(inner));
        }
      });
      return parts.length === 1 && e.expressions.length === 0 ? (parts[0] as string) : `(${e.isMultiline ? 'mstr' : 'str'} ${parts.join(' ')})`;
    }
    case 'Array':
      return `[${e.items.map((i) => (i.kind === 'Spread' ? `...${sexpr(i.expr)}` : sexpr(i))).join(' ')}]`;
    case 'Object':
      return `{${e.items.map(item).join(' ')}}`;
    case 'Variable':
      return e.name;
    case 'Call':
      return `(${e.target ? `${sexpr(e.target)}.` : ''}${e.name}${e.args.map((a) => ` ${sexpr(a)}`).join('')})`;
    case 'Member':
      return `(${e.isSafe ? '.?' : '.'} ${sexpr(e.target)} ${e.name})`;
    case 'Index':
      return `([${e.isSafe ? '?' : ''}${e.isFromEnd ? '^' : ''}] ${sexpr(e.target)} ${sexpr(e.index)})`;
    case 'ResourceAccess':
      return `(:: ${sexpr(e.target)} ${e.name})`;
    case 'NonNull':
      return `(nonnull ${sexpr(e.target)})`;
    case 'Unary':
      return `(${e.operator} ${sexpr(e.operand)})`;
    case 'Binary':
      return `(${e.operator} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'Ternary':
      return `(? ${sexpr(e.condition)} ${sexpr(e.trueExpr)} ${sexpr(e.falseExpr)})`;
    case 'Paren':
      return `(paren ${sexpr(e.expr)})`;
    case 'Lambda':
      return `(=> (${e.parameters.map((p) => p.name).join(' ')}) ${sexpr(e.body)})`;
    case 'For':
      return `(for ${e.itemVariable.name}${e.indexVariable ? ` ${e.indexVariable.name}` : ''} ${sexpr(e.collection)} ${sexpr(e.body)})`;
    case 'If':
      return `(if ${sexpr(e.condition)} ${sexpr(e.body)})`;
    case 'Missing':
      return '<missing>';
    case 'Error':
      return '<error>';
  }
}

function item(i: ObjectItem): string {
  switch (i.kind) {
    case 'Property':
      return `${i.keyName ?? '?'}:${sexpr(i.value)}`;
    case 'Spread':
      return `...${sexpr(i.expr)}`;
    case 'Resource':
      return `resource ${i.name.name}`;
    case 'Error':
      return '<error>';
  }
}

const cases: { name: string; input: string; expected: string }[] = [
  { name: 'multiplication binds tighter than addition', input: '1 + 2 * 3', expected: '(+ 1 (* 2 3))' },
  { name: 'left associativity', input: 'a - b - c', expected: '(- (- a b) c)' },
  { name: 'modulo and division', input: 'a / b % c', expected: '(% (/ a b) c)' },
  { name: 'comparison over addition', input: 'a + 1 < b', expected: '(< (+ a 1) b)' },
  { name: 'equality under comparison', input: 'a == b < c', expected: '(== a (< b c))' },
  { name: 'and over or', input: 'a || b && c', expected: '(|| a (&& b c))' },
  { name: 'coalesce is the loosest binary operator', input: 'a ?? b || c', expected: '(?? a (|| b c))' },
  { name: 'coalesce is left-associative', input: 'a ?? b ?? c', expected: '(?? (?? a b) c)' },
  { name: 'case-insensitive comparisons', input: "a =~ 'x' && b !~ 'y'", expected: '(&& (=~ a "x") (!~ b "y"))' },
  { name: 'unary operators', input: '!a && -b', expected: '(&& (! a) (- b))' },
  { name: 'unary binds looser than member access', input: '!a.b', expected: '(! (. a b))' },
  { name: 'negative literal', input: '-1', expected: '(- 1)' },
  { name: 'ternary is right-associative', input: 'a ? b : c ? d : e', expected: '(? a b (? c d e))' },
  { name: 'ternary over coalesce', input: 'a ?? b ? c : d', expected: '(? (?? a b) c d)' },
  { name: 'ternary across lines', input: 'a\n  ? b\n  : c', expected: '(? a b c)' },
  { name: 'parentheses', input: '(1 + 2) * 3', expected: '(* (paren (+ 1 2)) 3)' },
  { name: 'safe member access', input: 'a.?b.c', expected: '(. (.? a b) c)' },
  { name: 'safe index access', input: 'a[?0]', expected: '([?] a 0)' },
  { name: 'index from the end', input: 'a[^1]', expected: '([^] a 1)' },
  { name: 'non-null assertion', input: 'a!.b', expected: '(. (nonnull a) b)' },
  { name: 'nested resource access', input: 'a::b.id', expected: '(. (:: a b) id)' },
  { name: 'function call', input: "concat('a', b)", expected: '(concat "a" b)' },
  { name: 'namespaced call', input: 'az.resourceGroup().location', expected: '(. (az.resourceGroup) location)' },
  { name: 'instance function call', input: 'stg.listKeys().keys[0]', expected: '([] (. (stg.listKeys) keys) 0)' },
  { name: 'multi-line call', input: "f(\n  'a',\n  'b'\n)", expected: '(f "a" "b")' },
  { name: 'lambda with one parameter', input: 'map(xs, x => x.name)', expected: '(map xs (=> (x) (. x name)))' },
  { name: 'lambda with parameters', input: '(a, b) => a + b', expected: '(=> (a b) (+ a b))' },
  { name: 'lambda without parameters', input: '() => 1', expected: '(=> () 1)' },
  { name: 'lambda body on the next line', input: 'x =>\n  x', expected: '(=> (x) x)' },
  { name: 'lambda parameters with a comma starting a line', input: '(\n  a\n  ,b) => a', expected: '(=> (a b) a)' },
  { name: 'for expression', input: '[for x in xs: x.name]', expected: '(for x xs (. x name))' },
  { name: 'for with index', input: '[for (x, i) in xs: i]', expected: '(for x i xs i)' },
  { name: 'for across lines', input: '[\n  for x in xs: {\n    n: x\n  }\n]', expected: '(for x xs {n:x})' },
  { name: 'string', input: "'abc'", expected: '"abc"' },
  { name: 'escapes', input: "'a\\'b\\\\c\\n\\t\\${x}\\u{1F600}'", expected: JSON.stringify("a'b\\c\n\t${x}😀") },
  { name: 'interpolation', input: "'a${b}c${d}'", expected: '(str "a" b "c" d)' },
  { name: 'nested interpolation', input: "'a${'b${c}'}'", expected: '(str "a" (str "b" c))' },
  { name: 'object in interpolation', input: "'${{ a: 1 }.a}'", expected: '(str (. {a:1} a))' },
  { name: 'multi-line string', input: "'''\nline ${x}\n'''", expected: JSON.stringify('line ${x}\n') },
  { name: 'multi-line string ending in quotes', input: "'''it's'''''", expected: JSON.stringify("it's''") },
  { name: 'interpolated multi-line string', input: "$'''\na${b}\n'''", expected: '(mstr "a" b "\\n")' },
  { name: 'interpolated multi-line string with two dollars', input: "$$'''${a}$${b}'''", expected: '(mstr "${a}" b)' },
  { name: 'array across lines and commas', input: "['a', 'b'\n'c']", expected: '["a" "b" "c"]' },
  { name: 'array spread', input: '[...a, 1]', expected: '[...a 1]' },
  { name: 'object with quoted key and spread', input: "{ ...base, 'b-c': 2\n  d: 3 }", expected: '{...base b-c:2 d:3}' },
  { name: 'keywords as property names', input: '{ resource: 1, if: 2, param: 3 }', expected: '{resource:1 if:2 param:3}' },
  { name: 'empty object and array', input: '[{}, []]', expected: '[{} []]' },
  { name: 'literals', input: '[true, false, null, 0, 42]', expected: '[true false null 0 42]' },
];

describe('Bicep expressions', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { expr, diagnostics } = parseBicepExpression(c.input);
      assert.deepEqual(diagnostics, []);
      assert.equal(sexpr(expr), c.expected);
    });
  }
});

const errorCases: { name: string; input: string; codes: string[] }[] = [
  { name: 'missing right operand', input: '1 +', codes: ['BICEP014'] },
  { name: 'operator on the next line', input: '1\n+ 2', codes: ['BICEP026'] },
  { name: 'missing ternary colon', input: 'a ? b', codes: ['BICEP015'] },
  { name: 'missing member name', input: 'a.', codes: ['BICEP025'] },
  { name: 'empty index', input: 'a[]', codes: ['BICEP014'] },
  { name: 'unclosed call', input: 'f(1', codes: ['BICEP017'] },
  { name: 'trailing comma in a call', input: 'f(1,)', codes: ['BICEP024'] },
  { name: 'missing comma between arguments', input: 'f(1 2)', codes: ['BICEP018'] },
  { name: 'arguments on separate lines without a comma', input: 'f(\n1\n2\n)', codes: ['BICEP018'] },
  { name: 'a comma starting a line in arguments', input: 'f(\n1\n,2)', codes: ['BICEP018'] },
  { name: 'a trailing comma in lambda parameters', input: '(\n  a,\n  ,) => 1', codes: ['BICEP014'] },
  { name: 'missing separator in an object', input: '{ a: 1 b: 2 }', codes: ['BICEP018'] },
  { name: 'new line after a comma in an array', input: "['a',\n'b']", codes: ['BICEP019'] },
  { name: 'unclosed array', input: '[1, 2', codes: ['BICEP017'] },
  { name: 'lambda with a non-name parameter', input: '(1) => 2', codes: ['BICEP012'] },
  { name: 'two expressions in parentheses', input: '(1, 2)', codes: ['BICEP014'] },
  { name: 'for without in', input: '[for x xs: x]', codes: ['BICEP023'] },
  { name: 'unterminated string', input: "'abc", codes: ['BICEP004'] },
  { name: 'double-quoted string', input: '"abc"', codes: ['BICEP002', 'BICEP002'] },
  { name: 'invalid escape', input: "'\\q'", codes: ['BICEP007'] },
  { name: 'unterminated multi-line string', input: "'''abc", codes: ['BICEP006'] },
  { name: 'unexpected character', input: 'a & b', codes: ['BICEP001'] },
];

describe('Bicep expressions: errors', () => {
  for (const c of errorCases) {
    it(c.name, () => {
      const { diagnostics } = parseBicepExpression(c.input);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        c.codes,
      );
    });
  }
});

describe('Bicep declarations', () => {
  it('attaches decorators, with namespaces and arguments, to their declaration', () => {
    const { tree, diagnostics } = parseBicep("@sys.description('x')\n@minLength(1)\n\n@secure()\nparam p string\n");
    assert.deepEqual(diagnostics, []);
    const [param] = tree.declarations;
    assert.equal(param?.kind, 'Parameter');
    assert.deepEqual(
      param?.kind === 'Parameter' ? param.decorators.map((d) => sexpr(d.expr)) : [],
      ['(sys.description "x")', '(minLength 1)', '(secure)'],
    );
    assert.equal(param?.span.start, 0);
  });

  it('reads loop filters and conditions of resources', () => {
    const { tree, diagnostics } = parseBicep("resource r 'A.B/c@1' = [for (x, i) in xs: if (i > 0) {\n  name: x\n}]\n");
    assert.deepEqual(diagnostics, []);
    const r = tree.declarations[0];
    assert.equal(r?.kind === 'Resource' ? sexpr(r.value) : '', '(for x i xs (if (paren (> i 0)) {name:x}))');
  });

  it('reads nested resources (with decorators) inside resource bodies only', () => {
    const { tree, diagnostics } = parseBicep(
      "resource r 'A.B/c@1' = {\n  @batchSize(1)\n  resource child 'd' = [for x in xs: {}]\n  resource: 'a property'\n}\nvar v = {\n  resource: 1\n}\n",
    );
    assert.deepEqual(diagnostics, []);
    const r = tree.declarations[0];
    assert.equal(r?.kind === 'Resource' ? sexpr(r.value) : '', '{resource child resource:"a property"}');
    const v = tree.declarations[1];
    assert.equal(v?.kind === 'Variable' ? sexpr(v.value) : '', '{resource:1}');
  });

  it('keeps #disable-next-line and the pragmas as trivia', () => {
    const { tree, diagnostics } = parseBicep('#disable-next-line BCP081 no-unused-params\nparam p string\n');
    assert.deepEqual(diagnostics, []);
    assert.equal(tree.declarations.length, 1);
  });
});
