import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import type { AppContext } from '../../src/context.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import { sectionFields } from '../../src/domain/rostering/roster-mapping.ts';
import { createTestDatabase, engine } from '../support/database.ts';
import { compareSnapshots, crashPoints, crashWorld, reportFigure, seeded, snapshotRoster, spawnRollcall } from './crash-support.ts';

/**
 * kill -9 a `rollcall sync --full` process at seeded random points of a large
 * sync; the next run must end in exactly the state of a clean run, which is
 * the state the provider describes: no duplicate users or classes, no lost
 * enrollments, no orphans.
 */
const POINTS = crashPoints({ ci: 20, local: 8 });
const STUDENTS = 1500;

describe(`crash recovery of a large full sync (${engine})`, () => {
  let sims: RunningSimulators;
  let district: SimDistrictInfo;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let integrationId: string;

  let open: () => Promise<AppContext>;

  beforeAll(async () => {
    sims = await startSimulators({ districts: [{ kind: 'generated', students: STUDENTS, seed: 42, name: 'Crash Test USD' }] });
    district = sims.districts[0]!;
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'rollcall-crash-'));
    const world = crashWorld(db.target, dataDir, sims, {
      ROLLCALL_PROVIDER_PAGE_SIZE: '100',
      // A killed run's lease must lapse quickly for the next attempt to take over.
      ROLLCALL_SYNC_LEASE_SECONDS: '2',
    });
    ({ env, open } = world);
    // Every section becomes an (empty) imported class: the full sync then does all the roster work.
    const ctx = await open();
    const { districtId, integration } = await world.connectDistrict(ctx);
    integrationId = integration.id;
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, pageSize: 1000 });
    for await (const page of provider.allSections()) {
      for (const s of page) {
        if (s.status !== 'active' || (s.term?.endDate && s.term.endDate < new Date().toISOString().slice(0, 10))) continue;
        await ctx.store.classes.upsertFromSection({ integrationId, externalId: s.externalId, districtId, source: 'clever', createdBy: null, fields: sectionFields(s, null) }, new Date());
      }
    }
    await ctx.close();
  }, 120_000);

  afterAll(async () => {
    await sims?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runSync = async (killAfterMs?: number) => {
    const child = spawnRollcall(['sync', integrationId, '--full', '--json'], env);
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => void child.kill('SIGKILL'), killAfterMs);
    const result = await child.exited;
    clearTimeout(timer);
    return result;
  };

  /** What the provider says every imported class's roster is, by Clever ids. */
  async function expectedState(imported: ReadonlySet<string>): Promise<string[]> {
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, pageSize: 1000 });
    const out: string[] = [];
    for await (const page of provider.allSections()) {
      for (const s of page) if (imported.has(s.externalId)) for (const id of s.studentIds ?? []) out.push(`${s.externalId}|${id}`);
    }
    return out.sort();
  }

  it(`ends every interrupted run in the state of a clean one (${POINTS} kill points)`, async () => {
    // A clean run: the state to compare with, and its length (kill points fall inside it).
    const probe = await runSync(120_000);
    expect(probe.code).toBe(0);
    const ctx = await open();
    const clean = await snapshotRoster(ctx.database.db);
    // The clean run itself must match the provider, or equal states would prove nothing.
    const imported = new Set(clean.facts.classes!.filter((f) => f.endsWith('|live')).map((f) => f.split('|')[0]!));
    const expected = await expectedState(imported);
    expect(clean.facts.enrollments!.filter((f) => f.endsWith('|active')).map((f) => f.replace(/\|active$/, '')).sort()).toEqual(expected);
    expect(clean.problems).toEqual([]);
    await ctx.close();
    // Start over: remove everything a run wrote, keeping the empty classes.
    const startOver = async () => {
      const c = await open();
      await c.database.db.deleteFrom('roster_changes').execute();
      await c.database.db.deleteFrom('enrollments').execute();
      await c.database.db.deleteFrom('identities').execute();
      await c.database.db.deleteFrom('users').where('role', '=', 'student').execute();
      await c.close();
    };
    await startOver();
    // Timed once more, warm: a cold first run (compiling, filling caches) put most kill points after the runs they aimed at.
    const warm = await runSync(120_000);
    expect(warm.code).toBe(0);
    const full = Math.min(probe.ms, warm.ms);
    await startOver();

    const random = seeded(20261128);
    let killed = 0;
    let finished = 0;
    for (let i = 0; i < POINTS; i++) {
      // Process start-up is part of the run; aim anywhere from 40 % to 100 % of it.
      const at = Math.round(full * (0.4 + 0.6 * random()));
      const result = await runSync(at);
      if (result.signal === 'SIGKILL') {
        killed++;
        await new Promise((r) => setTimeout(r, 2100)); // the dead run's lease lapses (not a timing assertion)
      } else {
        // It finished before its kill point: a run resuming from a finished one has almost nothing left to do, so the
        // next point would land after it too. Start over so every point can fall inside a run with work in it.
        expect(result.code).toBe(0);
        finished++;
        await startOver();
      }
    }
    const finish = await runSync();
    expect(finish.code).toBe(0);

    const after = await open();
    const state = await snapshotRoster(after.database.db);
    const stranded = await after.database.db.selectFrom('sync_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'running').executeTakeFirstOrThrow();
    await after.close();
    const { mismatches, details } = compareSnapshots(clean, state);
    reportFigure('sync', engine, POINTS, mismatches, `${killed} killed mid-run, ${finished} finished first (started over); ${expected.length} enrollments expected, ${state.facts.enrollments!.length} found; ${Number(stranded.n)} killed runs left 'running'`);
    for (const line of details) console.log(`[sync crash] ${line}`);
    expect(killed).toBeGreaterThan(0);
    expect(Number(stranded.n)).toBe(0); // the next run closes the runs its killed predecessors left
    expect(details).toEqual([]);
    expect(mismatches).toBe(0);
  }, 1_200_000);
});
