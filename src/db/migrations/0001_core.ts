import { sql, type Kysely } from 'kysely';

// One statement per call: PGlite's extended protocol rejects multi-statement strings.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table districts (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      created_at timestamptz not null default now()
    )`,
    sql`create table schools (
      id uuid primary key default gen_random_uuid(),
      district_id uuid not null references districts(id),
      name text not null check (length(name) between 1 and 200),
      created_at timestamptz not null default now()
    )`,
    sql`create index schools_district_idx on schools (district_id)`,
    sql`create table users (
      id uuid primary key default gen_random_uuid(),
      role text not null check (role in ('teacher', 'student', 'operator')),
      name text not null check (length(name) between 1 and 200),
      email text check (email is null or email = lower(email)),
      email_verified_at timestamptz,
      password_hash text,
      district_id uuid references districts(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      constraint students_never_have_passwords check (role <> 'student' or password_hash is null)
    )`,
    // Email identifies a password account; provider-created accounts may share an
    // email across districts (ids are never compared across districts).
    sql`create unique index users_login_email_key on users (email) where password_hash is not null`,
    sql`create index users_email_idx on users (email)`,
    sql`create table district_admins (
      district_id uuid not null references districts(id),
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      primary key (district_id, user_id)
    )`,
    sql`create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now()
    )`,
    sql`create index sessions_user_idx on sessions (user_id)`,
    sql`create table email_tokens (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      purpose text not null check (purpose in ('verify_email', 'reset_password')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`,
    sql`create index email_tokens_user_idx on email_tokens (user_id, purpose)`,
    sql`create table licenses (
      id uuid primary key default gen_random_uuid(),
      district_id uuid not null references districts(id),
      school_id uuid references schools(id),
      name text not null check (length(name) between 1 and 200),
      seats integer not null check (seats > 0),
      starts_on date not null,
      ends_on date not null,
      created_at timestamptz not null default now(),
      constraint licenses_dates_ordered check (ends_on >= starts_on)
    )`,
    sql`create index licenses_district_idx on licenses (district_id)`,
    sql`create table license_admins (
      license_id uuid not null references licenses(id),
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      primary key (license_id, user_id)
    )`,
    sql`create table license_members (
      id uuid primary key default gen_random_uuid(),
      license_id uuid not null references licenses(id),
      email text not null check (email = lower(email)),
      user_id uuid references users(id),
      invited_by uuid references users(id),
      invited_at timestamptz not null default now(),
      accepted_at timestamptz,
      removed_at timestamptz,
      removed_by uuid references users(id),
      invitation_token_hash text unique,
      invitation_expires_at timestamptz,
      last_sent_at timestamptz,
      send_count integer not null default 0
    )`,
    sql`create unique index license_members_active_key on license_members (license_id, email) where removed_at is null`,
    sql`create index license_members_user_idx on license_members (user_id)`,
    sql`create table mail_capture (
      id uuid primary key default gen_random_uuid(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      created_at timestamptz not null default now()
    )`,
    sql`create table audit_events (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id uuid references users(id),
      district_id uuid references districts(id),
      action text not null,
      target_type text not null,
      target_id text,
      details jsonb not null default '{}'::jsonb
    )`,
    sql`create index audit_events_district_idx on audit_events (district_id, at desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
