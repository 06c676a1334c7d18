/**
 * The fix renderer for Bicep: adapts model entries to the text edits of `parse/bicep/edit.ts`.
 *
 * It edits only text that is where the model says: a value re-homed from elsewhere (a property spread from a
 * variable, whose entry has no key of its own in the text) or an object not written literally (no block layout) is
 * left alone, and the renderer returns undefined.
 */
import type { Entry, ObjectValue } from '../../model/types';
import { appendArrayItem, indentUnitOf, insertTreeIntoObject, removeArrayItems, removeProperty, replaceExpression } from '../../parse/bicep/edit';
import { lineEndingOf } from '../../text/lines';
import { insertTreeOf, type InsertSetting } from '../../text/insertTree';
import type { FixRenderer, FixValue } from '../fixes';
import type { FixItem } from '../rule';
import type { TextEdit } from '../types';

/** Whether an entry is a property written in the text (not one spread or resolved from elsewhere). */
function isWritten(entry: Entry, file: string): boolean {
  // Re-homed entries (spread or resolved objects) have no key of their own: key and entry share one span.
  return entry.value.file === file && !(entry.keySpan.start === entry.span.start && entry.keySpan.end === entry.span.end);
}

/** Renders fixes for `.bicep` files. */
export const bicepRenderer: FixRenderer = {
  layoutOf(text: string): string {
    return `${lineEndingOf(text)}${indentUnitOf(text)}`;
  },
  replaceValue(text: string, entry: Entry, value: FixValue, file: string): TextEdit[] | undefined {
    const span = entry.value.span;
    if (!isWritten(entry, file) || span.end <= span.start || span.end > text.length) {
      return undefined;
    }
    return [{ file, ...replaceExpression(span, value) }];
  },
  insert(text: string, object: ObjectValue, settings: InsertSetting[], file: string) {
    const block = object.block;
    const tree = insertTreeOf(settings);
    if (!block || object.file !== file || !tree) {
      return undefined;
    }
    const edit = insertTreeIntoObject(
      text,
      {
        headerStart: block.headerSpan.start,
        openBrace: block.openSpan,
        closeBrace: block.closeSpan,
        itemStarts: object.entries.filter((e) => isWritten(e, file)).map((e) => e.span.start),
      },
      tree,
    );
    return edit ? [{ file, ...edit }] : undefined;
  },
  remove(text: string, entry: Entry, file: string) {
    if (!isWritten(entry, file)) {
      return undefined;
    }
    return [{ file, ...removeProperty(text, entry.span) }];
  },
  appendItem(text: string, entry: Entry, item: FixItem, file: string) {
    const list = entry.value;
    if (!isWritten(entry, file) || list.kind !== 'array' || list.items.some((i) => i.file !== file)) {
      return undefined;
    }
    return appendArrayItem(text, list.span, list.items.map((i) => i.span), item)?.map((edit) => ({ file, ...edit }));
  },
  removeItems(text: string, entry: Entry, indexes: number[], file: string) {
    const list = entry.value;
    if (!isWritten(entry, file) || list.kind !== 'array' || list.items.some((item) => item.file !== file)) {
      return undefined;
    }
    return removeArrayItems(text, list.span, list.items.map((item) => item.span), indexes)?.map((edit) => ({ file, ...edit }));
  },
};
