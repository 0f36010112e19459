import { describe, expect, it } from 'vitest';
import { HttpClient, parseRateLimitReset, parseRetryAfter, type RequestInfo } from '../../src/providers/http-client.ts';
import { TokenBucket } from '../../src/providers/rate-limiter.ts';
import { ProviderError } from '../../src/providers/roster-provider.ts';
import { fakeHttp, fakeTime, json, raw, testHttp } from './support/fake-http.ts';

const URL_ = 'https://api.example.test/v3.0/users?limit=10&secret_param=SHOULD-NOT-LEAK';
const bearer = () => ({ authorization: 'Bearer SECRET-TOKEN' });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected a ProviderError');
}

function setup(extra: Record<string, unknown> = {}) {
  const http = fakeHttp();
  const time = fakeTime();
  const seen: RequestInfo[] = [];
  const client = new HttpClient('clever', `token-${Math.random()}`, testHttp(http, time, { onRequest: (i: RequestInfo) => seen.push(i), ...extra }));
  return { http, time, client, seen };
}

describe('HttpClient', () => {
  it('returns parsed JSON and reports each request to onRequest without the query', async () => {
    const { http, client, seen } = setup();
    http.on('GET /v3.0/users', json({ data: [] }));
    const res = await client.request({ url: URL_, headers: bearer });
    expect(res.body).toEqual({ data: [] });
    expect(seen).toEqual([{ provider: 'clever', path: '/v3.0/users', status: 200, ms: 0 }]);
    expect(http.requests[0]!.headers['authorization']).toBe('Bearer SECRET-TOKEN');
  });

  it('retries 500/502/503/504 with exponential backoff and full jitter', async () => {
    const { http, time, client } = setup();
    http.on('GET /v3.0/users', raw('', { status: 503 }), raw('', { status: 502 }), raw('', { status: 504 }), json({ ok: true }));
    await client.request({ url: URL_, headers: bearer });
    // random() = 0.5 of min(20 s, 500 ms * 2^(n-1))
    expect(time.sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up after maxAttempts as unavailable, naming path and status but no secrets', async () => {
    const { http, time, client } = setup({ maxAttempts: 3 });
    http.on('GET /v3.0/users', raw('{"message":"boom"}', { status: 500 }));
    const err = await failure(client.request({ url: URL_, headers: bearer }));
    expect(err.kind).toBe('unavailable');
    expect(err.details.status).toBe(500);
    expect(err.message).toContain('/v3.0/users');
    expect(err.message).toContain('500');
    expect(err.message).not.toMatch(/SECRET|SHOULD-NOT-LEAK|boom/);
    expect(http.requests).toHaveLength(3);
    expect(time.sleeps).toHaveLength(2);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { http, time, client } = setup();
    // The date is absolute: after the first 7 s wait, 12 s remain.
    const inTwelve = new Date(time.now() + 19_000).toUTCString();
    http.on('GET /v3.0/users', raw('', { status: 429, headers: { 'retry-after': '7' } }), raw('', { status: 503, headers: { 'retry-after': inTwelve } }), json({}));
    await client.request({ url: URL_, headers: bearer });
    expect(time.sleeps).toEqual([7000, 12_000]);
  });

  it("honours Clever's X-RateLimit-Reset (Unix seconds) on 429", async () => {
    const { http, time, client } = setup();
    const reset = Math.floor(time.now() / 1000) + 42;
    http.on('GET /v3.0/users', raw('', { status: 429, headers: { 'x-ratelimit-reset': String(reset) } }), json({}));
    await client.request({ url: URL_, headers: bearer });
    expect(time.sleeps).toEqual([42_000]);
  });

  it('maps a 429 that persists to rate_limited with retryAfterMs', async () => {
    const { http, client } = setup();
    http.on('GET /v3.0/users', raw('', { status: 429, headers: { 'retry-after': '3' } }));
    const err = await failure(client.request({ url: URL_, headers: bearer }));
    expect(err.kind).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBe(3000);
    expect(http.requests).toHaveLength(4);
  });

  it('fails fast when the server asks for a longer wait than maxRetryAfterMs', async () => {
    const { http, time, client } = setup();
    http.on('GET /v3.0/users', raw('', { status: 429, headers: { 'retry-after': '3600' } }));
    const err = await failure(client.request({ url: URL_, headers: bearer }));
    expect(err.kind).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBe(3_600_000);
    expect(time.sleeps).toEqual([]);
    expect(http.requests).toHaveLength(1);
  });

  it.each([
    [401, '{"message":"Unauthorized"}', 'auth'],
    [403, '{"message":"Resource not in token\'s scopes"}', 'not_permitted'],
    [403, '{"imsx_codeMajor":"failure"}', 'auth'],
    [404, '{"message":"Resource not found"}', 'not_found'],
    [400, '{"message":"invalid filter"}', 'bad_data'],
    [413, '{"message":"limit too large"}', 'bad_data'],
    [501, '{"message":"unsupported"}', 'bad_data'],
  ])('does not retry HTTP %i and maps it to a kind', async (status, body, kind) => {
    const { http, time, client } = setup();
    http.on('GET /v3.0/users', raw(body, { status }));
    const err = await failure(client.request({ url: URL_, headers: bearer }));
    expect(err.kind).toBe(kind);
    expect(err.details.status).toBe(status);
    expect(err.details.provider).toBe('clever');
    expect(http.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('maps truncated JSON and HTML bodies to bad_data without retrying', async () => {
    const { http, client } = setup();
    http.on('GET /v3.0/users', raw('{"data":[{"data":{"id":"1"'), raw('<html>login</html>'));
    expect((await failure(client.request({ url: URL_, headers: bearer }))).kind).toBe('bad_data');
    expect((await failure(client.request({ url: URL_, headers: bearer }))).kind).toBe('bad_data');
    expect(http.requests).toHaveLength(2);
  });

  it('retries network errors and timeouts, then reports unavailable', async () => {
    const { http, client, seen } = setup({ timeoutMs: 5, maxAttempts: 2 });
    http.on('GET /v3.0/users', () => Promise.reject(new TypeError('fetch failed')));
    expect((await failure(client.request({ url: URL_, headers: bearer }))).message).toContain('network error after 2 attempts');
    const timing = new HttpClient('clever', 'slow-token', {
      fetch: ((_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch,
      timeoutMs: 5,
      maxAttempts: 2,
      sleep: async () => undefined,
      requestsPerMinute: null,
    });
    const err = await failure(timing.request({ url: 'https://api.example.test/v3.0/slow', headers: bearer }));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toContain('timed out after 5 ms');
    expect(seen.every((s) => s.status === 0)).toBe(true);
  });

  it('asks for fresh headers on every attempt and renews a refused credential once', async () => {
    const { http, client } = setup();
    let n = 0;
    let renewals = 0;
    http.on('GET /v3.0/users', raw('', { status: 503 }), raw('', { status: 401 }), raw('', { status: 401 }));
    const err = await failure(
      client.request({
        url: URL_,
        headers: () => ({ authorization: `Bearer t${++n}` }),
        onUnauthorized: async () => {
          renewals += 1;
          return true;
        },
      }),
    );
    expect(err.kind).toBe('auth');
    expect(renewals).toBe(1);
    expect(http.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
  });

  it('treats any 4xx from a token endpoint as refused credentials', async () => {
    const { http, client } = setup();
    http.on('POST /token', json({ error: 'invalid_client' }, { status: 400 }));
    const err = await failure(client.request({ method: 'POST', url: 'https://api.example.test/token', headers: () => ({}), body: 'x', credentialExchange: true }));
    expect(err.kind).toBe('auth');
  });

  it('paces requests per credential and pauses when the window is spent', async () => {
    const http = fakeHttp();
    const time = fakeTime();
    const client = new HttpClient('clever', `paced-${Math.random()}`, { ...testHttp(http, time), requestsPerMinute: 60 });
    const reset = Math.floor(time.now() / 1000) + 30;
    http.on('GET /v3.0/users', json({}), json({}, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }), json({}));
    await client.request({ url: URL_, headers: bearer });
    await client.request({ url: URL_, headers: bearer });
    expect(time.sleeps).toEqual([]);
    await client.request({ url: URL_, headers: bearer });
    expect(time.sleeps).toEqual([30_000]);
  });
});

describe('TokenBucket', () => {
  it('never lets a 60-second window exceed the limit', () => {
    const bucket = new TokenBucket(60);
    let t = 0;
    const sent: number[] = [];
    while (t < 180_000) {
      const wait = bucket.tryTake(t);
      if (wait === 0) sent.push(t);
      else t += wait;
    }
    for (const start of sent) expect(sent.filter((s) => s >= start && s < start + 60_000).length).toBeLessThanOrEqual(60);
    expect(sent.length).toBeGreaterThan(150);
  });
});

describe('wait parsing', () => {
  it('reads Retry-After and X-RateLimit-Reset', () => {
    const now = Date.parse('2025-01-15T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRateLimitReset(String(now / 1000 + 5), now)).toBe(5000);
    expect(parseRateLimitReset(null, now)).toBeUndefined();
  });
});
