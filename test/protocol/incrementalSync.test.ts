/**
 * Incremental sync equivalence: seeded random sequences of `didChange` edits with incremental ranges (insertions,
 * deletions, replacements, several changes in one notification, line breaks and pasted pieces of the file) sent to
 * one server give, after every edit, exactly the diagnostics a second server publishes for a fresh full-text open
 * of the same text (the document version inside `data` aside).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams, Range } from 'vscode-languageserver-protocol';
import { prng } from '../parse/hcl/prng';
import { ensureBuilt, makeFolder, positionAt, removeFolder, ROOT, TestClient, uriOf } from './lspClient';

/** Edits per document. */
const EDITS = 24;

/** The documents edited: the examples of each language. */
const DOCUMENTS = [
  { name: 'main.tf', source: 'examples/terraform/app/main.tf', languageId: 'terraform' },
  { name: 'app.yaml', source: 'examples/cloudformation/app.yaml', languageId: 'yaml' },
  { name: 'main.bicep', source: 'examples/bicep/main.bicep', languageId: 'bicep' },
];

/** Pieces an edit may type, besides pieces of the file itself. */
const TYPED = ['', 'a', '"', '{', '}', '[', ']', '\n', '  ', '=', ':', '#', 'true', 'false', '${', "'", '\r\n', 'é', '😀'];

/** Diagnostics in a comparable form: sorted. */
function normalize(p: PublishDiagnosticsParams | undefined): unknown[] {
  return (p?.diagnostics ?? [])
    .map((d: Diagnostic) => JSON.stringify(d))
    .sort()
    .map((s) => JSON.parse(s) as unknown);
}

/** One random incremental change against `text`: a range (never inside a surrogate pair) and its new text. */
function randomChange(random: () => number, text: string, protectedPrefix: number): { range: Range; text: string } {
  const pick = (below: number) => Math.floor(random() * Math.max(1, below));
  const clamp = (offset: number) => {
    let at = Math.max(protectedPrefix, Math.min(offset, text.length));
    // Never split a surrogate pair: an editor's positions fall between whole characters.
    if (at > 0 && at < text.length && /[\ud800-\udbff]/.test(text[at - 1]!)) {
      at++;
    }
    return at;
  };
  const start = clamp(protectedPrefix + pick(text.length - protectedPrefix + 1));
  const end = clamp(start + (random() < 0.4 ? 0 : pick(random() < 0.8 ? 6 : 60)));
  let inserted: string;
  if (random() < 0.25) {
    const from = pick(text.length);
    inserted = text.slice(from, from + pick(40));
    if (/[\ud800-\udbff]$/.test(inserted) || /^[\udc00-\udfff]/.test(inserted)) {
      inserted = '';
    }
  } else {
    inserted = TYPED[pick(TYPED.length)]!;
  }
  return { range: { start: positionAt(text, start), end: positionAt(text, end) }, text: inserted };
}

/** Applies one change to a text (positions through {@link positionAt}'s inverse). */
function offsetAt(text: string, position: { line: number; character: number }): number {
  let line = 0;
  let offset = 0;
  while (line < position.line && offset < text.length) {
    const c = text[offset]!;
    offset++;
    if (c === '\n' || (c === '\r' && text[offset] !== '\n')) {
      line++;
    }
  }
  return Math.min(offset + position.character, text.length);
}

describe('protocol: incremental edits give the diagnostics of a fresh open', function () {
  this.timeout(10 * 60 * 1000);
  let edited: TestClient | undefined;
  let fresh: TestClient | undefined;
  const folders: string[] = [];

  before(() => ensureBuilt());

  afterEach(() => {
    edited?.kill();
    fresh?.kill();
    edited = fresh = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  for (const [n, doc] of DOCUMENTS.entries()) {
    it(`${doc.name}: ${EDITS} random incremental edits, each compared with a fresh open`, async () => {
      const original = fs.readFileSync(path.join(ROOT, doc.source), 'utf8');
      const folder = makeFolder({ [doc.name]: original });
      folders.push(folder);
      const uri = uriOf(path.join(folder, doc.name));
      edited = (await TestClient.start()).client;
      fresh = (await TestClient.start()).client;
      // YAML and JSON are templates by their content: edits leave the first line, which says so, alone.
      const protectedPrefix = doc.languageId === 'yaml' ? original.indexOf('\n') + 1 : 0;
      const random = prng(0x51c0 + n);
      await edited.open(uri, original, doc.languageId);
      let published: PublishDiagnosticsParams = await edited.waitForVersion(uri, 1);
      let checked = 0;
      let withFindings = 0;
      let cleared = 0;
      for (let version = 2; version <= EDITS + 1; version++) {
        // One to three changes per notification, each against the text the previous one left.
        let text: string = edited.texts.get(uri)!.text;
        const changes: { range: Range; text: string }[] = [];
        const isReverting = published.version === undefined;
        if (isReverting) {
          // The last edit left a YAML file that is no template (nothing more is published while it stays so): undo
          // everything with one change over the whole text, as an editor's "revert" sends it.
          changes.push({ range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) }, text: original });
          text = original;
        }
        for (let k = random() < 0.7 ? 1 : 2 + Math.floor(random() * 2); k > 0 && !isReverting; k--) {
          const change = randomChange(random, text, protectedPrefix);
          changes.push(change);
          text = text.slice(0, offsetAt(text, change.range.start)) + change.text + text.slice(offsetAt(text, change.range.end));
        }
        const from = edited.published.length;
        const sent: number = await edited.change(uri, changes);
        assert.equal(sent, version);
        assert.equal(edited.texts.get(uri)!.text, text, 'the test applies changes as the server does');
        // The version's diagnostics, or a clearing (no version) when the edit left a YAML file that is no template.
        published = await edited.waitForDiagnostics(uri, (p) => p.version === version || p.version === undefined, from);
        const freshFrom: number = fresh.published.length;
        await fresh.open(uri, text, doc.languageId, version);
        let reference: PublishDiagnosticsParams | undefined;
        if (published.version === undefined) {
          // A fresh open of a file that is no template publishes nothing at all.
          await fresh.sleep(1000);
          reference = fresh.published.slice(freshFrom).find((p) => p.uri === uri);
          assert.equal(reference, undefined, `a fresh open published for a file the edited server cleared:\n${text}`);
          cleared++;
        } else {
          reference = await fresh.waitForVersion(uri, version);
        }
        await fresh.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        fresh.texts.delete(uri);
        assert.deepEqual(normalize(published), normalize(reference), `after edit ${version - 1}:\n${text}`);
        checked++;
        withFindings += published.diagnostics.some((d) => typeof d.code === 'string' && !/^[A-Z]/.test(d.code)) ? 1 : 0;
      }
      assert.equal(checked, EDITS);
      // The sequences keep the documents meaningful: a good share of versions still have findings to compare.
      assert.ok(withFindings >= EDITS / 4, `only ${withFindings} of ${EDITS} versions had findings (${cleared} cleared)`);
    });
  }
});
