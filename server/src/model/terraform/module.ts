/**
 * Lowering of a Terraform module (a folder of `.tf` and `.tf.json` files) into the language-neutral model: every
 * `resource` and `data` block of the folder, with values evaluated from variables (inputs, tfvars, defaults) and
 * locals, and the resources of local child modules (`source = "./…"`) lowered with the call's inputs.
 *
 * Invariant: this never throws for bad input and never reads anything but the module folders through `fs`; remote
 * modules are never fetched (a note says so). Work is bounded by one evaluation budget per call, a module depth
 * limit and a guard against module cycles.
 */
import * as nodePath from 'path';
import type { Span } from '../../text/span';
import type { FileSystem } from '../fileSystem';
import type { Model, ModelDiagnostic, ModelFile, Resource, Value } from '../types';
import type { ConfigAttribute, ConfigBlock, ConfigFile } from './config';
import { Evaluator, type LocalDeclaration } from './evaluate';
import { toBoolValue, toNumberValue, toStringValue } from './functions';
import { lowerBlock } from './lowerBody';
import { parseTerraformFile, unreadableFile } from './parse';
import { tfvarsFileNames, tfvarsValues } from './tfvars';
import { Budget, errorValue, fromPlain, unknown, type Place } from './values';

/** Options of {@link lowerTerraformModule}. */
export interface LowerTerraformOptions {
  /** Root variable values that override tfvars and defaults (like `-var`), as plain JSON data. */
  inputs?: Record<string, unknown>;
  /** How many levels of local module calls are followed (default 8). */
  maxModuleDepth?: number;
  /** Units of evaluation work for the whole call, child modules included (default 1,000,000). */
  evaluationBudget?: number;
}

const DEFAULT_MAX_MODULE_DEPTH = 8;
const DEFAULT_BUDGET = 1_000_000;

/** Arguments of a `module` block that are not inputs of the child module. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/** Lowers the Terraform module in folder `dir` (read through `fs`) and its local child modules into one model. */
export function lowerTerraformModule(dir: string, fs: FileSystem, options: LowerTerraformOptions = {}): Model {
  const lowering = new ModuleLowering(fs, options);
  try {
    lowering.lowerModule(dir, [], undefined, [normalize(dir)]);
  } catch (error) {
    // A bug must not take the language server down: keep what was lowered and say what happened.
    lowering.model.notes.push({
      file: dir,
      span: { start: 0, end: 0 },
      message: `Internal error while lowering the module: ${error instanceof Error ? error.message : String(error)}`,
      severity: 'error',
      code: 'internal-error',
    });
  }
  if (lowering.budget.isExhausted) {
    lowering.model.notes.push({
      file: dir,
      span: { start: 0, end: 0 },
      message: 'The module is too complex to evaluate fully; some values are treated as unknown',
      severity: 'info',
      code: 'evaluation-budget-exceeded',
    });
  }
  return lowering.model;
}

/** The declarations of one module folder, gathered from all its files. */
interface ModuleDeclarations {
  variables: { block: ConfigBlock; file: string }[];
  locals: Map<string, LocalDeclaration>;
  calls: { block: ConfigBlock; file: string }[];
  resources: { block: ConfigBlock; file: string; kind: Resource['kind'] }[];
}

class ModuleLowering {
  readonly model: Model = { files: [], resources: [], notes: [] };
  readonly budget: Budget;
  private readonly parsed = new Map<string, ConfigFile>();
  private readonly maxDepth: number;

  constructor(
    private readonly fs: FileSystem,
    private readonly options: LowerTerraformOptions,
  ) {
    this.budget = new Budget(options.evaluationBudget ?? DEFAULT_BUDGET);
    this.maxDepth = options.maxModuleDepth ?? DEFAULT_MAX_MODULE_DEPTH;
  }

  /**
   * Lowers one module instance: `inputs` is undefined for the root module (which reads tfvars) and the call's
   * evaluated arguments for a child. Returns whether the folder held any configuration file.
   */
  lowerModule(dir: string, modulePath: string[], inputs: Map<string, Value> | undefined, chain: string[]): boolean {
    const entries = this.readDirectory(dir);
    if (entries === undefined) {
      if (inputs === undefined) {
        this.model.notes.push(note(dir, { start: 0, end: 0 }, 'The folder cannot be read', 'unreadable-folder', 'error'));
      }
      return false;
    }
    const names = entries.filter((e) => !e.isDirectory).map((e) => e.name);
    const configNames = names.filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).sort();
    const files = configNames.map((name) => this.file(joinPath(dir, name)));
    const declarations = collect(files);

