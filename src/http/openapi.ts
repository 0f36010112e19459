import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';

/**
 * The JSON API's description, served at /openapi.json.
 *
 * Handlers validate input with zod (`parse` in validate.ts): that schema is the
 * single source of truth. A route passes the same zod schemas to `apiDoc`, which
 * converts them to JSON Schema for @fastify/swagger; Fastify's own validator and
 * serializer are switched off for these documentation-only schemas so a
 * request is never checked twice, with two different error shapes.
 */
export interface ApiDoc {
  readonly summary: string;
  readonly tags: readonly [ApiTag, ...ApiTag[]];
  readonly description?: string;
  readonly body?: z.ZodType;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** Status → what it means for this route; 200 is assumed when none is given. */
  readonly responses?: Readonly<Record<number, string>>;
  /** Routes anyone may call (sign-in, password reset, invitations). */
  readonly public?: boolean;
}

export const API_TAGS = {
  session: 'Accounts, sessions and passwords',
  invitations: 'License invitations',
  licenses: 'Licenses and their members (license admins)',
  classes: 'My Classes and class pages',
  rostering: 'Add from Rostering Service: live section list and import',
  diagnosis: '"Why can\'t I see Add from Rostering Service?"',
  integrations: 'District integrations with Clever and ClassLink',
  sync: 'Roster sync runs, holds and history',
  district: 'District IT console',
  operator: 'Rollcall support staff',
  development: 'Development only: absent in production',
} as const;
export type ApiTag = keyof typeof API_TAGS;

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** A route's `schema` option: documentation only (see above). */
export function apiDoc(doc: ApiDoc): FastifySchema {
  // Every route but the public ones needs a session; say so once here rather than on each route.
  const responses: Record<number, string> = { ...(doc.responses ?? { 200: 'OK' }) };
  if (!doc.public) responses[401] ??= 'Not signed in';
  return {
    summary: doc.summary,
    tags: [...doc.tags],
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.body ? { body: jsonSchema(doc.body) } : {}),
    ...(doc.params ? { params: jsonSchema(doc.params) } : {}),
    ...(doc.query ? { querystring: jsonSchema(doc.query) } : {}),
    // A 204 has no body: `type: 'null'` makes @fastify/swagger describe it without content.
    response: Object.fromEntries(Object.entries(responses).map(([status, description]) => [status, status === '204' ? { description, type: 'null' } : { description }])),
    ...(doc.public ? { security: [] } : {}),
  } as FastifySchema;
}

/** Registers the generator; call before any route so every route is seen. */
export async function registerOpenApi(app: FastifyInstance, info: { version: string; publicUrl: string }): Promise<void> {
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rollcall API',
        version: info.version,
        description:
          'The JSON API behind the Rollcall web app. Every call is made with the session cookie that sign-in sets; ' +
          'every state-changing call also sends the CSRF token from GET /api/session in the X-CSRF-Token header. ' +
          'Errors are JSON: { "error": { "code", "message", "fields"? } }.',
      },
      servers: [{ url: info.publicUrl }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rc_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
      security: [{ session: [] }],
    },
    // Only the JSON API is described: pages, static files and the OAuth redirects are not an API.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : ({ ...schema, hide: true } as FastifySchema), url }),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
