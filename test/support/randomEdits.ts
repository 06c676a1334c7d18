/**
 * What the randomised suites share: the files of a folder by suffix, in a fixed order, seeded random integers, and
 * seeded random edits of a text (an insertion, deletion or replacement of one of a language's pieces at a random offset).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file under `folder` (recursively) whose name ends with `suffix`, sorted; none when the folder is absent. */
export function listFilesEndingWith(folder: string, suffix: string): string[] {
  const out: string[] = [];
  const pending = fs.existsSync(folder) ? [folder] : [];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        pending.push(full);
      } else if (entry.name.endsWith(suffix)) {
        out.push(full);
      }
    }
  }
  return out.sort();
}

/** One random edit of `text`: one of `pieces` inserted (half the time), or 1–6 characters deleted or replaced by one. */
export function randomEdit(text: string, random: () => number, pieces: readonly string[]): string {
  const at = Math.floor(random() * (text.length + 1));
  const piece = pieces[Math.floor(random() * pieces.length)] as string;
  const choice = random();
  if (choice < 0.5 || text.length === 0) {
    return text.slice(0, at) + piece + text.slice(at);
  }
  const length = 1 + Math.floor(random() * 6);
  return text.slice(0, at) + (choice < 0.75 ? '' : piece) + text.slice(at + length);
}

/** Seeded random integers in [0, n) from a small linear congruential generator: the same sequence on every run. */
export function seededInts(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}
