import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/providers/http-client.ts';
import { createOneRosterProvider } from '../../src/providers/oneroster/oneroster-provider.ts';
import { OneRosterApi } from '../../src/providers/oneroster/oneroster-api.ts';
import { oauth1Auth } from '../../src/providers/oneroster/oneroster-auth.ts';
import { ProviderError } from '../../src/providers/roster-provider.ts';
import { drain, fakeHttp, fakeTime, json, raw, testHttp } from './support/fake-http.ts';
import { expectedSignature, parseOAuthHeader } from './support/oauth1-verify.ts';

const SERVER = 'https://Acme-TX-v2.RosterServer.test';
const SECRET = "s3cr3t/with+odd&chars'";

describe('OneRoster 1.1: OAuth 1.0a HMAC-SHA256', () => {
  it('signs exactly the query it sends, including a filter with quotes and spaces', async () => {
    const http = fakeHttp();
    const time = fakeTime();
    const client = new HttpClient('classlink', 'k', testHttp(http, time));
    const api = new OneRosterApi(client, `${SERVER}/ims/oneroster/v1p1`, oauth1Auth('consumer-key', SECRET, time.now), 100);
    http.on('GET /ims/oneroster/v1p1/users', json({ users: [] }));
    await drain(api.pages('users', ['users'], { filter: "givenName='Ann Marie' AND familyName~'O'Brien'" }));

    const [req] = http.requests;
    const sent = req!.url.href;
    // RFC 3986 on the wire: space %20 (never '+'), quote %27.
    expect(sent).toContain('filter=givenName%3D%27Ann%20Marie%27%20AND%20familyName~%27O%27Brien%27');
    expect(sent).not.toContain('+');
    const oauth = parseOAuthHeader(req!.headers['authorization']!);
    expect(oauth).toMatchObject({ oauth_consumer_key: 'consumer-key', oauth_signature_method: 'HMAC-SHA256', oauth_version: '1.0', oauth_timestamp: String(time.now() / 1000) });
    expect(oauth['oauth_token']).toBeUndefined();
    expect(oauth['oauth_signature']).toBe(expectedSignature('GET', sent, oauth, SECRET));
    // The base URL is lower-cased: a server recomputing from its own host agrees.
    expect(expectedSignature('GET', sent.replace('acme-tx-v2.rosterserver.test', 'ACME-tx-v2.rosterserver.test'), oauth, SECRET)).toBe(oauth['oauth_signature']);
  });

  it('signs an escaped path segment and uses a fresh nonce and timestamp on every retry', async () => {
    const http = fakeHttp();
    const time = fakeTime();
    const provider = createOneRosterProvider({ serverUrl: SERVER, version: '1.1', clientId: 'consumer-key', clientSecret: SECRET, http: testHttp(http, time) });
    http.on('GET /ims/oneroster/v1p1/teachers/T%20O%27Neil%2F1/classes', raw('', { status: 503, headers: { 'retry-after': '2' } }), json({ classes: [] }));
    expect(await provider.sectionsForTeacher("T O'Neil/1")).toEqual([]);
    const [a, b] = http.requests.map((r) => ({ url: r.url.href, oauth: parseOAuthHeader(r.headers['authorization']!) }));
    for (const r of [a!, b!]) expect(r.oauth['oauth_signature']).toBe(expectedSignature('GET', r.url, r.oauth, SECRET));
    expect(a!.oauth['oauth_nonce']).not.toBe(b!.oauth['oauth_nonce']);
    expect(Number(b!.oauth['oauth_timestamp'])).toBeGreaterThan(Number(a!.oauth['oauth_timestamp']));
  });
});

describe('OneRoster 1.2: OAuth 2 client credentials', () => {
  function setup() {
    const http = fakeHttp();
    const time = fakeTime();
    const provider = createOneRosterProvider({ serverUrl: `${SERVER}/`, version: '1.2', clientId: 'client id', clientSecret: 'p@ss:word', http: testHttp(http, time) });
    let issued = 0;
    http.on('POST /token', () => json({ access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 }));
    const person = json({ user: { sourcedId: 'u1', status: 'active', givenName: 'A', familyName: 'B', roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 'sch1' } }] } });
    return { http, time, provider, person };
  }

  it('requests a token with Basic auth and the roster scopes, then caches it until shortly before expiry', async () => {
    const { http, time, provider, person } = setup();
    http.on('GET /ims/oneroster/rostering/v1p2/users/u1', person);
    await provider.person('u1');
    await provider.person('u1');
    const [tokenReq] = http.requests;
    expect(tokenReq!.headers['authorization']).toBe(`Basic ${Buffer.from('client%20id:p%40ss%3Aword').toString('base64')}`);
    expect(tokenReq!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(tokenReq!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')!.split(' ')).toEqual([
      'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly',
      'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly',
    ]);
    expect(http.paths().filter((p) => p.startsWith('POST'))).toHaveLength(1);
    expect(http.requests.slice(1).map((r) => r.headers['authorization'])).toEqual(['Bearer tok-1', 'Bearer tok-1']);

    await time.sleep(3600_000 - 59_000); // inside the last minute before expiry
    await provider.person('u1');
    expect(http.requests.at(-1)!.headers['authorization']).toBe('Bearer tok-2');
  });

  it('fetches a new token once on 401, and reports auth if that is refused too', async () => {
    const { http, provider, person } = setup();
    http.on('GET /ims/oneroster/rostering/v1p2/users/u1', raw('', { status: 401 }), person);
    expect((await provider.person('u1'))?.externalId).toBe('u1');
    expect(http.paths().filter((p) => p.startsWith('POST'))).toHaveLength(2);

    http.on('GET /ims/oneroster/rostering/v1p2/users/u2', raw('', { status: 401 }));
    const err = await provider.person('u2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('auth');
    expect(http.paths().filter((p) => p.startsWith('POST'))).toHaveLength(3);
  });

  it('maps a refused client (400 invalid_client) to auth', async () => {
    const { http, provider } = setup();
    http.on('POST /token', json({ error: 'invalid_client' }, { status: 400 }));
    await expect(provider.person('u1')).rejects.toMatchObject({ kind: 'auth' });
  });
});
