/**
 * Helpers for the Terraform lowering tests: lowering in-memory folders, and printing values compactly.
 */
import type { Model, Resource, Value } from '../../../server/src/model/types';
import { lowerTerraformModule, type LowerTerraformOptions } from '../../../server/src/model/terraform/module';
import { MemoryFileSystem } from '../memoryFs';

/** Lowers the module in `dir` of an in-memory file system holding `files`. */
export function lower(files: Record<string, string>, dir = 'm', options?: LowerTerraformOptions): Model {
  return lowerTerraformModule(dir, new MemoryFileSystem(files), options);
}

/** The resource with `address` (and module path) in `model`; fails the test when absent. */
export function resource(model: Model, address: string, modulePath: string[] = []): Resource {
  const found = model.resources.find((r) => r.address === address && r.modulePath.join('.') === modulePath.join('.'));
  if (found === undefined) {
    throw new Error(`No resource ${address} in [${model.resources.map((r) => r.address).join(', ')}]`);
  }
  return found;
}

/** The value at a dot-separated path of entry keys (the first entry for each key); fails when absent. */
export function valueAt(value: Value, path: string): Value {
  let current = value;
  for (const key of path.split('.')) {
    const next =
      current.kind === 'object'
        ? current.entries.find((e) => e.key === key)?.value
        : current.kind === 'array'
          ? current.items[Number(key)]
          : undefined;
    if (next === undefined) {
      throw new Error(`No value at ${path} (missing ${key})`);
    }
    current = next;
  }
  return current;
}

/** A value as plain data, with unknowns as `"?"` followed by their references (`"? var.x aws_s3_bucket.b.id"`). */
export function show(value: Value): unknown {
  switch (value.kind) {
    case 'scalar':
      return value.value;
    case 'unknown':
      return ['?', ...value.references].join(' ');
    case 'array':
      return value.items.map(show);
    case 'object': {
      // Repeated nested blocks show as a list of their bodies.
      const groups = new Map<string, unknown[]>();
      for (const e of value.entries) {
        groups.set(e.key, [...(groups.get(e.key) ?? []), show(e.value)]);
      }
      const out: Record<string, unknown> = {};
      for (const [key, shown] of groups) {
        out[key] = shown.length === 1 ? shown[0] : shown;
      }
      return out;
    }
  }
}

/** The source text a span covers. */
export function textOf(model: Model, file: string, span: { start: number; end: number }): string {
  const text = model.files.find((f) => f.path === file)?.text;
  if (text === undefined) {
    throw new Error(`No file ${file}`);
  }
  return text.slice(span.start, span.end);
}
