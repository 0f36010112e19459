import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FaultKind, FaultOptions, SimSectionInfo, SimUserInfo } from '../../sim/index.ts';
import { engine } from '../support/database.ts';
import type { TestBrowser } from '../support/http.ts';
import { sectionKey, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';
import { formatTable, isPlainLanguage, kindOf, probeFetch, snapshot, type FetchProbe, type Snapshot } from './support/fault-harness.ts';

/**
 * Provider fault suite (issue 8 §1): every fault the simulators can produce,
 * for both providers, against the four operations that read a roster — the
 * teacher's import (POST /api/rostering/import), "Sync now" (POST
 * /api/classes/:id/sync), and a full and a delta run of the sync engine. Each
 * fault is aimed at the operation's roster read. Each cell asserts:
 * - a plain-language error where a person sees it (the HTTP answer or the
 *   class page's run message, and the sync_runs row), of the right kind;
 * - retries where they make sense (one 500 or 429 is retried and succeeds);
 * - the rostering tables (classes, enrollments, users, identities, class
 *   teachers) exactly as before, or as the last committed batch of a delta
 *   left them; and that the next attempt completes what the faulty one missed.
 * Prints the fault × operation table.
 *
 * Outcomes: "retried → ok", "slow → ok" (a slow answer within the engine's
 * 15 s per-attempt timeout; teacher-facing calls give up after
 * ROLLCALL_PROVIDER_TIMEOUT_MS), "failed: <ProviderError kind>", "held"
 * (removals waiting for an administrator), "no change" (nothing applied, the
 * next run catches up), "imported n of m students".
 */

type Provider = 'clever' | 'classlink';
type Op = 'import' | 'sync now' | 'full sync' | 'delta sync';
const OPS: readonly Op[] = ['import', 'sync now', 'full sync', 'delta sync'];

/** Teacher-facing calls give up after this (ROLLCALL_PROVIDER_TIMEOUT_MS); a slow fault answers after it. */
const BUDGET_MS = 1200;
/**
 * Records per provider page. Clever's demo district has 24 sections, and its
 * pagination fault needs a third page, hence 10. The client paces itself to
 * 1,200 requests a minute per credential and a OneRoster full sync walks every
 * enrollment, so ClassLink gets large pages; cells that need paging grow their
 * section first (and come last, so the growth costs the other cells nothing).
 */
const PAGE_SIZE: Record<Provider, number> = { clever: 10, classlink: 100 };

interface FaultCase {
  readonly name: string;
  /** A simulator fault, or a wrong OAuth 1.0a secret on the integration (the simulator then refuses the signature). */
  readonly fault: FaultKind | 'invalid-signature';
  readonly options?: FaultOptions;
  readonly only?: Provider;
  readonly expect: Record<Op, string> | ((provider: Provider, op: Op) => string);
}

const all = (outcome: string): Record<Op, string> => ({ import: outcome, 'sync now': outcome, 'full sync': outcome, 'delta sync': outcome });
const CASES: readonly FaultCase[] = [
  { name: '500 once', fault: 'server-error', options: { count: 1 }, expect: all('retried → ok') },
  { name: '500 always', fault: 'server-error', options: { count: 50 }, expect: all('failed: unavailable') },
  { name: '429 once, Retry-After 1 s', fault: 'rate-limit', options: { count: 1, retryAfterSeconds: 1 }, expect: all('retried → ok') },
  { name: '429, Retry-After 120 s', fault: 'rate-limit', options: { count: 50, retryAfterSeconds: 120 }, expect: all('failed: rate_limited') },
  { name: 'slow answer', fault: 'slow', options: { count: 1 }, expect: { ...all('failed: unavailable'), 'full sync': 'slow → ok', 'delta sync': 'slow → ok' } },
  { name: 'truncated JSON', fault: 'truncated-json', options: { count: 1 }, expect: all('failed: bad_data') },
  { name: 'no collection key', fault: 'missing-collection-key', options: { count: 1 }, expect: all('failed: bad_data') },
  {
    name: 'empty roster',
    fault: 'empty-roster',
    options: { count: 50 },
    // A full Clever run that sees no sections at all applies nothing and keeps its cursor; OneRoster's empty
    // enrollments would empty every class, so the removals are held. An import takes the provider at its word.
    expect: (provider, op) => ({ import: 'imported 0 of 20 students', 'sync now': 'held', 'full sync': provider === 'clever' ? 'no change' : 'held', 'delta sync': 'no change' })[op],
  },
  { name: 'revoked credentials', fault: 'revoked-credentials', expect: all('failed: auth') },
  { name: 'bad OAuth 1.0a signature', fault: 'invalid-signature', only: 'classlink', expect: all('failed: auth') },
  { name: 'pagination loop', fault: 'pagination-loop', options: { count: 50 }, expect: all('failed: bad_data') },
];

const expected = (c: FaultCase, provider: Provider, op: Op): string => (typeof c.expect === 'function' ? c.expect(provider, op) : c.expect[op]);

let probe: FetchProbe;
const table = new Map<string, Map<Op, string>>();
/** One message per provider and outcome, as the person running the operation reads it. */
const messages = new Map<string, string>();

beforeAll(() => {
  probe = probeFetch();
  // Backoff jitter is Math.random() × 500 ms·2ⁿ: pinned low, four attempts take ~100 ms instead of seconds.
  vi.spyOn(Math, 'random').mockReturnValue(0.03);
});

afterAll(() => {
  vi.restoreAllMocks();
  probe?.restore();
  const providers: Provider[] = ['clever', 'classlink'];
  const rows = providers.flatMap((p) => CASES.map((c) => [`${p}: ${c.name}`, ...OPS.map((op) => (c.only && c.only !== p ? 'n/a' : (table.get(`${p}: ${c.name}`)?.get(op) ?? 'not run')))]));
  const cells = [...table.values()].reduce((n, m) => n + m.size, 0);
  console.log(`\n${formatTable(`Provider fault suite (${engine}): fault × operation → outcome (${cells} cells)`, OPS, rows)}\n`);
  console.log(`What a person is told (one example per provider and outcome):\n${[...messages].map(([k, m]) => `  ${k}: ${m}`).join('\n')}\n`);
});

describe.each(['clever', 'classlink'] as const)(`provider faults: %s (${engine})`, (provider) => {
  let w: RosteringWorld;
  const page = PAGE_SIZE[provider];
  /** Students a roster needs for the pagination fault to bite: Clever repeats a cursor from the third page on, OneRoster an offset from the second. */
  const paged = provider === 'clever' ? 2 * page + 1 : page + 1;
  const maple = () => w.districts[0]!;
  const integration = () => maple().integrations[provider];
  const db = () => w.t.ctx.database.db;
  const secrets = () => [maple().info.cleverDistrictToken, maple().info.oneRoster.v1p1.consumerSecret, maple().info.oneRoster.v1p2.clientSecret];

  /** Where each operation reads its roster: every fault is aimed there. */
  const rosterPath = (op: Op): string => {
    if (provider === 'clever') return op === 'full sync' ? '/v3.0/sections' : op === 'delta sync' ? '/v3.0/events' : '/v3.0/sections/';
    const base = new URL(maple().info.oneRoster.v1p1.baseUrl).pathname.replace(/\/+$/, '');
    return op === 'full sync' || op === 'delta sync' ? `${base}/enrollments` : `${base}/classes/`;
  };

  const browsers = new Map<string, TestBrowser>();
  const browserOf = async (person: SimUserInfo) => {
    let b = browsers.get(person.email!);
    if (!b) {
      b = (await w.teacher(maple(), person, provider)).browser;
      browsers.set(person.email!, b);
    }
    return b;
  };

  /** Sections for import cells: single-teacher, current, one per successful import. */
  let importQueue: { teacher: SimUserInfo; section: SimSectionInfo }[];
  /** Imported classes the sync cells work on: [0] for Sync now, [1] for full and delta runs. */
  let synced: { teacher: SimUserInfo; section: SimSectionInfo; classId: string }[];
  let probes = 0;
  /** New students a faulty full run did not enrol; the row's delta cell (or the run after it) must. */
  let missed: string[] = [];
  let firstRequest = 0;
  let startedAt = 0;

  beforeAll(async () => {
    firstRequest = probe.requests.length;
    startedAt = Date.now();
    w = await startRosteringWorld({ districts: [{ kind: 'demo' }], env: { ROLLCALL_PROVIDER_PAGE_SIZE: String(page), ROLLCALL_PROVIDER_TIMEOUT_MS: String(BUDGET_MS) } });
    // The simulator's own Clever limit is not under test here (the client paces itself).
    w.sims.clever.control.setRateLimit(100_000);
    const teachers = maple().info.teachers;
    const current = (t: SimUserInfo) => maple().info.sections.filter((s) => s.teacherEmails.length === 1 && s.teacherEmails[0] === t.email && !s.ended);
    importQueue = teachers.slice(2).flatMap((teacher) => current(teacher).map((section) => ({ teacher, section })));
    synced = [];
    for (const teacher of teachers.slice(0, 2)) {
      const mine = current(teacher);
      const browser = await browserOf(teacher);
      const imported = await browser.post('/api/rostering/import', { sections: mine.map((s) => ({ integrationId: integration().id, externalId: sectionKey(provider, s) })) });
      expect(imported.status).toBe(200);
      synced.push(...mine.map((section, i) => ({ teacher, section, classId: imported.body.imported[i].classId as string })));
    }
    expect(synced.length).toBeGreaterThanOrEqual(3);
    // The first run stores the change cursor that delta runs start from.
    expect((await w.t.ctx.services.syncEngine.run(integration().id, { kind: 'full', trigger: 'full' })).status).toBe('succeeded');
  });
  afterAll(async () => {
    await probe.settle();
    console.log(`${provider}: ${probe.requests.length - firstRequest} provider requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    await w?.stop();
  });

  /** New students the provider adds to a section (the change a sync must apply). */
  const addStudents = (section: SimSectionInfo, n: number): string[] =>
    Array.from({ length: n }, () => {
      const r = w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, section), newStudent: { givenName: 'Fault', familyName: `Probe ${++probes}` } });
      return provider === 'clever' ? r.created!.cleverId : r.created!.sourcedId;
    });

  const enrolled = async (classId: string, externalIds: readonly string[]): Promise<boolean> => {
    if (externalIds.length === 0) return true;
    const rows = await db()
      .selectFrom('identities')
      .innerJoin('enrollments', 'enrollments.user_id', 'identities.user_id')
      .select('identities.external_id')
      .where('identities.provider', '=', provider)
      .where('identities.external_id', 'in', externalIds)
      .where('enrollments.class_id', '=', classId)
      .where('enrollments.status', '=', 'active')
      .execute();
    return rows.length === externalIds.length;
  };

  const inject = async (c: FaultCase, op: Op) => {
    if (c.fault === 'invalid-signature') {
      await connectClassLink('not-the-secret');
      return;
    }
    const delayMs = op === 'import' || op === 'sync now' ? BUDGET_MS + 150 : 400;
    w.sims.faults.inject(provider, c.fault, { pathPrefix: rosterPath(op), delayMs, ...c.options });
  };

  const undo = async (c: FaultCase) => {
    w.sims.faults.clear(provider);
    if (c.fault === 'invalid-signature') await connectClassLink(maple().info.oneRoster.v1p1.consumerSecret);
    // A refused credential marks the integration for attention; the operator reconnects.
    await w.t.ctx.store.integrations.setStatus(integration().id, 'active', null, new Date());
    await probe.settle();
  };

  const connectClassLink = async (secret: string) => {
    const info = maple().info;
    await w.t.ctx.services.integrations.connectClassLink(
      { kind: 'cli' },
      { districtId: maple().district.id, tenantId: info.classlinkTenantId, rosterServerUrl: info.oneRoster.v1p1.baseUrl, oneRosterVersion: '1.1', clientId: info.oneRoster.v1p1.consumerKey, clientSecret: secret },
    );
  };

  /** Did any provider request of this cell fail (5xx, 429, 401, timeout) before the operation's end? */
  const faultedSince = (from: number) => probe.requests.slice(from).some((r) => r.status === 0 || r.status >= 400);

  const cells = CASES.filter((c) => !c.only || c.only === provider).flatMap((c) => OPS.map((op) => [c.name, op, c] as const));

  /** The rows a failed or held run may have written: only the joining students, enrolled by a batch that committed. */
  const expectOnlyJoinsSince = async (before: Snapshot, joining: readonly string[]) => {
    const after = await snapshot(db());
    const users = new Set((await db().selectFrom('identities').select('user_id').where('provider', '=', provider).where('external_id', 'in', joining).execute()).map((r) => r.user_id));
    const firstValue = (row: string) => (JSON.parse(row) as unknown[])[0] as string;
    const secondValue = (row: string) => (JSON.parse(row) as unknown[])[1] as string;
    expect(after.classes).toEqual(before.classes);
    expect(after.teachers).toEqual(before.teachers);
    for (const table of ['users', 'identities', 'enrollments'] as const) {
      const had = new Set(before[table]);
      // Nothing that was there is lost or changed…
      expect(after[table].filter((r) => had.has(r)).length, `${table}: rows kept`).toBe(before[table].length);
      // …and what is new belongs to the change being applied.
      const added = after[table].filter((r) => !had.has(r));
      const owner = table === 'enrollments' ? secondValue : firstValue;
      expect(added.filter((r) => !users.has(owner(r))), `${table}: unrelated rows`).toEqual([]);
    }
  };

  it.each(cells)('%s × %s', async (_name, op, c) => {
    await probe.settle();
    const from = probe.requests.length;
    const started = Date.now();
    const loop = c.fault === 'pagination-loop';
    let outcome: string;
    let message = '';
    const okLabel = () => (faultedSince(from) ? 'retried → ok' : c.fault === 'slow' ? 'slow → ok' : 'ok');

    if (op === 'import') {
      const next = importQueue.shift()!;
      // A pagination fault needs a roster long enough to page.
      const students = next.section.studentCount + (loop ? addStudents(next.section, Math.max(0, paged - next.section.studentCount)).length : 0);
      const browser = await browserOf(next.teacher);
      const body = { sections: [{ integrationId: integration().id, externalId: sectionKey(provider, next.section) }] };
      const before = await snapshot(db());
      await inject(c, op);
      const res = await browser.post('/api/rostering/import', body);
      await undo(c);
      if (res.status === 200) {
        const got = res.body.imported[0].students as number;
        outcome = got === students ? okLabel() : `imported ${got} of ${students} students`;
        if (got !== students) {
          // The provider said the roster was empty; the class's next Sync now fills it.
          const synced = await browser.post(`/api/classes/${res.body.imported[0].classId}/sync`);
          expect(synced.body.run).toMatchObject({ status: 'succeeded', counts: { enrolled: students - got } });
        }
      } else {
        message = res.body.error.message as string;
        outcome = res.status === 502 ? `failed: ${kindOf(message)}` : `refused (${res.status})`;
        expect(await snapshot(db()), 'a failed import changes nothing').toEqual(before);
        // Trying again completes it.
        const again = await browser.post('/api/rostering/import', body);
        expect(again.status).toBe(200);
        expect(again.body.imported[0].students).toBe(students);
      }
    } else if (op === 'sync now') {
      const target = synced[0]!;
      const browser = await browserOf(target.teacher);
      const joining = addStudents(target.section, loop ? paged : 1);
      const before = await snapshot(db());
      await inject(c, op);
      const res = await browser.post(`/api/classes/${target.classId}/sync`);
      await undo(c);
      expect(res.status).toBe(200);
      const run = res.body.run as { status: string; message: string };
      // The class page shows the same outcome the run records.
      const row = await db().selectFrom('sync_runs').select(['status', 'error']).where('class_id', '=', target.classId).where('trigger', '=', 'sync_now').orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(row.status).toBe(run.status);
      if (run.status === 'succeeded' && (await enrolled(target.classId, joining))) {
        outcome = okLabel();
      } else {
        message = run.message;
        outcome = run.status === 'failed' ? `failed: ${kindOf(message)}` : run.status === 'held' ? 'held' : 'no change';
        if (run.status === 'failed') expect(row.error).toBe(message);
        await expectOnlyJoinsSince(before, joining);
        const again = await browser.post(`/api/classes/${target.classId}/sync`);
        expect(again.body.run.status).toBe('succeeded');
        expect(await enrolled(target.classId, joining)).toBe(true);
      }
    } else {
      const kind = op === 'full sync' ? 'full' : 'delta';
      // One class takes every change: a OneRoster delta looks up each changed class's teachers, course and term.
      const target = synced[1]!;
      // A pagination fault on the change feed needs more changes than fit on two pages.
      const joining = addStudents(target.section, loop && kind === 'delta' ? paged : 1);
      const before = await snapshot(db());
      await inject(c, op);
      const result = await w.t.ctx.services.syncEngine.run(integration().id, { kind, trigger: kind });
      const status = (await w.t.ctx.store.integrations.findById(integration().id))?.status;
      await undo(c);
      expect(result.kind).toBe(kind);
      const row = await db().selectFrom('sync_runs').select(['status', 'error', 'warnings', 'details']).where('id', '=', result.runId!).executeTakeFirstOrThrow();
      expect(row.status).toBe(result.status);
      if (result.status === 'succeeded' && (await enrolled(target.classId, joining))) {
        outcome = okLabel();
        // New students' records arrive in the same feed as their enrollments: never fetched one by one.
        if (kind === 'delta') expect(probe.requests.slice(from).filter((r) => /\/users\/[^/]+$/.test(r.path)).map((r) => r.path)).toEqual([]);
        // A run that succeeds also completes what the row's faulty full run left undone.
        expect(await enrolled(target.classId, missed), 'a good run applies the change a faulty run missed').toBe(true);
        missed = [];
      } else {
        const reasons = result.status === 'held' ? ((row.details as { reasons?: string[] }).reasons ?? []) : [];
        message = result.error ?? [...reasons, ...(row.warnings as string[])].join(' ');
        outcome = result.status === 'failed' ? `failed: ${kindOf(message)}` : result.status === 'held' ? 'held' : 'no change';
        if (result.status === 'failed') {
          expect(row.error).toBe(result.error);
          // Refused credentials put the integration in front of an administrator.
          if (kindOf(message) === 'auth') expect(status).toBe('needs_attention');
        } else if (kind === 'full') {
          // A delta cannot tell an empty page from a quiet feed; a full run can, and says so.
          expect(message, 'a full run that applied less than it read says why').not.toBe('');
        }
        missed.push(...joining);
        // Full runs apply nothing before they have read everything; a delta keeps the pages it committed.
        if (kind === 'full') expect(await snapshot(db()), 'a failed full run applies nothing').toEqual(before);
        else await expectOnlyJoinsSince(before, missed);
        if (kind === 'delta') {
          // The next scheduled run completes what this row's faulty runs could not: no change was skipped.
          const again = await w.t.ctx.services.syncEngine.run(integration().id, { kind: 'delta', trigger: 'delta' });
          expect(again.status).toBe('succeeded');
          expect(await enrolled(target.classId, missed), 'the next delta applies the changes the faulty runs missed').toBe(true);
          missed = [];
        }
      }
    }
    if (message) expect(isPlainLanguage(message, secrets()), message).toBe(true);
    const key = `${provider}: ${c.name}`;
    (table.get(key) ?? table.set(key, new Map()).get(key)!).set(op, outcome);
    if (message && !messages.has(`${provider} ${outcome}`)) messages.set(`${provider} ${outcome}`, message);
    if (process.env.ROLLCALL_SUITE_VERBOSE) console.log(`${key} × ${op}: ${outcome} (${Date.now() - started} ms, ${probe.requests.length - from} requests)${message ? ` — ${message}` : ''}`);
    const want = expected(c, provider, op);
    expect(outcome).toBe(want);
  });

  it('regression: a delta after Sync now does not take an old section event’s student list for the roster', async () => {
    // Clever's sections.updated events carry the whole student list as of each event. Replayed after a
    // Sync now had enrolled later joiners, an older list on an earlier page removed them (or held the run).
    const target = synced[2]!;
    const joining = addStudents(target.section, page + 2);
    const now = await (await browserOf(target.teacher)).post(`/api/classes/${target.classId}/sync`);
    expect(now.body.run).toMatchObject({ status: 'succeeded', counts: { enrolled: joining.length } });
    const delta = await w.t.ctx.services.syncEngine.run(integration().id, { kind: 'delta', trigger: 'delta' });
    expect(delta).toMatchObject({ status: 'succeeded', counts: { held: 0 } });
    expect(delta.counts.removed ?? 0).toBe(0);
    expect(await enrolled(target.classId, joining)).toBe(true);
  });
});
