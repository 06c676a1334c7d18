/**
 * aws-iam-privilege-escalation: an IAM user, group or role whose policies, taken together, allow on every resource
 * (`"Resource": "*"`) one of the documented sets of actions that let a principal raise its own privileges (a new
 * policy version, attaching or writing a policy, a new access key or console password for another user, passing a
 * role to a compute service that it then runs, changing code that runs under another role). An action may be
 * granted by a wildcard (`iam:*`, `iam:Put*`). The policies are the principal's inline policies (Terraform
 * `aws_iam_{user,group,role}_policy`, a role's `inline_policy` blocks, CloudFormation `Policies`) and the customer
 * managed policies attached to it (`aws_iam_*_policy_attachment`, `aws_iam_policy_attachment`, a role's
 * `managed_policy_arns`, CloudFormation `ManagedPolicyArns` and the `Users`/`Groups`/`Roles` of `AWS::IAM::Policy`
 * and `AWS::IAM::ManagedPolicy`), as JSON text, a partly known `jsonencode(...)`, the object of a template, or an
 * `aws_iam_policy_document` data source. Unknown parts never grant anything, so a policy the model cannot resolve
 * yields no finding. Deny statements are not subtracted (a Deny that takes the set back is rare and is reported).
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Model, type Resource } from '../../../../server/src/model/types';

type JsonObject = Record<string, unknown>;

/** The action sets that escalate privileges on `"*"` (Rhino Security Labs' methods, also KICS's query family). */
const ESCALATION_SETS: readonly (readonly string[])[] = [
  ['iam:CreatePolicyVersion'],
  ['iam:SetDefaultPolicyVersion'],
  ['iam:CreateAccessKey'],
  ['iam:CreateLoginProfile'],
  ['iam:UpdateLoginProfile'],
  ['iam:AttachUserPolicy'],
  ['iam:AttachGroupPolicy'],
  ['iam:AttachRolePolicy'],
  ['iam:PutUserPolicy'],
  ['iam:PutGroupPolicy'],
  ['iam:PutRolePolicy'],
  ['iam:AddUserToGroup'],
  ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'],
  ['iam:PassRole', 'ec2:RunInstances'],
  ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
  ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  ['lambda:UpdateFunctionCode'],
  ['iam:PassRole', 'glue:CreateDevEndpoint'],
  ['glue:UpdateDevEndpoint'],
  ['iam:PassRole', 'cloudformation:CreateStack'],
  ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
];

const TERRAFORM_PRINCIPALS: Record<string, { inline: string; attachment: string; key: string; listKey: string }> = {
  aws_iam_user: { inline: 'aws_iam_user_policy', attachment: 'aws_iam_user_policy_attachment', key: 'user', listKey: 'users' },
  aws_iam_group: { inline: 'aws_iam_group_policy', attachment: 'aws_iam_group_policy_attachment', key: 'group', listKey: 'groups' },
  aws_iam_role: { inline: 'aws_iam_role_policy', attachment: 'aws_iam_role_policy_attachment', key: 'role', listKey: 'roles' },
};

const CLOUDFORMATION_LIST_KEYS: Record<string, string> = { 'AWS::IAM::User': 'Users', 'AWS::IAM::Group': 'Groups', 'AWS::IAM::Role': 'Roles' };

const KIND: Record<string, string> = {
  aws_iam_user: 'user',
  aws_iam_group: 'group',
  aws_iam_role: 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::Role': 'role',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(element: unknown): string[] {
  const items = Array.isArray(element) ? element : [element];
  return items.filter((i): i is string => typeof i === 'string');
}

/** The actions a policy document allows on `"*"`, as the patterns written (lower case). */
function actionsOnEverything(document: unknown, out: string[]): void {
  if (typeof document === 'string') {
    try {
      actionsOnEverything(JSON.parse(document) as unknown, out);
    } catch {
      // Not JSON: nothing known.
    }
    return;
  }
  if (!isObject(document)) {
    return;
  }
  const raw = document['Statement'];
  for (const s of Array.isArray(raw) ? raw : [raw]) {
    if (isObject(s) && s['Effect'] === 'Allow' && strings(s['Resource']).includes('*')) {
      out.push(...strings(s['Action']).map((a) => a.toLowerCase()));
    }
  }
}

/** The actions an `aws_iam_policy_document` data source allows on `"*"`. */
function documentActions(document: Resource, out: string[]): void {
  for (const statement of Value.entries(document.body, 'statement')) {
    const effect = Value.entry(statement.value, 'effect');
    if (effect && !Value.isScalar(effect.value, 'Allow')) {
      continue;
    }
    const plain = (key: string): unknown => {
      const entry = Value.entry(statement.value, key);
      return entry ? Value.toPartialPlain(entry.value) : undefined;
    };
    if (strings(plain('resources')).includes('*')) {
      out.push(...strings(plain('actions')).map((a) => a.toLowerCase()));
    }
  }
}

/** Whether a reference list names a resource of the model (by address, or an attribute of it). */
function refersTo(value: Value | undefined, target: Resource): boolean {
  if (value?.kind === 'array') {
    return value.items.some((item) => refersTo(item, target));
  }
  return value?.kind === 'unknown' && value.references.some((ref) => ref === target.address || ref.startsWith(`${target.address}.`));
}

