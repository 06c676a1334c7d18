/**
 * Evaluates rules over a model: selects each target's resources (and `each` nodes), evaluates `unless`/`when` or the
 * rule's `check`, and turns true conditions into findings with their anchors and fixes.
 *
 * Invariant: a rule that throws is isolated: it is logged through `onInternalError` with its id and the others still
 * report.
 */
import * as path from 'node:path';
import type { Entry, Model, ObjectValue, Resource, Value } from '../model/types';
import type { Span } from '../text/span';
import { StepBudgetExceeded, WorkCounter } from '../text/workCounter';
import type { CheckReport } from './check';
import { evaluateCondition, type Blame, type ConditionScope } from './conditions';
import { reachOf, type EvaluationMemo } from './evaluationMemo';
import { planFix, type FixContext, type FixRenderer } from './fixes';
import { resolvePath, splitPath, type PathHit } from './paths';
import type { CompanionIntent, Condition, FixIntent, Rule, Target } from './rule';
import { apiVersionMatches, candidatesOf, typeIndexOf, typeMatches, type TypeIndex } from './typeMatches';
import type { Finding, Fix } from './types';

/** A finding before suppressions, with the offsets a suppression comment may sit above. */
export interface RawFinding extends Finding {
  /** Offsets of the resource's start and of each nested block or attribute on the way to the finding. */
  anchors: { offset: number; isResource: boolean }[];
  /** The span of the whole resource, for peers' in-block suppressions (checkov:skip). */
  resourceSpan: Span;
  /** Suppressions the resource declares as data (CloudFormation metadata). */
  declaredSuppressions?: Resource['declaredSuppressions'];
  /** Peers' suppressions the resource declares as data. */
  peerSuppressions?: Resource['peerSuppressions'];
}

/** Options of one evaluation run. */
export interface EvaluateOptions {
  /** Renders fix intents into text edits per format; findings get no fix where it returns nothing. */
  renderers: Partial<Record<Resource['format'], FixRenderer>>;
  /** The text of a model file, for fix rendering. */
  textOf: (file: string) => string | undefined;
  /**
   * Called when a rule throws, or runs past its step budget ({@link StepBudgetExceeded}); the rule's findings on this
   * model are dropped and the run continues with the other rules.
   */
  onInternalError?: (ruleId: string, error: unknown) => void;
  /** The steps one rule may take on this model; default {@link ruleStepBudget}. */
  ruleStepBudget?: number;
  /** Called when a condition of a rule is unknown on a resource (no finding, but no proof either). */
  onUncertain?: (ruleId: string, resource: Resource) => void;
  /**
   * The unit's earlier evaluations: a rule that reads only its resource is not evaluated again on a resource whose
   * fingerprint it was evaluated on (its findings are moved to where the resource is now).
   */
  memo?: EvaluationMemo;
}


/** The header span of the block a missing setting belongs in. */
function missingSpan(object: ObjectValue, chain: Entry[], resource: Resource): Span {
  if (object.block) {
    return object.block.headerSpan;
  }
  const last = chain[chain.length - 1];
  return last ? last.keySpan : (resource.body.block?.headerSpan ?? resource.span);
}

/**
 * The resource's own header: where a finding about the resource as a whole points (no blamed path) and where a
 * suppression of it may sit. It differs from the body's header for a CloudFormation resource with `Properties`.
 */
function resourceHeader(resource: Resource): Span {
  return resource.headerSpan ?? resource.body.block?.headerSpan ?? resource.span;
}

/** Renders a value for a message placeholder. */
function displayValue(value: Value): string {
  switch (value.kind) {
    case 'scalar':
      return value.value === null ? 'null' : String(value.value);
    case 'array':
      return value.items.map(displayValue).join(', ');
    case 'object':
      return '{…}';
    case 'unknown':
      return '(unknown)';
  }
}

