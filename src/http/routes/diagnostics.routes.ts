import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Diagnosis } from '../../domain/diagnostics/diagnosis.types.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const userParams = z.object({ id: z.uuid('Unknown user.') });
const memberParams = z.object({ id: z.uuid('Unknown license.'), memberId: z.uuid('Unknown member.') });

export const presentDiagnosis = (d: Diagnosis) => ({
  subject: d.subject,
  district: d.district,
  ok: d.ok,
  firstFailure: d.firstFailure,
  checks: d.checks,
  fixer: d.fixer,
  fixerContact: d.fixerContact,
  nextStep: d.nextStep,
  ...(d.sections ? { sections: d.sections } : {}),
  checkedAt: d.checkedAt.toISOString(),
});

/** "Why can't I see Add from Rostering Service?" for oneself, and for the people who can help. */
export function diagnosticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { diagnosis } = ctx.services;

  app.get('/api/diagnosis', { schema: apiDoc({ summary: 'Why can’t I see Add from Rostering Service? Every check, for me, and who can fix the first failure', tags: ['diagnosis'] }) }, async (request) => ({ diagnosis: presentDiagnosis(await diagnosis.forSelf(requireActor(request))) }));

  app.get('/api/users/:id/diagnosis', { schema: apiDoc({ summary: 'The same checks for someone you help (as their license admin, district admin or Rollcall support)', tags: ['diagnosis'], params: userParams, responses: { 200: 'OK', 404: 'No such user, or not one you may diagnose' } }) }, async (request) => {
    const { id } = parse(userParams, request.params);
    return { diagnosis: presentDiagnosis(await diagnosis.forUser(requireActor(request), id)) };
  });

  app.get('/api/licenses/:id/members/:memberId/diagnosis', { schema: apiDoc({ summary: 'The same checks for a license member, including one who has not accepted the invitation yet', tags: ['diagnosis', 'licenses'], params: memberParams, responses: { 200: 'OK', 404: 'No such license or member, or not one you may see' } }) }, async (request) => {
    const { id, memberId } = parse(memberParams, request.params);
    return { diagnosis: presentDiagnosis(await diagnosis.forMember(requireActor(request), id, memberId)) };
  });
}
