import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobHandlers } from '../../src/jobs/queue.ts';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { eventually } from '../support/processes.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const jobState = async (id: string) => (await t.ctx.queue.boss.findJobs('email.invitation', { id }))[0]?.state;

describe(`graceful stop of the job workers (${engine})`, () => {
  it('lets the job in progress finish before the queue stops, and fails one that outlives the grace period back to the queue', async () => {
    const events: string[] = [];
    let delayMs = 800;
    const handlers: JobHandlers = {
      ...t.ctx.jobHandlers,
      async 'email.invitation'({ memberId }) {
        events.push(`start ${memberId}`);
        await new Promise((r) => setTimeout(r, delayMs));
        events.push(`end ${memberId}`);
      },
    };
    await t.ctx.queue.work(handlers, t.ctx.logger);
    const first = (await t.ctx.queue.send('email.invitation', { memberId: 'first' }))!;
    await eventually(async () => (events.includes('start first') ? true : undefined), 'the first job to start');

    expect(await t.ctx.queue.stopWorkers(10_000)).toBe(true);
    expect(events).toEqual(['start first', 'end first']);
    expect(await jobState(first)).toBe('completed');

    // Sending still works while workers are stopped (requests in flight may enqueue); nothing picks it up here.
    const waiting = (await t.ctx.queue.send('email.invitation', { memberId: 'waiting' }))!;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await jobState(waiting)).toBe('created');

    // A job longer than the grace period: stopWorkers gives up, and stopping the queue hands it back for a retry.
    delayMs = 4_000;
    await t.ctx.queue.work(handlers, t.ctx.logger);
    await eventually(async () => (events.includes('start waiting') ? true : undefined), 'the second job to start');
    expect(await t.ctx.queue.stopWorkers(200)).toBe(false);
    await t.ctx.queue.stop();
    const { rows } = await sql<{ state: string }>`select state from pgboss.job where id = ${waiting}`.execute(t.ctx.database.db);
    expect(rows[0]?.state).toBe('retry');
  });
});

describe(`/readyz (${engine})`, () => {
  it('is ready when the database and the queue answer, and says which is down', async () => {
    const own = await createTestContext();
    const app = await buildApp(own.ctx);
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ ok: true, database: true, queue: true });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

      await own.ctx.close();
      const down = await app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ ok: false, database: false });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200); // alive, just not ready
    } finally {
      await app.close();
      await own.close().catch(() => undefined);
    }
  });
});
