/**
 * The Onus language server: LSP wiring only. Every feature lives in `features/` (one per file) over the engine;
 * this file negotiates capabilities and routes requests and notifications to them.
 *
 * Invariants:
 * - Every handler runs through one `guard(name, fallback, fn)`: a failure is logged once per handler name and
 *   answered with the fallback; the process also survives uncaught exceptions and unhandled rejections.
 * - Documents sync incrementally; analysis runs debounced after the last change (see `features/diagnostics.ts`)
 *   and hover and code actions reuse the analysis of the current version.
 * - Nothing from the workspace is executed, and the server makes no network access.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { AnalyzeOptions } from './engine/analyze';
import { loadBundledRuleSet } from './engine/loadRules';
import type { RuleSet } from './engine/ruleSet';
import { CODE_ACTION_KINDS, FixAllData, provideCodeActions, resolveCodeAction } from './features/codeActions';
import { DiagnosticsScheduler } from './features/diagnostics';
import { createGuard, describeError } from './features/guard';
import { provideHover } from './features/hover';
import { SettingsStore } from './features/settings';
import { Workspace, type CachedAnalysis, type TrackedDocument } from './features/workspace';
import { WATCHED_FILES_GLOB, type InitializationOptions } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const { guard } = createGuard((message) => connection.console.error(message));

// The last line of defence: an exception that escapes every guard (a timer, a stream callback) is logged and the
// server keeps running, because a silent dead server is worse than one bad answer.
process.on('uncaughtException', (error) => logSafely(`[onus] uncaught exception:\n${describeError(error)}`));
process.on('unhandledRejection', (reason) => logSafely(`[onus] unhandled rejection:\n${describeError(reason)}`));

const settings = new SettingsStore();
const workspace = new Workspace(documents);
const emptyRuleSet: RuleSet = { rules: [], byId: new Map(), services: [] };
let ruleSet: RuleSet = emptyRuleSet;
let canUseDocumentChanges = false;
let canResolveEdits = false;
let canRegisterConfiguration = false;
let canRegisterWatchers = false;

/** The engine options for the current settings, or undefined while `onus.enable` is false. */
function analyzeOptions(): AnalyzeOptions | undefined {
  const current = settings.settings;
  if (!current.enable) {
    return undefined;
  }
  return {
    rules: ruleSet,
    minimumSeverity: current.severity,
    disabledRules: current.rules.disabled,
    onInternalError: reportRuleError,
  };
}

const failedRules = new Set<string>();

/** A rule that throws is skipped by the engine (the others still report); its stack is logged once per session. */
function reportRuleError(ruleId: string, error: unknown): void {
  if (!failedRules.has(ruleId)) {
    failedRules.add(ruleId);
    logSafely(`[onus] internal error in rule ${ruleId} (skipped; other rules still report):\n${describeError(error)}`);
  }
}

/** The analysis of a tracked document's unit for its current version: cached, or computed now and cached. */
function analysisOf(tracked: TrackedDocument): CachedAnalysis | undefined {
  const options = analyzeOptions();
  return options ? workspace.analyze(workspace.unitOf(tracked.path), tracked.path, options) : undefined;
}

const scheduler = new DiagnosticsScheduler({
  workspace,
  options: analyzeOptions,
  publish: (uri, version, diagnostics) => {
    void connection.sendDiagnostics({ uri, version, diagnostics });
  },
  guard,
});

// Capability negotiation. The server announces incremental sync, quick fixes plus its own fix-all kind (so
// `"editor.codeActionsOnSave": {"source.fixAll.onus": "explicit"}` works), and hovers. Settings are pulled with
// `workspace/configuration` when the client can answer it; otherwise they come from `initializationOptions` and the
// `didChangeConfiguration` payload. File watching is registered dynamically when the client allows it, since the
// engine reads a module's closed files from disk.
connection.onInitialize((params) =>
  guard<InitializeResult>('initialize', { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }, () => {
    const capabilities = params.capabilities;
    settings.canPullConfiguration = capabilities.workspace?.configuration === true;
    canUseDocumentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    canResolveEdits = capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    canRegisterConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRegisterWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const options = params.initializationOptions as InitializationOptions | undefined;
    if (options?.settings !== undefined) {
      settings.applyPayload(options.settings);
    }
    ruleSet = guard('load rules', emptyRuleSet, () => loadBundledRuleSet());
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true },
        hoverProvider: true,
      },
      serverInfo: { name: 'onus' },
    };
  }),
);

