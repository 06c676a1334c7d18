/**
 * The common prefix and suffix of two texts: where an edit turned one into the other. Compared a chunk at a time
 * (string equality of slices is much faster than a loop over character codes), then character by character.
 */

/** Characters compared at once. */
const CHUNK = 256;

/**
 * The length of the longest common prefix of `a` and `b`, and of the longest common suffix of what remains after it
 * (so the two never overlap: `prefix + suffix` is at most the shorter length).
 */
export function commonAffixes(a: string, b: string): { prefix: number; suffix: number } {
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix + CHUNK <= shorter && a.slice(prefix, prefix + CHUNK) === b.slice(prefix, prefix + CHUNK)) {
    prefix += CHUNK;
  }
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) {
    prefix++;
  }
  const most = shorter - prefix;
  let suffix = 0;
  while (
    suffix + CHUNK <= most &&
    a.slice(a.length - suffix - CHUNK, a.length - suffix) === b.slice(b.length - suffix - CHUNK, b.length - suffix)
  ) {
    suffix += CHUNK;
  }
  while (suffix < most && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) {
    suffix++;
  }
  return { prefix, suffix };
}
