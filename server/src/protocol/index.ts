/**
 * The contract between the Onus language server and its VS Code client: settings, diagnostic data and the names
 * both sides use. This is the single definition; the client bundles it, so it imports nothing at run time.
 *
 * Invariant: nothing here imports `vscode`, `vscode-languageserver` or the engine; only plain types and constants
 * (and, type-only, the Responsibility Matrix's data shape, `engine/matrixData.ts`, which itself imports nothing).
 */
import type { MatrixData } from '../engine/matrixData';

/** The `source` of every diagnostic the server publishes, and the client's filter for its status bar counts. */
export const DIAGNOSTIC_SOURCE = 'onus';

/**
 * The Node options the client starts the server with (any other client may pass them too; the server works without
 * them). A 2 MB young generation: the server's live data is small (tens of MB with thousands of files open) and most
 * of what it allocates dies young, so the default, larger young generation only adds resident memory.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=2'];

/** The configuration section the server reads through `workspace/configuration`. */
export const SETTINGS_SECTION = 'onus';

/** The code action kind of "fix all Onus problems" (for `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.onus';

/** The lowest rule severity a user can ask to see, lowest first. */
export type SeveritySetting = 'low' | 'medium' | 'high' | 'critical';

/**
 * The user's settings as the server applies them; every field has a default, so a partial payload is fine. They
 * override the repository's `.onus.yaml` for this user (README, "Configuration").
 */
export interface OnusSettings {
  /** Whether the server lints at all; when false every published diagnostic is cleared. */
  enable: boolean;
  /** Findings below this severity are not reported; null leaves it to `.onus.yaml`'s `minimumSeverity` (else low). */
  severity: SeveritySetting | null;
  /** Rule ids that are not reported, and rule ids reported whatever `.onus.yaml` says. */
  rules: { disabled: string[]; enabled: string[] };
  /** Whether a code lens above each resource sums up its customer-owned settings (`onus.codeLens.enable`). */
  codeLens: { enable: boolean };
  /** Files larger than this many megabytes are not analysed; an open one gets one information diagnostic. */
  maxFileSize: number;
}

/** The settings used before the client answers and for every field it leaves out. */
export const DEFAULT_SETTINGS: OnusSettings = Object.freeze({
  enable: true,
  severity: null,
  rules: Object.freeze({ disabled: [] as string[], enabled: [] as string[] }),
  codeLens: Object.freeze({ enable: true }),
  maxFileSize: 2,
});

/** The client command a resource's code lens runs: it lists the items and reveals the one picked. */
export const SHOW_RESOURCE_RESPONSIBILITIES_COMMAND = 'onus.showResourceResponsibilities';

/** One customer-owned setting or duty of a resource, as its code lens lists it. */
export interface ResponsibilityItem {
  /** `open`, `gap`, `secure`, `accepted` (suppressed), `provider` (covered by default) or `unknown`. */
  state: 'open' | 'gap' | 'secure' | 'accepted' | 'provider' | 'unknown';
  /** The duty's or rule's name (`Access logging`). */
  label: string;
  /** The layer, and the rule id where one checks it. */
  description: string;
  /** The finding's message, or what would fulfil a gap. */
  detail: string;
  /** Where to go: the finding, or the resource's header (0-based, LSP positions). */
  line: number;
  character: number;
}

/** The arguments of {@link SHOW_RESOURCE_RESPONSIBILITIES_COMMAND}: the document, the resource and its items. */
export interface ShowResponsibilitiesArgs {
  uri: string;
  resource: string;
  items: ResponsibilityItem[];
}

/** What `initializationOptions` may carry (the client sends its settings up front for clients without pull config). */
export interface InitializationOptions {
  settings?: Partial<OnusSettings>;
  /**
   * Whether the workspace is trusted (VS Code's `workspace.isTrusted`): custom rules load only then. A client that
   * does not say is taken as untrusted.
   */
  isTrusted?: boolean;
}

/** The notification the client sends when the user trusts the workspace (`onDidGrantWorkspaceTrust`). */
export const DID_CHANGE_WORKSPACE_TRUST = 'onus/didChangeWorkspaceTrust';

