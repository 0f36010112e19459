import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import type { ProviderProfile } from '../domain/identities/linking.service.ts';
import { asSignInError, getJson, insecureIfHttp } from './oauth-config.ts';
import { SignInError, type FlowSecrets, type SignInStrategy } from './provider-signin.types.ts';

interface MyInfo {
  SourcedId?: unknown;
  TenantId?: unknown;
  Role?: unknown;
  FirstName?: unknown;
  LastName?: unknown;
  Email?: unknown;
}

/**
 * RFC 7636 S256: BASE64URL(SHA-256(verifier)), as oidc.calculatePKCECodeChallenge
 * computes it, but with node:crypto in the same tick instead of WebCrypto's
 * async digest (a thread-pool hop per sign-in start).
 */
export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * ClassLink LaunchPad: OpenID Connect from the discovery document, with
 * state, nonce and PKCE (S256), client_secret_post as ClassLink's samples
 * use. The id_token is verified by openid-client; identity is keyed by
 * (TenantId, SourcedId) from /v2/my/info, the OneRoster id rosters use.
 */
export function createClassLinkSignIn(options: { launchpadUrl: string; apiUrl: string; clientId: string; clientSecret: string; redirectUri: string }): SignInStrategy {
  let configuration: Promise<oidc.Configuration> | undefined;
  const config = () =>
    (configuration ??= oidc
      .discovery(new URL(options.launchpadUrl), options.clientId, { client_secret: options.clientSecret }, oidc.ClientSecretPost(options.clientSecret), insecureIfHttp(options.launchpadUrl))
      .catch((error: unknown) => {
        configuration = undefined; // try discovery again next time
        throw asSignInError(error, 'ClassLink');
      }));

  return {
    provider: 'classlink',
    label: 'ClassLink',
    uses: { pkce: true, nonce: true },
    async authorizationUrl(secrets: FlowSecrets) {
      return oidc.buildAuthorizationUrl(await config(), {
        response_type: 'code',
        redirect_uri: options.redirectUri,
        scope: 'openid profile email oneroster',
        state: secrets.state,
        nonce: secrets.nonce!,
        code_challenge: pkceChallenge(secrets.codeVerifier!),
        code_challenge_method: 'S256',
      });
    },
    async complete(callbackUrl, secrets): Promise<ProviderProfile> {
      let accessToken: string;
      try {
        const tokens = await oidc.authorizationCodeGrant(
          await config(),
          callbackUrl,
          { expectedState: secrets.state, expectedNonce: secrets.nonce!, pkceCodeVerifier: secrets.codeVerifier!, idTokenExpected: true },
          { redirect_uri: options.redirectUri },
        );
        accessToken = tokens.access_token;
      } catch (error) {
        throw asSignInError(error, 'ClassLink');
      }
      const info = (await getJson(`${options.apiUrl}/v2/my/info`, accessToken, 'ClassLink')) as MyInfo;
      const sourcedId = text(info?.SourcedId).trim();
      const tenantId = text(info?.TenantId).trim();
      if (!sourcedId || !tenantId) {
        throw new SignInError('missing_identity', 'ClassLink did not give your roster id (SourcedId). Your district must roster your account in ClassLink before you can sign in.');
      }
      const role = text(info.Role).toLowerCase();
      return {
        provider: 'classlink',
        tenantKey: tenantId,
        externalId: sourcedId,
        role: role === 'student' ? 'student' : role === 'teacher' ? 'teacher' : role.includes('admin') ? 'administrator' : 'staff',
        givenName: text(info.FirstName),
        familyName: text(info.LastName),
        email: text(info.Email) || null,
      };
    },
  };
}
