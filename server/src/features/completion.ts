/**
 * Completion: secure by default while a resource is written.
 *
 * - Starting a resource of a type the rules know (`resource "aws_s3`, `Type: AWS::RDS::DBInstance`,
 *   `resource stg 'Microsoft.Storage/storageAccounts@…'`) offers the type's secure template (`engine/templates.ts`):
 *   the resource with every setting the rules check at its secure value, plus companion resources, as a snippet whose
 *   tab stops are the name and the placeholders.
 * - Inside a resource, completing a setting the rules know offers its secure value first, labelled with who owns the
 *   setting; values a rule flags are still listed, marked deprecated and sorted last.
 *
 * Invariant: completion never parses. It reads the cached analysis of the document's current version for the
 * resource under the cursor, and the current line's text for what is being typed.
 */
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { Entry, Format, ObjectValue, Resource, Scalar, Value } from '../model/types';
import { bundledBicepApiVersions } from '../engine/generated/bundledRules';
import type { RuleSet } from '../engine/ruleSet';
import { ownershipLabel, settingsOf, type KnownValue, type SettingKnowledge } from '../engine/secureValues';
import { buildTemplate, PLACEHOLDER, TEMPLATE_NAME, templateTypes, type ResourceTemplate, type TemplateSyntax } from '../engine/templates';
import type { CachedAnalysis, TrackedDocument } from './workspace';

/** Characters that open a completion without the user asking: the quotes of a type name, and `=`/`:` of a value. */
export const COMPLETION_TRIGGER_CHARACTERS = ['"', "'", '=', ':', ' '];

/** Templates per rule set, built on first use (each costs a few analyses). */
const templateCache = new WeakMap<RuleSet, Map<string, ResourceTemplate | undefined>>();

/** The secure template of a type, cached per rule set. */
export function templateFor(ruleSet: RuleSet, syntax: TemplateSyntax, type: string): ResourceTemplate | undefined {
  let cache = templateCache.get(ruleSet);
  if (!cache) {
    cache = new Map();
    templateCache.set(ruleSet, cache);
  }
  const key = `${syntax}\u0000${type}`;
  if (!cache.has(key)) {
    cache.set(key, buildTemplate(ruleSet, syntax, type, bundledBicepApiVersions));
  }
  return cache.get(key);
}

/** The completion items at `position` of a tracked document. */
export function provideCompletion(
  entry: CachedAnalysis | undefined,
  ruleSet: RuleSet,
  tracked: TrackedDocument,
  position: Position,
): CompletionItem[] {
  const text = tracked.document.getText();
  const offset = tracked.document.offsetAt(position);
  const lineStart = offset - position.character;
  const lineEndMatch = /\r?\n/.exec(text.slice(offset));
  const lineEnd = lineEndMatch ? offset + lineEndMatch.index : text.length;
  const line = { before: text.slice(lineStart, offset), after: text.slice(offset, lineEnd), start: lineStart, end: lineEnd };
  const isJson = /\.json$/i.test(tracked.path);
  const templates = resourceTemplateItems(ruleSet, tracked, text, line, isJson);
  if (templates) {
    return templates;
  }
  const format: Format | undefined =
    tracked.kind === 'terraform' ? 'terraform' : tracked.kind === 'cloudformation' ? 'cloudformation' : tracked.kind === 'bicep' ? 'bicep' : undefined;
  if (!entry || !format) {
    return [];
  }
  return settingItems(entry, ruleSet, tracked, format, offset, position, line, isJson);
}

/** The current line split at the cursor. */
interface LineAtCursor {
  before: string;
  after: string;
  start: number;
  end: number;
}

/** Escapes literal text for a snippet. */
function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/**
 * Turns a template's text into a snippet: `name` (the template's own name token, when given) becomes the first tab
 * stop, each `<placeholder>` the next ones, everything else literal.
 */