/** Fills `{value}`, `{path}` and `{resource}` in a message template (an absent value fills in as nothing). */
function fillMessage(template: string, resource: string, value?: string, path?: string): string {
  if (!template.includes('{')) {
    return template;
  }
  return template.replace(/\{(value|path|resource)\}/g, (_, key: 'value' | 'path' | 'resource') =>
    (key === 'value' ? value : key === 'path' ? path : resource) ?? '',
  );
}

/**
 * The steps one rule may take on a model (resource visits, path steps, conditions): far above what any rule needs on
 * real files (a few dozen per resource), so only a runaway evaluation reaches it.
 */
export function ruleStepBudget(model: Model): number {
  return 200_000 + 5_000 * model.resources.length;
}

/**
 * Evaluates every rule over every resource of the model. A rule that throws or runs past its step budget is
 * abandoned for this model (its findings so far dropped) and reported through `onInternalError`.
 */
export function evaluateRules(rules: readonly Rule[], model: Model, options: EvaluateOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  const index = typeIndexOf(model.resources);
  const neverDeployed = new Set(model.resources.filter(isNeverDeployed));
  const budget = options.ruleStepBudget ?? ruleStepBudget(model);
  options.memo?.begin(model, options.textOf, options.renderers);
  try {
    evaluateEach(rules, model, options, findings, index, neverDeployed, budget);
  } finally {
    options.memo?.end();
  }
  return findings;
}

/** The loop of {@link evaluateRules} over the rules. */
function evaluateEach(
  rules: readonly Rule[],
  model: Model,
  options: EvaluateOptions,
  findings: RawFinding[],
  index: TypeIndex,
  neverDeployed: ReadonlySet<Resource>,
  budget: number,
): void {
  for (const rule of rules) {
    if (rule.deprecated) {
      continue;
    }
    const kept = findings.length;
    WorkCounter.ruleLimit = WorkCounter.rules + budget;
    try {
      evaluateRule(rule, model, options, findings, index, neverDeployed);
    } catch (error) {
      findings.length = kept;
      options.onInternalError?.(
        rule.id,
        error instanceof StepBudgetExceeded ? new StepBudgetExceeded(`exceeded its step budget of ${budget} steps and was abandoned for this document`) : error,
      );
    } finally {
      WorkCounter.ruleLimit = Infinity;
    }
  }
}

/** Whether a Terraform resource is known to have no instances (`count = 0`, an empty `for_each`). */
export function isNeverDeployed(resource: Resource): boolean {
  if (resource.format !== 'terraform') {
    return false;
  }
  const count = resource.body.entries.find((e) => e.key === 'count' && !e.isBlock)?.value;
  if (count?.kind === 'scalar' && (count.value === 0 || count.value === '0')) {
    return true;
  }
  const forEach = resource.body.entries.find((e) => e.key === 'for_each' && !e.isBlock)?.value;
  return (
    (forEach?.kind === 'array' && forEach.items.length === 0) ||
    (forEach?.kind === 'object' && forEach.entries.length === 0)
  );
}

/** The type patterns of every target of a rule (cached per rule object). */
const patternCache = new WeakMap<Rule, string[]>();

function patternsOf(rule: Rule): string[] {
  let patterns = patternCache.get(rule);
  if (!patterns) {
    patterns = Object.values(rule.match).flatMap((targets) => targets?.flatMap((t) => t.resources) ?? []);
    patternCache.set(rule, patterns);
  }
  return patterns;
}

/**
 * Evaluates one rule, appending its findings. Only the resources whose type one of its targets names are visited
 * (through the type index), in the model's order.
 */
