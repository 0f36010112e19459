import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import { sectionFields } from '../../src/domain/rostering/roster-mapping.ts';
import { createTestDatabase, engine } from '../support/database.ts';
import { repoRoot } from '../support/processes.ts';

/**
 * kill -9 a `rollcall sync --full` process at seeded random points of a large
 * sync; the next run must end in exactly the state the provider describes:
 * no duplicate users or classes, no lost enrollments, no orphans.
 */
const POINTS = Number(process.env.ROLLCALL_CRASH_POINTS ?? (process.env.CI === 'true' ? 12 : 10));
const STUDENTS = 1500;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe(`crash recovery of a large full sync (${engine})`, () => {
  let sims: RunningSimulators;
  let district: SimDistrictInfo;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let integrationId: string;
  const key = Buffer.alloc(32, 9).toString('base64');

  const open = async (): Promise<AppContext> => {
    const config = loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    return createContext(config, { logger: createLogger('silent'), supervise: false, target: db.target.kind === 'pglite' ? { kind: 'pglite', dataDir } : db.target, masterKey: Buffer.from(key, 'base64') });
  };

  beforeAll(async () => {
    sims = await startSimulators({ districts: [{ kind: 'generated', students: STUDENTS, seed: 42, name: 'Crash Test USD' }] });
    district = sims.districts[0]!;
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'rollcall-crash-'));
    env = {
      ...(db.target.kind === 'postgres' ? { DATABASE_URL: db.target.url } : { ROLLCALL_DATA_DIR: dataDir }),
      ROLLCALL_ENCRYPTION_KEY: key,
      ROLLCALL_DEMO: 'false',
      CLEVER_AUTH_URL: sims.clever.url,
      CLEVER_API_URL: sims.clever.url,
      CLEVER_CLIENT_ID: 'rollcall-clever-demo',
      CLEVER_CLIENT_SECRET: 'clever-demo-secret',
      ROLLCALL_PROVIDER_PAGE_SIZE: '100',
      // A killed run's lease must lapse quickly for the next attempt to take over.
      ROLLCALL_SYNC_LEASE_SECONDS: '2',
    };
    // Every section becomes an (empty) imported class: the full sync then does all the roster work.
    const ctx = await open();
    const cli = { kind: 'cli' } as const;
    const d = await ctx.services.operator.createDistrict(cli, district.name);
    const integration = await ctx.services.integrations.connectClever(cli, { districtId: d.id, cleverDistrictId: district.cleverDistrictId });
    integrationId = integration.id;
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, pageSize: 1000 });
    for await (const page of provider.allSections()) {
      for (const s of page) {
        if (s.status !== 'active' || (s.term?.endDate && s.term.endDate < new Date().toISOString().slice(0, 10))) continue;
        await ctx.store.classes.upsertFromSection({ integrationId, externalId: s.externalId, districtId: d.id, source: 'clever', createdBy: null, fields: sectionFields(s, null) }, new Date());
      }
    }
    await ctx.close();
  }, 120_000);

  afterAll(async () => {
    await sims?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runSync = (killAfterMs?: number) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
      const started = Date.now();
      const child = spawn(process.execPath, [join(repoRoot, 'bin/rollcall.mjs'), 'sync', integrationId, '--full', '--json'], { cwd: repoRoot, env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, stdio: 'ignore' });
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, ms: Date.now() - started });
      });
    });

  /** What the provider says every imported class's roster is, by Clever ids. */
  async function expectedState(imported: ReadonlySet<string>): Promise<string[]> {
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, pageSize: 1000 });
    const out: string[] = [];
    for await (const page of provider.allSections()) {
      for (const s of page) if (imported.has(s.externalId)) for (const id of s.studentIds ?? []) out.push(`${s.externalId}|${id}`);
    }
    return out.sort();
  }

  async function actualState(ctx: AppContext) {
    const rows = await ctx.database.db
      .selectFrom('enrollments')
      .innerJoin('classes', 'classes.id', 'enrollments.class_id')
      .innerJoin('identities', 'identities.user_id', 'enrollments.user_id')
      .select(['classes.external_id', 'identities.external_id as student'])
      .where('enrollments.status', '=', 'active')
      .execute();
    const pairs = rows.map((r) => `${r.external_id}|${r.student}`).sort();
    const students = await ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('role', '=', 'student').executeTakeFirstOrThrow();
    const identities = await ctx.database.db.selectFrom('identities').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const orphans = await ctx.database.db
      .selectFrom('users')
      .leftJoin('identities', 'identities.user_id', 'users.id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('users.role', '=', 'student')
      .where('identities.id', 'is', null)
      .executeTakeFirstOrThrow();
    const classes = await ctx.database.db.selectFrom('classes').select(['external_id', 'archived_at']).execute();
    return { imported: new Set(classes.filter((c) => c.archived_at === null).map((c) => c.external_id!)), pairs, students: Number(students.n), identities: Number(identities.n), orphans: Number(orphans.n), duplicateClasses: classes.length - new Set(classes.map((c) => c.external_id)).size };
  }

  it(`ends every interrupted run in the state of a clean one (${POINTS} kill points)`, async () => {
    // Measure a clean run's length on a copy of the work: kill points fall inside it.
    const probe = await runSync(120_000);
    expect(probe.code).toBe(0);
    const full = probe.ms;
    // Start over: remove everything the probe wrote, keeping the empty classes.
    const ctx = await open();
    await ctx.database.db.deleteFrom('roster_changes').execute();
    await ctx.database.db.deleteFrom('enrollments').execute();
    await ctx.database.db.deleteFrom('identities').execute();
    await ctx.database.db.deleteFrom('users').where('role', '=', 'student').execute();
    await ctx.close();

    const random = seeded(20261128);
    let killed = 0;
    for (let i = 0; i < POINTS; i++) {
      // Process start-up is part of the run; aim anywhere from 40 % to 100 % of it.
      const at = Math.round(full * (0.4 + 0.6 * random()));
      const result = await runSync(at);
      if (result.signal === 'SIGKILL') {
        killed++;
        await new Promise((r) => setTimeout(r, 2100)); // the dead run's lease lapses (not a timing assertion)
      }
    }
    const finish = await runSync();
    expect(finish.code).toBe(0);

    const after = await open();
    const state = await actualState(after);
    await after.close();
    const expected = await expectedState(state.imported);
    const mismatches = expected.filter((p) => !state.pairs.includes(p)).length + state.pairs.filter((p) => !expected.includes(p)).length;
    console.log(`[crash suite] expected ${expected.length} enrollments, found ${state.pairs.length}`);
    console.log(`[crash suite] ${POINTS} kill points tried (${killed} killed mid-run), mismatches: ${mismatches}, orphans: ${state.orphans}, duplicate classes: ${state.duplicateClasses}`);
    expect(killed).toBeGreaterThan(0);
    expect(mismatches).toBe(0);
    expect(state.orphans).toBe(0);
    expect(state.duplicateClasses).toBe(0);
    expect(state.students).toBe(state.identities);
  }, 600_000);
});

