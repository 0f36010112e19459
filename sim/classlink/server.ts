import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SimClock } from '../shared/clock.ts';
import { registerControlRoutes, type ControlFacade } from '../shared/control.ts';
import { installFaults, type FaultRegistry } from '../shared/faults.ts';
import { createSigningKey } from '../shared/jwt.ts';
import type { SimClient } from '../shared/types.ts';
import { sendImsx } from '../oneroster/errors.ts';
import { registerRosterServer, type RosterTenant } from '../oneroster/server.ts';
import { registerLaunchPad } from './launchpad.ts';

/**
 * The ClassLink simulator: LaunchPad (OAuth 2.0/OIDC), the nodeapi user
 * record and one Roster Server per tenant, on one origin.
 */
export interface ClassLinkSimulatorOptions {
  clock: SimClock;
  tenants: readonly RosterTenant[];
  clients: SimClient[];
  faults: FaultRegistry;
  logger: boolean;
  control: Omit<ControlFacade, 'provider' | 'logoutAll' | 'faults' | 'clock'>;
}

export interface ClassLinkSimulator {
  app: FastifyInstance;
  setBaseUrl(url: string): void;
  logoutAll(): void;
  expireRosterTokens(): void;
}

const ENVELOPE_KEYS = ['users', 'orgs', 'classes', 'courses', 'enrollments', 'academicSessions', 'demographics'];

export async function createClassLinkSimulator(opts: ClassLinkSimulatorOptions): Promise<ClassLinkSimulator> {
  let baseUrl = 'http://127.0.0.1';
  const app = Fastify({ logger: opts.logger });
  await app.register(formbody);

  installFaults(app, opts.faults, {
    serverError: (_req, reply) => sendImsx(reply, 500, 'internal_server_error', 'Internal server error'),
    rateLimited: (_req, reply, retryAfter) => {
      reply.header('Retry-After', String(retryAfter));
      return sendImsx(reply, 429, 'server_busy', 'Too many requests; retry later');
    },
    collectionKey: (body) => ENVELOPE_KEYS.find((k) => Array.isArray(body[k])),
    onEmptied: (reply) => {
      reply.header('X-Total-Count', '0');
      reply.header('X-Count', '0');
      reply.removeHeader('Link');
    },
  });

  const launchpad = registerLaunchPad(app, {
    clock: opts.clock,
    tenants: opts.tenants,
    clients: opts.clients,
    faults: opts.faults,
    signingKey: createSigningKey(),
    baseUrl: () => baseUrl,
  });
  const roster = registerRosterServer(app, { tenants: opts.tenants, clock: opts.clock, faults: opts.faults, baseUrl: () => baseUrl });
  registerControlRoutes(app, {
    ...opts.control,
    provider: 'classlink',
    faults: opts.faults,
    clock: opts.clock,
    logoutAll: () => launchpad.logoutAll(),
  });
  app.setNotFoundHandler((_req, reply) => {
    void sendImsx(reply, 404, 'unknownobject', 'not found');
  });

  return {
    app,
    setBaseUrl: (url) => {
      baseUrl = url;
    },
    logoutAll: () => launchpad.logoutAll(),
    expireRosterTokens: () => roster.expireTokens(),
  };
}
