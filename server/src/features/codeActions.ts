/**
 * Quick fixes, "suppress with a reason", and fix-all for Onus findings; the removal of an unused suppression.
 *
 * Invariants:
 * - Actions are built from a diagnostic's `code`, range and `data` ({@link DiagnosticData}) and the cached analysis
 *   of the document's current version, never from message text: a diagnostic yields actions only while that analysis
 *   has a finding (or problem) with its code at its range, and they are computed from the current text.
 * - A quick fix is `isPreferred` only when the engine marked its fix safe.
 * - Fix-all applies, in one edit, the engine's fix-all passes (`engine/fixAll.ts`, shared with `onus fix`): every
 *   fix of the document whose edits stay in it, without overlaps, re-analysed until nothing fixable is left.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { AnalyzeOptions } from '../engine/analyze';
import { fixAll, isFixableIn } from '../engine/fixAll';
import { MetaRule } from '../engine/metaRules';
import type { Finding, TextEdit } from '../engine/types';
import { UNKNOWN_PROPERTY_CODE } from '../engine/unknownProperties';
import type { Resource } from '../model/types';
import { DIAGNOSTIC_SOURCE, DiagnosticData, FIX_ALL_KIND } from '../protocol';
import type { Span } from '../text/span';
import { fixIdOf, problemFixIdOf, rangeOf, sameRange, unknownPropertyFixIdOf } from './diagnostics';
import type { CachedAnalysis, TrackedDocument, Workspace } from './workspace';

/** The title of the fix-all action, in both its `source.fixAll.onus` and its quick-fix form. */
export const FIX_ALL_TITLE = 'Fix all Onus problems in this file';

/** The reason placeholder a suppression is inserted with; the user replaces it. */
export const SUPPRESSION_REASON = 'reason: why this is acceptable';

/** The code action kinds the server offers (announced in `initialize`). */
export const CODE_ACTION_KINDS: string[] = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/** What code actions need besides the request. */
export interface CodeActionContext {
  workspace: Workspace;
  tracked: TrackedDocument;
  /** The analysis of the document's unit for the current version (cached), or undefined when linting is off. */
  entry: CachedAnalysis | undefined;
  /** The engine options in force (fix-all re-analyses with them), or undefined when linting is off. */
  options: AnalyzeOptions | undefined;
  /** Whether the client resolves a code action's `edit` lazily (`codeAction/resolve`). */
  canResolveEdits: boolean;
  /** Whether the client accepts `documentChanges` (versioned edits) in a `WorkspaceEdit`. */
  canUseDocumentChanges: boolean;
}

