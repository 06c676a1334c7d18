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

/** A text written on first read; once written it is kept and `render` (with what it holds on to) is let go. */
class Deferred {
  private text: string | undefined;

  constructor(private render: (() => string) | undefined) {}

  get(): string {
    if (this.text === undefined) {
      this.text = this.render?.() ?? '';
      this.render = undefined;
    }
    return this.text;
  }

  set(text: string): void {
    this.text = text;
    this.render = undefined;
  }
}

/** `edit` with a `newText` property (own and enumerable, as a written one) rendered on first read. */
function withLazyText<T extends object>(edit: T, render: () => string): T & { newText: string } {
  const text = new Deferred(render);
  return Object.defineProperty(edit, 'newText', {
    get: () => text.get(),
    set: (value: string) => text.set(value),
    enumerable: true,
    configurable: true,
  }) as T & { newText: string };
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
  return Object.getOwnPropertyDescriptor(edit, 'newText')?.get !== undefined;
}

/**
 * `{ file, ...edit }` for an edit of one file, or `{ ...edit, span }` with `span` given: without reading a lazy edit's
 * text (the copy reads the original's, so it is written once however many copies read it).
 */
export function fileEdit(file: string, edit: { span: Span; newText: string }, span: Span = edit.span): { file: string; span: Span; newText: string } {
  return isLazy(edit) ? lazyFileEdit(file, span, () => edit.newText) : { file, ...edit, span };
}
