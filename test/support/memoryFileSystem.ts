/**
 * An in-memory FileSystem for tests: absolute POSIX paths to texts.
 */
import * as path from 'node:path';
import type { FileSystem } from '../../server/src/model/fileSystem';

/** Builds a FileSystem holding exactly the given files. */
export function memoryFileSystem(files: Record<string, string>): FileSystem {
  const normalized = new Map(Object.entries(files).map(([p, t]) => [path.resolve(p), t]));
  return {
    readFile: (p) => normalized.get(path.resolve(p)),
    readDirectory: (dir) => {
      const root = path.resolve(dir);
      const names = new Map<string, boolean>();
      for (const p of normalized.keys()) {
        if (p.startsWith(root + path.sep)) {
          const rest = p.slice(root.length + 1).split(path.sep);
          names.set(rest[0]!, rest.length > 1);
        }
      }
      return names.size === 0 ? undefined : [...names].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}
