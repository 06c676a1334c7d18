/**
 * Starts the Onus language server (`dist/server.js`, over IPC) and keeps it alive within bounds.
 *
 * Invariants:
 * - The server crashing never pops up a dialog: `revealOutputChannelOn` is `Never`, errors are logged to the Onus
 *   output channel, and the status bar item reports a stopped server.
 * - The server is restarted at most {@link MAX_RESTARTS} times within {@link RESTART_WINDOW_MS}; after that it stays
 *   stopped until the user runs "Onus: Restart Language Server".
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DID_CHANGE_WORKSPACE_TRUST,
  DOCUMENT_SELECTOR,
  SERVER_NODE_OPTIONS,
  SETTINGS_SECTION,
  type InitializationOptions,
  type OnusSettings,
  type WorkspaceTrustParams,
} from '../../server/src/protocol';

/** The most restarts allowed within {@link RESTART_WINDOW_MS}. */
export const MAX_RESTARTS = 5;

/** The window over which restarts are counted: three minutes. */
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** The client's id; it also names the `onus.trace.server` setting. */
export const CLIENT_ID = 'onus';

/** The document selector in VS Code's shape (the single definition is in the shared protocol). */
export const documentSelector: DocumentSelector = DOCUMENT_SELECTOR.map((filter) => ({ ...filter }));

/** Restarts a crashed server a bounded number of times, then stops and tells the extension. */
export class BoundedRestartHandler implements ErrorHandler {
  private restarts: number[] = [];

  constructor(
    private readonly output: vscode.OutputChannel,
    /** Called once the handler gives up, so the status bar can say so. */
    private readonly onGaveUp: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets past restarts (after the user restarts the server by hand). */
  reset(): void {
    this.restarts = [];
  }

  /** A read or write error on the connection: continue a few times, then shut the connection down. */
  error(error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    this.output.appendLine(`[client] connection error${message ? ` on ${JSON.stringify(message).slice(0, 200)}` : ''}: ${error.message}`);
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  /** The server's process exited: restart it unless it already restarted too often recently. */
  closed(): CloseHandlerResult {
    const now = this.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.output.appendLine(
        `[client] the Onus server stopped ${MAX_RESTARTS + 1} times in ${RESTART_WINDOW_MS / 60000} minutes; it will not be restarted. Run "Onus: Restart Language Server" to try again.`,
      );
      this.onGaveUp();
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restarts.push(now);
    this.output.appendLine(`[client] the Onus server stopped; restarting (${this.restarts.length}/${MAX_RESTARTS}).`);
    return { action: CloseAction.Restart, handled: true };
  }
}

/** The `onus` settings as a plain object, sent as `initializationOptions` for the server's first analysis. */
export function currentSettings(): Partial<OnusSettings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    enable: config.get<boolean>('enable'),
    severity: config.get<OnusSettings['severity']>('severity') ?? null,
    rules: { disabled: config.get<string[]>('rules.disabled') ?? [], enabled: config.get<string[]>('rules.enabled') ?? [] },
    codeLens: { enable: config.get<boolean>('codeLens.enable') ?? true },
    maxFileSize: config.get<number>('maxFileSize'),
  };
}

/** Tells the server that the user trusted the workspace, so that it loads the custom rules `.onus.yaml` names. */
export async function sendWorkspaceTrust(client: LanguageClient): Promise<void> {
  const params: WorkspaceTrustParams = { isTrusted: vscode.workspace.isTrusted };
  await client.sendNotification(DID_CHANGE_WORKSPACE_TRUST, params);
}

/** Creates (but does not start) the language client for the bundled server. */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  errorHandler: ErrorHandler,
): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
    // Custom rules are data from the workspace; the server loads them only when the workspace is trusted.
    initializationOptions: (): InitializationOptions => ({ settings: currentSettings(), isTrusted: vscode.workspace.isTrusted }),
    // Settings are pulled by the server with `workspace/configuration`; it registers for change notifications and
    // for file watching itself, so nothing is synchronised here.
  };
  return new LanguageClient(CLIENT_ID, 'Onus', serverOptions, clientOptions);
}
