/**
 * AWS's CloudFormation resource specification as data: per resource type and nested property type, its
 * documentation and its properties (documentation, type, required, what replaces the resource). The build extracts
 * it from `@aws-cdk/aws-service-spec` into one JSON shard per namespace (`scripts/extractCfnSpec.mjs`); this module
 * reads a namespace's shard through a {@link ShardReader} the first time a template uses it, and keeps it.
 *
 * Invariant: no I/O of its own; the caller's reader does it, and a missing or unreadable shard means "unknown to
 * the specification", never an error.
 */

/** The shard format this module reads (`FORMAT` in scripts/extractCfnSpec.mjs). */
export const CFN_SPEC_FORMAT = 1;

/** One property of a resource type or property type. */
export interface SpecProperty {
  /** Its type for people: `String`, `List of Tag`, `BucketEncryption`, `Map of String`. */
  type: string;
  /** The first paragraph of AWS's documentation (markdown). */
  doc?: string;
  required?: boolean;
  /** `yes` when changing it replaces the resource, `maybe` when it may. */
  replaces?: 'yes' | 'maybe';
  deprecated?: boolean;
  /** The key of the nested property type its value holds, in the same shard. */
  nested?: string;
  /** How the value holds the nested type: one object, a list of them, or a map of names to them. */
  shape?: 'object' | 'list' | 'map';
}

/** A resource type or nested property type. */
export interface SpecType {
  /** The property type's own name (`BucketEncryption`); absent for resource types. */
  name?: string;
  /** The documentation's first paragraph (resource types only: a property type's repeats its property's). */
  doc?: string;
  properties: Record<string, SpecProperty>;
}

/** One namespace's shard. */
export interface SpecShard {
  format: number;
  /** The `@aws-cdk/aws-service-spec` version it was extracted from. */
  spec: string;
  namespace: string;
  resources: Record<string, SpecType>;
  /** Nested property types by key: `<resource type>.<name>` (`AWS::S3::Bucket.BucketEncryption`). */
  types: Record<string, SpecType>;
}

/** Reads a namespace's shard text (`AWS::S3` → the file `AWS_S3.json`); undefined when there is none. */
export type ShardReader = (fileName: string) => string | undefined;

/** A resource type or property type found in the specification, with where its documentation lives. */
export interface SpecTypeRef {
  /** The resource type it belongs to (`AWS::S3::Bucket`). */
  resourceType: string;
  /** The nested property type's key, or undefined for the resource type itself. */
  key?: string;
  type: SpecType;
}

/** The specification, read lazily per namespace. */
export class CfnSpec {
  private readonly shards = new Map<string, SpecShard | undefined>();

  constructor(private readonly read: ShardReader) {}

  /** The namespace of a resource type: its first two parts (`AWS::S3` of `AWS::S3::Bucket`), or undefined. */
  static namespaceOf(resourceType: string): string | undefined {
    const parts = resourceType.split('::');
    return parts.length === 3 && parts.every((p) => /^[A-Za-z0-9]+$/.test(p)) ? `${parts[0]}::${parts[1]}` : undefined;
  }

  /** How many namespaces have been read so far (for measurements). */
  get loadedCount(): number {
    return [...this.shards.values()].filter((s) => s !== undefined).length;
  }

  /** The resource type's specification, reading its namespace's shard on first use; undefined when unknown. */
  resource(resourceType: string): SpecTypeRef | undefined {
    const shard = this.shardFor(resourceType);
    const type = shard?.resources[resourceType];
    return type ? { resourceType, type } : undefined;
  }

  /** A nested property type of a resource type by its key; undefined when unknown. */
  nested(resourceType: string, key: string): SpecTypeRef | undefined {
    const type = this.shardFor(resourceType)?.types[key];
    return type ? { resourceType, key, type } : undefined;
  }

  /**
   * The type that holds the property at `path` below a resource's `Properties` (keys only; list indexes and map
   * names are skipped through the property's shape), with that property; undefined when the path leaves what the
   * specification knows.
   */
  propertyAt(resourceType: string, path: readonly string[]): { owner: SpecTypeRef; name: string; property: SpecProperty } | undefined {
    let owner = this.resource(resourceType);
    if (!owner || path.length === 0) {
      return undefined;
    }
    for (let i = 0; i < path.length; i++) {
      const name = path[i]!;
      const property: SpecProperty | undefined = Object.prototype.hasOwnProperty.call(owner.type.properties, name)
        ? owner.type.properties[name]
        : undefined;
      if (!property) {
        return undefined;
      }
      if (i === path.length - 1) {
        return { owner, name, property };
      }
      if (property.nested === undefined) {
        return undefined;
      }
      // A map's next key is a name the user chose; the key after it is the nested type's property.
      if (property.shape === 'map') {
        i++;
        if (i === path.length - 1) {
          return undefined;
        }
      }
      owner = this.nested(resourceType, property.nested);
      if (!owner) {
        return undefined;
      }
    }
    return undefined;
  }

  private shardFor(resourceType: string): SpecShard | undefined {
    const namespace = CfnSpec.namespaceOf(resourceType);
    if (namespace === undefined) {
      return undefined;
    }
    if (!this.shards.has(namespace)) {
      this.shards.set(namespace, this.load(namespace));
    }
    return this.shards.get(namespace);
  }

  private load(namespace: string): SpecShard | undefined {
    let text: string | undefined;
    try {
      text = this.read(`${namespace.replace(/::/g, '_')}.json`);
    } catch {
      return undefined;
    }
    if (text === undefined) {
      return undefined;
    }
    try {
      const shard = JSON.parse(text) as SpecShard;
      return shard.format === CFN_SPEC_FORMAT && shard.namespace === namespace ? shard : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The AWS documentation page of a resource type or property type, with the property's anchor when one is named. */
export function specDocsUrl(ref: SpecTypeRef, property?: string): string {
  const [vendor, service, resource] = ref.resourceType.split('::').map((p) => p.toLowerCase());
  if (vendor === 'aws' && service === 'serverless') {
    const base = `https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-${resource}.html`;
    return ref.key === undefined && property ? `${base}#sam-${resource}-${property.toLowerCase()}` : base;
  }
  const base = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';
  if (ref.key === undefined) {
    return `${base}aws-resource-${service}-${resource}.html${property ? `#cfn-${service}-${resource}-${property.toLowerCase()}` : ''}`;
  }
  const typeName = (ref.type.name ?? '').toLowerCase();
  return `${base}aws-properties-${service}-${resource}-${typeName}.html${property ? `#cfn-${service}-${resource}-${typeName}-${property.toLowerCase()}` : ''}`;
}
