/**
 * The built-in meta rules: problems with suppressions themselves (no reason, expired, unused), and CloudFormation
 * property names that AWS's resource specification does not know. They are not cloud rules (no provider, service or
 * layer, never in the rule catalog), but they have stable ids so that they can be disabled in `.onus.yaml` like any
 * rule, linked to a page of their own, and shown beside findings.
 */

/** The ids of the meta rules. */
export type MetaRuleId = 'onus-suppression-reason' | 'onus-suppression-expired' | 'onus-suppression-unused' | 'onus-cfn-unknown-property';

/** How a meta rule's problems are shown: a warning, a note, or a faded hint. */
export type MetaRuleLevel = 'warning' | 'note' | 'hint';

/** A meta rule's description, for its docs page, `onus explain` and SARIF. */
export interface MetaRule {
  id: MetaRuleId;
  title: string;
  level: MetaRuleLevel;
  why: string;
  remediation: string;
  /** Whether its problems count for `onus scan`'s exit code. */
  isFailing: boolean;
  /** What it is about: suppressions, or the template's own text. */
  subject: 'suppressions' | 'template';
}

/** Every meta rule, in the order they are documented. */
export const META_RULES: readonly MetaRule[] = Object.freeze([
  {
    id: 'onus-suppression-reason',
    title: 'A suppression says why',
    level: 'warning',
    why:
      'A suppression turns a finding off for everyone who reads the code after you. Without a reason, a reviewer cannot ' +
      'tell an accepted risk from a forgotten shortcut, and an audit cannot tell who decided what. Onus reports an ' +
      '`onus:ignore` comment (or a CloudFormation `Metadata` suppression) that silences a finding without a reason, ' +
      'while `suppressions.requireReason` is true in `.onus.yaml` (the default). Peers\u2019 suppressions and Bicep\u2019s ' +
      '`#disable-next-line` follow their own conventions and are not checked.',
    remediation:
      'Write the reason after the rule ids (and the optional `until=` date), e.g. ' +
      '`# onus:ignore aws-s3-versioning until=2027-03-31 migration bucket, deleted after cutover`; in `Metadata`, set `reason`.',
    isFailing: true,
    subject: 'suppressions',
  },
  {
    id: 'onus-suppression-expired',
    title: 'A suppression with an until= date is still in force',
    level: 'note',
    why:
      'An `until=YYYY-MM-DD` date makes a suppression temporary: after that date it stops applying, the finding is ' +
      'reported again, and Onus says at the comment that it expired, so the finding does not come back unexplained.',
    remediation: 'Fix the finding and delete the comment, or, when the exception still holds, review it and move the date.',
    isFailing: false,
    subject: 'suppressions',
  },
  {
    id: 'onus-suppression-unused',
    title: 'A suppression silences something',
    level: 'hint',
    why:
      'An `onus:ignore` comment that no longer silences any finding (the setting was fixed, the resource moved) hides ' +
      'nothing today but would silently hide a future regression at the same place. Onus reports it as unnecessary ' +
      'when every rule it names ran and none of them reported anything there.',
    remediation: 'Delete the comment (the quick fix does it).',
    isFailing: false,
    subject: 'suppressions',
  },
  {
    id: 'onus-cfn-unknown-property',
    title: 'A CloudFormation property name is one AWS\u2019s resource specification knows',
    level: 'warning',
    why:
      'A property name that the resource type does not have never takes effect: CloudFormation rejects the template ' +
      'at deployment, or a transform drops the property, and a misspelled security setting (`BucketEncyption`, a ' +
      'nested `Stauts`) leaves the resource at its default. Onus looks every key of a resource\u2019s `Properties`, and ' +
      'of the nested property types, up in AWS\u2019s CloudFormation resource specification (`@aws-cdk/aws-service-spec`, ' +
      'bundled) and reports a name it does not know, with the nearest known names. It stays silent where the ' +
      'specification cannot say: SAM\u2019s `AWS::Serverless::*` types, custom resources, types the specification does ' +
      'not list, `Json` properties, values written as intrinsic functions, and templates that a macro rewrites.',
    remediation:
      'Rename the property to the name AWS documents for the type (the quick fix offers the nearest known names), or ' +
      'remove it; the warning links to AWS\u2019s page of the type that should hold it.',
    isFailing: true,
    subject: 'template',
  },
]);

/** Helpers for meta rule ids. */
export namespace MetaRule {
  /** The meta rule with this id, if it is one. */
  export function byId(id: string): MetaRule | undefined {
    return META_RULES.find((r) => r.id === id);
  }

  /** Whether an id names a meta rule. */
  export function isMetaRuleId(id: string): id is MetaRuleId {
    return META_RULES.some((r) => r.id === id);
  }
}
