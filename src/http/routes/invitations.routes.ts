import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { parse } from '../validate.ts';
import { startSession } from '../plugins/session.ts';
import { presentUser } from '../present.ts';

const tokenParams = z.object({ token: z.string().min(10).max(200) });
const acceptBody = z.object({ name: z.string().max(400).optional(), password: z.string().max(400).optional() });

export function invitationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { invitations, sessions } = ctx.services;
  const limit = { rateLimit: { max: ctx.config.signinRateLimit * 3, timeWindow: 60_000 } };

  app.get('/api/invitations/:token', { config: limit }, async (request, reply) => {
    const { token } = parse(tokenParams, request.params);
    const invitation = await invitations.preview(token);
    const actor = request.actor;
    return reply.send({ invitation, signedInAs: actor ? { email: actor.user.email } : null });
  });

  app.post('/api/invitations/:token/accept', { config: limit }, async (request, reply) => {
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
