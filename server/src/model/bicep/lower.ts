/**
 * Lowering of a Bicep file into the language-neutral model: one resource per deployed `resource` declaration
 * (nested child resources included, with their full type composed from their parents'; `existing` resources are
 * not deployed here and are not resources of the model), with values evaluated from parameter defaults, variables
 * and literal expressions; and the resources of local module files (`module m './x.bicep'`), lowered with the
 * parameters the call passes.
 *
 * Invariant: this never throws for bad input and never reads anything but the file and its local modules through
 * `fs`; registry and template-spec modules are never fetched (a note says so). Work is bounded by one evaluation
 * budget per call, a module depth limit and a guard against module cycles.
 */
import * as nodePath from 'path';
import type { Expression, ModuleDeclaration, ResourceDeclaration, SyntaxDiagnostic } from '../../parse/bicep/syntax';
import type { Span } from '../../text/span';
import type { FileSystem } from '../fileSystem';
import type { Model, ModelDiagnostic, Value } from '../types';
import { asObject, bodyObjectOf, Evaluator, loopScope, NO_LOCALS, type Locals, type ParameterInputs } from './evaluate';
import { parseBicepFile } from './parse';
import { Budget, joinElements, referencesOf, unknown, withReferences } from './values';

/** Options of {@link lowerBicepFile}. */
export interface LowerBicepOptions {
  /** How many levels of local module calls are followed (default 8). */
  maxModuleDepth?: number;
  /** Units of evaluation work for the whole call, modules included (default 1,000,000). */
  evaluationBudget?: number;
}

/** The largest file the lowering reads; larger files are skipped with an informational diagnostic. */
export const MAX_FILE_LENGTH = 8 * 1024 * 1024;

const DEFAULT_MAX_MODULE_DEPTH = 8;
const DEFAULT_BUDGET = 1_000_000;

/** Lowers the Bicep file `file` (read through `fs`) and its local modules into one model. */
export function lowerBicepFile(file: string, fs: FileSystem, options: LowerBicepOptions = {}): Model {
  const lowering = new BicepLowering(fs, options);
  try {
    lowering.lowerFile(file, [], undefined, [normalize(file)], undefined);
  } catch (error) {
    // A bug must not take the language server down: keep what was lowered and say what happened.
    lowering.model.notes.push(
      note(
        file,
        { start: 0, end: 0 },
        `Internal error while lowering the file: ${error instanceof Error ? error.message : String(error)}`,
        'internal-error',
        'error',
      ),
    );
  }
  if (lowering.budget.isExhausted) {
    lowering.model.notes.push(
      note(
        file,
        { start: 0, end: 0 },
        'The file is too complex to evaluate fully; some values are treated as unknown',
        'evaluation-budget-exceeded',
      ),
    );
  }
  return lowering.model;
}

/** Where a resource declaration sits: its file, module path, parent (for nested resources) and deployment. */
interface ResourceContext {
  file: string;
  text: string;
  evaluator: Evaluator;
  modulePath: string[];
  locals: Locals;
  /** How the enclosing module call or parent resource is deployed (`in a loop`, `when condition "…"`). */
  notes: string[];
  parent: { address: string; type: string; apiVersion: string | undefined } | undefined;
}

/** The state of one lowering: the model being built, the budget, and the file system. */
class BicepLowering {
  readonly model: Model = { files: [], resources: [], notes: [] };
  readonly budget: Budget;
  private readonly maxDepth: number;

  constructor(
    private readonly fs: FileSystem,
    options: LowerBicepOptions,
  ) {
    this.budget = new Budget(options.evaluationBudget ?? DEFAULT_BUDGET);
    this.maxDepth = options.maxModuleDepth ?? DEFAULT_MAX_MODULE_DEPTH;
  }

