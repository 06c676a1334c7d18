/**
 * Table-driven tests of the HCL expression grammar: precedence, templates, heredoc decoding, splats, `for`
 * expressions, calls and collections, printed as compact S-expressions; plus the entry points and the limits.
 */
import * as assert from 'node:assert/strict';
import { parseHcl, parseHclExpression, parseHclTemplate } from '../../../server/src/parse/hcl/parser';
import type { Expression, TemplatePart } from '../../../server/src/parse/hcl/syntax';

/** A compact rendering of an expression tree that makes grouping explicit. */
function show(expr: Expression): string {
  switch (expr.kind) {
    case 'Literal':
      return JSON.stringify(expr.value);
    case 'Variable':
      return expr.name;
    case 'GetAttr':
      return `${show(expr.target)}.${expr.name}`;
    case 'Index':
      return `${show(expr.target)}[${show(expr.key)}]`;
    case 'Splat': {
      const steps = expr.traversal
        .map((step) => (step.kind === 'GetAttrStep' ? `.${step.name}` : `[${show(step.key)}]`))
        .join('');
      return `${show(expr.target)}${expr.isFull ? '[*]' : '.*'}${steps}`;
    }
    case 'Binary':
      return `(${show(expr.left)} ${expr.operator} ${show(expr.right)})`;
    case 'Unary':
      return `(${expr.operator}${show(expr.operand)})`;
    case 'Conditional':
      return `(${show(expr.condition)} ? ${show(expr.trueExpr)} : ${show(expr.falseExpr)})`;
    case 'Paren':
      return `paren(${show(expr.expr)})`;
    case 'Template':
      return `${expr.isHeredoc ? 'heredoc' : 'tpl'}[${showParts(expr.parts)}]`;
    case 'Tuple':
      return `[${expr.items.map(show).join(', ')}]`;
    case 'Object':
      return `{${expr.items.map((item) => `${item.keyName ?? show(item.key)}=${show(item.value)}`).join(', ')}}`;
    case 'FunctionCall':
      return `${expr.name}(${expr.args.map(show).join(', ')}${expr.hasExpandFinal ? '...' : ''})`;
    case 'For': {
      const vars = expr.keyVar === undefined ? expr.valueVar : `${expr.keyVar}, ${expr.valueVar}`;
      const key = expr.keyExpr === undefined ? '' : `${show(expr.keyExpr)} => `;
      const group = expr.isGrouped ? '...' : '';
      const condition = expr.condition === undefined ? '' : ` if ${show(expr.condition)}`;
      return `for(${vars} in ${show(expr.collection)}: ${key}${show(expr.valueExpr)}${group}${condition})`;
    }
    case 'Missing':
      return '<missing>';
  }
}

function showParts(parts: TemplatePart[]): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'TemplateLiteral':
          return JSON.stringify(part.value);
        case 'TemplateInterp':
          return `\${${show(part.expr)}}`;
        case 'TemplateIf':
          return `%if(${show(part.condition)}){${showParts(part.then)}}${part.else ? `{${showParts(part.else)}}` : ''}`;
        case 'TemplateFor': {
          const vars = part.keyVar === undefined ? part.valueVar : `${part.keyVar}, ${part.valueVar}`;
          return `%for(${vars} in ${show(part.collection)}){${showParts(part.body)}}`;
        }
      }
    })
    .join(' ');
}

/** Parses `text` as the value of an attribute `x` in a file, so newline rules of bodies apply. */
function parseValue(text: string): { shown: string; errors: string[] } {
  const result = parseHcl(`x = ${text}\n`);
  const item = result.tree.body.items[0];
  const shown = item?.kind === 'Attribute' ? show(item.expr) : `<${item?.kind ?? 'nothing'}>`;
  return { shown, errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
}

interface Case {
  name: string;
  input: string;
  expected: string;
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const { shown, errors } = parseValue(c.input);
        assert.deepEqual(errors, [], `no errors for ${JSON.stringify(c.input)}`);
        assert.equal(shown, c.expected);
      });
    }
  });
}

