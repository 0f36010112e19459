import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { benchDatabase, withPgClient } from './support/database.ts';
import { VirtualBrowser, deviceAgent } from './support/http.ts';
import { databaseCpuSince, machineCpu, nodeArgsFor, postgresCpuByPid, siblingFile, startServer, type ServerProcess } from './support/processes.ts';
import { ms, note, num, option, printTable, ratio, summarize, verdict } from './support/report.ts';
import { CLIENTS, benchContext, freePort, importEverything, newKey, rollcallEnv, seedDistrict, startBenchSimulators, studentIds } from './support/world.ts';

export const description = 'Sign-in storm (issue 9 §4): concurrent virtual students run the full "Log in with Clever/ClassLink" redirect flow, against a minimal floor';

interface Student {
  readonly provider: 'clever' | 'classlink';
  /** The simulator's login form value: a Clever user id, or "tenant:sourcedId" for ClassLink. */
  readonly login: string;
}

/** Per-database and per-table activity counters (PostgreSQL only), to tell statements and scans per sign-in. */
type DbStats = Map<string, number>;

async function databaseStats(url: string | undefined): Promise<DbStats | undefined> {
  if (!url) return undefined;
  return withPgClient(url, async (client) => {
    const stats: DbStats = new Map();
    const { rows: [d] } = await client.query<Record<string, string>>(
      'select xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit + blks_read as blocks from pg_stat_database where datname = current_database()',
    );
    for (const [k, v] of Object.entries(d ?? {})) stats.set(k, Number(v));
    const { rows } = await client.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null }>('select relname, seq_scan, seq_tup_read, idx_scan from pg_stat_user_tables');
    for (const r of rows) {
      stats.set(`seq_scan:${r.relname}`, Number(r.seq_scan));
      stats.set(`seq_tup_read:${r.relname}`, Number(r.seq_tup_read));
      stats.set(`idx_scan:${r.relname}`, Number(r.idx_scan ?? 0));
    }
    return stats;
  });
}

/** What changed between two snapshots, per sign-in, omitting what barely moved. */
function describeDbStats(before: DbStats | undefined, after: DbStats | undefined, signIns: number): string | undefined {
  if (!before || !after) return undefined;
  const parts: string[] = [];
  for (const [k, v] of after) {
    const per = (v - (before.get(k) ?? 0)) / signIns;
    if (per >= 0.05) parts.push(`${k} ${num(per, per < 10 ? 2 : 0)}`);
  }
  return parts.join(', ');
}

