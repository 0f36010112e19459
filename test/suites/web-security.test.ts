import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { safeReturnTo as serverSafeReturnTo } from '../../src/auth/signin-flows.ts';
import { buildApp } from '../../src/http/app.ts';
import { hashToken } from '../../src/lib/crypto.ts';
import { safeReturnTo as webSafeReturnTo } from '../../web/src/navigation.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { PASSWORD, makeUser } from '../support/factories.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP } from '../support/rostering-world.ts';
import { entryFor } from './authz-routes.ts';
import { buildFixture, call, databaseFingerprint, registeredRoutes, type Fixture, type Role } from './authz-world.ts';

/**
 * Issue 8 §5: CSRF on every state-changing route, session fixation, cookie
 * flags, OAuth state/nonce/PKCE misuse, open redirects, rate limits, security
 * headers and input size limits. The https production app (Secure cookies,
 * HSTS, a proxy in front) is a second context with its own database.
 */
let f: Fixture;
let prod: TestContext;
let prodApp: FastifyInstance;
const PROD_URL = 'https://rollcall.example';
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

beforeAll(async () => {
  f = await buildFixture();
  prod = await createTestContext({
    NODE_ENV: 'production',
    PUBLIC_URL: PROD_URL,
    ROLLCALL_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIGNIN_RATE_LIMIT: '3',
    CLEVER_AUTH_URL: 'https://clever.invalid',
    CLEVER_API_URL: 'https://api.clever.invalid',
    CLEVER_CLIENT_ID: 'prod-client',
    CLEVER_CLIENT_SECRET: 'prod-secret',
    METRICS_TOKEN: METRICS_TOKEN,
  });
  prodApp = await buildApp(prod.ctx);
}, 120_000);
afterAll(async () => {
  await prodApp?.close();
  await prod?.close();
  await f?.w.stop();
});

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const sessionCookie = (r: LightMyRequestResponse) => (r.cookies as { name: string; value: string }[]).find((c) => c.name === 'rc_session');
const whoAmI = async (app: FastifyInstance, session: string | undefined) =>
  (await app.inject({ method: 'GET', url: '/api/session', headers: session ? { cookie: `rc_session=${session}` } : {} })).json().user as { id: string } | null;

/** pg-boss's jobs count as state too: a refused request must not have queued anything. */
async function fingerprint(): Promise<Record<string, string>> {
  const jobs = await sql<{ n: string }>`select count(*)::text as n from pgboss.job`.execute(f.w.t.ctx.database.db);
  return { ...(await databaseFingerprint(f.w.t.ctx)), 'pgboss.job': jobs.rows[0]!.n };
}

