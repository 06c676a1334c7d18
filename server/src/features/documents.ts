/**
 * Which open documents Onus analyses, and how their URIs map to the file paths the engine works with.
 *
 * Invariant: only `terraform`, `terraform-vars` and `bicep` documents, `json` documents named `*.tf.json`, and
 * `yaml`/`json` documents whose content is a CloudFormation template are analysed; every other document (Kubernetes manifests,
 * CI pipelines, package.json …) gets no diagnostics at all, not even an empty publication.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCloudFormationTemplate } from '../model/cloudformation/detect';

/** What Onus does with a document: which analysis it belongs to and what it publishes for it. */
export type DocumentKind =
  /** A `.tf` file: part of its folder's Terraform module; findings and syntax errors. */
  | 'terraform'
  /** A `.tfvars` file: syntax errors only (its values still feed the module's analysis). */
  | 'terraform-vars'
  /** A `.tf.json` file: part of its folder's Terraform module, like a `.tf` file. */
  | 'terraform-json'
  /** A YAML or JSON CloudFormation template (recognised by its content): a unit by itself. */
  | 'cloudformation'
  /** A Bicep file: a unit by itself (with the local modules it calls). */
  | 'bicep'
  /** Anything else: ignored. */
  | 'unsupported';

/** The default of `onus.maxFileSize`: files larger than this many bytes are not analysed. */
export const MAX_FILE_SIZE = 2 * 1024 * 1024;

let maxFileSize = MAX_FILE_SIZE;

/** The size in bytes above which a file is not analysed (an open one gets a single information diagnostic). */
export function fileSizeLimit(): number {
  return maxFileSize;
}

/** Sets the limit from the `onus.maxFileSize` setting (bytes); the server applies it before each analysis. */
export function setFileSizeLimit(bytes: number): void {
  maxFileSize = bytes;
}

/** The folder that holds the virtual paths of documents without a file (untitled editors). */
const VIRTUAL_ROOT = path.join(path.parse(process.cwd()).root, '__onus_virtual__');

/**
 * Classifies a document by its language id, its file name and, for YAML and JSON, its content (`text`; without it a
 * YAML or JSON document that is not `.tf.json` is unsupported).
 */
export function documentKindOf(languageId: string, uri: string, text?: string): DocumentKind {
  const lowerUri = stripQuery(uri.toLowerCase());
  switch (languageId) {
    case 'terraform':
      return lowerUri.endsWith('.tf.json') ? 'terraform-json' : 'terraform';
    case 'terraform-vars':
      return 'terraform-vars';
    case 'json':
    case 'jsonc':
      if (lowerUri.endsWith('.tf.json')) {
        return 'terraform-json';
      }
      return text !== undefined && isCloudFormationTemplate(uri, text) ? 'cloudformation' : 'unsupported';
    case 'bicep':
      return 'bicep';
    case 'yaml':
    case 'cloudformation':
      return text !== undefined && isCloudFormationTemplate(uri, text) ? 'cloudformation' : 'unsupported';
    default:
      return 'unsupported';
  }
}

/** Whether a document of this kind is a unit by itself rather than a file of its folder's module. */
export function isOwnUnit(kind: DocumentKind): boolean {
  return kind === 'terraform-vars' || kind === 'cloudformation' || kind === 'bicep';
}

/** Whether a document's kind takes part in analysis. */
export function isAnalysed(kind: DocumentKind): boolean {
  return kind !== 'unsupported';
}

/**
 * The path the engine sees for a document: the file's path for `file:` URIs, and for untitled editors a path in a
 * virtual folder of its own (so each untitled document is a module by itself). Other schemes are not analysed.
 */
export function pathOfUri(uri: string, kind: DocumentKind): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (uri.startsWith('untitled:')) {
    const name =
      kind === 'terraform-vars'
        ? 'untitled.tfvars'
        : kind === 'terraform-json'
          ? 'untitled.tf.json'
          : kind === 'cloudformation'
            ? 'untitled.template'
            : kind === 'bicep'
              ? 'untitled.bicep'
              : 'untitled.tf';
    return path.join(VIRTUAL_ROOT, encodeURIComponent(uri), name);
  }
  return undefined;
}

/** The `file:` URI of a path that no open document names (for fix edits to closed files). */
export function uriOfPath(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** The size in bytes of a text as UTF-8, computed only when it could exceed the limit. */
export function isTooLarge(text: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short texts need no exact count.
  const limit = maxFileSize;
  return text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit);
}

function stripQuery(uri: string): string {
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : uri.slice(0, cut);
}
