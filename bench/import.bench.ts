import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/http/app.ts';
import { mapLimit } from '../src/lib/concurrency.ts';
import type { Integration } from '../src/domain/integrations/integrations.types.ts';
import { createRosterProvider, type RosterProvider } from '../src/providers/index.ts';
import type { CanonicalSection } from '../src/providers/roster-provider.ts';
import type { AppContext } from '../src/context.ts';
import { benchDatabase } from './support/database.ts';
import { ms, note, num, option, printTable, ratio, summarize, verdict } from './support/report.ts';
import { benchContext, linkedTeacher, newKey, rollcallEnv, sectionsByTeacher, seedDistrict, startBenchSimulators, unthrottled, type SeededDistrict } from './support/world.ts';

export const description = 'Add from Rostering Service (issue 5): the live section list and a 5-class import, against the same provider calls made directly (the floor)';

/** The figure; `--sections 4` shows the in-request path (5 classes are queued as a background job). */
let SECTIONS_PER_IMPORT = 5;
/** Rollcall paces each district token to 1,200 provider calls a minute; the bench stays under it so it measures Rollcall, not the pacing. */
const CALLS_PER_SECOND = 15;

interface Timings {
  list: number[];
  import: number[];
  listCalls: number[];
  importCalls: number[];
  imported: number;
  importPath: Set<string>;
}

