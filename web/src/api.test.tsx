// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { api, ApiError, NETWORK_MESSAGE, setCsrfToken, toApiError } from './api.ts';
import { json, mockFetch } from './test-utils.tsx';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string>)[name];
}

describe('api client', () => {
  it('takes the CSRF token from the session and sends it on every unsafe request', async () => {
    const calls = mockFetch(
      json(200, { user: null, csrfToken: 'tok-1' }),
      json(200, { user: { id: 'u1' } }),
      json(204, null),
      json(200, { licenses: [] }),
    );
    await api.session();
    await api.signIn({ email: 'a@x.org', password: 'pw' });
    await api.removeMember('lic 1', 'm/2');
    await api.licenses();

    expect(calls.map((c) => [c.init.method, c.url])).toEqual([
      ['GET', '/api/session'],
      ['POST', '/api/auth/signin'],
      ['DELETE', '/api/licenses/lic%201/members/m%2F2'],
      ['GET', '/api/licenses'],
    ]);
    expect(calls.every((c) => c.init.credentials === 'same-origin')).toBe(true);
    expect(header(calls[0]!.init, 'x-csrf-token')).toBeUndefined();
    expect(header(calls[1]!.init, 'x-csrf-token')).toBe('tok-1');
    expect(header(calls[1]!.init, 'content-type')).toBe('application/json');
    expect(calls[1]!.init.body).toBe('{"email":"a@x.org","password":"pw"}');
    expect(header(calls[2]!.init, 'x-csrf-token')).toBe('tok-1');
    expect(header(calls[3]!.init, 'x-csrf-token')).toBeUndefined();
  });

  it('sends bodiless POSTs without a JSON content type (Fastify rejects an empty JSON body)', async () => {
    setCsrfToken('tok-2');
    const calls = mockFetch(json(204, null));
    await expect(api.signOut()).resolves.toBeUndefined();
    expect(calls[0]!.init.body).toBeUndefined();
    expect(header(calls[0]!.init, 'content-type')).toBeUndefined();
    expect(header(calls[0]!.init, 'x-csrf-token')).toBe('tok-2');
  });

  it('maps the error body to ApiError with its field messages', async () => {
    mockFetch(
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'Check the highlighted fields.',
          fields: [{ field: 'emails', message: 'bob@x is not an email address.' }, { nonsense: 1 }],
        },
      }),
    );
    const err = await api.addMembers('l1', 'bob@x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([400, 'validation_failed', 'Check the highlighted fields.']);
    expect(e.fields).toEqual([{ field: 'emails', message: 'bob@x is not an email address.' }]);
    expect(e.fieldMessage('emails')).toBe('bob@x is not an email address.');
    expect(e.fieldMessage('name')).toBeUndefined();
  });

  it('copes with other error shapes and with no server at all', async () => {
    expect(toApiError(429, { statusCode: 429, error: 'Too Many Requests', message: 'Slow down.' }).message).toBe('Slow down.');
    expect(toApiError(429, undefined).message).toMatch(/Too many attempts/);
    expect(toApiError(502, '<html>').message).toMatch(/Something went wrong on our side \(502\)/);
    expect(toApiError(500, { message: 'stack trace here' }).message).not.toContain('stack trace');

    mockFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(api.classes()).rejects.toMatchObject({ status: 502, code: 'http_502' });

    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(api.classes()).rejects.toMatchObject({ status: 0, code: 'network', message: NETWORK_MESSAGE });
  });
});
