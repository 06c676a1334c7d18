/**
 * Short-form tags are found in the text when only white space separates them from their node, and from the CST's tag
 * tokens otherwise (`yaml.ts`). Both ways must give the same tree: compared on layouts where the text alone could
 * mislead (a comment or an anchor between tag and node, the tag's text in a comment, a string or a key), on random
 * edits of them, on the parse fixtures and, with `ONUS_CORPUS`, on every YAML file of the corpus.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlTemplate, yamlReading } from '../../../server/src/parse/cloudformation/yaml';
import { prng } from '../hcl/prng';

/** Both readings of a text; the switch is restored whatever happens. */
function bothWays(text: string): [unknown, unknown] {
  try {
    yamlReading.findsTagsInText = false;
    const fromTokens = parseYamlTemplate(text);
    yamlReading.findsTagsInText = true;
    return [parseYamlTemplate(text), fromTokens];
  } finally {
    yamlReading.findsTagsInText = true;
  }
}

const LAYOUTS = [
  'A: !Ref B\n',
  'A: !Sub # like !Sub\n  - x\n  - {y: 1}\n',
  'A: !Sub\n  # a !Sub in a comment\n  - x\n',
  'A: !Ref &anchor B\nC: *anchor\n',
  'A: &anchor !Ref B\n',
  'A: [!Ref B, !GetAtt C.D, !Join ["", [!Ref E]]]\n',
  'A: {x: !Ref B,y: !Sub "!Ref"}\n',
  'A: "!Ref" \nB: !Ref C\n',
  'A: x!Ref\nB: !Ref\n',
  'A: |\n  !Ref\nB: !Ref\n',
  '!Ref: !Ref x\n',
  '- !If\n  - C\n  - !Ref X\n  - !Ref AWS::NoValue\n',
  'A: !Not\n\n\n  - !Equals [!Ref E, "x"]\r\nB: !Base64\r\n  !Sub |\r\n    #!/bin/sh\r\n',
];

describe('finding short-form tags in the text', () => {
  it('gives the tags of the CST on layouts where the text alone could mislead', () => {
    for (const text of LAYOUTS) {
      const [inText, fromTokens] = bothWays(text);
      assert.deepEqual(inText, fromTokens, JSON.stringify(text));
    }
    const [tree] = bothWays(LAYOUTS[1]!);
    assert.deepEqual((tree as { root: { pairs: { value: { pairs: { keySpan: unknown }[] } }[] } }).root.pairs[0]!.value.pairs[0]!.keySpan, { start: 3, end: 7 }, 'the tag, not the comment');
  });

  it('gives the tags of the CST after random edits of those layouts and the parse fixtures', () => {
    const random = prng(11);
    const typed = [...'!: \n#&*[]{},-\'"|', '!Ref ', '!Sub\n  - ', ' # !Ref\n', '&a ', '*a'];
    const texts = [...LAYOUTS];
    for (const group of ['ok', 'err']) {
      const folder = path.join(__dirname, group);
      for (const name of fs.readdirSync(folder).filter((n) => /\.ya?ml$/.test(n))) {
        texts.push(fs.readFileSync(path.join(folder, name), 'utf8'));
      }
    }
    for (const text of texts) {
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(random() * (text.length + 1));
        const edited = text.slice(0, at) + typed[Math.floor(random() * typed.length)]! + text.slice(at);
        const [inText, fromTokens] = bothWays(edited);
        assert.deepEqual(inText, fromTokens, JSON.stringify(edited));
      }
    }
  });

  const corpus = process.env.ONUS_CORPUS;
  if (corpus) {
    it('gives the tags of the CST on every YAML file of the corpus', function () {
      this.timeout(600_000);
      let compared = 0;
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            walk(full);
          } else if (/\.(?:ya?ml|template)$/i.test(entry.name)) {
            const text = fs.readFileSync(full, 'utf8');
            if (text.includes('!') && !text.trimStart().startsWith('{')) {
              const [inText, fromTokens] = bothWays(text);
              assert.deepEqual(inText, fromTokens, full);
              compared++;
            }
          }
        }
      };
      walk(corpus);
      assert.ok(compared > 300, `the corpus holds YAML files with tags (${compared})`);
    });
  }
});
