/**
 * The real-world corpus (`$ONUS_CORPUS/realworld`, default `../shared/corpus` beside the repository) as the
 * benchmarks read it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The corpus folder. */
export function corpusRoot(): string {
  return path.resolve(process.env.ONUS_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'));
}

/** The real-world folder of the corpus, or undefined when it is missing. */
export function realworldRoot(): string | undefined {
  const folder = path.join(corpusRoot(), 'realworld');
  return fs.existsSync(folder) ? folder : undefined;
}

/** Every file under `folder` whose name passes `accept`, sorted, skipping `.git`, `.terraform` and `node_modules`. */
export function listFiles(folder: string, accept: (name: string) => boolean, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!['.git', '.terraform', 'node_modules'].includes(entry.name)) {
        listFiles(full, accept, out);
      }
    } else if (entry.isFile() && accept(entry.name)) {
      out.push(full);
    }
  }
  return out;
}
