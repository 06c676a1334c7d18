/**
 * Table-driven tests of `lexHcl`: token kinds and texts for each mode (main, quoted template, heredoc), trivia and
 * the lexer's own diagnostics.
 */
import * as assert from 'node:assert/strict';
import { lexHcl } from '../../../server/src/parse/hcl/lexer';
import { TokenKind } from '../../../server/src/parse/hcl/syntax';

/** Renders the tokens as `Kind "text"`, without the final EOF. */
function tokens(text: string): string[] {
  const { tokens: all } = lexHcl(text);
  assert.equal(all.map((t) => text.slice(t.start, t.end)).join(''), text, 'lossless');
  assert.equal(all[all.length - 1]?.kind, TokenKind.EOF);
  return all.slice(0, -1).map((t) => `${TokenKind[t.kind]} ${JSON.stringify(text.slice(t.start, t.end))}`);
}

const cases: { name: string; input: string; expected: string[] }[] = [
  {
    name: 'attribute with trivia',
    input: 'a = 1 # c\n',
    expected: [
      'Identifier "a"',
      'Whitespace " "',
      'Equals "="',
      'Whitespace " "',
      'Number "1"',
      'Whitespace " "',
      'LineComment "# c"',
      'Newline "\\n"',
    ],
  },
  {
    name: 'comments of every kind, CRLF newline',
    input: '// a\r\n/* b\n c */',
    expected: ['LineComment "// a"', 'Newline "\\r\\n"', 'BlockComment "/* b\\n c */"'],
  },
  {
    name: 'identifiers with dashes and numbers with exponents',
    input: 'a-b 1.5e+3.x',
    expected: ['Identifier "a-b"', 'Whitespace " "', 'Number "1.5e+3"', 'Dot "."', 'Identifier "x"'],
  },
  {
    name: 'operators',
    input: '<=>===!=&&||=>...!<>*/%+-?:',
    expected: [
      'LessEqual "<="',
      'GreaterEqual ">="',
      'EqualOp "=="',
      'NotEqual "!="',
      'And "&&"',
      'Or "||"',
      'FatArrow "=>"',
      'Ellipsis "..."',
      'Bang "!"',
      'Less "<"',
      'Greater ">"',
      'Star "*"',
      'Slash "/"',
      'Percent "%"',
      'Plus "+"',
      'Minus "-"',
      'Question "?"',
      'Colon ":"',
    ],
  },
  {
    name: 'quoted template with interpolation',
    input: '"a${b}c"',
    expected: [
      'OpenQuote "\\""',
      'TemplateLiteral "a"',
      'TemplateInterp "${"',
      'Identifier "b"',
      'TemplateSeqEnd "}"',
      'TemplateLiteral "c"',
      'CloseQuote "\\""',
    ],
  },
  {
    name: 'strip markers and braces inside an interpolation',
    input: '"${~ {} ~}"',
    expected: [
      'OpenQuote "\\""',
      'TemplateInterp "${~"',
      'Whitespace " "',
      'OpenBrace "{"',
      'CloseBrace "}"',
      'Whitespace " "',
      'TemplateSeqEnd "~}"',
      'CloseQuote "\\""',
    ],
  },
  {
    name: 'escapes split literals at $ and % as HCL does',
    input: '"$${x} 50% \\""',
    expected: [
      'OpenQuote "\\""',
      'TemplateLiteral "$${"',
      'TemplateLiteral "x} 50"',
      'TemplateLiteral "%"',
      'TemplateLiteral " \\\\\\""',
      'CloseQuote "\\""',
    ],
  },
  {
    name: 'directive',
    input: '"%{if a}b%{endif}"',
    expected: [
      'OpenQuote "\\""',
      'TemplateControl "%{"',
      'Identifier "if"',
      'Whitespace " "',
      'Identifier "a"',
      'TemplateSeqEnd "}"',
      'TemplateLiteral "b"',
      'TemplateControl "%{"',
      'Identifier "endif"',
      'TemplateSeqEnd "}"',
      'CloseQuote "\\""',
    ],
  },
  {
    name: 'heredoc: one literal per line, the marker, then the newline',
    input: '<<-EOT\n  a\n  ${b}\n  EOT\n',
    expected: [
      'HeredocBegin "<<-EOT\\n"',
      'TemplateLiteral "  a\\n"',
      'TemplateLiteral "  "',
      'TemplateInterp "${"',
      'Identifier "b"',
      'TemplateSeqEnd "}"',
      'TemplateLiteral "\\n"',
      'HeredocEnd "  EOT"',
      'Newline "\\n"',
    ],
  },
  {
    name: 'not a heredoc without a line end after the marker',
    input: '<<EOT x',
    expected: ['Less "<"', 'Less "<"', 'Identifier "EOT"', 'Whitespace " "', 'Identifier "x"'],
  },
];

describe('HCL lexer', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(tokens(c.input), c.expected);
    });
  }

  it('reports an unknown character once per run', () => {
    const result = lexHcl('a @@ b');
    assert.deepEqual(
      result.tokens.map((t) => TokenKind[t.kind]),
      ['Identifier', 'Whitespace', 'Unknown', 'Whitespace', 'Identifier', 'EOF'],
    );
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.span.start, d.span.end]), [['HCL001', 2, 4]]);
  });

  it('ends an unterminated string at the line end', () => {
    const result = lexHcl('a = "b\nc = 1');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['HCL002']);
    assert.ok(result.tokens.some((t) => t.kind === TokenKind.Newline));
  });

  it('reports unterminated heredocs and comments', () => {
    assert.deepEqual(lexHcl('a = <<EOT\nb\n').diagnostics.map((d) => d.code), ['HCL003']);
    assert.deepEqual(lexHcl('/* a').diagnostics.map((d) => d.code), ['HCL004']);
  });

  it('keeps a byte order mark as whitespace', () => {
    assert.deepEqual(tokens('\ufeffa'), ['Whitespace "\ufeff"', 'Identifier "a"']);
  });
});
