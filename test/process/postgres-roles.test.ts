import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseUrl } from '../support/database.ts';
import { eventually, freePort, runCli, startCli, type Running } from '../support/processes.ts';
import { linkIn, tokenFrom } from '../support/factories.ts';

/**
 * `rollcall serve` and `rollcall worker` as separate processes on one
 * PostgreSQL: the web process enqueues, the worker process delivers.
 */
const suite = testDatabaseUrl ? describe : describe.skip;
if (!testDatabaseUrl) console.warn('[skipped] postgres-roles: set TEST_DATABASE_URL to run the two-process PostgreSQL test');

suite('serve and worker as separate processes on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let url: string;
  let web: Running | undefined;
  let worker: Running | undefined;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    url = (db.target as { url: string }).url;
    client = new pg.Client({ connectionString: url });
  });
  afterAll(async () => {
    await web?.stop();
    await worker?.stop();
    await client?.end().catch(() => undefined);
    await db?.drop();
  });

  it('delivers an invitation email through the queue', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ROLLCALL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    await client.connect();
    const district = JSON.parse((await runCli(['districts', 'add', 'Two Process USD', '--json'], env)).stdout);
    const license = JSON.parse((await runCli(['licenses', 'add', '--district', district.id, '--name', 'TP', '--seats', '3', '--starts', '2026-01-01', '--ends', '2027-01-01', '--json'], env)).stdout);
    expect((await runCli(['licenses', 'add-admin', license.id, '--email', 'tp-admin@school.test', '--name', 'TP Admin'], env)).code).toBe(0);

    web = await startCli(['serve'], env, /Rollcall is running at/);
    const base = `http://127.0.0.1:${port}`;
    const jar = new Map<string, string>();
    const call = async (method: string, path: string, body?: unknown) => {
      const session = await fetch(`${base}/api/session`, { headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of session.headers.getSetCookie()) jar.set(c.split('=')[0]!, c.split(';')[0]!.split('=').slice(1).join('='));
      const { csrfToken } = (await session.json()) as { csrfToken: string };
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        body: JSON.stringify(body ?? {}),
      });
      for (const c of response.headers.getSetCookie()) jar.set(c.split('=')[0]!, c.split(';')[0]!.split('=').slice(1).join('='));
      return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
    };

    const setup = await client.query<{ text_body: string }>("select text_body from mail_capture where to_address = 'tp-admin@school.test'");
    const token = tokenFrom(linkIn(setup.rows[0]!.text_body, '/reset-password/complete?token='), 'query');
    expect((await call('POST', '/api/auth/password-reset/complete', { token, password: 'two process passphrase' })).status).toBe(200);
    expect((await call('POST', `/api/licenses/${license.id}/members`, { emails: 'queued@school.test' })).status).toBe(200);

    // Only the web process runs: the invitation waits in the queue.
    const queued = await client.query("select count(*)::int as n from mail_capture where to_address = 'queued@school.test'");
    expect(queued.rows[0].n).toBe(0);

    worker = await startCli(['worker'], env, /rollcall started/);
    const mail = await eventually(async () => {
      const result = await client.query<{ subject: string; text_body: string }>("select subject, text_body from mail_capture where to_address = 'queued@school.test'");
      return result.rows[0];
    }, 'the worker to send the invitation');
    expect(mail.subject).toMatch(/invited to TP/);
    expect(mail.text_body).toContain(`${base}/invitations/`);

    expect(await worker.stop('SIGTERM')).toBe(0);
    worker = undefined;
    expect(await web.stop('SIGTERM')).toBe(0);
    web = undefined;
  }, 120_000); // six short CLI processes and two long ones: slow on a loaded 2-core machine
});