    const constants = new Evaluator({ variables: new Map(), locals: new Map() }, this.budget);
    let assigned: Map<string, Value>;
    if (inputs === undefined) {
      const tfvars = tfvarsFileNames(names).map((name) => this.file(joinPath(dir, name)));
      assigned = tfvarsValues(tfvars, constants);
      for (const [name, data] of Object.entries(this.options.inputs ?? {})) {
        assigned.set(name, fromPlain(data, { file: dir, span: { start: 0, end: 0 } }, 'resolved', this.budget));
      }
    } else {
      assigned = inputs;
    }
    const variables = new Map<string, Value>();
    for (const { block, file } of declarations.variables) {
      const name = block.labels[0]?.value ?? '';
      variables.set(name, variableValue(name, block, file, assigned.get(name), constants));
    }
    const evaluator = new Evaluator({ variables, locals: declarations.locals }, this.budget);

    for (const { block, file, kind } of declarations.resources) {
      const [type, name] = block.labels;
      if (type === undefined || name === undefined) {
        continue;
      }
      this.model.resources.push({
        format: 'terraform',
        kind,
        type: type.value,
        name: name.value,
        address: kind === 'data' ? `data.${type.value}.${name.value}` : `${type.value}.${name.value}`,
        file,
        span: block.span,
        body: lowerBlock(block, evaluator, { file }),
        modulePath,
      });
    }
    for (const call of declarations.calls) {
      this.lowerCall(dir, call.block, call.file, evaluator, modulePath, chain);
    }
    return files.length > 0;
  }

  /** Follows a `module` block: lowers a local child folder with the call's inputs, or notes a remote source. */
  private lowerCall(
    dir: string,
    block: ConfigBlock,
    file: string,
    evaluator: Evaluator,
    modulePath: string[],
    chain: string[],
  ): void {
    const name = block.labels[0]?.value;
    if (name === undefined) {
      return;
    }
    const sourceAttribute = attribute(block, 'source');
    const source = sourceAttribute === undefined ? undefined : evaluator.evaluate(sourceAttribute.expr, { file });
    const span = sourceAttribute?.expr.span ?? block.headerSpan;
    if (source?.kind !== 'scalar' || typeof source.value !== 'string') {
      this.model.notes.push(
        note(file, span, `Module "${name}" has no literal source; its resources are not checked`, 'module-not-fetched'),
      );
      return;
    }
    if (!/^\.\.?[\\/]/.test(source.value)) {
      this.model.notes.push(
        note(
          file,
          span,
          `Module "${name}" (source "${source.value}") is not fetched; its resources are not checked`,
          'module-not-fetched',
        ),
      );
      return;
    }
    const childDir = joinPath(dir, source.value);
    const key = normalize(childDir);
    if (chain.includes(key)) {
      this.model.notes.push(
        note(file, span, `Module "${name}" (source "${source.value}") calls itself; it is lowered once`, 'module-cycle', 'warning'),
      );
      return;
    }
    if (modulePath.length >= this.maxDepth) {
      this.model.notes.push(
        note(
          file,
          span,
          `Module "${name}" is nested more than ${this.maxDepth} levels deep; its resources are not checked`,
          'module-depth-limit',
        ),
      );
      return;
    }
    const inputs = new Map<string, Value>();
    for (const item of block.items) {
      if (item.kind === 'attribute' && !MODULE_META_ARGUMENTS.has(item.name)) {
        inputs.set(item.name, evaluator.evaluate(item.expr, { file }));
      }
    }
    if (!this.lowerModule(childDir, [...modulePath, name], inputs, [...chain, key])) {
      this.model.notes.push(
        note(
          file,
          span,
          `Module "${name}" (source "${source.value}") has no Terraform files; its resources are not checked`,
          'module-not-found',
          'warning',
        ),
      );
    }
  }

  private readDirectory(dir: string): { name: string; isDirectory: boolean }[] | undefined {
    try {
      return this.fs.readDirectory(dir);
    } catch {
      return undefined;
    }
  }

  /** Reads and parses a file once per lowering, and records it in `model.files` the first time. */
  private file(path: string): ConfigFile {
    const cached = this.parsed.get(path);
    if (cached !== undefined) {
      return cached;
    }
    let text: string | undefined;
    try {
      text = this.fs.readFile(path);
    } catch {
      text = undefined;
    }
    const file = text === undefined ? unreadableFile(path) : parseTerraformFile(path, text);
    this.parsed.set(path, file);
    const modelFile: ModelFile = { path, text: file.text, format: 'terraform', diagnostics: file.diagnostics };
    this.model.files.push(modelFile);
    return file;
  }
}

