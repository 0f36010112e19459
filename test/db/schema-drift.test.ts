import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';

/**
 * Keeps src/db/schema.ts and the migrations in step. The type check makes each
 * list below name exactly the columns of its table type; the test makes the
 * migrated database have exactly those columns.
 */
type Exactly<T> = <const K extends readonly (keyof T)[]>(keys: K & ([keyof T] extends [K[number]] ? unknown : never)) => K;
const columnsOf = <T,>(): Exactly<T> => (keys) => keys;

const expected: { [T in keyof DB]: readonly string[] } = {
  districts: columnsOf<DB['districts']>()(['id', 'name', 'created_at']),
  schools: columnsOf<DB['schools']>()(['id', 'district_id', 'name', 'created_at']),
  users: columnsOf<DB['users']>()(['id', 'role', 'name', 'email', 'email_verified_at', 'password_hash', 'district_id', 'created_at', 'updated_at', 'last_sign_in_at', 'grade']),
  district_admins: columnsOf<DB['district_admins']>()(['district_id', 'user_id', 'created_at']),
  sessions: columnsOf<DB['sessions']>()(['id', 'user_id', 'created_at', 'expires_at', 'last_seen_at']),
  email_tokens: columnsOf<DB['email_tokens']>()(['token_hash', 'user_id', 'purpose', 'created_at', 'expires_at', 'used_at']),
  licenses: columnsOf<DB['licenses']>()(['id', 'district_id', 'school_id', 'name', 'seats', 'starts_on', 'ends_on', 'created_at']),
  license_admins: columnsOf<DB['license_admins']>()(['license_id', 'user_id', 'created_at']),
  license_members: columnsOf<DB['license_members']>()([
    'id', 'license_id', 'email', 'user_id', 'invited_by', 'invited_at', 'accepted_at', 'removed_at', 'removed_by',
    'invitation_token_hash', 'invitation_expires_at', 'last_sent_at', 'send_count',
  ]),
  mail_capture: columnsOf<DB['mail_capture']>()(['id', 'to_address', 'subject', 'text_body', 'html_body', 'created_at']),
  audit_events: columnsOf<DB['audit_events']>()(['id', 'at', 'actor_user_id', 'district_id', 'action', 'target_type', 'target_id', 'details']),
  integrations: columnsOf<DB['integrations']>()([
    'id', 'district_id', 'provider', 'tenant_key', 'status', 'settings', 'credentials_sealed', 'status_reason',
    'last_test_at', 'last_test_result', 'created_at', 'updated_at', 'sync_settings', 'delta_cursor', 'last_delta_at',
    'last_full_at', 'sync_lease_owner', 'sync_lease_until',
  ]),
  integration_schools: columnsOf<DB['integration_schools']>()(['integration_id', 'external_id', 'name', 'school_id', 'updated_at']),
  identities: columnsOf<DB['identities']>()(['id', 'user_id', 'provider', 'tenant_key', 'external_id', 'created_at', 'last_sign_in_at']),
  classes: columnsOf<DB['classes']>()([
    'id', 'name', 'source', 'district_id', 'integration_id', 'external_id', 'school_id', 'course_name', 'subject', 'period',
    'term_name', 'term_start', 'term_end', 'created_by', 'created_at', 'updated_at', 'last_synced_at', 'archived_at', 'archived_reason',
    'term_external_id',
  ]),
  class_teachers: columnsOf<DB['class_teachers']>()(['class_id', 'user_id', 'added_at', 'removed_at']),
  enrollments: columnsOf<DB['enrollments']>()(['class_id', 'user_id', 'status', 'enrolled_at', 'removed_at', 'removed_reason']),
  sync_runs: columnsOf<DB['sync_runs']>()([
    'id', 'integration_id', 'class_id', 'requested_by', 'trigger', 'status', 'started_at', 'finished_at', 'progress_done',
    'progress_total', 'counts', 'warnings', 'error', 'details', 'kind', 'dry_run', 'decided_by', 'decided_at',
  ]),
  roster_changes: columnsOf<DB['roster_changes']>()(['id', 'class_id', 'user_id', 'change', 'at', 'run_id', 'reason']),
  auth_flows: columnsOf<DB['auth_flows']>()(['state_hash', 'provider', 'purpose', 'code_verifier', 'nonce', 'user_id', 'return_to', 'created_at', 'expires_at']),
};

/**
 * The columns the app reads a user's rows by, on paths every request or
 * sign-in takes. A table keyed by (district, user) or (license, user) cannot
 * use its key for "this user's rows": without an index leading with the user
 * column, the session lookup read all of district_admins and license_admins on
 * every request (0.97 ms instead of 0.17 ms at 3,000 + 5,000 admins).
 */
const readByUser: readonly (readonly [table: keyof DB, column: 'user_id'])[] = [
  ['sessions', 'user_id'],
  ['district_admins', 'user_id'],
  ['license_admins', 'user_id'],
  ['license_members', 'user_id'],
  ['identities', 'user_id'],
  ['class_teachers', 'user_id'],
  ['enrollments', 'user_id'],
  ['email_tokens', 'user_id'],
];

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe(`schema types match the migrated database (${engine})`, () => {
  it('has exactly the typed tables and columns', async () => {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name not like 'kysely_%'
      order by table_name, ordinal_position`.execute(t.ctx.database.db);
    const actual: Record<string, string[]> = {};
    for (const row of rows.rows) (actual[row.table_name] ??= []).push(row.column_name);
    const sorted = (o: Record<string, readonly string[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]).sort());
    expect(sorted(actual)).toEqual(sorted(expected));
  });

  it('keeps every table crash-safe except the ten-minute sign-in flows', async () => {
    const rows = await sql<{ relname: string }>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relpersistence = 'u'`.execute(t.ctx.database.db);
    expect(rows.rows.map((r) => r.relname)).toEqual(['auth_flows']);
  });

  it('has an index leading with the user column on every table read by user', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select c.relname as table_name, a.attname as column_name
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]`.execute(t.ctx.database.db);
    const leading = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    expect(readByUser.map(([table, column]) => `${table}.${column}`).filter((key) => !leading.has(key))).toEqual([]);
  });

  it('re-running the migrations changes nothing', async () => {
    const { migrateToLatest } = await import('../../src/db/migrator.ts');
    expect(await migrateToLatest(t.ctx.database.db)).toEqual([]);
  });
});
