import { createCleverProvider, type CleverProviderConfig } from './clever/clever-provider.ts';
import { createOneRosterProvider, type OneRosterProviderConfig } from './oneroster/oneroster-provider.ts';
import type { RosterProvider } from './roster-provider.ts';

/**
 * The one entry point core code uses to get an adapter: ClassLink speaks
 * OneRoster (1.1 with OAuth 1.0a, or 1.2 with OAuth 2), Clever its Data API v3.0.
 */
export type RosterProviderConfig = ({ readonly kind: 'clever' } & CleverProviderConfig) | ({ readonly kind: 'classlink' } & OneRosterProviderConfig);

export function createRosterProvider(config: RosterProviderConfig): RosterProvider {
  switch (config.kind) {
    case 'clever':
      return createCleverProvider(config);
    case 'classlink':
      return createOneRosterProvider(config);
  }
}

export type { CleverProviderConfig } from './clever/clever-provider.ts';
export type { OneRosterProviderConfig, OneRosterVersion } from './oneroster/oneroster-provider.ts';
export type { HttpOptions, RequestInfo } from './http-client.ts';
export * from './roster-provider.ts';
