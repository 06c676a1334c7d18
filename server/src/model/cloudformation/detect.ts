/**
 * Decides by content whether a YAML or JSON document is a CloudFormation template, so that the server lints
 * templates and leaves every other YAML and JSON document (Kubernetes manifests, CI workflows, compose files,
 * `package.json`, Terraform JSON) alone.
 */
import { MAX_TEMPLATE_LENGTH } from '../evaluationLimits';
import { CfnNode, parseCloudFormation } from '../../parse/cloudformation';

/** A quick textual test: a template names its format version, a resource type namespace, or the SAM transform. */
const QUICK_CHECK = /AWSTemplateFormatVersion|(?:AWS|Alexa|Custom)::/;

/** Resource types CloudFormation accepts: `AWS::…`, `Alexa::…`, `Custom::…` (SAM's are `AWS::Serverless::…`). */
const RESOURCE_TYPE = /^(?:AWS|Alexa|Custom)::\S/;

/** The transform that makes a template a SAM template. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * Whether `text` is a CloudFormation template: its top level has `AWSTemplateFormatVersion`, or the SAM transform,
 * or a `Resources` mapping with an entry whose `Type` is `AWS::…`, `Alexa::…` or `Custom::…`. Terraform JSON
 * (`.tf.json`) never is. Fast (a textual check first) and never throws.
 */
export function isCloudFormationTemplate(file: string, text: string): boolean {
  try {
    const lower = file.toLowerCase();
    if (lower.endsWith('.tf.json') || lower.endsWith('.tfvars.json') || !QUICK_CHECK.test(text)) {
      return false;
    }
    if (text.length > MAX_TEMPLATE_LENGTH) {
      // Too large to parse just to decide; the lowering reports it as not analysed.
      return true;
    }
    const { root } = parseCloudFormation(file, text);
    if (root?.kind !== 'mapping') {
      return false;
    }
    if (CfnNode.pair(root, 'AWSTemplateFormatVersion') !== undefined) {
      return true;
    }
    if (hasSamTransform(root)) {
      return true;
    }
    const resources = CfnNode.get(root, 'Resources');
    if (resources?.kind !== 'mapping') {
      return false;
    }
    return resources.pairs.some((p) => RESOURCE_TYPE.test(CfnNode.text(CfnNode.get(p.value, 'Type')) ?? ''));
  } catch {
    return false;
  }
}

/** Whether a template's top-level `Transform` (a string or a list) names the SAM transform. */
export function hasSamTransform(root: CfnNode): boolean {
  const transform = CfnNode.get(root, 'Transform');
  if (transform?.kind === 'sequence') {
    return transform.items.some((item) => CfnNode.text(item) === SAM_TRANSFORM);
  }
  return CfnNode.text(transform) === SAM_TRANSFORM;
}
