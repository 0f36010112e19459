import * as oidc from 'openid-client';
import type { ProviderProfile } from '../domain/identities/linking.service.ts';
import { asSignInError, getJson } from './oauth-config.ts';
import { SignInError, type FlowSecrets, type SignInStrategy } from './provider-signin.types.ts';

interface CleverUser {
  id?: string;
  district?: string;
  name?: { first?: string; last?: string };
  email?: string;
  roles?: Record<string, unknown>;
}

/**
 * Clever Instant Login: authorization code with HTTP Basic client auth and
 * `state`. Clever documents neither PKCE nor a required nonce, so neither is
 * sent. Who signed in comes from /v3.0/me and /v3.0/users/{id} with the
 * user's own token (works with and without OIDC enabled).
 */
export function createCleverSignIn(options: { authUrl: string; apiUrl: string; clientId: string; clientSecret: string; redirectUri: string }): SignInStrategy {
  const config = new oidc.Configuration(
    {
      issuer: options.authUrl === 'https://clever.com' ? 'https://clever.com' : options.authUrl,
      authorization_endpoint: `${options.authUrl}/oauth/authorize`,
      token_endpoint: `${options.authUrl}/oauth/tokens`,
    },
    options.clientId,
    { client_secret: options.clientSecret },
    oidc.ClientSecretBasic(options.clientSecret),
  );
  if (options.authUrl.startsWith('http://')) oidc.allowInsecureRequests(config);

  return {
    provider: 'clever',
    label: 'Clever',
    uses: { pkce: false, nonce: false },
    async authorizationUrl(secrets: FlowSecrets, hints) {
      return oidc.buildAuthorizationUrl(config, {
        response_type: 'code',
        redirect_uri: options.redirectUri,
        state: secrets.state,
        ...(hints.districtId ? { district_id: hints.districtId } : {}),
      });
    },
    async complete(callbackUrl, secrets): Promise<ProviderProfile> {
      let accessToken: string;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { expectedState: secrets.state, idTokenExpected: false }, { redirect_uri: options.redirectUri });
        accessToken = tokens.access_token;
      } catch (error) {
        throw asSignInError(error, 'Clever');
      }
      const me = (await getJson(`${options.apiUrl}/v3.0/me`, accessToken, 'Clever')) as { data?: { id?: string; district?: string; type?: string } };
      const id = me?.data?.id;
      const district = me?.data?.district;
      if (typeof id !== 'string' || !id || typeof district !== 'string' || !district) {
        throw new SignInError('missing_identity', 'Clever did not say who signed in (no user or district id).');
      }
      const user = ((await getJson(`${options.apiUrl}/v3.0/users/${encodeURIComponent(id)}`, accessToken, 'Clever')) as { data?: CleverUser }).data ?? {};
      const roles = user.roles ?? {};
      const role = 'student' in roles ? 'student' : 'teacher' in roles ? 'teacher' : 'district_admin' in roles ? 'administrator' : 'staff';
      return {
        provider: 'clever',
        tenantKey: district,
        externalId: id,
        role,
        givenName: typeof user.name?.first === 'string' ? user.name.first : '',
        familyName: typeof user.name?.last === 'string' ? user.name.last : '',
        email: typeof user.email === 'string' ? user.email : null,
      };
    },
  };
}
