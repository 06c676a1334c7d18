/**
 * The fix renderer for CloudFormation templates, YAML and JSON: adapts model entries and objects to the text edits
 * of `parse/cloudformation/edit.ts`, which re-reads the template to keep its style (block or flow YAML, JSON, the
 * indentation, quotes, comments and line endings).
 */
import type { Entry, ObjectValue, Resource } from '../../model/types';
import {
  addCfnParameter,
  appendCfnItem,
  appendCfnResource,
  cfnAccountPrincipal,
  cfnLogicalIds,
  cfnReference,
  indentStepOf,
  insertCfnTree,
  isCfnPlainString,
  removeCfnItems,
  removeCfnPair,
  replaceCfnValue,
  type CfnDocument,
  type CfnEdit,
} from '../../parse/cloudformation/edit';
import { lineEndingOf } from '../../text/lines';
import { insertTreeOf, type InsertSetting } from '../../text/insertTree';
import { withReference, type FixRenderer, type FixValue } from '../fixes';
import type { CompanionIntent, DocumentValue, FixItem, SecretInputIntent } from '../rule';
import type { TextEdit } from '../types';
import { freeName } from './freeName';

/** Tags edits with their file; undefined stays undefined. */
function inFile(file: string, edits: CfnEdit[] | undefined): TextEdit[] | undefined {
  return edits?.map((e) => ({ file, span: e.span, newText: e.newText }));
}

/** Renders fixes for CloudFormation templates (the syntax is decided from the file name and the text). */
export const cloudFormationRenderer: FixRenderer = {
  layoutOf(text: string, file: string): string {
    // A companion's logical id is chosen among the names no resource or parameter has.
    return `${lineEndingOf(text)}${indentStepOf(text)}${text.trimStart().charAt(0)}\u0000${cfnLogicalIds(file, text).join('\u0001')}`;
  },
  replaceValue(text: string, entry: Entry, value: FixValue, file: string): TextEdit[] | undefined {
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
  appendItem(text: string, entry: Entry, item: FixItem, file: string) {
    return inFile(file, appendCfnItem(file, text, entry.keySpan.start, item));
  },
  removeItems(text: string, entry: Entry, indexes: number[], file: string) {
    return inFile(file, removeCfnItems(file, text, entry.keySpan.start, indexes));
  },
  accountPrincipal(text: string, file: string, form: 'principal' | 'arn') {
    return cfnAccountPrincipal(file, text, form);
  },
  addSecretInput(text: string, resource: Resource, entry: Entry, input: SecretInputIntent, file: string, isTaken: (name: string) => boolean) {
    if (resource.file !== file || !isCfnPlainString(file, text, entry.value.span)) {
      return undefined;
    }
    // `StorefrontAccessToken`, then `StorefrontAccessToken2` …: the logical id and the property's name.
    const base = companionId(resource.name, entry.key);
    const id = freeName(base, '', (id) => isTaken(id) || !isLogicalIdFree(file, text, id));
    if (id === undefined || !/^[A-Za-z0-9]+$/.test(id)) {
      return undefined;
    }
    const description = input.description.split('{resource}').join(resource.name);
    const edits = inFile(
      file,
      addCfnParameter(file, text, id, [
        { key: 'Type', value: 'String' },
        { key: 'NoEcho', value: true },
        { key: 'Description', value: description },
      ]),
    );
    return edits ? { edits, reference: cfnReference(file, text, id, 'Ref') } : undefined;
  },
  addResource(text: string, resource: Resource, companion: CompanionIntent, file: string, isTaken: (name: string) => boolean) {
    if (resource.file !== file) {
      return undefined;
    }
    // The companion's logical id is the resource's plus the type's last part: `ReportsBucketPolicy`, `OrdersQueueKey`;
    // one the resource refers to takes the first free id of that, `…Key2`, `…Key3` ….
    const base = companionId(resource.name, companion.type.split('::').pop() ?? 'Companion');
    const id = companion.via !== undefined ? base : freeName(base, '', (id) => isTaken(id) || !isLogicalIdFree(file, text, id));
    if (id === undefined || isTaken(id)) {
      return undefined;
    }
    const properties: { [key: string]: CfnDocument } = companion.via !== undefined ? { [companion.via]: { Ref: resource.name } } : {};
    for (const [key, value] of Object.entries(companion.properties)) {
      properties[key] = interpolated(withReference(value, resource.name));
    }
    const edits = inFile(file, appendCfnResource(file, text, resource.name, id, { Type: companion.type, Properties: properties }));
    if (!edits) {
      return undefined;
    }
    const reference = companion.reference ? cfnReference(file, text, id, companion.reference.attribute) : undefined;
    return { edits, ...(reference ? { reference } : {}) };
  },
};

/**
 * The logical ids of the template a fix last asked about: the fixes of one analysis name companions for many of its
 * resources, and listing the ids once per name tried made a template of n resources cost n² (see `isCfnLogicalIdFree`).
 */
let lastIds: { file: string; text: string; ids: ReadonlySet<string> } | undefined;

/** Whether `id` is free as a new logical id in the template: neither a resource nor a parameter has it. */
export function isLogicalIdFree(file: string, text: string, id: string): boolean {
  if (lastIds === undefined || lastIds.file !== file || lastIds.text !== text) {
    lastIds = { file, text, ids: new Set(cfnLogicalIds(file, text)) };
  }
  return !lastIds.ids.has(id);
}

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
