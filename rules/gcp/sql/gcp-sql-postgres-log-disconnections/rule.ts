/**
 * gcp-sql-postgres-log-disconnections: a PostgreSQL google_sql_database_instance (database_version POSTGRES_*) whose settings.database_flags do not
 * set log_disconnections to "on". The flag's name and value live in the same database_flags block, so the check is per block,
 * which a declarative path cannot pair. An unknown version, flag list or value never fires.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value } from '../../../../server/src/model/types';

const FLAG = 'log_disconnections';

export function check(ctx: CheckContext): void {
  const body = ctx.resource.body;
  const version = Value.entry(body, 'database_version')?.value;
  if (version?.kind !== 'scalar' || typeof version.value !== 'string' || !version.value.startsWith('POSTGRES')) {
    return;
  }
  const settings = Value.entries(body, 'settings');
  const block = settings.length === 1 ? settings[0]?.value : undefined;
  if (block?.kind !== 'object') {
    return;
  }
  const flags = Value.entries(block, 'database_flags');
  if (block.entries.some((e) => e.key === 'database_flags' && e.value.kind !== 'object')) {
    return; // a dynamic block or a computed list: unknown
  }
  for (const flag of flags) {
    const name = Value.entry(flag.value, 'name')?.value;
    if (name?.kind !== 'scalar') {
      return; // a flag whose name is unknown might be this one
    }
    if (name.value !== FLAG) {
      continue;
    }
    const entry = Value.entry(flag.value, 'value');
    const value = entry?.value;
    if (value?.kind !== 'scalar') {
      return;
    }
    if (String(value.value).toLowerCase() !== 'on') {
      ctx.report({ at: entry, message: `PostgreSQL flag log_disconnections is "${String(value.value)}", not "on"` });
    }
    return;
  }
  ctx.report({}); // the resource's first line: a check cannot point at a block header (CheckReport.at takes a value or an entry, whose span is the whole block)
}
