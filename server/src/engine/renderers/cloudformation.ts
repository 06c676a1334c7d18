/**
 * The fix renderer for CloudFormation templates, YAML and JSON: adapts model entries and objects to the text edits
 * of `parse/cloudformation/edit.ts`, which re-reads the template to keep its style (block or flow YAML, JSON, the
 * indentation, quotes, comments and line endings).
 */
import type { Entry, ObjectValue, Resource, Scalar } from '../../model/types';
import { appendCfnResource, indentStepOf, insertCfnTree, removeCfnPair, replaceCfnValue, type CfnDocument, type CfnEdit } from '../../parse/cloudformation/edit';
import { lineEndingOf } from '../../text/lines';
import { insertTreeOf, type InsertSetting } from '../../text/insertTree';
import { withReference, type FixRenderer } from '../fixes';
import type { CompanionIntent, DocumentValue } from '../rule';
import type { TextEdit } from '../types';

/** Tags edits with their file; undefined stays undefined. */
function inFile(file: string, edits: CfnEdit[] | undefined): TextEdit[] | undefined {
  return edits?.map((e) => ({ file, span: e.span, newText: e.newText }));
}

/** Renders fixes for CloudFormation templates (the syntax is decided from the file name and the text). */
export const cloudFormationRenderer: FixRenderer = {
  layoutOf(text: string): string {
    return `${lineEndingOf(text)}${indentStepOf(text)}${text.trimStart().charAt(0)}`;
  },
  replaceValue(text: string, entry: Entry, value: Scalar | Scalar[], file: string): TextEdit[] | undefined {
    return inFile(file, replaceCfnValue(file, text, entry.keySpan.start, entry.value.span, value));
  },
  insert(text: string, object: ObjectValue, settings: InsertSetting[], file: string) {
    const tree = insertTreeOf(settings);
    if (!object.block || !tree) {
      return undefined;
    }
    return inFile(file, insertCfnTree(file, text, object.block.openSpan.start, tree));
  },
  remove(text: string, entry: Entry, file: string) {
    return inFile(file, removeCfnPair(file, text, entry.keySpan.start));
  },
  addResource(text: string, resource: Resource, companion: CompanionIntent, file: string) {
    if (resource.file !== file) {
      return undefined;
    }
    // The companion's logical id is the resource's plus the type's last part: `ReportsBucketPolicy`.
    const id = companionId(resource.name, companion.type.split('::').pop() ?? 'Companion');
    const properties: { [key: string]: CfnDocument } = { [companion.via]: { Ref: resource.name } };
    for (const [key, value] of Object.entries(companion.properties)) {
      properties[key] = interpolated(withReference(value, resource.name));
    }
    return inFile(file, appendCfnResource(file, text, resource.name, id, { Type: companion.type, Properties: properties }));
  },
};

/** The resource's logical id followed by the type's name, without repeating a word they share (`ReportsBucketPolicy`). */
export function companionId(name: string, typeName: string): string {
  const words = typeName.match(/[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [typeName];
  for (let k = words.length - 1; k > 0; k--) {
    const head = words.slice(0, k).join('');
    if (name.endsWith(head)) {
      return name + words.slice(k).join('');
    }
  }
  return name + typeName;
}

/** A document with every string that holds `${…}` written as `Fn::Sub` (depth bounded like the renderer's). */
function interpolated(value: DocumentValue, depth = 0): CfnDocument {
  if (typeof value === 'string') {
    return value.includes('${') ? { 'Fn::Sub': value } : value;
  }
  if (value === null || typeof value !== 'object' || depth > 32) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => interpolated(v, depth + 1));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolated(v, depth + 1)]));
}
