import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';

let t: TestContext;
let app: FastifyInstance;
beforeAll(async () => {
  // Starting a Clever sign-in only builds the authorize URL: no provider needs to answer.
  t = await createTestContext({ CLEVER_AUTH_URL: 'http://127.0.0.1:9', CLEVER_API_URL: 'http://127.0.0.1:9', CLEVER_CLIENT_ID: 'storm', CLEVER_CLIENT_SECRET: 'storm-secret' });
  app = await buildApp(t.ctx);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe(`the 8:00 sign-in storm (${engine})`, () => {
  it('lets a whole school behind one NAT address start "Log in with Clever" within a minute', async () => {
    // Regression: the start route allowed 60 a minute per address, refusing most of a school at 8:00.
    const answers = await Promise.all(Array.from({ length: 250 }, () => app.inject({ method: 'GET', url: '/auth/clever/start', remoteAddress: '203.0.113.7' })));
    expect(answers.filter((a) => a.statusCode !== 302).map((a) => a.statusCode)).toEqual([]);
  });
});
