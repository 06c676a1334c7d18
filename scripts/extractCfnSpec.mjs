// Extracts from AWS's CloudFormation resource specification (@aws-cdk/aws-service-spec's db.json.gz, a development
// dependency) only what the language server needs: per resource type the first paragraph of its documentation, per
// nested property type its name, and per property its documentation, type, whether it is required and what replaces it. One
// JSON shard per namespace (`AWS::S3` -> dist/cfn-spec/AWS_S3.json), which the server reads the first time a
// template uses that namespace (server/src/engine/cfnSpec.ts defines the format).
//
// The whole database is 15 MB of JSON and takes over a second and 130 MB to load; a shard is a few KB.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'cfn-spec');
const require = createRequire(import.meta.url);

/** The format version of the shards; bump it when the shape below changes (the server checks it). */
const FORMAT = 1;
/** The longest documentation text kept for one entry, in characters (the first paragraph, cut at a sentence). */
const MAX_DOC = 600;

let specPackage;
try {
  specPackage = require.resolve('@aws-cdk/aws-service-spec/package.json');
} catch {
  // A checkout whose node_modules predates the dependency still builds; the server then documents no type.
  console.warn('cfn-spec: @aws-cdk/aws-service-spec is not installed (run npm install); built without AWS\'s resource specification');
  process.exit(0);
}
const specVersion = JSON.parse(readFileSync(specPackage, 'utf8')).version;
const dbPath = join(dirname(specPackage), 'db.json.gz');
const stampPath = join(outDir, 'stamp.json');
const stamp = JSON.stringify({ format: FORMAT, spec: specVersion, script: createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16) });
if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
  console.log(`cfn-spec: up to date (@aws-cdk/aws-service-spec ${specVersion})`);
  process.exit(0);
}

const db = JSON.parse(gunzipSync(readFileSync(dbPath)).toString('utf8')).schema;
const typeById = new Map(db.typeDefinition.entities.map((t) => [t.$id, t]));

/** The first paragraph of a documentation text, shortened at a sentence end to about MAX_DOC characters. */
function firstParagraph(text) {
  if (typeof text !== 'string') {
    return undefined;
  }
  const paragraph = text.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
  if (paragraph.length <= MAX_DOC) {
    return paragraph || undefined;
  }
  const sentences = paragraph.match(/.+?[.!?]+(?=\s|$)\s*/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    if (out.length + sentence.length > MAX_DOC) {
      break;
    }
    out += sentence;
  }
  return (out.trim() || `${paragraph.slice(0, MAX_DOC - 1)}…`).trim();
}

/**
 * A property's type for people (`String`, `List of Tag`, `Map of String`, `BucketEncryption`) and, when its value
 * holds objects of a nested property type, that type's id and how it holds them (`object`, `list`, `map`).
 */
function describeType(type) {
  switch (type.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'json':
      return { text: type.type === 'json' ? 'Json' : type.type[0].toUpperCase() + type.type.slice(1) };
    case 'date-time':
      return { text: 'Timestamp' };
    case 'null':
      return { text: 'Null' };
    case 'tag':
      return { text: 'Tag' };
    case 'ref': {
      const target = typeById.get(type.reference.$ref);
      return { text: target?.name ?? 'Object', nested: target ? target.$id : undefined, shape: 'object' };
    }
    case 'array':
    case 'map': {
      const inner = describeType(type.element);
      const shape = inner.nested !== undefined && inner.shape === 'object' ? (type.type === 'array' ? 'list' : 'map') : undefined;
      return { text: `${type.type === 'array' ? 'List' : 'Map'} of ${inner.text}`, ...(shape ? { nested: inner.nested, shape } : {}) };
    }
    case 'union':
      // A union is checked by no one: its object branch (if any) cannot be told from the others without values.
      return { text: type.types.map((t) => describeType(t).text).join(' | ') };
    default:
      return { text: String(type.type) };
  }
}

const shards = new Map();
const shardOf = (namespace) => {
  if (!shards.has(namespace)) {
    shards.set(namespace, { format: FORMAT, spec: specVersion, namespace, resources: {}, types: {} });
  }
  return shards.get(namespace);
};

/** The compact form of a set of properties; nested property types are added to the shard under `owner.Name` keys. */
function lowerProperties(properties, shard, owner, pending) {
  const out = {};
  for (const [name, property] of Object.entries(properties ?? {})) {
    const { text, nested, shape } = describeType(property.type);
    const entry = { type: text };
    const doc = firstParagraph(property.documentation);
    if (doc) {
      entry.doc = doc;
    }
    if (property.required) {
      entry.required = true;
    }
    if (property.causesReplacement === 'yes' || property.causesReplacement === 'maybe') {
      entry.replaces = property.causesReplacement;
    }
    if (property.deprecated) {
      entry.deprecated = true;
    }
    if (nested !== undefined) {
      const target = typeById.get(nested);
      const key = `${owner}.${target.name}`;
      entry.nested = key;
      entry.shape = shape;
      pending.push({ key, target });
    }
    out[name] = entry;
  }
  return out;
}

let resourceCount = 0;
let typeCount = 0;
for (const resource of db.resource.entities) {
  const cfnType = resource.cloudFormationType;
  const parts = cfnType.split('::');
  if (parts.length !== 3) {
    continue;
  }
  const shard = shardOf(`${parts[0]}::${parts[1]}`);
  const pending = [];
  shard.resources[cfnType] = {
    ...(firstParagraph(resource.documentation) ? { doc: firstParagraph(resource.documentation) } : {}),
    properties: lowerProperties(resource.properties, shard, cfnType, pending),
  };
  resourceCount++;
  while (pending.length > 0) {
    const { key, target } = pending.pop();
    if (shard.types[key]) {
      continue;
    }
    shard.types[key] = {}; // placeholder first, so a recursive type ends
    // A property type's own documentation repeats the documentation of the property that holds it: not kept.
    shard.types[key] = { name: target.name, properties: lowerProperties(target.properties, shard, cfnType, pending) };
    typeCount++;
  }
}

if (existsSync(outDir)) {
  for (const name of readdirSync(outDir)) {
    rmSync(join(outDir, name));
  }
}
mkdirSync(outDir, { recursive: true });
let bytes = 0;
for (const [namespace, shard] of shards) {
  const text = JSON.stringify(shard);
  bytes += text.length;
  writeFileSync(join(outDir, `${namespace.replace(/::/g, '_')}.json`), text);
}
writeFileSync(stampPath, stamp);
console.log(
  `cfn-spec: ${shards.size} namespaces, ${resourceCount} resource types, ${typeCount} property types, ${(bytes / 1e6).toFixed(1)} MB (@aws-cdk/aws-service-spec ${specVersion})`,
);
