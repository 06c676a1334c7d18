/**
 * aws-batch-privileged-container (Terraform): a job definition whose `container_properties` (JSON text from a heredoc
 * or `jsonencode(...)`, possibly partly known) sets `"privileged": true`. The finding points at the `privileged`
 * setting inside the text when the text is the file's own (a heredoc or a `jsonencode` object), else at the
 * attribute. A value the model cannot resolve yields no finding.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Entry, type ScalarValue } from '../../../../server/src/model/types';

/** The `privileged` key set to true, as JSON (`"privileged": true`) or as HCL in `jsonencode` (`privileged = true`). */
const PRIVILEGED_TEXT = /"?privileged"?\s*[:=]\s*true\b/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the container properties' plain data run the container privileged. */
function isPrivileged(properties: unknown): boolean {
  if (typeof properties === 'string') {
    try {
      return isPrivileged(JSON.parse(properties) as unknown);
    } catch {
      return false;
    }
  }
  return isObject(properties) && properties['privileged'] === true;
}

/** A value spanning the `privileged` setting inside the attribute's own text, if it is written there. */
function privilegedSetting(ctx: CheckContext, entry: Entry): ScalarValue | undefined {
  const file = ctx.model.files.find((f) => f.path === entry.value.file);
  if (!file) {
    return undefined;
  }
  const text = file.text.slice(entry.value.span.start, entry.value.span.end);
  const match = PRIVILEGED_TEXT.exec(text);
  if (!match) {
    return undefined;
  }
  const start = entry.value.span.start + match.index;
  return { kind: 'scalar', value: true, span: { start, end: start + match[0].length }, file: file.path, provenance: 'explicit' };
}

export function check(ctx: CheckContext): void {
  const entry = Value.entry(ctx.resource.body, 'container_properties');
  if (!entry) {
    return;
  }
  const value = entry.value;
  const plain = value.kind === 'unknown' ? (value.partial ? Value.toPartialPlain(value.partial) : undefined) : Value.toPartialPlain(value);
  if (isPrivileged(plain)) {
    ctx.report({ at: privilegedSetting(ctx, entry) ?? entry });
  }
}
