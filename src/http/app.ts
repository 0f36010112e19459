import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { AppContext } from '../context.ts';
import { projectRoot } from '../lib/project-root.ts';
import { registerGracefulClose } from '../observability/graceful-close.ts';
import { CompletedRequestLog, registerObservability } from '../observability/http-observability.ts';
import { frameworkErrorHandler, registerErrorHandler } from './plugins/errors.ts';
import { registerSession } from './plugins/session.ts';
import { registerOpenApi } from './openapi.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { classRoutes } from './routes/classes.routes.ts';
import { devMailRoutes } from './routes/dev-mail.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { invitationRoutes } from './routes/invitations.routes.ts';
import { licenseRoutes } from './routes/licenses.routes.ts';
import { operatorRoutes } from './routes/operator.routes.ts';
import { providerAuthRoutes } from './routes/provider-auth.routes.ts';
import { integrationRoutes } from './routes/integrations.routes.ts';
import { rosteringRoutes } from './routes/rostering.routes.ts';
import { diagnosticsRoutes } from './routes/diagnostics.routes.ts';
import { adminConsoleRoutes } from './routes/admin-console.routes.ts';
import { syncRoutes } from './routes/sync.routes.ts';

const root = projectRoot();
const webDist = join(root, 'web', 'dist') + '/';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    logController: new CompletedRequestLog(),
    bodyLimit: 256 * 1024,
    frameworkErrors: frameworkErrorHandler,
    // A hop count, never `true`: trusting every X-Forwarded-For entry lets a client choose the address rate limits key on.
    trustProxy: ctx.config.trustProxyHops > 0 ? (_address: string, hop: number) => hop < ctx.config.trustProxyHops : false,
  });

  // Security headers from helmet, its middleware built once: @fastify/helmet builds a new one (and parses the
  // CSP again) for every request, about 3 % of a sign-in's server CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: ctx.config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: ctx.config.secureCookies,
    // Same rule as CSP frame-ancestors 'none', for browsers that only read the older header.
    xFrameOptions: { action: 'deny' },
  });
  // helmet reports a header it could not build through next(err); pass it on rather than answer without it.
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(cookie, { secret: ctx.cookieKey.toString('base64') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'rc_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.config.secureCookies },
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
  });
  await app.register(rateLimit, { global: false });
  registerObservability(app, ctx.metrics, { metricsToken: ctx.config.metricsToken });
  registerGracefulClose(app);
  registerErrorHandler(app);
  registerSession(app, ctx.services.sessions);
  await registerOpenApi(app, { version, publicUrl: ctx.config.publicUrl });

  // API answers carry personal data: never kept by browsers or shared caches.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  // Every state-changing request carries the CSRF token (double-submit with a signed secret cookie).
  app.addHook('onRequest', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });

  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  invitationRoutes(app, ctx);
  licenseRoutes(app, ctx);
  operatorRoutes(app, ctx);
  classRoutes(app, ctx);
  providerAuthRoutes(app, ctx);
  integrationRoutes(app, ctx);
  rosteringRoutes(app, ctx);
  diagnosticsRoutes(app, ctx);
  adminConsoleRoutes(app, ctx);
  syncRoutes(app, ctx);
  devMailRoutes(app, ctx);

  const hasWeb = existsSync(`${webDist}index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (request.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/auth/')) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'No such endpoint.', fields: [] } });
    }
    if (!hasWeb) return reply.type('text/plain').status(503).send('The web UI is not built yet: run `npm run build`.');
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
