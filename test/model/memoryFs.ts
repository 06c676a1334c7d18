/**
 * An in-memory {@link FileSystem} for model tests: files are given as a path → text record with POSIX paths, and
 * folders are implied by the paths.
 */
import * as path from 'path';
import type { FileSystem } from '../../server/src/model/fileSystem';

/** A read-only file system over a fixed set of files. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  /** Paths whose reads fail, to simulate unreadable files. */
  readonly unreadable = new Set<string>();

  /** Creates the file system from `files` (keys are POSIX paths, normalized). */
  constructor(files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) {
      this.files.set(path.posix.normalize(name), text);
    }
  }

  /** The text of the file at `file`, or undefined when there is none (or it is marked unreadable). */
  readFile(file: string): string | undefined {
    const key = path.posix.normalize(file);
    return this.unreadable.has(key) ? undefined : this.files.get(key);
  }

  /** The entries directly inside `dir`, or undefined when no file lies under it. */
  readDirectory(dir: string): { name: string; isDirectory: boolean }[] | undefined {
    const prefix = path.posix.normalize(dir).replace(/\/$/, '');
    const entries = new Map<string, boolean>();
    for (const file of this.files.keys()) {
      const relative = prefix === '.' ? file : file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : undefined;
      if (relative === undefined || relative.startsWith('../')) {
        continue;
      }
      const [first, ...rest] = relative.split('/');
      if (first !== undefined) {
        entries.set(first, (entries.get(first) ?? false) || rest.length > 0);
      }
    }
    return entries.size === 0 ? undefined : [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
  }
}
