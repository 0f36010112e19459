import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ LOG_LEVEL: 'silent' });
});
afterAll(async () => t?.close());

/** Why: a district's first sync multiplies these tables, and the next delta may run before autovacuum has looked. */
describe(`refreshing planner statistics after a large sync (${engine})`, () => {
  it('tells the planner how many rows the tables the sync grew now hold', async () => {
    const db = t.ctx.database.db;
    const district = await t.ctx.services.operator.createDistrict({ kind: 'cli' }, 'Statistics district');
    const students = Array.from({ length: 120 }, (_, i) => ({ externalId: `stats-${i}`, name: `Student ${i}`, email: null, grade: '5' }));
    await t.ctx.store.roster.upsertStudents({ provider: 'clever', tenantKey: 'stats-tenant', districtId: district.id }, students);
    const estimate = async (table: string) => Number((await sql<{ n: number }>`select reltuples::float8 as n from pg_class where relname = ${table}`.execute(db)).rows[0]!.n);
    const actual = async (table: 'identities' | 'users') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    await t.ctx.store.sync.refreshStatistics();
    expect(await estimate('identities')).toBe(await actual('identities'));
    expect(await estimate('users')).toBe(await actual('users'));
  });
});
