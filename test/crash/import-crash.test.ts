import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import type { AppContext } from '../../src/context.ts';
import { BACKGROUND_IMPORT } from '../../src/domain/rostering/rostering.service.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import { createTestDatabase, engine, testDatabaseUrl } from '../support/database.ts';
import { PASSWORD, makeUser } from '../support/factories.ts';
import { eventually, freePort } from '../support/processes.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { compareSnapshots, crashPoints, crashWorld, reportFigure, seeded, snapshotRoster, spawnRollcall, type CrashableProcess, type RosterSnapshot } from './crash-support.ts';

/**
 * kill -9 the process working a teacher's large import (the background job
 * `rostering.import`) at seeded random points. After each kill the teacher
 * imports the same sections again, as the API allows, and the product retries
 * every interrupted job on its own; once the workers have finished, the data
 * must equal a clean import's: one class per section, one account and
 * identity per student, every enrollment once, no orphans, and every import
 * run ended (succeeded, or failed after its last retry), none left 'running'.
 *
 * On PostgreSQL a `rollcall serve` takes the teacher's requests while
 * `rollcall worker` processes are killed; on the embedded database one
 * process does both, and that one is killed.
 */
const POINTS = crashPoints({ ci: 20, local: 5 });
const EXTRA_SECTIONS = 11; // added to the teacher's own 5 by the provider, the 1,200-student section among them: 16 sections, over the background threshold
const FINISH_TIMEOUT_MS = 420_000; // a guard against a stuck import, not a timing assertion

