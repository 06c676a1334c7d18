/**
 * The fix renderer for Terraform's native syntax: adapts model entries to the text edits of `parse/hcl/edit.ts`.
 */
import type { Entry, ObjectValue, Resource, Scalar } from '../../model/types';
import {
  appendBlock,
  appendHclBlock,
  appendResource,
  appendTupleItem,
  insertTreeIntoBlock,
  isExpression,
  isPlainStringLiteral,
  isWithinDepth,
  removeAttribute,
  removeTupleItems,
  renderHclDocument,
  replaceExpression,
  type HclDocument,
} from '../../parse/hcl/edit';
import { fileEdit, lazyFileEdit } from '../../text/lazyText';
import { insertTreeOf, type InsertSetting } from '../../text/insertTree';
import { lineEndingOf } from '../../text/lines';
import { withReference, type FixRenderer, type FixValue } from '../fixes';
import type { CompanionIntent, FixItem, SecretInputIntent } from '../rule';
import type { TextEdit } from '../types';
import { freeName } from './freeName';

/** Whether the file is Terraform JSON, which this renderer does not edit. */
function isJson(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/**
 * Arguments that are maps of strings, not nested blocks, in the providers the rules cover (Google Cloud's instance
 * `metadata`, the tags and labels of every provider): a setting inside one is written `name = { "key" = value }`.
 */
const MAP_ARGUMENTS: ReadonlySet<string> = new Set(['metadata', 'tags', 'tags_all', 'labels']);

/** Whether each companion (a rule's, so it never changes) can be written: no value nests too deep. */
const writable = new WeakMap<CompanionIntent, boolean>();

/** Whether a companion's properties can be written (see {@link isWithinDepth}). */
function isWritable(companion: CompanionIntent): boolean {
  let is = writable.get(companion);
  if (is === undefined) {
    is = Object.entries(companion.properties).every(([key, value]) =>
      companion.json?.includes(key) ? isWithinDepth(value, 0) : isExpression(value) || isWithinDepth(value, 0),
    );
    writable.set(companion, is);
  }
  return is;
}

/** Where the entries of an object that are written in `file` start. */
function itemStartsIn(object: ObjectValue, file: string): number[] {
  const starts: number[] = [];
  for (const e of object.entries) {
    if (e.value.file === file) {
      starts.push(e.span.start);
    }
  }
  return starts;
}

/** Renders fixes for `.tf` files. */
export const hclRenderer: FixRenderer = {
  layoutOf(text: string): string {
    return lineEndingOf(text);
  },
  replaceValue(_text: string, entry: Entry, value: FixValue, file: string): TextEdit[] | undefined {
    if (isJson(file) || entry.isBlock) {
      return undefined;
    }
    const edit = replaceExpression(entry.value.span, value);
    return [{ file, ...edit }];
  },
  insert(text: string, object: ObjectValue, settings: InsertSetting[], file: string) {
    const tree = insertTreeOf(settings);
    if (isJson(file) || !object.block || !tree) {
      return undefined;
    }
    const edit = insertTreeIntoBlock(
      text,
      {
        headerStart: object.block.headerSpan.start,
        openBrace: object.block.openSpan,
        closeBrace: object.block.closeSpan,
        itemStarts: itemStartsIn(object, file),
      },
      tree,
      MAP_ARGUMENTS,
    );
    return edit ? [lazyFileEdit(file, edit.span, () => edit.newText)] : undefined;
  },
  remove(text: string, entry: Entry, file: string) {
    if (isJson(file)) {
      return undefined;
    }
    return [{ file, ...removeAttribute(text, entry.span) }];
  },
  addResource(text: string, resource: Resource, companion: CompanionIntent, file: string, isTaken: (name: string) => boolean) {
    if (isJson(file) || resource.file !== file) {
      return undefined;
    }
    // A companion referring to the resource takes the resource's name and refers to it by id (or by name, for a
    // `…name` attribute); one the resource refers to takes the first free name of `name`, `name_2`, `name_3` ….
    const reference = `${resource.type}.${resource.name}`;
    const name = companion.via !== undefined ? resource.name : freeName(resource.name, '_', isTaken);
    if (name === undefined || isTaken(name)) {
      return undefined;
    }
    // Whether the resource can be written is known from the shapes of its values; its text is written when it is read.
    if (!isWritable(companion)) {
      return undefined;
    }
    const render = (): string => {
      const attributes: [string, HclDocument | { expression: string }][] = [];
      if (companion.via !== undefined) {
        attributes.push([companion.via, { expression: `${reference}.${/name$/.test(companion.via) ? 'name' : 'id'}` }]);
      }
      for (const [key, value] of Object.entries(companion.properties)) {
        const document = withReference(value, reference);
        if (companion.json?.includes(key)) {
          attributes.push([key, { expression: `jsonencode(${renderHclDocument(document, '  ', '  ', lineEndingOf(text)) ?? ''})` }]);
        } else {
          attributes.push([key, document]);
        }
      }
      return appendResource(text, at, { type: companion.type, name, attributes })?.newText ?? '';
    };
    const at = resource.span.end;
    const edit = lazyFileEdit(file, { start: at, end: at }, render);
    const referenced = companion.reference ? { verbatim: `${companion.type}.${name}.${companion.reference.attribute}` } : undefined;
    return { edits: [edit], ...(referenced ? { reference: referenced } : {}) };
  },
  addSecretInput(text: string, resource: Resource, entry: Entry, input: SecretInputIntent, file: string, isTaken: (name: string) => boolean) {
    const span = entry.value.span;
    if (isJson(file) || resource.file !== file || entry.isBlock || !isPlainStringLiteral(text.slice(span.start, span.end))) {
      return undefined;
    }
    // `storefront_access_token`, then `storefront_access_token_2` …: the resource's name and the setting's.
    const name = freeName(`${resource.name}_${entry.key}`, '_', isTaken);
    if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      return undefined;
    }
    const description = input.description.split('{resource}').join(`${resource.type}.${resource.name}`);
    const attributes: [string, HclDocument | { expression: string }][] = [
      ['description', description],
      ['type', { expression: 'string' }],
      ['sensitive', true],
    ];
    const edit = appendBlock(text, resource.span.end, ['variable', JSON.stringify(name)], attributes);
    return edit ? { edits: [fileEdit(file, edit)], reference: { verbatim: `var.${name}` } } : undefined;
  },
  appendItem(text: string, entry: Entry, item: FixItem, file: string) {
    const list = entry.value;
    if (isJson(file) || list.kind !== 'array' || list.file !== file || (item !== null && typeof item === 'object')) {
      return undefined;
    }
    if (list.items.some((i) => i.file !== file)) {
      return undefined;
    }
    return appendTupleItem(text, list.span, list.items.map((i) => i.span), item)?.map((edit) => ({ file, ...edit }));
  },
  addRepeatedBlock(text: string, object: ObjectValue, key: string, fields: Record<string, Scalar>, after: Entry | undefined, file: string) {
    if (isJson(file) || !object.block || (after && (!after.isBlock || after.value.file !== file))) {
      return undefined;
    }
    const layout = {
      headerStart: object.block.headerSpan.start,
      openBrace: object.block.openSpan,
      closeBrace: object.block.closeSpan,
      itemStarts: object.entries.filter((e) => e.value.file === file).map((e) => e.span.start),
    };
    const edit = appendHclBlock(text, layout, after?.span, key, Object.entries(fields));
    return edit ? [{ file, ...edit }] : undefined;
  },
  removeItems(text: string, entry: Entry, indexes: number[], file: string) {
    const list = entry.value;
    if (isJson(file) || list.kind !== 'array' || list.file !== file) {
      return undefined;
    }
    if (indexes.some((i) => list.items[i]?.provenance !== 'explicit') || list.items.some((item) => item.file !== file)) {
      return undefined;
    }
    const edits = removeTupleItems(text, list.span, list.items.map((item) => item.span), indexes);
    return edits?.map((edit) => ({ file, ...edit }));
  },
};
