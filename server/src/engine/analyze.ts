/**
 * The engine's entry point: from files to findings. The CLI and the language server both call only this module
 * (plus `describe.ts` for hovers), so they always agree.
 */
import * as path from 'node:path';
import { lowerBicepFile } from '../model/bicep/lower';
import { isCloudFormationTemplate } from '../model/cloudformation/detect';
import { lowerCloudFormationTemplate } from '../model/cloudformation/template';
import type { FileSystem } from '../model/fileSystem';
import { lowerTerraformModule } from '../model/terraform/module';
import type { Model, ModelDiagnostic } from '../model/types';
import { parseHcl } from '../parse/hcl/parser';
import { evaluateRules, type RawFinding } from './evaluate';
import type { EvaluationMemo } from './evaluationMemo';
import type { FixRenderer } from './fixes';
import { bicepRenderer } from './renderers/bicep';
import { cloudFormationRenderer } from './renderers/cloudformation';
import { hclRenderer } from './renderers/hcl';
import { DEFAULT_CONFIG, isExcluded, isMetaRuleOn, selectRules, type OnusConfig, type ProjectLoader, type UserOverrides } from './config';
import type { Rule } from './rule';
import { META_RULES, type MetaRuleId } from './metaRules';
import type { RuleSet } from './ruleSet';
import { SuppressionIndex, type SuppressionProblem } from './suppressions';
import type { Finding, Severity, SourceProblem, SuppressedFinding } from './types';

/** What to evaluate and what to report. */
export interface AnalyzeOptions {
  rules: RuleSet;
  /** The repository configuration (`.onus.yaml`) in force; the defaults when absent. */
  config?: OnusConfig;
  /**
   * Reads the unit's `.onus.yaml` and the custom rules it names through the unit's own file system (the CLI and the
   * language server pass one): its configuration replaces `config`, and its custom rules join `rules`.
   */
  project?: ProjectLoader;
  /** The user's minimum severity: findings below it are not reported; replaces `.onus.yaml`'s (default `low`). */
  minimumSeverity?: Severity;
  /** Rule ids the user turns off, besides those `.onus.yaml` disables. */
  disabledRules?: readonly string[];
  /** Rule ids the user turns on whatever `.onus.yaml` says. */
  enabledRules?: readonly string[];
  /** Today's date as `YYYY-MM-DD`, for suppressions with `until=`; defaults to the clock's date. */
  today?: string;
  /** Called when a rule throws or runs past its step budget (the rule is skipped, the others still report). */
  onInternalError?: (ruleId: string, error: unknown) => void;
  /** The steps one rule may take on a unit (default: the engine's, proportional to the unit's resources). */
  ruleStepBudget?: number;
  /** The unit's earlier evaluations, reused for resources that did not change (the language server keeps one per unit). */
  memo?: EvaluationMemo;
}

/** The result of analysing one unit (a Terraform module folder, a template, a Bicep file). */
export interface Analysis {
  model: Model;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Syntax errors and other problems reading the unit's files. */
  errors: ModelDiagnostic[];
  /** Problems with suppressions themselves (no reason, expired, unused), under the meta rule ids. */
  suppressionProblems: SuppressionProblem[];
  /** The configuration applied. */
  config: OnusConfig;
  /** The rules that could run: the catalog plus custom rules (hovers and docs links look rules up here). */
  ruleSet: RuleSet;
  /** Problems in the `.onus.yaml` and custom rule files read for this unit. */
  projectProblems: SourceProblem[];
  /** The `.onus.yaml` and custom rule files read for this unit. */
  projectFiles: string[];
  /** The ids of the rules that ran on the unit (selected by the configuration and severity, and did not throw). */
  ranRules: ReadonlySet<string>;
  /** The meta rules on for the unit (after `.onus.yaml` and the user's overrides). */
  metaRules: ReadonlySet<MetaRuleId>;
  /**
   * The rules whose conditions were unknown on a resource (no finding, but no proof either), by
   * {@link undecidedKey} of the resource.
   */
  undecided: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The key of a resource in {@link Analysis.undecided}. */
export function undecidedKey(resource: Pick<Model['resources'][number], 'file' | 'span'>): string {
  return `${resource.file}\u0000${resource.span.start}`;
}

/**
 * The kinds of file Onus reads, by name. A `maybe-cloudformation` file (YAML or JSON) is a CloudFormation template
 * only when its content says so ({@link isCloudFormationTemplate}); anything else in it is left alone.
 */
export type FileKind = 'terraform' | 'terraform-json' | 'terraform-vars' | 'maybe-cloudformation' | 'bicep' | 'other';

/** Classifies a file by its name. */
export function fileKindOf(file: string): FileKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tf')) {
    return 'terraform';
  }
  if (lower.endsWith('.tf.json')) {
    return 'terraform-json';
  }
  if (lower.endsWith('.tfvars')) {
    return 'terraform-vars';
  }
  if (lower.endsWith('.bicep')) {
    return 'bicep';
  }
  if (/\.(ya?ml|json|template)$/.test(lower)) {
    return 'maybe-cloudformation';
  }
  return 'other';
}

