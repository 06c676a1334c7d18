/**
 * The {@link FileSystem} over the real disk, read-only.
 */
import * as fs from 'node:fs';
import type { FileSystem } from './fileSystem';

/** Files larger than this are treated as unreadable rather than loaded into memory. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Reads from the disk; never throws. */
export const diskFileSystem: FileSystem = {
  readFile(path: string): string | undefined {
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) {
        return undefined;
      }
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDirectory(path: string) {
    try {
      return fs.readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};