table('HCL expressions: operator precedence', [
  { name: 'multiplication binds tighter than addition', input: '1 + 2 * 3', expected: '(1 + (2 * 3))' },
  { name: 'same level is left-associative', input: '1 - 2 - 3', expected: '((1 - 2) - 3)' },
  { name: 'modulo and multiplication share a level', input: 'a % b * c', expected: '((a % b) * c)' },
  { name: 'and binds tighter than or', input: 'a || b && c', expected: '(a || (b && c))' },
  { name: 'equality below comparison', input: 'a < b == c', expected: '((a < b) == c)' },
  { name: 'comparison below arithmetic', input: 'a + 1 >= b * 2', expected: '((a + 1) >= (b * 2))' },
  { name: 'equality above and', input: 'a == b && c != d', expected: '((a == b) && (c != d))' },
  { name: 'full ladder', input: 'a || b && c == d < e + f * g', expected: '(a || (b && (c == (d < (e + (f * g))))))' },
  { name: 'unary minus binds to the term', input: '-1 + 2', expected: '((-1) + 2)' },
  { name: 'unary applies to the traversal', input: '-a.b', expected: '(-a.b)' },
  { name: 'not before and', input: '!a && b', expected: '((!a) && b)' },
  { name: 'double negation', input: '!!a', expected: '(!(!a))' },
  { name: 'conditional is right-associative', input: 'a ? b : c ? d : e', expected: '(a ? b : (c ? d : e))' },
  { name: 'conditional below or', input: 'a || b ? c : d', expected: '((a || b) ? c : d)' },
  { name: 'conditional branches take operators', input: 'a ? b + 1 : c * 2', expected: '(a ? (b + 1) : (c * 2))' },
  { name: 'parentheses group', input: '(1 + 2) * 3', expected: '(paren((1 + 2)) * 3)' },
  { name: 'newlines inside parentheses', input: '(\n  1 +\n  2\n)', expected: 'paren((1 + 2))' },
  { name: 'division and subtraction', input: '10 / 2 - 1', expected: '((10 / 2) - 1)' },
]);

table('HCL expressions: literals and variables', [
  { name: 'integer', input: '42', expected: '42' },
  { name: 'fraction', input: '3.25', expected: '3.25' },
  { name: 'exponent', input: '1e3', expected: '1000' },
  { name: 'signed exponent', input: '25E-1', expected: '2.5' },
  { name: 'true', input: 'true', expected: 'true' },
  { name: 'false', input: 'false', expected: 'false' },
  { name: 'null', input: 'null', expected: 'null' },
  { name: 'variable', input: 'var', expected: 'var' },
  { name: 'identifier with dashes', input: 'a-b', expected: 'a-b' },
  { name: 'a space makes minus an operator', input: 'a - b', expected: '(a - b)' },
]);

table('HCL expressions: templates', [
  { name: 'plain string', input: '"abc"', expected: 'tpl["abc"]' },
  { name: 'empty string', input: '""', expected: 'tpl[]' },
  { name: 'escapes', input: '"\\n\\t\\r\\"\\\\"', expected: 'tpl["\\n\\t\\r\\"\\\\"]' },
  { name: 'unicode escapes', input: '"\\u00e9\\U0001F600"', expected: 'tpl["é😀"]' },
  { name: 'interpolation', input: '"a${b}c"', expected: 'tpl["a" ${b} "c"]' },
  { name: 'only an interpolation', input: '"${a.b}"', expected: 'tpl[${a.b}]' },
  { name: 'escaped interpolation', input: '"$${x}"', expected: 'tpl["${x}"]' },
  { name: 'escaped directive', input: '"%%{x}"', expected: 'tpl["%{x}"]' },
  { name: 'lone dollar and percent', input: '"$5 100% $ %"', expected: 'tpl["$5 100% $ %"]' },
  { name: 'strip markers', input: '"a ${~ b ~} c"', expected: 'tpl["a" ${b} "c"]' },
  { name: 'strip only the neighbour', input: '"a ${b~} c ${d} e"', expected: 'tpl["a " ${b} "c " ${d} " e"]' },
  { name: 'nested template', input: '"a${"b${c}"}"', expected: 'tpl["a" ${tpl["b" ${c}]}]' },
  { name: 'object inside interpolation', input: '"${ {a = 1}.a }"', expected: 'tpl[${{a=1}.a}]' },
  { name: 'if directive', input: '"%{ if a }x%{ endif }"', expected: 'tpl[%if(a){"x"}]' },
  { name: 'if else directive', input: '"%{if a}x%{else}y%{endif}"', expected: 'tpl[%if(a){"x"}{"y"}]' },
  {
    name: 'for directive',
    input: '"%{ for k, v in m }${k}=${v};%{ endfor }"',
    expected: 'tpl[%for(k, v in m){${k} "=" ${v} ";"}]',
  },
  {
    name: 'nested directives',
    input: '"%{for x in xs}%{if x}${x}%{endif}%{endfor}"',
    expected: 'tpl[%for(x in xs){%if(x){${x}}}]',
  },
  { name: 'directive strip markers', input: '"a %{~ if b ~} c %{~ endif ~} d"', expected: 'tpl["a" %if(b){"c"} "d"]' },
]);

