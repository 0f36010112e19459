import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { TestBrowser } from '../support/http.ts';
import { PASSWORD, linkIn, mailTo, makeUser, tokenFrom } from '../support/factories.ts';
import { engine } from '../support/database.ts';

let t: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestContext({ SIGNIN_RATE_LIMIT: '5' });
  app = await buildApp(t.ctx);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const strong = 'a long and unusual passphrase';

describe(`accounts over HTTP (${engine})`, () => {
  it('signs a teacher up, emails a verification link, and verifies it once', async () => {
    const browser = new TestBrowser(app);
    const signup = await browser.post('/api/auth/signup', { name: '  Ana   Ruiz ', email: 'Ana.Ruiz@School.test', password: strong });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ name: 'Ana Ruiz', email: 'ana.ruiz@school.test', role: 'teacher', emailVerified: false });

    const session = await browser.get('/api/session');
    expect(session.body.user.email).toBe('ana.ruiz@school.test');

    const [mail] = await mailTo(t.ctx, 'ana.ruiz@school.test');
    expect(mail?.subject).toMatch(/Confirm your email/);
    const token = tokenFrom(linkIn(mail!.text, '/verify-email?token='), 'query');
    const verified = await browser.post('/api/auth/verify-email', { token });
    expect(verified.status).toBe(200);
    expect(verified.body.user.emailVerified).toBe(true);

    const again = await browser.post('/api/auth/verify-email', { token });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toMatch(/already used/);
  });

  it('rejects bad sign-up input with field messages and creates nothing', async () => {
    const browser = new TestBrowser(app);
    const cases = [
      [{ name: 'A', email: 'not-an-email', password: strong }, 'email'],
      [{ name: 'A', email: 'weak@school.test', password: 'short' }, 'password'],
      [{ name: '   ', email: 'noname@school.test', password: strong }, 'name'],
    ] as const;
    for (const [body, field] of cases) {
      const response = await browser.post('/api/auth/signup', body);
      expect(response.status).toBe(400);
      expect(response.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await t.ctx.store.accounts.findLoginByEmail('weak@school.test')).toBeUndefined();
    expect(await t.ctx.store.accounts.findLoginByEmail('noname@school.test')).toBeUndefined();
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const existing = await makeUser(t.ctx, { email: 'dup@school.test' });
    const response = await new TestBrowser(app).post('/api/auth/signup', { name: 'B', email: 'DUP@school.test', password: strong });
    expect(response.status).toBe(409);
    expect(response.body.error.fields[0].field).toBe('email');
    const login = await t.ctx.store.accounts.findLoginByEmail('dup@school.test');
    expect(login?.id).toBe(existing.id);
  });

  it('signs in with a new session id, and Log Out ends the session on the server', async () => {
    const user = await makeUser(t.ctx);
    const browser = new TestBrowser(app);
    await browser.get('/api/session');
    const signin = await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD });
    expect(signin.status).toBe(200);
    const cookie = signin.raw.cookies.find((c) => c.name === 'rc_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy(); // PUBLIC_URL is http in this test
    const firstToken = cookie.value;

    // Signing in again rotates the id and kills the old one.
    await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD });
    const secondToken = browser.cookies.get('rc_session')!;
    expect(secondToken).not.toBe(firstToken);
    const stale = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `rc_session=${firstToken}` } });
    expect(stale.json().user).toBeNull();

    const out = await browser.post('/api/auth/signout');
    expect(out.status).toBe(204);
    const replay = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `rc_session=${secondToken}` } });
    expect(replay.json().user).toBeNull();
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await makeUser(t.ctx);
    const browser = new TestBrowser(app);
    const wrong = await browser.post('/api/auth/signin', { email: user.email, password: 'wrong wrong wrong' });
    const unknown = await browser.post('/api/auth/signin', { email: 'nobody@school.test', password: 'wrong wrong wrong' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('rate-limits sign-in attempts', async () => {
    const fresh = await buildApp(t.ctx);
    const browser = new TestBrowser(fresh);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await browser.post('/api/auth/signin', { email: 'x@school.test', password: 'nope nope nope' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another teacher at the same school (same address) is not locked out.
    const colleague = await makeUser(t.ctx);
    expect((await browser.post('/api/auth/signin', { email: colleague.email, password: PASSWORD })).status).toBe(200);
    await fresh.close();
  });

  it('refuses state-changing requests without the CSRF token', async () => {
    const browser = new TestBrowser(app);
    const response = await browser.post('/api/auth/signup', { name: 'C', email: 'csrf@school.test', password: strong }, { csrf: false });
    expect(response.status).toBe(403);
    expect(await t.ctx.store.accounts.findLoginByEmail('csrf@school.test')).toBeUndefined();
    const forged = await app.inject({ method: 'POST', url: '/api/auth/signup', headers: { 'x-csrf-token': 'forged' }, payload: { name: 'C', email: 'csrf@school.test', password: strong } });
    expect(forged.statusCode).toBe(403);
  });

  it('resets a password by email, signs out every other session, and the link works once', async () => {
    const user = await makeUser(t.ctx);
    const other = new TestBrowser(app);
    await other.post('/api/auth/signin', { email: user.email, password: PASSWORD });

    const browser = new TestBrowser(app);
    expect((await browser.post('/api/auth/password-reset', { email: user.email })).status).toBe(202);
    expect((await browser.post('/api/auth/password-reset', { email: 'nobody@school.test' })).status).toBe(202);
    const [mail] = await mailTo(t.ctx, user.email!);
    const token = tokenFrom(linkIn(mail!.text, '/reset-password/complete?token='), 'query');

    const weak = await browser.post('/api/auth/password-reset/complete', { token, password: 'short' });
    expect(weak.status).toBe(400);
    const done = await browser.post('/api/auth/password-reset/complete', { token, password: strong });
    expect(done.status).toBe(200);
    expect((await other.get('/api/session')).body.user).toBeNull();
    expect((await browser.post('/api/auth/password-reset/complete', { token, password: strong })).status).toBe(410);
    expect((await new TestBrowser(app).post('/api/auth/signin', { email: user.email, password: strong })).status).toBe(200);
  });

  it('sets security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/session' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('never logs passwords or session tokens', async () => {
    const browser = new TestBrowser(app);
    await browser.post('/api/auth/signup', { name: 'Log Check', email: 'logcheck@school.test', password: 'log-secret-passphrase-123' });
    const token = browser.cookies.get('rc_session')!;
    expect(t.logs.text).not.toContain('log-secret-passphrase-123');
    expect(t.logs.text).not.toContain(token);
    expect(t.logs.lines.length).toBeGreaterThan(0);
  });
});
