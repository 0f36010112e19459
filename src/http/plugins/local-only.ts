import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * The request came from this machine *directly*: the TCP peer is a loopback
 * address and no proxy forwarded it. A reverse proxy on the same host connects
 * from loopback too, so a forwarding header means "from the internet" here.
 * (request.ip is not used: with trustProxy it is whatever the client claims.)
 */
export function isDirectLocalRequest(request: FastifyRequest): boolean {
  const peer = request.socket.remoteAddress ?? '';
  return LOOPBACK.test(peer) && FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>`, compared in constant time. */
export function hasBearerToken(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), digest(token));
}

/**
 * An onRequest guard for endpoints that are for the machine's operators, not
 * the public: served to a direct local request, or to a request with the
 * bearer token when one is configured; anyone else gets 403.
 */
export function localOrToken(token: string | undefined, message: string): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (isDirectLocalRequest(request) || hasBearerToken(request, token)) return done();
    void reply.status(403).send({ error: { code: 'forbidden', message, fields: [] } });
  };
}
