import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`alter table users add column grade text`,
    sql`create table classes (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 300),
      source text not null check (source in ('manual', 'clever', 'classlink')),
      district_id uuid references districts(id),
      integration_id uuid references integrations(id),
      external_id text,
      school_id uuid references schools(id),
      course_name text,
      subject text,
      period text,
      term_name text,
      term_start date,
      term_end date,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_synced_at timestamptz,
      archived_at timestamptz,
      archived_reason text,
      constraint classes_source_consistent check ((source = 'manual') = (integration_id is null and external_id is null))
    )`,
    // One class per provider section, ever: imports by several teachers or tabs converge here.
    sql`create unique index classes_section_key on classes (integration_id, external_id) where integration_id is not null`,
    sql`create index classes_district_idx on classes (district_id)`,
    sql`create table class_teachers (
      class_id uuid not null references classes(id),
      user_id uuid not null references users(id),
      added_at timestamptz not null default now(),
      removed_at timestamptz,
      primary key (class_id, user_id)
    )`,
    sql`create index class_teachers_user_idx on class_teachers (user_id)`,
    sql`create table enrollments (
      class_id uuid not null references classes(id),
      user_id uuid not null references users(id),
      status text not null check (status in ('active', 'removed')),
      enrolled_at timestamptz not null default now(),
      removed_at timestamptz,
      removed_reason text,
      primary key (class_id, user_id)
    )`,
    sql`create index enrollments_user_idx on enrollments (user_id)`,
    sql`create table sync_runs (
      id uuid primary key default gen_random_uuid(),
      integration_id uuid references integrations(id),
      class_id uuid references classes(id),
      requested_by uuid references users(id),
      trigger text not null check (trigger in ('import', 'sync_now', 'delta', 'full', 'schedule')),
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'held')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      progress_done integer not null default 0,
      progress_total integer not null default 0,
      counts jsonb not null default '{}'::jsonb,
      warnings jsonb not null default '[]'::jsonb,
      error text,
      details jsonb not null default '{}'::jsonb
    )`,
    sql`create index sync_runs_integration_idx on sync_runs (integration_id, started_at desc)`,
    sql`create index sync_runs_class_idx on sync_runs (class_id, started_at desc)`,
    sql`create table roster_changes (
      id bigserial primary key,
      class_id uuid not null references classes(id),
      user_id uuid not null references users(id),
      change text not null check (change in ('joined', 'left', 'returned')),
      at timestamptz not null default now(),
      run_id uuid references sync_runs(id),
      reason text
    )`,
    sql`create index roster_changes_class_idx on roster_changes (class_id, at desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
