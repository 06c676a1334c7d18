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
  CodeLensRefreshRequest,
  createConnection,
  type CancellationToken,
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
import { ProjectLoader } from './engine/config';
import { loadBundledRuleSet } from './engine/loadRules';
import type { RuleSet } from './engine/ruleSet';
import { CODE_ACTION_KINDS, FixAllData, provideCodeActions, resolveCodeAction } from './features/codeActions';
import { COMPLETION_TRIGGER_CHARACTERS, provideCompletion } from './features/completion';
import { DiagnosticsScheduler } from './features/diagnostics';
import { setFileSizeLimit } from './features/documents';
import { createGuard, describeError } from './features/guard';
import { provideCodeLenses } from './features/codeLens';
import { provideHover } from './features/hover';
import { provideMatrix } from './features/matrix';
import { isProjectFile, provideProjectFileDiagnostics } from './features/projectFiles';
import { SettingsStore } from './features/settings';
import { Workspace, type CachedAnalysis, type TrackedDocument } from './features/workspace';
import {
  DID_CHANGE_WORKSPACE_TRUST,
  MATRIX_PROGRESS,
  MATRIX_REQUEST,
  PROJECT_FILES_GLOB,
  WATCHED_FILES_GLOB,
  type InitializationOptions,
  type MatrixParams,
  type MatrixProgressParams,
  type MatrixResult,
  type WorkspaceTrustParams,
} from './protocol';

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
// Custom rules (data from the workspace) load only once the client says the workspace is trusted.
let isTrusted = false;
let loader = new ProjectLoader(emptyRuleSet, { canLoadCustomRules: false });
let canUseDocumentChanges = false;
let canResolveEdits = false;
let canRegisterConfiguration = false;
let canRegisterWatchers = false;
/** Whether the client re-asks for code lenses on `workspace/codeLens/refresh` (after a settings change). */
let canRefreshCodeLenses = false;

/** The engine options for the current settings, or undefined while `onus.enable` is false. */
function analyzeOptions(): AnalyzeOptions | undefined {
  const current = settings.settings;
  // Every analysis goes through here, so the size limit in force is always the setting's.
  setFileSizeLimit(Math.round(current.maxFileSize * 1024 * 1024));
  if (!current.enable) {
    return undefined;
  }
  // The user's settings override the repository's `.onus.yaml`, which the loader reads per unit.
  return {
    rules: ruleSet,
    project: loader,
    ...(current.severity !== null ? { minimumSeverity: current.severity } : {}),
    disabledRules: current.rules.disabled,
    enabledRules: current.rules.enabled,
    onInternalError: reportRuleError,
  };
}

/** Publishes the problems of an open `.onus.yaml` or custom rule file (nothing for other files). */
function publishProjectFile(uri: string): void {
  const document = documents.get(uri);
  if (!document || !uri.startsWith('file:')) {
    return;
  }
  const filePath = fileURLToPath(uri);
  if (!isProjectFile(filePath)) {
    return;
  }
  const diagnostics = settings.settings.enable ? provideProjectFileDiagnostics(filePath, loader, workspace.overlay()) : [];
  if (diagnostics !== undefined) {
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }
}

/** Re-reads every configuration and custom rule (one changed on disk, or the trust changed) and re-analyses. */
function reloadProject(): void {
  loader = new ProjectLoader(ruleSet, { canLoadCustomRules: isTrusted });
  workspace.invalidateAll();
  scheduler.scheduleAll();
  for (const document of documents.all()) {
    publishProjectFile(document.uri);
  }
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
    canRefreshCodeLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
    const options = params.initializationOptions as InitializationOptions | undefined;
    if (options?.settings !== undefined) {
      settings.applyPayload(options.settings);
    }
    ruleSet = guard('load rules', emptyRuleSet, () => loadBundledRuleSet());
    isTrusted = options?.isTrusted === true;
    loader = new ProjectLoader(ruleSet, { canLoadCustomRules: isTrusted });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS },
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
      // `.onus.yaml` and rule files too, so that configuration and custom rules hot-reload.
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: WATCHED_FILES_GLOB }, { globPattern: PROJECT_FILES_GLOB }],
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
      for (const document of documents.all()) {
        publishProjectFile(document.uri);
      }
      if (canRefreshCodeLenses) {
        await connection.sendRequest(CodeLensRefreshRequest.type);
      }
    }
  });
});