describe(`crash recovery of a large background import (${engine})`, () => {
  let sims: RunningSimulators;
  let district: SimDistrictInfo;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let templateDir: string;
  let env: Record<string, string>;
  let teacherEmail: string;
  let body: { sections: { integrationId: string; externalId: string }[] };
  const running: CrashableProcess[] = [];

  let open: () => Promise<AppContext>;

  /** PostgreSQL: `create database … template`, the whole database as it was before any import. */
  const admin = async <T>(work: (client: pg.Client, name: string) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      return await work(client, new URL((db.target as { url: string }).url).pathname.slice(1));
    } finally {
      await client.end();
    }
  };
  const saveTemplate = async () => {
    if (db.target.kind === 'pglite') return cpSync(dataDir, templateDir, { recursive: true });
    // This process's pools hang up a moment after close(): a template needs its source unused.
    await eventually(() => admin((c, name) => c.query(`create database ${name}_tpl template ${name}`).then(() => true, () => undefined)), 'the database to be free to copy');
  };
  const restoreTemplate = async () => {
    if (db.target.kind === 'pglite') {
      rmSync(dataDir, { recursive: true, force: true });
      return cpSync(templateDir, dataDir, { recursive: true });
    }
    await admin(async (c, name) => {
      await c.query(`drop database ${name} with (force)`);
      await c.query(`create database ${name} template ${name}_tpl`);
    });
  };

  beforeAll(async () => {
    sims = await startSimulators({ districts: [{ kind: 'generated', students: 1500, seed: 77, name: 'Import Crash USD' }] });
    district = sims.districts[0]!;
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'rollcall-import-crash-'));
    templateDir = `${dataDir}-template`;
    const world = crashWorld(db.target, dataDir, sims, {
      SIGNIN_RATE_LIMIT: '1000',
      // A killed worker's import is noticed after one missed heartbeat (pg-boss's minimum) and retried.
      ROLLCALL_JOB_HEARTBEAT_SECONDS: '10',
      ROLLCALL_QUEUE_SUPERVISE_SECONDS: '1',
    });
    ({ env, open } = world);
    const ctx = await open();
    const cli = { kind: 'cli' } as const;
    const { districtId, integration } = await world.connectDistrict(ctx);
    await ctx.services.integrations.refreshSchools(integration);
    const license = await ctx.services.operator.createLicense(cli, { districtId, schoolId: null, name: 'Crash license', seats: 50, startsOn: '2026-01-01', endsOn: '2027-12-31' });
    const person = district.teachers[0]!;
    const user = await makeUser(ctx, { email: person.email ?? undefined, name: `${person.givenName} ${person.familyName}` });
    teacherEmail = user.email!;
    await ctx.store.identities.link(user.id, 'clever', district.cleverDistrictId, person.cleverId, new Date());
    const [member] = await ctx.store.licenses.insertMembers(license.id, [{ email: user.email!, userId: user.id }], null, new Date());
    await ctx.store.licenses.accept(member!.id, user.id, new Date());
    await ctx.close();

    // The provider makes this teacher teach EXTRA_SECTIONS more sections, spread over the district.
    const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, pageSize: 1000 });
    const today = new Date().toISOString().slice(0, 10);
    const live = (s: { status: string; term: { endDate: string | null } | null }) => s.status === 'active' && !(s.term?.endDate && s.term.endDate < today);
    const candidates: { id: string; students: number }[] = [];
    for await (const page of provider.allSections()) {
      for (const s of page) {
        if (live(s) && (s.studentIds?.length ?? 0) > 0 && !s.teacherIds.includes(person.cleverId)) candidates.push({ id: s.externalId, students: s.studentIds!.length });
      }
    }
    const small = candidates.filter((c) => c.students < 1000);
    const step = Math.max(1, Math.floor(small.length / EXTRA_SECTIONS));
    const extra = [...candidates.filter((c) => c.students >= 1000).slice(0, 1), ...small.filter((_c, i) => i % step === 0)].slice(0, EXTRA_SECTIONS);
    for (const c of extra) sims.changes.addTeacherToSection({ section: c.id, teacher: person.cleverId });
    const mine = (await provider.sectionsForTeacher(person.cleverId)).filter(live);
    body = { sections: mine.map((s) => ({ integrationId: integration.id, externalId: s.externalId })) };
    const students = new Set(mine.flatMap((s) => s.studentIds ?? [])).size;
    console.log(`[import crash] the import: ${mine.length} sections, ${mine.reduce((n, s) => n + (s.studentIds?.length ?? 0), 0)} enrollments, ${students} students`);
    expect(mine.length).toBeGreaterThan(BACKGROUND_IMPORT.sections);
    expect(students).toBeGreaterThan(1000);
    await saveTemplate();
  }, 240_000);

  afterAll(async () => {
    for (const p of [...running]) await p.kill('SIGKILL');
    await sims?.close();
    if (db?.target.kind === 'postgres') await admin((c, name) => c.query(`drop database if exists ${name}_tpl`)).catch(() => undefined);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(templateDir, { recursive: true, force: true });
  });

  const track = (p: CrashableProcess) => {
    running.push(p);
    void p.exited.then(() => running.splice(running.indexOf(p), 1));
    return p;
  };

  /** The web side: `serve` (on the embedded database it is also the worker). */
  const startWeb = async (): Promise<{ process: CrashableProcess; base: string }> => {
    const port = await freePort();
    const p = track(spawnRollcall(['serve'], { ...env, LOG_LEVEL: 'info', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, /rollcall started/));
    await p.ready;
    return { process: p, base: `http://127.0.0.1:${port}` };
  };
  const startWorker = async (): Promise<CrashableProcess> => {
    const p = track(spawnRollcall(['worker'], { ...env, LOG_LEVEL: 'info' }, /rollcall started/));
    await p.ready;
    return p;
  };

  /** The teacher in a browser: one session, used on whichever web process is up. */
  const teacher = () => {
    const browser = new RedirectBrowser(null, 'http://teacher.invalid');
    return {
      async signIn(base: string) {
        const r = await browser.api('POST', '/api/auth/signin', { email: teacherEmail, password: PASSWORD }, base);
        expect(r.status).toBe(200);
      },
      async importAll(base: string): Promise<string> {
        const r = await browser.api('POST', '/api/rostering/import', body, base);
        expect(r.status, JSON.stringify(r.body)).toBe(202); // large: it runs as the background job
        return r.body.runId as string;
      },
      async status(base: string, runId: string): Promise<string> {
        const r = await browser.api('GET', `/api/rostering/imports/${runId}`, undefined, base);
        expect(r.status).toBe(200);
        return r.body.status as string;
      },
    };
  };

  const terminal = (status: string) => status !== 'queued' && status !== 'running';
  const allEnded = (base: string, t: ReturnType<typeof teacher>, runIds: readonly string[]) =>
    eventually(
      async () => {
        const statuses = await Promise.all(runIds.map((id) => t.status(base, id)));
        return statuses.every(terminal) ? statuses : undefined;
      },
      `every import run to end (${runIds.length})`,
      FINISH_TIMEOUT_MS,
    );

  const snapshot = async (): Promise<RosterSnapshot> => {
    const ctx = await open();
    try {
      return await snapshotRoster(ctx.database.db, { runTriggers: ['import'] });
    } finally {
      await ctx.close();
    }
  };

  it(`ends every interrupted import in the state of a clean one (${POINTS} kill points)`, async () => {
    // A clean import: the state to compare with, and how long the job takes from the request.
    const cleanWeb = await startWeb();
    const worker = db.target.kind === 'postgres' ? await startWorker() : cleanWeb.process;
    const t = teacher();
    await t.signIn(cleanWeb.base);
    const requested = Date.now();
    const cleanRun = await t.importAll(cleanWeb.base);
    const [cleanStatus] = await allEnded(cleanWeb.base, t, [cleanRun]);
    const full = Date.now() - requested;
    expect(cleanStatus).toBe('succeeded');
    await worker.kill('SIGTERM');
    await cleanWeb.process.kill('SIGTERM');
    const clean = await snapshot();
    expect(clean.problems).toEqual([]);
    expect(clean.facts.classes).toHaveLength(body.sections.length);
    await restoreTemplate();

    // The crashes: each point starts a worker, the teacher imports, and the worker dies at a random
    // moment of that import (or of an earlier one the product is retrying). Runs accumulate.
    const random = seeded(20261129);
    const runIds: string[] = [];
    let killedMidImport = 0;
    let web = db.target.kind === 'postgres' ? await startWeb() : undefined;
    const crasher = teacher();
    let signedIn = false;
    for (let i = 0; i < POINTS; i++) {
      const current = web ?? (await startWeb());
      const victim = db.target.kind === 'postgres' ? await startWorker() : current.process;
      if (!signedIn) await crasher.signIn(current.base);
      signedIn = true;
      runIds.push(await crasher.importAll(current.base));
      await new Promise((r) => setTimeout(r, Math.round(full * random()))); // a seeded point of the import (not an assertion)
      if (!/"job":"rostering.import"[^\n]*"msg":"job done"/.test(victim.output())) killedMidImport++;
      const result = await victim.kill('SIGKILL');
      expect(result.signal).toBe('SIGKILL');
    }

    // Recovery: a worker again, no new request; the product retries what the kills interrupted.
    const finalWeb = web ?? (await startWeb());
    web = finalWeb;
    const finalWorker = db.target.kind === 'postgres' ? await startWorker() : finalWeb.process;
    const statuses = await allEnded(finalWeb.base, crasher, runIds);
    await finalWorker.kill('SIGTERM');
    await finalWeb.process.kill('SIGTERM');

    const after = await snapshot();
    const { mismatches, details } = compareSnapshots(clean, after);
    const outcome = `${statuses.filter((s) => s === 'succeeded').length} runs succeeded, ${statuses.filter((s) => s === 'failed').length} failed after their last retry; at least ${killedMidImport} kills landed mid-import`;
    reportFigure('import', engine, POINTS, mismatches, outcome);
    for (const line of details) console.log(`[import crash] ${line}`);
    expect(killedMidImport).toBeGreaterThan(0);
    expect(details).toEqual([]);
    expect(mismatches).toBe(0);
  }, 1_200_000);
});
