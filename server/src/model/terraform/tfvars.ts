/**
 * Variable values of a root module from its variable definitions files, after Terraform's precedence:
 * `terraform.tfvars`, then `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of
 * their names, each later file overriding earlier ones. The values are constant expressions (no references).
 */
import type { Value } from '../types';
import type { ConfigFile } from './config';
import { compareStrings, type Evaluator } from './evaluate';

/** The names of the variable definitions files Terraform loads automatically, in increasing precedence. */
export function tfvarsFileNames(names: readonly string[]): string[] {
  const fixed = ['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n));
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort(compareStrings);
  return [...fixed, ...auto];
}

/** The values assigned by `files` (in increasing precedence), evaluated as constants by `constants`. */
export function tfvarsValues(files: readonly ConfigFile[], constants: Evaluator): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const file of files) {
    for (const item of file.items) {
      if (item.kind === 'attribute') {
        values.set(item.name, constants.evaluate(item.expr, { file: file.path }));
      }
    }
  }
  return values;
}