/** Whether an action of `kind` was asked for by `only` (kinds are hierarchical: `source` matches `source.fixAll.onus`). */
export function isKindRequested(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** The code actions for a range: per-diagnostic quick fixes and suppressions, and the fix-all actions. */
export function provideCodeActions(params: CodeActionParams, ctx: CodeActionContext): CodeAction[] {
  const { tracked, entry } = ctx;
  if (!entry) {
    return [];
  }
  const only = params.context.only;
  const out: CodeAction[] = [];
  const findings = entry.findingsIn(tracked.path);
  const index = entry.lineIndexOf(tracked.path);
  if (isKindRequested(CodeActionKind.QuickFix, only) && index) {
    let hasFixableHere = false;
    // Whether something of the current analysis is at the diagnostic's range (a diagnostic of an earlier version may
    // point at text that has moved or changed since).
    const isAt = (diagnostic: Diagnostic, span: Span) => sameRange(rangeOf(index, span), diagnostic.range);
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string' || !DiagnosticData.is(diagnostic.data)) {
        continue;
      }
      const code = diagnostic.code;
      const data: DiagnosticData = diagnostic.data;
      const fixIds = data.fixIds ?? [];
      if (code === UNKNOWN_PROPERTY_CODE) {
        // A property name AWS's specification does not know: rename it to one of the nearest known names.
        const problem = entry
          .unknownPropertiesIn(tracked.path)
          .find((p) => fixIds.includes(unknownPropertyFixIdOf(p)) && isAt(diagnostic, p.span));
        for (const fix of problem?.fixes ?? []) {
          const edit = toWorkspaceEdit(fix.edits, ctx);
          if (edit) {
            out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: problem!.fixes.length === 1, edit });
          }
        }
        continue;
      }
      if (MetaRule.isMetaRuleId(code)) {
        // A problem with a suppression: its own fix (removing an unused comment), never "suppress with a reason".
        const problem = entry
          .problemsIn(tracked.path)
          .find((p) => p.ruleId === code && fixIds.includes(problemFixIdOf(p)) && isAt(diagnostic, p.span));
        const edit = problem?.fix ? toWorkspaceEdit(problem.fix.edits, ctx) : undefined;
        if (problem?.fix && edit) {
          out.push({ title: problem.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: problem.fix.isSafe, edit });
        }
        continue;
      }
      const here = findings.filter((f) => f.ruleId === code && f.resource === data.resource && isAt(diagnostic, f.span));
      if (here.length === 0) {
        continue;
      }
      for (const fixId of fixIds) {
        const finding = here.find((f) => fixIdOf(f) === fixId);
        const fix = finding?.fix;
        if (!finding || !fix || fix.edits.length === 0) {
          continue;
        }
        const edit = toWorkspaceEdit(fix.edits, ctx);
        if (!edit) {
          continue;
        }
        hasFixableHere = true;
        out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isSafe, edit });
      }
      const suppress = suppressionAction(diagnostic, code, here[0]!.resource, ctx);
      if (suppress) {
        out.push(suppress);
      }
    }
    if (hasFixableHere && fixableCount(findings, tracked.path) > 1) {
      const action = fixAllAction(CodeActionKind.QuickFix, ctx);
      if (action) {
        out.push(action);
      }
    }
  }
  if (isKindRequested(FIX_ALL_KIND, only) && fixableCount(findings, tracked.path) > 0) {
    // Asked for by "Source Action…", by `editor.codeActionsOnSave` (`source.fixAll`), or by a client that asks for all.
    const action = fixAllAction(FIX_ALL_KIND, ctx);
    if (action) {
      out.push(action);
    }
  }
  return out;
}

/** What a fix-all action carries until it is resolved. */
export interface FixAllData {
  fixAll: true;
  uri: string;
  version: number;
}

/** Helpers for {@link FixAllData}. */
export namespace FixAllData {
  /** Whether a code action's `data` is a pending fix-all. */
  export function is(value: unknown): value is FixAllData {
    const v = value as Partial<FixAllData> | null | undefined;
    return typeof v === 'object' && v !== null && v.fixAll === true && typeof v.uri === 'string' && typeof v.version === 'number';
  }
}

/**
 * A fix-all action. Its edit needs re-analysis passes, so when the client can resolve code actions the edit is
 * computed only in `codeAction/resolve` (code actions are requested on every cursor move; fix-all is rarely chosen).
 */
function fixAllAction(kind: string, ctx: CodeActionContext): CodeAction | undefined {
  if (ctx.canResolveEdits) {
    const data: FixAllData = { fixAll: true, uri: ctx.tracked.document.uri, version: ctx.tracked.document.version };
    return { title: FIX_ALL_TITLE, kind, data };
  }
  const all = fixAllEdit(ctx);
  return all ? { title: FIX_ALL_TITLE, kind, edit: all.edit } : undefined;
}

/** Fills in a fix-all action's edit; an action for another version of the document is returned without one. */
export function resolveCodeAction(action: CodeAction, ctx: CodeActionContext): CodeAction {
  if (!FixAllData.is(action.data) || action.data.version !== ctx.tracked.document.version) {
    return action;
  }
  const all = fixAllEdit(ctx);
  return all ? { ...action, edit: all.edit } : action;
}

/** How many findings of a file have a fix that stays in the file (cheap; no re-analysis). */
function fixableCount(findings: readonly Finding[], file: string): number {
  return findings.filter((f) => isFixableIn(f, file)).length;
}

/**
 * The fix-all edit of a document: the engine's fix-all passes ({@link fixAll}) over the document's text, each pass
 * re-analysed with the unit's other files as they are. The result is one minimal edit from the first to the last
 * changed character.
 */