/** Whether a file is a CloudFormation template: a YAML/JSON name and CloudFormation content. */
export function isCloudFormationFile(file: string, text: string): boolean {
  return fileKindOf(file) === 'maybe-cloudformation' && isCloudFormationTemplate(file, text);
}

const RENDERERS: Partial<Record<Model['files'][number]['format'], FixRenderer>> = {
  terraform: hclRenderer,
  cloudformation: cloudFormationRenderer,
  bicep: bicepRenderer,
};

/** Today's date in UTC as `YYYY-MM-DD`. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The rules {@link selectRules} selects, kept per rule set and configuration object: a scan analyses many units
 * under one configuration, and selecting walks the whole catalog. Rule sets and configurations are not modified
 * once made; callers do not modify the list.
 */
const selections = new WeakMap<RuleSet, WeakMap<OnusConfig, Map<string, Rule[]>>>();

function selectedRules(ruleSet: RuleSet, config: OnusConfig, user: UserOverrides): Rule[] {
  let byConfig = selections.get(ruleSet);
  if (byConfig === undefined) {
    byConfig = new WeakMap();
    selections.set(ruleSet, byConfig);
  }
  let byUser = byConfig.get(config);
  if (byUser === undefined) {
    byUser = new Map();
    byConfig.set(config, byUser);
  }
  const key = JSON.stringify([user.minimumSeverity ?? null, user.disabledRules ?? null, user.enabledRules ?? null]);
  let rules = byUser.get(key);
  if (rules === undefined) {
    rules = selectRules(ruleSet, config, user);
    byUser.set(key, rules);
  }
  return rules;
}

/** The ids of a selection (kept with it: {@link selectedRules} returns the same list for every unit of a scan). */
const selectionIds = new WeakMap<readonly Rule[], ReadonlySet<string>>();

function idsOf(rules: readonly Rule[]): ReadonlySet<string> {
  let ids = selectionIds.get(rules);
  if (ids === undefined) {
    ids = new Set(rules.map((r) => r.id));
    selectionIds.set(rules, ids);
  }
  return ids;
}

/** `localeCompare`'s order (the default locale's), without building a collator for every comparison. */
const COLLATOR = new Intl.Collator();

