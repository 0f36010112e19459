import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { ClassSummary } from '../../domain/classes/classes.types.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const idParams = z.object({ id: z.uuid('Unknown class.') });
const createBody = z.object({ name: z.string().max(1000) });

const providerLabel = (p: string) => (p === 'clever' ? 'Clever' : p === 'classlink' ? 'ClassLink' : null);

export const presentClass = (c: ClassSummary) => ({
  id: c.id,
  name: c.name,
  source: c.source,
  studentCount: c.studentCount,
  teachers: c.teachers.map((t) => t.name),
  term: c.term,
  period: c.period,
  subject: c.subject,
  lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null,
});

/** My Classes, a class's page, Create a class, Sync now and Remove from Rollcall. */
export function classRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { classes, rostering } = ctx.services;

  app.get('/api/classes', { schema: apiDoc({ summary: 'My Classes, and whether Add from Rostering Service is available (read fresh)', tags: ['classes'] }) }, async (request) => {
    const actor = requireActor(request);
    const [mine, access] = await Promise.all([classes.listMine(actor), rostering.access(actor)]);
    return { classes: mine.map(presentClass), rostering: { available: access.accesses.length > 0, reason: access.reason } };
  });

  app.post('/api/classes', { schema: apiDoc({ summary: 'Create a class (manual; never touched by rostering)', tags: ['classes'], body: createBody, responses: { 201: 'Created', 400: 'No usable name' } }) }, async (request, reply) => {
    const { name } = parse(createBody, request.body);
    const created = await classes.createManual(requireActor(request), name);
    return reply.status(201).send({ class: presentClass(created) });
  });

  app.get('/api/classes/:id', { schema: apiDoc({ summary: 'A class page: roster, where it comes from, last sync, roster history', tags: ['classes'], params: idParams, responses: { 200: 'OK', 404: 'No such class, or not yours' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const d = await classes.details(requireActor(request), id);
    const k = d.klass;
    return {
      class: {
        id: k.id,
        name: k.name,
        source: k.source,
        archived: k.archivedAt !== null,
        archivedReason: k.archivedReason,
        section: d.integration
          ? { provider: d.integration.provider, externalId: k.externalId, name: k.name, term: k.term, school: k.schoolName, courseName: k.courseName, period: k.period }
          : null,
        lastSyncedAt: k.lastSyncedAt?.toISOString() ?? null,
      },
      teachers: d.teachers,
      students: d.students.map((s) => ({ id: s.id, name: s.name, grade: s.grade, signIn: s.providers.map(providerLabel).find(Boolean) ?? null })),
      history: d.history.map((h) => ({ at: h.at.toISOString(), studentName: h.student_name, change: h.change, trigger: h.trigger ?? 'manual', reason: h.reason })),
      abilities: d.abilities,
    };
  });

  app.post('/api/classes/:id/sync', { schema: apiDoc({ summary: 'Sync now: re-fetch this section and apply joins and (soft) departures', tags: ['classes', 'sync'], params: idParams, responses: { 200: 'The run', 404: 'No such class, or not yours', 502: 'The rostering service did not answer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    return { run: await classes.syncNow(requireActor(request), id) };
  });

  app.delete('/api/classes/:id', { schema: apiDoc({ summary: 'Remove from Rollcall: archive the class with its data (re-importing restores it)', tags: ['classes'], params: idParams, responses: { 204: 'Archived', 404: 'No such class, or not yours' } }) }, async (request, reply) => {
    const { id } = parse(idParams, request.params);
    await classes.remove(requireActor(request), id);
    return reply.status(204).send();
  });
}