  /**
   * Lowers one file as the module at `modulePath` (empty for the file itself) with the parameter values of the call
   * that loads it; false when the file cannot be read.
   */
  lowerFile(
    file: string,
    modulePath: string[],
    inputs: ParameterInputs | undefined,
    chain: string[],
    callNotes: string[] | undefined,
  ): boolean {
    const text = this.fs.readFile(file);
    if (text === undefined) {
      if (modulePath.length === 0) {
        this.addFile(file, '', [
          { file, span: { start: 0, end: 0 }, message: 'The file cannot be read', severity: 'error', code: 'unreadable-file' },
        ]);
      }
      return false;
    }
    if (text.length > MAX_FILE_LENGTH) {
      this.addFile(file, text, [
        {
          file,
          span: { start: 0, end: 0 },
          message: `The file is larger than ${MAX_FILE_LENGTH / 1024 / 1024} MB and is not analysed`,
          severity: 'info',
          code: 'file-too-large',
        },
      ]);
      return true;
    }
    const { tree, diagnostics } = parseBicepFile(file, text);
    this.addFile(
      file,
      text,
      diagnostics.map((d) => toModelDiagnostic(file, d)),
    );
    const evaluator = new Evaluator(file, tree.declarations, this.budget, inputs);
    const context = { file, text, evaluator, modulePath, locals: NO_LOCALS, notes: callNotes ?? [], parent: undefined };
    for (const declaration of tree.declarations) {
      if (declaration.kind === 'Resource') {
        this.lowerResource(declaration, context);
      } else if (declaration.kind === 'Module') {
        this.lowerModuleCall(declaration, context, chain);
      }
    }
    return true;
  }

  private addFile(path: string, text: string, diagnostics: ModelDiagnostic[]): void {
    if (!this.model.files.some((f) => f.path === path)) {
      this.model.files.push({ path, text, format: 'bicep', diagnostics });
    }
  }

  /** Lowers a resource declaration (unless it is `existing`) and its nested child resources. */
  private lowerResource(decl: ResourceDeclaration, context: ResourceContext): void {
    const typeString = context.evaluator.evaluate(decl.typeString, NO_LOCALS);
    if (typeString.kind !== 'scalar' || typeof typeString.value !== 'string' || decl.name.name === '') {
      return;
    }
    const at = typeString.value.lastIndexOf('@');
    let type = at >= 0 ? typeString.value.slice(0, at) : typeString.value;
    let apiVersion = at >= 0 ? typeString.value.slice(at + 1) : undefined;
    if (context.parent) {
      // A nested resource's type is relative to its parent's (`blobServices` under `Microsoft.Storage/storageAccounts`).
      if (!type.includes('/') || !type.includes('.')) {
        type = `${context.parent.type}/${type}`;
      }
      apiVersion ??= context.parent.apiVersion;
    }
    const deployment = this.deploymentOf(decl.value, context);
    const body = bodyObjectOf(decl.value);
    if (!body) {
      return;
    }
    const address = context.parent ? `${context.parent.address}::${decl.name.name}` : decl.name.name;
    if (decl.existingSpan === undefined) {
      const headerSpan = { start: decl.keywordSpan.start, end: body.openSpan.end };
      const value = asObject(context.evaluator.evaluateObject(body, deployment.locals, headerSpan, true));
      if (value) {
        this.model.resources.push({
          format: 'bicep',
          kind: 'resource',
          type,
          name: decl.name.name,
          address,
          file: context.file,
          span: decl.span,
          body: value,
          modulePath: context.modulePath,
          ...(apiVersion !== undefined ? { apiVersion } : {}),
          ...(deployment.notes.length > 0 ? { deploymentNote: deployment.notes.join(', ') } : {}),
        });
      }
    }
    for (const item of body.items) {
      if (item.kind === 'Resource') {
        this.lowerResource(item, {
          ...context,
          locals: deployment.locals,
          notes: deployment.notes,
          parent: { address, type, apiVersion },
        });
      }
    }
  }

  /**
   * How a resource or module value is deployed: the notes for a loop and a condition, and the loop variables (bound
   * to unknown values that refer to the collection: the body is checked once, for every element).
   */
  private deploymentOf(value: Expression, context: ResourceContext): { notes: string[]; locals: Locals } {
    const notes = [...context.notes];
    let locals = context.locals;
    let v = value;
    if (v.kind === 'For') {
      // The body is checked once for every element: the loop variable holds what all elements have in common.
      const collection = context.evaluator.evaluate(v.collection, locals);
      const place = { file: context.file, span: v.itemVariable.span };
      const references = referencesOf([collection]);
      const item =
        collection.kind === 'array' && collection.items.length > 0
          ? joinElements(collection.items, place, references, this.budget)
          : unknown(place, references);
      locals = loopScope(v, locals, item, context.file);
      if (!notes.includes('in a loop')) {
        notes.push('in a loop');
      }
      v = v.body;
    }
    if (v.kind === 'If') {
      notes.push(`when condition ${JSON.stringify(conditionText(v.condition, context.text))}`);
    }
    return { notes, locals };
  }

