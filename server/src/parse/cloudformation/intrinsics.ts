/**
 * CloudFormation's intrinsic functions in YAML short form (`!Ref`, `!GetAtt`, `!Sub`, …) and their normalization to
 * the long form that JSON templates use (`{ "Ref": … }`, `{ "Fn::GetAtt": [ … ] }`), so that everything after parsing
 * sees one shape. See the CloudFormation User Guide, "Intrinsic function reference".
 */
import type { Span } from '../../text/span';
import type { CfnMapping, CfnNode, CfnScalar, CfnSequence } from './syntax';

/** Every short-form tag CloudFormation (and its language extensions and Rules section) accepts, with its long form. */
export const SHORT_FORM_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!ValueOf': 'Fn::ValueOf',
  '!ValueOfAll': 'Fn::ValueOfAll',
  '!GetStackOutput': 'Fn::GetStackOutput',
};

/** Whether a mapping key names an intrinsic function in long form (`Ref`, `Fn::…`); `Condition` is contextual. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

/**
 * Normalizes a node written with a short-form tag into its long form: a one-pair mapping whose key is the function's
 * name (its span is the tag's) and whose value is the argument. `!GetAtt Res.Attr` (the dotted string form) becomes
 * `{ Fn::GetAtt: [Res, Attr] }`, split at the first dot as CloudFormation does (`Endpoint.Address` stays whole).
 * Returns the node unchanged for tags that are not CloudFormation's.
 */
export function normalizeShortForm(tag: string, tagSpan: Span, node: CfnNode): CfnNode {
  const name = SHORT_FORM_TAGS[tag];
  if (name === undefined) {
    return node;
  }
  let argument: CfnNode = node;
  if (name === 'Fn::GetAtt' && node.kind === 'scalar' && typeof node.value === 'string') {
    argument = splitGetAtt(node);
  }
  const span = { start: Math.min(tagSpan.start, node.span.start), end: Math.max(tagSpan.end, node.span.end) };
  const mapping: CfnMapping = {
    kind: 'mapping',
    style: 'flow',
    pairs: [{ key: name, keySpan: tagSpan, span, value: argument }],
    span,
    shortForm: tag,
    ...(node.isAliased ? { isAliased: true } : {}),
  };
  return mapping;
}

/** Splits the dotted string form of `!GetAtt` into a two-item sequence with a span for each part. */
function splitGetAtt(node: CfnScalar): CfnSequence | CfnScalar {
  const value = node.value as string;
  const dot = value.indexOf('.');
  if (dot <= 0) {
    return node;
  }
  // Plain and quoted scalars map characters to source one to one only when nothing is escaped; otherwise the parts
  // share the scalar's span.
  const contentStart = node.style === 'plain' ? node.span.start : node.span.start + 1;
  const isExact = node.span.end - node.span.start === value.length + (node.style === 'plain' ? 0 : 2);
  const partSpan = (from: number, to: number): Span =>
    isExact ? { start: contentStart + from, end: contentStart + to } : { ...node.span };
  const first: CfnScalar = { kind: 'scalar', value: value.slice(0, dot), style: node.style, span: partSpan(0, dot) };
  const second: CfnScalar = {
    kind: 'scalar',
    value: value.slice(dot + 1),
    style: node.style,
    span: partSpan(dot + 1, value.length),
  };
  return { kind: 'sequence', style: 'flow', items: [first, second], span: { ...node.span } };
}