table('HCL expressions: heredocs', [
  { name: 'plain heredoc keeps indentation', input: '<<EOT\n  a\n  b\nEOT', expected: 'heredoc["  a\\n  b\\n"]' },
  {
    name: 'indented heredoc removes common indent',
    input: '<<-EOT\n    a\n      b\n    EOT',
    expected: 'heredoc["a\\n  b\\n"]',
  },
  { name: 'empty lines do not count', input: '<<-EOT\n  a\n\n  b\n  EOT', expected: 'heredoc["a\\n\\nb\\n"]' },
  {
    name: 'whitespace-only lines keep their spaces',
    input: '<<-EOT\n  a\n    \n  b\nEOT',
    expected: 'heredoc["a\\n    \\nb\\n"]',
  },
  { name: 'tabs count as one space each', input: '<<-EOT\n\ta\n\t\tb\nEOT', expected: 'heredoc["a\\n\\tb\\n"]' },
  {
    name: 'interpolation after indentation',
    input: '<<-EOT\n  ${x}\n  y\nEOT',
    expected: 'heredoc["" ${x} "\\ny\\n"]',
  },
  {
    name: 'a line starting with an interpolation forbids trimming',
    input: '<<-EOT\n${x}\n  y\nEOT',
    expected: 'heredoc[${x} "\\n  y\\n"]',
  },
  { name: 'escaped interpolation in heredoc', input: '<<EOT\n$${a} %%{b}\nEOT', expected: 'heredoc["${a} %{b}\\n"]' },
  { name: 'no backslash escapes in heredocs', input: '<<EOT\na\\nb\nEOT', expected: 'heredoc["a\\\\nb\\n"]' },
  { name: 'closing marker may be indented', input: '<<EOT\nx\n    EOT', expected: 'heredoc["x\\n"]' },
  { name: 'marker text inside a line is content', input: '<<EOT\nnot EOT\nEOT', expected: 'heredoc["not EOT\\n"]' },
  { name: 'empty heredoc', input: '<<EOT\nEOT', expected: 'heredoc[]' },
  {
    name: 'directive in heredoc with strip markers',
    input: '<<EOT\n%{ for x in xs ~}\n${x}\n%{ endfor ~}\nEOT',
    expected: 'heredoc[%for(x in xs){"" ${x} "\\n"} ""]',
  },
  {
    name: 'heredoc as a call argument',
    input: 'f(<<EOT\na\nEOT\n)',
    expected: 'f(heredoc["a\\n"])',
  },
]);

table('HCL expressions: traversals and splats', [
  { name: 'attribute chain', input: 'a.b.c', expected: 'a.b.c' },
  { name: 'index', input: 'a[0]', expected: 'a[0]' },
  { name: 'string index', input: 'a["k"]', expected: 'a[tpl["k"]]' },
  { name: 'expression index', input: 'a[i + 1]', expected: 'a[(i + 1)]' },
  { name: 'legacy index', input: 'a.0.b', expected: 'a.0.b' },
  { name: 'full splat', input: 'a[*]', expected: 'a[*]' },
  { name: 'full splat with steps', input: 'a[*].b[0].c', expected: 'a[*].b[0].c' },
  { name: 'attribute splat', input: 'a.*.b.c', expected: 'a.*.b.c' },
  { name: 'index after an attribute splat applies to the result', input: 'a.*.b[0]', expected: 'a.*.b[0]' },
  { name: 'splat of a splat', input: 'a[*].b[*].c', expected: 'a[*].b[*].c' },
  { name: 'traversal after a call', input: 'f(x).y[0]', expected: 'f(x).y[0]' },
  { name: 'traversal after parentheses', input: '(a).b', expected: 'paren(a).b' },
  { name: 'traversal after a tuple', input: '[1, 2][0]', expected: '[1, 2][0]' },
]);

