import type { ProviderProfile } from '../domain/identities/linking.service.ts';
import type { ProviderKind } from '../providers/roster-provider.ts';

export interface FlowSecrets {
  readonly state: string;
  readonly nonce: string | null;
  readonly codeVerifier: string | null;
}

/** One provider's "Log in with …" protocol: where to send the browser, and how to read who came back. */
export interface SignInStrategy {
  readonly provider: ProviderKind;
  readonly label: string;
  /** Which per-flow secrets this provider supports (PKCE and nonce only where documented). */
  readonly uses: { readonly pkce: boolean; readonly nonce: boolean };
  authorizationUrl(secrets: FlowSecrets, hints: { districtId?: string }): Promise<URL>;
  /** Exchanges the code (once; never retried) and asks the provider who signed in. */
  complete(callbackUrl: URL, secrets: FlowSecrets): Promise<ProviderProfile>;
}

export class SignInError extends Error {
  constructor(
    readonly reason: 'provider_denied' | 'code_rejected' | 'provider_unavailable' | 'missing_identity' | 'bad_response',
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}
