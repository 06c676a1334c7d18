/**
 * The Bicep lexer, table-driven: token kinds and texts (trivia included) for each input, and the diagnostics it
 * reports itself (unterminated strings and comments, unknown characters, bad escapes).
 */
import * as assert from 'node:assert/strict';
import { lexBicep } from '../../../server/src/parse/bicep/lexer';
import { TokenKind } from '../../../server/src/parse/bicep/syntax';

/** `Kind:text` for every token but EOF. */
function show(text: string): string[] {
  return lexBicep(text)
    .tokens.filter((t) => t.kind !== TokenKind.EOF)
    .map((t) => `${TokenKind[t.kind]}:${text.slice(t.start, t.end)}`);
}

const cases: { name: string; input: string; expected: string[] }[] = [
  {
    name: 'a declaration with trivia',
    input: "param x = 1 // c\r\n",
    expected: ['Identifier:param', 'Whitespace: ', 'Identifier:x', 'Whitespace: ', 'Assignment:=', 'Whitespace: ', 'Integer:1', 'Whitespace: ', 'LineComment:// c', 'Newline:\r\n'],
  },
  {
    name: 'literal keywords',
    input: 'true false null nil',
    expected: ['TrueKeyword:true', 'Whitespace: ', 'FalseKeyword:false', 'Whitespace: ', 'NullKeyword:null', 'Whitespace: ', 'Identifier:nil'],
  },
  {
    name: 'interpolated string pieces',
    input: "'a${b}c${d}e'",
    expected: ["StringLeftPiece:'a${", 'Identifier:b', 'StringMiddlePiece:}c${', 'Identifier:d', "StringRightPiece:}e'"],
  },
  {
    name: 'braces inside an interpolation',
    input: "'${{a: 1}.a}'",
    expected: ["StringLeftPiece:'${", 'OpenBrace:{', 'Identifier:a', 'Colon::', 'Whitespace: ', 'Integer:1', 'CloseBrace:}', 'Dot:.', 'Identifier:a', "StringRightPiece:}'"],
  },
  {
    name: 'multi-line string, verbatim',
    input: "'''a\n${b}'''",
    expected: ["MultilineString:'''a\n${b}'''"],
  },
  {
    name: 'interpolated multi-line string',
    input: "$'''a${b}c'''",
    expected: ["StringLeftPiece:$'''a${", 'Identifier:b', "StringRightPiece:}c'''"],
  },
  {
    name: 'operators',
    input: '?? ?. :: ... => == != =~ !~ <= >= && || | ^ !',
    expected: [
      'DoubleQuestion:??', 'Whitespace: ', 'Question:?', 'Dot:.', 'Whitespace: ', 'DoubleColon:::', 'Whitespace: ', 'Ellipsis:...',
      'Whitespace: ', 'Arrow:=>', 'Whitespace: ', 'EqualOp:==', 'Whitespace: ', 'NotEqual:!=', 'Whitespace: ', 'EqualInsensitive:=~',
      'Whitespace: ', 'NotEqualInsensitive:!~', 'Whitespace: ', 'LessEqual:<=', 'Whitespace: ', 'GreaterEqual:>=', 'Whitespace: ',
      'And:&&', 'Whitespace: ', 'Or:||', 'Whitespace: ', 'Pipe:|', 'Whitespace: ', 'Hat:^', 'Whitespace: ', 'Bang:!',
    ],
  },
  {
    name: 'directives at the start of a line only',
    input: '  #disable-next-line BCP1 x-y // why\nvar a = 1 #b',
    expected: [
      'Whitespace:  ', 'Directive:#disable-next-line BCP1 x-y', 'Whitespace: ', 'LineComment:// why', 'Newline:\n', 'Identifier:var',
      'Whitespace: ', 'Identifier:a', 'Whitespace: ', 'Assignment:=', 'Whitespace: ', 'Integer:1', 'Whitespace: ', 'Unknown:#', 'Identifier:b',
    ],
  },
  {
    name: 'a line break ends an interpolation with a zero-width piece',
    input: "'a${b\nc",
    expected: ["StringLeftPiece:'a${", 'Identifier:b', 'StringRightPiece:', 'Newline:\n', 'Identifier:c'],
  },
  {
    name: 'a byte order mark is whitespace',
    input: '\ufeffvar',
    expected: ['Whitespace:\ufeff', 'Identifier:var'],
  },
  {
    name: 'a surrogate pair is one unknown token',
    input: '😀',
    expected: ['Unknown:😀'],
  },
];

describe('Bicep lexer', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(show(c.input), c.expected);
      const tokens = lexBicep(c.input).tokens;
      assert.equal(tokens.map((t) => c.input.slice(t.start, t.end)).join(''), c.input);
    });
  }

  const diagnostics: { input: string; codes: string[] }[] = [
    { input: "'abc", codes: ['BICEP004'] },
    { input: "'abc\n'", codes: ['BICEP004', 'BICEP004'] },
    { input: "'''abc", codes: ['BICEP006'] },
    { input: '/* abc', codes: ['BICEP003'] },
    { input: "'\\x \\u{} \\u{110000}'", codes: ['BICEP007', 'BICEP007', 'BICEP007'] },
    { input: '"x"', codes: ['BICEP002', 'BICEP002'] },
    { input: '#disable-next-line', codes: ['BICEP005'] },
    { input: "'${a", codes: ['BICEP004'] },
  ];
  for (const d of diagnostics) {
    it(`reports ${d.codes.join(', ')} for ${JSON.stringify(d.input)}`, () => {
      assert.deepEqual(
        lexBicep(d.input).diagnostics.map((x) => x.code),
        d.codes,
      );
    });
  }

  it('decodes string values', () => {
    const text = "'a\\'b${x}c\\u{41}'";
    const { tokens, values } = lexBicep(text);
    const decoded = tokens.map((_, i) => values.get(i)).filter((v) => v !== undefined);
    assert.deepEqual(decoded, ["a'b", 'cA']);
  });
});
