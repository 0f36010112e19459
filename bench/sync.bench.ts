import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { from as copyFrom } from 'pg-copy-streams';
import { startSimulators } from '../sim/index.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createRosterProvider } from '../src/providers/index.ts';
import { sectionFields } from '../src/domain/rostering/roster-mapping.ts';
import type { DatabaseTarget } from '../src/db/database.ts';
import { pgliteBenchDatabase, postgresBenchDatabase, withPgClient, type BenchDatabase } from './support/database.ts';
import { nodeArgsFor } from './support/processes.ts';
import { note, num, printTable, ratio, verdict } from './support/report.ts';

export const description = 'Full reconciliation, no-change re-sync and a 1,000-change delta, against fetch-only and raw-COPY floors, on PostgreSQL and PGlite';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throw-away database on the PostgreSQL server at PG_URL, or null when none answers there (PGlite only then). */
async function postgresDatabase(): Promise<BenchDatabase | null> {
  // Only a failure to connect means "no PostgreSQL here"; a failed create stays an error.
  try {
    await withPgClient(PG_URL, async () => undefined);
  } catch {
    return null;
  }
  return postgresBenchDatabase(PG_URL);
}

// A full collection before each measured run, so a peak is the run's own memory, not garbage the
// set-up or the previous run left behind (V8 grows its heap lazily).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Peak RSS while `work` runs, sampled every 20 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number; seconds: number }> {
  collect();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const value = await work();
    return { value, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/** Raw COPY of the same rows into an unindexed table: the floor for writing them. */
async function copyFloor(ctx: AppContext, rows: string[]): Promise<number> {
  const started = performance.now();
  const text = rows.join('\n') + '\n';
  if (ctx.database.kind === 'postgres') {
    await withPgClient(ctx.database.url!, async (client) => {
      await client.query('create temporary table copy_floor (a text, b text, c text)');
      await pipeline(Readable.from([text]), client.query(copyFrom('copy copy_floor from stdin')));
    });
  } else {
    const lite = ctx.database.pglite!;
    await lite.query('create table if not exists copy_floor (a text, b text, c text)');
    await lite.query("copy copy_floor from '/dev/blob'", [], { blob: new Blob([text]) });
    await lite.query('drop table copy_floor');
  }
  return (performance.now() - started) / 1000;
}

interface SimHandle {
  readonly url: string;
  readonly district: { name: string; cleverDistrictId: string; cleverDistrictToken: string };
  change(body: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The simulator runs in its own process, so the peak RSS measured here is the
 * app's (sync engine, database client; PGlite's engine when in-process), not
 * the simulated district's.
 */
async function startSimProcess(students: number): Promise<SimHandle> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgsFor(import.meta.url), fileURLToPath(import.meta.url), '--sim-child', String(students)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => resolve(l));
    child.once('exit', (code) => reject(new Error(`simulator process exited (${code})`)));
  });
  const info = JSON.parse(line) as { url: string; name: string; cleverDistrictId: string; cleverDistrictToken: string };
  return {
    url: info.url,
    district: info,
    async change(body) {
      const res = await fetch(`${info.url}/_control/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`simulator change failed: ${res.status} ${await res.text()}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[2] === '--sim-child') {
  const students = Number(process.argv[3]);
  const sims = await startSimulators({ districts: [{ kind: 'generated', students, seed: 7, name: `Bench ${students}` }], rateLimitPerMinute: 1_000_000 });
  const d = sims.districts[0]!;
  process.stdout.write(`${JSON.stringify({ url: sims.clever.url, name: d.name, cleverDistrictId: d.cleverDistrictId, cleverDistrictToken: d.cleverDistrictToken })}\n`);
  process.once('SIGTERM', () => void sims.close().then(() => process.exit(0)));
  // The bench went away without saying so: do not outlive it.
  process.stdin.once('end', () => process.exit(0));
  process.stdin.resume();
}

async function benchOne(engine: string, target: DatabaseTarget, students: number) {
  const sims = await startSimProcess(students);
  const district = sims.district;
  const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', ROLLCALL_DEMO: 'false', CLEVER_AUTH_URL: sims.url, CLEVER_API_URL: sims.url, CLEVER_CLIENT_ID: 'rollcall-clever-demo', CLEVER_CLIENT_SECRET: 'clever-demo-secret' };
  const ctx = await createContext(loadConfig(env), { logger: createLogger('silent'), supervise: false, target, masterKey: randomBytes(32), poolSize: 4 });
  try {
    const cli = { kind: 'cli' } as const;
    const d = await ctx.services.operator.createDistrict(cli, district.name);
    const integration = await ctx.services.integrations.connectClever(cli, { districtId: d.id, cleverDistrictId: district.cleverDistrictId });
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.url, districtToken: district.cleverDistrictToken, pageSize: 1000, http: { requestsPerMinute: null } });

    // Every current section imported (as classes without students: the sync fills them).
    let sectionCount = 0;
    const today = new Date().toISOString().slice(0, 10);
    for await (const page of provider.allSections()) {
      for (const s of page) {
        if (s.status !== 'active' || (s.term?.endDate && s.term.endDate < today)) continue;
        await ctx.store.classes.upsertFromSection({ integrationId: integration.id, externalId: s.externalId, districtId: d.id, source: 'clever', createdBy: null, fields: sectionFields(s, null) }, new Date());
        sectionCount++;
      }
    }

    // Floor 1: the same provider pages, read and discarded.
    const fetchStarted = performance.now();
    let rows: string[] = [];
    for await (const page of provider.allSections()) for (const s of page) for (const id of s.studentIds ?? []) rows.push(`${s.externalId}\t${id}\t`);
    for await (const page of provider.allStudents()) for (const p of page) rows.push(`${p.externalId}\t${p.givenName} ${p.familyName}\t${p.email ?? ''}`);
    const fetchSeconds = (performance.now() - fetchStarted) / 1000;
    // Floor 2: raw COPY of those rows into an empty table.
    const copySeconds = await copyFloor(ctx, rows);
    const rowCount = rows.length;
    rows = []; // not kept alive through the syncs: their peak RSS is the sync's
    // What the process holds before any sync (runtime, database client; PGlite's engine when in-process).
    collect();
    const idleMb = process.memoryUsage().rss / 2 ** 20;

    const sync = (kind: 'full' | 'delta') => ctx.services.syncEngine.run(integration.id, { kind, trigger: kind });
    const first = await withPeakRss(() => sync('full'));
    const written = (first.value.counts.created ?? 0) + (first.value.counts.enrolled ?? 0);
    const again = await withPeakRss(() => sync('full'));

    // 1,000 changes at the provider, then a delta.
    const sample = await ctx.database.db
      .selectFrom('enrollments')
      .innerJoin('classes', 'classes.id', 'enrollments.class_id')
      .innerJoin('identities', 'identities.user_id', 'enrollments.user_id')
      .select(['classes.external_id as section', 'identities.external_id as student'])
      .where('enrollments.status', '=', 'active')
      .limit(1000)
      .execute();
    const sections = [...new Set(sample.map((s) => s.section!))];
    let changes = 0;
    for (const [i, row] of sample.entries()) {
      if (changes >= 1000) break;
      if (i % 2 === 0) await sims.change({ change: 'rename-user', user: row.student, givenName: `Renamed${i}` });
      else await sims.change({ change: 'add-student', section: sections[i % sections.length]!, newStudent: { givenName: `New${i}`, familyName: 'Student' } });
      changes++;
    }
    // Floor 3: the same change pages, read from the saved cursor and discarded.
    const cursor = (await ctx.store.sync.syncState(integration.id))?.delta_cursor;
    if (cursor == null) throw new Error('the full sync saved no cursor');
    const feedStarted = performance.now();
    let events = 0;
    for await (const page of provider.changesSince(cursor)) events += page.changes.length;
    const feedSeconds = (performance.now() - feedStarted) / 1000;
    const delta = await withPeakRss(() => sync('delta'));
    return { engine, students, sectionCount, rows: rowCount, idleMb, fetchSeconds, copySeconds, first, written, again, delta, changes, events, feedSeconds };
  } finally {
    await ctx.close();
    await sims.close();
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const sizesAt = args.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? args[sizesAt + 1]!.split(',').map(Number) : [10_000, 50_000, 100_000];
  const enginesAt = args.indexOf('--engines');
  const only = enginesAt >= 0 ? args[enginesAt + 1]!.split(',') : ['postgres', 'pglite'];
  const engines: { name: string; make: () => Promise<BenchDatabase | null> }[] = [
    { name: 'postgres', make: postgresDatabase },
    { name: 'pglite', make: async () => pgliteBenchDatabase() },
  ].filter((e) => only.includes(e.name));
  const results = [];
  for (const engine of engines) {
    for (const students of sizes) {
      const db = await engine.make();
      if (!db) {
        note(`(skipped ${engine.name}: no PostgreSQL at ${PG_URL})`);
        break;
      }
      try {
        results.push(await benchOne(engine.name, db.target, students));
      } finally {
        await db.drop();
      }
    }
  }
  printTable(
    'Full reconciliation (every section imported)',
    ['engine', 'students', 'sections', 'full sync s', 'rows written/s', 'floor s (fetch+COPY)', 'ratio', '≤ 3×', 'RSS before MB', 'peak RSS MB'],
    results.map((r) => {
      const floor = r.fetchSeconds + r.copySeconds;
      return [r.engine, num(r.students), num(r.sectionCount), num(r.first.seconds, 2), num(r.written / r.first.seconds), num(floor, 2), ratio(r.first.seconds, floor), verdict(r.first.seconds <= 3 * floor), num(r.idleMb), num(r.first.peakMb)];
    }),
  );
  printTable(
    'No-change re-sync and a 1,000-change delta',
    ['engine', 'students', 're-sync s', 'fetch floor s', 'ratio', '≤ 1.3×', 'delta s', 'changes (feed records)', 'feed floor s', 'delta / first full', '≤ 2 %', 'peak RSS MB'],
    results.map((r) => [
      r.engine,
      num(r.students),
      num(r.again.seconds, 2),
      num(r.fetchSeconds, 2),
      ratio(r.again.seconds, r.fetchSeconds),
      verdict(r.again.seconds <= 1.3 * r.fetchSeconds),
      num(r.delta.seconds, 2),
      `${num(r.changes)} (${num(r.events)})`,
      num(r.feedSeconds, 2),
      `${num((100 * r.delta.seconds) / r.first.seconds, 1)} %`,
      verdict(r.delta.seconds <= 0.02 * r.first.seconds),
      num(Math.max(r.again.peakMb, r.delta.peakMb)),
    ]),
  );
  const pgRows = results.filter((r) => r.engine === 'postgres');
  const liteRows = results.filter((r) => r.engine === 'pglite');
  if (pgRows.length && liteRows.length) {
    printTable(
      'PGlite against PostgreSQL (first full sync)',
      ['students', 'PostgreSQL s', 'PGlite s', 'ratio', '≤ 2×'],
      pgRows.map((p) => {
        const l = liteRows.find((x) => x.students === p.students);
        return [num(p.students), num(p.first.seconds, 2), num(l?.first.seconds ?? NaN, 2), ratio(l?.first.seconds ?? NaN, p.first.seconds), verdict(!!l && l.first.seconds <= 2 * p.first.seconds)];
      }),
    );
  }
}
