import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.database.ping();
      return { ok: true };
    } catch {
      return reply.status(503).send({ ok: false, error: 'database unreachable' });
    }
  });
}