export function toSnippet(text: string, name: { token: string; replacement: string | undefined }): string {
  let out = '';
  let index = 0;
  let stop = name.replacement === undefined ? 2 : 1;
  const pattern = new RegExp(`${name.token}|${PLACEHOLDER.source}`, 'g');
  for (const m of text.matchAll(pattern)) {
    out += escapeSnippet(text.slice(index, m.index));
    if (m[0] === name.token) {
      out += name.replacement === undefined ? `\${1:${name.token}}` : escapeSnippet(name.replacement);
    } else {
      out += `\${${stop++}:${escapeSnippet(m[1] ?? '')}}`;
    }
    index = m.index + m[0].length;
  }
  return `${out}${escapeSnippet(text.slice(index))}$0`;
}

/** A template completion item; `newText` is a snippet. */
function templateItem(template: ResourceTemplate, label: string, range: Range, newText: string, filterText: string, isAsIs: boolean): CompletionItem {
  const companions = template.companions.length > 0 ? ` and ${template.companions.join(', ')}` : '';
  return {
    label,
    labelDetails: { description: 'secure template' },
    kind: CompletionItemKind.Snippet,
    detail: `Onus: ${template.type}${companions}, with the settings of ${template.ruleIds.length} rules at their secure values`,
    documentation: {
      kind: MarkupKind.Markdown,
      value: [
        `A new \`${template.type}\` with every setting the Onus rules check set to its secure default${companions ? `, plus ${template.companions.map((c) => `\`${c}\``).join(', ')}` : ''}.`,
        'Tab through the name and the placeholders (`<…>`) to fill in what only you know.',
        '',
        `Rules satisfied: ${template.ruleIds.map((id) => `\`${id}\``).join(', ')}`,
      ].join('\n'),
    },
    filterText,
    sortText: `0${label}`,
    insertTextFormat: InsertTextFormat.Snippet,
    ...(isAsIs ? { insertTextMode: InsertTextMode.asIs } : {}),
    textEdit: { range, newText },
  };
}

/** The range of the current line from `start` (an offset in it) to its end. */
function rangeToLineEnd(tracked: TrackedDocument, start: number, line: LineAtCursor): Range {
  return { start: tracked.document.positionAt(start), end: tracked.document.positionAt(line.end) };
}

/** Template items when the cursor is where a resource's type is typed; undefined when it is not. */
function resourceTemplateItems(
  ruleSet: RuleSet,
  tracked: TrackedDocument,
  text: string,
  line: LineAtCursor,
  isJson: boolean,
): CompletionItem[] | undefined {
  if (tracked.kind === 'terraform') {
    // resource "aws_s3|   (the type label being typed)
    const m = /^(\s*resource\s+)"([\w-]*)$/.exec(line.before);
    if (!m) {
      return undefined;
    }
    const range = rangeToLineEnd(tracked, line.start + m[1]!.length, line);
    return templateTypes(ruleSet, 'terraform').flatMap((type) => {
      const template = templateFor(ruleSet, 'terraform', type);
      if (!template) {
        return [];
      }
      const body = template.text.replace(/^resource /, '').trimEnd();
      return [templateItem(template, type, range, toSnippet(body, { token: TEMPLATE_NAME, replacement: undefined }), `"${type}"`, false)];
    });
  }
  if (tracked.kind === 'bicep') {
    // resource stg 'Microsoft.Storage/storageAccounts@2023-01-01|
    const m = /^(\s*resource\s+([A-Za-z_][\w]*)\s+)'([^'@]*)(@[^']*)?$/.exec(line.before);
    if (!m) {
      return undefined;
    }
    const symbol = m[2]!;
    const typedVersion = m[4]?.slice(1);
    const range = rangeToLineEnd(tracked, line.start + m[1]!.length, line);
    return templateTypes(ruleSet, 'bicep').flatMap((type) => {
      const template = templateFor(ruleSet, 'bicep', type);
      if (!template) {
        return [];
      }
      let body = template.text.replace(/^resource \w+ /, '').trimEnd();
      if (typedVersion) {
        body = body.replace(/^'([^'@]+)@[^']*'/, `'$1@${typedVersion}'`);
      }
      const version = /^'[^'@]+@([^']*)'/.exec(body)?.[1] ?? '';
      return [templateItem(template, type, range, toSnippet(body, { token: TEMPLATE_NAME, replacement: symbol }), `'${type}@${version}'`, false)];
    });
  }
  if (tracked.kind !== 'cloudformation') {
    return undefined;
  }
  return isJson ? cloudFormationJsonItems(ruleSet, tracked, text, line) : cloudFormationYamlItems(ruleSet, tracked, text, line);
}

/** The indentation of a line. */
function indentationOf(lineText: string): string {
  return /^[ \t]*/.exec(lineText)?.[0] ?? '';
}

/** CloudFormation YAML: `Type: AWS::S3|` under a logical id. */
function cloudFormationYamlItems(ruleSet: RuleSet, tracked: TrackedDocument, text: string, line: LineAtCursor): CompletionItem[] | undefined {
  const m = /^(\s*Type:\s*)([\w:]*)$/.exec(line.before);
  if (!m) {
    return undefined;
  }
  const indentation = indentationOf(line.before);
  // The logical id is the nearest line above with less indentation.
  const lines = text.slice(0, line.start).split(/\r?\n/);
  let logicalId: string | undefined;
  let parentIndentation = '';
  for (let i = lines.length - 2; i >= 0; i--) {
    const candidate = lines[i]!;
    if (candidate.trim() === '' || candidate.trimStart().startsWith('#')) {
      continue;
    }
    const own = indentationOf(candidate);
    if (own.length < indentation.length) {
      logicalId = /^\s*([A-Za-z0-9]+)\s*:\s*$/.exec(candidate)?.[1];
      parentIndentation = own;
      break;
    }
  }
  if (!logicalId) {
    return [];
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const range = rangeToLineEnd(tracked, line.start + m[1]!.length, line);
  return templateTypes(ruleSet, 'cloudformation').flatMap((type) => {
    const template = templateFor(ruleSet, 'cloudformation-yaml', type);
    if (!template) {
      return [];
    }
    // The generated template holds the logical ids at two spaces and their keys at four; re-indent under the user's.
    const out: string[] = [];
    const generated = template.text.split('\n');
    const typeLine = generated.findIndex((l) => l === `    Type: ${type}`);
    for (const l of generated.slice(typeLine + 1)) {
      if (l.trim() === '') {
        continue;
      }
      const spaces = indentationOf(l).length;
      out.push(spaces >= 4 ? indentation + l.slice(4) : parentIndentation + l.slice(2));
    }
    const snippetText = [type, ...out].join(eol);
    return [templateItem(template, type, range, toSnippet(snippetText, { token: capitalized(TEMPLATE_NAME), replacement: logicalId }), type, true)];
  });
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** CloudFormation JSON: `"Type": "AWS::S3|`; companions go after the resource's closing brace. */
function cloudFormationJsonItems(ruleSet: RuleSet, tracked: TrackedDocument, text: string, line: LineAtCursor): CompletionItem[] | undefined {
  const m = /^(.*"Type"\s*:\s*)"([\w:]*)$/.exec(line.before);
  if (!m) {
    return undefined;
  }
  const indentation = indentationOf(line.before);
  const close = /^[\w:]*"/.exec(line.after);
  const start = line.start + m[1]!.length;
  const end = close ? line.start + line.before.length + close[0].length : line.end;
  const range = { start: tracked.document.positionAt(start), end: tracked.document.positionAt(end) };
  // The logical id: the nearest `"Name": {` line above.
  const above = text.slice(0, line.start).split(/\r?\n/).reverse();
  const logicalId = above.map((l) => /^\s*"([A-Za-z0-9]+)"\s*:\s*\{\s*$/.exec(l)?.[1]).find((id) => id !== undefined);
  if (!logicalId) {
    return [];
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return templateTypes(ruleSet, 'cloudformation').flatMap((type) => {
    const template = templateFor(ruleSet, 'cloudformation-json', type);
    if (!template) {
      return [];
    }
    const parsed = JSON.parse(template.text) as { Resources: Record<string, { Properties?: unknown }> };
    const properties = parsed.Resources[capitalized(TEMPLATE_NAME)]?.Properties ?? {};
    const body = JSON.stringify(properties, null, 2).split('\n').join(`${eol}${indentation}`);
    const newText = toSnippet(`"${type}",${eol}${indentation}"Properties": ${body}`, { token: capitalized(TEMPLATE_NAME), replacement: logicalId });
    const item = templateItem(template, type, range, newText, `"${type}"`, true);
    // Companions (a bucket's policy) are siblings of the resource: plain text after its closing brace.
    const companions = Object.entries(parsed.Resources).filter(([id]) => id !== capitalized(TEMPLATE_NAME));
    const closing = companions.length > 0 ? closingBraceAfter(text, end) : undefined;
    if (closing !== undefined) {
      const idIndentation = indentationOf(text.slice(text.lastIndexOf('\n', closing) + 1, closing + 1));
      const siblings = companions.map(([id, resource]) => {
        const named = JSON.stringify(resource, null, 2).split(capitalized(TEMPLATE_NAME)).join(logicalId);
        return `,${eol}${idIndentation}${JSON.stringify(id.split(capitalized(TEMPLATE_NAME)).join(logicalId))}: ${named.split('\n').join(`${eol}${idIndentation}`)}`;
      });
      const at = tracked.document.positionAt(closing + 1);
      item.additionalTextEdits = [{ range: { start: at, end: at }, newText: siblings.join('') }];
    }
    return [item];
  });
}

/**
 * The offset of the `}` that closes the JSON object holding `offset` (strings skipped); undefined when the text
 * ends first, or after a bounded scan.
 */
function closingBraceAfter(text: string, offset: number): number | undefined {
  let depth = 0;
  let isInString = false;
  const limit = Math.min(text.length, offset + 1_000_000);
  for (let i = offset; i < limit; i++) {
    const c = text[i];
    if (isInString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        isInString = false;
      }
    } else if (c === '"') {
      isInString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) {
        return c === '}' ? i : undefined;
      }
      depth--;
    }
  }
  return undefined;
}

/** The chain of entries from a resource's body down to the entry whose key starts on the current line. */
function chainToLine(value: Value, start: number, end: number, chain: Entry[] = []): Entry[] | undefined {
  if (value.kind === 'array') {
    for (const item of value.items) {
      const found = chainToLine(item, start, end, chain);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if (value.kind !== 'object') {
    return undefined;
  }
  for (const entry of value.entries) {
    if (entry.keySpan.start >= start && entry.keySpan.start <= end) {
      return [...chain, entry];
    }
    if (entry.span.start <= start && end <= entry.span.end) {
      const found = chainToLine(entry.value, start, end, [...chain, entry]);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/** The chain of block entries whose braces hold an offset (for an empty line inside a block). */
function chainHolding(value: ObjectValue, offset: number, chain: Entry[] = []): Entry[] {
  for (const entry of value.entries) {
    const candidates = entry.value.kind === 'array' ? entry.value.items : [entry.value];
    for (const inner of candidates) {
      if (inner.kind === 'object' && inner.block && inner.block.openSpan.end <= offset && offset <= inner.block.closeSpan.start) {
        return chainHolding(inner, offset, [...chain, entry]);
      }
    }
  }
  return chain;
}

/** A value as the format writes it. */
function renderValue(value: Scalar | Scalar[], format: Format, isJson: boolean): string {
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderValue(v, format, isJson)).join(', ')}]`;
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  if (format === 'bicep') {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (format === 'cloudformation' && !isJson) {
    // Plain YAML where it stays a string; quoted where YAML would read it as something else.
    return /^[A-Za-z][\w.:/-]*$/.test(value) && !/^(true|false|yes|no|on|off|null)$/i.test(value) ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/** The setting items at the cursor: values of the setting being written, or settings of the block the cursor is in. */
function settingItems(
  entry: CachedAnalysis,
  ruleSet: RuleSet,
  tracked: TrackedDocument,
  format: Format,
  offset: number,
  position: Position,
  line: LineAtCursor,
  isJson: boolean,
): CompletionItem[] {
  const resource = entry.analysis.model.resources.find(
    (r: Resource) => r.file === tracked.path && r.kind === 'resource' && r.span.start <= offset && offset <= r.span.end,
  );
  if (!resource) {
    return [];
  }
  const settings = settingsOf(ruleSet, format, resource.type);
  if (settings.size === 0) {
    return [];
  }
  const valuePattern =
    format === 'terraform'
      ? /^(\s*)([\w-]+)(\s*=\s*)("?)([\w.:/-]*)$/
      : isJson
        ? /^(\s*)"(\w+)("\s*:\s*)(")?([\w.:/-]*)$/
        : format === 'bicep'
          ? /^(\s*)(\w+)(\s*:\s*)(')?([\w.:/-]*)$/
          : /^(\s*)([\w-]+)(:\s*)(['"]?)([\w.:/-]*)$/;
  const value = valuePattern.exec(line.before);
  if (value) {
    // The setting's entry when the model has one on this line; else the block the cursor is in, plus the typed key.
    const chain = chainToLine(resource.body, line.start, line.end);
    const settingPath = chain
      ? chain.map((e) => e.key).join('.')
      : [...chainHolding(resource.body, offset).map((e) => e.key), value[2]!].join('.');
    const knowledge = settings.get(settingPath);
    if (!knowledge) {
      return [];
    }
    // Replace what is typed of the value, and its closing quote when the editor already added one.
    const startOffset = offset - (value[4] ?? '').length - value[5]!.length;
    const closing = value[4] && line.after.startsWith(value[4]) ? 1 : 0;
    const range = { start: tracked.document.positionAt(startOffset), end: tracked.document.positionAt(offset + closing) };
    return valueItems(knowledge, format, isJson, range);
  }
  const key = (isJson ? /^\s*"?(\w*)$/ : /^\s*([\w-]*)$/).exec(line.before);
  if (!key) {
    return [];
  }
  const chain = chainHolding(resource.body, offset);
  const prefix = chain.map((e) => e.key).join('.');
  const range = { start: { line: position.line, character: position.character - line.before.trimStart().length }, end: position };
  const items: CompletionItem[] = [];
  for (const knowledge of settings.values()) {
    const rest = prefix === '' ? knowledge.path : knowledge.path.startsWith(`${prefix}.`) ? knowledge.path.slice(prefix.length + 1) : undefined;
    if (!rest || rest.includes('.') || !knowledge.secure) {
      continue;
    }
    const rendered = renderValue(knowledge.secure.value, format, isJson);
    const text =
      format === 'terraform' ? `${rest} = ${rendered}` : isJson ? `"${rest}": ${rendered}` : `${rest}: ${rendered}`;
    items.push({
      label: text,
      labelDetails: { description: ownershipLabel(knowledge.secure.rule) },
      kind: CompletionItemKind.Property,
      detail: `${ownershipLabel(knowledge.secure.rule)}: ${knowledge.secure.rule.title}`,
      documentation: documentationOf(knowledge.secure),
      filterText: isJson ? `"${rest}` : rest,
      sortText: `0${rest}`,
      textEdit: { range, newText: text },
    });
  }
  return items;
}

/** The value items of one setting: the secure value first and preselected, flagged values after it, marked. */
function valueItems(knowledge: SettingKnowledge, format: Format, isJson: boolean, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  if (knowledge.secure) {
    const text = renderValue(knowledge.secure.value, format, isJson);
    items.push({
      label: text,
      labelDetails: { description: ownershipLabel(knowledge.secure.rule) },
      kind: CompletionItemKind.Value,
      detail: `Secure value · ${ownershipLabel(knowledge.secure.rule)}`,
      documentation: documentationOf(knowledge.secure),
      preselect: true,
      sortText: '0',
      filterText: text,
      textEdit: { range, newText: text },
    });
  }
  knowledge.insecure.forEach((known, i) => {
    const text = renderValue(known.value, format, isJson);
    items.push({
      label: text,
      labelDetails: { description: `insecure · ${known.rule.id}` },
      kind: CompletionItemKind.Value,
      detail: `Insecure: flagged by ${known.rule.id} (${ownershipLabel(known.rule)})`,
      documentation: documentationOf(known),
      tags: [CompletionItemTag.Deprecated],
      sortText: `9${String(i).padStart(3, '0')}`,
      filterText: text,
      textEdit: { range, newText: text },
    });
  });
  return items;
}

/** A rule's title, owner and remediation as completion documentation. */
function documentationOf(known: KnownValue): { kind: 'markdown'; value: string } {
  return {
    kind: MarkupKind.Markdown,
    value: `**${known.rule.title}** (\`${known.rule.id}\`)\n\nWho owns it: ${ownershipLabel(known.rule)}.\n\n${known.rule.remediation}`,
  };
}
