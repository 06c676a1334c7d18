/**
 * The shape of what one fix inserts into one object: settings given as paths (`A.B.c = v`, `A.B.d = w`) merged into
 * a tree of nested keys (`A { B { c = v, d = w } }`), so that each format's editor writes a missing block once.
 */

/**
 * Source text a fix writes as it is, in the file's own syntax: a reference to another resource (HCL
 * `aws_kms_key.x.arn`, YAML `!GetAtt Key.Arn`, JSON `{ "Fn::GetAtt": ["Key", "Arn"] }`), which no literal can express.
 */
export interface Verbatim {
  verbatim: string;
}

/** Whether a value is {@link Verbatim} source text. */
export function isVerbatim(value: unknown): value is Verbatim {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Verbatim).verbatim === 'string';
}

/** A scalar or list of scalars that a fix writes, or source text written as it is. */
export type InsertLiteral = string | number | boolean | null | (string | number | boolean | null)[] | Verbatim;

/** One setting to insert: the keys from the object inserted into, then the value. */
export interface InsertSetting {
  segments: string[];
  value: InsertLiteral;
}

/** A key holding a value, or a key holding nested keys (in the order the settings first name them). */
export type InsertNode = { key: string; value: InsertLiteral } | { key: string; children: InsertNode[] };

/** The deepest nesting a fix may insert; rule paths are a few keys deep, so this only bounds the renderers' recursion. */
export const MAX_INSERT_DEPTH = 32;

/**
 * Merges settings into a tree; undefined when they conflict (a key given both a value and nested keys, or two
 * values), when a path is empty, or when a path is deeper than `MAX_INSERT_DEPTH`.
 */
export function insertTreeOf(settings: readonly InsertSetting[]): InsertNode[] | undefined {
  const roots: InsertNode[] = [];
  for (const setting of settings) {
    const { segments, value } = setting;
    if (segments.length === 0 || segments.length > MAX_INSERT_DEPTH) {
      return undefined;
    }
    let level = roots;
    for (let i = 0; i < segments.length; i++) {
      const key = segments[i]!;
      const existing = level.find((n) => n.key === key);
      if (i === segments.length - 1) {
        if (existing) {
          return undefined;
        }
        level.push({ key, value });
        break;
      }
      if (existing && !('children' in existing)) {
        return undefined;
      }
      const node: { key: string; children: InsertNode[] } = existing ?? { key, children: [] };
      if (!existing) {
        level.push(node);
      }
      level = node.children;
    }
  }
  return roots;
}

/** The tree of one setting: `segments` as nested keys ending in `value`. */
export function chainOf(segments: readonly string[], value: InsertLiteral): InsertNode[] {
  return insertTreeOf([{ segments: [...segments], value }]) ?? [];
}

/** Whether a tree writes some {@link Verbatim} source text (which a format without references cannot write). */
export function hasVerbatim(nodes: readonly InsertNode[]): boolean {
  const stack = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('children' in node) {
      stack.push(...node.children);
    } else if (isVerbatim(node.value)) {
      return true;
    }
  }
  return false;
}
