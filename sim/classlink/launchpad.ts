import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimClock } from '../shared/clock.ts';
import type { FaultRegistry } from '../shared/faults.ts';
import { errorPage, escapeHtml, hiddenInputs, page } from '../shared/html.ts';
import {
  bodyField,
  isForm,
  clearCookie,
  parseBasicAuth,
  parseBearer,
  parseCookies,
  queryValue,
  randomToken,
  safeEqual,
  sessionCookie,
  withQuery,
} from '../shared/http.ts';
import { jwks, signJwt, type SigningKey } from '../shared/jwt.ts';
import type { SimClient } from '../shared/types.ts';
import type { RosterTenant } from '../oneroster/server.ts';
import { identityClaims, myInfo, resolveUserRef, roleName, userId, type ClassLinkUser } from './identity.ts';

/**
 * ClassLink LaunchPad sign-in: OAuth 2.0 authorization code + OpenID Connect
 * (authorize, token, discovery, JWKS) and the nodeapi /v2/my/info record.
 * LaunchPad launches (a tile click) land on the app's first redirect URI with
 * a code and no state.
 */
export interface LaunchPadOptions {
  clock: SimClock;
  tenants: readonly RosterTenant[];
  clients: SimClient[];
  faults: FaultRegistry;
  signingKey: SigningKey;
  baseUrl: () => string;
}

interface Code {
  user: ClassLinkUser;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: { value: string; method: 'S256' | 'plain' } | undefined;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

interface Session {
  user: ClassLinkUser;
  authTime: number;
}

const SESSION_COOKIE = 'classlink_sim_session';
const CODE_TTL_MS = 5 * 60_000;
const ACCESS_TTL_MS = 24 * 60 * 60_000;
const LIST_LIMIT = { teacher: 60, student: 40, staff: 20, admin: 5 } as const;

export interface LaunchPadState {
  logoutAll(): void;
}

export function registerLaunchPad(app: FastifyInstance, opts: LaunchPadOptions): LaunchPadState {
  const codes = new Map<string, Code>();
  const tokens = new Map<string, { user: ClassLinkUser; expiresAt: number }>();
  const sessions = new Map<string, Session>();
  const base = opts.baseUrl;

  const findClient = (id: string | undefined) => opts.clients.find((c) => c.clientId === id);
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const sessionOf = (req: FastifyRequest) => {
    const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    return sid === undefined ? undefined : sessions.get(sid);
  };
  const startSession = (reply: FastifyReply, user: ClassLinkUser): Session => {
    const sid = randomToken(16);
    const session = { user, authTime: Math.floor(opts.clock.nowMs() / 1000) };
    sessions.set(sid, session);
    reply.header('set-cookie', sessionCookie(SESSION_COOKIE, sid));
    return session;
  };
  const issue = (session: Session, client: SimClient, redirectUri: string, nonce?: string, challenge?: Code['challenge']) => {
    const code = randomToken(16);
    codes.set(code, { user: session.user, clientId: client.clientId, redirectUri, nonce, challenge, authTime: session.authTime, expiresAt: opts.clock.nowMs() + CODE_TTL_MS, used: false });
    return code;
  };

  interface AuthParams {
    client: SimClient;
    redirectUri: string;
    state?: string;
    nonce?: string;
    challenge?: Code['challenge'];
  }
  const validate = (get: (n: string) => string | undefined, reply: FastifyReply): AuthParams | null => {
    const client = findClient(get('client_id'));
    if (client === undefined) {
      html(reply, 400, errorPage('ClassLink — error', 'Unknown client_id.'));
      return null;
    }
    const redirectUri = get('redirect_uri');
    if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
      html(reply, 400, errorPage('ClassLink — error', 'redirect_uri does not match the application.'));
      return null;
    }
    const challenge = get('code_challenge');
    const method = get('code_challenge_method') ?? 'plain';
    return {
      client,
      redirectUri,
      ...(get('state') ? { state: get('state') } : {}),
      ...(get('nonce') ? { nonce: get('nonce') } : {}),
      ...(challenge ? { challenge: { value: challenge, method: method === 'S256' ? 'S256' : 'plain' } } : {}),
    };
  };
  const succeed = (reply: FastifyReply, session: Session, p: AuthParams) => {
    const code = issue(session, p.client, p.redirectUri, p.nonce, p.challenge);
    return reply.redirect(withQuery(p.redirectUri, { code, response_type: 'code', state: p.state }), 302);
  };