interface StormResult {
  /** CPU of the bench process itself (the virtual browsers and the provider simulators) per completed sign-in (ms). */
  readonly benchCpuMs: number;
  /** Server CPU per completed sign-in (ms), and how busy the whole machine was (%). */
  readonly serverCpuMs: number;
  /** CPU of the PostgreSQL backends serving the bench database per completed sign-in (ms); NaN on PGlite (inside the server) and for the floor. */
  readonly dbCpuMs: number;
  readonly machineBusy: number;
  readonly completed: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/**
 * One student's whole flow, as a browser does it: our start → the provider's
 * authorize (the login form post: no provider session needed) → our callback
 * (code exchange, who-am-I, account linking, session) → their class list.
 */
async function signIn(browser: VirtualBrowser, origin: string, student: Student): Promise<void> {
  browser.reset();
  const start = await browser.request('GET', `${origin}/auth/${student.provider}/start`);
  if (start.status !== 302 || !start.location) throw new Error(`start: HTTP ${start.status}`);
  const authorize = new URL(start.location);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('user', student.login);
  const posted = await browser.request('POST', `${authorize.origin}${authorize.pathname}`, form);
  if (posted.status !== 302 || !posted.location) throw new Error(`authorize: HTTP ${posted.status}`);
  const callback = await browser.request('GET', posted.location);
  if (callback.status !== 302 || !callback.location?.endsWith('/student')) throw new Error(`callback: HTTP ${callback.status} → ${callback.location ?? ''}`);
  const classes = await browser.request('GET', `${origin}/api/classes`);
  if (classes.status !== 200 || !Array.isArray((JSON.parse(classes.body) as { classes?: unknown }).classes)) throw new Error(`classes: HTTP ${classes.status}`);
}

/** `total` sign-ins by `concurrency` virtual students at once, each starting the next as soon as one ends. */
async function storm(origin: string, server: ServerProcess, students: readonly Student[], total: number, concurrency: number, offset: number, databaseUrl?: string): Promise<StormResult> {
  const cpu0 = server.cpuSeconds();
  const bench0 = process.cpuUsage();
  const db0 = postgresCpuByPid();
  const machine0 = machineCpu();
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_v, slot) => {
      const browser = new VirtualBrowser(deviceAgent(offset + slot));
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        try {
          await signIn(browser, origin, students[(offset + i) % students.length]!);
          latenciesMs.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const machine1 = machineCpu();
  const benchUsage = process.cpuUsage(bench0);
  const benchCpuMs = (benchUsage.user + benchUsage.system) / 1000 / Math.max(1, latenciesMs.length);
  const serverCpuMs = ((server.cpuSeconds() - cpu0) * 1000) / Math.max(1, latenciesMs.length);
  // PGlite runs inside the server process (its CPU is in serverCpuMs); the floor has no database.
  const dbCpuMs = databaseUrl ? ((await databaseCpuSince(databaseUrl, db0)) * 1000) / Math.max(1, latenciesMs.length) : Number.NaN;
  const machineBusy = (100 * (machine1.busy - machine0.busy)) / Math.max(1, machine1.total - machine0.total);
  return { benchCpuMs, serverCpuMs, dbCpuMs, machineBusy, completed: latenciesMs.length, errors, firstError, seconds: (performance.now() - started) / 1000, latenciesMs };
}

/** A server the storm runs against, and the rounds it has run. */
interface Contender {
  readonly label: string;
  readonly url: string;
  readonly server: ServerProcess;
  /** The PostgreSQL database it works on, whose backends' CPU is its own; none for the plain floor, and on PGlite (inside the server). */
  readonly databaseUrl?: string;
  readonly parts: StormResult[];
}

const rate = (r: StormResult): number => r.completed / r.seconds;

function resultRow(label: string, result: StormResult, rssMb: number): string[] {
  const s = summarize(result.latenciesMs);
  return [label, num(rate(result)), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), String(result.errors), num(result.serverCpuMs, 1), num(result.dbCpuMs, 1), num(result.benchCpuMs, 1), `${num(result.machineBusy)} %`, num(rssMb)];
}

/** Rollcall against a floor: throughput as floor ÷ Rollcall, latencies and CPU as Rollcall ÷ floor. */
function ratioRow(label: string, rollcall: StormResult, floor: StormResult): string[] {
  const r = summarize(rollcall.latenciesMs);
  const f = summarize(floor.latenciesMs);
  return [label, ratio(rate(floor), rate(rollcall)), ratio(r.p50, f.p50), ratio(r.p95, f.p95), ratio(r.p99, f.p99), '', '', ratio(rollcall.serverCpuMs, floor.serverCpuMs), ratio(rollcall.dbCpuMs, floor.dbCpuMs), ratio(rollcall.benchCpuMs, floor.benchCpuMs), '', ''];
}

/** Several storms as one: sums, latencies pooled, CPU figures weighted by completed sign-ins. */
function combine(parts: readonly StormResult[]): StormResult {
  const completed = parts.reduce((a, p) => a + p.completed, 0);
  const seconds = parts.reduce((a, p) => a + p.seconds, 0);
  const weighted = (f: (p: StormResult) => number) => parts.reduce((a, p) => a + f(p) * p.completed, 0) / Math.max(1, completed);
  return {
    benchCpuMs: weighted((p) => p.benchCpuMs),
    serverCpuMs: weighted((p) => p.serverCpuMs),
    dbCpuMs: weighted((p) => p.dbCpuMs),
    machineBusy: parts.reduce((a, p) => a + p.machineBusy * p.seconds, 0) / Math.max(1e-9, seconds),
    completed,
    errors: parts.reduce((a, p) => a + p.errors, 0),
    firstError: parts.find((p) => p.firstError !== undefined)?.firstError,
    seconds,
    latenciesMs: parts.flatMap((p) => p.latenciesMs),
  };
}

export async function run(args: readonly string[]): Promise<void> {
  const concurrency = option(args, 'concurrency', 50);
  const total = option(args, 'total', 2000);
  const size = option(args, 'students', 1000);
  // A web process meets the 8:00 storm warm: it has been up since its deploy, serving teachers and earlier
  // sign-ins. V8 takes over a thousand sign-ins to finish optimizing Rollcall's wide path (Fastify plugins,
  // openid-client, Kysely, pg): after 300, its optimizing compiler still took a fifth of the server's CPU
  // during the measured storm (perf). Both servers get the same warm-up; --warmup 300 shows the colder figures.
  const warmup = Math.min(total, option(args, 'warmup', 2000));
  // Rollcall and the floor take turns in this many rounds, so that other work on the machine (which comes and
  // goes over minutes) weighs on both alike and the ratios stay meaningful.
  const rounds = Math.min(total, option(args, 'rounds', 4));

  const db = await benchDatabase();
  const origin = async () => `http://127.0.0.1:${await freePort()}`;
  const rollcallUrl = await origin();
  const floorUrl = await origin();
  // On PostgreSQL, a second floor makes Rollcall's five database round trips too, with bare pg: what is left
  // between it and Rollcall is Rollcall's own code. The target stays against the plain floor.
  const dbFloorUrl = db.copy ? await origin() : undefined;
  const sims = await startBenchSimulators([rollcallUrl, floorUrl, ...(dbFloorUrl ? [dbFloorUrl] : [])], size);
  const info = sims.districts[0]!;
  const key = newKey();
  const env = rollcallEnv(sims, rollcallUrl, key);
  const started: ServerProcess[] = [];
  const start = async (args: readonly string[], serverEnv: Record<string, string>, url: string) => {
    const server = await startServer(args, serverEnv, `${url}/healthz`);
    started.push(server);
    return server;
  };
  try {
    // A district at the start of a school year: every teacher imported every section, so each student has an account and classes.
    const setup = performance.now();
    const ctx = await benchContext(db, env, key);
    const district = await seedDistrict(ctx, info);
    const sections = (await importEverything(ctx, district, district.integrations.clever, sims)) + (await importEverything(ctx, district, district.integrations.classlink, sims));
    const clever = (await studentIds(district, district.integrations.clever, sims)).map((id): Student => ({ provider: 'clever', login: id }));
    const classlink = (await studentIds(district, district.integrations.classlink, sims)).map((id): Student => ({ provider: 'classlink', login: `${info.classlinkTenantId}:${id}` }));
    // The storm comes hours or days after the imports, when autovacuum has long analyzed the new rows; without
    // statistics the planner reads whole indexes (e.g. every active enrollment for one student's class list).
    await sql`analyze`.execute(ctx.database.db);
    await ctx.close();
    // The database floor works on a copy of the seeded database, so the activity counters below stay Rollcall's alone.
    const dbFloorDatabase = dbFloorUrl ? await db.copy!() : undefined;
    // Alternate providers so both flows share the storm evenly.
    const students = clever.flatMap((s, i) => (classlink[i] ? [s, classlink[i]] : [s]));
    note(`\nsign-in storm on ${db.label}: ${students.length / 2} students per provider, ${sections} imported sections (set-up ${num((performance.now() - setup) / 1000, 1)} s); ${total} sign-ins, ${concurrency} at a time, after ${warmup} warm-up sign-ins`);

    // BENCH_PROFILE=<dir> writes V8 CPU profiles of the server under test and of the floors there (open them in Chrome DevTools).
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const floorArgs = [...profile, ...nodeArgsFor(import.meta.url), siblingFile(import.meta.url, './support/floor-server')];
    const floorEnv = (url: string) => ({
      PORT: new URL(url).port,
      PUBLIC_URL: url,
      CLEVER_URL: sims.clever.url,
      CLASSLINK_URL: sims.classlink.url,
      CLEVER_CLIENT_ID: CLIENTS.clever.clientId,
      CLEVER_CLIENT_SECRET: CLIENTS.clever.clientSecret,
      CLASSLINK_CLIENT_ID: CLIENTS.classlink.clientId,
      CLASSLINK_CLIENT_SECRET: CLIENTS.classlink.clientSecret,
    });
    const rollcallServer = await start([...profile, 'bin/rollcall.mjs', 'serve'], { ...env, ...db.env, HOST: '127.0.0.1', PORT: new URL(rollcallUrl).port, LOG_LEVEL: 'info' }, rollcallUrl);
    const contenders: Contender[] = [
      { label: 'Rollcall', url: rollcallUrl, server: rollcallServer, parts: [], ...(db.env.DATABASE_URL ? { databaseUrl: db.env.DATABASE_URL } : {}) },
      { label: 'floor (minimal Fastify, same round trips)', url: floorUrl, server: await start(floorArgs, floorEnv(floorUrl), floorUrl), parts: [] },
    ];
    if (dbFloorUrl && dbFloorDatabase) {
      const dbFloorEnv = { ...floorEnv(dbFloorUrl), DATABASE_URL: dbFloorDatabase, CLEVER_TENANT_KEY: info.cleverDistrictId, CLASSLINK_TENANT_KEY: info.classlinkTenantId };
      contenders.push({ label: 'database floor (same round trips + the same 5 statements)', url: dbFloorUrl, server: await start(floorArgs, dbFloorEnv, dbFloorUrl), databaseUrl: dbFloorDatabase, parts: [] });
    }
    for (const c of contenders) await storm(c.url, c.server, students, warmup, concurrency, 0);
    // What autovacuum does within its first minute on a live database: statistics for the tables the
    // warm-up grew (sessions). The sign-in statements are prepared, and a plan made while a table was
    // empty (a sequential scan) stays until the next ANALYZE; a fresh bench database would otherwise
    // measure that first minute instead of a running service.
    for (const c of contenders) if (c.databaseUrl) await withPgClient(c.databaseUrl, (client) => client.query('analyze'));
    // The activity counters cover the measured rounds only. A backend that goes idle reports its counts
    // within PostgreSQL's idle flush interval (10 s), so wait that out before the snapshot.
    if (db.env.DATABASE_URL) await new Promise((r) => setTimeout(r, 11_000));
    const stats0 = await databaseStats(db.env.DATABASE_URL);
    for (let round = 0; round < rounds; round++) {
      const from = Math.floor((total * round) / rounds);
      const n = Math.floor((total * (round + 1)) / rounds) - from;
      // Same students, same client code, same simulators: only the server differs.
      for (const c of contenders) c.parts.push(await storm(c.url, c.server, students, n, concurrency, warmup + from, c.databaseUrl));
    }
    const [rollcall, floor, dbFloor] = contenders.map((c) => ({ label: c.label, result: combine(c.parts), rssMb: c.server.peakRssMb() }));
    for (const server of started.splice(0)) await server.stop();
    if (db.env.DATABASE_URL) await new Promise((r) => setTimeout(r, 1500));
    const dbStats = describeDbStats(stats0, await databaseStats(db.env.DATABASE_URL), total);

    const r = summarize(rollcall!.result.latenciesMs);
    const f = summarize(floor!.result.latenciesMs);
    const rRate = rate(rollcall!.result);
    const fRate = rate(floor!.result);
    printTable(
      `Sign-in storm — ${db.label}, ${concurrency} concurrent, ${total} sign-ins each (Clever and ClassLink alternating; Rollcall and the floors in ${rounds} alternating rounds)`,
      ['', 'sign-ins/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'server CPU ms/sign-in', 'PostgreSQL CPU ms/sign-in', 'bench CPU ms/sign-in', 'machine busy', 'peak RSS MB'],
      [
        resultRow(rollcall!.label, rollcall!.result, rollcall!.rssMb),
        resultRow(floor!.label, floor!.result, floor!.rssMb),
        ratioRow('Rollcall ÷ floor', rollcall!.result, floor!.result),
        ...(dbFloor ? [resultRow(dbFloor.label, dbFloor.result, dbFloor.rssMb), ratioRow('Rollcall ÷ database floor', rollcall!.result, dbFloor.result)] : []),
      ],
    );
    note(`targets: ≥ 500 sign-ins/s: ${verdict(rRate >= 500)} (${num(rRate)}); p99 ≤ 250 ms: ${verdict(r.p99 <= 250)} (${ms(r.p99)}); within 2× of the floor: ${verdict(fRate / rRate <= 2 && r.p99 / f.p99 <= 2)} (throughput ${ratio(fRate, rRate)} slower, p99 ${ratio(r.p99, f.p99)})`);
    note('(throughput ratio = floor ÷ Rollcall, so 1.00× means as fast as the floor; latency ratios = Rollcall ÷ floor)');
    if (dbStats !== undefined) note(`database activity per measured Rollcall sign-in (transactions, rows, table scans): ${dbStats}`);
    note('(bench CPU = this process: the virtual browsers and the provider simulators, which share the machine with the server under test)');
    if (dbFloor) note('(database floor = the floor plus the five database round trips of a Rollcall sign-in, as bare pg prepared statements on a copy of the bench database: what separates it from Rollcall is Rollcall\'s own code; the targets above stay against the plain floor, as the issue sets them)');
    for (const c of [rollcall, floor, dbFloor]) if (c?.result.firstError) note(`first error of ${c.label}: ${c.result.firstError}`);
  } finally {
    for (const server of started) await server.stop();
    await sims.close();
    await db.drop();
  }
}