describe('HCL expressions: splat structure', () => {
  it('keeps the index after an attribute splat outside the splat', () => {
    const result = parseHclExpression('a.*.b[0]');
    assert.equal(result.expr.kind, 'Index');
    assert.equal(result.expr.kind === 'Index' ? result.expr.target.kind : '', 'Splat');
  });
  it('keeps steps after a full splat inside the splat', () => {
    const result = parseHclExpression('a[*].b[0]');
    assert.equal(result.expr.kind, 'Splat');
    assert.equal(result.expr.kind === 'Splat' ? result.expr.traversal.length : 0, 2);
  });
});

table('HCL expressions: for expressions', [
  { name: 'tuple for', input: '[for x in xs : x]', expected: 'for(x in xs: x)' },
  {
    name: 'tuple for with index and condition',
    input: '[for i, x in xs : x if i > 0]',
    expected: 'for(i, x in xs: x if (i > 0))',
  },
  { name: 'object for', input: '{for k, v in m : k => v}', expected: 'for(k, v in m: k => v)' },
  { name: 'object for grouped', input: '{for k, v in m : v => k...}', expected: 'for(k, v in m: v => k...)' },
  {
    name: 'grouped with condition',
    input: '{for s in xs : substr(s, 0, 1) => s... if s != ""}',
    expected: 'for(s in xs: substr(s, 0, 1) => s... if (s != tpl[]))',
  },
  {
    name: 'multi-line for',
    input: '[\n  for x in xs :\n  upper(x)\n  if x != null\n]',
    expected: 'for(x in xs: upper(x) if (x != null))',
  },
  { name: 'for over a call', input: '[for x in keys(m) : m[x]]', expected: 'for(x in keys(m): m[x])' },
  { name: 'a variable named for is not a for expression', input: '[fore, x]', expected: '[fore, x]' },
]);

table('HCL expressions: calls and collections', [
  { name: 'call without arguments', input: 'f()', expected: 'f()' },
  { name: 'call with arguments', input: 'f(1, "a", b)', expected: 'f(1, tpl["a"], b)' },
  { name: 'trailing comma', input: 'f(1, 2,)', expected: 'f(1, 2)' },
  { name: 'expansion', input: 'concat(a, b...)', expected: 'concat(a, b...)' },
  { name: 'provider function', input: 'provider::aws::arn_parse(x)', expected: 'provider::aws::arn_parse(x)' },
  { name: 'newlines inside a call', input: 'f(\n  a,\n  b\n)', expected: 'f(a, b)' },
  { name: 'tuple', input: '[1, 2, 3]', expected: '[1, 2, 3]' },
  { name: 'tuple with trailing comma and newlines', input: '[\n  1,\n  2,\n]', expected: '[1, 2]' },
  { name: 'object with = and :', input: '{a = 1, b: 2}', expected: '{a=1, b=2}' },
  { name: 'object items on lines', input: '{\n  a = 1\n  b = 2\n}', expected: '{a=1, b=2}' },
  { name: 'quoted and expression keys', input: '{"a b" = 1, (k) = 2}', expected: '{a b=1, paren(k)=2}' },
  { name: 'keyword keys are names', input: '{true = 1, null = 2}', expected: '{true=1, null=2}' },
  { name: 'template key with interpolation', input: '{"${k}" = 1}', expected: '{tpl[${k}]=1}' },
  { name: 'nested collections', input: '{a = [{b = 1}]}', expected: '{a=[{b=1}]}' },
]);

describe('HCL body structure', () => {
  it('ends an attribute at the newline', () => {
    const result = parseHcl('a = 1\n+ 2\n');
    assert.equal(result.tree.body.items[0]?.kind, 'Attribute');
    assert.ok(result.diagnostics.length > 0, 'a line starting with "+" is not a continuation');
  });
  it('reports the first error of a construct only', () => {
    const result = parseHcl('a = [1 2 3 4\nb = 1\n');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['HCL022']);
  });
  it('keeps everything after a typo (the brief example)', () => {
    const result = parseHcl('resource "a" "b" {\n  x = \n  y = 1\n}\n');
    const block = result.tree.body.items[0];
    assert.equal(block?.kind, 'Block');
    const items = block?.kind === 'Block' ? block.body.items : [];
    const names = items.map((i) => (i.kind === 'Attribute' ? i.name : i.kind));
    assert.deepEqual(names, ['x', 'y']);
  });
  it('gives attribute, block and label spans', () => {
    const text = 'resource "a\\"b" c {\n  k = "v"\n}\n';
    const block = parseHcl(text).tree.body.items[0];
    assert.ok(block?.kind === 'Block');
    assert.deepEqual(block.typeSpan, { start: 0, end: 8 });
    assert.deepEqual(block.labels, [
      { value: 'a"b', span: { start: 9, end: 15 }, isQuoted: true },
      { value: 'c', span: { start: 16, end: 17 }, isQuoted: false },
    ]);
    assert.deepEqual(block.openBrace, { start: 18, end: 19 });
    assert.deepEqual(block.closeBrace, { start: 30, end: 31 });
    assert.deepEqual(block.span, { start: 0, end: 31 });
    const attribute = block.body.items[0];
    assert.ok(attribute?.kind === 'Attribute');
    assert.deepEqual(attribute.span, { start: 22, end: 29 });
    assert.deepEqual(attribute.nameSpan, { start: 22, end: 23 });
    assert.deepEqual(attribute.equalsSpan, { start: 24, end: 25 });
  });
});

