import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from '../context.ts';
import { buildApp } from '../http/app.ts';
import { createLogger } from '../lib/logger.ts';
import { bootConfig, explainAndExit } from './runtime.ts';

export interface Roles {
  readonly web: boolean;
  readonly worker: boolean;
}

/**
 * Starts the web server and/or the job workers. The embedded database allows
 * one process, so on PGlite both always run here.
 */
export async function runRoles(requested: Roles): Promise<void> {
  const config = bootConfig();
  const logger = createLogger(config.logLevel);
  const roles = config.database.kind === 'pglite' ? { web: true, worker: true } : requested;
  if (config.database.kind === 'pglite' && (!requested.web || !requested.worker)) {
    logger.info('embedded database: running web server and workers in this one process');
  }

  let ctx: AppContext;
  let app: FastifyInstance | undefined;
  let stopDemo: (() => Promise<void>) | undefined;
  try {
    ctx = await createContext(config, { logger });
    if (config.demo) {
      const { startDemo } = await import('../demo/demo.ts');
      stopDemo = await startDemo(ctx);
    }
    if (roles.worker) await ctx.queue.work(ctx.jobHandlers, logger);
    if (roles.web) {
      app = await buildApp(ctx);
      await app.listen({ host: config.host, port: config.port });
    }
  } catch (error) {
    explainAndExit(error);
  }

  logger.info({ web: roles.web, worker: roles.worker, database: config.database.kind, url: roles.web ? config.publicUrl : undefined }, 'rollcall started');
  if (roles.web) process.stdout.write(`\nRollcall is running at ${config.publicUrl}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    // Stop accepting, let in-flight requests and the current job finish, then release the database.
    await app?.close().catch(() => undefined);
    await ctx.close();
    await stopDemo?.().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
