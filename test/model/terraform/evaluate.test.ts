/**
 * Expression evaluation through the Terraform lowering: each case declares some variables and locals, assigns one
 * expression to attribute `v` of a resource, and checks the lowered value (unknowns shown as `? <references>`).
 */
import * as assert from 'assert';
import { lower, resource, show, valueAt } from './helpers';

interface Case {
  name: string;
  /** Declarations placed before the resource (variables, locals, other resources). */
  setup?: string;
  expr: string;
  expected: unknown;
  /** The expected provenance of the value, when it matters. */
  provenance?: 'explicit' | 'resolved' | 'unresolvable';
  /** The text the value's span covers, when not the whole expression (a conditional points at its chosen branch). */
  spanText?: string;
  /** Extra files of the module folder (tfvars). */
  files?: Record<string, string>;
}

const cases: Case[] = [
  // Literals and collections
  { name: 'string literal', expr: '"AES256"', expected: 'AES256', provenance: 'explicit' },
  { name: 'number literal', expr: '42', expected: 42, provenance: 'explicit' },
  { name: 'negative number', expr: '-1', expected: -1, provenance: 'explicit' },
  { name: 'bool literal', expr: 'true', expected: true, provenance: 'explicit' },
  { name: 'null literal', expr: 'null', expected: null, provenance: 'explicit' },
  { name: 'tuple', expr: '["a", 1, false]', expected: ['a', 1, false], provenance: 'explicit' },
  { name: 'object', expr: '{ a = "x", "b" = 2 }', expected: { a: 'x', b: 2 }, provenance: 'explicit' },
  { name: 'object with computed key', setup: 'locals {\nk = "key"\n}', expr: '{ (local.k) = 1 }', expected: { key: 1 } },

  // Variables
  { name: 'variable default', setup: 'variable "x" {\ndefault = "a"\n}', expr: 'var.x', expected: 'a', provenance: 'resolved' },
  { name: 'variable without default', setup: 'variable "x" {}', expr: 'var.x', expected: '? var.x', provenance: 'unresolvable' },
  { name: 'undeclared variable', expr: 'var.nope', expected: '? var.nope' },
  { name: 'variable attribute', setup: 'variable "o" {\ndefault = { k = "v" }\n}', expr: 'var.o.k', expected: 'v' },
  { name: 'variable index', setup: 'variable "l" {\ndefault = ["a", "b"]\n}', expr: 'var.l[1]', expected: 'b' },
  { name: 'variable map index', setup: 'variable "m" {\ndefault = { k = "v" }\n}', expr: 'var.m["k"]', expected: 'v' },
  { name: 'legacy index', setup: 'variable "l" {\ndefault = ["a", "b"]\n}', expr: 'var.l.0', expected: 'a' },
  { name: 'variable missing attribute', setup: 'variable "o" {\ndefault = {}\n}', expr: 'var.o.k', expected: '? var.o' },
  {
    name: 'variable converted to bool',
    setup: 'variable "e" {\ntype = bool\ndefault = "true"\n}',
    expr: 'var.e',
    expected: true,
  },
  {
    name: 'variable converted to number',
    setup: 'variable "n" {\ntype = number\n}',
    files: { 'm/terraform.tfvars': 'n = "3"\n' },
    expr: 'var.n',
    expected: 3,
  },

  // Locals
  { name: 'local', setup: 'locals {\na = "x"\n}', expr: 'local.a', expected: 'x', provenance: 'resolved' },
  { name: 'local chain', setup: 'locals {\na = local.b\nb = "${local.c}!"\nc = "x"\n}', expr: 'local.a', expected: 'x!' },
  { name: 'local from variable', setup: 'variable "v" {\ndefault = 2\n}\nlocals {\nd = var.v * 2\n}', expr: 'local.d', expected: 4 },
  { name: 'locals in two blocks', setup: 'locals {\na = 1\n}\nlocals {\nb = local.a + 1\n}', expr: 'local.b', expected: 2 },
  { name: 'local cycle', setup: 'locals {\na = local.b\nb = local.a\n}', expr: 'local.a', expected: '? local.a local.b', provenance: 'unresolvable' },
  { name: 'self-referencing local', setup: 'locals {\na = [local.a]\n}', expr: 'local.a', expected: ['? local.a'] },
  {
    name: 'local of a resource attribute',
    setup: 'locals {\nk = aws_kms_key.k.arn\n}',
    expr: 'local.k',
    expected: '? local.k aws_kms_key.k.arn',
  },
  { name: 'undeclared local', expr: 'local.nope', expected: '? local.nope' },

  // Templates
  { name: 'template', setup: 'variable "x" {\ndefault = "b"\n}', expr: '"a-${var.x}"', expected: 'a-b', provenance: 'resolved' },
  { name: 'template of literals', expr: '"a-${"b"}-${1}"', expected: 'a-b-1', provenance: 'explicit' },
  { name: 'template unwraps a lone interpolation', setup: 'variable "n" {\ndefault = 5\n}', expr: '"${var.n}"', expected: 5 },
  { name: 'template unwraps a list', expr: '"${["a"]}"', expected: ['a'] },
  {
    name: 'template with unknown part',
    expr: '"${aws_s3_bucket.b.id}-${var.x}"',
    setup: 'variable "x" {}',
    expected: '? aws_s3_bucket.b.id var.x',
  },
  { name: 'template escape', expr: '"$${x}"', expected: '${x}' },
  { name: 'template if', setup: 'variable "on" {\ndefault = true\n}', expr: '"%{if var.on}yes%{else}no%{endif}"', expected: 'yes' },
  { name: 'template for', expr: '"%{for x in ["a", "b"]}${x};%{endfor}"', expected: 'a;b;' },
  { name: 'template strip markers', expr: '"a ${~ "b" ~} c"', expected: 'abc' },
  { name: 'heredoc', setup: 'variable "x" {\ndefault = "b"\n}', expr: '<<EOT\na\n${var.x}\nEOT\n', expected: 'a\nb\n' },
  { name: 'indented heredoc', expr: '<<-EOT\n    a\n      b\n    EOT\n', expected: 'a\n  b\n' },

  // Functions
  {
    name: 'jsonencode keeps key order and is compact',
    expr: 'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:*"] }] })',
    expected: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"]}]}',
    provenance: 'resolved',
  },
  { name: 'jsonencode escapes like Terraform', expr: 'jsonencode("<a&b>")', expected: '"\\u003ca\\u0026b\\u003e"' },
  { name: 'jsonencode of unknown', expr: 'jsonencode({ a = aws_s3_bucket.b.arn })', expected: '? aws_s3_bucket.b.arn' },
  { name: 'jsondecode', expr: 'jsondecode("{\\"a\\":[1,true,null]}")', expected: { a: [1, true, null] } },
  { name: 'jsondecode invalid', expr: 'jsondecode("{")', expected: '?' },
  { name: 'tostring', expr: 'tostring(12)', expected: '12' },
  { name: 'tonumber', expr: 'tonumber("2.5")', expected: 2.5 },
  { name: 'tobool', expr: 'tobool("false")', expected: false },
  { name: 'tolist', expr: 'tolist(["a"])', expected: ['a'] },
  { name: 'toset sorts and dedupes', expr: 'toset(["b", "a", "b"])', expected: ['a', 'b'] },
  { name: 'tomap', expr: 'tomap({ a = 1 })', expected: { a: 1 } },
  { name: 'lower', expr: 'lower("AbC")', expected: 'abc' },
  { name: 'upper', expr: 'upper("abc")', expected: 'ABC' },
  { name: 'format', expr: 'format("%s-%d-%v-%%", "a", 2, true)', expected: 'a-2-true-%' },
  { name: 'format with a missing argument', expr: 'format("%s %s", "a")', expected: '?' },
  { name: 'join', expr: 'join(",", ["a", "b"], [1])', expected: 'a,b,1' },
  { name: 'split', expr: 'split(",", "a,b")', expected: ['a', 'b'] },
  { name: 'concat', expr: 'concat(["a"], ["b", "c"])', expected: ['a', 'b', 'c'] },
  { name: 'concat keeps unknown items', expr: 'concat(["a"], [aws_s3_bucket.b.id])', expected: ['a', '? aws_s3_bucket.b.id'] },
  { name: 'merge', expr: 'merge({ a = 1, b = 2 }, { b = 3 }, null)', expected: { a: 1, b: 3 } },
  { name: 'merge with unknown values', expr: 'merge({ a = var.u }, { b = 1 })', setup: 'variable "u" {}', expected: { a: '? var.u', b: 1 } },
  { name: 'lookup', expr: 'lookup({ a = 1 }, "a", 0)', expected: 1 },
  { name: 'lookup default', expr: 'lookup({ a = 1 }, "b", 0)', expected: 0 },
  { name: 'element wraps', expr: 'element(["a", "b"], 3)', expected: 'b' },
  { name: 'length', expr: '[length(["a", "b"]), length({ a = 1 }), length("héllo")]', expected: [2, 1, 5] },
  { name: 'length of a list with unknowns', expr: 'length([aws_s3_bucket.b.id])', expected: 1 },
  { name: 'coalesce', expr: 'coalesce(null, "", "x")', expected: 'x' },
  { name: 'coalesce after unknown', expr: 'coalesce(var.u, "x")', setup: 'variable "u" {}', expected: '? var.u' },
  { name: 'try skips errors', setup: 'locals {\no = {}\n}', expr: 'try(local.o.missing, "d")', expected: 'd' },
  { name: 'try skips errors inside templates', setup: 'locals {\no = {}\n}', expr: 'try("${local.o.missing}", "d")', expected: 'd' },
  { name: 'try returns the first good value', expr: 'try("a", "b")', expected: 'a' },
  { name: 'try with unknown stays unknown', setup: 'variable "u" {}', expr: 'try(var.u, "d")', expected: '? var.u' },
  { name: 'can', setup: 'locals {\no = { k = 1 }\n}', expr: '[can(local.o.k), can(local.o.missing)]', expected: [true, false] },
  { name: 'contains', expr: '[contains(["a"], "a"), contains(["a"], "b")]', expected: [true, false] },
  { name: 'replace', expr: 'replace("a-b-c", "-", "_")', expected: 'a_b_c' },
  { name: 'replace with a regular expression is unknown', expr: 'replace("abc", "/b/", "x")', expected: '?' },
  { name: 'trimspace', expr: 'trimspace("  a \\n")', expected: 'a' },
  { name: 'flatten', expr: 'flatten([["a"], [], [["b"]], "c"])', expected: ['a', 'b', 'c'] },
  { name: 'keys are sorted', expr: 'keys({ b = 1, a = 2 })', expected: ['a', 'b'] },
  { name: 'values follow sorted keys', expr: 'values({ b = 1, a = 2 })', expected: [2, 1] },
  { name: 'distinct', expr: 'distinct(["a", "b", "a"])', expected: ['a', 'b'] },
  { name: 'min max abs', expr: '[min(3, 1, 2), max(3, 1, 2), abs(-4)]', expected: [1, 3, 4] },
  { name: 'expanded arguments', expr: 'min([3, 1]...)', expected: 1 },
  { name: 'file is not read', expr: 'file("policy.json")', expected: '?' },
  { name: 'templatefile is not read', expr: 'templatefile("t.tpl", {})', expected: '?' },
  { name: 'unknown function', expr: 'nosuchfunction(1)', expected: '?' },
  { name: 'function of unknown', setup: 'variable "u" {}', expr: 'lower(var.u)', expected: '? var.u', provenance: 'unresolvable' },
  { name: 'provider function', expr: 'provider::aws::arn_parse("x")', expected: '?' },

  // Conditionals and operators
  { name: 'conditional with literal condition', expr: 'true ? "a" : "b"', expected: 'a', provenance: 'explicit', spanText: '"a"' },
  {
    name: 'conditional on a variable',
    setup: 'variable "kms" {\ndefault = false\n}',
    expr: 'var.kms ? "aws:kms" : "AES256"',
    expected: 'AES256',
    provenance: 'resolved',
    spanText: '"AES256"',
  },
  { name: 'conditional on unknown', setup: 'variable "u" {}', expr: 'var.u ? "a" : "b"', expected: '? var.u' },
  { name: 'arithmetic', expr: '[1 + 2 * 3, (1 + 2) * 3, 7 % 4, 6 / 4, 2 - 5]', expected: [7, 9, 3, 1.5, -3] },
  { name: 'arithmetic converts strings', expr: '"5" + 1', expected: 6 },
  { name: 'division by zero', expr: '1 / 0', expected: '?' },
  { name: 'comparison', expr: '[1 < 2, 2 <= 1, "a" == "a", 1 == "1", [1] != [2]]', expected: [true, false, true, false, true] },
  { name: 'logic', expr: '[!true, true && false, false || true]', expected: [false, false, true] },
  { name: 'logic decided by a known operand', setup: 'variable "u" {}', expr: '[false && var.u, true || var.u]', expected: [false, true] },
  { name: 'logic with unknown', setup: 'variable "u" {}', expr: 'true && var.u', expected: '? var.u' },

  // For expressions and splats
  { name: 'for tuple', expr: '[for s in ["a", "b"] : upper(s)]', expected: ['A', 'B'] },
  { name: 'for with index', expr: '[for i, s in ["a", "b"] : "${i}${s}"]', expected: ['0a', '1b'] },
  { name: 'for object', expr: '{ for k, v in { b = 1, a = 2 } : k => v * 10 }', expected: { a: 20, b: 10 } },
  { name: 'for over a set binds elements as keys', expr: '[for k, v in toset(["b", "a"]) : "${k}=${v}"]', expected: ['a=a', 'b=b'] },
  { name: 'tolist of a set is a list', expr: '[for k, v in tolist(toset(["b", "a"])) : "${k}=${v}"]', expected: ['0=a', '1=b'] },
  { name: 'for with condition', expr: '[for n in [1, 2, 3] : n if n > 1]', expected: [2, 3] },
  { name: 'for grouped', expr: '{ for s in ["ab", "ac", "b"] : substr(s, 0, 1) => s... }', expected: { a: ['ab', 'ac'], b: ['b'] } },
  { name: 'for over unknown', setup: 'variable "u" {}', expr: '[for s in var.u : s]', expected: '? var.u' },
  { name: 'splat', setup: 'variable "l" {\ndefault = [{ n = "a" }, { n = "b" }]\n}', expr: 'var.l[*].n', expected: ['a', 'b'] },
  { name: 'splat of a resource', expr: 'aws_instance.x[*].id', expected: '? aws_instance.x[*].id' },

  // References that stay unknown
  { name: 'resource reference', expr: 'aws_s3_bucket.b.id', expected: '? aws_s3_bucket.b.id', provenance: 'unresolvable' },
  { name: 'indexed resource reference', expr: 'aws_s3_bucket.b[0].id', expected: '? aws_s3_bucket.b[0].id' },
  { name: 'data reference', expr: 'data.aws_iam_policy_document.p.json', expected: '? data.aws_iam_policy_document.p.json' },
  { name: 'module output', expr: 'module.m.out', expected: '? module.m.out' },
  { name: 'count.index', expr: 'count.index', expected: '? count.index' },
  { name: 'each.value', expr: 'each.value', expected: '? each.value' },
  { name: 'path.module', expr: 'path.module', expected: '? path.module' },
  { name: 'terraform.workspace', expr: 'terraform.workspace', expected: '? terraform.workspace' },
  { name: 'self', expr: 'self.id', expected: '? self.id' },
  { name: 'nested unknown stays local', expr: '{ a = "x", b = aws_s3_bucket.b.id }', expected: { a: 'x', b: '? aws_s3_bucket.b.id' } },
];

describe('model/terraform evaluation', () => {
  for (const c of cases) {
    it(c.name, () => {
      const main = `${c.setup ?? ''}\nresource "t" "r" {\n  v = ${c.expr}\n}\n`;
      const model = lower({ 'm/main.tf': main, ...c.files });
      const mainFile = model.files.find((f) => f.path === 'm/main.tf');
      assert.deepStrictEqual(mainFile?.diagnostics, [], 'no syntax errors');
      const value = valueAt(resource(model, 't.r').body, 'v');
      assert.deepStrictEqual(show(value), c.expected);
      if (c.provenance !== undefined) {
        assert.strictEqual(value.provenance, c.provenance);
      }
      // The value points at the expression in the resource, whatever it was resolved through.
      assert.strictEqual(value.file, 'm/main.tf');
      assert.strictEqual(main.slice(value.span.start, value.span.end).trimEnd(), c.spanText ?? c.expr.trimEnd());
    });
  }
});
