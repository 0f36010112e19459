import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signJwt } from '../shared/jwt.ts';
import { errorPage, escapeHtml, page } from '../shared/html.ts';
import {
  bodyField,
  clearCookie,
  parseBasicAuth,
  parseCookies,
  queryValue,
  randomToken,
  safeEqual,
  sessionCookie,
  withQuery,
} from '../shared/http.ts';
import type { SimClient } from '../shared/types.ts';
import { CODE_TTL_MS, SESSION_COOKIE, type CleverContext, type SignedInUser } from './context.ts';
import { candidates, loginPage, resolveLogin } from './login.ts';

/**
 * Clever OAuth 2.0 (authorization code only): the authorize page, code
 * exchange at POST /oauth/tokens, the district-app token list at
 * GET /oauth/tokens, Instant Login links and Portal launches. Portal and
 * Instant Login are Clever-initiated, so they land on the client's FIRST
 * registered redirect URI with a code and no state.
 */

function findClient(ctx: CleverContext, clientId: string | undefined): SimClient | undefined {
  return ctx.clients.find((c) => c.clientId === clientId);
}

export function sessionUser(ctx: CleverContext, req: FastifyRequest): SignedInUser | undefined {
  const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  return sid === undefined ? undefined : ctx.sessions.get(sid);
}

function startSession(ctx: CleverContext, reply: FastifyReply, user: SignedInUser): void {
  const sid = randomToken(16);
  ctx.sessions.set(sid, user);
  reply.header('set-cookie', sessionCookie(SESSION_COOKIE, sid));
}

function issueCode(ctx: CleverContext, user: SignedInUser, client: SimClient, redirectUri: string, nonce: string | undefined): string {
  const code = randomToken(16);
  ctx.codes.set(code, { ...user, clientId: client.clientId, redirectUri, nonce, expiresAt: ctx.clock.nowMs() + CODE_TTL_MS, used: false });
  return code;
}

function badRequestPage(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).type('text/html; charset=utf-8').send(errorPage('Clever — something went wrong', message));
}

interface AuthorizeParams {
  client: SimClient;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  districtId: string | undefined;
  responseType: string | undefined;
}

/** Validate client and redirect URI; a bad one gets an error page, never a redirect. */
function validate(ctx: CleverContext, get: (name: string) => string | undefined, reply: FastifyReply): AuthorizeParams | null {
  const client = findClient(ctx, get('client_id'));
  if (client === undefined) {
    badRequestPage(reply, 'Unknown client_id.');
    return null;
  }
  const redirectUri = get('redirect_uri');
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    badRequestPage(reply, 'The redirect_uri is not registered for this application.');
    return null;
  }
  const districtId = get('district_id') || undefined;
  if (districtId !== undefined && !ctx.districts.some((d) => ctx.ids.districtId(d) === districtId)) {
    badRequestPage(reply, 'Unknown district_id.');
    return null;
  }
  return { client, redirectUri, state: get('state') || undefined, nonce: get('nonce') || undefined, districtId, responseType: get('response_type') };
}

