import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jwks } from '../shared/jwt.ts';
import { authenticate, SCOPE_MESSAGE, sendError } from './api-support.ts';
import type { CleverContext } from './context.ts';
import { identityClaims } from './oauth.ts';

/**
 * OpenID Connect discovery, signing keys and /userinfo. The issuer is the
 * simulator's own base URL (Clever's is https://clever.com), so relying
 * parties that check `iss` against discovery work unchanged.
 */
export const JWKS_PATH = '/oauth/jwks';

export function registerOidc(app: FastifyInstance, ctx: CleverContext): void {
  app.get('/.well-known/openid-configuration', async () => ({
    issuer: ctx.baseUrl,
    authorization_endpoint: `${ctx.baseUrl}/oauth/authorize`,
    token_endpoint: `${ctx.baseUrl}/oauth/tokens`,
    userinfo_endpoint: `${ctx.baseUrl}/userinfo`,
    jwks_uri: `${ctx.baseUrl}${JWKS_PATH}`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    scopes_supported: ['openid'],
    claims_supported: [
      'iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'user_id', 'multi_role_user_id', 'user_type',
      'district', 'email', 'email_verified', 'given_name', 'family_name',
    ],
  }));

  app.get(JWKS_PATH, async () => jwks(ctx.signingKey));

  const userinfo = async (req: FastifyRequest, reply: FastifyReply) => {
    const principal = authenticate(ctx, req, reply);
    if (principal === null) return reply;
    if (principal.type !== 'user') return sendError(reply, 403, SCOPE_MESSAGE);
    const user = principal.user;
    const person = user.district.person(user.kind, user.index);
    const claims = identityClaims(ctx, user);
    return reply.send({
      ...claims,
      district_id: claims['district'],
      name: { first: person?.givenName ?? '', last: person?.familyName ?? '', middle: person?.middleName ?? '' },
      schools: person?.school === null || person?.school === undefined ? [] : [ctx.ids.id(user.district, 'school', person.school)],
      authorized_by: 'district',
    });
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);
}