/** The parameters of {@link DID_CHANGE_WORKSPACE_TRUST}. */
export interface WorkspaceTrustParams {
  isTrusted: boolean;
}

/**
 * The `data` of every finding diagnostic. Code actions read only this, the diagnostic's `code` (the rule id, or a meta
 * rule's id such as `onus-suppression-unused`) and its range, never the message text. Nothing in it depends on the
 * document version, so a diagnostic the edit left in place is published again unchanged: an action is offered only
 * while the current analysis has a finding with that code at that range, and is computed from the current text.
 */
export interface DiagnosticData {
  /** The address of the resource the finding is on (`aws_s3_bucket.logs`), for the suppression action; empty for a meta rule. */
  resource: string;
  /**
   * Keys of the finding's fixes (a hash of its message: one rule may report several settings at the same range);
   * absent when the finding has no fix.
   */
  fixIds?: string[];
}

/** Helpers for {@link DiagnosticData}. */
export namespace DiagnosticData {
  /** Whether an unknown `data` payload has the shape the server writes (anything else is ignored, never trusted). */
  export function is(value: unknown): value is DiagnosticData {
    if (typeof value !== 'object' || value === null) {
      return false;
    }
    const v = value as Record<string, unknown>;
    return (
      typeof v.resource === 'string' &&
      (v.fixIds === undefined || (Array.isArray(v.fixIds) && v.fixIds.every((id) => typeof id === 'string')))
    );
  }
}

/**
 * The language ids the client routes to the server. YAML and JSON documents all go to the server, which decides by
 * content whether they are CloudFormation templates (or `.tf.json`) and publishes nothing for the others.
 */
export const LANGUAGE_IDS = Object.freeze({
  terraform: 'terraform',
  terraformVars: 'terraform-vars',
  json: 'json',
  yaml: 'yaml',
  bicep: 'bicep',
});

/** The document selector the client registers, in LSP's `DocumentFilter` shape. */
export const DOCUMENT_SELECTOR: readonly { scheme?: string; language: string; pattern?: string }[] = Object.freeze([
  { scheme: 'file', language: LANGUAGE_IDS.terraform },
  { scheme: 'untitled', language: LANGUAGE_IDS.terraform },
  { scheme: 'file', language: LANGUAGE_IDS.terraformVars },
  { scheme: 'untitled', language: LANGUAGE_IDS.terraformVars },
  { scheme: 'file', language: LANGUAGE_IDS.json },
  { scheme: 'untitled', language: LANGUAGE_IDS.json },
  { scheme: 'file', language: LANGUAGE_IDS.yaml },
  { scheme: 'untitled', language: LANGUAGE_IDS.yaml },
  { scheme: 'file', language: LANGUAGE_IDS.bicep },
  { scheme: 'untitled', language: LANGUAGE_IDS.bicep },
]);

/** The glob of files whose changes on disk the client reports (they change a module's analysis). */
export const WATCHED_FILES_GLOB = '**/*.{tf,tfvars,tf.json,bicep}';

/** The glob of the repository configuration and of rule files (custom rules), watched so that they hot-reload. */
export const PROJECT_FILES_GLOB = '**/{.onus.yaml,rule.yaml}';

/**
 * The request for the Responsibility Matrix of whole folders (the "Onus: Show Responsibility Matrix" command): every
 * IaC file under them is analysed (open documents as edited, the rest from disk), not only the open ones.
 * Answers `null` while `onus.enable` is false or when cancelled.
 */
export const MATRIX_REQUEST = 'onus/matrix';

/** The parameters of {@link MATRIX_REQUEST}. */
export interface MatrixParams {
  /** The folders to scan, as `file:` URIs (the workspace folders). */
  folders: string[];
}

/** The answer to {@link MATRIX_REQUEST}: the matrix with absolute file paths. */
export interface MatrixResult {
  matrix: MatrixData;
}

/** The notification the server sends while it builds a matrix: how many units of the workspace are analysed. */
export const MATRIX_PROGRESS = 'onus/matrixProgress';

/** The parameters of {@link MATRIX_PROGRESS}. */
export interface MatrixProgressParams {
  done: number;
  total: number;
}
