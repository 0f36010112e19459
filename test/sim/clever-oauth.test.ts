import { createPublicKey, verify } from 'node:crypto';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { basic, bearer, Browser, getJson, loginFormFields, request } from './support/http.ts';

const CLIENT = {
  clientId: 'test-clever-app',
  clientSecret: 'test-clever-secret',
  redirectUris: ['http://app.test/auth/clever/callback', 'http://app.test/other/callback'],
};
const REDIRECT = CLIENT.redirectUris[0]!;

let sims: RunningSimulators;
let base: string;

beforeAll(async () => {
  sims = await startSimulators({
    cleverClient: CLIENT,
    districts: [{ kind: 'demo' }, { kind: 'generated', students: 300, seed: 7, name: 'Second District' }],
  });
  base = sims.clever.url;
});
afterAll(async () => sims.close());

const demo = () => sims.districts[0]!;
const rivera = () => demo().teachers[0]!;

function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT.clientId, redirect_uri: REDIRECT, ...params });
  return `${base}/oauth/authorize?${q.toString()}`;
}

/** Sign in through the login page as `userId`; returns the callback URL. */
async function signIn(browser: Browser, params: Record<string, string>, userId: string, role?: string): Promise<URL> {
  const page = await browser.get(authorizeUrl(params));
  expect(page.status).toBe(200);
  const done = await browser.post(`${base}/oauth/authorize`, loginFormFields(page.text, userId, role));
  expect(done.status).toBe(302);
  return new URL(done.location!);
}

async function exchange(code: string, redirectUri = REDIRECT, auth = basic(CLIENT.clientId, CLIENT.clientSecret)) {
  const r = await request(`${base}/oauth/tokens`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ code, grant_type: 'authorization_code', redirect_uri: redirectUri }),
  });
  return { status: r.status, body: r.json<Record<string, string>>() };
}

function verifyJwt(token: string, jwk: Record<string, unknown>): Record<string, unknown> {
  const [h, p, s] = token.split('.');
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'))).toBe(true);
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'RS256' });
  return JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
}

