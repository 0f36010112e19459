import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { lockDataDir } from './lock.ts';
import { PreparingClient } from './prepared-statements.ts';

export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly dataDir: string | null /* null = in memory */ }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<DB>;
  /** Present on the embedded database; pg-boss runs on the same instance. */
  readonly pglite: PGlite | undefined;
  readonly url: string | undefined;
  /** Throws when the database does not answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const ping = (db: Kysely<DB>) => async () => {
  await sql`select 1`.execute(db);
};

const DATE_OID = 1082;
const keepDateText = (value: string) => value;

// DATE as text on both drivers: a Date object would shift by the process time zone.
pg.types.setTypeParser(DATE_OID, keepDateText);

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot reach the database given by DATABASE_URL: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export async function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    // A bounded connect: an unreachable host fails start-up (and /readyz) instead of hanging.
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000, Client: PreparingClient });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(error);
    }
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, pglite: undefined, url: target.url, ping: ping(db), close: () => db.destroy() };
  }

  let release = () => {};
  let dataDir: string | undefined;
  if (target.dataDir !== null) {
    release = lockDataDir(target.dataDir);
    dataDir = join(target.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  try {
    const pglite = await PGlite.create({ dataDir, parsers: { [DATE_OID]: keepDateText } });
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    return {
      kind: 'pglite',
      db,
      pglite,
      url: undefined,
      ping: ping(db),
      close: async () => {
        await db.destroy();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
