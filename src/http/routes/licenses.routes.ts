import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { License } from '../../domain/licenses/licenses.types.ts';
import type { MemberView } from '../../domain/licenses/licenses.service.ts';
import { licensePolicy } from '../../domain/licenses/licenses.policy.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const licenseParams = z.object({ id: z.uuid('Unknown license.') });
const memberParams = z.object({ id: z.uuid('Unknown license.'), memberId: z.uuid('Unknown member.') });
const addMembersBody = z.object({ emails: z.string().max(50_000, 'Paste at most 50,000 characters at once.') });

export const presentLicense = (l: License) => ({
  id: l.id,
  name: l.name,
  districtName: l.districtName,
  schoolId: l.schoolId,
  schoolName: l.schoolName,
  seats: l.seats,
  seatsUsed: l.seatsUsed,
  startsOn: l.startsOn,
  endsOn: l.endsOn,
});

const presentMember = (m: MemberView) => ({
  id: m.id,
  email: m.email,
  name: m.name,
  state: m.state,
  invitedAt: m.invitedAt.toISOString(),
  acceptedAt: m.acceptedAt?.toISOString() ?? null,
  lastSentAt: m.lastSentAt?.toISOString() ?? null,
  invitationExpired: m.invitationExpired,
  userId: m.userId,
  linkedProviders: m.providers,
  rosteredClasses: m.rosteredClasses,
  lastSignInAt: m.lastSignInAt?.toISOString() ?? null,
});

export function licenseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { licenses } = ctx.services;

  app.get('/api/licenses', async (request) => {
    const actor = requireActor(request);
    return { licenses: (await licenses.listFor(actor)).map(presentLicense) };
  });

  app.get('/api/licenses/:id', async (request) => {
    const { id } = parse(licenseParams, request.params);
    const actor = requireActor(request);
    const { license, members } = await licenses.getFor(actor, id);
    return { license: presentLicense(license), members: members.map(presentMember), abilities: { manageMembers: licensePolicy.canManageMembers(actor, license) } };
  });

  app.post('/api/licenses/:id/members/resend', async (request) => {
    const { id } = parse(licenseParams, request.params);
    return licenses.resendAll(requireActor(request), id);
  });

  app.post('/api/licenses/:id/members', async (request) => {
    const { id } = parse(licenseParams, request.params);
    const { emails } = parse(addMembersBody, request.body);
    return licenses.addMembers(requireActor(request), id, emails);
  });

  app.post('/api/licenses/:id/members/:memberId/resend', async (request) => {
    const { id, memberId } = parse(memberParams, request.params);
    return { member: presentMember(await licenses.resendInvitation(requireActor(request), id, memberId)) };
  });

  app.delete('/api/licenses/:id/members/:memberId', async (request, reply) => {
    const { id, memberId } = parse(memberParams, request.params);
    await licenses.removeMember(requireActor(request), id, memberId);
    return reply.status(204).send();
  });
}
