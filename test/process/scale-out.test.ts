import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import { sectionFields } from '../../src/domain/rostering/roster-mapping.ts';
import { createTestDatabase, testDatabaseUrl } from '../support/database.ts';
import { PASSWORD, makeUser } from '../support/factories.ts';
import { eventually, freePort, startCli, type Running } from '../support/processes.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';

/**
 * Two `rollcall serve` and three `rollcall worker` processes on one
 * PostgreSQL: sessions work on either web process, teachers sign in with
 * Clever and import through either, ten integrations each sync exactly once,
 * and a worker killed mid-run has its jobs finished by the others.
 */
const suite = testDatabaseUrl ? describe : describe.skip;
if (!testDatabaseUrl) console.warn('[skipped] scale-out: set TEST_DATABASE_URL to run the multi-process PostgreSQL test');

const DISTRICTS = 10;

suite('scale-out: 2 web + 3 worker processes on one PostgreSQL', () => {
  let sims: RunningSimulators;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const web: Running[] = [];
  const workers: Running[] = [];
  const integrationIds: string[] = [];
  const expected = new Map<string, number>();
  let client: pg.Client;
  let operatorEmail: string;
  let ctx: AppContext;
  let licenseId: string;
  const ports: number[] = [];

  beforeAll(async () => {
    ports.push(await freePort(), await freePort());
    sims = await startSimulators({
      districts: Array.from({ length: DISTRICTS }, (_, i) => ({ kind: 'generated' as const, students: 150, seed: 100 + i, name: `Scale District ${i + 1}` })),
      rateLimitPerMinute: 1_000_000,
      // Each web process is its own public URL: both are registered redirect URIs, as two hostnames would be.
      cleverClient: { clientId: 'rollcall-clever-demo', clientSecret: 'clever-demo-secret', redirectUris: ports.map((p) => `http://127.0.0.1:${p}/auth/clever/callback`) },
    });
    db = await createTestDatabase();
    const url = (db.target as { url: string }).url;
    env = {
      DATABASE_URL: url,
      ROLLCALL_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      ROLLCALL_DEMO: 'false',
      CLEVER_AUTH_URL: sims.clever.url,
      CLEVER_API_URL: sims.clever.url,
      CLEVER_CLIENT_ID: 'rollcall-clever-demo',
      CLEVER_CLIENT_SECRET: 'clever-demo-secret',
      ROLLCALL_SYNC_LEASE_SECONDS: '3',
      ROLLCALL_JOB_HEARTBEAT_SECONDS: '10',
      ROLLCALL_QUEUE_SUPERVISE_SECONDS: '2',
      ROLLCALL_SYNC_CONCURRENCY: '2',
      SIGNIN_RATE_LIMIT: '1000',
    };
    ctx = await createContext(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
      logger: createLogger('silent'),
      supervise: false,
      target: db.target,
      masterKey: Buffer.alloc(32, 3),
    });
    const cli = { kind: 'cli' } as const;
    const today = new Date().toISOString().slice(0, 10);
    for (const info of sims.districts) {
      const d = await ctx.services.operator.createDistrict(cli, info.name);
      const integration = await ctx.services.integrations.connectClever(cli, { districtId: d.id, cleverDistrictId: info.cleverDistrictId });
      integrationIds.push(integration.id);
      const provider = createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: info.cleverDistrictToken, http: { requestsPerMinute: null } });
      let total = 0;
      for await (const page of provider.allSections()) {
        for (const s of page) {
          if (s.status !== 'active' || (s.term?.endDate && s.term.endDate < today)) continue;
          await ctx.store.classes.upsertFromSection({ integrationId: integration.id, externalId: s.externalId, districtId: d.id, source: 'clever', createdBy: null, fields: sectionFields(s, null) }, new Date());
          total += s.studentIds?.length ?? 0;
        }
      }
      expected.set(integration.id, total);
    }
    operatorEmail = (await makeUser(ctx, { role: 'operator' })).email!;
    const first = (await ctx.store.integrations.findById(integrationIds[0]!))!;
    licenseId = (await ctx.services.operator.createLicense(cli, { districtId: first.districtId, schoolId: null, name: 'Scale license', seats: 10, startsOn: '2026-01-01', endsOn: '2030-12-31' })).id;
    client = new pg.Client({ connectionString: url });
    await client.connect();

    for (const port of ports) web.push(await startCli(['serve'], { ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, /Rollcall is running at/));
    for (let i = 0; i < 3; i++) workers.push(await startCli(['worker'], env, /rollcall started/));
  }, 180_000);

  afterAll(async () => {
    for (const p of [...web, ...workers]) await p.stop('SIGKILL').catch(() => undefined);
    await client?.end().catch(() => undefined);
    await ctx?.close();
    await sims?.close();
    await db?.drop();
  });

  const base = (i: number) => `http://127.0.0.1:${ports[i]}`;

  /** The operator signed in on web process `on`; the same browser then calls either process. */
  async function operator(on: number): Promise<RedirectBrowser> {
    const browser = new RedirectBrowser(null, base(on));
    expect((await browser.api('POST', '/api/auth/signin', { email: operatorEmail, password: PASSWORD })).status).toBe(200);
    return browser;
  }

  const runs = async (trigger: string) =>
    (await client.query<{ integration_id: string; status: string; n: number }>(`select integration_id, status, count(*)::int as n from sync_runs where trigger = $1 and class_id is null group by 1, 2`, [trigger])).rows;

  const activeEnrollments = async (integrationId: string) =>
    (await client.query<{ n: number }>(`select count(*)::int as n from enrollments e join classes c on c.id = e.class_id where c.integration_id = $1 and e.status = 'active'`, [integrationId])).rows[0]!.n;

  it('signs teachers in with Clever on one web process and imports their classes through the other', async () => {
    const district = sims.districts[0]!;
    const integrationId = integrationIds[0]!;
    for (const [i, teacher] of district.teachers.slice(0, 2).entries()) {
      const browser = new RedirectBrowser(null, base(i));
      const start = await browser.get('/auth/clever/start');
      const authorize = new URL(start.location!);
      const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', teacher.cleverId]]), redirect: 'manual' });
      expect(new URL((await browser.follow(posted.headers.get('location')!)).url).pathname).toBe('/classes');
      const { user } = await browser.session();
      // The license admin's part: a seat on the district's license, accepted.
      const [member] = await ctx.store.licenses.insertMembers(licenseId, [{ email: teacher.email ?? `${user!.id}@seat.test`, userId: user!.id }], null, new Date());
      await ctx.store.licenses.accept(member!.id, user!.id, new Date());

      const other = base(1 - i);
      const listed = await browser.api('GET', '/api/rostering/sections', undefined, other);
      expect(listed.status).toBe(200);
      const sections = (listed.body.sections as { integrationId: string; externalId: string; state: string }[]).filter((s) => s.state !== 'term-ended');
      expect(sections.length).toBeGreaterThan(0);
      const imported = await browser.api('POST', '/api/rostering/import', { sections: sections.map(({ integrationId: id, externalId }) => ({ integrationId: id, externalId })) }, other);
      expect([200, 202]).toContain(imported.status);
      if (imported.status === 202) {
        // A big import is a job: one of the worker processes runs it; either web process reports it.
        const progress = await eventually(async () => {
          const answer = await browser.api('GET', `/api/rostering/imports/${imported.body.runId}`, undefined, base(i));
          return answer.body.status === 'succeeded' || answer.body.status === 'failed' ? answer.body : undefined;
        }, 'the background import', 60_000);
        expect(progress.status).toBe('succeeded');
      }
      const mine = await client.query<{ external_id: string; n: number }>(
        `select c.external_id, count(*)::int as n from classes c join class_teachers t on t.class_id = c.id where c.integration_id = $1 and t.user_id = $2 group by 1`,
        [integrationId, user!.id],
      );
      expect(mine.rows.map((r) => r.external_id).sort()).toEqual(sections.map((s) => s.externalId).sort());
      expect(mine.rows.every((r) => r.n === 1)).toBe(true);
    }
    // Still one class per section: the imports joined the classes the district already had.
    const duplicates = await client.query(`select external_id from classes where integration_id = $1 group by external_id having count(*) > 1`, [integrationId]);
    expect(duplicates.rows).toEqual([]);
  }, 120_000);

  it('shares sessions across web processes and runs every queued sync exactly once', async () => {
    const browser = await operator(0);
    const session = (await browser.api('GET', '/api/session', undefined, base(1))).body as { user: { email: string } | null };
    expect(session.user?.email).toBe(operatorEmail);

    for (const [i, id] of integrationIds.entries()) {
      const response = await browser.api('POST', `/api/integrations/${id}/sync`, { kind: 'full' }, base(i % 2));
      expect(response.status).toBe(202);
    }
    await eventually(async () => ((await runs('full')).filter((r) => r.status === 'succeeded').length === DISTRICTS ? true : undefined), 'ten full syncs', 120_000);
    const done = await runs('full');
    for (const id of integrationIds) {
      expect(done.filter((r) => r.integration_id === id)).toEqual([{ integration_id: id, status: 'succeeded', n: 1 }]);
      expect(await activeEnrollments(id)).toBe(expected.get(id));
    }
  }, 180_000);

  it('finishes a killed worker’s syncs on the other workers', async () => {
    // New enrollments at the provider so the second runs have work to do.
    for (const info of sims.districts) sims.changes.addStudentToSection({ district: info.name, section: info.sections[0]!.cleverId, newStudent: { givenName: 'Late', familyName: 'Arrival' } });
    const browser = await operator(1);
    for (const [i, id] of integrationIds.entries()) expect((await browser.api('POST', `/api/integrations/${id}/sync`, { kind: 'delta' }, base(i % 2))).status).toBe(202);
    // Kill one worker as soon as it has started a sync.
    await eventually(async () => ((await runs('sync_now')).length > 0 ? true : undefined), 'a delta to start', 60_000);
    await workers[0]!.stop('SIGKILL');
    await eventually(
      async () => {
        const rows = await runs('sync_now');
        const ok = new Set(rows.filter((r) => r.status === 'succeeded').map((r) => r.integration_id));
        return integrationIds.every((id) => ok.has(id)) ? true : undefined;
      },
      'every integration to finish its delta on the surviving workers',
      150_000,
    );
    for (const id of integrationIds) expect(await activeEnrollments(id)).toBe(expected.get(id)! + 1);
  }, 240_000);
});
