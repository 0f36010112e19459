import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { SyncRun } from '../../domain/rostering/sync-runs.repository.ts';
import { notFound } from '../../lib/errors.ts';
import { apiDoc } from '../openapi.ts';
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

  app.post('/api/integrations/:id/sync', { schema: apiDoc({ summary: 'Queue a sync of this integration now: delta (changes since the last one, the default) or full', tags: ['sync', 'integrations'], params: idParams, body: syncBody, description: 'The body may be omitted. One sync per integration runs at a time and one more can wait; follow it with GET /api/integrations/{id}/runs.', responses: { 202: 'Queued', 400: 'Unknown kind', 404: 'No such integration, or not one you administer', 409: 'The integration is disabled' } }) }, async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const { kind } = parse(syncBody, request.body ?? {});
    await sync.enqueue(requireActor(request), id, kind, kind === 'full' ? 'full' : 'sync_now');
    return reply.status(202).send({ queued: true });
  });

  app.get('/api/integrations/:id/runs', { schema: apiDoc({ summary: 'Sync history of an integration, newest first', tags: ['sync'], params: idParams, responses: { 200: 'OK', 404: 'No such integration, or not one you administer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const integration = await integrations.get(requireActor(request), id);
    return { runs: (await ctx.store.syncRuns.listForIntegration(integration.id)).map(presentRun) };
  });

  app.get('/api/sync-runs/:id', { schema: apiDoc({ summary: 'One sync run, with the student removals a held run is waiting to apply', tags: ['sync'], params: idParams, responses: { 200: 'OK', 404: 'No such run, or not one you administer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const { run, pendingRemovals } = await sync.describe(requireActor(request), id);
    if (!run) throw notFound('Sync run');
    return { run: presentRun(run), pendingRemovals };
  });

  app.post('/api/sync-runs/:id/approve', { schema: apiDoc({ summary: 'Approve a held sync: apply the removals and archives it held back', tags: ['sync'], params: idParams, responses: { 200: 'How many were removed and archived', 404: 'No such run, or not one you administer', 409: 'The run is not waiting for a decision' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    return { result: await sync.approve(requireActor(request), id) };
  });

  app.post('/api/sync-runs/:id/reject', { schema: apiDoc({ summary: 'Reject a held sync: nothing it held back is applied', tags: ['sync'], params: idParams, responses: { 204: 'Rejected', 404: 'No such run, or not one you administer', 409: 'The run is not waiting for a decision' } }) }, async (request, reply) => {
    const { id } = parse(idParams, request.params);
    await sync.reject(requireActor(request), id);
    return reply.status(204).send();
  });
}
