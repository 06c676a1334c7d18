/**
 * The repository configuration, `.onus.yaml`: found by walking up from a file, validated against
 * `rules/schema/config.schema.json` with problems that name the file, line and field, and applied to the rule set
 * (which rules run and at which severity, excluded paths, suppression policy, custom rule folders). The CLI and the
 * language server both go through {@link ProjectLoader}, so they read the same file the same way and agree.
 *
 * Invariants:
 * - Pure: every read goes through the {@link FileSystem} it is given (the language server's records what was read,
 *   so a change to `.onus.yaml` or to a custom rule re-evaluates exactly the units that read it).
 * - A malformed field is reported and falls back to its default; the rest of the file still applies.
 * - Custom rules are data only (a `check` target is refused) and are read only when the loader allows it.
 * - Precedence, lowest first: defaults, `.onus.yaml`, then the user's overrides (`onus.*` settings in the editor,
 *   `--severity` on the command line); see {@link selectRules}.
 */
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import configSchema from '../../../rules/schema/config.schema.json';
import type { FileSystem } from '../model/fileSystem';
import { matchesGlob } from './glob';
import { addRules, describeSchemaError, type RuleSource } from './loadRules';
import { MetaRule } from './metaRules';
import type { Rule } from './rule';
import type { RuleSet } from './ruleSet';
import { SEVERITIES, type Layer, type Severity, type SourceProblem } from './types';
import { fieldName, YamlSource, type YamlPathSegment } from './yamlSource';

/** The name of the configuration file. */
export const CONFIG_FILE_NAME = '.onus.yaml';

/** Which rules run and at which severity, as `.onus.yaml`'s `rules` says. */
export interface RuleSelection {
  /** Rule ids that never run. */
  disabled: string[];
  /** Rule ids that run even when a tag, provider or layer filter leaves them out. */
  enabled: string[];
  /** Concepts or tags whose rules do not run. */
  disabledTags: string[];
  /** When set, only these providers' rules run. */
  providers: string[] | undefined;
  /** When set, only these layers' rules run. */
  layers: Layer[] | undefined;
  /** Severity overrides by rule id. */
  severity: Record<string, Severity>;
}

/** The configuration in force for a file: `.onus.yaml`'s fields with their defaults filled in. */
export interface OnusConfig {
  /** The `.onus.yaml` file, or undefined when none applies (then everything is a default). */
  file: string | undefined;
  /** The folder `exclude` and `customRules` are relative to (the file's folder). */
  root: string | undefined;
  /** Findings below this severity are not reported; undefined means `low`, unless the user says otherwise. */
  minimumSeverity: Severity | undefined;
  rules: RuleSelection;
  /** Glob patterns, relative to {@link OnusConfig.root}, of paths Onus does not report on. */
  exclude: string[];
  suppressions: {
    /** Whether peers' suppressions (checkov, tfsec, trivy, kics, cfn_nag, cfn-lint) are honoured. */
    honorPeers: boolean;
    /** Whether an `onus:ignore` without a reason is reported (`onus-suppression-reason`). */
    requireReason: boolean;
  };
  /** Absolute paths of the folders holding the team's own rules. */
  customRules: string[];
}

/** The configuration when no `.onus.yaml` applies. */
export const DEFAULT_CONFIG: OnusConfig = Object.freeze({
  file: undefined,
  root: undefined,
  minimumSeverity: undefined,
  rules: Object.freeze({
    disabled: [],
    enabled: [],
    disabledTags: [],
    providers: undefined,
    layers: undefined,
    severity: {},
  }),
  exclude: [],
  suppressions: Object.freeze({ honorPeers: true, requireReason: true }),
  customRules: [],
});

/** Where a rule id is written in `.onus.yaml`, to report ids that name no rule. */
interface RuleIdReference {
  id: string;
  path: YamlPathSegment[];
}

/** A parsed `.onus.yaml`: the configuration and the problems found in it. */
export interface ConfigLoadResult {
  config: OnusConfig;
  problems: SourceProblem[];
  /** Every rule id the file names, with where (checked against the rule set by {@link ProjectLoader}). */
  ruleIdReferences: RuleIdReference[];
  /** The file's text, parsed once, for locating later problems. */
  source: YamlSource | undefined;
}

let validateConfig: ValidateFunction | undefined;

function configValidator(): ValidateFunction {
  validateConfig ??= new Ajv({ allErrors: true, strict: false }).compile(configSchema);
  return validateConfig;
}

/** Whether a folder is a repository's root (it holds `.git`, a folder or a worktree's file): the walk stops there. */
function isRepositoryRoot(folder: string, fs: FileSystem): boolean {
  const git = path.join(folder, '.git');
  return fs.readDirectory(git) !== undefined || fs.readFile(git) !== undefined;
}

