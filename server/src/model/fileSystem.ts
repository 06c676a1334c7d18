/**
 * The read-only file access the model needs to load a Terraform module's sibling files, tfvars and local modules.
 * The CLI passes the disk; the language server passes the disk overlaid with the editor's open documents.
 */
export interface FileSystem {
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** The names (not paths) of the entries of a folder, or undefined when it cannot be read. */
  readDirectory(path: string): { name: string; isDirectory: boolean }[] | undefined;
}