  const loginPage = (fields: Record<string, string | undefined>, action: string, heading: string): string => {
    const blocks = opts.tenants
      .map((t) => {
        const rows: string[] = [];
        for (const kind of ['teacher', 'student', 'staff', 'admin'] as const) {
          const n = Math.min(t.district.count(kind), LIST_LIMIT[kind]);
          for (let i = 0; i < n; i++) {
            const p = t.district.person(kind, i);
            if (p === undefined) continue;
            const id = String(userId(t.district, kind, i));
            rows.push(`<tr><td>${escapeHtml(`${p.givenName} ${p.familyName}`)}</td><td class="role">${roleName(kind)}</td><td>
<form class="pick" method="post" action="${action}">${hiddenInputs({ ...fields, user: id })}<button type="submit" data-user="${id}">Sign in as ${escapeHtml(`${p.givenName} ${p.familyName}`)}</button></form></td></tr>`);
          }
        }
        return `<h2>${escapeHtml(t.district.name)} <span class="role">tenant ${escapeHtml(t.tenantId)}</span></h2><table>${rows.join('\n')}</table>`;
      })
      .join('\n');
    const other = `<h2>Someone else</h2><form method="post" action="${action}">${hiddenInputs(fields)}<label>UserId or tenant:sourcedId <input name="user" size="30"></label> <button type="submit">Sign in</button></form>
<form method="post" action="${action}">${hiddenInputs({ ...fields, action: 'cancel' })}<button type="submit">Cancel</button></form>`;
    return page('ClassLink LaunchPad (simulated)', `<h1>${escapeHtml(heading)}</h1>${blocks}${other}`);
  };

  app.get('/oauth2/v2/auth', async (req, reply) => {
    const get = (n: string) => queryValue(req, n);
    const p = validate(get, reply);
    if (p === null) return reply;
    if (get('response_type') !== 'code') return reply.redirect(withQuery(p.redirectUri, { error: 'unsupported_response_type', state: p.state }), 302);
    const session = sessionOf(req);
    if (session !== undefined) return succeed(reply, session, p);
    const fields = {
      client_id: p.client.clientId, redirect_uri: p.redirectUri, response_type: 'code', scope: get('scope'), state: p.state, nonce: p.nonce,
      code_challenge: p.challenge?.value, code_challenge_method: p.challenge?.method,
    };
    return html(reply, 200, loginPage(fields, '/oauth2/v2/auth', 'Sign in to ClassLink'));
  });

  app.post('/oauth2/v2/auth', async (req, reply) => {
    const get = (n: string) => bodyField(req.body, n);
    const p = validate(get, reply);
    if (p === null) return reply;
    if (get('action') === 'cancel') return reply.redirect(withQuery(p.redirectUri, { error: 'access_denied', state: p.state }), 302);
    const user = resolveUserRef(opts.tenants, get('user') ?? '');
    if (user === null) return html(reply, 400, errorPage('ClassLink — error', 'Unknown user.'));
    return succeed(reply, startSession(reply, user), p);
  });

  // A LaunchPad tile click: sign the user in and land on the first redirect URI, no state.
  app.get('/sim/launchpad', async (req, reply) => {
    const client = findClient(queryValue(req, 'client_id') ?? opts.clients[0]?.clientId);
    if (client === undefined) return html(reply, 400, errorPage('ClassLink — error', 'Unknown client_id.'));
    const ref = queryValue(req, 'user');
    if (ref === undefined) {
      const fields = { client_id: client.clientId };
      return html(reply, 200, loginPage(fields, '/sim/launchpad', 'ClassLink LaunchPad (simulated)'));
    }
    const user = resolveUserRef(opts.tenants, ref);
    if (user === null) return html(reply, 400, errorPage('ClassLink — error', 'Unknown user.'));
    return succeed(reply, startSession(reply, user), { client, redirectUri: client.redirectUris[0] ?? '' });
  });
  app.post('/sim/launchpad', async (req, reply) => {
    const client = findClient(bodyField(req.body, 'client_id'));
    const user = resolveUserRef(opts.tenants, bodyField(req.body, 'user') ?? '');
    if (client === undefined || user === null) return html(reply, 400, errorPage('ClassLink — error', 'Unknown client or user.'));
    return succeed(reply, startSession(reply, user), { client, redirectUri: client.redirectUris[0] ?? '' });
  });

