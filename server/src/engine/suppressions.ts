/**
 * Suppression comments: `onus:ignore <rule-id>[,<rule-id>…] [until=YYYY-MM-DD] <reason>` on its own line directly
 * above what it covers (DESIGN.md), and the peers' comments where a rule's `references` name the peer's id.
 *
 * Invariant: a suppression above a resource covers the whole resource; above a nested block or attribute, only it.
 */
import type { Format } from '../model/types';
import type { RawFinding } from './evaluate';
import type { Rule } from './rule';

/** One parsed `onus:ignore` directive. */
export interface SuppressionDirective {
  ids: string[];
  until: string | undefined;
  reason: string;
}

/** The comment prefixes of each format that may hold a suppression. */
const COMMENT_PREFIX: Record<Format, RegExp> = {
  terraform: /^\s*(?:#|\/\/)\s?(.*)$/,
  cloudformation: /^\s*#\s?(.*)$/,
  bicep: /^\s*\/\/\s?(.*)$/,
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

/** The lines of a text, with their start offsets, computed once per file. */
class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        this.starts.push(i + 1);
      }
    }
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
  line(n: number): string {
    const start = this.starts[n] ?? this.text.length;
    const end = this.starts[n + 1] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }
}

/** The comment lines directly above the line holding `offset`, nearest first. */
function commentsAbove(lines: Lines, offset: number, prefix: RegExp): string[] {
  const out: string[] = [];
  for (let n = lines.lineOf(offset) - 1; n >= 0; n--) {
    const m = prefix.exec(lines.line(n));
    if (!m) {
      break;
    }
    out.push(m[1] ?? '');
  }
  return out;
}

/** The comment lines directly below the line holding `offset`, nearest first. */
function commentsBelow(lines: Lines, offset: number, prefix: RegExp): string[] {
  const out: string[] = [];
  for (let n = lines.lineOf(offset) + 1; n < lines.starts.length; n++) {
    const m = prefix.exec(lines.line(n));
    if (!m) {
      break;
    }
    out.push(m[1] ?? '');
  }
  return out;
}

/** Decides which findings are suppressed, by the comments in their files. */
export class SuppressionIndex {
  private readonly lines = new Map<string, Lines>();

  constructor(
    private readonly textOf: (file: string) => string | undefined,
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly today: string,
  ) {}

  private linesOf(file: string): Lines | undefined {
    let lines = this.lines.get(file);
    if (!lines) {
      const text = this.textOf(file);
      if (text === undefined) {
        return undefined;
      }
      lines = new Lines(text);
      this.lines.set(file, lines);
    }
    return lines;
  }

  /** The suppression that applies to a finding, if any (expired `until=` dates do not apply). */
  find(finding: RawFinding): { reason: string; until: string | undefined } | undefined {
    const lines = this.linesOf(finding.file);
    if (!lines) {
      return undefined;
    }
    const rule = this.rules.get(finding.ruleId);
    const ids = new Set([finding.ruleId, ...(rule?.aliases ?? [])]);
    const prefix = COMMENT_PREFIX[finding.format];
    for (const anchor of finding.anchors) {
      // A template resource also takes the comment just under its logical id, above `Type:` (DESIGN.md).
      const below = anchor.isResource && finding.format === 'cloudformation' ? commentsBelow(lines, anchor.offset, prefix) : [];
      for (const comment of [...commentsAbove(lines, anchor.offset, prefix), ...below]) {
        const directive = parseDirective(comment);
        if (directive && directive.ids.some((id) => ids.has(id))) {
          if (directive.until !== undefined && directive.until < this.today) {
            continue;
          }
          return { reason: directive.reason, until: directive.until };
        }
        const peer = this.peerSuppression(comment, rule, anchor.isResource);
        if (peer) {
          return peer;
        }
      }
    }
    return (
      this.declared(finding, ids, rule) ??
      this.bicepDisableNextLine(finding, lines, ids) ??
      this.checkovSkip(finding, lines, rule) ??
      this.kicsIgnoreLine(finding, lines, prefix)
    );
  }

  /** Suppressions written as data on the resource (CloudFormation metadata), ours and the peers'. */
  private declared(finding: RawFinding, ids: Set<string>, rule: Rule | undefined) {
    for (const d of finding.declaredSuppressions ?? []) {
      if (d.ids.some((id) => ids.has(id)) && !(d.until !== undefined && d.until < this.today)) {
        return { reason: d.reason, until: d.until };
      }
    }
    for (const p of finding.peerSuppressions ?? []) {
      const peerIds = (rule?.references as Record<string, string[] | undefined> | undefined)?.[p.peer] ?? [];
      if (peerIds.includes(p.id)) {
        return { reason: p.reason || `honoured ${p.peer} ${p.id}`, until: undefined };
      }
    }
    return undefined;
  }

  /** Bicep's own `#disable-next-line <ids>` directly above the finding's line or its anchors. */
  private bicepDisableNextLine(finding: RawFinding, lines: Lines, ids: Set<string>) {
    if (finding.format !== 'bicep') {
      return undefined;
    }
    for (const offset of [finding.span.start, ...finding.anchors.map((a) => a.offset)]) {
      const n = lines.lineOf(offset) - 1;
      const m = n >= 0 ? /^\s*#disable-next-line\s+(.+)$/.exec(lines.line(n)) : null;
      if (m && (m[1] ?? '').split(/[\s,]+/).some((id) => ids.has(id))) {
        return { reason: 'honoured #disable-next-line', until: undefined };
      }
    }
    return undefined;
  }

  /** `tfsec:ignore:<id>` / `trivy:ignore:<id>` comments naming the rule's trivy ids. */
  private peerSuppression(comment: string, rule: Rule | undefined, _isResource: boolean) {
    const trivyIds = rule?.references.trivy ?? [];
    const m = /(?:tfsec|trivy):ignore:([A-Za-z0-9_-]+)/.exec(comment);
    if (m && trivyIds.some((id) => id.toLowerCase() === (m[1] ?? '').toLowerCase())) {
      return { reason: `honoured ${comment.trim()}`, until: undefined };
    }
    return undefined;
  }

  /** `checkov:skip=<id>:<reason>` anywhere inside the resource, naming one of the rule's checkov ids. */
  private checkovSkip(finding: RawFinding, lines: Lines, rule: Rule | undefined) {
    const checkovIds = rule?.references.checkov ?? [];
    if (checkovIds.length === 0) {
      return undefined;
    }
    const body = lines.text.slice(finding.resourceSpan.start, finding.resourceSpan.end);
    for (const m of body.matchAll(/checkov:skip=([A-Z0-9_]+)(?::([^\r\n]*))?/g)) {
      if (checkovIds.includes(m[1] ?? '')) {
        return { reason: (m[2] ?? '').trim() || `honoured checkov:skip=${m[1] ?? ''}`, until: undefined };
      }
    }
    return undefined;
  }

  /** `kics-scan ignore-line` on the line above the finding. */
  private kicsIgnoreLine(finding: RawFinding, lines: Lines, prefix: RegExp) {
    if ((this.rules.get(finding.ruleId)?.references.kics ?? []).length === 0) {
      return undefined;
    }
    const above = commentsAbove(lines, finding.span.start, prefix)[0];
    return above !== undefined && /kics-scan\s+ignore-line/.test(above)
      ? { reason: 'honoured kics-scan ignore-line', until: undefined }
      : undefined;
  }
}