describe('HCL entry points', () => {
  it('parseHclExpression ignores newlines and reports extra tokens', () => {
    assert.equal(show(parseHclExpression('a +\n b').expr), '(a + b)');
    assert.deepEqual(parseHclExpression('1 2').diagnostics.map((d) => d.code), ['HCL028']);
  });
  it('parseHclTemplate parses a bare template and shifts spans', () => {
    const result = parseHclTemplate('x${y}%{if z}!%{endif}', 10);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(showParts(result.expr.parts), '"x" ${y} %if(z){"!"}');
    assert.deepEqual(result.expr.span, { start: 10, end: 31 });
    assert.deepEqual(result.expr.parts[0]?.span, { start: 10, end: 11 });
    const interp = result.expr.parts[1];
    assert.ok(interp?.kind === 'TemplateInterp');
    assert.deepEqual(interp.span, { start: 11, end: 15 });
    assert.deepEqual(interp.expr.span, { start: 13, end: 14 });
  });
  it('parseHclTemplate keeps backslashes and decodes $${', () => {
    const result = parseHclTemplate('a\\nb $${c}');
    assert.equal(showParts(result.expr.parts), '"a\\\\nb ${c}"');
  });
  it('parseHclTemplate shifts diagnostics', () => {
    const result = parseHclTemplate('${', 5);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.span.start]), [['HCL006', 5]]);
  });
});

describe('HCL limits', () => {
  it('caps expression nesting with one diagnostic and stays lossless', () => {
    const depth = 100_000;
    const text = `x = ${'['.repeat(depth)}${']'.repeat(depth)}\ny = 1\n`;
    const result = parseHcl(text);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['HCL040']);
    assert.equal(result.tree.tokens.map((t) => text.slice(t.start, t.end)).join(''), text);
    const names = result.tree.body.items.map((i) => (i.kind === 'Attribute' ? i.name : i.kind));
    assert.deepEqual(names, ['x', 'y']);
  });
  it('caps block nesting', () => {
    const depth = 20_000;
    const text = `${'a {\n'.repeat(depth)}${'}\n'.repeat(depth)}b = 1\n`;
    const result = parseHcl(text);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['HCL040']);
    assert.equal(result.tree.body.items[1]?.kind, 'Attribute');
  });
  it('caps unary, conditional and template nesting', () => {
    for (const text of [
      `x = ${'!'.repeat(50_000)}a\n`,
      `x = ${'a ? b : '.repeat(20_000)}c\n`,
      `x = ${'"${'.repeat(5_000)}${'}"'.repeat(5_000)}\n`,
      `x = ${'('.repeat(50_000)}\n`,
    ]) {
      const result = parseHcl(text);
      assert.ok(result.diagnostics.some((d) => d.code === 'HCL040'), text.slice(0, 20));
      assert.equal(result.tree.tokens.map((t) => text.slice(t.start, t.end)).join(''), text);
    }
  });
  it('parses long operator chains without recursion', () => {
    const text = `x = ${Array.from({ length: 100_000 }, () => '1').join(' + ')}\n`;
    assert.deepEqual(parseHcl(text).diagnostics, []);
  });
  it('parses a 20,000-line file', () => {
    const lines: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      lines.push(`resource "aws_s3_bucket" "b${i}" {`, `  bucket = "name-${i}"`, `  tags = { n = ${i}, k = var.k }`);
      lines.push('  dynamic "rule" {', `    for_each = [for x in var.list : x if x != ${i}]`, '    content {');
      lines.push('      id = rule.value', '    }', '  }', '}');
    }
    const text = lines.join('\n') + '\n';
    const result = parseHcl(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.tree.body.items.length, 2_000);
  });
});
