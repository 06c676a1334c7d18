/**
 * A check that a rule's regular expression cannot backtrack catastrophically (JavaScript's engine backtracks, and a
 * rule's pattern runs on every value it looks at): a repeated group may not itself hold an unbounded quantifier.
 * Rule loading refuses a pattern that fails it, for the catalog and custom rules alike.
 */

/**
 * Why a pattern could backtrack catastrophically, or undefined: a group repeated without bound (`*`, `+`, `{n,}`)
 * or more than once that itself contains an unbounded quantifier (star height above 1).
 */
export function nestedQuantifier(pattern: string): string | undefined {
  // For each open group: whether an unbounded quantifier occurs inside it.
  const stack: boolean[] = [];
  let lastGroupHadUnbounded = false;
  let afterGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const quantifier = /^(\*|\+|\{\d*,\d*\}|\{\d+\})/.exec(pattern.slice(i))?.[0];
    if (c === '\\') {
      i++;
      afterGroup = false;
      continue;
    }
    if (c === '[') {
      // Skip a character class (a `]` right after `[` or `[^` is literal).
      let j = i + 1;
      if (pattern[j] === '^') {
        j++;
      }
      if (pattern[j] === ']') {
        j++;
      }
      while (j < pattern.length && pattern[j] !== ']') {
        j += pattern[j] === '\\' ? 2 : 1;
      }
      i = j;
      afterGroup = false;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      afterGroup = false;
      continue;
    }
    if (c === ')') {
      lastGroupHadUnbounded = stack.pop() ?? false;
      afterGroup = true;
      continue;
    }
    if (quantifier !== undefined) {
      const isUnbounded = quantifier === '*' || quantifier === '+' || /,\}$/.test(quantifier);
      const repeats = isUnbounded || /\{\d*,(\d+)\}/.exec(quantifier)?.[1] !== undefined || /\{(\d+)\}/.test(quantifier);
      if (afterGroup && lastGroupHadUnbounded && repeats && quantifier !== '{1}') {
        return `a group with an unbounded quantifier inside is repeated by ${quantifier}`;
      }
      if (isUnbounded || (afterGroup && lastGroupHadUnbounded)) {
        for (let k = 0; k < stack.length; k++) {
          stack[k] = stack[k] || isUnbounded || lastGroupHadUnbounded;
        }
      }
      i += quantifier.length - 1;
      afterGroup = false;
      continue;
    }
    afterGroup = false;
  }
  return undefined;
}
