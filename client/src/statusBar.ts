/**
 * The status bar item: the current file's Onus problems by severity, or the server's state when it is not running.
 *
 * Invariant: the counts come from `vscode.languages.getDiagnostics` filtered to `source: "onus"`, so they always match
 * the Problems panel.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../server/src/protocol';
import { documentSelector } from './client';

/** Onus problems of one file by severity. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Counts the Onus diagnostics (by `source`) of a list by severity; hints are not counted. */
export function countBySeverity(diagnostics: readonly vscode.Diagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) {
      continue;
    }
    if (d.severity === vscode.DiagnosticSeverity.Error) {
      counts.errors++;
    } else if (d.severity === vscode.DiagnosticSeverity.Warning) {
      counts.warnings++;
    } else if (d.severity === vscode.DiagnosticSeverity.Information) {
      counts.infos++;
    }
  }
  return counts;
}

/** The server's state as the status bar shows it. */
export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

/** Owns the status bar item and keeps it in step with the active editor and its diagnostics. */
export class OnusStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private state: ServerState = 'starting';

  constructor() {
    this.item = vscode.window.createStatusBarItem('onus.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Onus';
    this.item.command = 'onus.showOutput';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) {
          this.update();
        }
      }),
    );
    this.update();
  }

  /** Records the server's state and refreshes the item. */
  setState(state: ServerState): void {
    this.state = state;
    this.update();
  }

  /** Recomputes the item from the active editor. */
  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const isOurs = document !== undefined && vscode.languages.match(documentSelector, document) > 0;
    if (this.state === 'failed') {
      this.item.text = '$(error) Onus: stopped';
      this.item.tooltip = 'The Onus language server stopped repeatedly. Run "Onus: Restart Language Server" to try again.';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.show();
      return;
    }
    this.item.backgroundColor = undefined;
    if (!isOurs) {
      this.item.hide();
      return;
    }
    if (this.state !== 'running') {
      this.item.text = `$(sync~spin) Onus`;
      this.item.tooltip = `Onus language server: ${this.state}`;
      this.item.show();
      return;
    }
    const counts = countBySeverity(vscode.languages.getDiagnostics(document.uri));
    this.item.text = `Onus $(error) ${counts.errors} $(warning) ${counts.warnings} $(info) ${counts.infos}`;
    this.item.tooltip = `Onus in this file: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} information. Click for the Onus output.`;
    this.item.show();
  }

  /** Removes the item and its listeners. */
  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}