/** Gathers variables, locals, module calls, resources and data sources from a module's files, in file order. */
function collect(files: readonly ConfigFile[]): ModuleDeclarations {
  const declarations: ModuleDeclarations = { variables: [], locals: new Map(), calls: [], resources: [] };
  for (const file of files) {
    for (const item of file.items) {
      if (item.kind !== 'block') {
        continue;
      }
      switch (item.type) {
        case 'variable':
          if (item.labels.length === 1) {
            declarations.variables.push({ block: item, file: file.path });
          }
          break;
        case 'locals':
          for (const local of item.items) {
            if (local.kind === 'attribute') {
              declarations.locals.set(local.name, { expr: local.expr, file: file.path });
            }
          }
          break;
        case 'module':
          if (item.labels.length === 1) {
            declarations.calls.push({ block: item, file: file.path });
          }
          break;
        case 'resource':
        case 'data':
          if (item.labels.length === 2) {
            declarations.resources.push({ block: item, file: file.path, kind: item.type });
          }
          break;
      }
    }
  }
  return declarations;
}

/**
 * A variable's value: the assigned one (module input, tfvars or option) or else its default, converted to the
 * declared primitive type; unknown (referring to `var.<name>`) when it has neither.
 */
function variableValue(
  name: string,
  block: ConfigBlock,
  file: string,
  assigned: Value | undefined,
  constants: Evaluator,
): Value {
  const defaultAttribute = attribute(block, 'default');
  const value = assigned ?? (defaultAttribute === undefined ? undefined : constants.evaluate(defaultAttribute.expr, { file }));
  const place: Place = { file, span: block.headerSpan };
  if (value === undefined) {
    return unknown(place, [`var.${name}`]);
  }
  return convertToType(value, primitiveType(attribute(block, 'type')), place);
}

/** The declared type when it is a primitive (`string`, `number`, `bool`), in native or JSON syntax. */
function primitiveType(typeAttribute: ConfigAttribute | undefined): string | undefined {
  const expr = typeAttribute?.expr;
  if (expr?.kind === 'Variable') {
    return expr.name;
  }
  const only = expr?.kind === 'Template' && expr.parts.length === 1 ? expr.parts[0] : undefined;
  return only?.kind === 'TemplateLiteral' ? only.value.trim() : undefined;
}

/** Terraform's automatic conversion of an assigned value to a primitive variable type (`"true"` → true). */
function convertToType(value: Value, type: string | undefined, place: Place): Value {
  if (value.kind !== 'scalar' || value.value === null || type === undefined) {
    return value;
  }
  let converted: string | number | boolean | undefined;
  switch (type) {
    case 'string':
      converted = toStringValue(value.value);
      break;
    case 'number':
      converted = toNumberValue(value.value);
      break;
    case 'bool':
      converted = toBoolValue(value.value);
      break;
    default:
      return value;
  }
  return converted === undefined ? errorValue(place) : { ...value, value: converted };
}

function attribute(block: ConfigBlock, name: string): ConfigAttribute | undefined {
  return block.items.find((i): i is ConfigAttribute => i.kind === 'attribute' && i.name === name);
}

function note(file: string, span: Span, message: string, code: string, severity: ModelDiagnostic['severity'] = 'info'): ModelDiagnostic {
  return { file, span, message, severity, code };
}

/** Joins a folder and a relative path with the folder's own separator style (Windows paths keep backslashes). */
function joinPath(dir: string, relative: string): string {
  const isWindows = dir.includes('\\') && !dir.includes('/');
  return isWindows ? nodePath.win32.join(dir, relative) : nodePath.posix.join(dir, relative.replace(/\\/g, '/'));
}

function normalize(dir: string): string {
  return joinPath(dir, '.').replace(/[\\/]+$/, '');
}
