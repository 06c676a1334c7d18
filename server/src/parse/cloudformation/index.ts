/** The CloudFormation template parsers (YAML and JSON) and the syntax tree they both produce. */
import { parseJsonTemplate } from './json';
import type { CfnParseResult, CfnSyntax } from './syntax';
import { parseYamlTemplate } from './yaml';

export { SHORT_FORM_TAGS, isIntrinsicKey, normalizeShortForm } from './intrinsics';
export { parseJsonTemplate } from './json';
export * from './syntax';
export { parseYamlTemplate } from './yaml';

/**
 * Decides a template's syntax: YAML for `.yaml`/`.yml` files; otherwise JSON when the first character that is not
 * white space (or a byte-order mark) is `{`, else YAML.
 */
export function syntaxOf(file: string, text: string): CfnSyntax {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    return 'yaml';
  }
  const first = /^[\s\uFEFF]*(\S)?/.exec(text)?.[1];
  return first === '{' ? 'json' : 'yaml';
}

/** Parses a CloudFormation template in the syntax `syntaxOf` decides; never throws. */
export function parseCloudFormation(file: string, text: string): CfnParseResult {
  return syntaxOf(file, text) === 'json' ? parseJsonTemplate(text) : parseYamlTemplate(text);
}
