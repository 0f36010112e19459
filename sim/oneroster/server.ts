import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimDistrict } from '../generator/district.ts';
import type { SimClock } from '../shared/clock.ts';
import type { FaultRegistry } from '../shared/faults.ts';
import { bodyField, isForm, parseBasicAuth, parseBearer, randomToken, safeEqual } from '../shared/http.ts';
import { resolve, type TenantView } from './collections.ts';
import { sendImsx } from './errors.ts';
import type { RecordType } from './filter.ts';
import { OneRosterIds } from './ids.ts';
import { NonceStore, verifyOAuth1 } from './oauth1.ts';
import { sendCollection, sendSingle, type QueryContext } from './query.ts';
import { OneRosterSerializer, type OrVersion } from './serialize.ts';

/**
 * A ClassLink Roster Server per tenant, at /roster/<tenantId>/…:
 *  - OneRoster 1.1 at ims/oneroster/v1p1, signed with two-legged OAuth 1.0a;
 *  - OneRoster 1.2 at ims/oneroster/rostering/v1p2, Bearer tokens from the
 *    client-credentials endpoint /roster/<tenantId>/token (HTTP Basic only).
 */
export interface RosterTenant {
  tenantId: string;
  district: SimDistrict;
  v11: { consumerKey: string; consumerSecret: string };
  v12: { clientId: string; clientSecret: string };
}

export const V11_PATH = 'ims/oneroster/v1p1';
export const V12_PATH = 'ims/oneroster/rostering/v1p2';
export const SCOPE_CORE = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly';
export const SCOPE_ROSTER = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';
const TOKEN_TTL_S = 3600;

interface BearerToken {
  tenantId: string;
  expiresAt: number;
  scopes: Set<string>;
}

export interface RosterServerOptions {
  tenants: readonly RosterTenant[];
  clock: SimClock;
  faults: FaultRegistry;
  baseUrl: () => string;
}

export function rosterBaseUrl(base: string, tenantId: string, version: OrVersion): string {
  return `${base}/roster/${encodeURIComponent(tenantId)}/${version === '1.1' ? V11_PATH : V12_PATH}`;
}

export function registerRosterServer(app: FastifyInstance, opts: RosterServerOptions): { expireTokens(): void } {
  const nonces = new NonceStore(opts.clock);
  const bearers = new Map<string, BearerToken>();
  const views = new Map<string, Record<OrVersion, TenantView>>();
  for (const t of opts.tenants) {
    const ids = new OneRosterIds(t.district);
    const view = (version: OrVersion): TenantView => ({
      district: t.district,
      ids,
      ser: new OneRosterSerializer(t.district, ids, version, () => rosterBaseUrl(opts.baseUrl(), t.tenantId, version)),
    });
    views.set(t.tenantId, { '1.1': view('1.1'), '1.2': view('1.2') });
  }
  const tenant = (id: string) => opts.tenants.find((t) => t.tenantId === id);

  app.post<{ Params: { tenant: string } }>('/roster/:tenant/token', async (req, reply) => {
    const t = tenant(req.params.tenant);
    if (t === undefined) return reply.code(404).send({ error: 'not_found' });
    if (!isForm(req)) return reply.code(400).send({ error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
    const basic = parseBasicAuth(req.headers.authorization);
    if (basic === null || opts.faults.revoked || basic.user !== t.v12.clientId || !safeEqual(basic.password, t.v12.clientSecret)) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed (HTTP Basic required)' });
    }
    if (bodyField(req.body, 'grant_type') !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    }
    const requested = (bodyField(req.body, 'scope') ?? '').split(/\s+/).filter((s) => s !== '');
    const granted = requested.length === 0 ? [SCOPE_CORE, SCOPE_ROSTER] : requested.filter((s) => s === SCOPE_CORE || s === SCOPE_ROSTER);
    if (granted.length === 0) return reply.code(400).send({ error: 'invalid_scope', error_description: 'no supported scope requested' });
    const token = randomToken(24);
    bearers.set(token, { tenantId: t.tenantId, expiresAt: opts.clock.nowMs() + TOKEN_TTL_S * 1000, scopes: new Set(granted) });
    return reply.send({ access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_S, scope: granted.join(' ') });
  });

  const handle = (version: OrVersion) => async (req: FastifyRequest<{ Params: { tenant: string; '*': string } }>, reply: FastifyReply) => {
    const t = tenant(req.params.tenant);
    if (t === undefined) return sendImsx(reply, 404, 'unknownobject', 'unknown tenant');
    const segments = (req.params['*'] ?? '')
      .split('/')
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    if (opts.faults.revoked) return sendImsx(reply, 401, 'unauthorisedrequest', 'credentials revoked');
    if (version === '1.1') {
      const result = verifyOAuth1(req, (key) => (key === t.v11.consumerKey ? t.v11.consumerSecret : undefined), opts.clock, nonces);
      if (!result.ok) return sendImsx(reply, 401, 'unauthorisedrequest', `OAuth 1.0a: ${result.reason}`);
    } else {
      const token = bearers.get(parseBearer(req.headers.authorization) ?? '');
      if (token === undefined || token.tenantId !== t.tenantId || token.expiresAt <= opts.clock.nowMs()) {
        return sendImsx(reply, 401, 'unauthorisedrequest', 'missing, invalid or expired bearer token');
      }
      // roster-core covers the getAll*/get* endpoints; relationship endpoints need roster.readonly.
      const needsFull = segments.length > 2;
      if (!token.scopes.has(SCOPE_ROSTER) && (needsFull || !token.scopes.has(SCOPE_CORE))) {
        return sendImsx(reply, 403, 'forbidden', 'token scope does not cover this endpoint');
      }
    }
    const view = views.get(t.tenantId)![version];
    const resolution = resolve(view, segments);
    if (resolution === null) return sendImsx(reply, 404, 'unknownobject', `unknown endpoint /${segments.join('/')}`);
    const ctx: QueryContext = { version, createdAt: t.district.createdAt, faults: opts.faults };
    if (resolution.kind === 'not-found') return sendImsx(reply, 404, 'unknownobject', resolution.message);
    if (resolution.kind === 'single') {
      // Singleton keys are the record type names (user, org, class, …).
      return sendSingle(req, reply, resolution.key, resolution.record, resolution.key as RecordType, ctx);
    }
    return sendCollection(req, reply, resolution.source, ctx);
  };

  app.get(`/roster/:tenant/${V11_PATH}/*`, handle('1.1'));
  app.get(`/roster/:tenant/${V12_PATH}/*`, handle('1.2'));
  return { expireTokens: () => bearers.clear() };
}