function evaluateRule(
  rule: Rule,
  model: Model,
  options: EvaluateOptions,
  out: RawFinding[],
  index: TypeIndex,
  neverDeployed: ReadonlySet<Resource>,
): void {
  const memo = options.memo !== undefined && !reachOf(rule).isOpaque ? options.memo : undefined;
  for (const resource of candidatesOf(index, patternsOf(rule))) {
    WorkCounter.chargeRule();
    if (neverDeployed.size > 0 && neverDeployed.has(resource)) {
      continue;
    }
    const targets = rule.match[resource.format];
    if (!targets) {
      continue;
    }
    if (memo === undefined) {
      evaluateTargets(rule, targets, resource, model, options, out);
      continue;
    }
    const taken = memo.take(rule, resource, out);
    if (taken !== undefined) {
      chargeRuleSteps(taken.steps);
      if (taken.isUncertain) {
        options.onUncertain?.(rule.id, resource);
      }
      continue;
    }
    const kept = out.length;
    const stepsBefore = WorkCounter.rules;
    let isUncertain = false;
    const onUncertain = options.onUncertain;
    const recording: EvaluateOptions = {
      ...options,
      onUncertain: (ruleId, r) => {
        isUncertain = true;
        onUncertain?.(ruleId, r);
      },
    };
    evaluateTargets(rule, targets, resource, model, recording, out);
    memo.record(rule, resource, out.slice(kept), isUncertain, WorkCounter.rules - stepsBefore);
  }
}

/** Charges the steps a reused evaluation took when it ran (see {@link WorkCounter.chargeRule}). */
function chargeRuleSteps(steps: number): void {
  WorkCounter.rules += steps - 1;
  WorkCounter.chargeRule();
}

/** Evaluates the targets of a rule that apply to a resource. */
function evaluateTargets(rule: Rule, targets: Target[], resource: Resource, model: Model, options: EvaluateOptions, out: RawFinding[]): void {
  for (const target of targets) {
    const wantsData = target.dataSources === true;
    if ((resource.kind === 'data') !== wantsData || !matchesSome(target.resources, resource)) {
      continue;
    }
    if (!apiVersionMatches(target.apiVersions, resource.apiVersion)) {
      continue;
    }
    evaluateTarget(rule, target, resource, model, options, out);
  }
}

/** Whether one of the type patterns matches the resource's type. */
function matchesSome(patterns: readonly string[], resource: Resource): boolean {
  for (const pattern of patterns) {
    if (typeMatches(pattern, resource.type, resource.format)) {
      return true;
    }
  }
  return false;
}

/** Evaluates one target on one resource. */
function evaluateTarget(
  rule: Rule,
  target: Target,
  resource: Resource,
  model: Model,
  options: EvaluateOptions,
  out: RawFinding[],
): void {
  const root: PathHit = { value: resource.body, chain: [] };
  if (!target.each) {
    evaluateSubject(rule, target, root, resource, model, options, out);
    return;
  }
  // Each node `each` selects; the items of a list it selects.
  for (const hit of resolvePath(root, splitPath(target.each)).hits) {
    if (hit.value.kind !== 'array') {
      evaluateSubject(rule, target, hit, resource, model, options, out);
      continue;
    }
    for (const item of hit.value.items) {
      evaluateSubject(rule, target, { value: item, chain: hit.chain }, resource, model, options, out);
    }
  }
}

/** Evaluates one target on one subject of a resource (its body, or one node its `each` selected). */
function evaluateSubject(
  rule: Rule,
  target: Target,
  subject: PathHit,
  resource: Resource,
  model: Model,
  options: EvaluateOptions,
  out: RawFinding[],
): void {
  if (subject.value.kind !== 'object') {
    return;
  }
  const scope = { subject, resource, model };
  const unless = target.unless ? evaluateCondition(target.unless, scope).truth : false;
  if (unless === undefined) {
    options.onUncertain?.(rule.id, resource);
  }
  if (unless !== false) {
    return;
  }
  if (target.check) {
    runCheck(rule, target, scope, options, out);
    return;
  }
  if (!target.when) {
    return;
  }
  const result = evaluateCondition(target.when, scope);
  if (result.truth === undefined) {
    options.onUncertain?.(rule.id, resource);
  }
  if (result.truth !== true) {
    return;
  }
  out.push(makeFinding(rule, target, resource, subject, result.blame, options, model));
}

