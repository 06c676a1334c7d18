/**
 * The fix renderer for Terraform's native syntax: adapts model entries to the text edits of `parse/hcl/edit.ts`.
 */
import type { Entry, ObjectValue, Scalar } from '../../model/types';
import { insertIntoBlock, removeAttribute, replaceExpression } from '../../parse/hcl/edit';
import type { FixRenderer } from '../fixes';
import type { TextEdit } from '../types';

/** Whether the file is Terraform JSON, which this renderer does not edit. */
function isJson(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/** Renders fixes for `.tf` files. */
export const hclRenderer: FixRenderer = {
  replaceValue(_text: string, entry: Entry, value: Scalar | Scalar[], file: string): TextEdit[] | undefined {
    if (isJson(file) || entry.isBlock) {
      return undefined;
    }
    const edit = replaceExpression(entry.value.span, value);
    return [{ file, ...edit }];
  },
  insert(text: string, object: ObjectValue, segments: string[], value: Scalar | Scalar[], file: string) {
    if (isJson(file) || !object.block) {
      return undefined;
    }
    const edit = insertIntoBlock(
      text,
      {
        headerStart: object.block.headerSpan.start,
        openBrace: object.block.openSpan,
        closeBrace: object.block.closeSpan,
        itemStarts: object.entries.filter((e) => e.value.file === file).map((e) => e.span.start),
      },
      segments,
      value,
    );
    return edit ? [{ file, ...edit }] : undefined;
  },
  remove(text: string, entry: Entry, file: string) {
    if (isJson(file)) {
      return undefined;
    }
    return [{ file, ...removeAttribute(text, entry.span) }];
  },
};