describe(`CSRF (${engine})`, () => {
  it('refuses every state-changing route without a valid token, changing nothing; the same request with the token works', async () => {
    const routes = registeredRoutes(f.app).filter((r) => WRITE_METHODS.has(r.method));
    expect(routes.length).toBeGreaterThan(20);
    // Prepare each request as a role the table allows (so only the token is missing), before the snapshot.
    const prepared: { route: string; method: string; url: string; body: unknown; role: Role }[] = [];
    for (const route of routes) {
      const entry = entryFor(route.method, route.url)!;
      const role = (['operator', 'teacher', 'licenseAdmin', 'districtAdmin', 'student', 'anonymous'] as const).find((r) => entry.same.includes(r)) ?? 'anonymous';
      const request = await entry.request(f, f.A);
      prepared.push({ route: `${route.method} ${route.url}`, method: route.method, url: request.url, body: request.body, role });
    }
    const sessions = new Map<string, string | undefined>();
    for (const p of prepared) sessions.set(p.route, await f.session(p.role));

    const before = await fingerprint();
    const accepted: string[] = [];
    for (const p of prepared) {
      for (const csrf of ['none', 'wrong', 'foreign'] as const) {
        const response = await call(f.app, { method: p.method, url: p.url, body: p.body, session: sessions.get(p.route), csrf });
        if (response.statusCode !== 403 || response.json().error.code !== 'forbidden') accepted.push(`${p.route} with ${csrf} token: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    expect(accepted, accepted.join('\n')).toEqual([]);
    expect(await fingerprint()).toEqual(before);
    // Sign-out without a token did not end the session either (sessions are outside the fingerprint).
    expect(await whoAmI(f.app, sessions.get('POST /api/auth/signout'))).not.toBeNull();

    // Positive control: with the browser's token the very same requests are accepted.
    const refused: string[] = [];
    for (const p of prepared) {
      const response = await call(f.app, { method: p.method, url: p.url, body: p.body, session: sessions.get(p.route) });
      if (response.statusCode >= 400) refused.push(`${p.route}: ${response.statusCode} ${response.body.slice(0, 120)}`);
    }
    expect(refused, refused.join('\n')).toEqual([]);
    console.log(`CSRF (${engine}): ${prepared.length} state-changing routes × 3 token forgeries refused with 403, database unchanged`);
  }, 60_000);
});

describe(`sessions (${engine})`, () => {
  const signIn = (cookie: string | undefined, email: string) => call(f.app, { method: 'POST', url: '/api/auth/signin', body: { email, password: PASSWORD }, session: cookie });

  it('a session id planted before sign-in is never the one after, and stays anonymous', async () => {
    const planted = 'attacker-chosen-session-id-0123456789';
    expect(await whoAmI(f.app, planted)).toBeNull();
    const signedIn = await signIn(planted, f.signer.email!);
    expect(signedIn.statusCode).toBe(200);
    const issued = sessionCookie(signedIn)!.value;
    expect(issued).not.toBe(planted);
    expect(await whoAmI(f.app, planted)).toBeNull();
    expect((await whoAmI(f.app, issued))?.id).toBe(f.signer.id);
  });

  it('signing in again on the same browser replaces the session id; the old one is dead', async () => {
    const first = sessionCookie(await signIn(undefined, f.signer.email!))!.value;
    const second = sessionCookie(await signIn(first, f.A.colleague.email!))!.value;
    expect(second).not.toBe(first);
    expect(await whoAmI(f.app, first)).toBeNull();
    expect((await whoAmI(f.app, second))?.id).toBe(f.A.colleague.id);
  });

  it('ignores forged, over-long and hash-as-cookie session ids, and ends sessions on sign-out and password reset', async () => {
    const forged = randomBytes(32).toString('base64url');
    expect(await whoAmI(f.app, forged)).toBeNull();
    expect((await call(f.app, { method: 'GET', url: '/api/classes', session: forged })).statusCode).toBe(401);
    expect(await whoAmI(f.app, 'x'.repeat(5000))).toBeNull();

    const token = sessionCookie(await signIn(undefined, f.signer.email!))!.value;
    // The database holds only a hash: a copy of the sessions table signs nobody in.
    expect(await whoAmI(f.app, hashToken(token))).toBeNull();
    expect((await call(f.app, { method: 'POST', url: '/api/auth/signout', session: token })).statusCode).toBe(204);
    expect(await whoAmI(f.app, token)).toBeNull();

    const resetUser = await makeUser(f.w.t.ctx, { name: 'Reset Person' });
    const a = sessionCookie(await signIn(undefined, resetUser.email!))!.value;
    const b = sessionCookie(await signIn(undefined, resetUser.email!))!.value;
    const { token: resetToken } = (await f.w.t.ctx.services.accounts.issueEmailToken(resetUser.id, 'reset_password'))!;
    const reset = await call(f.app, { method: 'POST', url: '/api/auth/password-reset/complete', body: { token: resetToken, password: 'brand new harbor 7741' } });
    expect(reset.statusCode).toBe(200);
    expect(await whoAmI(f.app, a)).toBeNull();
    expect(await whoAmI(f.app, b)).toBeNull();
  });
});

describe(`cookie flags and security headers (${engine})`, () => {
  const attrs = (r: LightMyRequestResponse, name: string) => (r.cookies as Record<string, unknown>[]).find((c) => c.name === name);

  it('https: session, CSRF and OAuth-flow cookies are Secure, HttpOnly and SameSite=Lax; HSTS is sent', async () => {
    const user = await makeUser(prod.ctx, { name: 'Prod Teacher' });
    const signedIn = await call(prodApp, { method: 'POST', url: '/api/auth/signin', body: { email: user.email, password: PASSWORD }, remoteAddress: '127.0.0.1' });
    expect(signedIn.statusCode).toBe(200);
    expect(attrs(signedIn, 'rc_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    const session = await prodApp.inject({ method: 'GET', url: '/api/session' });
    expect(attrs(session, 'rc_csrf')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    const start = await prodApp.inject({ method: 'GET', url: '/auth/clever/start' });
    expect(start.statusCode).toBe(302);
    expect(attrs(start, 'rc_oauth')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/auth' });
    expect(String(session.headers['strict-transport-security'])).toMatch(/max-age=\d{7,}/);
    expect(String(session.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('http (development): the same flags without Secure, and no HSTS', async () => {
    const signedIn = await call(f.app, { method: 'POST', url: '/api/auth/signin', body: { email: f.signer.email, password: PASSWORD } });
    expect(attrs(signedIn, 'rc_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(attrs(signedIn, 'rc_session')!.secure).toBeFalsy();
    const session = await f.app.inject({ method: 'GET', url: '/api/session' });
    expect(session.headers['strict-transport-security']).toBeUndefined();
  });

  it('every answer (API, web page, error) carries CSP, nosniff, framing refusal and a referrer policy', async () => {
    for (const app of [f.app, prodApp]) {
      for (const url of ['/api/session', '/signin', '/api/no-such-thing', '/healthz']) {
        const r = await app.inject({ method: 'GET', url });
        const csp = String(r.headers['content-security-policy']);
        expect(csp, url).toContain("default-src 'self'");
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).toContain("frame-ancestors 'none'");
        expect(csp, url).toContain("object-src 'none'");
        expect(r.headers['x-content-type-options'], url).toBe('nosniff');
        expect(r.headers['x-frame-options'], url).toBe('DENY');
        expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      }
    }
  });
});

describe(`provider sign-in misuse (${engine})`, () => {
  const sims = () => f.w.sims;
  const maple = () => f.w.districts[0]!.info;
  const userCount = async () => Number((await f.w.t.ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Our start → the simulated Clever login posts this user → the redirect back to us (not followed). */
  async function cleverCode(browser: RedirectBrowser, user: string, start = '/auth/clever/start', tamper?: (u: URL) => void) {
    const begun = await browser.get(start);
    const authorize = new URL(begun.location!);
    tamper?.(authorize);
    const posted = await fetch(`${sims().clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', user]]), redirect: 'manual' });
    return { state: authorize.searchParams.get('state')!, callback: posted.headers.get('location')! };
  }

  async function classlinkCode(browser: RedirectBrowser, sourcedId: string, tamper?: (u: URL) => void) {
    const begun = await browser.get('/auth/classlink/start');
    const authorize = new URL(begun.location!);
    tamper?.(authorize);
    const form = new URLSearchParams([...authorize.searchParams, ['user', `${maple().classlinkTenantId}:${sourcedId}`]]);
    const posted = await fetch(`${sims().classlink.url}/oauth2/v2/auth`, { method: 'POST', body: form, redirect: 'manual' });
    return { callback: posted.headers.get('location')! };
  }

  it('login CSRF: an attacker’s own valid callback delivered to a victim’s browser is refused', async () => {
    const attacker = new RedirectBrowser(f.app, APP);
    const { callback } = await cleverCode(attacker, maple().students[20]!.cleverId);
    const victim = new RedirectBrowser(f.app, APP);
    const landed = await victim.follow(callback);
    expect(landed.url).toContain('/signin?error=state_mismatch');
    expect((await victim.session()).user).toBeNull();
  });

  it('a state is single-use: a second code for the same state is refused even with the state cookie', async () => {
    const browser = new RedirectBrowser(f.app, APP);
    const student = maple().students[21]!.cleverId;
    const { state, callback } = await cleverCode(browser, student);
    await browser.follow(callback);
    expect((await browser.session()).user).not.toBeNull();
    // Ask the provider for another code bound to the same state, and put the state cookie back.
    const again = await fetch(`${sims().clever.url}/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'rc', redirect_uri: `${APP}/auth/clever/callback`, response_type: 'code', state, user: student }),
      redirect: 'manual',
    });
    const replay = new RedirectBrowser(f.app, APP);
    replay.jars.set(new URL(APP).host, new Map([['rc_oauth', state]]));
    const landed = await replay.follow(again.headers.get('location')!);
    expect(landed.url).toContain('/signin?error=state_mismatch');
    expect((await replay.session()).user).toBeNull();
  });

  it('a code without state (portal launch) restarts with our own state instead of being used; a loop is stopped', async () => {
    const portal = await fetch(`${sims().clever.url}/sim/portal?client_id=rc&user=${maple().students[22]!.cleverId}`, { redirect: 'manual' });
    const callback = new URL(portal.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBeNull();
    const code = callback.searchParams.get('code')!;
    const browser = new RedirectBrowser(f.app, APP);
    const restarted = await browser.get(callback.toString());
    expect(restarted.status).toBe(302);
    expect(restarted.location).toContain(`${sims().clever.url}/oauth/authorize`);
    expect(new URL(restarted.location!).searchParams.get('state')).toBe(browser.cookie('rc_oauth'));
    expect((await browser.session()).user).toBeNull();
    // The portal's code was never redeemed: the provider still accepts it once.
    const redeem = await fetch(`${sims().clever.url}/oauth/tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('rc:rc-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${APP}/auth/clever/callback` }),
    });
    expect(redeem.status).toBe(200);
    // A second stateless code right after is a loop, not another restart.
    const looping = await browser.get(callback.toString());
    expect(looping.location).toContain('/signin?error=restart_loop');
  });

  it('a Clever callback delivered to the ClassLink callback is refused, and uses up the flow', async () => {
    const browser = new RedirectBrowser(f.app, APP);
    const { callback } = await cleverCode(browser, maple().students[23]!.cleverId);
    const wrong = new URL(callback);
    wrong.pathname = '/auth/classlink/callback';
    const landed = await browser.get(wrong.toString());
    expect(landed.location).toContain('/signin?error=state_mismatch');
    const late = await browser.follow(callback);
    expect(late.url).toContain('/signin?error=state_mismatch');
    expect((await browser.session()).user).toBeNull();
  });

  it('ClassLink: a tampered nonce or PKCE challenge is refused and creates nobody', async () => {
    const before = await userCount();
    for (const tamper of [(u: URL) => u.searchParams.set('nonce', 'attacker-nonce-value'), (u: URL) => u.searchParams.set('code_challenge', 'A'.repeat(43))]) {
      const browser = new RedirectBrowser(f.app, APP);
      const { callback } = await classlinkCode(browser, maple().students[24]!.oneRosterSourcedId, tamper);
      const landed = await browser.follow(callback);
      expect(landed.url).toMatch(/\/signin\?error=(bad_response|code_rejected)/);
      expect((await browser.session()).user).toBeNull();
    }
    expect(await userCount()).toBe(before);
    // Untampered, the same student signs in (so the refusals above were the tampering).
    const browser = new RedirectBrowser(f.app, APP);
    const { callback } = await classlinkCode(browser, maple().students[24]!.oneRosterSourcedId);
    expect(new URL((await browser.follow(callback)).url).pathname).toBe('/student');
  });

  it('a flow older than ten minutes, a provider error and a connect without a session are refused', async () => {
    const browser = new RedirectBrowser(f.app, APP);
    const { callback } = await cleverCode(browser, maple().students[25]!.cleverId);
    f.w.t.clock.advance(11 * 60_000);
    expect((await browser.follow(callback)).url).toContain('/signin?error=state_mismatch');
    const denied = await new RedirectBrowser(f.app, APP).get('/auth/clever/callback?error=access_denied&state=whatever');
    expect(denied.location).toContain('/signin?error=provider_denied');
    expect((await f.app.inject({ method: 'GET', url: '/auth/clever/start?purpose=connect' })).statusCode).toBe(401);
  });
});

describe(`open redirects (${engine})`, () => {
  // Raw query values, as an attacker would put them in a link to /auth/clever/start?returnTo=…
  const vectors = [
    '//evil.example',
    '%2F%2Fevil.example',
    '///evil.example',
    'https://evil.example',
    'https:%2F%2Fevil.example',
    'http:evil.example',
    '/%5Cevil.example',
    '%5C%5Cevil.example',
    '/%5C/evil.example',
    '/%09/evil.example',
    '/%0A/evil.example',
    '/%0D%0A/evil.example',
    '/%09%5Cevil.example',
    '/%20/evil.example',
    '/.//evil.example',
    '/%2E%2F%2Fevil.example',
    '/..//evil.example',
    'javascript:alert(document.domain)',
    '%252F%252Fevil.example',
    '%E2%80%AE//evil.example',
  ];

  it('no returnTo value sends the browser off-site after a provider sign-in; a real path is kept', async () => {
    const offsite: string[] = [];
    const student = f.w.districts[0]!.info.students[30]!.cleverId;
    for (const raw of [...vectors, '%2Fclasses%3Ftab%3Droster']) {
      const browser = new RedirectBrowser(f.app, APP);
      const begun = await browser.get(`/auth/clever/start?returnTo=${raw}`);
      if (begun.status !== 302) {
        offsite.push(`${raw}: start answered ${begun.status}`);
        continue;
      }
      const authorize = new URL(begun.location!);
      const posted = await fetch(`${f.w.sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', student]]), redirect: 'manual' });
      // The callback's Location, resolved the way a browser resolves it.
      const landed = await browser.get(posted.headers.get('location')!);
      expect(landed.status).toBe(302);
      const target = new URL(landed.location!, APP);
      if (target.origin !== new URL(APP).origin) offsite.push(`${raw} → ${landed.location}`);
      if (raw.startsWith('%2Fclasses')) expect(target.pathname + target.search).toBe('/classes?tab=roster');
    }
    expect(offsite, offsite.join('\n')).toEqual([]);
  });

  it('the server’s and the sign-in page’s returnTo checks accept only same-site paths', () => {
    for (const raw of vectors) {
      const value = decodeURIComponent(raw);
      for (const [name, check] of [['server', serverSafeReturnTo], ['web', webSafeReturnTo]] as const) {
        const safe = check(value);
        if (safe === null) continue;
        expect(new URL(safe, APP).origin, `${name}: ${JSON.stringify(value)} → ${safe}`).toBe(new URL(APP).origin);
        expect(safe.startsWith('//'), `${name}: ${JSON.stringify(value)} → ${safe}`).toBe(false);
      }
    }
    expect(serverSafeReturnTo('/invitations/abc?x=1')).toBe('/invitations/abc?x=1');
    expect(webSafeReturnTo('/invitations/abc?x=1')).toBe('/invitations/abc?x=1');
  });
});

describe(`rate limits (${engine})`, () => {
  // The production app sits behind one proxy (TRUST_PROXY defaults to 1 hop): the proxy appends the
  // client's real address to X-Forwarded-For; anything before it is whatever the client wrote.
  const viaProxy = (client: string, spoofed?: string) => ({ 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client });

  it('sign-in: 429 after the limit per address and account, however the client fakes X-Forwarded-For', async () => {
    const user = await makeUser(prod.ctx, { name: 'Limited Teacher' });
    const attempt = (password: string, i: number, email = user.email) =>
      call(prodApp, { method: 'POST', url: '/api/auth/signin', body: { email, password }, remoteAddress: '127.0.0.1', headers: viaProxy('198.51.100.7', `10.0.${i}.1`) });
    for (let i = 0; i < 3; i++) expect((await attempt('not the password', i)).statusCode).toBe(401);
    const limited = await attempt(PASSWORD, 99);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Too many attempts/) });
    // Another account from the same address is not locked out by this one (a school behind one NAT).
    expect((await attempt('not the password', 100, 'someone.else@school.test')).statusCode).toBe(401);
    // The real user from another address still signs in.
    const elsewhere = await call(prodApp, { method: 'POST', url: '/api/auth/signin', body: { email: user.email, password: PASSWORD }, remoteAddress: '127.0.0.1', headers: viaProxy('198.51.100.8') });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('invitation links: 429 after the limit on opening and on accepting', async () => {
    const limit = 3 * 3;
    for (const [method, path] of [
      ['GET', '/api/invitations/not-a-real-invitation-token'],
      ['POST', '/api/invitations/not-a-real-invitation-token/accept'],
    ] as const) {
      const statuses: number[] = [];
      for (let i = 0; i <= limit; i++) {
        const r = await call(prodApp, { method, url: path, body: method === 'POST' ? { name: 'X', password: 'y' } : undefined, remoteAddress: '127.0.0.1', headers: viaProxy('198.51.100.9', `10.1.${i}.1`) });
        statuses.push(r.statusCode);
      }
      expect(statuses.slice(0, limit).every((s) => s === 404), `${path}: ${statuses.join(',')}`).toBe(true);
      expect(statuses[limit], path).toBe(429);
    }
  });
});

describe(`metrics and captured mail are for this machine only (${engine})`, () => {
  it('serves /metrics to a direct local request or with the token, and refuses the internet and proxied requests', async () => {
    const local = await f.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect((await f.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5' })).statusCode).toBe(403);
    // A reverse proxy on this host connects from loopback: a forwarded request is still from outside.
    expect((await f.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.5' } })).statusCode).toBe(403);
    expect((await f.app.inject({ method: 'GET', url: '/api/dev/mail', remoteAddress: '203.0.113.5' })).statusCode).toBe(403);
    expect((await f.app.inject({ method: 'GET', url: '/api/dev/mail', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    // Production never registers the dev mail route at all.
    expect((await prodApp.inject({ method: 'GET', url: '/api/dev/mail' })).statusCode).toBe(404);

    // With METRICS_TOKEN set, a scraper elsewhere reads it with the bearer token, and only with it.
    const scrape = (authorization?: string) => prodApp.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5', headers: authorization ? { authorization } : {} });
    expect((await scrape(`Bearer ${METRICS_TOKEN}`)).statusCode).toBe(200);
    expect((await scrape('Bearer wrong-token-0123456789')).statusCode).toBe(403);
    expect((await scrape()).statusCode).toBe(403);
  });
});

describe(`input size limits (${engine})`, () => {
  it('a body over 256 KB is refused with 413 and a clear message; nothing is stored', async () => {
    const before = await fingerprint();
    const session = await f.session('licenseAdmin');
    const huge = Array.from({ length: 12_000 }, (_v, i) => `teacher${i}@school.test`).join(', ');
    expect(huge.length).toBeGreaterThan(256 * 1024);
    const r = await call(f.app, { method: 'POST', url: `/api/licenses/${f.A.licenseId}/members`, body: { emails: huge }, session });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.message).toMatch(/too large/i);
    expect(await fingerprint()).toEqual(before);
  });

  it('over-long fields are refused with 400 naming the field (414 for an over-long path segment), before anything is stored', async () => {
    const before = await fingerprint();
    const long = (n: number) => 'x'.repeat(n);
    const cases: { role: Role; method: string; url: string; body?: unknown; status?: number }[] = [
      { role: 'anonymous', method: 'POST', url: '/api/auth/signup', body: { name: long(401), email: 'long.name@school.test', password: 'a fine long password 1' } },
      { role: 'anonymous', method: 'POST', url: '/api/auth/signup', body: { name: 'Ok Name', email: `${long(320)}@school.test`, password: 'a fine long password 1' } },
      { role: 'anonymous', method: 'POST', url: '/api/auth/signin', body: { email: 'a@school.test', password: long(401) } },
      { role: 'teacher', method: 'POST', url: '/api/classes', body: { name: long(1001) } },
      { role: 'teacher', method: 'POST', url: '/api/classes', body: { name: long(301) } },
      { role: 'licenseAdmin', method: 'POST', url: `/api/licenses/${f.A.licenseId}/members`, body: { emails: long(50_001) } },
      { role: 'operator', method: 'POST', url: '/api/operator/districts', body: { name: long(401) } },
      { role: 'operator', method: 'POST', url: '/api/operator/districts', body: { name: long(201) } },
      { role: 'operator', method: 'POST', url: `/api/operator/licenses/${f.A.licenseId}/admins`, body: { email: 'ok@school.test', name: long(401) } },
      { role: 'operator', method: 'GET', url: `/api/operator/users?q=${long(201)}` },
      { role: 'operator', method: 'PUT', url: `/api/integrations/${f.A.integrationId}/schools/${long(301)}`, body: { schoolId: null }, status: 414 },
      {
        role: 'operator',
        method: 'POST',
        url: '/api/operator/integrations/classlink',
        body: { districtId: f.A.districtId, tenantId: 't1', rosterServerUrl: 'http://x.test', oneRosterVersion: '1.1', clientId: 'k', clientSecret: long(501) },
      },
      { role: 'teacher', method: 'POST', url: '/api/rostering/import', body: { sections: Array.from({ length: 101 }, (_v, i) => ({ integrationId: f.A.integrationId, externalId: `s${i}` })) } },
      { role: 'anonymous', method: 'POST', url: `/api/invitations/${long(201)}/accept`, body: { name: 'X', password: 'y' }, status: 414 },
      { role: 'anonymous', method: 'POST', url: '/api/invitations/abc/accept', body: { name: 'X', password: 'y' } },
      { role: 'anonymous', method: 'POST', url: '/api/auth/verify-email', body: { token: long(301) } },
      { role: 'anonymous', method: 'GET', url: `/auth/clever/start?returnTo=/${long(500)}` },
    ];
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await call(f.app, { method: c.method, url: c.url, body: c.body, session: await f.session(c.role) });
      const body = r.json() as { error?: { code: string; fields: { field: string }[] } };
      const expected = c.status ?? 400;
      const shaped = body.error?.code === 'validation_failed' && body.error.fields.length > 0;
      if (r.statusCode !== expected || !shaped) wrong.push(`${c.method} ${c.url.slice(0, 60)}: ${r.statusCode} ${r.body.slice(0, 160)}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });
});
