/**
 * aws-iam-policy-full-admin: an IAM policy document given as JSON text (the model's string for `jsonencode(...)` or a
 * heredoc) with an Allow statement whose Action and Resource both include `"*"`. `NotAction`/`NotResource`
 * statements are not this rule's concern; a policy the model cannot resolve yields no finding. Statements of
 * `aws_iam_policy_document` data sources are checked declaratively by the rule's other target.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value, type Entry } from '../../../../server/src/model/types';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a policy element (a string or a list of strings) includes the bare wildcard. */
function includesWildcard(element: unknown): boolean {
  return element === '*' || (Array.isArray(element) && element.includes('*'));
}

/** Whether a policy's JSON text has an Allow statement for every action on every resource. */
function grantsEverything(text: string): boolean {
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
  } catch {
    return false;
  }
  return documentGrantsEverything(document);
}

/**
 * Whether a policy document has an Allow statement for every action on every resource; unknown parts are
 * `undefined` and never match, so a partly known `jsonencode(...)` fires only on what is known.
 */
function documentGrantsEverything(document: unknown): boolean {
  if (!isObject(document)) {
    return false;
  }
  const raw = document['Statement'];
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  return statements.some(
    (s) => isObject(s) && s['Effect'] === 'Allow' && includesWildcard(s['Action']) && includesWildcard(s['Resource']),
  );
}

/** Whether a `policy` entry holds known JSON text granting everything. */
function isFullAdmin(entry: Entry | undefined): entry is Entry {
  const value = entry?.value;
  if (value?.kind === 'unknown' && value.partial) {
    return documentGrantsEverything(Value.toPartialPlain(value.partial));
  }
  return value?.kind === 'scalar' && typeof value.value === 'string' && grantsEverything(value.value);
}

/**
 * Checks the `policy` of aws_iam_policy and the inline role/user/group policies, and each `inline_policy` block of
 * an aws_iam_role.
 */
export function check(ctx: CheckContext): void {
  const body = ctx.resource.body;
  const policies =
    ctx.resource.type === 'aws_iam_role'
      ? Value.entries(body, 'inline_policy').map((block) => Value.entry(block.value, 'policy'))
      : [Value.entry(body, 'policy')];
  for (const policy of policies) {
    if (isFullAdmin(policy)) {
      ctx.report({ at: policy });
    }
  }
}
