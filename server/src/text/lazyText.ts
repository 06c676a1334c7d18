/**
 * Edits whose replacement text is written only when something reads it.
 *
 * A finding's fix is planned on every analysis (whether a fix exists, and where its edits go, is part of the finding),
 * but its text is read only by a code action, a fix-all or `onus fix`: most analyses never read it. An edit made here
 * holds `newText` as an own, enumerable property that renders on its first read and keeps the result, so spreading,
 * serialising or comparing the edit sees the same text as if it had been written at once. `render` must be pure: it
 * reads only values that do not change (the text the edit is for, offsets, the rule's data).
 */
import type { Span } from './span';

/**
 * Where a lazy edit keeps its render function, then its text once written: an own property that is not enumerable
 * (spreading, serialising and comparing an edit see `file`, `span` and `newText` only).
 */
const STATE = Symbol('lazyText');

interface LazyState {
  [STATE]: string | (() => string);
}

/**
 * `newText` of every lazy edit: one accessor pair for all of them, so that the edits share their shape (a pair made
 * per edit would give each its own, and the object literal with accessors a slow dictionary of properties).
 */
const NEW_TEXT: PropertyDescriptor = {
  get(this: LazyState): string {
    const state = this[STATE];
    if (typeof state === 'string') {
      return state;
    }
    const text = state() ?? '';
    this[STATE] = text;
    return text;
  },
  set(this: LazyState, value: string): void {
    this[STATE] = value;
  },
  enumerable: true,
  configurable: true,
};

/** `edit` with a `newText` property (own and enumerable, as a written one) rendered on first read. */
function withLazyText<T extends object>(edit: T, render: () => string): T & { newText: string } {
  Object.defineProperty(edit, STATE, { value: render, writable: true });
  return Object.defineProperty(edit, 'newText', NEW_TEXT) as T & { newText: string };
}

/** An edit of a span whose `newText` is rendered on first read. */
export function lazyEdit(span: Span, render: () => string): { span: Span; newText: string } {
  return withLazyText({ span }, render);
}

/** An edit of a span of a file whose `newText` is rendered on first read. */
export function lazyFileEdit(file: string, span: Span, render: () => string): { file: string; span: Span; newText: string } {
  return withLazyText({ file, span }, render);
}

/** Whether an edit's text is rendered on read (by {@link lazyEdit} or {@link lazyFileEdit}). */
function isLazy(edit: { newText: string }): boolean {
  return Object.prototype.hasOwnProperty.call(edit, STATE);
}

/**
 * `{ file, ...edit }` for an edit of one file, or `{ ...edit, span }` with `span` given: without reading a lazy edit's
 * text (the copy reads the original's, so it is written once however many copies read it).
 */
export function fileEdit(file: string, edit: { span: Span; newText: string }, span: Span = edit.span): { file: string; span: Span; newText: string } {
  return isLazy(edit) ? lazyFileEdit(file, span, () => edit.newText) : { file, ...edit, span };
}
