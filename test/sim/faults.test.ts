import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { basic, bearer, form, request } from './support/http.ts';
import { RosterClient } from './support/roster-client.ts';

/**
 * Every fault kind on both providers: status codes, error bodies and headers
 * look like the provider's real failures, counts and path prefixes scope them.
 */
let sims: RunningSimulators;
let v11: RosterClient;
let v12: RosterClient;

beforeAll(async () => {
  sims = await startSimulators();
  v11 = new RosterClient(sims.districts[0]!, '1.1');
  v12 = new RosterClient(sims.districts[0]!, '1.2');
  await v12.fetchToken();
});
afterAll(async () => sims.close());
beforeEach(() => sims.faults.clear());

const cleverGet = (path: string) => request(`${sims.clever.url}${path}`, { headers: bearer(sims.districts[0]!.cleverDistrictToken) });
const minor = (body: Record<string, unknown>) =>
  (body['imsx_CodeMinor'] as { imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[] }).imsx_codeMinorField[0]!.imsx_codeMinorFieldValue;

describe('Clever faults', () => {
  it('server-error: the next N responses are 500 {message}', async () => {
    sims.faults.inject('clever', 'server-error', { count: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await cleverGet('/v3.0/sections');
      expect(r.status).toBe(500);
      expect(typeof r.json<{ message: string }>().message).toBe('string');
    }
    expect((await cleverGet('/v3.0/sections')).status).toBe(200);
  });

  it('rate-limit: 429 with an empty body and X-RateLimit-Reset in retryAfterSeconds', async () => {
    sims.faults.inject('clever', 'rate-limit', { retryAfterSeconds: 42 });
    // The simulator's clock runs in real time, so the request may cross a
    // second boundary: the reset must fall within the request's own seconds.
    const before = Math.floor(sims.now().getTime() / 1000);
    const r = await cleverGet('/v3.0/sections');
    const after = Math.floor(sims.now().getTime() / 1000);
    expect(r.status).toBe(429);
    expect(r.text).toBe('');
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 42);
    expect(reset).toBeLessThanOrEqual(after + 42);
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('slow: delays the response', async () => {
    sims.faults.inject('clever', 'slow', { delayMs: 150 });
    const started = Date.now();
    expect((await cleverGet('/v3.0/schools')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('truncated-json, missing-collection-key and empty-roster rewrite a 200', async () => {
    sims.faults.inject('clever', 'truncated-json');
    const cut = await cleverGet('/v3.0/sections');
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();

    sims.faults.inject('clever', 'missing-collection-key');
    const single = await cleverGet(`/v3.0/districts/${sims.districts[0]!.cleverDistrictId}`);
    expect(single.json()).toHaveProperty('data'); // single objects are not lists: untouched, fault still pending
    const missing = await cleverGet('/v3.0/sections');
    expect(missing.json()).not.toHaveProperty('data');
    expect(missing.json()).toHaveProperty('links');

    sims.faults.inject('clever', 'empty-roster');
    const empty = await cleverGet('/v3.0/users?role=student');
    expect(empty.json<{ data: unknown[] }>().data).toEqual([]);
  });

  it('revoked-credentials: every token and the client secret fail with 401 until restored', async () => {
    sims.faults.inject('clever', 'revoked-credentials');
    expect((await cleverGet('/v3.0/sections')).status).toBe(401);
    expect((await cleverGet('/v3.0/sections')).status).toBe(401);
    const tokens = await request(`${sims.clever.url}/oauth/tokens?owner_type=district`, { headers: basic('rollcall-clever-demo', 'clever-demo-secret') });
    expect(tokens.status).toBe(401);
    sims.faults.restore('clever');
    expect((await cleverGet('/v3.0/sections')).status).toBe(200);
  });

  it('pagination-loop: the next link repeats the cursor the client sent', async () => {
    sims.faults.inject('clever', 'pagination-loop', { count: 3 });
    const first = (await cleverGet('/v3.0/users?role=student&limit=10')).json<{ links: { rel: string; uri: string }[] }>();
    const next = first.links.find((l) => l.rel === 'next')!.uri;
    const second = (await cleverGet(next)).json<{ links: { rel: string; uri: string }[] }>();
    expect(second.links.find((l) => l.rel === 'next')!.uri).toBe(next);
  });

  it('scopes a fault to a path prefix and leaves other paths alone', async () => {
    sims.faults.inject('clever', 'server-error', { pathPrefix: '/v3.0/sections' });
    expect((await cleverGet('/v3.0/schools')).status).toBe(200);
    expect((await cleverGet('/v3.0/sections')).status).toBe(500);
    expect(sims.faults.active('clever')).toEqual([]);
  });

  it('can be driven through POST /_control/faults', async () => {
    const r = await request(`${sims.clever.url}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'server-error', count: 1, pathPrefix: '/v3.0/terms' }),
    });
    expect(r.status).toBe(200);
    expect((await cleverGet('/v3.0/terms')).status).toBe(500);
    expect((await request(`${sims.clever.url}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fault":"nope"}' })).status).toBe(400);
  });
});

describe('ClassLink faults', () => {
  it('server-error and rate-limit answer with the imsx envelope (429 carries Retry-After)', async () => {
    sims.faults.inject('classlink', 'server-error');
    const err = await v11.get('/users');
    expect(err.status).toBe(500);
    expect(minor(err.json())).toBe('internal_server_error');
    sims.faults.inject('classlink', 'rate-limit', { retryAfterSeconds: 7 });
    const busy = await v12.get('/users');
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('7');
    expect(minor(busy.json())).toBe('server_busy');
  });

  it('truncated-json, missing-collection-key and empty-roster', async () => {
    sims.faults.inject('classlink', 'truncated-json');
    const cut = await v11.get('/users');
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    sims.faults.inject('classlink', 'missing-collection-key');
    const missing = await v11.get('/teachers');
    expect(missing.status).toBe(200);
    expect(missing.json()).toEqual({});
    sims.faults.inject('classlink', 'empty-roster');
    const empty = await v12.get('/classes');
    expect(empty.json()).toEqual({ classes: [] });
    expect(empty.headers.get('x-total-count')).toBe('0');
    expect(empty.headers.get('link')).toBeNull();
  });

  it('slow delays a roster response', async () => {
    sims.faults.inject('classlink', 'slow', { delayMs: 120, pathPrefix: '/roster/' });
    const started = Date.now();
    expect((await v11.get('/orgs')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('revoked-credentials: OAuth 1.0a, Bearer and the token endpoint fail until restored', async () => {
    sims.faults.inject('classlink', 'revoked-credentials');
    expect((await v11.get('/users')).status).toBe(401);
    expect(minor((await v12.get('/users')).json())).toBe('unauthorisedrequest');
    const { tokenUrl, clientId, clientSecret } = sims.districts[0]!.oneRoster.v1p2;
    const f = form({ grant_type: 'client_credentials' });
    expect((await request(tokenUrl, { method: 'POST', body: f.body, headers: { ...f.headers, ...basic(clientId, clientSecret) } })).status).toBe(401);
    sims.faults.restore('classlink');
    expect((await v11.get('/users')).status).toBe(200);
  });

  it('pagination-loop: the offset is ignored so every page is the first', async () => {
    sims.faults.inject('classlink', 'pagination-loop', { count: 2 });
    const page1 = (await v11.json<{ users: { sourcedId: string }[] }>('/students?limit=10&offset=0')).body.users;
    const page2 = await v11.get('/students?limit=10&offset=10');
    expect(page2.json<{ users: { sourcedId: string }[] }>().users).toEqual(page1);
    expect(page2.headers.get('link')).toContain('offset=20>; rel="next"');
  });
});
