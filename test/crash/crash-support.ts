import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { RunningSimulators } from '../../sim/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import type { DatabaseTarget } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { repoRoot } from '../support/processes.ts';

/**
 * Shared pieces of the crash suite: seeded kill points, real processes that
 * are killed with SIGKILL, and a snapshot of the roster data keyed by provider
 * ids (never by our uuids or timestamps) so a crashed-and-recovered database
 * can be compared with a clean run's.
 */

/**
 * What both crash tests' `rollcall` processes and in-test contexts share: the
 * database (PostgreSQL, or the PGlite data directory every process opens in
 * turn), one encryption key, and the Clever simulator as the provider.
 */
export function crashWorld(target: DatabaseTarget, dataDir: string, sims: RunningSimulators, extraEnv: Record<string, string>) {
  const key = Buffer.alloc(32, 9).toString('base64');
  const env: Record<string, string> = {
    ...(target.kind === 'postgres' ? { DATABASE_URL: target.url } : { ROLLCALL_DATA_DIR: dataDir }),
    ROLLCALL_ENCRYPTION_KEY: key,
    ROLLCALL_DEMO: 'false',
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: sims.clever.url,
    CLEVER_CLIENT_ID: 'rollcall-clever-demo',
    CLEVER_CLIENT_SECRET: 'clever-demo-secret',
    ...extraEnv,
  };
  /** A context on the same database, in this process (no workers): set-up and snapshots. */
  const open = (): Promise<AppContext> =>
    createContext(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
      logger: createLogger('silent'),
      supervise: false,
      target: target.kind === 'pglite' ? { kind: 'pglite', dataDir } : target,
      masterKey: Buffer.from(key, 'base64'),
    });
  /** The simulated district as a Rollcall district connected to Clever (the state both crash tests start from). */
  const connectDistrict = async (ctx: AppContext) => {
    const district = sims.districts[0]!;
    const cli = { kind: 'cli' } as const;
    const d = await ctx.services.operator.createDistrict(cli, district.name);
    const integration = await ctx.services.integrations.connectClever(cli, { districtId: d.id, cleverDistrictId: district.cleverDistrictId });
    return { districtId: d.id, integration };
  };
  return { env, open, connectDistrict };
}

/** A small LCG: the same seed gives the same kill points on every machine. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** ROLLCALL_CRASH_POINTS wins; CI runs the long variant, a developer's `npm test` a short one. */
export function crashPoints(defaults: { ci: number; local: number }): number {
  const override = Number.parseInt(process.env.ROLLCALL_CRASH_POINTS ?? '', 10);
  if (Number.isFinite(override) && override > 0) return override;
  return process.env.CI === 'true' ? defaults.ci : defaults.local;
}

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From spawn to exit. */
  readonly ms: number;
  readonly output: string;
}

export interface CrashableProcess {
  /** Resolves once the output matches (spawn → ready, in ms), or rejects if the process exits first. */
  readonly ready: Promise<number>;
  readonly exited: Promise<ProcessResult>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<ProcessResult>;
}