export function registerOAuth(app: FastifyInstance, ctx: CleverContext): void {
  const districtsFor = (districtId: string | undefined) =>
    districtId === undefined ? ctx.districts : ctx.districts.filter((d) => ctx.ids.districtId(d) === districtId);

  const completeLogin = (reply: FastifyReply, user: SignedInUser, p: AuthorizeParams): FastifyReply => {
    const code = issueCode(ctx, user, p.client, p.redirectUri, p.nonce);
    return reply.redirect(withQuery(p.redirectUri, { code, state: p.state }), 302);
  };

  app.get('/oauth/authorize', async (req, reply) => {
    const p = validate(ctx, (n) => queryValue(req, n), reply);
    if (p === null) return reply;
    if (p.responseType !== 'code') {
      return reply.redirect(withQuery(p.redirectUri, { error: 'unsupported_response_type', state: p.state }), 302);
    }
    const current = sessionUser(ctx, req);
    // A live Clever session completes the flow silently (the "restart with our own state" hop).
    if (current !== undefined && (p.districtId === undefined || ctx.ids.districtId(current.district) === p.districtId)) {
      return completeLogin(reply, current, p);
    }
    const fields = { client_id: p.client.clientId, redirect_uri: p.redirectUri, state: p.state, nonce: p.nonce, district_id: p.districtId, response_type: 'code' };
    return reply.type('text/html; charset=utf-8').send(loginPage(ctx, districtsFor(p.districtId), fields, 'Log in with Clever'));
  });

  app.post('/oauth/authorize', async (req, reply) => {
    const get = (n: string) => bodyField(req.body, n);
    const p = validate(ctx, get, reply);
    if (p === null) return reply;
    if (get('action') === 'cancel') {
      return reply.redirect(withQuery(p.redirectUri, { error: 'access_denied', state: p.state }), 302);
    }
    const user = resolveLogin(ctx, get('user') ?? '', get('role'));
    if (user === null || (p.districtId !== undefined && ctx.ids.districtId(user.district) !== p.districtId)) {
      return badRequestPage(reply, 'No such user in this district.');
    }
    startSession(ctx, reply, user);
    return completeLogin(reply, user, p);
  });

  // Instant Login link: Clever-initiated, lands on the first redirect URI without state.
  app.get('/oauth/instant-login', async (req, reply) => {
    const client = findClient(ctx, queryValue(req, 'client_id'));
    if (client === undefined) return badRequestPage(reply, 'Unknown client_id.');
    const districtId = queryValue(req, 'district_id');
    const redirectUri = client.redirectUris[0] ?? '';
    const p: AuthorizeParams = { client, redirectUri, state: undefined, nonce: undefined, districtId, responseType: 'code' };
    const current = sessionUser(ctx, req);
    if (current !== undefined && (districtId === undefined || ctx.ids.districtId(current.district) === districtId)) {
      return completeLogin(reply, current, p);
    }
    const fields = { client_id: client.clientId, redirect_uri: redirectUri, district_id: districtId, response_type: 'code' };
    return reply.type('text/html; charset=utf-8').send(loginPage(ctx, districtsFor(districtId), fields, 'Instant Login'));
  });

  // Portal: the district dashboard icon. With ?user=… it signs that user in and launches the app.
  app.get('/sim/portal', async (req, reply) => {
    const client = findClient(ctx, queryValue(req, 'client_id') ?? ctx.clients[0]?.clientId);
    if (client === undefined) return badRequestPage(reply, 'Unknown client_id.');
    const userId = queryValue(req, 'user');
    if (userId !== undefined) {
      const user = resolveLogin(ctx, userId, queryValue(req, 'role'));
      if (user === null) return badRequestPage(reply, 'Unknown user.');
      startSession(ctx, reply, user);
      const redirectUri = client.redirectUris[0] ?? '';
      return completeLogin(reply, user, { client, redirectUri, state: undefined, nonce: undefined, districtId: undefined, responseType: 'code' });
    }
    const districtId = queryValue(req, 'district_id');
    const body = districtsFor(districtId)
      .map((d) => {
        const rows = candidates(ctx, d)
          .list.map((c) => {
            const href = `/sim/portal?client_id=${encodeURIComponent(client.clientId)}&user=${c.id}&role=${c.role}`;
            return `<tr><td>${escapeHtml(c.name)}</td><td class="role">${c.role}</td><td><a href="${escapeHtml(href)}">Open ${escapeHtml(client.clientId)}</a></td></tr>`;
          })
          .join('\n');
        return `<h2>${escapeHtml(d.name)}</h2><table>${rows}</table>`;
      })
      .join('\n');
    return reply.type('text/html; charset=utf-8').send(page('Clever Portal (simulated)', `<h1>Clever Portal (simulated)</h1>${body}`));
  });

  app.get('/sim/logout', async (req, reply) => {
    const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (sid !== undefined) ctx.sessions.delete(sid);
    reply.header('set-cookie', clearCookie(SESSION_COOKIE));
    return reply.type('text/html; charset=utf-8').send(page('Logged out', '<h1>Logged out of Clever (simulated)</h1>'));
  });

  const clientFromBasic = (req: FastifyRequest): SimClient | undefined => {
    const basic = parseBasicAuth(req.headers.authorization);
    if (basic === null || ctx.faults.revoked) return undefined;
    const client = findClient(ctx, basic.user);
    return client !== undefined && safeEqual(client.clientSecret, basic.password) ? client : undefined;
  };
  const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
    reply.code(status).send({ error, error_description: description });

  app.post('/oauth/tokens', async (req, reply) => {
    const client = clientFromBasic(req);
    if (client === undefined) return oauthError(reply, 401, 'invalid_client', 'Invalid client credentials');
    const get = (n: string) => bodyField(req.body, n);
    if (get('grant_type') !== 'authorization_code') {
      return oauthError(reply, 400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    }
    const code = ctx.codes.get(get('code') ?? '');
    if (code === undefined) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: invalid code');
    if (code.used) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: code already used');
    if (code.expiresAt < ctx.clock.nowMs()) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: code expired');
    if (code.clientId !== client.clientId) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: code was issued to another client');
    if (get('redirect_uri') !== code.redirectUri) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: redirect_uri mismatch');
    code.used = true;
    const accessToken = randomToken(20);
    ctx.userTokens.set(accessToken, { district: code.district, kind: code.kind, index: code.index, role: code.role, clientId: client.clientId, issuedAt: ctx.clock.nowMs() });
    const body: Record<string, string> = { access_token: accessToken, token_type: 'bearer' };
    if (ctx.oidcEnabled) body['id_token'] = signJwt(ctx.signingKey, idTokenClaims(ctx, code, client.clientId));
    return reply.send(body);
  });

  app.get('/oauth/tokens', async (req, reply) => {
    const client = clientFromBasic(req);
    if (client === undefined) return oauthError(reply, 401, 'invalid_client', 'Invalid client credentials');
    if (queryValue(req, 'owner_type') !== 'district') {
      return oauthError(reply, 400, 'invalid_request', 'owner_type must be district');
    }
    const only = queryValue(req, 'district');
    const data = [...ctx.districtTokens.entries()]
      .filter(([, d]) => only === undefined || ctx.ids.districtId(d) === only)
      .map(([token, d]) => ({
        id: ctx.ids.id(d, 'token', 0),
        created: d.createdAt,
        owner: { type: 'district', id: ctx.ids.districtId(d) },
        access_token: token,
        scopes: DISTRICT_SCOPES,
      }));
    return reply.send({ data, links: [{ rel: 'self', uri: `/oauth/tokens?owner_type=district${only ? `&district=${only}` : ''}` }] });
  });
}

export const DISTRICT_SCOPES = [
  'read:district_admins',
  'read:districts',
  'read:resources',
  'read:school_admins',
  'read:schools',
  'read:sections',
  'read:student_contacts',
  'read:students',
  'read:teachers',
  'read:user_id',
];

/** OIDC claims for a signed-in user (id_token and /userinfo share them). */
export function identityClaims(ctx: CleverContext, user: SignedInUser): Record<string, unknown> {
  const person = user.district.person(user.kind, user.index);
  const id = ctx.ids.id(user.district, user.kind, user.index);
  const legacyKind = user.role === 'staff' ? 'staff' : user.kind;
  const claims: Record<string, unknown> = {
    sub: id,
    user_id: ctx.ids.legacyId(user.district, legacyKind, legacyKind === user.kind ? user.index : 100000 + user.index),
    multi_role_user_id: id,
    user_type: user.role,
    district: ctx.ids.districtId(user.district),
    email_verified: false,
    given_name: person?.givenName ?? '',
    family_name: person?.familyName ?? '',
  };
  if (person?.email) claims['email'] = person.email;
  return claims;
}

function idTokenClaims(ctx: CleverContext, code: SignedInUser & { nonce: string | undefined }, clientId: string): Record<string, unknown> {
  const iat = Math.floor(ctx.clock.nowMs() / 1000);
  return {
    iss: ctx.baseUrl,
    aud: clientId,
    iat,
    exp: iat + 3600,
    ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
    ...identityClaims(ctx, code),
  };
}
