/**
 * The glob patterns of `.onus.yaml`'s `exclude`, matched against paths relative to the configuration's folder with
 * `/` separators: `*` (any characters but `/`), `**` (any number of folders), `?`, `[abc]` / `[!abc]` and `{a,b}`.
 * A pattern without a `/` matches a name at any depth, and a pattern that matches a folder covers everything in it
 * (both as in `.gitignore`), so `legacy/**`, `legacy` and `**\/fixtures/**` all do what they say.
 */

const cache = new Map<string, RegExp>();

/** The regular expression a glob pattern stands for (anchored at both ends). */
export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) {
    return cached;
  }
  let glob = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (!glob.includes('/')) {
    glob = `**/${glob}`;
  }
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const isWholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
        if (isWholeSegment && glob[i + 2] === '/') {
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
      } else {
        let body = glob.slice(i + 1, close);
        const isNegated = body.startsWith('!') || body.startsWith('^');
        body = (isNegated ? body.slice(1) : body).replace(/\\/g, '\\\\');
        out += `[${isNegated ? '^/' : ''}${body}]`;
        i = close;
      }
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  out += ')'.repeat(braceDepth);
  let regex: RegExp;
  try {
    regex = new RegExp(`^${out}$`);
  } catch {
    // A pattern that is not a valid glob matches nothing rather than everything.
    regex = /(?!)/;
  }
  cache.set(pattern, regex);
  return regex;
}

/** Whether a relative path (with `/`), or one of the folders it is in, matches a glob pattern. */
export function matchesGlob(relativePath: string, pattern: string): boolean {
  const regex = globToRegExp(pattern);
  const parts = relativePath.split('/').filter((p) => p.length > 0 && p !== '.');
  for (let n = parts.length; n > 0; n--) {
    if (regex.test(parts.slice(0, n).join('/'))) {
      return true;
    }
  }
  return false;
}