/**
 * The `.onus.yaml` that applies to a file, with its text: the nearest one in the file's folder or above it, up to the
 * repository root (a folder holding `.git`) or the filesystem root.
 */
export function findConfigFile(fromFile: string, fs: FileSystem): { file: string; text: string } | undefined {
  let folder = path.dirname(path.resolve(fromFile));
  for (let depth = 0; depth < 256; depth++) {
    const candidate = path.join(folder, CONFIG_FILE_NAME);
    const text = fs.readFile(candidate);
    if (text !== undefined) {
      return { file: candidate, text };
    }
    const parent = path.dirname(folder);
    if (parent === folder || isRepositoryRoot(folder, fs)) {
      return undefined;
    }
    folder = parent;
  }
  return undefined;
}

/** Orders schema errors so that removing their fields one by one never shifts a later one (deepest, last index first). */
function compareErrorPaths(a: YamlPathSegment[], b: YamlPathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) {
      return typeof x === 'number' && typeof y === 'number' ? y - x : String(y).localeCompare(String(x));
    }
  }
  return b.length - a.length;
}

/** Removes the value at a path (an object's key or an array's item) so that the rest of the data still applies. */
function removeAt(data: unknown, at: YamlPathSegment[]): void {
  if (at.length === 0) {
    return;
  }
  let parent: unknown = data;
  for (const segment of at.slice(0, -1)) {
    parent = (parent as Record<string | number, unknown> | null | undefined)?.[segment];
  }
  const last = at[at.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') {
    parent.splice(last, 1);
  } else if (typeof parent === 'object' && parent !== null) {
    delete (parent as Record<string, unknown>)[String(last)];
  }
}

/**
 * Parses and validates a `.onus.yaml` text. Every problem is reported with its line and field; the fields with
 * problems fall back to their defaults and the others still apply.
 */
export function parseConfig(file: string, text: string): ConfigLoadResult {
  const root = path.dirname(file);
  const empty = { ...DEFAULT_CONFIG, file, root };
  const source = new YamlSource(file, text);
  const syntaxError = source.syntaxError;
  if (syntaxError) {
    return { config: empty, problems: [syntaxError], ruleIdReferences: [], source };
  }
  const data = source.data() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      config: empty,
      problems: [source.problemAt([], '(root): must be a mapping of the fields of .onus.yaml')],
      ruleIdReferences: [],
      source,
    };
  }
  const problems: SourceProblem[] = [];
  const validate = configValidator();
  // Each round reports the errors and removes their fields; a removal cannot add an error, so this settles fast.
  for (let round = 0; round < 4 && !validate(data); round++) {
    const errors = (validate.errors ?? []).map((e: ErrorObject) => describeSchemaError([e]));
    for (const { path: at, message, isKey } of errors) {
      if (!problems.some((p) => p.message === message)) {
        problems.push(source.problemAt(at, message, { isKey }));
      }
    }
    const removals = errors.map((e) => e.path).sort(compareErrorPaths);
    for (const at of removals) {
      removeAt(data, at);
    }
  }
  if (!validate(data)) {
    return { config: empty, problems, ruleIdReferences: [], source };
  }
  const raw = data as {
    minimumSeverity?: Severity;
    rules?: Partial<RuleSelection>;
    exclude?: string[];
    suppressions?: { honorPeers?: boolean; requireReason?: boolean };
    customRules?: string[];
  };
  const rules = raw.rules ?? {};
  const ruleIdReferences: RuleIdReference[] = [
    ...(rules.disabled ?? []).map((id, i) => ({ id, path: ['rules', 'disabled', i] })),
    ...(rules.enabled ?? []).map((id, i) => ({ id, path: ['rules', 'enabled', i] })),
    ...Object.keys(rules.severity ?? {}).map((id) => ({ id, path: ['rules', 'severity', id] })),
  ];
  const config: OnusConfig = {
    file,
    root,
    minimumSeverity: raw.minimumSeverity,
    rules: {
      disabled: rules.disabled ?? [],
      enabled: rules.enabled ?? [],
      disabledTags: rules.disabledTags ?? [],
      providers: rules.providers,
      layers: rules.layers,
      severity: rules.severity ?? {},
    },
    exclude: raw.exclude ?? [],
    suppressions: {
      honorPeers: raw.suppressions?.honorPeers ?? DEFAULT_CONFIG.suppressions.honorPeers,
      requireReason: raw.suppressions?.requireReason ?? DEFAULT_CONFIG.suppressions.requireReason,
    },
    customRules: (raw.customRules ?? []).map((folder) => path.resolve(root, folder)),
  };
  return { config, problems, ruleIdReferences, source };
}

/**
 * Whether the configuration excludes a file: by its `exclude` globs (relative to the configuration's folder), or
 * because it is in a custom rule folder (whose fixtures are insecure on purpose).
 */