describe('Clever /oauth/authorize', () => {
  it('shows a login page listing the district users with their roles, filtered by district_id', async () => {
    const page = await request(authorizeUrl({ state: 's1', district_id: demo().cleverDistrictId }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Elena Rivera');
    expect(page.text).toContain('data-role="student"');
    expect(page.text).toContain('data-role="staff"');
    expect(page.text).not.toContain('Second District');
    const all = await request(authorizeUrl({}));
    expect(all.text).toContain('Second District');
  });

  it('answers an unknown client or an unregistered redirect_uri with an error page, never a redirect', async () => {
    const badClient = await request(authorizeUrl({ client_id: 'nope' }));
    expect(badClient.status).toBe(400);
    expect(badClient.location).toBeNull();
    const badRedirect = await request(authorizeUrl({ redirect_uri: 'http://app.test/auth/clever/callback/' }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.location).toBeNull();
  });

  it('redirects with code and state, then completes a second authorize silently from the session', async () => {
    const browser = new Browser();
    const callback = await signIn(browser, { state: 'xyz' }, rivera().cleverId, 'teacher');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.get('code')).toMatch(/^[0-9a-f]+$/);
    const again = await browser.get(authorizeUrl({ state: 'second' }));
    expect(again.status).toBe(302);
    const url = new URL(again.location!);
    expect(url.searchParams.get('state')).toBe('second');
    expect(url.searchParams.get('code')).not.toBe(callback.searchParams.get('code'));
  });

  it('omits state when none was sent', async () => {
    const callback = await signIn(new Browser(), {}, rivera().cleverId, 'teacher');
    expect(callback.searchParams.has('state')).toBe(false);
    expect(callback.searchParams.has('code')).toBe(true);
  });
});

describe('Clever POST /oauth/tokens', () => {
  it('exchanges a code once (JSON or form) and rejects reuse, bad clients, wrong redirect and expired codes', async () => {
    const browser = new Browser();
    const code = (await signIn(browser, { nonce: 'n-1' }, rivera().cleverId, 'teacher')).searchParams.get('code')!;
    const noAuth = await exchange(code, REDIRECT, {});
    expect(noAuth.status).toBe(401);
    expect(noAuth.body['error']).toBe('invalid_client');
    const badSecret = await exchange(code, REDIRECT, basic(CLIENT.clientId, 'wrong'));
    expect(badSecret.status).toBe(401);
    const wrongRedirect = await exchange(code, CLIENT.redirectUris[1]);
    expect(wrongRedirect).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const ok = await exchange(code);
    expect(ok.status).toBe(200);
    expect(ok.body['token_type']).toBe('bearer');
    expect(typeof ok.body['access_token']).toBe('string');
    const reused = await exchange(code);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: 'invalid_grant' });
    expect(typeof reused.body['error_description']).toBe('string');

    // Form-encoded is accepted too.
    const code2 = new URL((await browser.get(authorizeUrl({}))).location!).searchParams.get('code')!;
    const formRes = await request(`${base}/oauth/tokens`, {
      method: 'POST',
      headers: { ...basic(CLIENT.clientId, CLIENT.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: code2, grant_type: 'authorization_code', redirect_uri: REDIRECT }).toString(),
    });
    expect(formRes.status).toBe(200);

    const code3 = new URL((await browser.get(authorizeUrl({}))).location!).searchParams.get('code')!;
    sims.clever.control.advanceClock(61_000);
    expect(await exchange(code3)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('returns an RS256 id_token with Clever claims (and the nonce) verifiable with the JWKS', async () => {
    const browser = new Browser();
    const code = (await signIn(browser, { nonce: 'nonce-42' }, rivera().cleverId, 'teacher')).searchParams.get('code')!;
    const { body } = await exchange(code);
    const discovery = (await getJson(`${base}/.well-known/openid-configuration`, {})).body;
    expect(discovery['issuer']).toBe(base);
    const keys = (await getJson<{ keys: Record<string, unknown>[] }>(String(discovery['jwks_uri']), {})).body.keys;
    const claims = verifyJwt(body['id_token']!, keys[0]!);
    expect(claims).toMatchObject({
      iss: base,
      aud: CLIENT.clientId,
      sub: rivera().cleverId,
      multi_role_user_id: rivera().cleverId,
      user_type: 'teacher',
      district: demo().cleverDistrictId,
      email: 'ms.rivera@maplegrove.example',
      email_verified: false,
      given_name: 'Elena',
      family_name: 'Rivera',
      nonce: 'nonce-42',
    });
    expect(claims['user_id']).not.toBe(claims['sub']);
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(3600);
  });

  it('omits the id_token when OIDC is off for the app', async () => {
    sims.clever.control.setOidcEnabled(false);
    try {
      const code = (await signIn(new Browser(), {}, rivera().cleverId, 'teacher')).searchParams.get('code')!;
      const { body } = await exchange(code);
      expect(body['id_token']).toBeUndefined();
      expect(body['access_token']).toBeDefined();
    } finally {
      sims.clever.control.setOidcEnabled(true);
    }
  });
});

describe('Clever user tokens, /me and /userinfo', () => {
  it('lets a user token read only /me, its own user and its own district', async () => {
    const student = demo().students[0]!;
    const code = (await signIn(new Browser(), {}, student.cleverId)).searchParams.get('code')!;
    const token = (await exchange(code)).body['access_token']!;
    const me = await getJson<{ type: string; data: Record<string, string>; links: { rel: string; uri: string }[] }>(`${base}/v3.0/me`, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.type).toBe('user');
    expect(me.body.data).toMatchObject({ id: student.cleverId, district: demo().cleverDistrictId, type: 'user', authorized_by: 'district' });
    expect(me.body.links).toContainEqual({ rel: 'canonical', uri: `/v3.0/users/${student.cleverId}` });
    expect((await getJson(`${base}/v3.0/users/${student.cleverId}`, bearer(token))).status).toBe(200);
    expect((await getJson(`${base}/v3.0/districts/${demo().cleverDistrictId}`, bearer(token))).status).toBe(200);
    for (const path of ['/v3.0/sections', `/v3.0/users/${rivera().cleverId}`, `/v3.0/users/${student.cleverId}/sections`, '/v3.0/districts', '/v3.0/events']) {
      const r = await getJson(`${base}${path}`, bearer(token));
      expect(r.status, path).toBe(403);
      expect(r.body).toEqual({ message: "Resource not in token's scopes" });
    }
    const info = await getJson(`${base}/userinfo`, bearer(token));
    expect(info.body).toMatchObject({ sub: student.cleverId, user_type: 'student', district_id: demo().cleverDistrictId, authorized_by: 'district' });
    const posted = await request(`${base}/userinfo`, { method: 'POST', headers: bearer(token) });
    expect(posted.status).toBe(200);
  });

  it('reports the role chosen at login for a multi-role user', async () => {
    const code = (await signIn(new Browser(), {}, rivera().cleverId, 'staff')).searchParams.get('code')!;
    const token = (await exchange(code)).body['access_token']!;
    const info = await getJson(`${base}/userinfo`, bearer(token));
    expect(info.body['user_type']).toBe('staff');
    const user = await getJson<{ data: { roles: Record<string, unknown> } }>(`${base}/v3.0/users/${rivera().cleverId}`, bearer(token));
    expect(Object.keys(user.body.data.roles).sort()).toEqual(['staff', 'teacher']);
  });

  it('answers /me for a district-app token with type "district"', async () => {
    const me = await getJson<{ type: string; data: Record<string, string> }>(`${base}/v3.0/me`, bearer(demo().cleverDistrictToken));
    expect(me.body.type).toBe('district');
    expect(me.body.data['id']).toBe(demo().cleverDistrictId);
  });

  it('lists district-app tokens at GET /oauth/tokens?owner_type=district', async () => {
    const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
    const all = await getJson<{ data: Record<string, unknown>[]; links: unknown[] }>(`${base}/oauth/tokens?owner_type=district`, auth);
    expect(all.body.data).toHaveLength(2);
    expect(all.body.data[0]).toMatchObject({ owner: { type: 'district', id: demo().cleverDistrictId }, access_token: demo().cleverDistrictToken });
    expect(all.body.data[0]?.['scopes']).toContain('read:sections');
    expect(all.body.links).toEqual([{ rel: 'self', uri: '/oauth/tokens?owner_type=district' }]);
    const one = await getJson<{ data: unknown[] }>(`${base}/oauth/tokens?owner_type=district&district=${sims.districts[1]!.cleverDistrictId}`, auth);
    expect(one.body.data).toHaveLength(1);
    expect((await getJson(`${base}/oauth/tokens?owner_type=district`, {})).status).toBe(401);
  });
});

describe('Clever-initiated logins', () => {
  it('portal launch signs the user in and lands on the FIRST redirect URI with a code and no state', async () => {
    const browser = new Browser();
    const r = await browser.get(`${base}/sim/portal?user=${rivera().cleverId}&client_id=${CLIENT.clientId}`);
    expect(r.status).toBe(302);
    const url = new URL(r.location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.has('state')).toBe(false);
    expect((await exchange(url.searchParams.get('code')!)).status).toBe(200);
    // The app restarts with its own state: the live session completes it silently.
    const restart = await browser.get(authorizeUrl({ state: 'mine', district_id: demo().cleverDistrictId }));
    expect(new URL(restart.location!).searchParams.get('state')).toBe('mine');
    const portalPage = await request(`${base}/sim/portal`);
    expect(portalPage.text).toContain('Elena Rivera');
  });

  it('instant-login redirects straight back with a session and shows the login page without one', async () => {
    const url = `${base}/oauth/instant-login?client_id=${CLIENT.clientId}&district_id=${demo().cleverDistrictId}`;
    const fresh = await request(url);
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('Instant Login');
    const browser = new Browser();
    const done = await browser.post(`${base}/oauth/authorize`, loginFormFields(fresh.text, rivera().cleverId, 'teacher'));
    const landed = new URL(done.location!);
    expect(landed.searchParams.has('state')).toBe(false);
    const again = await browser.get(url);
    expect(again.status).toBe(302);
    expect(new URL(again.location!).searchParams.has('code')).toBe(true);
  });
});

describe('Clever with openid-client (an independent relying party)', () => {
  it('completes discovery, the code flow and id_token validation', async () => {
    const config = await oidc.discovery(new URL(base), CLIENT.clientId, undefined, oidc.ClientSecretBasic(CLIENT.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state, nonce });
    const browser = new Browser();
    const page = await browser.get(url.href);
    const done = await browser.post(`${base}/oauth/authorize`, loginFormFields(page.text, rivera().cleverId, 'teacher'));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), { expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.sub).toBe(rivera().cleverId);
  });
});
