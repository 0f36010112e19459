import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`alter table classes add column term_external_id text`,
    sql`alter table integrations add column sync_settings jsonb not null default '{}'::jsonb`,
    sql`alter table integrations add column delta_cursor text`,
    sql`alter table integrations add column last_delta_at timestamptz`,
    sql`alter table integrations add column last_full_at timestamptz`,
    // A lease, not a lock held by a connection: works on PGlite and across any number of workers,
    // and a worker killed mid-run gives it up when it expires.
    sql`alter table integrations add column sync_lease_owner text`,
    sql`alter table integrations add column sync_lease_until timestamptz`,
    sql`alter table sync_runs drop constraint sync_runs_status_check`,
    sql`alter table sync_runs add constraint sync_runs_status_check check (status in ('queued', 'running', 'succeeded', 'failed', 'held', 'approved', 'rejected', 'skipped'))`,
    sql`alter table sync_runs add column kind text`,
    sql`alter table sync_runs add column dry_run boolean not null default false`,
    sql`alter table sync_runs add column decided_by uuid references users(id)`,
    sql`alter table sync_runs add column decided_at timestamptz`,
    sql`create index enrollments_class_active_idx on enrollments (class_id) where status = 'active'`,
  ];
  for (const statement of statements) await statement.execute(db);
}