/** Spawns `bin/rollcall.mjs <args>`; `ready` is a pattern of its output that says it is working. */
export function spawnRollcall(args: readonly string[], env: Record<string, string>, ready: RegExp = /$^/): CrashableProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [join(repoRoot, 'bin/rollcall.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let onReady: (ms: number) => void = () => undefined;
  let onEarlyExit: (error: Error) => void = () => undefined;
  const readyPromise = new Promise<number>((resolve, reject) => {
    onReady = resolve;
    onEarlyExit = reject;
  });
  readyPromise.catch(() => undefined); // callers that never wait for readiness
  const onData = (d: Buffer) => {
    out += d.toString();
    if (ready.test(out)) onReady(Date.now() - started);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on('exit', (code, signal) => {
      onEarlyExit(new Error(`rollcall ${args.join(' ')} exited (${signal ?? code}) before it was ready:\n${out.slice(-4000)}`));
      resolve({ code, signal, ms: Date.now() - started, output: out });
    });
  });
  return {
    ready: readyPromise,
    exited,
    output: () => out,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The roster data as facts named by provider ids, each kept as often as it
 * occurs (a duplicated class or enrollment shows up as a second copy), plus
 * the problems no clean run can have: orphans and runs that never ended.
 */
export interface RosterSnapshot {
  readonly facts: Readonly<Record<string, readonly string[]>>;
  readonly problems: readonly string[];
}

export async function snapshotRoster(db: Kysely<DB>, options: { runTriggers?: readonly string[] } = {}): Promise<RosterSnapshot> {
  const rows = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;
  const classes = await rows<{ fact: string }>(sql`
    select concat_ws('|', c.external_id, c.name, c.period, c.term_name, case when c.archived_at is null then 'live' else 'archived' end) as fact
    from classes c`);
  const teachers = await rows<{ fact: string }>(sql`
    select concat_ws('|', c.external_id, coalesce(u.email, u.name), case when t.removed_at is null then 'teaching' else 'left' end) as fact
    from class_teachers t join classes c on c.id = t.class_id join users u on u.id = t.user_id`);
  const students = await rows<{ fact: string }>(sql`
    select concat_ws('|', coalesce(i.provider || ':' || i.external_id, 'no identity'), u.name, coalesce(u.email, '-'), coalesce(u.grade, '-')) as fact
    from users u left join identities i on i.user_id = u.id where u.role = 'student'`);
  const enrollments = await rows<{ fact: string }>(sql`
    select concat_ws('|', c.external_id, coalesce(i.external_id, u.id::text), e.status) as fact
    from enrollments e join classes c on c.id = e.class_id join users u on u.id = e.user_id left join identities i on i.user_id = u.id`);
  const changes = await rows<{ fact: string }>(sql`
    select concat_ws('|', c.external_id, coalesce(i.external_id, u.id::text), r.change) as fact
    from roster_changes r join classes c on c.id = r.class_id join users u on u.id = r.user_id left join identities i on i.user_id = u.id`);

  const problems: string[] = [];
  const orphanStudents = await rows<{ n: number }>(sql`
    select count(*)::int as n from users u where u.role = 'student' and not exists (select 1 from identities i where i.user_id = u.id)`);
  if (orphanStudents[0]!.n > 0) problems.push(`${orphanStudents[0]!.n} student accounts without an identity`);
  const orphanIdentities = await rows<{ n: number }>(sql`
    select count(*)::int as n from identities i where not exists (select 1 from users u where u.id = i.user_id)`);
  if (orphanIdentities[0]!.n > 0) problems.push(`${orphanIdentities[0]!.n} identities without an account`);
  // Enrollments and history have no foreign keys (migration 0005): nothing but the code keeps them pointing at something.
  const danglingEnrollments = await rows<{ n: number }>(sql`
    select count(*)::int as n from enrollments e
    where not exists (select 1 from classes c where c.id = e.class_id) or not exists (select 1 from users u where u.id = e.user_id)`);
  if (danglingEnrollments[0]!.n > 0) problems.push(`${danglingEnrollments[0]!.n} enrollments of a class or student that does not exist`);
  const danglingChanges = await rows<{ n: number }>(sql`
    select count(*)::int as n from roster_changes r
    where not exists (select 1 from classes c where c.id = r.class_id) or not exists (select 1 from users u where u.id = r.user_id)
       or (r.run_id is not null and not exists (select 1 from sync_runs s where s.id = r.run_id))`);
  if (danglingChanges[0]!.n > 0) problems.push(`${danglingChanges[0]!.n} roster changes of a class, student or run that does not exist`);
  const emptyImports = await rows<{ n: number }>(sql`
    select count(*)::int as n from classes c where c.created_by is not null and not exists (select 1 from class_teachers t where t.class_id = c.id)`);
  if (emptyImports[0]!.n > 0) problems.push(`${emptyImports[0]!.n} imported classes without a teacher`);
  const strandedChanges = await rows<{ n: number }>(sql`
    select count(*)::int as n from roster_changes r where not exists (select 1 from enrollments e where e.class_id = r.class_id and e.user_id = r.user_id)`);
  if (strandedChanges[0]!.n > 0) problems.push(`${strandedChanges[0]!.n} roster changes without their enrollment`);
  if (options.runTriggers && options.runTriggers.length > 0) {
    const unfinished = await rows<{ trigger: string; status: string; n: number }>(sql`
      select trigger, status, count(*)::int as n from sync_runs
      where status in ('queued', 'running') and trigger in (${sql.join(options.runTriggers)})
      group by 1, 2`);
    for (const r of unfinished) problems.push(`${r.n} ${r.trigger} runs still '${r.status}'`);
  }
  const sorted = (list: { fact: string }[]) => list.map((r) => r.fact).sort();
  return { facts: { classes: sorted(classes), teachers: sorted(teachers), students: sorted(students), enrollments: sorted(enrollments), roster_changes: sorted(changes) }, problems };
}

/** Facts missing or extra (counting copies) per kind, plus every problem of the actual snapshot. */
export function compareSnapshots(expected: RosterSnapshot, actual: RosterSnapshot): { mismatches: number; details: string[] } {
  const details: string[] = [];
  let mismatches = 0;
  for (const kind of new Set([...Object.keys(expected.facts), ...Object.keys(actual.facts)])) {
    const counts = new Map<string, number>();
    for (const f of expected.facts[kind] ?? []) counts.set(f, (counts.get(f) ?? 0) + 1);
    for (const f of actual.facts[kind] ?? []) counts.set(f, (counts.get(f) ?? 0) - 1);
    let missing = 0;
    let extra = 0;
    const examples: string[] = [];
    for (const [fact, n] of counts) {
      if (n === 0) continue;
      if (n > 0) missing += n;
      else extra -= n;
      if (examples.length < 3) examples.push(`${n > 0 ? 'missing' : 'extra'} ${fact}`);
    }
    if (missing + extra > 0) details.push(`${kind}: ${missing} missing, ${extra} extra (${examples.join('; ')})`);
    mismatches += missing + extra;
  }
  for (const p of actual.problems) details.push(p);
  return { mismatches: mismatches + actual.problems.length, details };
}

/** The one figure each crash variant prints. */
export function reportFigure(kind: 'sync' | 'import', engine: string, points: number, mismatches: number, extra = ''): void {
  console.log(`crash suite (${kind}, ${engine}): ${points} points tried, ${mismatches} mismatches${extra ? ` (${extra})` : ''}`);
}
