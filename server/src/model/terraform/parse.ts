/**
 * Reading and parsing of one Terraform file (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`) into the syntax-neutral
 * configuration, with syntax errors as model diagnostics. This is the only module of the Terraform lowering that
 * calls the HCL parser, and it never throws: a parser failure becomes a diagnostic.
 */
import { parseHcl, parseHclTemplate } from '../../parse/hcl/parser';
import type { SyntaxDiagnostic } from '../../parse/hcl/syntax';
import type { ModelDiagnostic } from '../types';
import { configItemsOfHcl, type ConfigFile } from './config';
import { parseTerraformJson, parseTfvarsJson, type TemplateParser } from './json';

/** The largest file the lowering reads; larger files are skipped with an informational diagnostic. */
export const MAX_FILE_LENGTH = 8 * 1024 * 1024;

/**
 * Recent parses by path, reused while the text is the same: a module called from several others (and analysed as its
 * own unit too) is parsed once per content, not once per lowering. The lowering never modifies a parsed file.
 */
const recentParses = new Map<string, ConfigFile>();

/** How many parsed files are kept (least recently used first out). */
const RECENT_PARSES = 512;

/**
 * Parses a configuration or variables file by its name (`.json` suffix selects the JSON syntax). The result of a
 * recent parse of the same path and text is reused, so callers must not modify it.
 */
export function parseTerraformFile(path: string, text: string): ConfigFile {
  const cached = recentParses.get(path);
  if (cached !== undefined && cached.text === text) {
    recentParses.delete(path);
    recentParses.set(path, cached);
    return cached;
  }
  const file = parseTerraformFileUncached(path, text);
  recentParses.delete(path);
  recentParses.set(path, file);
  if (recentParses.size > RECENT_PARSES) {
    recentParses.delete(recentParses.keys().next().value!);
  }
  return file;
}

/** Parses a configuration or variables file without the cache. */
function parseTerraformFileUncached(path: string, text: string): ConfigFile {
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
