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
  /**
   * PostgreSQL only: a second database with this one's contents (CREATE DATABASE … TEMPLATE, so nothing
   * may be connected to this one meanwhile), for a server measured beside Rollcall without sharing its
   * tables' activity counters. Dropped with this one.
   */
  readonly copy?: () => Promise<string>;
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

/** PostgreSQL when BENCH_DATABASE_URL names a server, else PGlite. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const url = process.env.BENCH_DATABASE_URL;
  return url ? postgresBenchDatabase(url) : pgliteBenchDatabase();
}

/** An embedded PGlite in a temporary data directory (on disk, as `rollcall` runs it). */
export function pgliteBenchDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  return {
    label: 'pglite',
    target: { kind: 'pglite', dataDir: dir },
    env: { ROLLCALL_DATA_DIR: dir },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A throw-away database on the PostgreSQL server `url` names, dropped (with its copies) by drop(). */
export async function postgresBenchDatabase(url: string): Promise<BenchDatabase> {
  const name = `rollcall_bench_${randomBytes(6).toString('hex')}`;
  await withPgClient(url, (admin) => admin.query(`create database ${name}`));
  const urlOf = (database: string) => {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  const copies: string[] = [];
  return {
    label: 'postgres',
    target: { kind: 'postgres', url: urlOf(name) },
    env: { DATABASE_URL: urlOf(name), ROLLCALL_DATA_DIR: dataDir },
    async copy() {
      const copyName = `${name}_copy${copies.length + 1}`;
      await withPgClient(url, (admin) => admin.query(`create database ${copyName} template ${name}`));
      copies.push(copyName);
      return urlOf(copyName);
    },
    async drop() {
      for (const database of [...copies, name]) await withPgClient(url, (admin) => admin.query(`drop database if exists ${database} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
