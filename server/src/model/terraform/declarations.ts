/**
 * The declarations of one module folder gathered from all its files: variables, locals, module calls, resources and
 * data sources, with Terraform's override files (`override.tf`, `*_override.tf`, and their `.tf.json` forms) applied
 * after the primary files, as Terraform merges them.
 */
import type { Expression } from '../../parse/hcl/syntax';
import type { Resource } from '../types';
import type { ConfigAttribute, ConfigBlock, ConfigFile, ConfigItem } from './config';
import type { LocalDeclaration } from './evaluate';

/** A `variable` block, with its default and type after overrides. */
export interface VariableDeclaration {
  name: string;
  block: ConfigBlock;
  file: string;
  default?: { expr: Expression; file: string };
  type?: ConfigAttribute;
}

/** A `module` block and the attributes override files set on it (each with its file). */
export interface ModuleCallDeclaration {
  name: string;
  block: ConfigBlock;
  file: string;
  overrides: { attribute: ConfigAttribute; file: string }[];
}

/** A `resource` or `data` block and the items override files set on it. */
export interface ResourceDeclaration {
  kind: Resource['kind'];
  block: ConfigBlock;
  file: string;
  overrides: ConfigItem[];
}

/** Everything a module folder declares that the lowering reads. */
export interface ModuleDeclarations {
  variables: Map<string, VariableDeclaration>;
  locals: Map<string, LocalDeclaration>;
  calls: ModuleCallDeclaration[];
  resources: ResourceDeclaration[];
}

/** Whether a file name is a Terraform override file. */
export function isOverrideFile(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name.replace(/^.*[\\/]/, ''));
}

/** Gathers the declarations of `primary` files, then applies `overrides` files (both in lexical name order). */
export function collectDeclarations(primary: readonly ConfigFile[], overrides: readonly ConfigFile[]): ModuleDeclarations {
  const declarations: ModuleDeclarations = { variables: new Map(), locals: new Map(), calls: [], resources: [] };
  for (const file of primary) {
    for (const block of blocksOf(file)) {
      const label = block.labels[0]?.value;
      switch (block.type) {
        case 'variable':
          if (label !== undefined && block.labels.length === 1 && !declarations.variables.has(label)) {
            const defaultAttribute = attributeOf(block, 'default');
            declarations.variables.set(label, {
              name: label,
              block,
              file: file.path,
              default: defaultAttribute === undefined ? undefined : { expr: defaultAttribute.expr, file: file.path },
              type: attributeOf(block, 'type'),
            });
          }
          break;
        case 'locals':
          addLocals(declarations, block, file.path);
          break;
        case 'module':
          if (label !== undefined && block.labels.length === 1) {
            declarations.calls.push({ name: label, block, file: file.path, overrides: [] });
          }
          break;
        case 'resource':
        case 'data':
          if (block.labels.length === 2) {
            declarations.resources.push({ kind: block.type, block, file: file.path, overrides: [] });
          }
          break;
      }
    }
  }
  for (const file of overrides) {
    for (const block of blocksOf(file)) {
      applyOverride(declarations, block, file.path);
    }
  }
  return declarations;
}

/** Merges one block of an override file into the primary declaration it names (unmatched blocks are ignored). */
function applyOverride(declarations: ModuleDeclarations, block: ConfigBlock, file: string): void {
  const label = block.labels[0]?.value;
  switch (block.type) {
    case 'locals':
      addLocals(declarations, block, file);
      return;
    case 'variable': {
      const variable = label === undefined ? undefined : declarations.variables.get(label);
      const defaultAttribute = attributeOf(block, 'default');
      if (variable !== undefined && defaultAttribute !== undefined) {
        variable.default = { expr: defaultAttribute.expr, file };
      }
      if (variable !== undefined) {
        variable.type = attributeOf(block, 'type') ?? variable.type;
      }
      return;
    }
    case 'module': {
      const call = declarations.calls.find((c) => c.name === label);
      for (const item of block.items) {
        if (item.kind === 'attribute') {
          call?.overrides.push({ attribute: item, file });
        }
      }
      return;
    }
    case 'resource':
    case 'data': {
      const [type, name] = block.labels.map((l) => l.value);
      const target = declarations.resources.find(
        (r) => r.kind === block.type && r.block.labels[0]?.value === type && r.block.labels[1]?.value === name,
      );
      target?.overrides.push(...block.items);
      return;
    }
  }
}

function addLocals(declarations: ModuleDeclarations, block: ConfigBlock, file: string): void {
  for (const item of block.items) {
    if (item.kind === 'attribute') {
      declarations.locals.set(item.name, { expr: item.expr, file });
    }
  }
}

function blocksOf(file: ConfigFile): ConfigBlock[] {
  return file.items.filter((i): i is ConfigBlock => i.kind === 'block');
}

/** The first attribute `name` of a block. */
export function attributeOf(block: ConfigBlock, name: string): ConfigAttribute | undefined {
  return block.items.find((i): i is ConfigAttribute => i.kind === 'attribute' && i.name === name);
}