/** A signed-in teacher's browser: session cookie, CSRF token. */
async function teacherSession(ctx: AppContext, origin: string, userId: string): Promise<{ cookie: string; csrf: string }> {
  const user = (await ctx.store.accounts.findById(userId))!;
  const token = await ctx.services.sessions.start(user);
  const session = await fetch(`${origin}/api/session`, { headers: { cookie: `rc_session=${token}` } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const csrfCookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie: `rc_session=${token}; ${csrfCookie}`, csrf: csrfToken };
}

/** Provider calls Rollcall made (the roster API, every attempt), read from its own metrics. */
async function providerCalls(ctx: AppContext): Promise<number> {
  const text = await ctx.metrics.render();
  return text
    .split('\n')
    .filter((l) => l.startsWith('rollcall_provider_requests_total{'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const pace = async (calls: number, since: number) => {
  const wait = (calls / CALLS_PER_SECOND) * 1000 - (performance.now() - since);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
};

async function measureRollcall(ctx: AppContext, origin: string, district: SeededDistrict, integration: Integration, teachers: [string, CanonicalSection[]][]): Promise<Timings> {
  const t: Timings = { list: [], import: [], listCalls: [], importCalls: [], imported: 0, importPath: new Set() };
  for (const [teacherId, sections] of teachers) {
    const actor = await linkedTeacher(ctx, district, integration, teacherId);
    const { cookie, csrf } = await teacherSession(ctx, origin, actor.user.id);
    const began = performance.now();

    const calls0 = await providerCalls(ctx);
    let t0 = performance.now();
    const listed = await fetch(`${origin}/api/rostering/sections`, { headers: { cookie } });
    const body = (await listed.json()) as { sections?: { externalId: string; state: string }[] };
    t.list.push(performance.now() - t0);
    if (listed.status !== 200) throw new Error(`section list: HTTP ${listed.status} ${JSON.stringify(body)}`);
    const calls1 = await providerCalls(ctx);
    t.listCalls.push(calls1 - calls0);

    const chosen = sections.slice(0, SECTIONS_PER_IMPORT).map((s) => ({ integrationId: integration.id, externalId: s.externalId }));
    t0 = performance.now();
    const response = await fetch(`${origin}/api/rostering/import`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ sections: chosen }),
    });
    const result = (await response.json()) as { imported?: unknown[]; runId?: string };
    if (response.status === 202 && result.runId) {
      // A queued import: the page polls until the classes exist; so does the bench (every 20 ms).
      t.importPath.add('queued job');
      for (;;) {
        const progress = (await (await fetch(`${origin}/api/rostering/imports/${result.runId}`, { headers: { cookie } })).json()) as { status: string; error?: string };
        if (progress.status === 'succeeded') break;
        if (progress.status === 'failed') throw new Error(`import failed: ${progress.error}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } else if (response.status === 200 && result.imported?.length === chosen.length) {
      t.importPath.add('in the request');
    } else {
      throw new Error(`import: HTTP ${response.status} ${JSON.stringify(result)}`);
    }
    t.import.push(performance.now() - t0);
    t.imported += chosen.length;
    const calls2 = await providerCalls(ctx);
    t.importCalls.push(calls2 - calls1);
    await pace(calls2 - calls0, began);
  }
  return t;
}

/**
 * The floor: the provider calls Rollcall makes for the same page and import,
 * made directly through the adapter (same HTTP client, same concurrency of 4),
 * with none of Rollcall's database work.
 */
async function measureFloor(provider: RosterProvider, teachers: [string, CanonicalSection[]][], counted: () => number): Promise<Timings> {
  const t: Timings = { list: [], import: [], listCalls: [], importCalls: [], imported: 0, importPath: new Set(['direct']) };
  for (const [teacherId, sections] of teachers) {
    const began = performance.now();
    const c0 = counted();
    let t0 = performance.now();
    const listed = (await provider.sectionsForTeacher(teacherId)).filter((s) => s.status === 'active');
    await mapLimit(listed, 4, async (s) => (s.studentIds !== null ? s.studentIds.length : (await provider.studentsOfSection(s.externalId)).length));
    const coTeachers = [...new Set(listed.flatMap((s) => s.teacherIds))].filter((id) => id !== teacherId);
    await mapLimit(coTeachers, 4, (id) => provider.person(id).catch(() => null));
    t.list.push(performance.now() - t0);
    const c1 = counted();
    t.listCalls.push(c1 - c0);

    t0 = performance.now();
    const mine = await provider.sectionsForTeacher(teacherId); // the import re-checks the teacher's sections (authorization)
    const chosen = sections.slice(0, SECTIONS_PER_IMPORT).filter((s) => mine.some((m) => m.externalId === s.externalId));
    await mapLimit(chosen, 4, (s) => provider.studentsOfSection(s.externalId));
    t.import.push(performance.now() - t0);
    t.imported += chosen.length;
    const c2 = counted();
    t.importCalls.push(c2 - c1);
    await pace(c2 - c0, began);
  }
  return t;
}

export async function run(args: readonly string[]): Promise<void> {
  const runs = option(args, 'runs', 15);
  SECTIONS_PER_IMPORT = option(args, 'sections', 5);
  const size = option(args, 'students', 2000);
  const db = await benchDatabase();
  const key = newKey();
  const sims = await startBenchSimulators([], size);
  const info = sims.districts[0]!;
  let ctx: AppContext | undefined;
  try {
    // Rollcall in this process, as `rollcall` runs on one machine: web server and job workers together.
    ctx = await benchContext(db, rollcallEnv(sims, 'http://127.0.0.1:1', key), key);
    await ctx.queue.work(ctx.jobHandlers, ctx.logger);
    const app = await buildApp(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const district = await seedDistrict(ctx, info);
    note(`\nsection list and import on ${db.label}: a district of ${size} students; ${runs} teachers per provider, each listing their sections and importing ${SECTIONS_PER_IMPORT} (fresh teachers, so every import creates classes and enrolls students)`);

    const rows: string[][] = [];
    const checks: string[] = [];
    for (const kind of ['clever', 'classlink'] as const) {
      const integration = district.integrations[kind];
      const direct = unthrottled(district, integration, sims);
      const candidates = [...(await sectionsByTeacher(direct))].filter(([, s]) => s.length >= SECTIONS_PER_IMPORT);
      if (candidates.length < 2 * runs + 2) throw new Error(`only ${candidates.length} teachers with ${SECTIONS_PER_IMPORT}+ sections; use --students`);
      // Warm-up (connections, caches, the query planner) on teachers not measured.
      await measureRollcall(ctx, origin, district, integration, candidates.slice(0, 2));
      const measured = await measureRollcall(ctx, origin, district, integration, candidates.slice(2, 2 + runs));

      // The floor: the adapter Rollcall builds (same client, same pacing limit), counting its calls itself.
      let floorCalls = 0;
      const info = district.info;
      const http = { onRequest: () => void floorCalls++ };
      const adapter =
        kind === 'clever'
          ? createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: info.cleverDistrictToken, pageSize: 1000, http })
          : createRosterProvider({ kind: 'classlink', serverUrl: info.oneRoster.v1p1.baseUrl, version: '1.1', clientId: info.oneRoster.v1p1.consumerKey, clientSecret: info.oneRoster.v1p1.consumerSecret, pageSize: 1000, http });
      const floor = await measureFloor(adapter, candidates.slice(2 + runs, 2 + 2 * runs), () => floorCalls);

      const [rl, fl, ri, fi] = [summarize(measured.list), summarize(floor.list), summarize(measured.import), summarize(floor.import)];
      const avg = (xs: number[]) => num(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 1);
      const label = kind === 'clever' ? 'Clever' : 'ClassLink (OneRoster 1.1)';
      rows.push(
        [`${label}: section list — Rollcall`, ms(rl.p50), ms(rl.p95), ms(rl.max), avg(measured.listCalls), '', ''],
        [`${label}: section list — floor`, ms(fl.p50), ms(fl.p95), ms(fl.max), avg(floor.listCalls), ratio(rl.p50, fl.p50), ratio(rl.p95, fl.p95)],
        [`${label}: import ${SECTIONS_PER_IMPORT} classes — Rollcall (${[...measured.importPath].join(', ')})`, ms(ri.p50), ms(ri.p95), ms(ri.max), avg(measured.importCalls), '', ''],
        [`${label}: import ${SECTIONS_PER_IMPORT} classes — floor`, ms(fi.p50), ms(fi.p95), ms(fi.max), avg(floor.importCalls), ratio(ri.p50, fi.p50), ratio(ri.p95, fi.p95)],
      );
      checks.push(`${label}: list p95 ≤ 150 ms ${verdict(rl.p95 <= 150)} (${ms(rl.p95)}); import p95 ≤ 500 ms ${verdict(ri.p95 <= 500)} (${ms(ri.p95)})`);
    }
    printTable(`Section list and ${SECTIONS_PER_IMPORT}-class import — ${db.label}, ${runs} runs each`, ['', 'p50 ms', 'p95 ms', 'max ms', 'provider calls', 'p50 ÷ floor', 'p95 ÷ floor'], rows);
    note(`targets: ${checks.join('; ')}`);
    await app.close();
  } finally {
    await ctx?.close();
    await sims.close();
    await db.drop();
  }
}
