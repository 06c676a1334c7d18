/**
 * Unknown property names in CloudFormation `Properties`: a misspelled property does not apply (CloudFormation rejects
 * the template, or a transform drops it), which silently leaves a setting at its default. Each key of a resource's
 * `Properties`, and of the nested property types the specification knows, is looked up in AWS's resource
 * specification ({@link CfnSpec}); a name it does not know is reported with the nearest known names as fixes.
 *
 * Nothing is reported where the specification cannot say: custom resources, types it does not list (third-party
 * registry types, types newer than it), SAM's `AWS::Serverless::*` (the specification's SAM part lags behind SAM,
 * e.g. it lacks `SnapStart`), values written as intrinsic functions, `Json` properties (policy documents), unions,
 * mappings that did not come from the resource's own text (SAM `Globals`, `Fn::FindInMap`), and templates that a
 * macro rewrites before CloudFormation reads them (a `Transform` other than SAM's and `AWS::LanguageExtensions`, or
 * the `rain` tool's `!Rain::` directives).
 */
import type { Entry, Model, ModelFile, ObjectValue, Resource, Value } from '../model/types';
import { Span } from '../text/span';
import { specDocsUrl, type CfnSpec, type SpecTypeRef } from './cfnSpec';
import { nearestNames } from './editDistance';
import type { MetaRuleId } from './metaRules';
import type { TextEdit } from './types';

/** The diagnostic code of an unknown property name. */
export const UNKNOWN_PROPERTY_CODE = 'onus-cfn-unknown-property' satisfies MetaRuleId;

/** A property name the specification does not know, with its replacements. */
export interface UnknownProperty {
  file: string;
  /** The key's span (for a quoted key, its quotes included). */
  span: Span;
  name: string;
  /** The logical id of the resource it is in. */
  resource: string;
  resourceType: string;
  /** The nested property type's name, or undefined at the top of `Properties`. */
  typeName: string | undefined;
  message: string;
  /** The AWS documentation page of the type that should hold the property. */
  docsUrl: string;
  /** One fix per nearest known name: the key renamed, quotes and style kept. */
  fixes: { title: string; name: string; edits: TextEdit[] }[];
}

/** The deepest nesting checked (property types can be recursive). */
const MAX_DEPTH = 24;

/**
 * Every unknown property name in the CloudFormation resources of `model`, in source order. `textOf` gives a file's
 * text (to rename a quoted key inside its quotes).
 */
export function findUnknownProperties(model: Model, spec: CfnSpec, textOf: (file: string) => string | undefined): UnknownProperty[] {
  const out: UnknownProperty[] = [];
  const rewritten = new Set(model.files.filter((f) => isRewrittenByMacro(f, textOf(f.path))).map((f) => f.path));
  for (const resource of model.resources) {
    if (resource.format !== 'cloudformation' || !isCheckedType(resource.type) || rewritten.has(resource.file)) {
      continue;
    }
    const root = spec.resource(resource.type);
    if (!root) {
      continue;
    }
    checkObject(resource.body, root, resource, spec, textOf, out, 0);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
}

/** The transforms that keep a resource's properties as CloudFormation reads them. */
const PLAIN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

/** Whether a macro rewrites a template before CloudFormation reads it, so its properties may be the macro's own. */
function isRewrittenByMacro(file: ModelFile, text: string | undefined): boolean {
  return (file.transforms ?? []).some((t) => !PLAIN_TRANSFORMS.has(t)) || (text !== undefined && /!Rain::/.test(text));
}

/** Whether a resource type's properties are checked at all (see the module comment). */
function isCheckedType(type: string): boolean {
  return type.startsWith('AWS::') && !type.startsWith('AWS::Serverless::') && type !== 'AWS::CloudFormation::CustomResource';
}

function checkObject(
  object: ObjectValue,
  owner: SpecTypeRef,
  resource: Resource,
  spec: CfnSpec,
  textOf: (file: string) => string | undefined,
  out: UnknownProperty[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    return;
  }
  const properties = owner.type.properties;
  for (const entry of object.entries) {
    if (!isOwnText(entry, resource) || entry.key.startsWith('Fn::') || entry.key === 'Ref' || entry.key === '<<') {
      continue;
    }
    const property = Object.prototype.hasOwnProperty.call(properties, entry.key) ? properties[entry.key] : undefined;
    if (!property) {
      out.push(unknown(entry, owner, resource, Object.keys(properties), textOf));
      continue;
    }
    if (property.nested === undefined) {
      continue;
    }
    const nested = spec.nested(owner.resourceType, property.nested);
    if (!nested) {
      continue;
    }
    for (const child of objectsOf(entry.value, property.shape)) {
      checkObject(child, nested, resource, spec, textOf, out, depth + 1);
    }
  }
}

/** The objects of a value that hold the nested type: the value itself, a list's items, or a map's values. */
function objectsOf(value: Value, shape: 'object' | 'list' | 'map' | undefined): ObjectValue[] {
  switch (shape) {
    case 'object':
      return value.kind === 'object' ? [value] : [];
    case 'list':
      return value.kind === 'array' ? value.items.filter((i): i is ObjectValue => i.kind === 'object') : [];
    case 'map':
      return value.kind === 'object' ? value.entries.map((e) => e.value).filter((v): v is ObjectValue => v.kind === 'object') : [];
    case undefined:
      return [];
  }
}

/** Whether an entry is written inside the resource itself (not merged in from `Globals` or a mapping). */
function isOwnText(entry: Entry, resource: Resource): boolean {
  return entry.value.file === resource.file && Span.contains(resource.span, entry.keySpan.start) && entry.keySpan.end <= resource.span.end;
}

function unknown(
  entry: Entry,
  owner: SpecTypeRef,
  resource: Resource,
  known: string[],
  textOf: (file: string) => string | undefined,
): UnknownProperty {
  const suggestions = nearestNames(entry.key, known);
  const where = owner.key === undefined ? resource.type : `${owner.type.name ?? 'this property type'} (${resource.type})`;
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
  const text = textOf(resource.file);
  return {
    file: resource.file,
    span: entry.keySpan,
    name: entry.key,
    resource: resource.address,
    resourceType: resource.type,
    typeName: owner.key === undefined ? undefined : owner.type.name,
    message: `Unknown property "${entry.key}" for ${where}${hint}`,
    docsUrl: specDocsUrl(owner),
    fixes: suggestions.map((name) => ({
      title: `Change to "${name}"`,
      name,
      edits: [{ file: resource.file, span: innerKeySpan(entry.keySpan, text), newText: name }],
    })),
  };
}

/** A key's span without its quotes, when it is quoted. */
function innerKeySpan(span: Span, text: string | undefined): Span {
  const first = text?.[span.start];
  const last = text?.[span.end - 1];
  if (text !== undefined && span.end - span.start >= 2 && (first === '"' || first === "'") && last === first) {
    return { start: span.start + 1, end: span.end - 1 };
  }
  return span;
}
