/**
 * A minimal LSP client for the protocol tests: spawns the built server (`node dist/server.js --stdio`) and speaks
 * to it as an editor would, recording every notification it sends.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/protocol';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The built server bundle. */
export const SERVER = path.join(ROOT, 'dist', 'server.js');

/**
 * Builds the bundles when `dist/server.js` is missing or older than a source file, so running mocha alone never
 * tests a stale server (`npm test` builds first anyway).
 */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cfn-spec', 'stamp.json'))) {
    // AWS's resource specification, extracted per namespace beside the bundle (hovers, unknown property names); the
    // script builds without it when the package is not installed.
    const extracted = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'extractCfnSpec.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (extracted.status !== 0) {
      throw new Error(`extracting the CloudFormation specification failed:\n${extracted.stdout}\n${extracted.stderr}`);
    }
  }
  const newestSource = newestMtime([path.join(ROOT, 'server', 'src'), path.join(ROOT, 'rules')]);
  const built = fs.existsSync(SERVER) ? fs.statSync(SERVER).mtimeMs : 0;
  if (built >= newestSource) {
    return;
  }
  const result = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

function newestMtime(folders: string[]): number {
  let newest = 0;
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  folders.filter((f) => fs.existsSync(f)).forEach(walk);
  return newest;
}

