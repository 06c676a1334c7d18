/**
 * The diagnostics of an edited document: a finding an edit left at the same range keeps its diagnostic object from
 * one publication to the next, and every publication is what a fresh server would publish for that text.
 */
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { FindingDiagnosticsCache, provideDiagnostics } from '../../server/src/features/diagnostics';
import { Workspace } from '../../server/src/features/workspace';
import { generate, type Language } from '../../bench/support/generate';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { seededInts } from '../support/randomEdits';
import { ruleSet } from './harness';

const FILES: Record<Language, { name: string; languageId: string }> = {
  terraform: { name: '/kept/main.tf', languageId: 'terraform' },
  cloudformation: { name: '/kept/stack.yaml', languageId: 'yaml' },
  bicep: { name: '/kept/main.bicep', languageId: 'bicep' },
};

/** A document's publications, version after version, from one workspace (as the server keeps it) with a cache or without. */
class Publisher {
  private document: TextDocument | undefined;
  private readonly workspace = new Workspace(
    { get: (uri) => (uri === this.document?.uri ? this.document : undefined), all: () => (this.document ? [this.document] : []) },
    memoryFileSystem({}),
  );
  private readonly options: AnalyzeOptions = { rules: ruleSet(), today: '2026-01-01' };

  constructor(
    private readonly uri: string,
    private readonly languageId: string,
    private readonly cache: FindingDiagnosticsCache | undefined,
  ) {}

  publish(text: string): Diagnostic[] {
    this.document = TextDocument.create(this.uri, this.languageId, (this.document?.version ?? 0) + 1, text);
    const tracked = this.workspace.track(this.document)!;
    return provideDiagnostics(this.workspace.analyze(this.workspace.unitOf(tracked.path), tracked.path, this.options), tracked, this.cache);
  }
}

/** `text` with `piece` typed at the end of its middle line. */
function typedAtMiddleLineEnd(text: string, piece: string): string {
  const at = text.indexOf('\n', text.length >> 1);
  return `${text.slice(0, at)}${piece}${text.slice(at)}`;
}

describe('features/diagnostics: diagnostics kept from one publication to the next', () => {
  it('keeps every diagnostic object when a space is typed at the end of a line, though the findings below moved', () => {
    for (const language of ['terraform', 'cloudformation', 'bicep'] as const) {
      const { name, languageId } = FILES[language];
      const publisher = new Publisher(pathToFileURL(name).href, languageId, new FindingDiagnosticsCache());
      const text = generate(language, 300).text;
      const before = publisher.publish(text);
      const after = publisher.publish(typedAtMiddleLineEnd(text, ' '));
      assert.ok(before.length > 50, `${language}: ${before.length} diagnostics`);
      assert.equal(after.length, before.length, language);
      assert.deepEqual(
        after.map((d, i) => (d === before[i] ? 'kept' : d.code)).filter((x) => x !== 'kept'),
        [],
        `${language}: diagnostics made again`,
      );
    }
  });

  it('gives a finding whose message changed at the same range a new diagnostic, and one whose range moved', () => {
    const text = `resource "azurerm_eventhub_namespace" "main" {
  name                = "events"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Standard"
  minimum_tls_version = "1.0"
}
`;
    const publisher = new Publisher(pathToFileURL('/kept/tls/main.tf').href, 'terraform', new FindingDiagnosticsCache());
    const tlsOf = (list: Diagnostic[]) => list.find((d) => d.code === 'azure-eventhub-min-tls');
    const first = tlsOf(publisher.publish(text));
    assert.match(first?.message ?? '', /minimum "1\.0"/);
    const changed = tlsOf(publisher.publish(text.replace('"1.0"', '"1.1"')));
    assert.deepEqual(changed?.range, first?.range, 'the same range');
    assert.match(changed?.message ?? '', /minimum "1\.1"/);
    const moved = tlsOf(publisher.publish(`# events\n${text.replace('"1.0"', '"1.1"')}`));
    assert.equal(moved?.range.start.line, (first?.range.start.line ?? 0) + 1);
    assert.equal(moved?.message, changed?.message);
  });

  it('publishes over random edits what a server that never saw the earlier versions publishes', function () {
    this.timeout(600000);
    for (const language of ['terraform', 'cloudformation', 'bicep'] as const) {
      const random = seededInts(11);
      const { name, languageId } = FILES[language];
      const uri = pathToFileURL(name).href;
      const publisher = new Publisher(uri, languageId, new FindingDiagnosticsCache());
      let text = generate(language, 200).text;
      let last = publisher.publish(text);
      let kept = 0;
      for (let i = 0; i < 30; i++) {
        const lines = text.split('\n');
        const line = random(lines.length);
        const at = lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + random(lines[line]!.length + 1);
        const kind = random(5);
        if (kind === 0) {
          text = `${text.slice(0, at)}${' x"{}:\n1'[random(8)]}${text.slice(at)}`;
        } else if (kind === 1) {
          text = `${text.slice(0, at)}${text.slice(at + 1 + random(3))}`;
        } else if (kind === 2) {
          lines.splice(line, 0, lines[line]!);
          text = lines.join('\n');
        } else if (kind === 3) {
          // A value replaced by one of the same length: findings keep their ranges, some change their message.
          text = text.replace(/(true|false)/, (v) => (v === 'true' ? 'fals' : 'tru'));
        } else {
          text = typedAtMiddleLineEnd(text, ' ');
        }
        const previous = new Set(last);
        last = publisher.publish(text);
        kept += last.filter((d) => previous.has(d)).length;
        assert.deepEqual(last, new Publisher(uri, languageId, undefined).publish(text), `${language} edit ${i}`);
      }
      assert.ok(kept > 0, `${language}: diagnostics were kept`);
    }
  });
});