/**
 * Whether a fix may add a companion to a resource: a managed resource deployed once (not in a loop or under a
 * condition, where one companion would not fit) and none of the settings the companion conflicts with set. A companion
 * that refers to the resource (`via`) also needs that no resource of its type refers to it yet (a second bucket policy
 * would replace the first); one the resource refers to (`reference`) needs that the setting holds no value the model
 * cannot read (it may already refer to such a resource: a second one would be a duplicate).
 */
function canAddCompanion(companion: CompanionIntent, scope: ConditionScope): boolean {
  const { resource } = scope;
  if (resource.kind !== 'resource' || resource.deploymentNote !== undefined || scope.subject.chain.length > 0) {
    return false;
  }
  // Terraform's loops are meta-arguments the model keeps as entries of the body.
  if (resource.format === 'terraform' && resource.body.entries.some((e) => e.key === 'count' || e.key === 'for_each')) {
    return false;
  }
  const conditions = companionConditionsOf(companion);
  if (conditions.related !== undefined && evaluateCondition(conditions.related, scope).truth !== false) {
    return false;
  }
  if (companion.reference) {
    const result = resolvePath(scope.subject, splitPath(companion.reference.path));
    if (result.isBlockedByUnknown || result.branchMisses.length > 0 || result.hits.some((hit) => hit.value.kind !== 'scalar')) {
      return false;
    }
  }
  return !conditions.unlessSet.some((condition) => evaluateCondition(condition, scope).truth !== false);
}

/** The conditions {@link canAddCompanion} asks of a companion: made once per companion (a rule's, so it never changes). */
const companionConditions = new WeakMap<CompanionIntent, { related: Condition | undefined; unlessSet: Condition[] }>();

function companionConditionsOf(companion: CompanionIntent): { related: Condition | undefined; unlessSet: Condition[] } {
  let conditions = companionConditions.get(companion);
  if (conditions === undefined) {
    conditions = {
      related: companion.via !== undefined ? { related: { type: companion.type, via: companion.via } } : undefined,
      unlessSet: (companion.unlessSet ?? []).map((p) => ({ path: p, exists: true })),
    };
    companionConditions.set(companion, conditions);
  }
  return conditions;
}

/**
 * Whether a new resource of `type` may not take `name` in the resource's unit: in Terraform, a resource of that type
 * and name exists in its module; in CloudFormation, any resource has that logical id (ids are unique in a template).
 */
export function isNameTaken(type: string, name: string, resource: Resource, model: Model): boolean {
  const taken = takenNamesOf(model);
  return resource.format === 'terraform'
    ? taken.managed.has(`${type}\u0000${name}\u0000${resource.modulePath.join('.')}`)
    : taken.inFile.has(`${resource.file}\u0000${name}`);
}

/**
 * The names a model's resources take, built once per model (each companion a fix names asked every resource, which
 * made a template of n resources cost n²): managed resources by type, name and module; every resource by file and name
 * (again when resources were added since).
 */
const takenNames = new WeakMap<Model, { count: number; managed: Set<string>; inFile: Set<string> }>();

function takenNamesOf(model: Model): { managed: Set<string>; inFile: Set<string> } {
  let taken = takenNames.get(model);
  if (taken === undefined || taken.count !== model.resources.length) {
    taken = { count: model.resources.length, managed: new Set(), inFile: new Set() };
    for (const r of model.resources) {
      if (r.kind === 'resource') {
        taken.managed.add(`${r.type}\u0000${r.name}\u0000${r.modulePath.join('.')}`);
      }
      taken.inFile.add(`${r.file}\u0000${r.name}`);
    }
    takenNames.set(model, taken);
  }
  return taken;
}

/**
 * Whether a new input of the deployment may be declared for a resource: a managed resource of the root module (a
 * variable added to a child module would have to be passed by every call of it, which the fix cannot see).
 */
function canAddInput(resource: Resource): boolean {
  return resource.kind === 'resource' && resource.modulePath.length === 0;
}

