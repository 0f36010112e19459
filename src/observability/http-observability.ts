import { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { localOrToken } from '../http/plugins/local-only.ts';
import type { Metrics } from './metrics.ts';

/**
 * One log line per request, at its end ("request completed", with the request, status and
 * time): Fastify's "incoming request" line doubled the logging, which the sign-in storm
 * profile put at 6–7 % of the web process's CPU.
 */
export class CompletedRequestLog extends LogController {
  override incomingRequest(): void {}
}

/** Requests that are not an application route (the SPA fallback, unknown API paths) share one label. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The route pattern ("/api/classes/:id"), never the raw URL with its ids, tokens or query. */
export const routeLabel = (request: FastifyRequest): string => request.routeOptions.url ?? UNMATCHED_ROUTE;

const refusalOf = (error: unknown): string => {
  if (error instanceof AppError) return error.reason ?? error.code;
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 429) return 'rate_limited';
  if (status !== undefined && status >= 400 && status < 500) return 'bad_request';
  return 'error';
};

/**
 * Request metrics, the request id echoed to the client (support can ask for
 * it; every log line of the request carries it as `reqId`), password sign-in
 * outcomes, and `GET /metrics`. Provider sign-in outcomes are recorded by their
 * route, which knows the refusal reason.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics, options: { metricsToken?: string } = {}): void {
  const errors = new WeakMap<FastifyRequest, unknown>();

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    errors.set(request, error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request);
    metrics.observeHttp({ method: request.method, route, statusCode: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    if (request.method === 'POST' && route === '/api/auth/signin') {
      metrics.recordSignIn('password', reply.statusCode === 200 ? 'success' : `refused:${refusalOf(errors.get(request))}`);
    } else if (route === '/auth/:provider/callback' && reply.statusCode >= 500) {
      const provider = (request.params as { provider?: string }).provider;
      if (provider === 'clever' || provider === 'classlink') metrics.recordSignIn(provider, 'error');
    }
    done();
  });

  // Scraped every few seconds: kept out of the info-level request log.
  // Operational detail, not for the internet: served to this machine directly, or with METRICS_TOKEN as a bearer token.
  const metricsGuard = localOrToken(options.metricsToken, 'Metrics are served only to this machine, or with the METRICS_TOKEN bearer token.');
  app.get('/metrics', { logLevel: 'warn', onRequest: metricsGuard }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
}
