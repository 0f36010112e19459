import type { ProviderKind } from '../../providers/roster-provider.ts';

export type IntegrationStatus = 'active' | 'needs_attention' | 'disabled';

export interface CleverSettings {
  readonly cleverDistrictId: string;
}
export interface ClassLinkSettings {
  readonly tenantId: string;
  readonly rosterServerUrl: string;
  readonly oneRosterVersion: '1.1' | '1.2';
}

export interface Integration {
  readonly id: string;
  readonly districtId: string;
  readonly districtName: string;
  readonly provider: ProviderKind;
  /** Clever district id or ClassLink tenant id: the namespace of every external id. */
  readonly tenantKey: string;
  readonly status: IntegrationStatus;
  readonly statusReason: string | null;
  readonly settings: CleverSettings | ClassLinkSettings;
  readonly lastTestAt: Date | null;
  readonly lastTestResult: Record<string, unknown> | null;
}

/** Decrypted credentials exist only in memory, only while calling the provider. */
export type IntegrationCredentials =
  | { readonly provider: 'clever'; readonly districtToken: string }
  | { readonly provider: 'classlink'; readonly clientId: string; readonly clientSecret: string };

export interface SchoolMapping {
  readonly externalId: string;
  readonly name: string;
  readonly schoolId: string | null;
}