/**
 * Whether an input named `name` is declared in the resource's unit: in Terraform, a `variable` of a file of its
 * module's folder (read from the text: the model keeps no variable blocks); in CloudFormation, the renderer checks
 * the template's parameters and resources itself, so nothing here.
 */
function isInputTaken(name: string, resource: Resource, model: Model): boolean {
  if (resource.format !== 'terraform') {
    return false;
  }
  const folder = path.dirname(resource.file);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const native = new RegExp(`(^|\\n)[ \\t]*variable[ \\t]+("${escaped}"|${escaped})[ \\t]*\\{`);
  const json = new RegExp(`"${escaped}"[ \\t\\r\\n]*:`);
  return model.files.some(
    (f) => f.format === 'terraform' && path.dirname(f.path) === folder && (f.path.toLowerCase().endsWith('.json') ? json.test(f.text) : native.test(f.text)),
  );
}

/** What a fix of a finding is planned from: the finding's subject and blame, and what the model says may be added. */
class EvaluatorFixContext implements FixContext {
  readonly subject: PathHit;
  readonly resource: Resource;
  readonly renderer: FixRenderer | undefined;
  readonly textOf: (file: string) => string | undefined;

  constructor(
    private readonly scope: ConditionScope,
    readonly blame: Blame | undefined,
    options: EvaluateOptions,
  ) {
    this.subject = scope.subject;
    this.resource = scope.resource;
    this.renderer = options.renderers[scope.resource.format];
    this.textOf = options.textOf;
  }

  canAddCompanion(companion: CompanionIntent): boolean {
    return canAddCompanion(companion, this.scope);
  }

  isNameTaken(type: string, name: string): boolean {
    return isNameTaken(type, name, this.resource, this.scope.model);
  }

  canAddInput(): boolean {
    return canAddInput(this.resource);
  }

  isInputTaken(name: string): boolean {
    return isInputTaken(name, this.resource, this.scope.model);
  }
}

/**
 * The fix a finding offers: the target's, where its `requires` holds and it has a safe edit, else the one it offers
 * `otherwise` (a short chain: the schema nests them, this stops after a few).
 */
function offeredFix(intent: FixIntent, scope: ConditionScope, blame: Blame | undefined, options: EvaluateOptions): Fix | undefined {
  let context: EvaluatorFixContext | undefined;
  for (let current: FixIntent | undefined = intent, depth = 0; current && depth < 8; current = current.otherwise, depth++) {
    if (current.requires && evaluateCondition(current.requires, scope).truth !== true) {
      continue;
    }
    context ??= new EvaluatorFixContext(scope, blame, options);
    const fix = planFix(current, context);
    if (fix) {
      return fix;
    }
  }
  return undefined;
}

/** Builds a finding from a true condition. */
function makeFinding(
  rule: Rule,
  target: Target,
  resource: Resource,
  subject: PathHit,
  blame: Blame | undefined,
  options: EvaluateOptions,
  model: Model,
): RawFinding {
  let span: Span;
  let file = resource.file;
  let chain: Entry[];
  let shown: string | undefined;
  if (blame?.kind === 'value') {
    span = blame.hit.value.span;
    file = blame.hit.value.file;
    chain = blame.hit.chain;
    shown = displayValue(blame.hit.value);
  } else if (blame?.kind === 'missing') {
    // In a branch of a choice, the setting is missing at the key that holds the choice.
    const holder = blame.miss.assumptions ? blame.miss.chain[blame.miss.chain.length - 1] : undefined;
    span = (holder ?? blame.miss.emptyListKey)?.keySpan ?? missingSpan(blame.miss.object, blame.miss.chain, resource);
    chain = blame.miss.chain;
  } else {
    // Nothing blamed (`not: related …`): the finding is about the resource (or the `each` node) as a whole.
    const subjectObject = subject.value as ObjectValue;
    span = subject.chain.length === 0 ? resourceHeader(resource) : missingSpan(subjectObject, subject.chain, resource);
    chain = subject.chain;
  }
  const filled = fillMessage(target.message ?? rule.message, resource.address, shown, blame?.path);
  // A value in a branch of a choice the model could not make (`Fn::If`) is wrong only under that branch's assumption.
  const assumptions = (blame?.kind === 'value' ? blame.hit.assumptions : blame?.miss.assumptions) ?? [];
  const message = assumptions.length > 0 ? `${filled} when ${assumptions.join(' and ')}` : filled;
  // A setting missing only in one branch of a choice gets no fix: inserting it would duplicate the choice's key.
  const isBranchMiss = blame?.kind === 'missing' && blame.miss.assumptions !== undefined;
  const fix = target.fix && !isBranchMiss ? offeredFix(target.fix, { subject, resource, model }, blame, options) : undefined;
  return rawFinding(rule, resource, message, file, span, fix, anchorsOf(resource, chain));
}

