import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SimDistrict } from '../generator/district.ts';
import type { SimClock } from '../shared/clock.ts';
import { registerControlRoutes, type ControlFacade } from '../shared/control.ts';
import { installFaults, type FaultRegistry } from '../shared/faults.ts';
import { parseBearer, requestPath } from '../shared/http.ts';
import { createSigningKey } from '../shared/jwt.ts';
import { hexDigest } from '../shared/hash.ts';
import type { SimClient } from '../shared/types.ts';
import { sendError } from './api-support.ts';
import type { CleverContext } from './context.ts';
import { registerDataApi } from './data-api.ts';
import { CleverEventStore, registerEventRoutes } from './events.ts';
import { CleverIds } from './ids.ts';
import { registerOAuth } from './oauth.ts';
import { registerOidc } from './oidc.ts';
import { RateLimiter, setRateHeaders } from './rate-limit.ts';
import { CleverSerializer } from './serialize.ts';

/**
 * The Clever simulator: one Fastify server answering for both clever.com
 * (OAuth, OIDC) and api.clever.com (Data API v3.0, Events, /userinfo), with
 * Clever's paths.
 */
export interface CleverSimulatorOptions {
  clock: SimClock;
  districts: readonly SimDistrict[];
  clients: SimClient[];
  faults: FaultRegistry;
  rateLimitPerMinute: number;
  oidc: boolean;
  logger: boolean;
  control: Omit<ControlFacade, 'provider' | 'logoutAll' | 'faults' | 'clock'>;
}

export interface CleverSimulator {
  app: FastifyInstance;
  ctx: CleverContext;
}

function isApiPath(path: string): boolean {
  return path.startsWith('/v3.0/') || path === '/v3.0' || path === '/userinfo';
}

export async function createCleverSimulator(opts: CleverSimulatorOptions): Promise<CleverSimulator> {
  const ids = new CleverIds(opts.districts);
  const ctxRef: { baseUrl: string } = { baseUrl: 'http://127.0.0.1' };
  const serializer = new CleverSerializer(ids, () => ctxRef.baseUrl);
  const ctx: CleverContext = {
    clock: opts.clock,
    districts: opts.districts,
    clients: opts.clients,
    ids,
    serializer,
    events: new CleverEventStore(ids, serializer, opts.clock),
    faults: opts.faults,
    rateLimiter: new RateLimiter(opts.clock, opts.rateLimitPerMinute),
    signingKey: createSigningKey(),
    oidcEnabled: opts.oidc,
    get baseUrl() {
      return ctxRef.baseUrl;
    },
    set baseUrl(url: string) {
      ctxRef.baseUrl = url;
    },
    codes: new Map(),
    userTokens: new Map(),
    districtTokens: new Map(
      opts.districts.map((d) => [hexDigest(40, d.config.seed, d.ordinal, 0xc1e7), d] as const),
    ),
    sessions: new Map(),
  };

  const app = Fastify({ logger: opts.logger });
  await app.register(formbody);

  installFaults(app, opts.faults, {
    serverError: (_req, reply) => sendError(reply, 500, 'Internal Error'),
    rateLimited: (req, reply, retryAfter) => {
      const token = parseBearer(req.headers.authorization) ?? 'anonymous';
      const state = ctx.rateLimiter.hit(token);
      setRateHeaders(reply, { ...state, remaining: 0, resetSeconds: Math.floor(ctx.clock.nowMs() / 1000) + retryAfter });
      return reply.code(429).send();
    },
    collectionKey: (body) => (Array.isArray(body['data']) && Array.isArray(body['links']) ? 'data' : undefined),
  });

  // Clever's documented limit: per bearer token, fixed one-minute window, headers on every response.
  app.addHook('onRequest', async (req, reply) => {
    if (reply.sent || !isApiPath(requestPath(req))) return;
    const token = parseBearer(req.headers.authorization);
    if (token === null) return;
    const state = ctx.rateLimiter.hit(token);
    setRateHeaders(reply, state);
    if (state.limited) return reply.code(429).send();
  });

  registerOAuth(app, ctx);
  registerOidc(app, ctx);
  registerDataApi(app, ctx);
  registerEventRoutes(app, ctx);
  registerControlRoutes(app, {
    ...opts.control,
    provider: 'clever',
    faults: opts.faults,
    clock: opts.clock,
    logoutAll: () => ctx.sessions.clear(),
  });

  // Unknown paths get HTML, as Clever documents ("HTML responses mean … a non-existent path").
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).type('text/html; charset=utf-8').send('<html><body><h1>404 Not Found</h1></body></html>');
  });

  return { app, ctx };
}
