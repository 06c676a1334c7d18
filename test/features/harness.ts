/**
 * Feature tests at the `features/` API: a {@link Workspace} over in-memory documents and files, the bundled rule set,
 * and fourslash-style markers in the source (`/*|*\/` for the cursor, `[|…|]` for an expected range).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { Workspace, type CachedAnalysis, type TrackedDocument } from '../../server/src/features/workspace';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** The folder the test documents live in (never read from disk). */
export const FOLDER = path.resolve('/onus-features-test/module');

let bundled: RuleSet | undefined;

/** The bundled rule set, loaded once. */
export function ruleSet(): RuleSet {
  bundled ??= loadBundledRuleSet();
  return bundled;
}

/** A source with its markers removed, the cursor offset and the expected ranges' offsets. */
export interface Marked {
  text: string;
  cursor: number | undefined;
  ranges: { start: number; end: number }[];
}

/** Strips `/*|*\/` (the cursor) and `[|…|]` (expected ranges) from a source. */
export function parseMarkers(source: string): Marked {
  let text = '';
  let cursor: number | undefined;
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (let i = 0; i < source.length; ) {
    if (source.startsWith('/*|*/', i)) {
      cursor = text.length;
      i += 5;
    } else if (source.startsWith('[|', i)) {
      open.push(text.length);
      i += 2;
    } else if (source.startsWith('|]', i)) {
      ranges.push({ start: open.pop() ?? 0, end: text.length });
      i += 2;
    } else {
      text += source[i];
      i++;
    }
  }
  return { text, cursor, ranges };
}

/** An open document plus a workspace holding it, and helpers to reach its analysis. */
export interface Fixture {
  workspace: Workspace;
  tracked: TrackedDocument;
  document: TextDocument;
  entry: CachedAnalysis;
  options: AnalyzeOptions;
}

/** Opens `text` as `main.tf` (or `name`) in a module whose other files are `files` (on the in-memory disk). */
export function openFixture(text: string, name = 'main.tf', files: Record<string, string> = {}): Fixture {
  const filePath = path.join(FOLDER, name);
  const document = TextDocument.create(pathToFileURL(filePath).href, name.endsWith('.tfvars') ? 'terraform-vars' : 'terraform', 1, text);
  const disk = memoryFileSystem(Object.fromEntries(Object.entries({ ...files, [name]: text }).map(([n, t]) => [path.join(FOLDER, n), t])));
  const workspace = new Workspace({ get: (uri) => (uri === document.uri ? document : undefined), all: () => [document] }, disk);
  const tracked = workspace.track(document);
  if (!tracked) {
    throw new Error('not tracked');
  }
  const options: AnalyzeOptions = { rules: ruleSet(), today: '2026-01-01' };
  const entry = workspace.analyze(workspace.unitOf(tracked.path), tracked.path, options);
  return { workspace, tracked, document, entry, options };
}
