import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from '../context.ts';
import { buildApp } from '../http/app.ts';
import { createLogger } from '../lib/logger.ts';
import { bootConfig, explainAndExit, fail } from './runtime.ts';

/** The compiled build (dist/) or the TypeScript sources through tsx (see bin/entry.mjs): told by this module's own file, so an operator can see which one answers. */
const RUNTIME = import.meta.url.endsWith('.js') ? 'dist' : 'source';

export interface Roles {
  readonly web: boolean;
  readonly worker: boolean;
}

/** Jobs running at SIGTERM get this long to finish before pg-boss fails them back to the queue (retried elsewhere). */
export const WORKER_GRACE_MS = 20_000;
/** Past this, a stuck shutdown exits 1 anyway (systemd TimeoutStopSec / Kubernetes grace period should be longer). */
export const SHUTDOWN_TIMEOUT_MS = 45_000;

/**
 * Starts the web server and/or the job workers. The embedded database allows
 * one process, so on PGlite both always run here.
 *
 * SIGTERM/SIGINT: stop accepting connections and fetching jobs at once, let
 * in-flight requests and the current jobs finish (up to WORKER_GRACE_MS for
 * jobs), then stop the queue and close the database, which releases the
 * embedded database's lock file, and exit 0.
 */
export async function runRoles(requested: Roles): Promise<void> {
  const config = bootConfig();
  const logger = createLogger(config.logLevel);
  const roles = config.database.kind === 'pglite' ? { web: true, worker: true } : requested;
  if (config.database.kind === 'pglite' && (!requested.web || !requested.worker)) {
    logger.info('embedded database: running web server and workers in this one process');
  }

  let ctx: AppContext | undefined;
  let app: FastifyInstance | undefined;
  let stopDemo: (() => Promise<void>) | undefined;
  let stopping = false;

  const start = async () => {
    ctx = await createContext(config, { logger });
    if (config.demo) {
      const { startDemo } = await import('../demo/demo.ts');
      stopDemo = await startDemo(ctx);
    }
    if (stopping) return;
    if (roles.worker) await ctx.queue.work(ctx.jobHandlers, logger);
    if (roles.web) {
      app = await buildApp(ctx);
      await app.listen({ host: config.host, port: config.port });
    }
  };
  const started = start();

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => {
      logger.error({ signal, timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    hardStop.unref();
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    await started.catch(() => undefined); // a signal during start-up waits for it, then unwinds what started
    try {
      // Stop accepting and stop fetching together; requests in flight may still enqueue jobs.
      const [, jobsFinished] = await Promise.all([app?.close(), ctx?.queue.stopWorkers(WORKER_GRACE_MS)]);
      if (jobsFinished === false) logger.warn({ graceMs: WORKER_GRACE_MS }, 'jobs still running after the grace period: returned to the queue for retry');
      await ctx?.close(); // the queue, then the database (and the embedded database's lock file)
      await stopDemo?.().catch(() => undefined);
      logger.info({ signal }, 'stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    await started;
  } catch (error) {
    await app?.close().catch(() => undefined);
    await ctx?.close().catch(() => undefined);
    await stopDemo?.().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      fail(`cannot listen on ${config.host}:${config.port} (${code === 'EADDRINUSE' ? 'the address is in use' : 'permission denied'}): set HOST and PORT`);
    }
    explainAndExit(error);
  }
  if (stopping) return;

  logger.info({ web: roles.web, worker: roles.worker, database: config.database.kind, runtime: RUNTIME, url: roles.web ? config.publicUrl : undefined }, 'rollcall started');
  if (roles.web) process.stdout.write(`\nRollcall is running at ${config.publicUrl}\n`);
}
