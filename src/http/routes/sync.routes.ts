import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { SyncRun } from '../../domain/rostering/sync-runs.repository.ts';
import { notFound } from '../../lib/errors.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const idParams = z.object({ id: z.uuid('Unknown id.') });
const syncBody = z.object({ kind: z.enum(['delta', 'full']).default('delta') });

export const presentRun = (r: SyncRun) => ({
  id: r.id,
  trigger: r.trigger,
  kind: (r.details.kind as string | undefined) ?? null,
  status: r.status,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  counts: r.counts,
  warnings: r.warnings.slice(0, 20),
  error: r.error,
  pendingRemovals: ((r.details.pendingRemovals as unknown[] | undefined) ?? []).length,
  pendingArchives: ((r.details.pendingArchives as unknown[] | undefined) ?? []).length,
  reasons: (r.details.reasons as string[] | undefined) ?? [],
});

/** Integration syncs on demand, their history, and decisions on held runs. */
export function syncRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { sync, integrations } = ctx.services;

  app.post('/api/integrations/:id/sync', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const { kind } = parse(syncBody, request.body ?? {});
    await sync.enqueue(requireActor(request), id, kind, kind === 'full' ? 'full' : 'sync_now');
    return reply.status(202).send({ queued: true });
  });

  app.get('/api/integrations/:id/runs', async (request) => {
    const { id } = parse(idParams, request.params);
    const integration = await integrations.get(requireActor(request), id);
    return { runs: (await ctx.store.syncRuns.listForIntegration(integration.id)).map(presentRun) };
  });

  app.get('/api/sync-runs/:id', async (request) => {
    const { id } = parse(idParams, request.params);
    const { run, pendingRemovals } = await sync.describe(requireActor(request), id);
    if (!run) throw notFound('Sync run');
    return { run: presentRun(run), pendingRemovals };
  });

  app.post('/api/sync-runs/:id/approve', async (request) => {
    const { id } = parse(idParams, request.params);
    return { result: await sync.approve(requireActor(request), id) };
  });

  app.post('/api/sync-runs/:id/reject', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    await sync.reject(requireActor(request), id);
    return reply.status(204).send();
  });
}
