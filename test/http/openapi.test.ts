import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/http/app.ts';
import { API_TAGS, apiDoc, registerOpenApi } from '../../src/http/openapi.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { TestBrowser } from '../support/http.ts';
import { registeredRoutes } from '../suites/authz-world.ts';

/**
 * /openapi.json describes every JSON API route Fastify registered, from the
 * same zod schemas the handlers parse with, and nothing that is not the API.
 * Documenting must not change validation: a bad request still gets Rollcall's
 * own 400, with zod's per-field messages.
 */
interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: any }> };
}
interface Spec {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Fastify's `:id` is OpenAPI's `{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Each /api route of `app` that the spec leaves out, or documents without a summary or a known tag. */
function undocumented(app: FastifyInstance, spec: Spec): string[] {
  const problems: string[] = [];
  for (const { method, url } of registeredRoutes(app)) {
    if (method === 'HEAD' || !url.startsWith('/api/')) continue;
    const op = spec.paths[openApiPath(url)]?.[method.toLowerCase()];
    if (!op) problems.push(`${method} ${url}: not in /openapi.json`);
    else if (!op.summary?.trim()) problems.push(`${method} ${url}: no summary`);
    else if (!op.tags?.length || !op.tags.every((tag) => tag in API_TAGS)) problems.push(`${method} ${url}: no tag from API_TAGS`);
  }
  return problems;
}

let t: TestContext;
let app: FastifyInstance;
let spec: Spec;

beforeAll(async () => {
  t = await createTestContext();
  app = await buildApp(t.ctx);
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  spec = response.json() as Spec;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe(`the API description at /openapi.json (${engine})`, () => {
  it('is OpenAPI 3.1 for this version of Rollcall', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(spec.info.version).toBe(version);
  });

  it('documents every /api route with a summary and a tag', () => {
    const api = registeredRoutes(app).filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(40); // the route table was read, not empty
    const problems = undocumented(app, spec);
    expect(problems, `Give these routes { schema: apiDoc({ summary, tags, … }) }:\n${problems.join('\n')}`).toEqual([]);
  });

  it('describes nothing but the JSON API', () => {
    const outside = Object.keys(spec.paths).filter((path) => !path.startsWith('/api/'));
    expect(outside).toEqual([]);
    for (const path of ['/auth/{provider}/callback', '/auth/{provider}/start', '/healthz', '/readyz', '/metrics', '/openapi.json']) expect(spec.paths).not.toHaveProperty([path]);
  });

  it('documents request bodies from the handlers’ zod schemas', () => {
    const body = spec.paths['/api/rostering/import']?.post?.requestBody?.content['application/json']?.schema;
    expect(body?.required).toContain('sections');
    expect(body?.properties.sections.type).toBe('array');
    expect(body?.properties.sections.items.required).toEqual(expect.arrayContaining(['integrationId', 'externalId']));
  });

  it('marks the routes anonymous callers use as public, and the rest as needing a session', () => {
    const publicOps = [
      ['get', '/api/session'],
      ['post', '/api/auth/signin'],
      ['post', '/api/auth/signup'],
      ['post', '/api/auth/password-reset'],
      ['post', '/api/auth/password-reset/complete'],
      ['get', '/api/invitations/{token}'],
      ['post', '/api/invitations/{token}/accept'],
    ] as const;
    for (const [method, path] of publicOps) expect(spec.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([]);
    expect(spec.paths['/api/classes']?.get?.security).toBeUndefined(); // inherits the document's session requirement
  });

  it('describes statuses: 401 on every route that needs a session, and no body on a 204', () => {
    const responses = (path: string, method: string) => (spec.paths[path] as Record<string, { responses: Record<string, { content?: unknown }> }>)[method]!.responses;
    expect(Object.keys(responses('/api/classes', 'get'))).toEqual(expect.arrayContaining(['200', '401']));
    const removed = responses('/api/classes/{id}', 'delete');
    expect(removed['204']).toBeDefined();
    expect(removed['204']!.content).toBeUndefined();
  });

  it('leaves validation to the handlers: a request breaking a documented schema gets Rollcall’s 400', async () => {
    const browser = new TestBrowser(app);
    const badBody = await browser.post('/api/rostering/import', { sections: [{ integrationId: 'not-a-uuid' }] });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.code).toBe('validation_failed');
    // zod's own per-field messages: Fastify's validator (had it run) answers with none.
    expect(badBody.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'sections.0.integrationId', message: 'Unknown integration.' },
        expect.objectContaining({ field: 'sections.0.externalId' }),
      ]),
    );

    const badParams = await browser.get('/api/classes/not-a-uuid');
    expect(badParams.status).toBe(400);
    expect(badParams.body.error).toMatchObject({ code: 'validation_failed', message: 'Unknown class.', fields: [{ field: 'id', message: 'Unknown class.' }] });
  });

  it('a route without apiDoc fails the check', async () => {
    // The check above is only as good as its failure: a throw-away app with one forgotten route.
    const scratch = Fastify();
    await registerOpenApi(scratch, { version: '0.0.0', publicUrl: 'http://scratch.test' });
    scratch.get('/api/documented/:id', { schema: apiDoc({ summary: 'Documented', tags: ['classes'], params: z.object({ id: z.uuid() }) }) }, async () => ({}));
    scratch.post('/api/forgotten', async () => ({}));
    scratch.get('/healthz', async () => ({ ok: true }));
    await scratch.ready();
    const scratchSpec = (await scratch.inject({ method: 'GET', url: '/openapi.json' })).json() as Spec;
    expect(undocumented(scratch, scratchSpec)).toEqual(['POST /api/forgotten: no summary']);
    await scratch.close();
  });
});
