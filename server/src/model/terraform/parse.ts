/**
 * Reading and parsing of one Terraform file (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`) into the syntax-neutral
 * configuration, with syntax errors as model diagnostics. This is the only module of the Terraform lowering that
 * calls the HCL parser, and it never throws: a parser failure becomes a diagnostic.
 */
import { parseHcl, parseHclBlockAt, parseHclTemplate } from '../../parse/hcl/parser';
import { shiftedExpression, shiftedSpan } from '../../parse/hcl/shift';
import type { SyntaxDiagnostic } from '../../parse/hcl/syntax';
import { commonAffixes } from '../../text/commonAffixes';
import { RecentMap } from '../../text/recentMap';
import type { ModelDiagnostic } from '../types';
import { configItemsOfHcl, type ConfigFile, type ConfigItem } from './config';
import { parseTerraformJson, parseTfvarsJson, type TemplateParser } from './json';

/** The largest file the lowering reads; larger files are skipped with an informational diagnostic. */
export const MAX_FILE_LENGTH = 8 * 1024 * 1024;

/** How many parsed files are kept (least recently used first out). */
const RECENT_PARSES = 512;

/**
 * Recent parses by path, reused while the text is the same: a module called from several others (and analysed as its
 * own unit too) is parsed once per content, not once per lowering. When the text of a path changed only inside one
 * top-level block, the new parse is built from the previous one (see {@link reparseEdit}). The lowering never
 * modifies a parsed file, and neither does the re-parse: parses share unchanged items.
 */
const recentParses = new RecentMap<string, ConfigFile>(RECENT_PARSES);

/**
 * Parses a configuration or variables file by its name (`.json` suffix selects the JSON syntax). The result of a
 * recent parse of the same path and text is reused, so callers must not modify it.
 */
export function parseTerraformFile(path: string, text: string): ConfigFile {
  const cached = recentParses.get(path);
  if (cached !== undefined && cached.text === text) {
    return cached;
  }
  const file =
    (cached !== undefined ? reparseEdit(cached, text) : undefined) ?? parseTerraformFileUncached(path, text);
  recentParses.set(path, file);
  return file;
}

/**
 * The parse of `text` built from `previous`, the error-free parse of an earlier text of the same native-syntax file,
 * when the two texts differ only inside one top-level block (not in its first or last character): that block alone
 * is re-lexed and re-parsed, the items before it are reused and those after it are copied with their spans moved by
 * the length difference. Undefined when that does not apply or the block does not re-parse, error-free, as one block
 * with the same extent; the caller then parses the whole text. The result equals a fresh parse of `text`.
 */
export function reparseEdit(previous: ConfigFile, text: string): ConfigFile | undefined {
  const { path, items } = previous;
  const old = previous.text;
  if (previous.diagnostics.length > 0 || path.endsWith('.json') || text.length > MAX_FILE_LENGTH) {
    return undefined;
  }
  const { prefix, suffix } = commonAffixes(old, text);
  const changeEnd = old.length - suffix;
  const index = lastItemStartingBefore(items, prefix);
  const item = items[index];
  if (item?.kind !== 'block' || changeEnd >= item.span.end) {
    return undefined;
  }
  const delta = text.length - old.length;
  try {
    const parsed = parseHclBlockAt(text, item.span.start, item.span.end + delta);
    if (parsed === undefined) {
      return undefined;
    }
    const diagnostics: ModelDiagnostic[] = [];
    const converted = configItemsOfHcl({ kind: 'Body', span: parsed.block.span, items: [parsed.block] }, path, diagnostics);
    if (diagnostics.length > 0 || converted.length !== 1) {
      return undefined;
    }
    const next = items.slice(0, index);
    next.push(converted[0] as ConfigItem);
    for (let i = index + 1; i < items.length; i++) {
      next.push(delta === 0 ? (items[i] as ConfigItem) : shiftedItem(items[i] as ConfigItem, delta));
    }
    return { path, text, items: next, diagnostics: [] };
  } catch {
    return undefined;
  }
}

/** A copy of a configuration item with every span moved by `delta` (blocks of an error-free parse nest at most 64 deep). */
function shiftedItem(item: ConfigItem, delta: number): ConfigItem {
  if (item.kind === 'attribute') {
    return {
      ...item,
      nameSpan: shiftedSpan(item.nameSpan, delta),
      span: shiftedSpan(item.span, delta),
      expr: shiftedExpression(item.expr, delta),
    };
  }
  return {
    ...item,
    typeSpan: shiftedSpan(item.typeSpan, delta),
    labels: item.labels.map((label) => ({ ...label, span: shiftedSpan(label.span, delta) })),
    span: shiftedSpan(item.span, delta),
    headerSpan: shiftedSpan(item.headerSpan, delta),
    openSpan: shiftedSpan(item.openSpan, delta),
    closeSpan: shiftedSpan(item.closeSpan, delta),
    items: item.items.map((child) => shiftedItem(child, delta)),
  };
}

/** The index of the last item that starts strictly before `offset` (-1 if none); items are in source order. */
function lastItemStartingBefore(items: ConfigItem[], offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((items[middle] as ConfigItem).span.start < offset) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low - 1;
}

/** Parses a configuration or variables file without the cache (nor the re-parse from a previous text). */
export function parseTerraformFileUncached(path: string, text: string): ConfigFile {
  if (text.length > MAX_FILE_LENGTH) {
    return {
      path,
      text,
      items: [],
      diagnostics: [
        {
          file: path,
          span: { start: 0, end: 0 },
          message: `The file is larger than ${MAX_FILE_LENGTH / 1024 / 1024} MB and is not analysed`,
          severity: 'info',
          code: 'file-too-large',
        },
      ],
    };
  }
  const isVariables = /\.tfvars(\.json)?$/.test(path);
  if (path.endsWith('.json')) {
    const templateParser = templateParserFor(path);
    return isVariables ? parseTfvarsJson(path, text, templateParser) : parseTerraformJson(path, text, templateParser);
  }
  try {
    const result = parseHcl(text);
    const diagnostics = result.diagnostics.map((d) => toModelDiagnostic(path, d));
    const items = configItemsOfHcl(result.tree.body, path, diagnostics);
    return { path, text, items, diagnostics };
  } catch (error) {
    return { path, text, items: [], diagnostics: [internalError(path, error)] };
  }
}

/** The diagnostic for a file that could not be read. */
export function unreadableFile(path: string): ConfigFile {
  return {
    path,
    text: '',
    items: [],
    diagnostics: [
      { file: path, span: { start: 0, end: 0 }, message: 'The file cannot be read', severity: 'error', code: 'unreadable-file' },
    ],
  };
}

function templateParserFor(path: string): TemplateParser {
  return (text, offset) => {
    const result = parseHclTemplate(text, offset);
    return { expr: result.expr, diagnostics: result.diagnostics.map((d) => toModelDiagnostic(path, d)) };
  };
}

function toModelDiagnostic(file: string, d: SyntaxDiagnostic): ModelDiagnostic {
  return { file, span: d.span, message: d.message, severity: d.severity, code: d.code };
}

function internalError(file: string, error: unknown): ModelDiagnostic {
  const reason = error instanceof RangeError ? 'it is nested too deeply' : 'of an internal error';
  return {
    file,
    span: { start: 0, end: 0 },
    message: `The file could not be parsed because ${reason}`,
    severity: 'error',
    code: 'parse-failed',
  };
}