/** Evaluates the rules on a model and applies the configuration, suppressions and filters. */
export function analyzeModel(model: Model, options: AnalyzeOptions): Analysis {
  const texts = new Map(model.files.map((f) => [f.path, f.text]));
  const textOf = (file: string) => texts.get(file);
  const config = options.config ?? DEFAULT_CONFIG;
  const user = { minimumSeverity: options.minimumSeverity, disabledRules: options.disabledRules, enabledRules: options.enabledRules };
  const rules = selectedRules(options.rules, config, user);
  const failed = new Set<string>();
  const uncertain = new Map<string, Set<string>>();
  const raw = evaluateRules(rules, model, {
    renderers: RENDERERS,
    textOf,
    ...(options.ruleStepBudget !== undefined ? { ruleStepBudget: options.ruleStepBudget } : {}),
    ...(options.memo !== undefined ? { memo: options.memo } : {}),
    onInternalError: (ruleId, error) => {
      failed.add(ruleId);
      options.onInternalError?.(ruleId, error);
    },
    onUncertain: (ruleId, resource) => {
      const key = undecidedKey(resource);
      uncertain.set(key, (uncertain.get(key) ?? new Set()).add(ruleId));
    },
  });
  const ranRules = failed.size === 0 ? idsOf(rules) : new Set(rules.map((r) => r.id).filter((id) => !failed.has(id)));
  const metaRules = new Set<MetaRuleId>(
    META_RULES.filter(
      (r) => isMetaRuleOn(r.id, config, user) && (r.id !== 'onus-suppression-reason' || config.suppressions.requireReason),
    ).map((r) => r.id),
  );
  const suppressions = new SuppressionIndex(textOf, options.rules.byId, {
    today: options.today ?? todayUtc(),
    honorPeers: config.suppressions.honorPeers,
    metaRules,
    ranRuleIds: ranRules,
    isUncertainAt: (ruleId, file, offset) => {
      const resource = coveredResource(model, file, offset);
      return resource !== undefined && (uncertain.get(`${resource.file}\u0000${resource.span.start}`)?.has(ruleId) ?? false);
    },
  });
  // Once per file, not per finding: matching the exclude globs resolves the path.
  const reportedByFile = new Map<string, boolean>();
  const isReported = (file: string): boolean => {
    let reported = reportedByFile.get(file);
    if (reported === undefined) {
      reported = !isExcluded(config, file);
      reportedByFile.set(file, reported);
    }
    return reported;
  };
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  // The findings taken so far by where they start (most places hold one or two): a string key per finding cost more.
  const seen = new Map<number, RawFinding[]>();
  for (const f of raw) {
    // A module called twice reports a finding in its file once.
    const here = seen.get(f.span.start);
    const isSeen = here?.some((g) => g.span.end === f.span.end && g.ruleId === f.ruleId && g.file === f.file && g.message === f.message) ?? false;
    if (isSeen || !isReported(f.file)) {
      continue;
    }
    if (here) {
      here.push(f);
    } else {
      seen.set(f.span.start, [f]);
    }
    const { applied, expiredUntil } = suppressions.find(f);
    const finding = toFinding(f, options.memo !== undefined);
    if (applied) {
      suppressed.push({
        ...finding,
        reason: applied.reason,
        until: applied.until,
        source: applied.source,
        ...(applied.at ? { suppressionSpan: applied.at } : {}),
      });
    } else {
      findings.push(expiredUntil !== undefined ? { ...finding, expiredSuppression: expiredUntil } : finding);
    }
  }
  // Most findings share their file with their neighbours: equal strings compare without the locale's collation.
  const byPosition = (a: Finding, b: Finding) =>
    (a.file === b.file ? 0 : COLLATOR.compare(a.file, b.file)) || a.span.start - b.span.start || COLLATOR.compare(a.ruleId, b.ruleId);
  findings.sort(byPosition);
  suppressed.sort(byPosition);
  const reportedFiles = model.files.filter((f) => isReported(f.path)).map((f) => ({ path: f.path, format: f.format }));
  const suppressionProblems = suppressions.collectProblems(reportedFiles).filter((p) => isReported(p.file));
  const errors = model.files.filter((f) => isReported(f.path)).flatMap((f) => f.diagnostics.filter((d) => d.severity === 'error'));
  return {
    model,
    findings,
    suppressed,
    errors,
    suppressionProblems,
    config,
    ruleSet: options.rules,
    projectProblems: [],
    projectFiles: [],
    ranRules,
    metaRules,
    undecided: uncertain,
  };
}

/** The resource a suppression at `offset` covers: the innermost one holding it, else the first one below it. */
function coveredResource(model: Model, file: string, offset: number): Model['resources'][number] | undefined {
  let holding: Model['resources'][number] | undefined;
  let below: Model['resources'][number] | undefined;
  for (const r of model.resources) {
    if (r.file !== file) {
      continue;
    }
    if (r.span.start <= offset && offset < r.span.end) {
      if (!holding || r.span.end - r.span.start < holding.span.end - holding.span.start) {
        holding = r;
      }
    } else if (r.span.start > offset && (!below || r.span.start < below.span.start)) {
      below = r;
    }
  }
  return holding ?? below;
}