/** Whether a value names `principal`: by reference, or by its literal name (Terraform `name`, CloudFormation `*Name`). */
function names(value: Value | undefined, principal: Resource, literalName: Value | undefined): boolean {
  if (refersTo(value, principal)) {
    return true;
  }
  if (literalName?.kind !== 'scalar' || typeof literalName.value !== 'string') {
    return false;
  }
  const name = literalName.value;
  if (value?.kind === 'array') {
    return value.items.some((item) => Value.isScalar(item, name));
  }
  return Value.isScalar(value, name);
}

/** Adds the actions of a policy-bearing value (text, object, partial jsonencode, or a referenced data source). */
function addPolicy(value: Value | undefined, resource: Resource, model: Model, out: string[]): void {
  if (!value) {
    return;
  }
  if (value.kind === 'unknown' && !value.partial) {
    for (const r of sameModule(model, resource)) {
      if (r.kind === 'data' && r.type === 'aws_iam_policy_document' && refersTo(value, r)) {
        documentActions(r, out);
      }
    }
    return;
  }
  actionsOnEverything(Value.toPartialPlain(value), out);
}

function sameModule(model: Model, resource: Resource): Resource[] {
  const module = resource.modulePath.join('/');
  return model.resources.filter((r) => r.modulePath.join('/') === module);
}

/** The actions allowed on `"*"` by a Terraform principal's policies. */
function terraformActions(principal: Resource, model: Model): string[] {
  const kind = TERRAFORM_PRINCIPALS[principal.type]!;
  const name = Value.entry(principal.body, 'name')?.value;
  const resources = sameModule(model, principal);
  const out: string[] = [];
  const managedPolicy = (arn: Value | undefined): void => {
    for (const policy of resources) {
      if (policy.type === 'aws_iam_policy' && refersTo(arn, policy)) {
        addPolicy(Value.entry(policy.body, 'policy')?.value, policy, model, out);
      }
    }
  };
  for (const block of Value.entries(principal.body, 'inline_policy')) {
    addPolicy(Value.entry(block.value, 'policy')?.value, principal, model, out);
  }
  managedPolicy(Value.entry(principal.body, 'managed_policy_arns')?.value);
  for (const r of resources) {
    if (r.type === kind.inline && names(Value.entry(r.body, kind.key)?.value, principal, name)) {
      addPolicy(Value.entry(r.body, 'policy')?.value, r, model, out);
    } else if (r.type === kind.attachment && names(Value.entry(r.body, kind.key)?.value, principal, name)) {
      managedPolicy(Value.entry(r.body, 'policy_arn')?.value);
    } else if (r.type === 'aws_iam_policy_attachment' && names(Value.entry(r.body, kind.listKey)?.value, principal, name)) {
      managedPolicy(Value.entry(r.body, 'policy_arn')?.value);
    }
  }
  return out;
}

/** The actions allowed on `"*"` by a CloudFormation principal's policies. */
function cloudFormationActions(principal: Resource, model: Model): string[] {
  const out: string[] = [];
  for (const policy of Value.entries(principal.body, 'Policies')) {
    const items = policy.value.kind === 'array' ? policy.value.items : [policy.value];
    for (const item of items) {
      addPolicy(Value.entry(item, 'PolicyDocument')?.value, principal, model, out);
    }
  }
  const managedArns = Value.entry(principal.body, 'ManagedPolicyArns')?.value;
  const listKey = CLOUDFORMATION_LIST_KEYS[principal.type]!;
  for (const r of sameModule(model, principal)) {
    if (r.type === 'AWS::IAM::ManagedPolicy' && refersTo(managedArns, r)) {
      addPolicy(Value.entry(r.body, 'PolicyDocument')?.value, r, model, out);
    } else if ((r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') && refersTo(Value.entry(r.body, listKey)?.value, principal)) {
      addPolicy(Value.entry(r.body, 'PolicyDocument')?.value, r, model, out);
    }
  }
  return out;
}

/**
 * Whether an action pattern (`iam:*`, `iam:put*`, `*`, `?` for one character) matches an action: a glob match in
 * time proportional to their lengths' product, with no regular expression built from workspace text.
 */
function matchesAction(pattern: string, action: string): boolean {
  // reachable[j]: the pattern read so far can match the first j characters of the action.
  let reachable: boolean[] = [true, ...Array<boolean>(action.length).fill(false)];
  for (const c of pattern) {
    const next = Array<boolean>(action.length + 1).fill(false);
    if (c === '*') {
      let any = false;
      for (let j = 0; j <= action.length; j++) {
        any = any || reachable[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= action.length; j++) {
        next[j] = reachable[j - 1]! && (c === '?' || c === action[j - 1]);
      }
    }
    reachable = next;
  }
  return reachable[action.length]!;
}

export function check(ctx: CheckContext): void {
  const patterns =
    ctx.resource.format === 'terraform' ? terraformActions(ctx.resource, ctx.model) : cloudFormationActions(ctx.resource, ctx.model);
  if (patterns.length === 0) {
    return;
  }
  const allowed = (action: string): boolean => patterns.some((p) => matchesAction(p, action.toLowerCase()));
  const found = ESCALATION_SETS.filter((set) => set.every(allowed));
  if (found.length === 0) {
    return;
  }
  const shown = found.slice(0, 3).map((set) => set.join(' + '));
  const more = found.length > 3 ? ` and ${found.length - 3} more` : '';
  ctx.report({
    message: `IAM ${KIND[ctx.resource.type] ?? 'principal'} can escalate its privileges: its policies allow ${shown.join('; ')}${more} on every resource`,
  });
}
