import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.ts';
import { engine } from '../support/database.ts';
import { PASSWORD } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, sectionKey, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

let w: RosteringWorld;
beforeAll(async () => {
  w = await startRosteringWorld({ districts: [{ kind: 'demo' }] });
});
afterAll(async () => w?.stop());

/** One sample line of the exposition, e.g. sample('rollcall_signins_total', { provider: 'clever' }). */
function samples(text: string, name: string, labels: Record<string, string> = {}): { labels: string; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const at = line.lastIndexOf(' ');
      return { labels: line.slice(name.length, at), value: Number(line.slice(at + 1)) };
    })
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels.includes(`${k}="${v}"`)));
}

describe(`GET /metrics after traffic (${engine})`, () => {
  it('has every metric family of issue 9, labelled by route pattern, provider and outcome', async () => {
    const maple = w.districts[0]!;
    const { sims, app } = w;

    // Password sign-ins: one good (inside w.teacher), one refused.
    const teacher = maple.info.teachers[0]!;
    const { browser } = await w.teacher(maple, teacher, 'clever');
    const refused = await new TestBrowser(app).post('/api/auth/signin', { email: teacher.email, password: `${PASSWORD} wrong` });
    expect(refused.status).toBe(401);

    // A student signs in with Clever (from our button) and with ClassLink (a LaunchPad launch).
    const student = maple.info.students[0]!;
    const clever = new RedirectBrowser(app, APP);
    const start = await clever.get('/auth/clever/start');
    const authorize = new URL(start.location!);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', student.cleverId]]), redirect: 'manual' });
    expect(new URL((await clever.follow(posted.headers.get('location')!)).url).pathname).toBe('/student');
    const launch = new RedirectBrowser(app, APP);
    expect(new URL((await launch.follow(`${sims.classlink.url}/sim/launchpad?client_id=rc-cl&user=${student.classlinkUserId}`)).url).pathname).toBe('/student');

    // The section list (with one 429 from the provider, retried) and an import of two sections.
    sims.faults.inject('clever', 'rate-limit', { count: 1, retryAfterSeconds: 0, pathPrefix: '/v3.0' });
    const listed = await browser.get('/api/rostering/sections');
    expect(listed.status).toBe(200);
    const mine = maple.info.sections.filter((s) => s.teacherEmails[0] === teacher.email && !s.ended).slice(0, 2);
    const imported = await browser.post('/api/rostering/import', { sections: mine.map((s) => ({ integrationId: maple.integrations.clever.id, externalId: sectionKey('clever', s) })) });
    expect(imported.status).toBe(200);
    const classes = await browser.get('/api/classes');
    const classId = (classes.body.classes as { id: string }[])[0]!.id;
    expect((await browser.get(`/api/classes/${classId}`)).status).toBe(200);

    // A job waits in a queue (nobody works it in this test): an invitation email.
    const [member] = await w.t.ctx.store.licenses.insertMembers(maple.license.id, [{ email: 'waiting@school.test', userId: null }], null, new Date());
    await w.t.ctx.store.enqueue('email.invitation', { memberId: member!.id });

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;

    // HTTP latency by route pattern and status class — never a raw URL with its ids.
    expect(samples(text, 'rollcall_http_request_duration_seconds_count', { method: 'GET', route: '/api/rostering/sections', status_class: '2xx' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'rollcall_http_request_duration_seconds_count', { route: '/api/classes/:id' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_http_request_duration_seconds_count', { route: '/auth/:provider/callback', status_class: '3xx' })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain(classId);

    // Sign-ins by provider and outcome.
    expect(samples(text, 'rollcall_signins_total', { provider: 'password', outcome: 'success' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'rollcall_signins_total', { provider: 'password', outcome: 'refused:unauthenticated' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_signins_total', { provider: 'clever', outcome: 'success' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_signins_total', { provider: 'classlink', outcome: 'success' })[0]?.value).toBe(1);

    // Sync runs by trigger and outcome, their duration, and rows applied.
    expect(samples(text, 'rollcall_sync_runs_total', { trigger: 'import', outcome: 'succeeded' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_sync_run_duration_seconds_count', { trigger: 'import' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_sync_rows_applied_total', { trigger: 'import' })[0]?.value).toBe(mine.reduce((n, s) => n + s.studentCount, 0));

    // Queue depth and the age of the oldest waiting job, per queue.
    expect(samples(text, 'rollcall_queue_depth', { queue: 'email.invitation' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'rollcall_queue_oldest_job_age_seconds', { queue: 'email.invitation' })[0]?.value).toBeGreaterThanOrEqual(0);
    expect(samples(text, 'rollcall_queue_depth', { queue: 'rostering.import' })).toHaveLength(1);

    // Provider calls by status, 429s included.
    expect(samples(text, 'rollcall_provider_requests_total', { provider: 'clever', status: '200' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'rollcall_provider_requests_total', { provider: 'clever', status: '429' })[0]?.value).toBe(1);

    // Process metrics come with every registry.
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps one registry per context and records what the sync engine reports', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.recordSyncRun({ trigger: 'delta', outcome: 'held', seconds: 2.5, rows: 40 });
    a.recordSyncRun({ trigger: 'delta', outcome: 'succeeded', seconds: 1, rows: 0 });
    const text = await a.render();
    expect(samples(text, 'rollcall_sync_runs_total', { trigger: 'delta', outcome: 'held' })[0]?.value).toBe(1);
    expect(samples(text, 'rollcall_sync_rows_applied_total', { trigger: 'delta' })[0]?.value).toBe(40);
    expect(await b.render()).not.toContain('trigger="delta"');
  });

  it('reads queue gauges at most once per cache period, and survives a failing read', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let reads = 0;
    metrics.setQueueSource(async () => {
      reads++;
      if (reads === 2) throw new Error('database down');
      return [{ queue: 'sync', queued: 3, active: 1, failed: 0, oldestSeconds: 12 }];
    }, 60_000);
    await metrics.render();
    await metrics.render();
    expect(reads).toBe(1);
    metrics.setQueueSource(async () => {
      throw new Error('database down');
    });
    const text = await metrics.render();
    expect(text).toContain('# TYPE rollcall_queue_depth gauge');
    expect(samples(text, 'rollcall_queue_depth')).toHaveLength(0);
  });
});
