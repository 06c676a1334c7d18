/**
 * Suppression comments: `onus:ignore <rule-id>[,<rule-id>…] [until=YYYY-MM-DD] <reason>` on its own line directly
 * above what it covers (DESIGN.md), Bicep's `#disable-next-line`, suppressions declared as data (CloudFormation
 * `Metadata`), and the peers' comments and metadata where a rule's `references` name the peer's id. Also the
 * problems with suppressions themselves, reported as the meta rules of `metaRules.ts`: a suppression without a
 * reason, one whose `until=` date has passed, and an `onus:ignore` that silences nothing.
 *
 * Invariants:
 * - A suppression above a resource covers the whole resource; above a nested block or attribute, only it.
 * - An expired suppression does not apply: the finding is reported, marked with the date, and the comment gets an
 *   `onus-suppression-expired` problem.
 * - An `onus:ignore` is reported unused only when every rule it names ran in this analysis, none of their
 *   findings reached it, and none of them was undecided (an unknown value) at the resource it covers; a rule that
 *   did not run (disabled, below the minimum severity, unknown id, failed) proves nothing.
 * - Peers' suppressions are honoured only while `honorPeers` is on; they never need a reason.
 */
import type { DeclaredSuppression, Format } from '../model/types';
import { LineIndex } from '../text/lineIndex';
import type { Span } from '../text/span';
import type { RawFinding } from './evaluate';
import type { MetaRuleId } from './metaRules';
import type { Rule } from './rule';
import type { Fix, SuppressionSource } from './types';

/** One parsed `onus:ignore` directive. */
export interface SuppressionDirective {
  ids: string[];
  until: string | undefined;
  reason: string;
}

/** The suppression that applies to a finding. */
export interface AppliedSuppression {
  reason: string;
  until: string | undefined;
  source: SuppressionSource;
  /** Where Onus's own suppression is written (in the finding's file). */
  at?: Span;
}

/** What {@link SuppressionIndex.find} found for a finding: the suppression that applies, or the date an expired one ran out. */
export interface SuppressionLookup {
  applied: AppliedSuppression | undefined;
  /** Set when no suppression applies but one naming the rule expired on this date. */
  expiredUntil: string | undefined;
}

/** A problem with a suppression itself, reported under a meta rule id at the suppression. */
export interface SuppressionProblem {
  ruleId: MetaRuleId;
  file: string;
  /** The comment (from its marker to the end of its line), or the Metadata entry. */
  span: Span;
  /** The summary, sentence case, no trailing period. */
  message: string;
  /** The rule ids the suppression names. */
  ids: string[];
  /** For an unused comment: the edit that deletes its line. */
  fix: Fix | undefined;
}

/** How suppressions are treated (from `.onus.yaml`'s `suppressions`, with the meta rules in force). */
export interface SuppressionOptions {
  /** Today's date as `YYYY-MM-DD`. */
  today: string;
  /** Whether peers' suppressions are honoured. */
  honorPeers: boolean;
  /** Which meta rules report; a meta rule left out reports nothing. */
  metaRules: ReadonlySet<MetaRuleId>;
  /** The ids of the rules that ran, for deciding that a suppression is unused. */
  ranRuleIds: ReadonlySet<string>;
  /**
   * Whether a rule could not decide at the resource a suppression at `offset` covers (a condition over an unknown
   * value, such as a module's input): such a suppression may be needed and is not called unused.
   */
  isUncertainAt?: (ruleId: string, file: string, offset: number) => boolean;
}

