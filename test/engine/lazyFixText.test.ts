/**
 * A fix's text is written when it is read, not when the finding is made: the edits a user applies are the same, a
 * fix exists exactly when its text can be written, and copies of an edit (moved by the evaluation memo, joined with
 * another insertion) read the same text.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyEdits';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { appendResource, isWithinDepth, MAX_HCL_DOCUMENT_DEPTH, renderHclDocument, type HclDocument } from '../../server/src/parse/hcl/edit';
import { fileEdit, lazyEdit } from '../../server/src/text/lazyText';
import { generateTerraform } from '../../bench/support/generate';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { prng } from '../parse/hcl/prng';

const rules = loadBundledRuleSet();

describe('fix text written on read', () => {
  it('writes the fixed file a user applies, and every edit carries its text when serialised or spread', () => {
    const file = '/lazy/main.tf';
    const text = 'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 10\n}\n';
    const analysis = analyzeUnitOf(file, memoryFileSystem({ [file]: text }), { rules, today: '2026-01-01' });
    const ebs = analysis.findings.find((f) => f.ruleId === 'aws-ebs-volume-encryption');
    assert.ok(ebs?.fix, 'the EBS volume has a fix');
    assert.equal(
      applyEdits(text, ebs.fix.edits),
      'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 10\n  encrypted = true\n}\n',
    );
    const five = analyzeUnitOf(file, memoryFileSystem({ [file]: generateTerraform(400).text }), { rules, today: '2026-01-01' });
    const edits = five.findings.flatMap((f) => f.fix?.edits ?? []);
    assert.ok(edits.length > 50);
    for (const edit of edits) {
      const copy = { ...edit };
      assert.equal(typeof copy.newText, 'string');
      assert.deepEqual(JSON.parse(JSON.stringify(edit)), { file: edit.file, span: edit.span, newText: copy.newText });
    }
  });

  it('renders once however many copies read it, and a copy keeps its own span', () => {
    let renders = 0;
    const edit = fileEdit('/f.tf', lazyEdit({ start: 3, end: 3 }, () => `text ${++renders}`));
    const moved = fileEdit(edit.file, edit, { start: 7, end: 7 });
    assert.equal(renders, 0);
    assert.deepEqual(moved, { file: '/f.tf', span: { start: 7, end: 7 }, newText: 'text 1' });
    assert.deepEqual(edit, { file: '/f.tf', span: { start: 3, end: 3 }, newText: 'text 1' });
    assert.equal(renders, 1);
    moved.newText += '!';
    assert.equal(moved.newText, 'text 1!');
    assert.equal(edit.newText, 'text 1');
  });

  it('offers a companion exactly when its document can be written (random documents around the depth limit)', () => {
    const random = prng(9);
    const scalar = (): HclDocument => [null, true, 3, 'a', '${x.id}'][Math.floor(random() * 5)]!;
    const documentOf = (depth: number): HclDocument => {
      const r = random();
      if (depth > MAX_HCL_DOCUMENT_DEPTH + 3 || r < 0.1) {
        return scalar();
      }
      const n = Math.floor(random() * 3);
      if (r < 0.5) {
        return Array.from({ length: n }, () => (random() < 0.4 ? scalar() : documentOf(depth + 1)));
      }
      if (r < 0.6) {
        return { expression: 'x.id' };
      }
      return Object.fromEntries(Array.from({ length: n + 1 }, (_, i) => [`k${i}`, documentOf(depth + 1)]));
    };
    let writable = 0;
    let unwritable = 0;
    for (let i = 0; i < 3000; i++) {
      const document = documentOf(Math.floor(random() * (MAX_HCL_DOCUMENT_DEPTH + 2)) - 4);
      const rendered = renderHclDocument(document, '  ', '  ', '\n');
      assert.equal(isWithinDepth(document, 0), rendered !== undefined, JSON.stringify(document));
      const edit = appendResource('x\n', 1, { type: 't', name: 'n', attributes: [['a', document]] });
      assert.equal(edit !== undefined, rendered !== undefined || (typeof document === 'object' && document !== null && 'expression' in document && Object.keys(document).length === 1));
      if (rendered === undefined) {
        unwritable++;
      } else {
        writable++;
      }
    }
    assert.ok(writable > 100 && unwritable > 100, `${writable} writable, ${unwritable} not`);
  });
});
