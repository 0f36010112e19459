import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/db/database.ts';

/**
 * Each test file gets its own database: an in-memory PGlite by default, or a
 * throw-away PostgreSQL database when TEST_DATABASE_URL is set (CI runs both).
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const engine: 'pglite' | 'postgres' = testDatabaseUrl ? 'postgres' : 'pglite';

export async function createTestDatabase(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (!testDatabaseUrl) return { target: { kind: 'pglite', dataDir: null }, drop: async () => undefined };
  const name = `rollcall_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      // Let this process's pools (the queue's closes a moment after stop()) hang up first: forcing
      // the drop would terminate their connections, which surfaces as an error in the test process.
      for (let i = 0; i < 50; i++) {
        const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
