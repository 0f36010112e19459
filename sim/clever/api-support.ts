import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimDistrict } from '../generator/district.ts';
import { parseBearer, rawQuery, requestPath } from '../shared/http.ts';
import type { CleverContext, UserToken } from './context.ts';
import { readPage, type Segment } from './paging.ts';
import type { CleverObject } from './serialize.ts';

/**
 * What every Data API route needs: who is calling (district-app token or a
 * user's SSO token), Clever's error bodies, and the list/single envelopes with
 * cursor paging links.
 */
export type Principal =
  | { type: 'district'; district: SimDistrict; token: string }
  | { type: 'user'; district: SimDistrict; token: string; user: UserToken };

export const SCOPE_MESSAGE = "Resource not in token's scopes";
export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 100;

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ message });
}

/** Resolve the bearer token, or answer 401 and return null. */
export function authenticate(ctx: CleverContext, req: FastifyRequest, reply: FastifyReply): Principal | null {
  const token = parseBearer(req.headers.authorization);
  if (token === null) {
    sendError(reply, 401, 'Unauthorized: missing bearer token');
    return null;
  }
  if (ctx.faults.revoked) {
    sendError(reply, 401, 'Unauthorized: invalid token');
    return null;
  }
  const district = ctx.districtTokens.get(token);
  if (district !== undefined) return { type: 'district', district, token };
  const user = ctx.userTokens.get(token);
  if (user !== undefined) return { type: 'user', district: user.district, token, user };
  sendError(reply, 401, 'Unauthorized: invalid token');
  return null;
}

/** Only district-app tokens may read rosters and events. */
export function requireDistrict(principal: Principal, reply: FastifyReply): principal is Extract<Principal, { type: 'district' }> {
  if (principal.type !== 'district') {
    sendError(reply, 403, SCOPE_MESSAGE);
    return false;
  }
  return true;
}

export interface PagingParams {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

/** Parse limit/starting_after/ending_before; answers 400/413 itself on bad input. */
export function pagingParams(req: FastifyRequest, reply: FastifyReply): PagingParams | null {
  const q = new URLSearchParams(rawQuery(req));
  const rawLimit = q.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) {
      sendError(reply, 400, `invalid limit: ${rawLimit}`);
      return null;
    }
    limit = Number(rawLimit);
    if (limit > MAX_LIMIT) {
      sendError(reply, 413, `limit must be less than or equal to ${MAX_LIMIT}`);
      return null;
    }
  }
  const startingAfter = q.get('starting_after') ?? undefined;
  const endingBefore = q.get('ending_before') ?? undefined;
  return {
    limit,
    ...(startingAfter ? { startingAfter } : {}),
    ...(endingBefore ? { endingBefore } : {}),
  };
}

function linkWith(req: FastifyRequest, cursor: Record<string, string>): string {
  const q = new URLSearchParams(rawQuery(req));
  q.delete('starting_after');
  q.delete('ending_before');
  for (const [k, v] of Object.entries(cursor)) q.set(k, v);
  const query = q.toString();
  return `${requestPath(req)}${query === '' ? '' : `?${query}`}`;
}

/**
 * Send one page of a list endpoint. `next` is offered whenever the page is
 * full — like Clever, it may lead to an empty page, which ends the walk.
 */
export function sendList(
  ctx: CleverContext,
  req: FastifyRequest,
  reply: FastifyReply,
  segments: readonly Segment[],
  paging: PagingParams,
  uriFor: (obj: CleverObject) => string,
): FastifyReply {
  const { items, hasPrev } = readPage(segments, paging);
  const links: { rel: string; uri: string }[] = [{ rel: 'self', uri: req.url }];
  const last = items[items.length - 1];
  const first = items[0];
  if (last !== undefined && (items.length === paging.limit || paging.endingBefore !== undefined)) {
    // Pagination-loop fault: hand back the same cursor the client just used.
    const loop = paging.startingAfter !== undefined && ctx.faults.take(requestPath(req), ['pagination-loop']) !== undefined;
    links.push({ rel: 'next', uri: linkWith(req, { starting_after: loop ? (paging.startingAfter ?? '') : last.id }) });
  }
  if (first !== undefined && hasPrev) {
    links.push({ rel: 'prev', uri: linkWith(req, { ending_before: first.id }) });
  }
  return reply.send({ data: items.map((obj) => ({ data: obj, uri: uriFor(obj) })), links });
}

export function sendSingle(reply: FastifyReply, obj: CleverObject, uri: string): FastifyReply {
  return reply.send({ data: obj, links: [{ rel: 'self', uri }] });
}
