import { sql, type Kysely } from 'kysely';

/**
 * A sign-in's flow row (state hash, nonce, PKCE verifier) lives for at most
 * ten minutes and is deleted when the browser comes back, so it needs no
 * write-ahead log: at 8:00 its insert and delete were two of the three
 * WAL-flushing commits of every sign-in (the third stamps the sign-in and
 * opens the session, which stay durable). What this gives up, by design: after
 * a PostgreSQL crash, or on a promoted standby, the sign-ins that were midway
 * find no flow and are refused as "took too long", and the user presses the
 * button again. Nothing else references the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table auth_flows set unlogged`.execute(db);
}
