/**
 * Lowering of a Terraform module (a folder of `.tf` and `.tf.json` files) into the language-neutral model: every
 * `resource` and `data` block of the folder, with values evaluated from variables (inputs, tfvars, defaults) and
 * locals, and the resources of local child modules (`source = "./…"`) lowered with the call's inputs. Modules that
 * `terraform init` already downloaded (listed in the root's `.terraform/modules/modules.json`) are lowered the same
 * way from the folder the manifest names.
 *
 * Invariant: this never throws for bad input and never reads anything but the module folders through `fs`; remote
 * modules are never fetched (a note says so). Work is bounded by one evaluation budget per call, a module depth
 * limit and a guard against module cycles.
 */
import * as nodePath from 'path';
import type { Span } from '../../text/span';
import type { FileSystem } from '../fileSystem';
import type { Model, ModelDiagnostic, ModelFile, Value } from '../types';
import type { ConfigAttribute, ConfigFile } from './config';
import { collectDeclarations, isOverrideFile, type ModuleCallDeclaration, type VariableDeclaration } from './declarations';
import { Evaluator } from './evaluate';
import { toBoolValue, toNumberValue, toStringValue } from './functions';
import { lowerBlock, maskOverrides } from './lowerBody';
import { parseTerraformFile, unreadableFile } from './parse';
import { tfvarsFileNames, tfvarsValues } from './tfvars';
import { Budget, errorValue, fromPlain, unknown, withReferences, type Place } from './values';

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
    lowering.readManifest(dir);
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

class ModuleLowering {
  readonly model: Model = { files: [], resources: [], notes: [] };
  readonly budget: Budget;
  private readonly parsed = new Map<string, ConfigFile>();
  private readonly maxDepth: number;
  /** The downloaded modules of the root's `.terraform/modules/modules.json`: module key (`a.b`) → folder. */
  private readonly downloaded = new Map<string, string>();

  constructor(
    private readonly fs: FileSystem,
    private readonly options: LowerTerraformOptions,
  ) {
    this.budget = new Budget(options.evaluationBudget ?? DEFAULT_BUDGET);
    this.maxDepth = options.maxModuleDepth ?? DEFAULT_MAX_MODULE_DEPTH;
  }

  /**
   * Reads the root module's `.terraform/modules/modules.json`, which `terraform init` writes: `{"Modules": [{"Key":
   * "vpc", "Source": "…", "Dir": ".terraform/modules/vpc"}, …]}`, a key being the calls' names from the root joined
   * with dots and a folder relative to the root. A missing manifest is normal; a broken one is noted and ignored.
   */
  readManifest(root: string): void {
    const path = joinPath(root, '.terraform/modules/modules.json');
    let text: string | undefined;
    try {
      text = this.fs.readFile(path);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      return;
    }
    const problem = (message: string) =>
      this.model.notes.push(note(path, { start: 0, end: 0 }, `${message}; downloaded modules are not checked`, 'module-manifest-invalid', 'warning'));
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch (error) {
      problem(`The module manifest is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    const modules = typeof manifest === 'object' && manifest !== null ? (manifest as { Modules?: unknown }).Modules : undefined;
    if (!Array.isArray(modules)) {
      problem('The module manifest has no "Modules" list');
      return;
    }
    for (const entry of modules as unknown[]) {
      const { Key: key, Dir: folder } = (typeof entry === 'object' && entry !== null ? entry : {}) as { Key?: unknown; Dir?: unknown };
      // The root module itself has the empty key; entries without a folder (never installed) are skipped.
      if (typeof key === 'string' && key !== '' && typeof folder === 'string' && folder !== '') {
        this.downloaded.set(key, nodePath.isAbsolute(folder) || nodePath.win32.isAbsolute(folder) ? folder : joinPath(root, folder));
      }
    }
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
    const declarations = collectDeclarations(
      files.filter((_, i) => !isOverrideFile(configNames[i] ?? '')),
      files.filter((_, i) => isOverrideFile(configNames[i] ?? '')),
    );

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
    for (const [name, declaration] of declarations.variables) {
      variables.set(name, variableValue(declaration, assigned.get(name), constants));
    }
    const evaluator = new Evaluator({ variables, locals: declarations.locals }, this.budget);

    for (const { block, file, kind, overrides } of declarations.resources) {
      const [type, name] = block.labels;
      if (type === undefined || name === undefined) {
        continue;
      }
      const body = lowerBlock(block, evaluator, { file });
      maskOverrides(body, overrides, file);
      this.model.resources.push({
        format: 'terraform',
        kind,
        type: type.value,
        name: name.value,
        address: kind === 'data' ? `data.${type.value}.${name.value}` : `${type.value}.${name.value}`,
        file,
        span: block.span,
        body,
        modulePath,
      });
    }
    for (const call of declarations.calls) {
      this.lowerCall(dir, call, evaluator, modulePath, chain);
    }
    return files.length > 0;
  }

  /** Follows a `module` block: lowers a local child folder with the call's inputs, or notes a remote source. */
  private lowerCall(dir: string, call: ModuleCallDeclaration, evaluator: Evaluator, modulePath: string[], chain: string[]): void {
    const { name, block } = call;
    // The call's arguments, each with its file: the block's own, then those set by override files.
    const attributes = new Map<string, { attribute: ConfigAttribute; file: string }>();
    for (const item of block.items) {
      if (item.kind === 'attribute' && !attributes.has(item.name)) {
        attributes.set(item.name, { attribute: item, file: call.file });
      }
    }
    for (const override of call.overrides) {
      attributes.set(override.attribute.name, override);
    }
    const sourceArgument = attributes.get('source');
    const file = sourceArgument?.file ?? call.file;
    const source = sourceArgument === undefined ? undefined : evaluator.evaluate(sourceArgument.attribute.expr, { file });
    const span = sourceArgument?.attribute.expr.span ?? block.headerSpan;
    if (source?.kind !== 'scalar' || typeof source.value !== 'string') {
      this.model.notes.push(
        note(file, span, `Module "${name}" has no literal source; its resources are not checked`, 'module-not-fetched'),
      );
      return;
    }
    const downloaded = this.downloaded.get([...modulePath, name].join('.'));
    if (!/^\.\.?[\\/]/.test(source.value) && downloaded === undefined) {
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
    // A local source inside a downloaded module resolves from that module's folder, as Terraform installs it.
    const childDir = downloaded !== undefined && !/^\.\.?[\\/]/.test(source.value) ? downloaded : joinPath(dir, source.value);
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
    for (const [input, argument] of attributes) {
      if (!MODULE_META_ARGUMENTS.has(input)) {
        // Unknown parts name the caller's objects; inside the child they are only known as the input variable.
        const value = evaluator.evaluate(argument.attribute.expr, { file: argument.file });
        inputs.set(input, withReferences(value, [`var.${input}`], this.budget));
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

/**
 * A variable's value: the assigned one (module input, tfvars or option) or else its default, converted to the
 * declared primitive type; unknown (referring to `var.<name>`) when it has neither.
 */
function variableValue(declaration: VariableDeclaration, assigned: Value | undefined, constants: Evaluator): Value {
  const fallback = declaration.default;
  const value = assigned ?? (fallback === undefined ? undefined : constants.evaluate(fallback.expr, { file: fallback.file }));
  const place: Place = { file: declaration.file, span: declaration.block.headerSpan };
  if (value === undefined) {
    return unknown(place, [`var.${declaration.name}`]);
  }
  return convertToType(value, primitiveType(declaration.type), place);
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
