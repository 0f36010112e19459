import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { withTimeout } from '../../lib/concurrency.ts';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process is alive (no dependency checked, so a database
 * outage does not get every web process restarted). `/readyz`: the database
 * and the job queue answer, within 2 s each; a load balancer sends traffic
 * only to ready processes. Both stay out of the info-level request log.
 */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ ok: true }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const check = async (what: string, probe: () => Promise<unknown>): Promise<string | null> => {
      try {
        await withTimeout(probe(), CHECK_TIMEOUT_MS, () => new Error('timeout'));
        return null;
      } catch {
        return `${what} unreachable`;
      }
    };
    const [database, queue] = await Promise.all([
      check('database', () => ctx.database.ping()),
      // pg-boss has its own connections on PostgreSQL: ask through them, and check its schema is installed.
      check('queue', async () => {
        if ((await ctx.queue.boss.schemaVersion()) === null) throw new Error('not installed');
      }),
    ]);
    const problems = [database, queue].filter((p): p is string => p !== null);
    if (problems.length > 0) return reply.status(503).send({ ok: false, database: database === null, queue: queue === null, error: problems.join(', ') });
    return { ok: true, database: true, queue: true };
  });
}