export function isExcluded(config: OnusConfig, file: string): boolean {
  const resolved = path.resolve(file);
  if (config.customRules.some((folder) => resolved.startsWith(folder + path.sep))) {
    return true;
  }
  if (config.root === undefined || config.exclude.length === 0) {
    return false;
  }
  const relative = path.relative(config.root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return false;
  }
  const slashed = relative.split(path.sep).join('/');
  return config.exclude.some((pattern) => matchesGlob(slashed, pattern));
}

/** What the user asks for on top of the repository's configuration (editor settings, command-line flags). */
export interface UserOverrides {
  /** Replaces `.onus.yaml`'s `minimumSeverity`. */
  minimumSeverity?: Severity | undefined;
  /** Rule ids the user turns off, besides those `.onus.yaml` disables. */
  disabledRules?: readonly string[] | undefined;
  /** Rule ids the user turns on whatever `.onus.yaml` says (the user's `disabledRules` still win). */
  enabledRules?: readonly string[] | undefined;
}

/** Whether a rule or one of its aliases is in a set of ids. */
function isNamed(rule: Rule, ids: ReadonlySet<string>): boolean {
  return ids.has(rule.id) || (rule.aliases ?? []).some((a) => ids.has(a));
}

/**
 * The rules that run, each at the severity it reports at. Precedence, lowest first: a rule runs by default;
 * `.onus.yaml`'s `providers`, `layers` and `disabledTags` filter; its `enabled` ids bring rules back past those
 * filters; its `disabled` ids turn them off. Then the user's `enabledRules` turn rules on and the user's
 * `disabledRules` off. Severity overrides apply before the minimum severity, which is the user's when given, else
 * `.onus.yaml`'s, else `low`.
 */
export function selectRules(ruleSet: RuleSet, config: OnusConfig, user: UserOverrides = {}): Rule[] {
  const selection = config.rules;
  const configEnabled = new Set(selection.enabled);
  const configDisabled = new Set(selection.disabled);
  const userEnabled = new Set(user.enabledRules ?? []);
  const userDisabled = new Set(user.disabledRules ?? []);
  const tags = new Set(selection.disabledTags);
  const minimum = SEVERITIES.indexOf(user.minimumSeverity ?? config.minimumSeverity ?? 'low');
  const out: Rule[] = [];
  for (const rule of ruleSet.rules) {
    const isFilteredOut =
      (selection.providers !== undefined && !selection.providers.includes(rule.provider)) ||
      (selection.layers !== undefined && !selection.layers.includes(rule.layer)) ||
      tags.has(rule.concept) ||
      (rule.tags ?? []).some((t) => tags.has(t));
    let isOn = (!isFilteredOut || isNamed(rule, configEnabled)) && !isNamed(rule, configDisabled);
    if (isNamed(rule, userEnabled)) {
      isOn = true;
    }
    if (isNamed(rule, userDisabled)) {
      isOn = false;
    }
    if (!isOn) {
      continue;
    }
    const override = selection.severity[rule.id] ?? (rule.aliases ?? []).map((a) => selection.severity[a]).find((s) => s);
    const effective = override && override !== rule.severity ? { ...rule, severity: override } : rule;
    if (SEVERITIES.indexOf(effective.severity) >= minimum) {
      out.push(effective);
    }
  }
  return out;
}

/** Whether a meta rule (`onus-suppression-*`) runs: it is on unless `.onus.yaml` or the user disables it. */
export function isMetaRuleOn(id: string, config: OnusConfig, user: UserOverrides = {}): boolean {
  if ((user.disabledRules ?? []).includes(id)) {
    return false;
  }
  if ((user.enabledRules ?? []).includes(id)) {
    return true;
  }
  return !config.rules.disabled.includes(id);
}

/** How a {@link ProjectLoader} reads a repository. */
export interface ProjectOptions {
  /** Whether custom rules may be read: always on the command line, in the editor only in a trusted workspace. */
  canLoadCustomRules: boolean;
}

/** The configuration and rules in force for one file, and what was wrong reading them. */
export interface Project {
  config: OnusConfig;
  /** The catalog plus the custom rules `.onus.yaml` names (when they may load). */
  ruleSet: RuleSet;
  /** Problems in `.onus.yaml` and in the custom rule files, with their lines and fields. */
  problems: SourceProblem[];
  /** The configuration and custom rule files read (the editor shows their problems on them). */
  files: string[];
}

/** Folders a search for custom rules never enters. */
const SKIPPED_RULE_FOLDERS = new Set(['fixtures', 'node_modules', '.git']);

