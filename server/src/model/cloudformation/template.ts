/**
 * Lowers one CloudFormation template (YAML or JSON, plain or SAM) into the language-neutral model: one resource per
 * entry of `Resources`, whose body is its evaluated `Properties` (rule paths are relative to them), with SAM `Globals`
 * merged in, the template's syntax diagnostics, and the suppressions its resources declare in `Metadata`.
 */
import { CfnNode, parseCloudFormation, type CfnMapping, type CfnPair } from '../../parse/cloudformation';
import type { Span } from '../../text/span';
import { MAX_TEMPLATE_LENGTH } from '../evaluationLimits';
import type { Entry, Model, ModelDiagnostic, ObjectValue, Resource } from '../types';
import { NO_VALUE, TemplateEvaluator, blockInfoOf, type ParameterInfo } from './evaluate';
import { cfnLintIgnores, lowerMetadataSuppressions } from './metadata';

/** SAM `Globals` sections and the resource types each applies to. */
const GLOBALS_SECTIONS: Readonly<Record<string, string>> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
  CapacityProvider: 'AWS::Serverless::CapacityProvider',
};

/** The pairs of a mapping with the last of duplicate keys kept, in source order. */
function lastPairs(node: CfnNode | undefined): CfnPair[] {
  if (node?.kind !== 'mapping' || node.shortForm !== undefined) {
    return [];
  }
  const last = new Map<string, CfnPair>();
  for (const pair of node.pairs) {
    last.set(pair.key, pair);
  }
  return node.pairs.filter((p) => last.get(p.key) === p);
}

/**
 * Lowers a CloudFormation template into a model: `files` holds the template with its syntax diagnostics (YAML and
 * JSON errors; duplicate keys as warnings), `resources` one resource per entry of `Resources`. Never throws.
 */
export function lowerCloudFormationTemplate(file: string, text: string): Model {
  if (text.length > MAX_TEMPLATE_LENGTH) {
    // As for Terraform and Bicep files: a template this large is generated, and reading it would take minutes.
    const diagnostic: ModelDiagnostic = {
      file,
      span: { start: 0, end: 0 },
      message: `The file is larger than ${MAX_TEMPLATE_LENGTH / 1024 / 1024} MB and is not analysed`,
      severity: 'info',
      code: 'file-too-large',
    };
    return { files: [{ path: file, text, format: 'cloudformation', diagnostics: [diagnostic] }], resources: [], notes: [] };
  }
  const parsed = parseCloudFormation(file, text);
  const diagnostics: ModelDiagnostic[] = parsed.diagnostics.map((d) => ({ file, ...d }));
  const model: Model = { files: [{ path: file, text, format: 'cloudformation', diagnostics }], resources: [], notes: [] };
  for (const root of parsed.documents) {
    if (root.kind !== 'mapping') {
      diagnostics.push({
        file,
        span: root.span,
        message: 'A CloudFormation template is a mapping of sections',
        severity: 'error',
        code: 'cfn-not-a-mapping',
      });
      continue;
    }
    const transforms = transformNames(CfnNode.get(root, 'Transform'));
    if (transforms.length > 0) {
      model.files[0]!.transforms = [...(model.files[0]!.transforms ?? []), ...transforms];
    }
    lowerDocument(file, root, model);
  }
  return model;
}

/** The names a top-level `Transform` gives: a string, or a list of strings (a macro with parameters by its `Name`). */
function transformNames(node: CfnNode | undefined): string[] {
  const items = node?.kind === 'sequence' ? node.items : node ? [node] : [];
  return items.flatMap((item) => {
    const name = CfnNode.text(item) ?? CfnNode.text(CfnNode.get(item, 'Name'));
    return name === undefined ? [] : [name];
  });
}

/** Lowers the resources of one template document into `model`, evaluating within that document. */
function lowerDocument(file: string, root: CfnMapping, model: Model): void {
  const resourcePairs = lastPairs(CfnNode.get(root, 'Resources'));
  const parameters = new Map<string, ParameterInfo>();
  for (const pair of lastPairs(CfnNode.get(root, 'Parameters'))) {
    parameters.set(pair.key, { type: CfnNode.text(CfnNode.get(pair.value, 'Type')), default: CfnNode.get(pair.value, 'Default') });
  }
  const conditions = new Map<string, CfnNode>(lastPairs(CfnNode.get(root, 'Conditions')).map((p) => [p.key, p.value]));
  const evaluator = new TemplateEvaluator({
    file,
    parameters,
    mappings: CfnNode.get(root, 'Mappings'),
    conditions,
    resources: new Set(resourcePairs.map((p) => p.key)),
  });
  const globals = lowerGlobals(CfnNode.get(root, 'Globals'), evaluator);
  const templateIgnores = cfnLintIgnores(CfnNode.get(root, 'Metadata'));
  for (const pair of resourcePairs) {
    const resource = lowerResource(pair, evaluator, globals, model.notes);
    if (resource) {
      if (templateIgnores.length > 0) {
        resource.peerSuppressions = [...(resource.peerSuppressions ?? []), ...templateIgnores];
      }
      model.resources.push(resource);
    }
  }
}