  /** Lowers the resources of a local module file with the call's parameters; notes what is not followed. */
  private lowerModuleCall(decl: ModuleDeclaration, context: ResourceContext, chain: string[]): void {
    const name = decl.name.name;
    const pathValue = context.evaluator.evaluate(decl.path, NO_LOCALS);
    const span = decl.path.span;
    if (name === '' || pathValue.kind !== 'scalar' || typeof pathValue.value !== 'string') {
      if (name !== '' && decl.path.kind !== 'Missing') {
        this.model.notes.push(note(context.file, span, `Module "${name}" has no literal path; its resources are not checked`, 'module-not-fetched'));
      }
      return;
    }
    const source = pathValue.value;
    if (/^(br|ts)[:/]/i.test(source)) {
      this.model.notes.push(
        note(context.file, span, `Module "${name}" ("${source}") is not fetched; its resources are not checked`, 'module-not-fetched'),
      );
      return;
    }
    if (!source.toLowerCase().endsWith('.bicep')) {
      this.model.notes.push(
        note(context.file, span, `Module "${name}" ("${source}") is not a Bicep file; its resources are not checked`, 'module-not-fetched'),
      );
      return;
    }
    const childFile = nodePath.join(nodePath.dirname(context.file), source);
    const key = normalize(childFile);
    if (chain.includes(key)) {
      this.model.notes.push(
        note(context.file, span, `Module "${name}" ("${source}") calls itself; it is lowered once`, 'module-cycle', 'warning'),
      );
      return;
    }
    if (context.modulePath.length >= this.maxDepth) {
      this.model.notes.push(
        note(
          context.file,
          span,
          `Module "${name}" is nested more than ${this.maxDepth} levels deep; its resources are not checked`,
          'module-depth-limit',
        ),
      );
      return;
    }
    const deployment = this.deploymentOf(decl.value, context);
    const body = bodyObjectOf(decl.value);
    const inputs = this.moduleInputs(body, context, deployment.locals);
    const found = this.lowerFile(childFile, [...context.modulePath, name], inputs, [...chain, key], deployment.notes);
    if (!found) {
      this.model.notes.push(
        note(context.file, span, `Module "${name}" ("${source}") cannot be read; its resources are not checked`, 'module-not-found', 'warning'),
      );
    }
  }

  /** The parameter values a module call passes: the entries of its `params` object, as evaluated in the caller. */
  private moduleInputs(
    body: ReturnType<typeof bodyObjectOf>,
    context: ResourceContext,
    locals: Locals,
  ): ParameterInputs {
    const values = new Map<string, Value>();
    const params = body?.items.find((i) => i.kind === 'Property' && i.keyName === 'params');
    if (!params || params.kind !== 'Property') {
      return { values, isOpaque: false };
    }
    const value = context.evaluator.evaluate(params.value, locals);
    if (value.kind !== 'object') {
      return { values, isOpaque: true };
    }
    for (const entry of value.entries) {
      // Unknown parts name the caller's symbols; inside the module they are only known as the parameter.
      values.set(entry.key, withReferences(entry.value, [entry.key], this.budget));
    }
    return { values, isOpaque: false };
  }
}

/** The source text of a condition, on one line and shortened, for a deployment note. */
function conditionText(condition: Expression, text: string): string {
  let span = condition.span;
  if (condition.kind === 'Paren') {
    span = condition.expr.span;
  }
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

function toModelDiagnostic(file: string, d: SyntaxDiagnostic): ModelDiagnostic {
  return { file, span: d.span, message: d.message, severity: d.severity, code: d.code };
}

function note(
  file: string,
  span: Span,
  message: string,
  code: string,
  severity: ModelDiagnostic['severity'] = 'info',
): ModelDiagnostic {
  return { file, span, message, severity, code };
}

/** A path normalized for cycle detection. */
function normalize(file: string): string {
  return nodePath.normalize(file).replace(/\\/g, '/');
}
