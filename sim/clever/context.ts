import type { SimDistrict } from '../generator/district.ts';
import type { UserKind } from '../generator/model.ts';
import type { SimClock } from '../shared/clock.ts';
import type { FaultRegistry } from '../shared/faults.ts';
import type { SigningKey } from '../shared/jwt.ts';
import type { SimClient } from '../shared/types.ts';
import type { CleverEventStore } from './events.ts';
import type { CleverIds } from './ids.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { CleverSerializer } from './serialize.ts';

/** The role a user signed in as (Clever's user_type); multi-role users pick one. */
export type LoginRole = 'student' | 'teacher' | 'staff' | 'district_admin';

export interface SignedInUser {
  district: SimDistrict;
  kind: UserKind;
  index: number;
  role: LoginRole;
}

export interface AuthCode extends SignedInUser {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  expiresAt: number;
  used: boolean;
}

export interface UserToken extends SignedInUser {
  clientId: string;
  issuedAt: number;
}

/** Everything the Clever simulator's route modules share. */
export interface CleverContext {
  clock: SimClock;
  districts: readonly SimDistrict[];
  clients: SimClient[];
  ids: CleverIds;
  serializer: CleverSerializer;
  events: CleverEventStore;
  faults: FaultRegistry;
  rateLimiter: RateLimiter;
  signingKey: SigningKey;
  oidcEnabled: boolean;
  /** Base URL once listening (issuer, absolute links). */
  baseUrl: string;
  codes: Map<string, AuthCode>;
  userTokens: Map<string, UserToken>;
  /** district-app token -> district */
  districtTokens: Map<string, SimDistrict>;
  /** simulated browser sessions at "clever.com" */
  sessions: Map<string, SignedInUser>;
}

export const SESSION_COOKIE = 'clever_sim_session';
export const CODE_TTL_MS = 60_000;