  app.get('/sim/logout', async (req, reply) => {
    const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (sid !== undefined) sessions.delete(sid);
    reply.header('set-cookie', clearCookie(SESSION_COOKIE));
    return html(reply, 200, page('Signed out', '<h1>Signed out of ClassLink (simulated)</h1>'));
  });

  app.post('/oauth2/v2/token', async (req, reply) => {
    // ClassLink documents a form-encoded token request; a JSON body would fail there, so it fails here.
    if (!isForm(req)) return reply.code(400).send({ error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
    const get = (n: string) => bodyField(req.body, n);
    const basic = parseBasicAuth(req.headers.authorization);
    const clientId = basic?.user ?? get('client_id');
    const secret = basic?.password ?? get('client_secret');
    const client = findClient(clientId);
    if (client === undefined || secret === undefined || opts.faults.revoked || !safeEqual(client.clientSecret, secret)) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const grantType = get('grant_type');
    if (grantType !== undefined && grantType !== 'authorization_code') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code' });
    }
    const invalid = (why: string) => reply.code(400).send({ error: 'invalid_grant', error_description: why });
    const code = codes.get(get('code') ?? '');
    if (code === undefined) return invalid('unknown code');
    if (code.used) return invalid('code already used');
    if (code.expiresAt < opts.clock.nowMs()) return invalid('code expired');
    if (code.clientId !== client.clientId) return invalid('code was issued to another client');
    const redirectUri = get('redirect_uri');
    if (redirectUri !== undefined && redirectUri !== code.redirectUri) return invalid('redirect_uri mismatch');
    if (code.challenge !== undefined) {
      const verifier = get('code_verifier');
      if (verifier === undefined) return invalid('code_verifier required');
      const computed = code.challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== code.challenge.value) return invalid('code_verifier does not match code_challenge');
    }
    code.used = true;
    const accessToken = randomToken(24);
    tokens.set(accessToken, { user: code.user, expiresAt: opts.clock.nowMs() + ACCESS_TTL_MS });
    const iat = Math.floor(opts.clock.nowMs() / 1000);
    const idToken = signJwt(opts.signingKey, {
      iss: base(),
      aud: client.clientId,
      iat,
      exp: iat + 3600,
      auth_time: code.authTime,
      ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
      ...identityClaims(code.user),
    });
    return reply.send({ access_token: accessToken, token_type: 'Bearer', response_type: 'code', id_token: idToken });
  });

  app.get('/.well-known/openid-configuration', async () => ({
    issuer: base(),
    authorization_endpoint: `${base()}/oauth2/v2/auth`,
    token_endpoint: `${base()}/oauth2/v2/token`,
    userinfo_endpoint: `${base()}/v2/my/profileinfo`,
    jwks_uri: `${base()}/oauth2/v2/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    scopes_supported: ['openid', 'profile', 'email', 'oneroster', 'full'],
    claims_supported: [
      'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'email', 'email_verified', 'name', 'given_name', 'family_name',
      'profile', 'address', 'login_hint', 'classLink_tenant_id', 'classLink_tenant_id_string', 'classLink_role',
      'classLink_role_level', 'classLink_sourcedId', 'classLink_org_sourcedids',
    ],
  }));
  app.get('/oauth2/v2/jwks', async () => jwks(opts.signingKey));

  const bearerUser = (req: FastifyRequest, reply: FastifyReply): ClassLinkUser | null => {
    const token = tokens.get(parseBearer(req.headers.authorization) ?? '');
    if (token === undefined || token.expiresAt <= opts.clock.nowMs() || opts.faults.revoked) {
      void reply.code(401).send({ error: 'invalid_token' });
      return null;
    }
    return token.user;
  };
  app.get('/v2/my/info', async (req, reply) => {
    const user = bearerUser(req, reply);
    return user === null ? reply : reply.send(myInfo(user, opts.clock.now().toISOString()));
  });
  app.get('/v2/my/profileinfo', async (req, reply) => {
    const user = bearerUser(req, reply);
    return user === null ? reply : reply.send(identityClaims(user));
  });

  return { logoutAll: () => sessions.clear() };
}
