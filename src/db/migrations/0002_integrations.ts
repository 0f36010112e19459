import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table integrations (
      id uuid primary key default gen_random_uuid(),
      district_id uuid not null references districts(id),
      provider text not null check (provider in ('clever', 'classlink')),
      tenant_key text not null check (length(tenant_key) between 1 and 200),
      status text not null default 'active' check (status in ('active', 'needs_attention', 'disabled')),
      settings jsonb not null default '{}'::jsonb,
      credentials_sealed text not null,
      status_reason text,
      last_test_at timestamptz,
      last_test_result jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    // One connection per provider tenant: ids are never compared across tenants.
    sql`create unique index integrations_tenant_key on integrations (provider, tenant_key)`,
    sql`create index integrations_district_idx on integrations (district_id)`,
    sql`create table integration_schools (
      integration_id uuid not null references integrations(id),
      external_id text not null,
      name text not null,
      school_id uuid references schools(id),
      updated_at timestamptz not null default now(),
      primary key (integration_id, external_id)
    )`,
    sql`create table identities (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      provider text not null check (provider in ('clever', 'classlink')),
      tenant_key text not null,
      external_id text not null check (length(external_id) between 1 and 300),
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz
    )`,
    sql`create unique index identities_external_key on identities (provider, tenant_key, external_id)`,
    sql`create index identities_user_idx on identities (user_id)`,
    sql`create table auth_flows (
      state_hash text primary key,
      provider text not null,
      purpose text not null check (purpose in ('signin', 'connect')),
      code_verifier text,
      nonce text,
      user_id uuid references users(id) on delete cascade,
      return_to text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
