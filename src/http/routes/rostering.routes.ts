import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { apiDoc } from '../openapi.ts';
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

  app.get('/api/rostering/sections', { schema: apiDoc({ summary: 'Every section the rostering service says you teach, asked live, with where each stands in Rollcall', tags: ['rostering'], responses: { 200: 'OK', 403: 'Add from Rostering Service is not available to you (the message says why)', 502: 'The rostering service did not answer: retry' } }) }, async (request) => {
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

  app.post('/api/rostering/import', { schema: apiDoc({ summary: 'Import the checked sections with their students (one class per section, ever)', tags: ['rostering'], body: importBody, description: 'A few sections are imported in the request (200). More become a background job (202 with runId): poll GET /api/rostering/imports/{runId}.', responses: { 200: 'Imported', 202: 'Continuing in the background', 403: 'A section you do not teach, or no access; nothing changed', 502: 'The rostering service did not answer; nothing changed' } }) }, async (request, reply) => {
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

  app.get('/api/rostering/imports/:runId', { schema: apiDoc({ summary: 'Progress of a background import you started', tags: ['rostering'], params: runParams, responses: { 200: 'OK', 404: 'No such import of yours' } }) }, async (request) => {
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
