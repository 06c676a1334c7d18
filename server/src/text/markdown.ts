/**
 * Escaping of text for the Markdown that hovers, rule pages and the Responsibility Matrix write: a table cell keeps
 * its row (no pipe or line break ends it early), and prose shows characters literally.
 */

/** Text safe inside a Markdown table cell: pipes escaped, line breaks as spaces. */
export function escapeTableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Text shown literally in Markdown prose and table cells: every character Markdown would read as syntax escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
