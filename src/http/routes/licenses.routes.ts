import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { License } from '../../domain/licenses/licenses.types.ts';
import type { MemberView } from '../../domain/licenses/licenses.service.ts';
import { licensePolicy } from '../../domain/licenses/licenses.policy.ts';
import { apiDoc } from '../openapi.ts';
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

  app.get('/api/licenses', { schema: apiDoc({ summary: 'Licenses you can see: as their admin, their district’s admin, or support (often none)', tags: ['licenses'] }) }, async (request) => {
    const actor = requireActor(request);
    return { licenses: (await licenses.listFor(actor)).map(presentLicense) };
  });

  app.get('/api/licenses/:id', { schema: apiDoc({ summary: 'A license: seats, members and where each invitation stands', tags: ['licenses'], params: licenseParams, responses: { 200: 'OK', 404: 'No such license, or not one you may see' } }) }, async (request) => {
    const { id } = parse(licenseParams, request.params);
    const actor = requireActor(request);
    const { license, members } = await licenses.getFor(actor, id);
    return { license: presentLicense(license), members: members.map(presentMember), abilities: { manageMembers: licensePolicy.canManageMembers(actor, license) } };
  });

  app.post('/api/licenses/:id/members/resend', { schema: apiDoc({ summary: 'Resend the invitation email to every member who has not accepted yet', tags: ['licenses', 'invitations'], params: licenseParams, responses: { 200: 'How many were sent', 403: 'You may look at this license but not change its members (district admins)', 404: 'No such license, or not one you may see' } }) }, async (request) => {
    const { id } = parse(licenseParams, request.params);
    return licenses.resendAll(requireActor(request), id);
  });

  app.post('/api/licenses/:id/members', { schema: apiDoc({ summary: 'Invite teachers by email (paste a list): all are added and emailed, or none', tags: ['licenses', 'invitations'], params: licenseParams, body: addMembersBody, responses: { 200: 'Added', 400: 'No addresses, too many, or some not valid: nothing added', 403: 'You may look at this license but not change its members (district admins)', 404: 'No such license, or not one you may see', 409: 'Some are already members, or there are not enough free seats: nothing added' } }) }, async (request) => {
    const { id } = parse(licenseParams, request.params);
    const { emails } = parse(addMembersBody, request.body);
    return licenses.addMembers(requireActor(request), id, emails);
  });

  app.post('/api/licenses/:id/members/:memberId/resend', { schema: apiDoc({ summary: 'Resend one member’s invitation email; the earlier link stops working', tags: ['licenses', 'invitations'], params: memberParams, responses: { 200: 'The member', 403: 'You may look at this license but not change its members (district admins)', 404: 'No such license or member', 409: 'The member already accepted' } }) }, async (request) => {
    const { id, memberId } = parse(memberParams, request.params);
    return { member: presentMember(await licenses.resendInvitation(requireActor(request), id, memberId)) };
  });

  app.delete('/api/licenses/:id/members/:memberId', { schema: apiDoc({ summary: 'Remove a member: frees the seat and voids the invitation (their account and classes stay)', tags: ['licenses'], params: memberParams, responses: { 204: 'Removed', 403: 'You may look at this license but not change its members (district admins)', 404: 'No such license or member' } }) }, async (request, reply) => {
    const { id, memberId } = parse(memberParams, request.params);
    await licenses.removeMember(requireActor(request), id, memberId);
    return reply.status(204).send();
  });
}
