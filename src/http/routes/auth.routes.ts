import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { endSession, requireActor, startSession } from '../plugins/session.ts';
import { presentUser } from '../present.ts';

const signUpBody = z.object({ name: z.string().max(400), email: z.string().max(320), password: z.string().max(400) });
const signInBody = z.object({ email: z.string().max(320), password: z.string().max(400) });
const tokenBody = z.object({ token: z.string().min(1).max(300) });
const resetRequestBody = z.object({ email: z.string().max(320) });
const resetCompleteBody = z.object({ token: z.string().min(1).max(300), password: z.string().max(400) });

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { accounts, sessions } = ctx.services;
  const cookie = { secure: ctx.config.secureCookies, ttlHours: ctx.config.sessionTtlHours };
  // Keyed by address *and* account: a whole school behind one NAT address signs
  // in at 8:00, so an address-only limit would lock out every teacher at once.
  const perAccount = (request: FastifyRequest) => {
    const email = (request.body as { email?: unknown } | undefined)?.email;
    return `${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
  };
  const signInLimit = { rateLimit: { max: ctx.config.signinRateLimit, timeWindow: 60_000, hook: 'preHandler' as const, keyGenerator: perAccount } };
  const withAbilities = async (user: Parameters<typeof presentUser>[0]) => presentUser(user, await ctx.store.accounts.loadActor(user));

  app.get('/api/session', { schema: apiDoc({ summary: 'Who is signed in (null when nobody), the CSRF token for writes, and the sign-in methods offered', tags: ['session'], public: true }) }, async (request, reply) => {
    const actor = request.actor;
    const providers = ctx.services.signInFlows.providers.map((p) => ({ id: p.provider, label: p.label, href: `/auth/${p.provider}/start` }));
    return reply.send({ user: actor ? presentUser(actor.user, actor) : null, csrfToken: reply.generateCsrf(), providers });
  });

  app.post('/api/auth/signup', { config: signInLimit, schema: apiDoc({ summary: 'Create a teacher account with email and password, and sign in', tags: ['session'], body: signUpBody, public: true, responses: { 201: 'Created and signed in', 400: 'A field needs attention (name, email, or a weak password)', 409: 'An account with this email already exists', 429: 'Too many attempts for this email from this address: wait a minute' } }) }, async (request, reply) => {
    const body = parse(signUpBody, request.body);
    const user = await accounts.signUp(body);
    await startSession(request, reply, sessions, user, cookie);
    return reply.status(201).send({ user: await withAbilities(user) });
  });

  app.post('/api/auth/signin', { config: signInLimit, schema: apiDoc({ summary: 'Sign in with email and password', tags: ['session'], body: signInBody, public: true, responses: { 200: 'Signed in', 400: 'Email or password missing', 401: 'The email and password do not match an account (students never have passwords)', 429: 'Too many attempts for this email from this address: wait a minute' } }) }, async (request, reply) => {
    const body = parse(signInBody, request.body);
    const user = await accounts.signIn(body);
    await startSession(request, reply, sessions, user, cookie);
    request.log.info({ userId: user.id }, 'signed in with password');
    return reply.send({ user: await withAbilities(user) });
  });

  app.post('/api/auth/signout', { schema: apiDoc({ summary: 'Sign out this browser', tags: ['session'], public: true, responses: { 204: 'Signed out (also when nobody was signed in)' } }) }, async (request, reply) => {
    await endSession(request, reply, sessions, cookie.secure);
    return reply.status(204).send();
  });

  app.post('/api/auth/verify-email', { config: signInLimit, schema: apiDoc({ summary: 'Confirm an email address with the token from the emailed link', tags: ['session'], body: tokenBody, public: true, description: 'The account is returned only to the browser signed in as it; anyone else gets { user: null }.', responses: { 200: 'Verified', 400: 'No token', 404: 'Not a valid link', 410: 'The link was already used or has expired', 429: 'Too many attempts: wait a minute' } }) }, async (request, reply) => {
    const { token } = parse(tokenBody, request.body);
    const user = await accounts.verifyEmail(token);
    // Only reveal the account to the browser that is signed in as it.
    const visible = request.actor?.user.id === user.id ? await withAbilities(user) : null;
    return reply.send({ user: visible });
  });

  app.post('/api/auth/verify-email/resend', { schema: apiDoc({ summary: 'Email me a new verification link', tags: ['session'], responses: { 202: 'Queued (nothing is sent when the address is already verified)' } }) }, async (request, reply) => {
    await accounts.resendVerification(requireActor(request).user);
    return reply.status(202).send({});
  });

  app.post('/api/auth/password-reset', { config: signInLimit, schema: apiDoc({ summary: 'Email a password-reset link (always 202, so nobody can tell which addresses have accounts)', tags: ['session'], body: resetRequestBody, public: true, responses: { 202: 'Accepted', 400: 'Not a valid email address', 429: 'Too many attempts: wait a minute' } }) }, async (request, reply) => {
    const { email } = parse(resetRequestBody, request.body);
    await accounts.requestPasswordReset(email);
    return reply.status(202).send({});
  });

  app.post('/api/auth/password-reset/complete', { config: signInLimit, schema: apiDoc({ summary: 'Set a new password with the token from the emailed link; signs in and ends every other session', tags: ['session'], body: resetCompleteBody, public: true, responses: { 200: 'Password set and signed in', 400: 'The password needs attention (too short, too common, …)', 403: 'This account cannot have a password (students)', 404: 'Not a valid link', 410: 'The link was already used or has expired', 429: 'Too many attempts: wait a minute' } }) }, async (request, reply) => {
    const body = parse(resetCompleteBody, request.body);
    const user = await accounts.completePasswordReset(body.token, body.password);
    await startSession(request, reply, sessions, user, cookie);
    return reply.send({ user: await withAbilities(user) });
  });
}
