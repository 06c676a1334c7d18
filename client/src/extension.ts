/**
 * The Onus extension's entry point: starts the language client, the status bar item and the commands.
 *
 * Invariant: activation never throws into VS Code; a server that cannot start shows in the status bar and the
 * output channel, not in a dialog.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { BoundedRestartHandler, createLanguageClient, sendWorkspaceTrust } from './client';
import { registerResponsibilitiesCommand } from './responsibilities';
import { MatrixView, SHOW_MATRIX_COMMAND } from './matrixView';
import { OnusStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** Activates the extension: creates the output channel, status bar and commands, and starts the server. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Onus');
  const statusBar = new OnusStatusBar();
  const errorHandler = new BoundedRestartHandler(output, () => statusBar.setState('failed'));
  context.subscriptions.push(output, statusBar);

  const languageClient = createLanguageClient(context, output, errorHandler);
  client = languageClient;
  const matrixView = new MatrixView(() => client, output);
  context.subscriptions.push(
    languageClient.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        statusBar.setState('running');
      } else if (event.newState === State.Starting) {
        statusBar.setState('starting');
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (languageClient.state === State.Running) {
        sendWorkspaceTrust(languageClient).catch((error: unknown) => output.appendLine(`[client] could not send workspace trust: ${String(error)}`));
      }
    }),
    vscode.commands.registerCommand('onus.showOutput', () => output.show(true)),
    registerResponsibilitiesCommand(),
    matrixView,
    vscode.commands.registerCommand(SHOW_MATRIX_COMMAND, () => matrixView.show()),
    vscode.commands.registerCommand('onus.restartServer', async () => {
      errorHandler.reset();
      statusBar.setState('starting');
      try {
        if (languageClient.state === State.Stopped) {
          await languageClient.start();
        } else {
          await languageClient.restart();
        }
      } catch (error) {
        output.appendLine(`[client] restart failed: ${String(error)}`);
        statusBar.setState('failed');
      }
    }),
  );

  try {
    await languageClient.start();
  } catch (error) {
    output.appendLine(`[client] the Onus server could not start: ${String(error)}`);
    statusBar.setState('failed');
  }
}

/** Stops the language server when VS Code unloads the extension. */
export async function deactivate(): Promise<void> {
  if (client) {
    try {
      await client.stop();
    } catch {
      // Shutting down anyway.
    }
    client = undefined;
  }
}
