import { createHash, createPublicKey, verify } from 'node:crypto';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { basic, bearer, Browser, form, getJson, loginFormFields, request } from './support/http.ts';

const CLIENT = {
  clientId: 'test-classlink-app',
  clientSecret: 'test-classlink-secret',
  redirectUris: ['http://app.test/auth/classlink/callback', 'http://app.test/second'],
};
const REDIRECT = CLIENT.redirectUris[0]!;

let sims: RunningSimulators;
let base: string;

beforeAll(async () => {
  sims = await startSimulators({ classlinkClient: CLIENT });
  base = sims.classlink.launchpadUrl;
});
afterAll(async () => sims.close());

const teacher = () => sims.districts[0]!.teachers[0]!;

function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile email', ...params });
  return `${base}/oauth2/v2/auth?${q.toString()}`;
}

async function signIn(browser: Browser, params: Record<string, string>, userId: number): Promise<URL> {
  const page = await browser.get(authorizeUrl(params));
  expect(page.status).toBe(200);
  const done = await browser.post(`${base}/oauth2/v2/auth`, loginFormFields(page.text, String(userId)));
  expect(done.status).toBe(302);
  return new URL(done.location!);
}

async function token(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const f = form(fields);
  const r = await request(`${base}/oauth2/v2/token`, { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
  return { status: r.status, body: r.json<Record<string, string>>() };
}

describe('ClassLink LaunchPad OAuth 2.0 / OIDC', () => {
  it('redirects with code, response_type and state; bad client or redirect_uri get an error page', async () => {
    const callback = await signIn(new Browser(), { state: 'st-1', nonce: 'n-1' }, teacher().classlinkUserId);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect([...callback.searchParams.keys()]).toEqual(['code', 'response_type', 'state']);
    expect(callback.searchParams.get('response_type')).toBe('code');
    expect(callback.searchParams.get('state')).toBe('st-1');
    const bad = await request(authorizeUrl({ redirect_uri: 'http://evil.test/cb' }));
    expect(bad.status).toBe(400);
    expect(bad.location).toBeNull();
    expect((await request(authorizeUrl({ client_id: 'nope' }))).status).toBe(400);
  });

  it('exchanges a code with client_secret_post or client_secret_basic, once, within 5 minutes', async () => {
    const browser = new Browser();
    const code1 = (await signIn(browser, { nonce: 'abc' }, teacher().classlinkUserId)).searchParams.get('code')!;
    const post = await token({ grant_type: 'authorization_code', code: code1, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: REDIRECT });
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ token_type: 'Bearer', response_type: 'code' });
    expect(typeof post.body['id_token']).toBe('string');
    const reused = await token({ code: code1, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // Silent second authorize from the LaunchPad session; ClassLink's samples send only code+client credentials.
    const code2 = new URL((await browser.get(authorizeUrl({}))).location!).searchParams.get('code')!;
    const viaBasic = await token({ code: code2 }, basic(CLIENT.clientId, CLIENT.clientSecret));
    expect(viaBasic.status).toBe(200);
    const wrongSecret = await token({ code: code2, client_id: CLIENT.clientId, client_secret: 'x' });
    expect(wrongSecret.status).toBe(401);
    const asJson = await request(`${base}/oauth2/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code2, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    });
    expect(asJson.status).toBe(400);

    const code3 = new URL((await browser.get(authorizeUrl({}))).location!).searchParams.get('code')!;
    sims.classlink.control.advanceClock(5 * 60_000 + 1000);
    expect((await token({ code: code3 }, basic(CLIENT.clientId, CLIENT.clientSecret))).status).toBe(400);
  });

  it('verifies PKCE (S256) when a code_challenge was sent', async () => {
    const verifier = 'x'.repeat(43) + 'verifier';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const browser = new Browser();
    const code = (await signIn(browser, { code_challenge: challenge, code_challenge_method: 'S256' }, teacher().classlinkUserId)).searchParams.get('code')!;
    const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
    expect((await token({ code }, auth)).status).toBe(400);
    const code2 = new URL((await browser.get(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }))).location!).searchParams.get('code')!;
    expect((await token({ code: code2, code_verifier: 'wrong' }, auth)).status).toBe(400);
    const code3 = new URL((await browser.get(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }))).location!).searchParams.get('code')!;
    expect((await token({ code: code3, code_verifier: verifier }, auth)).status).toBe(200);
  });

  it('signs id_tokens with a key from the discovered JWKS and carries ClassLink claims', async () => {
    const code = (await signIn(new Browser(), { nonce: 'nonce-7' }, teacher().classlinkUserId)).searchParams.get('code')!;
    const { body } = await token({ code }, basic(CLIENT.clientId, CLIENT.clientSecret));
    const discovery = (await getJson(`${base}/.well-known/openid-configuration`, {})).body;
    expect(discovery).toMatchObject({ issuer: base, token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'] });
    const jwk = (await getJson<{ keys: object[] }>(String(discovery['jwks_uri']), {})).body.keys[0]!;
    const [h, p, s] = body['id_token']!.split('.');
    expect(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk as never, format: 'jwk' }), Buffer.from(s!, 'base64url'))).toBe(true);
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: base,
      aud: CLIENT.clientId,
      sub: String(teacher().classlinkUserId),
      nonce: 'nonce-7',
      email: 'ms.rivera@maplegrove.example',
      given_name: 'Elena',
      family_name: 'Rivera',
      classLink_tenant_id: Number(sims.districts[0]!.classlinkTenantId),
      classLink_tenant_id_string: sims.districts[0]!.classlinkTenantId,
      classLink_sourcedId: teacher().oneRosterSourcedId,
      classLink_role: 'Teacher',
    });
  });

  it('returns the PascalCase /v2/my/info record', async () => {
    const student = sims.districts[0]!.students[0]!;
    const code = (await signIn(new Browser(), {}, student.classlinkUserId)).searchParams.get('code')!;
    const access = (await token({ code }, basic(CLIENT.clientId, CLIENT.clientSecret))).body['access_token']!;
    const info = (await getJson(`${base}/v2/my/info`, bearer(access))).body;
    expect(info).toMatchObject({
      UserId: student.classlinkUserId,
      TenantId: Number(sims.districts[0]!.classlinkTenantId),
      SourcedId: student.oneRosterSourcedId,
      FirstName: student.givenName,
      LastName: student.familyName,
      Role: 'Student',
      Tenant: 'Maple Grove Unified',
    });
    expect(typeof info['LoginId']).toBe('string');
    expect(typeof info['Building']).toBe('string');
    expect((await getJson(`${base}/v2/my/info`, bearer('nope'))).status).toBe(401);
  });

  it('LaunchPad launch lands on the first redirect URI with a code and no state', async () => {
    const r = await new Browser().get(`${base}/sim/launchpad?user=${teacher().classlinkUserId}&client_id=${CLIENT.clientId}`);
    expect(r.status).toBe(302);
    const url = new URL(r.location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.has('state')).toBe(false);
    expect(url.searchParams.has('code')).toBe(true);
    const byTenantSourcedId = await new Browser().get(
      `${base}/sim/launchpad?user=${sims.districts[0]!.classlinkTenantId}:${teacher().oneRosterSourcedId}&client_id=${CLIENT.clientId}`,
    );
    expect(byTenantSourcedId.status).toBe(302);
    expect((await request(`${base}/sim/launchpad`)).text).toContain('Elena Rivera');
  });

  it('works with openid-client (discovery, PKCE, id_token validation)', async () => {
    const config = await oidc.discovery(new URL(base), CLIENT.clientId, undefined, oidc.ClientSecretPost(CLIENT.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await browser.get(url.href);
    const done = await browser.post(`${base}/oauth2/v2/auth`, loginFormFields(page.text, String(teacher().classlinkUserId)));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.['classLink_sourcedId']).toBe(teacher().oneRosterSourcedId);
  });
});
