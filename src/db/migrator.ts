import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import * as m0001 from './migrations/0001_core.ts';
import * as m0002 from './migrations/0002_integrations.ts';
import * as m0003 from './migrations/0003_classes.ts';
import * as m0004 from './migrations/0004_sync.ts';
import * as m0005 from './migrations/0005_roster_writes_without_key_locks.ts';
import * as m0006 from './migrations/0006_auth_flows_unlogged.ts';
import * as m0007 from './migrations/0007_admin_user_indexes.ts';

/** Forward-only: migrations have no `down`, and names sort in the order they ran. */
const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_integrations': m0002,
  '0003_classes': m0003,
  '0004_sync': m0004,
  '0005_roster_writes_without_key_locks': m0005,
  '0006_auth_flows_unlogged': m0006,
  '0007_admin_user_indexes': m0007,
};

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
