/** The CloudFormation template parsers (YAML and JSON) and the syntax tree they both produce. */
import { RecentMap } from '../../text/recentMap';
import { parseJsonTemplate } from './json';
import type { CfnParseResult, CfnSyntax } from './syntax';
import { YamlChunkCache } from './yamlChunks';

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

/** Recent parses: detection, lowering and fix rendering of one document version read the text once. */
const recent: { syntax: CfnSyntax; text: string; result: CfnParseResult }[] = [];

/** How many recent parses are kept. */
const RECENT_PARSES = 4;

/** How many files' chunks are kept. */
const CHUNKED_FILES = 8;

/** The chunks of the YAML templates read most recently, by file (see `yamlChunks.ts`). */
const chunkCaches = new RecentMap<string, YamlChunkCache>(CHUNKED_FILES);

/**
 * Parses a CloudFormation template in the syntax `syntaxOf` decides; never throws. The result of a recent parse of
 * the same text is reused, so callers must not modify it (nor the nodes, which later parses may share).
 *
 * A block-style YAML template that was read before under the same file name is read in chunks: only the top-level
 * keys and section entries whose text is new are parsed again (`yamlChunks.ts`; the result equals a whole parse).
 */
export function parseCloudFormation(file: string, text: string): CfnParseResult {
  const syntax = syntaxOf(file, text);
  const index = recent.findIndex((r) => r.syntax === syntax && r.text === text);
  if (index >= 0) {
    const [hit] = recent.splice(index, 1);
    recent.unshift(hit!);
    return hit!.result;
  }
  const result = syntax === 'json' ? parseJsonTemplate(text) : parseYamlOf(file, text);
  recent.unshift({ syntax, text, result });
  recent.length = Math.min(recent.length, RECENT_PARSES);
  return result;
}

/** Parses a YAML template, in chunks when it can be read so (the chunks of the file's previous text are reused). */
function parseYamlOf(file: string, text: string): CfnParseResult {
  let cache = chunkCaches.get(file);
  if (!cache) {
    cache = new YamlChunkCache();
    chunkCaches.set(file, cache);
  }
  return cache.parse(text);
}