connection.onInitialized(() => {
  void guard('initialized', Promise.resolve(), async () => {
    if (canRegisterConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'onus' });
    }
    if (canRegisterWatchers) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: WATCHED_FILES_GLOB }],
      });
    }
    if (await settings.refresh(connection)) {
      workspace.invalidateAll();
    }
    scheduler.scheduleAll();
  });
});

connection.onDidChangeConfiguration((change) => {
  void guard('didChangeConfiguration', Promise.resolve(), async () => {
    const payload = (change.settings as unknown) ?? undefined;
    if (await settings.refresh(connection, payload)) {
      // Severity and disabled rules are engine options, so every cached analysis is stale.
      workspace.invalidateAll();
      scheduler.scheduleAll();
    }
  });
});

documents.onDidOpen((event) =>
  guard('didOpen', undefined, () => {
    const tracked = workspace.track(event.document);
    if (tracked) {
      // Schedule first: the units to re-run are found through the cached analyses that read this file. Then drop
      // those analyses, since a newly open file may be new to its folder's listing.
      scheduler.scheduleFile(tracked.path);
      workspace.invalidate(tracked.path);
    }
  }),
);

documents.onDidChangeContent((event) =>
  guard('didChange', undefined, () => {
    const tracked = workspace.track(event.document);
    if (tracked) {
      scheduler.scheduleFile(tracked.path);
    }
  }),
);

documents.onDidClose((event) =>
  guard('didClose', undefined, () => {
    const tracked = workspace.track(event.document);
    workspace.forget(event.document.uri);
    if (tracked) {
      // The closed file now reads from disk (unsaved edits are gone), so the modules that read it are re-run.
      scheduler.clear(event.document.uri);
      scheduler.scheduleFile(tracked.path);
      workspace.invalidate(tracked.path);
    }
    workspace.prune();
  }),
);

connection.onDidChangeWatchedFiles((params) =>
  guard('didChangeWatchedFiles', undefined, () => {
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) {
        continue;
      }
      const filePath = fileURLToPath(change.uri);
      scheduler.scheduleFile(filePath);
      workspace.invalidate(filePath);
    }
  }),
);

connection.onCodeAction((params) =>
  guard('codeAction', [], () => {
    const tracked = workspace.trackUri(params.textDocument.uri);
    if (!tracked) {
      return [];
    }
    return provideCodeActions(params, {
      workspace,
      tracked,
      entry: analysisOf(tracked),
      options: analyzeOptions(),
      canResolveEdits,
      canUseDocumentChanges,
    });
  }),
);

connection.onCodeActionResolve((action) =>
  guard('codeActionResolve', action, () => {
    const tracked = FixAllData.is(action.data) ? workspace.trackUri(action.data.uri) : undefined;
    if (!tracked) {
      return action;
    }
    return resolveCodeAction(action, {
      workspace,
      tracked,
      entry: analysisOf(tracked),
      options: analyzeOptions(),
      canResolveEdits,
      canUseDocumentChanges,
    });
  }),
);

connection.onHover((params) =>
  guard('hover', null, () => {
    const tracked = workspace.trackUri(params.textDocument.uri);
    return tracked ? provideHover(analysisOf(tracked), ruleSet, tracked, params.position) : null;
  }),
);

connection.onShutdown(() => guard('shutdown', undefined, () => scheduler.dispose()));

documents.listen(connection);
connection.listen();

function logSafely(message: string): void {
  try {
    connection.console.error(message);
  } catch {
    try {
      process.stderr.write(`${message}\n`);
    } catch {
      // Nowhere left to report to; staying alive matters more.
    }
  }
}
