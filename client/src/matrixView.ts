/**
 * "Onus: Show Responsibility Matrix": asks the server for the matrix of every workspace folder (`onus/matrix`) under a
 * cancellable progress notification, and shows it in a webview: the page `onus matrix --format html` writes, plus a
 * script that opens a file at a line when a finding, gap or resource is clicked, and Export to Markdown and CSV
 * buttons that save through a save dialog.
 *
 * Invariants:
 * - The webview's Content-Security-Policy allows only its own inline style and script (by nonce); it loads nothing.
 * - A message from the webview is never trusted: a file is opened only when the matrix names it, and an export
 *   writes only where the user chose in the save dialog.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { renderMatrixCsv } from '../../server/src/engine/matrixCsv';
import { MatrixData } from '../../server/src/engine/matrixData';
import { renderMatrixHtml } from '../../server/src/engine/matrixHtml';
import { renderMatrixMarkdown } from '../../server/src/engine/matrixMarkdown';
import {
  MATRIX_PROGRESS,
  MATRIX_REQUEST,
  type MatrixParams,
  type MatrixProgressParams,
  type MatrixResult,
} from '../../server/src/protocol';

/** The command's id (also in `package.json`). */
export const SHOW_MATRIX_COMMAND = 'onus.showMatrix';

/** The webview's type. */
const VIEW_TYPE = 'onus.matrix';

/** A message the webview's script posts. */
type ViewMessage = { command: 'open'; file: string; line: number; column: number } | { command: 'export'; format: 'markdown' | 'csv' };

/** The matrix view: one panel, reused and refreshed by each run of the command. */
export class MatrixView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private matrix: MatrixData | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** Scans the workspace and shows (or refreshes) the view. */
  async show(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const client = this.client();
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('Onus: open a folder to see its Responsibility Matrix.');
      return;
    }
    if (!client?.isRunning()) {
      void vscode.window.showWarningMessage('Onus: the language server is not running; run "Onus: Restart Language Server".');
      return;
    }
    const params: MatrixParams = { folders: folders.map((f) => f.uri.toString()) };
    let result: MatrixResult | null = null;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Onus: scanning the workspace', cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const subscription = client.onNotification(MATRIX_PROGRESS, (p: MatrixProgressParams) => {
            const percent = p.total > 0 ? (p.done / p.total) * 100 : 100;
            progress.report({ message: `${p.done} of ${p.total} modules and templates`, increment: percent - reported });
            reported = percent;
          });
          try {
            return await client.sendRequest<MatrixResult | null>(MATRIX_REQUEST, params, token);
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (error) {
      this.output.appendLine(`[client] the Responsibility Matrix failed: ${String(error)}`);
      void vscode.window.showErrorMessage('Onus: the Responsibility Matrix could not be built (see "Onus: Show Output").');
      return;
    }
    if (!result) {
      // Cancelled, or `onus.enable` is false.
      return;
    }
    this.matrix = result.matrix;
    this.render(folders);
  }

  /** Puts the matrix into the panel, creating the panel on first use. */
  private render(folders: readonly vscode.WorkspaceFolder[]): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Responsibility Matrix', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message), undefined, this.disposables);
    }
    const nonce = randomBytes(16).toString('hex');
    this.panel.webview.html = renderMatrixHtml(this.matrix!, {
      nonce,
      scannedLabel: folders.map((f) => f.name).join(', '),
      displayPath: (file) => vscode.workspace.asRelativePath(file, folders.length > 1),
    });
    this.panel.reveal(undefined, false);
  }

  /** Handles a click or an export request from the webview. */
  private async onMessage(message: unknown): Promise<void> {
    const matrix = this.matrix;
    if (!matrix || typeof message !== 'object' || message === null) {
      return;
    }
    const m = message as ViewMessage;
    try {
      if (m.command === 'open' && typeof m.file === 'string' && filesOf(matrix).has(m.file)) {
        const line = Math.max(0, (Number(m.line) || 1) - 1);
        const character = Math.max(0, (Number(m.column) || 1) - 1);
        const position = new vscode.Position(line, character);
        await vscode.window.showTextDocument(vscode.Uri.file(m.file), {
          selection: new vscode.Range(position, position),
          viewColumn: vscode.ViewColumn.One,
        });
      } else if (m.command === 'export' && (m.format === 'markdown' || m.format === 'csv')) {
        await this.export(matrix, m.format);
      }
    } catch (error) {
      this.output.appendLine(`[client] matrix view: ${String(error)}`);
    }
  }

  /** Saves the matrix as Markdown or CSV where the user chooses, with paths relative to the workspace. */
  private async export(matrix: MatrixData, format: 'markdown' | 'csv'): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const relative = MatrixData.mapFiles(matrix, (file) => vscode.workspace.asRelativePath(file, folders.length > 1));
    const text = format === 'markdown' ? renderMatrixMarkdown(relative) : renderMatrixCsv(relative);
    const name = format === 'markdown' ? 'responsibility-matrix.md' : 'responsibility-matrix.csv';
    const base = folders[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
      filters: format === 'markdown' ? { Markdown: ['md'] } : { CSV: ['csv'] },
      saveLabel: format === 'markdown' ? 'Export to Markdown' : 'Export to CSV',
    });
    if (!target) {
      return;
    }
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    void vscode.window.showInformationMessage(`Onus: Responsibility Matrix saved to ${path.basename(target.fsPath)}.`);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** Every file the matrix names (the only ones the view opens). */
function filesOf(matrix: MatrixData): Set<string> {
  const files = new Set<string>();
  for (const service of matrix.providers.flatMap((p) => p.services)) {
    service.resources.forEach((r) => files.add(r.file));
    for (const cell of service.cells) {
      cell.findings.forEach((f) => files.add(f.file));
      cell.gaps.forEach((g) => files.add(g.file));
    }
  }
  matrix.unlisted.forEach((u) => u.resources.forEach((r) => files.add(r.file)));
  return files;
}
