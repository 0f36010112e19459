import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { startSession } from '../plugins/session.ts';
import { presentUser } from '../present.ts';

const tokenParams = z.object({ token: z.string().min(10).max(200) });
const acceptBody = z.object({ name: z.string().max(400).optional(), password: z.string().max(400).optional() });

export function invitationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { invitations, sessions } = ctx.services;
  const limit = { rateLimit: { max: ctx.config.signinRateLimit * 3, timeWindow: 60_000 } };

  app.get('/api/invitations/:token', { config: limit, schema: apiDoc({ summary: 'Look up a license invitation from its emailed link: the license and the invited address', tags: ['invitations'], params: tokenParams, public: true, responses: { 200: 'OK', 400: 'Not an invitation link', 404: 'Not a valid invitation link', 410: 'Withdrawn, expired, already accepted, or replaced by a newer invitation email', 429: 'Too many attempts from this address: wait a minute' } }) }, async (request, reply) => {
    const { token } = parse(tokenParams, request.params);
    const invitation = await invitations.preview(token);
    const actor = request.actor;
    return reply.send({ invitation, signedInAs: actor ? { email: actor.user.email } : null });
  });

  app.post('/api/invitations/:token/accept', { config: limit, schema: apiDoc({ summary: 'Accept a license invitation: as the signed-in invitee, or by creating their account (name and password)', tags: ['invitations'], params: tokenParams, body: acceptBody, public: true, description: 'Following the emailed link proves the address, so the account is marked verified. A new account is signed in.', responses: { 200: 'Accepted', 400: 'Name or password needs attention', 401: 'An account for the invited address already exists: sign in first', 403: 'Signed in as someone other than the invited address', 404: 'Not a valid invitation link', 409: 'An account for the invited address was just created', 410: 'Withdrawn, expired, already accepted, or replaced by a newer invitation email', 429: 'Too many attempts from this address: wait a minute' } }) }, async (request, reply) => {
    const { token } = parse(tokenParams, request.params);
    const body = parse(acceptBody, request.body);
    const result = await invitations.accept(token, request.actor, body);
    if (result.created) {
      await startSession(request, reply, sessions, result.user, { secure: ctx.config.secureCookies, ttlHours: ctx.config.sessionTtlHours });
    }
    const actor = await ctx.store.accounts.loadActor(result.user);
    return reply.send({ user: presentUser(result.user, actor), licenseId: result.licenseId });
  });
}
