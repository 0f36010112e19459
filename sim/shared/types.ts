/** An OAuth client registered at a simulated provider. */
export interface SimClient {
  clientId: string;
  clientSecret: string;
  /** Exact-match redirect URIs; the first is where portal/LaunchPad launches land. */
  redirectUris: string[];
}

export type ProviderName = 'clever' | 'classlink';