/** The `rule.yaml` files under a folder (each rule is a folder of its own), sorted; undefined when it cannot be read. */
export function findRuleFiles(folder: string, fs: FileSystem, depth = 0): string[] | undefined {
  const entries = fs.readDirectory(folder);
  if (!entries || depth > 16) {
    return entries ? [] : undefined;
  }
  const out: string[] = [];
  if (entries.some((e) => !e.isDirectory && e.name === 'rule.yaml')) {
    return [path.join(folder, 'rule.yaml')];
  }
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory && !SKIPPED_RULE_FOLDERS.has(entry.name)) {
      out.push(...(findRuleFiles(path.join(folder, entry.name), fs, depth + 1) ?? []));
    }
  }
  return out;
}

/**
 * Reads the configuration and custom rules that apply to files, with caches keyed by the texts read (a text that
 * did not change is not parsed or validated again). The reads themselves always go through the given file system.
 */
export class ProjectLoader {
  private readonly configs = new Map<string, { text: string; result: ConfigLoadResult }>();
  private readonly ruleSets = new Map<string, { key: string; ruleSet: RuleSet; problems: SourceProblem[] }>();

  constructor(
    /** The built-in catalog. */
    readonly base: RuleSet,
    readonly options: ProjectOptions,
  ) {}

  /** The configuration and rule set in force for a file. */
  resolve(file: string, fs: FileSystem): Project {
    const found = findConfigFile(file, fs);
    if (!found) {
      return { config: DEFAULT_CONFIG, ruleSet: this.base, problems: [], files: [] };
    }
    const parsed = this.parse(found.file, found.text);
    const problems = [...parsed.problems];
    const files = [found.file];
    let ruleSet = this.base;
    const { config } = parsed;
    let canCheckIds = true;
    if (config.customRules.length > 0) {
      if (this.options.canLoadCustomRules) {
        const loaded = this.loadCustomRules(config, parsed, fs);
        ruleSet = loaded.ruleSet;
        problems.push(...loaded.problems);
        files.push(...loaded.files);
      } else {
        canCheckIds = false;
        problems.push({
          ...(parsed.source?.problemAt(['customRules'], '') ?? locateNowhere(found.file)),
          message: 'customRules: not loaded, because the workspace is not trusted',
          severity: 'info',
        });
      }
    }
    if (canCheckIds && parsed.source) {
      for (const ref of parsed.ruleIdReferences) {
        if (!ruleSet.byId.has(ref.id) && !MetaRule.isMetaRuleId(ref.id)) {
          problems.push({
            ...parsed.source.problemAt(ref.path, `${fieldName(ref.path)}: "${ref.id}" is not a rule id`, {
              isKey: ref.path[1] === 'severity',
            }),
            severity: 'warning',
          });
        }
      }
    }
    return { config, ruleSet, problems, files };
  }

  /** A parsed configuration text, from the cache when the text is the same. */
  private parse(file: string, text: string): ConfigLoadResult {
    const cached = this.configs.get(file);
    if (cached && cached.text === text) {
      return cached.result;
    }
    const result = parseConfig(file, text);
    this.configs.set(file, { text, result });
    return result;
  }

  /** The catalog plus the rules of the configuration's custom rule folders. */
  private loadCustomRules(
    config: OnusConfig,
    parsed: ConfigLoadResult,
    fs: FileSystem,
  ): { ruleSet: RuleSet; problems: SourceProblem[]; files: string[] } {
    const problems: SourceProblem[] = [];
    const sources: RuleSource[] = [];
    config.customRules.forEach((folder, i) => {
      const ruleFiles = findRuleFiles(folder, fs);
      if (ruleFiles === undefined) {
        problems.push(
          parsed.source?.problemAt(['customRules', i], `customRules.${i}: cannot read the folder "${folder}"`) ??
            locateNowhere(config.file ?? folder),
        );
        return;
      }
      for (const ruleFile of ruleFiles) {
        const yaml = fs.readFile(ruleFile);
        if (yaml !== undefined) {
          sources.push({ folder: path.dirname(ruleFile), yaml, check: undefined, file: ruleFile, isCustom: true });
        }
      }
    });
    const key = sources.map((s) => `${s.file ?? ''}\u0000${s.yaml}`).join('\u0001');
    const cacheKey = config.file ?? '';
    const cached = this.ruleSets.get(cacheKey);
    let loaded: { ruleSet: RuleSet; problems: SourceProblem[] };
    if (cached && cached.key === key) {
      loaded = cached;
    } else {
      const result = addRules(this.base, sources);
      loaded = { ruleSet: result.ruleSet, problems: result.errors };
      this.ruleSets.set(cacheKey, { key, ...loaded });
    }
    return {
      ruleSet: loaded.ruleSet,
      problems: [...problems, ...loaded.problems],
      files: sources.map((s) => s.file ?? ''),
    };
  }
}

/** A problem at the first character of a file. */
function locateNowhere(file: string): SourceProblem {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, message: '' };
}
