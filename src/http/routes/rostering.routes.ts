import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
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
    const result = await rostering.requestImport(requireActor(request), sections);
    return 'runId' in result ? reply.status(202).send(result) : reply.send(result);
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
