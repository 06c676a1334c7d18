/**
 * Line indexes: the line starts of texts with every kind of line break, and positions found from a line before the
 * offset equal to positions found by searching all lines.
 */
import * as assert from 'node:assert/strict';
import { computeLineStarts, LineIndex } from '../../server/src/text/lineIndex';
import { seededInts } from '../support/randomEdits';

/** Line starts by the definition: after `\n`, after `\r\n`, after a lone `\r`. */
function lineStartsByDefinition(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** A seeded random text of short lines broken by `breaks`. */
function randomText(seed: number, breaks: readonly string[], length: number): string {
  const random = seededInts(seed);
  let text = '';
  while (text.length < length) {
    text += 'abc é😀 '.slice(0, random(9)) + breaks[random(breaks.length)];
  }
  return text;
}

describe('text/lineIndex', () => {
  const texts: [string, string][] = [
    ['empty', ''],
    ['no break', 'resource'],
    ['LF', randomText(1, ['\n'], 2000)],
    ['LF with empty lines and a final break', '\n\na\n\nb\n'],
    ['CRLF', randomText(2, ['\r\n'], 2000)],
    ['lone CR', randomText(3, ['\r'], 2000)],
    ['mixed', randomText(4, ['\n', '\r\n', '\r', '\n\r', ''], 4000)],
  ];

  it('starts lines after \\n, \\r\\n and a lone \\r', () => {
    for (const [name, text] of texts) {
      assert.deepEqual(computeLineStarts(text), lineStartsByDefinition(text), name);
    }
  });

  it('finds the position of an offset from any line as it does by searching every line', () => {
    for (const [name, text] of texts) {
      const index = new LineIndex(text);
      for (let offset = -2; offset <= text.length + 2; offset++) {
        const expected = index.positionAt(offset);
        for (const from of [-1, 0, Math.max(0, expected.line - 1), expected.line, expected.line + 1, expected.line - 20, index.lineCount, index.lineCount + 3]) {
          assert.deepEqual(index.positionFrom(offset, from), expected, `${name}: offset ${offset} from line ${from}`);
        }
      }
    }
  });
});