/** Lowers each SAM `Globals` section to an object of resolved values, by the resource type it applies to. */
function lowerGlobals(node: CfnNode | undefined, evaluator: TemplateEvaluator): Map<string, ObjectValue> {
  const out = new Map<string, ObjectValue>();
  for (const pair of lastPairs(node)) {
    const type = GLOBALS_SECTIONS[pair.key];
    if (type === undefined || pair.value.kind !== 'mapping') {
      continue;
    }
    const value = evaluator.lower(pair.value, 'resolved', pair.keySpan);
    if (value !== NO_VALUE && value.kind === 'object') {
      out.set(type, value);
    }
  }
  return out;
}

/** Lowers one entry of `Resources`; undefined when it is not a resource or its `Properties` cannot be known. */
function lowerResource(
  pair: CfnPair,
  evaluator: TemplateEvaluator,
  globals: ReadonlyMap<string, ObjectValue>,
  notes: ModelDiagnostic[],
): Resource | undefined {
  const file = evaluator.scope.file;
  const node = pair.value;
  if (node.kind !== 'mapping' || node.shortForm !== undefined) {
    if (pair.key.startsWith('Fn::ForEach::')) {
      notes.push({
        file,
        span: pair.keySpan,
        message: 'Resources made by Fn::ForEach are not checked',
        severity: 'info',
        code: 'cfn-foreach',
      });
    }
    return undefined;
  }
  const typeNode = CfnNode.get(node, 'Type');
  const type = CfnNode.text(typeNode);
  if (type === undefined || typeNode === undefined) {
    return undefined;
  }
  const body = lowerProperties(pair, node, evaluator);
  if (body === undefined) {
    notes.push({
      file,
      span: pair.keySpan,
      message: `The properties of "${pair.key}" cannot be known before deployment; it is not checked`,
      severity: 'info',
      code: 'cfn-properties-unknown',
    });
    return undefined;
  }
  const global = globals.get(type);
  const merged = global ? mergeGlobals(body, global) : body;
  const resource: Resource = {
    format: 'cloudformation',
    kind: 'resource',
    type,
    name: pair.key,
    address: pair.key,
    file,
    span: pair.span,
    body: merged,
    modulePath: [],
  };
  if (!typeNode.isAliased) {
    resource.typeSpan = typeNode.span;
  }
  if (merged.block && merged.block.headerSpan.start !== pair.keySpan.start) {
    // The body's header is the `Properties` key: a missing property points there, the resource itself here.
    resource.headerSpan = pair.keySpan;
  }
  const { declared, peer } = lowerMetadataSuppressions(CfnNode.get(node, 'Metadata'));
  if (declared.length > 0) {
    resource.declaredSuppressions = declared;
  }
  if (peer.length > 0) {
    resource.peerSuppressions = peer;
  }
  const condition = CfnNode.text(CfnNode.get(node, 'Condition'));
  if (condition !== undefined) {
    resource.deploymentNote = `when condition "${condition}"`;
  }
  return resource;
}

/**
 * A resource's body: its `Properties` evaluated, with the `Properties` key as the header when it holds a mapping (so
 * that a missing property points at the block that should hold it), else the logical id's key. Without `Properties`
 * (or with an empty one) the body is empty, and its block info lets the fix renderer add `Properties` to the resource.
 */
function lowerProperties(pair: CfnPair, node: CfnMapping, evaluator: TemplateEvaluator): ObjectValue | undefined {
  const file = evaluator.scope.file;
  const header = pair.keySpan;
  const properties = CfnNode.get(node, 'Properties');
  const empty = (at: Span, block: ObjectValue['block']): ObjectValue => ({
    kind: 'object',
    entries: [],
    span: at,
    file,
    provenance: 'explicit',
    ...(block ? { block } : {}),
  });
  if (properties === undefined) {
    // No Properties: the renderer finds the resource's own mapping by these spans and adds `Properties` to it.
    return empty({ start: node.span.start, end: node.span.start }, node.isAliased ? undefined : blockInfoOf(node, header));
  }
  if (properties.kind === 'scalar' && properties.value === null) {
    // `Properties:` with no value: the renderer finds this null by its offset and replaces it.
    const at = { start: properties.span.start, end: properties.span.start };
    return empty(at, { headerSpan: header, openSpan: at, closeSpan: at });
  }
  const value = evaluator.lower(properties, 'explicit', header);
  if (value === NO_VALUE) {
    return empty({ start: node.span.start, end: node.span.start }, node.isAliased ? undefined : blockInfoOf(node, header));
  }
  if (value.kind !== 'object') {
    return undefined;
  }
  if (value.block) {
    const key = node.pairs.filter((p) => p.key === 'Properties').pop()?.keySpan ?? header;
    value.block = { ...value.block, headerSpan: key };
  }
  return value;
}

/**
 * Merges a SAM `Globals` section into a resource's body as SAM does: the resource's own scalars win, mappings merge
 * key by key, and lists are concatenated (the globals' items first).
 */
function mergeGlobals(resource: ObjectValue, global: ObjectValue): ObjectValue {
  const entries: Entry[] = [...resource.entries];
  for (const g of global.entries) {
    const i = entries.findIndex((e) => e.key === g.key);
    const own = i < 0 ? undefined : entries[i];
    if (own === undefined) {
      entries.push(g);
    } else if (own.value.kind === 'object' && g.value.kind === 'object') {
      entries[i] = { ...own, value: mergeGlobals(own.value, g.value) };
    } else if (own.value.kind === 'array' && g.value.kind === 'array') {
      entries[i] = { ...own, value: { ...own.value, items: [...g.value.items, ...own.value.items] } };
    }
  }
  return { ...resource, entries };
}
