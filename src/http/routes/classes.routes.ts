import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { ClassSummary } from '../../domain/classes/classes.types.ts';
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

  app.get('/api/classes', async (request) => {
    const actor = requireActor(request);
    const [mine, access] = await Promise.all([classes.listMine(actor), rostering.access(actor)]);
    return { classes: mine.map(presentClass), rostering: { available: access.accesses.length > 0, reason: access.reason } };
  });

  app.post('/api/classes', async (request, reply) => {
    const { name } = parse(createBody, request.body);
    const created = await classes.createManual(requireActor(request), name);
    return reply.status(201).send({ class: presentClass(created) });
  });

  app.get('/api/classes/:id', async (request) => {
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

  app.post('/api/classes/:id/sync', async (request) => {
    const { id } = parse(idParams, request.params);
    return { run: await classes.syncNow(requireActor(request), id) };
  });

  app.delete('/api/classes/:id', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    await classes.remove(requireActor(request), id);
    return reply.status(204).send();
  });
}