export function fixAllEdit(ctx: CodeActionContext): { edit: WorkspaceEdit; count: number } | undefined {
  const { entry, tracked, options } = ctx;
  const original = entry?.textOf(tracked.path);
  if (!entry || original === undefined) {
    return undefined;
  }
  const reanalyze = options
    ? (next: string) => {
        const analysis = ctx.workspace.analyzeWithTexts(tracked.path, new Map([[tracked.path, next]]), options);
        return {
          findings: analysis.findings.filter((f) => f.file === tracked.path),
          errorCount: analysis.errors.filter((e) => e.file === tracked.path).length,
        };
      }
    : undefined;
  const first = { findings: entry.findingsIn(tracked.path), errorCount: entry.errorsIn(tracked.path).length };
  const result = fixAll(tracked.path, original, first, reanalyze);
  const text = result.text;
  if (text === original) {
    return undefined;
  }
  let start = 0;
  while (start < original.length && start < text.length && original.charCodeAt(start) === text.charCodeAt(start)) {
    start++;
  }
  let end = 0;
  while (
    end < original.length - start &&
    end < text.length - start &&
    original.charCodeAt(original.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
  ) {
    end++;
  }
  const edit = toWorkspaceEdit(
    [{ file: tracked.path, span: { start, end: original.length - end }, newText: text.slice(start, text.length - end) }],
    ctx,
  );
  return edit ? { edit, count: result.applied.length } : undefined;
}

/** "Suppress <id> with a reason": a comment line above the resource's first line, with the resource's indentation. */
function suppressionAction(diagnostic: Diagnostic, ruleId: string, address: string, ctx: CodeActionContext): CodeAction | undefined {
  const { tracked, entry } = ctx;
  // JSON has no comments: `.tf.json` and JSON templates take no suppression comment (templates use Metadata).
  const isYamlTemplate = tracked.kind === 'cloudformation' && !/\.json$/i.test(tracked.path);
  if (!entry || (tracked.kind !== 'terraform' && tracked.kind !== 'bicep' && !isYamlTemplate)) {
    return undefined;
  }
  const resource = entry.analysis.model.resources.find((r: Resource) => r.file === tracked.path && r.address === address);
  const index = entry.lineIndexOf(tracked.path);
  const text = entry.textOf(tracked.path);
  if (!resource || !index || text === undefined) {
    return undefined;
  }
  // In a template the comment goes under the logical id, above `Type:` (DESIGN.md); in HCL, above the resource.
  const headerLine = index.positionAt(resource.span.start).line;
  const line = isYamlTemplate ? headerLine + 1 : headerLine;
  const lineStart = index.lineStart(line);
  const indentation = /^[ \t]*/.exec(index.lineText(line))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const marker = tracked.kind === 'bicep' ? '//' : '#';
  const newText = `${indentation}${marker} onus:ignore ${ruleId} ${SUPPRESSION_REASON}${eol}`;
  const edit = toWorkspaceEdit([{ file: tracked.path, span: { start: lineStart, end: lineStart }, newText }], ctx);
  return edit ? { title: `Suppress ${ruleId} with a reason`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit } : undefined;
}

/** Converts engine edits (offsets into the texts the analysis read) to a `WorkspaceEdit`, grouped per file. */
function toWorkspaceEdit(edits: readonly TextEdit[], ctx: CodeActionContext): WorkspaceEdit | undefined {
  const { entry, workspace } = ctx;
  if (!entry) {
    return undefined;
  }
  const byFile = new Map<string, LspTextEdit[]>();
  for (const edit of edits) {
    const index = entry.lineIndexOf(edit.file);
    if (!index) {
      return undefined;
    }
    const list = byFile.get(edit.file) ?? [];
    list.push({ range: rangeOf(index, edit.span), newText: edit.newText });
    byFile.set(edit.file, list);
  }
  if (ctx.canUseDocumentChanges) {
    return {
      documentChanges: [...byFile].map(([file, list]) => {
        const open = workspace.openDocumentAt(file);
        return { textDocument: { uri: open?.uri ?? workspace.uriOf(file), version: open ? open.version : null }, edits: list };
      }),
    };
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [file, list] of byFile) {
    changes[workspace.uriOf(file)] = list;
  }
  return { changes };
}
