/**
 * Diagnostics on the repository's own Onus files while they are edited: `.onus.yaml` (schema problems, rule ids that
 * name no rule, custom rule folders that cannot be read or are not loaded) and a custom rule's `rule.yaml` (schema
 * problems with their field, an id taken by a built-in rule).
 *
 * Invariant: validating a custom rule file only parses it as data; it is validated whether or not the workspace is
 * trusted, but it joins the rules only in a trusted one (`ProjectLoader`).
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { CONFIG_FILE_NAME, findConfigFile, parseConfig, type ProjectLoader } from '../engine/config';
import { addRules } from '../engine/loadRules';
import type { FileSystem } from '../model/fileSystem';
import { sourceProblemToDiagnostic } from './diagnostics';

/** The name of a rule file. */
const RULE_FILE_NAME = 'rule.yaml';

/** Whether a path names a file this module checks (`.onus.yaml` or a `rule.yaml`). */
export function isProjectFile(filePath: string): boolean {
  const name = path.basename(filePath);
  return name === CONFIG_FILE_NAME || name === RULE_FILE_NAME;
}

/**
 * The diagnostics of an Onus configuration or custom rule file, read through `fs` (the open documents overlaid on
 * the disk); undefined for a `rule.yaml` that no `.onus.yaml` names as a custom rule (it is not Onus's to check).
 */
export function provideProjectFileDiagnostics(filePath: string, loader: ProjectLoader, fs: FileSystem): Diagnostic[] | undefined {
  if (path.basename(filePath) === CONFIG_FILE_NAME) {
    const project = loader.resolve(filePath, fs);
    return project.problems.filter((p) => p.file === filePath).map((p) => sourceProblemToDiagnostic(p, 'onus-config'));
  }
  if (path.basename(filePath) !== RULE_FILE_NAME) {
    return undefined;
  }
  const found = findConfigFile(filePath, fs);
  const config = found ? parseConfig(found.file, found.text).config : undefined;
  if (!config?.customRules.some((folder) => filePath.startsWith(folder + path.sep))) {
    return undefined;
  }
  const yaml = fs.readFile(filePath);
  if (yaml === undefined) {
    return [];
  }
  const { errors } = addRules(loader.base, [{ folder: path.dirname(filePath), yaml, check: undefined, file: filePath, isCustom: true }]);
  return errors.map((p) => sourceProblemToDiagnostic(p, 'onus-rule'));
}