connection.onNotification(DID_CHANGE_WORKSPACE_TRUST, (params: WorkspaceTrustParams) =>
  guard('didChangeWorkspaceTrust', undefined, () => {
    const next = params?.isTrusted === true;
    if (next !== isTrusted) {
      isTrusted = next;
      reloadProject();
    }
  }),
);

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
    } else if (event.document.uri.startsWith('file:') && isProjectFile(fileURLToPath(event.document.uri))) {
      // An opened or edited `.onus.yaml` or custom rule shows its problems, and applies as typed to the units that
      // read it (the documents' content-change event also fires on open).
      publishProjectFile(event.document.uri);
      scheduler.scheduleFile(fileURLToPath(event.document.uri));
    } else {
      // A YAML or JSON file edited until it is no template any more: what was published for it no longer holds.
      scheduler.clear(event.document.uri);
    }
  }),
);

documents.onDidClose((event) =>
  guard('didClose', undefined, () => {
    const tracked = workspace.track(event.document);
    workspace.forget(event.document.uri);
    if (!tracked && event.document.uri.startsWith('file:') && isProjectFile(fileURLToPath(event.document.uri))) {
      // A closed configuration file reads from disk again; its problems no longer show.
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
      scheduler.scheduleFile(fileURLToPath(event.document.uri));
    }
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
    let isProjectChanged = false;
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) {
        continue;
      }
      const filePath = fileURLToPath(change.uri);
      if (isProjectFile(filePath)) {
        // A created, changed or deleted `.onus.yaml` or rule file may concern any unit (a new file was never read).
        isProjectChanged = true;
        continue;
      }
      scheduler.scheduleFile(filePath);
      workspace.invalidate(filePath);
    }
    if (isProjectChanged) {
      reloadProject();
    }
  }),
);

// Requests are cancellable: one cancelled while it waited behind an analysis is answered with nothing, unworked.
connection.onCodeAction((params, token) =>
  guard('codeAction', [], () => {
    const tracked = token.isCancellationRequested ? undefined : workspace.trackUri(params.textDocument.uri);
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

connection.onCodeActionResolve((action, token) =>
  guard('codeActionResolve', action, () => {
    const tracked = FixAllData.is(action.data) && !token.isCancellationRequested ? workspace.trackUri(action.data.uri) : undefined;
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

connection.onHover((params, token) =>
  guard('hover', null, () => {
    const tracked = token.isCancellationRequested ? undefined : workspace.trackUri(params.textDocument.uri);
    const entry = tracked ? analysisOf(tracked) : undefined;
    // The unit's own rule set: the catalog plus the custom rules its `.onus.yaml` names.
    return tracked ? provideHover(entry, entry?.analysis.ruleSet ?? ruleSet, tracked, params.position) : null;
  }),
);

connection.onCodeLens((params) =>
  guard('codeLens', [], () => {
    if (!settings.settings.enable || !settings.settings.codeLens.enable) {
      return [];
    }
    const tracked = workspace.trackUri(params.textDocument.uri);
    const entry = tracked ? analysisOf(tracked) : undefined;
    return tracked ? provideCodeLenses(entry, entry?.analysis.ruleSet ?? ruleSet, tracked, params.textDocument.uri) : [];
  }),
);

// The Responsibility Matrix of whole folders, for the "Onus: Show Responsibility Matrix" command.
connection.onRequest(MATRIX_REQUEST, (params: MatrixParams, token: CancellationToken) =>
  guard<Promise<MatrixResult | null>>('matrix', Promise.resolve(null), () =>
    provideMatrix(params, {
      workspace,
      options: analyzeOptions(),
      isCancelled: () => token.isCancellationRequested,
      // This file is bundled into the server's entry, which runs as a scan worker in a worker thread.
      workerScript: __filename,
      onProgress: (done, total) => {
        const progress: MatrixProgressParams = { done, total };
        void connection.sendNotification(MATRIX_PROGRESS, progress);
      },
    }),
  ),
);

connection.onCompletion((params) =>
  guard('completion', [], () => {
    if (!settings.settings.enable) {
      return [];
    }
    const tracked = workspace.trackUri(params.textDocument.uri);
    const entry = tracked ? analysisOf(tracked) : undefined;
    return tracked ? provideCompletion(entry, entry?.analysis.ruleSet ?? ruleSet, tracked, params.position) : [];
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
