import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/db/database.ts';

/**
 * The database a bench runs on: a throw-away PostgreSQL database created from
 * BENCH_DATABASE_URL (dropped afterwards), else an embedded PGlite in a
 * temporary data directory (on disk, as `rollcall` runs it).
 */
export interface BenchDatabase {
  readonly label: 'postgres' | 'pglite';
  readonly target: DatabaseTarget;
  /** The environment a `rollcall` child process needs to open the same database. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** One short-lived connection for a bench's own statements (set-up, statistics, CPU attribution). */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
    return {
      label: 'pglite',
      target: { kind: 'pglite', dataDir: dir },
      env: { ROLLCALL_DATA_DIR: dir },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `rollcall_bench_${randomBytes(6).toString('hex')}`;
  await withPgClient(url, (admin) => admin.query(`create database ${name}`));
  const u = new URL(url);
  u.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  return {
    label: 'postgres',
    target: { kind: 'postgres', url: u.toString() },
    env: { DATABASE_URL: u.toString(), ROLLCALL_DATA_DIR: dataDir },
    async drop() {
      await withPgClient(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