/**
 * A raw finding of a rule on a resource, with the resource's data suppressions and deployment note when it has them
 * (the fields in this order, present only when set, as every consumer has always seen them).
 */
function rawFinding(rule: Rule, resource: Resource, message: string, file: string, span: Span, fix: Fix | undefined, anchors: RawFinding['anchors']): RawFinding {
  const finding: RawFinding = {
    ruleId: rule.id,
    severity: rule.severity,
    owner: rule.owner,
    layer: rule.layer,
    service: rule.service,
    message,
    file,
    format: resource.format,
    span,
    resource: resource.address,
    resourceType: resource.type,
    fix,
    anchors,
    resourceSpan: resource.span,
  };
  if (resource.declaredSuppressions) {
    finding.declaredSuppressions = resource.declaredSuppressions;
  }
  if (resource.peerSuppressions) {
    finding.peerSuppressions = resource.peerSuppressions;
  }
  if (resource.deploymentNote) {
    finding.deploymentNote = resource.deploymentNote;
  }
  return finding;
}

/** The resource's anchors, then those of the entries on the way to the finding that are in the resource's file. */
function anchorsOf(resource: Resource, chain: Entry[]): { offset: number; isResource: boolean }[] {
  const anchors = resourceAnchors(resource);
  for (const e of chain) {
    if (e.value.file === resource.file) {
      anchors.push({ offset: e.span.start, isResource: false });
    }
  }
  return anchors;
}

/**
 * Where a suppression covering a whole resource may sit: above the resource's start, and above its header line when
 * that differs (a Bicep resource whose decorators come first).
 */
function resourceAnchors(resource: Resource): { offset: number; isResource: boolean }[] {
  const header = resource.headerSpan?.start ?? resource.body.block?.headerSpan.start;
  return header !== undefined && header !== resource.span.start && resource.file === resource.body.file
    ? [
        { offset: resource.span.start, isResource: true },
        { offset: header, isResource: true },
      ]
    : [{ offset: resource.span.start, isResource: true }];
}

/** Runs a rule's `check` function on a resource. */
function runCheck(rule: Rule, target: Target, scope: ConditionScope, options: EvaluateOptions, out: RawFinding[]): void {
  const check = rule.checkFunction;
  const { resource, model } = scope;
  if (!check) {
    return;
  }
  check({
    resource,
    model,
    report: (report: CheckReport) => {
      const at = report.at;
      let span: Span = resourceHeader(resource);
      let file = resource.file;
      const anchors = resourceAnchors(resource);
      if (at && 'key' in at) {
        span = at.value.span;
        file = at.value.file;
        anchors.push({ offset: at.span.start, isResource: false });
      } else if (at) {
        span = at.span;
        file = at.file;
      }
      const message = fillMessage(report.message ?? target.message ?? rule.message, resource.address);
      // A check target's fix is planned on the resource as a whole (a check blames no path).
      const fix = target.fix ? offeredFix(target.fix, scope, undefined, options) : undefined;
      out.push(rawFinding(rule, resource, message, file, span, fix, anchors));
    },
  });
}
