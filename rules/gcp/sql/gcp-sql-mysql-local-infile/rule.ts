/**
 * gcp-sql-mysql-local-infile: a google_sql_database_instance whose database_version starts with MYSQL and whose settings.database_flags
 * set "local_infile" to "on". The flag's name and value live in the same database_flags block, so the check is per block,
 * which a declarative path cannot pair. Unknown names and values never fire; the flag is off unless set.
 */
import type { CheckContext } from '../../../../server/src/engine/check';
import { Value } from '../../../../server/src/model/types';

const FLAG = 'local_infile';
const VERSION_PREFIX = 'MYSQL';

export function check(ctx: CheckContext): void {
  const body = ctx.resource.body;
  const version = Value.entry(body, 'database_version')?.value;
  if (version?.kind !== 'scalar' || typeof version.value !== 'string' || !version.value.startsWith(VERSION_PREFIX)) {
    return;
  }
  for (const settings of Value.entries(body, 'settings')) {
    for (const flag of Value.entries(settings.value, 'database_flags')) {
      const name = Value.entry(flag.value, 'name')?.value;
      const entry = Value.entry(flag.value, 'value');
      if (
        name?.kind === 'scalar' &&
        name.value === FLAG &&
        entry?.value.kind === 'scalar' &&
        String(entry.value.value).toLowerCase() === 'on'
      ) {
        ctx.report({ at: entry });
      }
    }
  }
}