/** The comment prefixes of each format that may hold a suppression. */
const COMMENT_PREFIX: Record<Format, RegExp> = {
  terraform: /^(\s*)(?:#|\/\/)\s?(.*)$/,
  cloudformation: /^(\s*)#\s?(.*)$/,
  bicep: /^(\s*)\/\/\s?(.*)$/,
};

/** Parses the text of one comment (without its `#`/`//`) as an `onus:ignore` directive. */
export function parseDirective(comment: string): SuppressionDirective | undefined {
  const m = /^\s*onus:ignore\s+([A-Za-z0-9_,-]+)(?:\s+until=(\d{4}-\d{2}-\d{2}))?\s*(.*)$/.exec(comment);
  if (!m) {
    return undefined;
  }
  return {
    ids: (m[1] ?? '').split(',').filter((s) => s.length > 0),
    until: m[2],
    reason: (m[3] ?? '').trim(),
  };
}

/** One comment line: its number and its text without the comment marker. */
interface CommentLine {
  line: number;
  text: string;
}

/**
 * Whether line `n` may be a comment: false only when its first character after spaces and tabs is plainly none of a
 * comment marker's (`#`, `/`) nor other whitespace, so most code lines are rejected without slicing them.
 */
function mayBeComment(lines: LineIndex, n: number): boolean {
  const end = lines.lineEnd(n);
  for (let i = lines.lineStart(n); i < end; i++) {
    const c = lines.text.charCodeAt(i);
    if (c === 32 || c === 9) {
      continue;
    }
    return c === 35 || c === 47 || c <= 32 || c >= 127;
  }
  return true;
}

/** Which words each text holds, asked once per file and word rather than once per finding. */
const wordsFound = new WeakMap<LineIndex, Map<string, boolean>>();

/** Whether the text of `lines` contains `word` anywhere. */
function textHas(lines: LineIndex, word: string): boolean {
  let words = wordsFound.get(lines);
  if (!words) {
    words = new Map();
    wordsFound.set(lines, words);
  }
  let found = words.get(word);
  if (found === undefined) {
    found = lines.text.includes(word);
    words.set(word, found);
  }
  return found;
}

/** The comment lines directly above the line holding `offset`, nearest first. */
function commentsAbove(lines: LineIndex, offset: number, prefix: RegExp): CommentLine[] {
  const out: CommentLine[] = [];
  for (let n = lines.positionAt(offset).line - 1; n >= 0; n--) {
    if (!mayBeComment(lines, n)) {
      break;
    }
    const m = prefix.exec(lines.lineText(n));
    if (!m) {
      break;
    }
    out.push({ line: n, text: m[2] ?? '' });
  }
  return out;
}

/** The comment lines directly below the line holding `offset`, nearest first. */
function commentsBelow(lines: LineIndex, offset: number, prefix: RegExp): CommentLine[] {
  const out: CommentLine[] = [];
  for (let n = lines.positionAt(offset).line + 1; n < lines.lineCount; n++) {
    if (!mayBeComment(lines, n)) {
      break;
    }
    const m = prefix.exec(lines.lineText(n));
    if (!m) {
      break;
    }
    out.push({ line: n, text: m[2] ?? '' });
  }
  return out;
}

/** An `onus:ignore` comment of a file, with what happened to it in this analysis. */
interface DirectiveState {
  file: string;
  directive: SuppressionDirective;
  /** From the comment marker to the end of the line. */
  span: Span;
  /** The whole line with its line break, for removing it. */
  lineSpan: Span;
  isUsed: boolean;
  isExpiredHit: boolean;
}

/** A file's lines and its `onus:ignore` comments by line number. */
interface FileState {
  lines: LineIndex;
  directives: Map<number, DirectiveState>;
  /**
   * Whether a comment above a finding can suppress it: the file has an `onus:ignore`, or a peer's comment honoured
   * (`tfsec:ignore`, `trivy:ignore`). Without either, the comments above a finding are not read at all.
   */
  hasComments: boolean;
}

/** What {@link SuppressionIndex.find} answers for a finding nothing suppresses (shared: callers only read it). */
const NOT_SUPPRESSED: SuppressionLookup = Object.freeze({ applied: undefined, expiredUntil: undefined });

/** Decides which findings are suppressed, by the comments in their files, and collects problems with suppressions. */
export class SuppressionIndex {
  private readonly files = new Map<string, FileState | undefined>();
  private readonly problems = new Map<string, SuppressionProblem>();
  /** The ids each rule may be named by in a suppression, by rule id. */
  private readonly ruleIds = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly textOf: (file: string) => string | undefined,
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly options: SuppressionOptions,
  ) {}

  private stateOf(file: string, format: Format): FileState | undefined {
    if (this.files.has(file)) {
      return this.files.get(file);
    }
    const text = this.textOf(file);
    let state: FileState | undefined;
    if (text !== undefined) {
      const lines = new LineIndex(text);
      const directives = new Map<number, DirectiveState>();
      const prefix = COMMENT_PREFIX[format];
      // Most files hold no directive at all: one search of the text instead of one per line.
      const lineCount = text.includes('onus:ignore') ? lines.lineCount : 0;
      for (let n = 0; n < lineCount; n++) {
        const line = lines.lineText(n);
        if (!line.includes('onus:ignore')) {
          continue;
        }
        const m = prefix.exec(line);
        const directive = m ? parseDirective(m[2] ?? '') : undefined;
        if (!m || !directive) {
          continue;
        }
        const lineStart = lines.lineStart(n);
        const markerStart = lineStart + (m[1] ?? '').length;
        directives.set(n, {
          file,
          directive,
          span: { start: markerStart, end: lineStart + line.length },
          lineSpan: { start: lineStart, end: lines.nextLineStart(n) },
          isUsed: false,
          isExpiredHit: false,
        });
      }
      const hasPeerComments = this.options.honorPeers && (text.includes('tfsec:ignore') || text.includes('trivy:ignore'));
      state = { lines, directives, hasComments: directives.size > 0 || hasPeerComments };
    }
    this.files.set(file, state);
    return state;
  }

  /** The ids a suppression may name a rule by: its own and its aliases (made once per rule id). */
  private idsOf(ruleId: string, rule: Rule | undefined): ReadonlySet<string> {
    let ids = this.ruleIds.get(ruleId);
    if (ids === undefined) {
      ids = rule?.aliases?.length ? new Set([ruleId, ...rule.aliases]) : new Set([ruleId]);
      this.ruleIds.set(ruleId, ids);
    }
    return ids;
  }

  /** The suppression that applies to a finding, if any, or the date a matching one expired. */
  find(finding: RawFinding): SuppressionLookup {
    const state = this.stateOf(finding.file, finding.format);
    if (!state) {
      return NOT_SUPPRESSED;
    }
    const { lines } = state;
    const rule = this.rules.get(finding.ruleId);
    const ids = this.idsOf(finding.ruleId, rule);
    const prefix = COMMENT_PREFIX[finding.format];
    let expiredUntil: string | undefined;
    for (const anchor of state.hasComments ? finding.anchors : []) {
      // A template resource also takes the comment just under its logical id, above `Type:` (DESIGN.md).
      const below = anchor.isResource && finding.format === 'cloudformation' ? commentsBelow(lines, anchor.offset, prefix) : [];
      for (const comment of [...commentsAbove(lines, anchor.offset, prefix), ...below]) {
        const found = state.directives.get(comment.line);
        if (found && found.directive.ids.some((id) => ids.has(id))) {
          const { directive } = found;
          if (directive.until !== undefined && directive.until < this.options.today) {
            found.isExpiredHit = true;
            expiredUntil ??= directive.until;
            this.report(found.file, found.span, 'onus-suppression-expired', directive.ids, `Suppression of ${directive.ids.join(', ')} expired on ${directive.until}`);
            continue;
          }
          found.isUsed = true;
          this.checkReason(found.file, found.span, directive.ids, directive.reason);
          return {
            applied: { reason: directive.reason, until: directive.until, source: 'onus:ignore', at: found.span },
            expiredUntil: undefined,
          };
        }
        const peer = this.options.honorPeers ? this.peerComment(comment.text, rule) : undefined;
        if (peer) {
          return { applied: peer, expiredUntil: undefined };
        }
      }
    }
    const declared = this.declared(finding, ids);
    if (declared.applied) {
      return declared;
    }
    expiredUntil ??= declared.expiredUntil;
    const other =
      this.bicepDisableNextLine(finding, lines, ids) ??
      (this.options.honorPeers
        ? (this.declaredPeer(finding, rule) ??
          this.checkovSkip(finding, lines, rule) ??
          this.kicsIgnore(finding, lines, prefix, rule))
        : undefined);
    if (other === undefined && expiredUntil === undefined) {
      return NOT_SUPPRESSED;
    }
    return { applied: other, expiredUntil: other ? undefined : expiredUntil };
  }

  /**
   * The problems with suppressions found so far, plus every `onus:ignore` of the files seen that silenced nothing
   * although every rule it names ran. Call once all findings went through {@link find}.
   */
  collectProblems(files: readonly { path: string; format: Format }[]): SuppressionProblem[] {
    if (this.options.metaRules.has('onus-suppression-unused')) {
      for (const file of files) {
        const state = this.stateOf(file.path, file.format);
        for (const d of state?.directives.values() ?? []) {
          if (d.isUsed || d.isExpiredHit || !d.directive.ids.every((id) => this.hasRun(id))) {
            continue;
          }
          const isUncertain = this.options.isUncertainAt;
          if (isUncertain && d.directive.ids.some((id) => isUncertain(this.rules.get(id)?.id ?? id, d.file, d.span.start))) {
            continue;
          }
          this.report(d.file, d.span, 'onus-suppression-unused', d.directive.ids, `Unused suppression: ${d.directive.ids.join(', ')} reports nothing here`, {
            title: 'Remove the unused suppression',
            edits: [{ file: d.file, span: d.lineSpan, newText: '' }],
            isSafe: true,
          });
        }
      }
    }
    return [...this.problems.values()].sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
  }

  /** Whether the rule an id names (or aliases) ran in this analysis. */
  private hasRun(id: string): boolean {
    const rule = this.rules.get(id);
    return rule !== undefined && this.options.ranRuleIds.has(rule.id);
  }

  /** Records a problem once per place and meta rule, when that meta rule is on. */
  private report(file: string, span: Span, ruleId: MetaRuleId, ids: string[], message: string, fix?: Fix): void {
    if (!this.options.metaRules.has(ruleId)) {
      return;
    }
    const key = `${ruleId}\u0000${file}\u0000${span.start}`;
    if (!this.problems.has(key)) {
      this.problems.set(key, { ruleId, file, span, message, ids, fix });
    }
  }

  /** Reports a suppression that applies without saying why. */
  private checkReason(file: string, span: Span, ids: string[], reason: string): void {
    if (reason.trim() === '') {
      this.report(file, span, 'onus-suppression-reason', ids, `Suppression of ${ids.join(', ')} has no reason`);
    }
  }

  /** Onus's own suppressions written as data on the resource (CloudFormation `Metadata.onus.ignore`). */
  private declared(finding: RawFinding, ids: ReadonlySet<string>): SuppressionLookup {
    if (finding.declaredSuppressions === undefined || finding.declaredSuppressions.length === 0) {
      return NOT_SUPPRESSED;
    }
    let expired: string | undefined;
    for (const d of finding.declaredSuppressions ?? []) {
      if (!d.ids.some((id) => ids.has(id))) {
        continue;
      }
      const span = declaredSpan(d, finding);
      if (d.until !== undefined && d.until < this.options.today) {
        expired ??= d.until;
        this.report(finding.file, span, 'onus-suppression-expired', d.ids, `Suppression of ${d.ids.join(', ')} expired on ${d.until}`);
        continue;
      }
      this.checkReason(finding.file, span, d.ids, d.reason);
      return { applied: { reason: d.reason, until: d.until, source: 'metadata', at: span }, expiredUntil: undefined };
    }
    return { applied: undefined, expiredUntil: expired };
  }

  /** Peers' suppressions written as data on the resource (cfn_nag, cfn-lint, checkov metadata). */
  private declaredPeer(finding: RawFinding, rule: Rule | undefined): AppliedSuppression | undefined {
    for (const p of finding.peerSuppressions ?? []) {
      const peerIds = (rule?.references as Record<string, string[] | undefined> | undefined)?.[p.peer] ?? [];
      if (peerIds.includes(p.id)) {
        return { reason: p.reason || `honoured ${p.peer} ${p.id}`, until: undefined, source: p.peer === 'trivy' ? 'trivy' : p.peer };
      }
    }
    return undefined;
  }

  /** Bicep's own `#disable-next-line <ids>` directly above the finding's line or its anchors. */
  private bicepDisableNextLine(finding: RawFinding, lines: LineIndex, ids: ReadonlySet<string>): AppliedSuppression | undefined {
    if (finding.format !== 'bicep' || !textHas(lines, '#disable-next-line')) {
      return undefined;
    }
    for (const offset of [finding.span.start, ...finding.anchors.map((a) => a.offset)]) {
      const n = lines.positionAt(offset).line - 1;
      const m = n >= 0 ? /^\s*#disable-next-line\s+(.+)$/.exec(lines.lineText(n)) : null;
      if (m && (m[1] ?? '').split(/[\s,]+/).some((id) => ids.has(id))) {
        return { reason: 'honoured #disable-next-line', until: undefined, source: '#disable-next-line' };
      }
    }
    return undefined;
  }

  /** `tfsec:ignore:<id>` / `trivy:ignore:<id>` comments naming the rule's trivy ids. */
  private peerComment(comment: string, rule: Rule | undefined): AppliedSuppression | undefined {
    const trivyIds = rule?.references.trivy ?? [];
    const m = /(tfsec|trivy):ignore:([A-Za-z0-9_-]+)/.exec(comment);
    if (m && trivyIds.some((id) => id.toLowerCase() === (m[2] ?? '').toLowerCase())) {
      return { reason: `honoured ${comment.trim()}`, until: undefined, source: m[1] === 'tfsec' ? 'tfsec' : 'trivy' };
    }
    return undefined;
  }

  /** `checkov:skip=<id>:<reason>` anywhere inside the resource, naming one of the rule's checkov ids. */
  private checkovSkip(finding: RawFinding, lines: LineIndex, rule: Rule | undefined): AppliedSuppression | undefined {
    const checkovIds = rule?.references.checkov ?? [];
    if (checkovIds.length === 0) {
      return undefined;
    }
    if (!textHas(lines, 'checkov:skip')) {
      return undefined;
    }
    const body = lines.text.slice(finding.resourceSpan.start, finding.resourceSpan.end);
    for (const m of body.matchAll(/checkov:skip=([A-Z0-9_]+)(?::([^\r\n]*))?/g)) {
      if (checkovIds.includes(m[1] ?? '')) {
        return { reason: (m[2] ?? '').trim() || `honoured checkov:skip=${m[1] ?? ''}`, until: undefined, source: 'checkov' };
      }
    }
    return undefined;
  }

  /**
   * KICS's comments, for rules that list a KICS query: `kics-scan ignore-line` on the line above the finding, and
   * `kics-scan ignore-block` above the resource or above a nested block on the way to the finding.
   */
  private kicsIgnore(finding: RawFinding, lines: LineIndex, prefix: RegExp, rule: Rule | undefined): AppliedSuppression | undefined {
    if ((rule?.references.kics ?? []).length === 0 || !textHas(lines, 'kics-scan')) {
      return undefined;
    }
    const above = commentsAbove(lines, finding.span.start, prefix)[0];
    if (above !== undefined && /kics-scan\s+ignore-line/.test(above.text)) {
      return { reason: 'honoured kics-scan ignore-line', until: undefined, source: 'kics' };
    }
    for (const anchor of finding.anchors) {
      if (commentsAbove(lines, anchor.offset, prefix).some((c) => /kics-scan\s+ignore-block/.test(c.text))) {
        return { reason: 'honoured kics-scan ignore-block', until: undefined, source: 'kics' };
      }
    }
    return undefined;
  }
}

/** Where a declared suppression is written: its Metadata entry, else the resource's first character. */
function declaredSpan(d: DeclaredSuppression, finding: RawFinding): Span {
  return d.span ?? { start: finding.resourceSpan.start, end: finding.resourceSpan.start };
}