/** A temporary folder with the given files; removed by {@link removeFolder}. */
export function makeFolder(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-protocol-'));
  for (const [name, text] of Object.entries(files)) {
    const full = path.join(folder, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return folder;
}

/** Deletes a temporary folder. */
export function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

/** The `file:` URI of a path. */
export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** Options of a test session. */
export interface ClientOptions {
  /** The `onus` settings the client answers `workspace/configuration` with. */
  settings?: Record<string, unknown>;
  /** Whether the client declares `workspace.configuration` (pull) support; default true. */
  canPullConfiguration?: boolean;
  /** Whether the client resolves code action edits lazily (`codeAction/resolve`), as VS Code does; default false. */
  canResolveCodeActions?: boolean;
  /** The `initializationOptions` sent with `initialize` (e.g. `{ isTrusted: true }`). */
  initializationOptions?: unknown;
  /** Environment variables for the server process, over this process's. */
  env?: Record<string, string>;
}

/** One running server and the client side of its connection. */
export class TestClient {
  /** Every `publishDiagnostics` received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every `window/logMessage` text received. */
  readonly logs: string[] = [];
  /** How many `workspace/codeLens/refresh` requests the server sent. */
  codeLensRefreshes = 0;
  /** The texts of open documents, kept in step with the edits the test sends. */
  readonly texts = new Map<string, { text: string; version: number }>();
  settings: Record<string, unknown>;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) =>
      process.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      this.poke();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'onus' ? this.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes += 1;
      this.poke();
      return null;
    });
  }

  /** Spawns the server and runs `initialize`/`initialized`. */
  static async start(options: ClientOptions = {}): Promise<{ client: TestClient; result: InitializeResult }> {
    const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, SERVER, '--stdio'], { stdio: 'pipe', ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    child.stderr.on('data', () => undefined);
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection, options);
    connection.listen();
    const result = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
      capabilities: {
        workspace: {
          configuration: options.canPullConfiguration ?? true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true, tagSupport: { valueSet: [1] } } },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
            ...(options.canResolveCodeActions ? { resolveSupport: { properties: ['edit'] } } : {}),
          },
        },
      },
    });
    await connection.sendNotification('initialized', {});
    return { client, result };
  }

  /** The completion items at a position (a list or a `CompletionList`'s items). */
  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri },
      position,
    });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  /** Opens a document with the given text (version 1 unless given). */
  async open(uri: string, text: string, languageId = 'terraform', version = 1): Promise<void> {
    this.texts.set(uri, { text, version });
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends incremental changes, applying them to the local copy too; returns the new version. */
  async change(uri: string, changes: { range: Range; text: string }[]): Promise<number> {
    const doc = this.texts.get(uri);
    if (!doc) {
      throw new Error(`not open: ${uri}`);
    }
    let text = doc.text;
    for (const c of changes) {
      text = applyEdits(text, [{ range: c.range, newText: c.text }]);
    }
    const version = doc.version + 1;
    this.texts.set(uri, { text, version });
    const contentChanges: TextDocumentContentChangeEvent[] = changes.map((c) => ({ range: c.range, text: c.text }));
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return version;
  }

  /** Applies LSP text edits to an open document and sends them as one incremental change. */
  async applyTextEdits(uri: string, edits: TextEdit[]): Promise<number> {
    // Send edits last-first, so each range still refers to the text the previous change left.
    const sorted = [...edits].sort((a, b) => comparePositions(b.range.start, a.range.start));
    return this.change(
      uri,
      sorted.map((e) => ({ range: e.range, text: e.newText })),
    );
  }

  /** Applies a workspace edit to the open documents it names; returns the new version of each. */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    const perUri = new Map<string, TextEdit[]>();
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) {
        const doc = this.texts.get(change.textDocument.uri);
        if (doc && change.textDocument.version !== null && change.textDocument.version !== doc.version) {
          throw new Error(`edit for version ${change.textDocument.version}, document is at ${doc.version}`);
        }
        perUri.set(change.textDocument.uri, [...(perUri.get(change.textDocument.uri) ?? []), ...(change.edits as TextEdit[])]);
      }
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      perUri.set(uri, [...(perUri.get(uri) ?? []), ...edits]);
    }
    for (const [uri, edits] of perUri) {
      versions.set(uri, await this.applyTextEdits(uri, edits));
    }
    return versions;
  }

  /** The text of an open document as the client has it. */
  textOf(uri: string): string {
    const doc = this.texts.get(uri);
    if (!doc) {
      throw new Error(`not open: ${uri}`);
    }
    return doc.text;
  }

  /** Requests code actions for a range with the given diagnostics. */
  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest<CodeAction[] | null>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return result ?? [];
  }

  /** Resolves a code action (fills in its edit). */
  async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest<CodeAction>('codeAction/resolve', action);
  }

  /** Requests the hover at a position. */
  async hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  /** Requests the code lenses of a document. */
  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.connection.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } })) ?? [];
  }

  /** Waits until the server has asked the client to refresh its code lenses `count` times in all. */
  async waitForCodeLensRefresh(count: number, timeoutMs = 30000): Promise<void> {
    await this.waitUntil(() => this.codeLensRefreshes >= count, timeoutMs, `${count} code lens refresh(es)`);
  }

  /** Changes the settings the client answers with and notifies the server. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** The latest diagnostics published for a URI, or undefined when none were. */
  latest(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) {
      if (this.published[i]!.uri === uri) {
        return this.published[i];
      }
    }
    return undefined;
  }

  /** Waits until a publication for `uri` satisfies `accept` (looking at publications after index `from`). */
  async waitForDiagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
    from = 0,
    timeoutMs = 30000,
  ): Promise<PublishDiagnosticsParams> {
    let found: PublishDiagnosticsParams | undefined;
    const check = (): boolean => {
      for (let i = from; i < this.published.length; i++) {
        const p = this.published[i]!;
        if (p.uri === uri && accept(p)) {
          found = p;
          return true;
        }
      }
      return false;
    };
    if (!check()) {
      await this.waitUntil(check, timeoutMs, `diagnostics for ${uri}`);
    }
    return found!;
  }

  /** Waits for the version's publication of a document (the one its latest edit causes). */
  async waitForVersion(uri: string, version: number, timeoutMs = 30000): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version, 0, timeoutMs);
  }

  /** Resolves after `ms` milliseconds. */
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Sends `shutdown` then `exit`, and waits for the process to end; returns its exit code. */
  async shutdown(): Promise<number | null> {
    if (this.exitCode === undefined) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    }
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    this.connection.dispose();
    if (code === 'timeout') {
      this.process.kill();
      throw new Error('the server did not exit after shutdown/exit');
    }
    return code;
  }

  /** Kills the server (for after a failed test). */
  kill(): void {
    if (this.exitCode === undefined) {
      this.process.kill();
    }
    this.connection.dispose();
  }

  private async waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const waiter = { check, resolve: () => resolve() };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.published.map((p) => [p.uri, p.version, p.diagnostics.map((d) => d.code)]))}`));
      }, timeoutMs);
    });
  }

  private poke(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    ready.forEach((w) => w.resolve());
  }
}

/** Applies LSP edits (ranges into `text`) to a text; edits must not overlap. */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = lineStarts(text);
  const offsetAt = (p: Position): number => {
    const start = lines[p.line] ?? text.length;
    return Math.min(start + p.character, text.length);
  };
  const sorted = [...edits].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offsetAt(e.range.start)) + e.newText + out.slice(offsetAt(e.range.end));
  }
  return out;
}

/** The position of an offset in a text. */
export function positionAt(text: string, offset: number): Position {
  const lines = lineStarts(text);
  let line = 0;
  while (line + 1 < lines.length && lines[line + 1]! <= offset) {
    line++;
  }
  return { line, character: offset - lines[line]! };
}

/** The position of the first occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  if (offset < 0) {
    throw new Error(`not found: ${needle}`);
  }
  return positionAt(text, offset + delta);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** The text a range covers. */
export function textIn(text: string, range: Range): string {
  const lines = lineStarts(text);
  const at = (p: Position): number => (lines[p.line] ?? text.length) + p.character;
  return text.slice(at(range.start), at(range.end));
}
