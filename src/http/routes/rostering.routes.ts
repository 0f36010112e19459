import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const importBody = z.object({
  sections: z
    .array(z.object({ integrationId: z.uuid('Unknown integration.'), externalId: z.string().min(1).max(300) }))
    .max(100, 'Import at most 100 classes at once.'),
});
const runParams = z.object({ runId: z.uuid('Unknown import.') });

/** "Add from Rostering Service": the live section list, the import, and a big import's progress. */
export function rosteringRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { rostering } = ctx.services;

  app.get('/api/rostering/sections', async (request) => {
    const { license, providers, rows } = await rostering.listSections(requireActor(request));
    return {
      provider: providers.length === 1 ? providers[0] : null,
      seats: { licenseName: license.name, seats: license.seats, used: license.seatsUsed },
      sections: rows.map((r) => ({
        integrationId: r.integrationId,
        provider: r.provider,
        externalId: r.section.externalId,
        name: r.section.name,
        courseName: r.section.courseName,
        subject: r.section.subject,
        period: r.section.period,
        term: r.section.term ? { name: r.section.term.name, startDate: r.section.term.startDate, endDate: r.section.term.endDate } : null,
        school: r.schoolName,
        coTeachers: r.coTeachers,
        studentCount: r.studentCount,
        state: r.state,
        classId: r.classId,
      })),
    };
  });

  app.post('/api/rostering/import', async (request, reply) => {
    const { sections } = parse(importBody, request.body);
    const started = performance.now();
    const result = await rostering.requestImport(requireActor(request), sections).catch((error: unknown) => {
      // A provider failure is a failed run; a refusal (tampered ids, no access) is not a run at all.
      if (error instanceof AppError && error.code === 'provider_unavailable') {
        ctx.metrics.recordSyncRun({ trigger: 'import', outcome: 'failed', seconds: (performance.now() - started) / 1000, rows: 0 });
      }
      throw error;
    });
    if ('runId' in result) return reply.status(202).send(result); // the job reports its own run when it ends
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.recordSyncRun({ trigger: 'import', outcome: 'succeeded', seconds, rows: result.imported.reduce((n, c) => n + c.students, 0) });
    return reply.send(result);
  });

  app.get('/api/rostering/imports/:runId', async (request) => {
    const { runId } = parse(runParams, request.params);
    const actor = requireActor(request);
    const run = await ctx.store.syncRuns.findById(runId);
    if (!run || run.trigger !== 'import' || run.requestedBy !== actor.user.id) throw notFound('Import');
    return {
      status: run.status,
      done: run.progressDone,
      total: run.progressTotal,
      imported: (run.details.imported as unknown[]) ?? [],
      error: run.error,
    };
  });
}
