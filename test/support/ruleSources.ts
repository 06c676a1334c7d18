/**
 * Loads the rule catalog straight from `rules/` on disk (tests see rule edits without a rebuild).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckFunction } from '../../server/src/engine/check';
import { buildRuleSet, type RuleSetLoadResult, type RuleSource } from '../../server/src/engine/loadRules';

/** The repository's rules folder. */
export const RULES_ROOT = path.resolve(__dirname, '../../rules');

/** Every rule folder under `rules/` (those holding a rule.yaml), relative to it. */
export function ruleFolders(dir = RULES_ROOT): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || ['fixtures', 'schema', 'services'].includes(entry.name)) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (fs.existsSync(path.join(full, 'rule.yaml'))) {
      out.push(path.relative(RULES_ROOT, full).split(path.sep).join('/'));
    } else {
      out.push(...ruleFolders(full));
    }
  }
  return out;
}

/** Reads one rule folder as a source. */
export function readRuleSource(folder: string): RuleSource {
  const full = path.join(RULES_ROOT, folder);
  const tsFile = path.join(full, 'rule.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const check = fs.existsSync(tsFile) ? (require(tsFile) as { check?: CheckFunction }).check : undefined;
  return { folder, yaml: fs.readFileSync(path.join(full, 'rule.yaml'), 'utf8'), check };
}

/** The services catalog files. */
export function readServiceFiles(): { file: string; yaml: string }[] {
  const dir = path.join(RULES_ROOT, 'services');
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => ({ file: `services/${n}`, yaml: fs.readFileSync(path.join(dir, n), 'utf8') }));
}

/** The whole catalog from disk. */
export function loadDiskRuleSet(): RuleSetLoadResult {
  return buildRuleSet(ruleFolders().map(readRuleSource), readServiceFiles());
}
