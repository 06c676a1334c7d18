/**
 * Robustness of the CloudFormation front end: for every parse fixture, every prefix and a set of seeded single
 * character deletions and insertions are parsed and lowered, and most are also detected and offered to the fix
 * renderer. Nothing may throw and every span must stay inside the text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloudFormationRenderer } from '../../../server/src/engine/renderers/cloudformation';
import { isCloudFormationTemplate } from '../../../server/src/model/cloudformation/detect';
import { lowerCloudFormationTemplate } from '../../../server/src/model/cloudformation/template';
import type { Value } from '../../../server/src/model/types';
import { prng } from '../hcl/prng';

/** Characters that matter to YAML and JSON structure, used for insertions. */
const INTERESTING = ['{', '}', '[', ']', ':', ',', '"', "'", '!', '&', '*', '-', '#', '\n', ' ', '\t', '|', '>', '?'];

/**
 * Runs the front end on one text (lowering, and with `isThorough` also detection and the fix renderer); throws only if
 * something in it throws or a span leaves the text.
 */
export function exercise(file: string, text: string, isThorough = true): void {
  const model = lowerCloudFormationTemplate(file, text);
  for (const d of model.files[0]!.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, 'diagnostic span in text');
  }
  const inText = (v: Value): void => {
    assert.ok(v.span.start >= 0 && v.span.end <= text.length, 'value span in text');
    if (v.kind === 'object') {
      v.entries.forEach((e) => inText(e.value));
    } else if (v.kind === 'array') {
      v.items.forEach(inText);
    }
  };
  for (const resource of model.resources) {
    inText(resource.body);
  }
  if (!isThorough) {
    return;
  }
  isCloudFormationTemplate(file, text);
  for (const resource of model.resources) {
    cloudFormationRenderer.insert(text, resource.body, [{ segments: ['Onus', 'Setting'], value: 'on' }], file);
    const first = resource.body.entries[0];
    if (first) {
      cloudFormationRenderer.replaceValue(text, first, ['a', 'b'], file);
      cloudFormationRenderer.remove(text, first, file);
    }
  }
}

/** Every prefix (the fifth ones marked thorough), then `count` seeded deletions and insertions of one text (all thorough). */
export function* variants(text: string, count: number, seed: number): Generator<[string, boolean]> {
  for (let i = 0; i <= text.length; i++) {
    yield [text.slice(0, i), i % 5 === 0];
  }
  const random = prng(seed);
  for (let i = 0; i < count && text.length > 0; i++) {
    const at = Math.floor(random() * text.length);
    yield [text.slice(0, at) + text.slice(at + 1), true];
    const c = INTERESTING[Math.floor(random() * INTERESTING.length)]!;
    yield [text.slice(0, at) + c + text.slice(at), true];
  }
}

describe('CloudFormation robustness: prefixes and mutations of the parse fixtures', () => {
  for (const group of ['ok', 'err']) {
    const folder = path.join(__dirname, group);
    for (const name of fs.readdirSync(folder).filter((n) => /\.(?:ya?ml|json)$/.test(n)).sort()) {
      it(`${group}/${name}`, () => {
        const text = fs.readFileSync(path.join(folder, name), 'utf8');
        let seed = 0;
        for (const ch of name) {
          seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
        }
        for (const [variant, isThorough] of variants(text, 100, seed)) {
          try {
            exercise(name, variant, isThorough);
          } catch (error) {
            assert.fail(`${name} variant ${JSON.stringify(variant.slice(0, 200))} threw: ${String(error)}`);
          }
        }
      });
    }
  }
});
