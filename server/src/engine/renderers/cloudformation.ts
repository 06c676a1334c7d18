/**
 * The fix renderer for CloudFormation templates, YAML and JSON: adapts model entries and objects to the text edits
 * of `parse/cloudformation/edit.ts`, which re-reads the template to keep its style (block or flow YAML, JSON, the
 * indentation, quotes, comments and line endings).
 */
import type { Entry, ObjectValue, Scalar } from '../../model/types';
import { insertCfnValue, removeCfnPair, replaceCfnValue, type CfnEdit } from '../../parse/cloudformation/edit';
import type { FixRenderer } from '../fixes';
import type { TextEdit } from '../types';

/** Tags edits with their file; undefined stays undefined. */
function inFile(file: string, edits: CfnEdit[] | undefined): TextEdit[] | undefined {
  return edits?.map((e) => ({ file, span: e.span, newText: e.newText }));
}

/** Renders fixes for CloudFormation templates (the syntax is decided from the file name and the text). */
export const cloudFormationRenderer: FixRenderer = {
  replaceValue(text: string, entry: Entry, value: Scalar | Scalar[], file: string): TextEdit[] | undefined {
    return inFile(file, replaceCfnValue(file, text, entry.keySpan.start, entry.value.span, value));
  },
  insert(text: string, object: ObjectValue, segments: string[], value: Scalar | Scalar[], file: string) {
    if (!object.block) {
      return undefined;
    }
    return inFile(file, insertCfnValue(file, text, object.block.openSpan.start, segments, value));
  },
  remove(text: string, entry: Entry, file: string) {
    return inFile(file, removeCfnPair(file, text, entry.keySpan.start));
  },
};
