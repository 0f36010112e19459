import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { safeReturnTo } from '../../auth/signin-flows.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { adoptSession, requireActor } from '../plugins/session.ts';

const FLOW_COOKIE = 'rc_oauth';
const RESTART_COOKIE = 'rc_restart';
const providerParams = z.object({ provider: z.enum(['clever', 'classlink'], 'Unknown sign-in method.') });
const startQuery = z.object({
  purpose: z.enum(['signin', 'connect']).default('signin'),
  returnTo: z.string().max(500).optional(),
  district_id: z.string().max(64).optional(),
});

/**
 * "Log in with Clever / ClassLink", "Connect …" from the profile, and
 * launches from the Clever Portal or ClassLink LaunchPad (a code with no state
 * of ours), which restart the flow with our own state so CSRF protection holds
 * and the user lands signed in without a second click.
 */
export function providerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const flows = ctx.services.signInFlows;
  const secure = ctx.config.secureCookies;
  const cookie = { path: '/auth', httpOnly: true, sameSite: 'lax' as const, secure };

  const redirectToAuthorize = async (reply: FastifyReply, provider: string, input: Parameters<typeof flows.start>[1]) => {
    const { url, state } = await flows.start(provider, input);
    reply.setCookie(FLOW_COOKIE, state, { ...cookie, maxAge: 600 });
    return reply.redirect(url.toString(), 302);
  };

  // Per address. At 8:00 a whole school signs in from behind one NAT address (hundreds a minute), so
  // this only stops a flood; each start costs one short-lived flow row.
  app.get('/auth/:provider/start', { config: { rateLimit: { max: 600, timeWindow: 60_000 } } }, async (request, reply) => {
    const { provider } = parse(providerParams, request.params);
    const query = parse(startQuery, request.query);
    return redirectToAuthorize(reply, provider, { purpose: query.purpose, actor: request.actor, returnTo: query.returnTo, districtId: query.district_id });
  });

  app.get('/auth/:provider/callback', async (request, reply) => {
    const { provider } = parse(providerParams, request.params);
    const url = new URL(request.url, ctx.config.publicUrl);
    // Issued up front so that a sign-in stores it with the account lookup (one statement for a returning user); unused otherwise.
    const session = ctx.services.sessions.issue();
    const result = await flows.callback(provider, url, request.cookies[FLOW_COOKIE], request.actor, session.row);
    reply.clearCookie(FLOW_COOKIE, cookie);

    if (result.kind === 'restart') {
      // One restart per launch: a second stateless code within a minute means something is looping.
      if (request.cookies[RESTART_COOKIE]) {
        reply.clearCookie(RESTART_COOKIE, cookie);
        return reply.redirect(`/signin?error=restart_loop&provider=${provider}`, 302);
      }
      reply.setCookie(RESTART_COOKIE, '1', { ...cookie, maxAge: 60 });
      request.log.info({ provider }, 'provider-initiated sign-in: restarting with our own state');
      return redirectToAuthorize(reply, provider, { purpose: 'signin', districtId: url.searchParams.get('district_id') ?? undefined });
    }
    // Only a browser that holds it needs telling: most callbacks carry no restart cookie.
    if (request.cookies[RESTART_COOKIE]) reply.clearCookie(RESTART_COOKIE, cookie);
    if (result.kind === 'refused') {
      request.log.warn({ provider, reason: result.reason }, 'provider sign-in refused');
      ctx.metrics.recordSignIn(provider, `refused:${result.reason}`);
      const page = result.purpose === 'connect' ? '/profile' : '/signin';
      return reply.redirect(`${page}?error=${encodeURIComponent(result.reason)}&provider=${provider}`, 302);
    }
    if (result.kind === 'connected') return reply.redirect(safeReturnTo(result.returnTo) ?? `/profile?connected=${provider}`, 302);

    // A provider sign-in replaces whoever was signed in on this browser (shared devices), never merges.
    await adoptSession(request, reply, ctx.services.sessions, session.token, { secure, ttlHours: ctx.config.sessionTtlHours });
    request.log.info({ provider, userId: result.user.id, how: result.how }, 'signed in with provider');
    ctx.metrics.recordSignIn(provider, 'success');
    const home = result.user.role === 'student' ? '/student' : '/classes';
    return reply.redirect(safeReturnTo(result.returnTo) ?? home, 302);
  });

  app.get('/api/profile', { schema: apiDoc({ summary: 'My linked sign-in accounts (Clever, ClassLink) and the ones I can connect', tags: ['session'] }) }, async (request) => {
    const actor = requireActor(request);
    const identities = await ctx.store.identities.forUser(actor.user.id);
    return {
      identities: identities.map((i) => ({ provider: i.provider, lastSignInAt: i.lastSignInAt?.toISOString() ?? null })),
      providers: flows.providers.map((s) => ({ id: s.provider, label: s.label, connectHref: `/auth/${s.provider}/start?purpose=connect` })),
    };
  });
}
