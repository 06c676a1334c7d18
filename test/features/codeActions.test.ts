/**
 * Code actions and diagnostics at the `features/` API: fix-all's overlap rule, the suppression edit, and how
 * findings become diagnostics.
 */
import * as assert from 'node:assert/strict';
import { CodeActionKind, DiagnosticSeverity, type CodeActionParams, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { Finding, TextEdit } from '../../server/src/engine/types';
import { applicableFixes, editsOverlap } from '../../server/src/engine/fixAll';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { ownershipText, provideDiagnostics, severityOf } from '../../server/src/features/diagnostics';
import { openFixture, type Fixture } from './harness';

function finding(ruleId: string, edits: [number, number][], file = '/m/main.tf'): Finding {
  return {
    ruleId,
    severity: 'medium',
    owner: 'customer',
    layer: 'data',
    service: 'aws/s3',
    message: ruleId,
    file,
    format: 'terraform',
    span: { start: edits[0]?.[0] ?? 0, end: edits[0]?.[1] ?? 0 },
    resource: 'aws_s3_bucket.b',
    resourceType: 'aws_s3_bucket',
    fix: { title: ruleId, isSafe: true, edits: edits.map(([start, end]): TextEdit => ({ file, span: { start, end }, newText: 'x' })) },
  };
}

describe('features/codeActions', () => {
  const overlapCases: { name: string; findings: Finding[]; kept: string[] }[] = [
    { name: 'disjoint fixes are all kept, sorted by position', findings: [finding('b', [[20, 25]]), finding('a', [[0, 5]])], kept: ['a', 'b'] },
    { name: 'an overlapping later fix is dropped', findings: [finding('a', [[0, 10]]), finding('b', [[5, 15]])], kept: ['a'] },
    { name: 'touching fixes do not overlap', findings: [finding('a', [[0, 5]]), finding('b', [[5, 9]])], kept: ['a', 'b'] },
    { name: 'two insertions at one offset overlap (their order would be a guess)', findings: [finding('a', [[7, 7]]), finding('b', [[7, 7]])], kept: ['a'] },
    { name: 'a fix with several edits is dropped whole when one overlaps', findings: [finding('a', [[0, 3]]), finding('b', [[10, 12], [2, 4]])], kept: ['a'] },
    { name: 'a fix that edits another file is left to its quick fix', findings: [finding('a', [[0, 3]], '/m/other.tf')], kept: [] },
  ];
  for (const c of overlapCases) {
    it(c.name, () => {
      assert.deepEqual(
        applicableFixes(c.findings, '/m/main.tf').map((f) => f.ruleId),
        c.kept,
      );
    });
  }

  it('edits in different files never overlap', () => {
    assert.equal(editsOverlap({ file: '/a', span: { start: 0, end: 5 }, newText: '' }, { file: '/b', span: { start: 0, end: 5 }, newText: '' }), false);
  });

  function actions(fixture: Fixture, only?: string[]) {
    const diagnostics = provideDiagnostics(fixture.entry, fixture.tracked);
    const params: CodeActionParams = {
      textDocument: { uri: fixture.document.uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, ...(only ? { only } : {}) },
    };
    return provideCodeActions(params, {
      workspace: fixture.workspace,
      tracked: fixture.tracked,
      entry: fixture.entry,
      options: fixture.options,
      canResolveEdits: false,
      canUseDocumentChanges: false,
    });
  }

  it('keeps CRLF line endings in the suppression comment', () => {
    const fixture = openFixture('resource "aws_s3_bucket" "b" {\r\n  bucket = "b"\r\n}\r\n');
    const suppress = actions(fixture).find((a) => a.title === 'Suppress aws-s3-versioning with a reason');
    const edits = Object.values(suppress?.edit?.changes ?? {})[0] as LspTextEdit[];
    assert.deepEqual(edits, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: '# onus:ignore aws-s3-versioning reason: why this is acceptable\r\n',
      },
    ]);
  });

  it('offers no suppression in .tf.json files, which cannot hold comments', () => {
    const fixture = openFixture(JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: 'b' } } } }, null, 2), 'main.tf.json');
    const all = actions(fixture);
    assert.ok(provideDiagnostics(fixture.entry, fixture.tracked).some((d) => d.code === 'aws-s3-versioning'));
    assert.equal(
      all.filter((a) => a.title.startsWith('Suppress')).length,
      0,
    );
  });

  it('answers `only: ["source"]` with the fix-all action alone', () => {
    const fixture = openFixture('resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n');
    const result = actions(fixture, [CodeActionKind.Source]);
    assert.deepEqual(
      result.map((a) => [a.kind, a.title]),
      [['source.fixAll.onus', 'Fix all Onus problems in this file']],
    );
  });
});

describe('features/diagnostics', () => {
  const severities = [
    ['critical', DiagnosticSeverity.Error],
    ['high', DiagnosticSeverity.Error],
    ['medium', DiagnosticSeverity.Warning],
    ['low', DiagnosticSeverity.Information],
  ] as const;
  for (const [severity, expected] of severities) {
    it(`maps ${severity} to ${expected}`, () => assert.equal(severityOf(severity), expected));
  }

  it('writes owner and layer as "customer-owned · data layer" and "shared · os layer"', () => {
    assert.equal(ownershipText('customer', 'data'), 'customer-owned · data layer');
    assert.equal(ownershipText('shared', 'os'), 'shared · os layer');
    assert.equal(ownershipText('provider', 'physical'), 'provider-owned · physical layer');
  });

  it('publishes only syntax errors for a .tfvars file', () => {
    const fixture = openFixture('region = "eu-west-1"\nbroken = \n', 'prod.tfvars');
    const diagnostics = provideDiagnostics(fixture.entry, fixture.tracked);
    assert.ok(diagnostics.length >= 1);
    for (const d of diagnostics) {
      assert.match(String(d.code), /^HCL\d{3}$/);
      assert.equal(d.source, 'onus');
    }
  });
});