/**
 * The findings made of raw findings, kept while the raw finding lives: an evaluation reused from an earlier analysis
 * (`EvaluationMemo`) hands out the same raw finding, which then gives the same finding. Neither is ever modified.
 * Only analyses with a memo use it: a one-off analysis (a scan's) never sees a raw finding twice.
 */
const finished = new WeakMap<RawFinding, Finding>();

/** Drops the evaluation-only fields of a raw finding; `isReused`: the analysis has a memo. */
function toFinding(raw: RawFinding, isReused: boolean): Finding {
  let finding = isReused ? finished.get(raw) : undefined;
  if (finding === undefined) {
    finding = findingOf(raw);
    if (isReused) {
      finished.set(raw, finding);
    }
  }
  return finding;
}

/**
 * A raw finding without its evaluation-only fields (anchors, resource span, declared suppressions): the fields of a
 * {@link Finding} it has, in its order, written out (copying "all but these" is V8's slow generic copy).
 */
export function findingOf(raw: RawFinding): Finding {
  const finding: Finding = {
    ruleId: raw.ruleId,
    severity: raw.severity,
    owner: raw.owner,
    layer: raw.layer,
    service: raw.service,
    message: raw.message,
    file: raw.file,
    format: raw.format,
    span: raw.span,
    resource: raw.resource,
    resourceType: raw.resourceType,
    fix: raw.fix,
  };
  if ('expiredSuppression' in raw) {
    finding.expiredSuppression = raw.expiredSuppression;
  }
  if ('deploymentNote' in raw) {
    finding.deploymentNote = raw.deploymentNote;
  }
  return finding;
}

/** An empty model holding one file's syntax diagnostics (for files that only need parsing). */
function syntaxOnlyModel(file: string, text: string): Model {
  const { diagnostics } = parseHcl(text);
  return {
    files: [
      {
        path: file,
        text,
        format: 'terraform',
        diagnostics: diagnostics.map((d) => ({
          file,
          span: d.span,
          message: d.message,
          severity: d.severity,
          code: d.code,
        })),
      },
    ],
    resources: [],
    notes: [],
  };
}

/**
 * Analyses the unit that `file` belongs to: for a `.tf` or `.tf.json` file, its whole folder (a Terraform module)
 * read through `fs`, with local module calls evaluated; a CloudFormation template and a Bicep file (with the local
 * modules it calls) are units by themselves (a YAML or JSON file that is not a template yields an empty analysis). Findings of every file of the unit are returned; callers
 * filter by file. With `options.project`, the `.onus.yaml` nearest to `file` and its custom rules apply. Never
 * throws for bad input.
 */
export function analyzeUnitOf(file: string, fs: FileSystem, options: AnalyzeOptions): Analysis {
  if (!options.project) {
    return analyzeUnit(file, fs, options);
  }
  const project = options.project.resolve(file, fs);
  const analysis = analyzeUnit(file, fs, { ...options, rules: project.ruleSet, config: project.config });
  return { ...analysis, projectProblems: project.problems, projectFiles: project.files };
}

/** Analyses the unit of `file` with the options as given. */
function analyzeUnit(file: string, fs: FileSystem, options: AnalyzeOptions): Analysis {
  switch (fileKindOf(file)) {
    case 'terraform':
    case 'terraform-json':
      return analyzeModel(lowerTerraformModule(path.dirname(file), fs), options);
    case 'terraform-vars': {
      const text = fs.readFile(file);
      return analyzeModel(text === undefined ? emptyModel() : syntaxOnlyModel(file, text), options);
    }
    case 'maybe-cloudformation': {
      const text = fs.readFile(file);
      return analyzeModel(
        text !== undefined && isCloudFormationTemplate(file, text) ? lowerCloudFormationTemplate(file, text) : emptyModel(),
        options,
      );
    }
    case 'bicep':
      return analyzeModel(lowerBicepFile(file, fs), options);
    case 'other':
      return analyzeModel(emptyModel(), options);
  }
}

/** A model with nothing in it. */
function emptyModel(): Model {
  return { files: [], resources: [], notes: [] };
}
