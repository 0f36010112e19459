import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, User } from '../../domain/accounts/accounts.types.ts';
import type { SessionsService } from '../../domain/accounts/sessions.service.ts';
import { AppError } from '../../lib/errors.ts';

export const SESSION_COOKIE = 'rc_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
}

export interface SessionCookieOptions {
  readonly secure: boolean;
  readonly ttlHours: number;
}

/** Resolves the session cookie to an Actor on every request, reading grants fresh. */
export function registerSession(app: FastifyInstance, sessions: SessionsService): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || token.length > 100) return;
    request.sessionToken = token;
    request.actor = await sessions.resolve(token);
  });
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, options: SessionCookieOptions): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    maxAge: options.ttlHours * 3600,
  });
  request.sessionToken = token;
}

export async function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  sessions: SessionsService,
  user: User,
  options: SessionCookieOptions,
): Promise<void> {
  // A new id on every sign-in; whoever was signed in on this browser is signed out.
  const token = await sessions.start(user, request.sessionToken);
  setSessionCookie(request, reply, token, options);
}

/** Sets the cookie of a session issued with `sessions.issue()` and already stored with the sign-in. */
export async function adoptSession(request: FastifyRequest, reply: FastifyReply, sessions: SessionsService, token: string, options: SessionCookieOptions): Promise<void> {
  // Still a new id on every sign-in, and whoever was signed in on this browser is signed out.
  await sessions.adopt(request.sessionToken);
  setSessionCookie(request, reply, token, options);
}

export async function endSession(request: FastifyRequest, reply: FastifyReply, sessions: SessionsService, secure: boolean): Promise<void> {
  if (request.sessionToken) await sessions.end(request.sessionToken);
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  request.actor = undefined;
  request.sessionToken = undefined;
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return request.actor;
}
