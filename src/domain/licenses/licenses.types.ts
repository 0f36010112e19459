export interface License {
  readonly id: string;
  readonly districtId: string;
  readonly districtName: string;
  readonly schoolId: string | null;
  readonly schoolName: string | null;
  readonly name: string;
  readonly seats: number;
  readonly seatsUsed: number;
  readonly startsOn: string;
  readonly endsOn: string;
}

/** 'linked': accepted, and connected to the district's Clever or ClassLink. */
export type MemberState = 'invited' | 'accepted' | 'complete' | 'linked';

export interface LicenseMember {
  readonly id: string;
  readonly licenseId: string;
  readonly email: string;
  readonly userId: string | null;
  readonly name: string | null;
  readonly invitedAt: Date;
  readonly acceptedAt: Date | null;
  readonly removedAt: Date | null;
  readonly lastSentAt: Date | null;
  readonly invitationExpiresAt: Date | null;
  /** Account complete = accepted, email verified, and the account can sign in. */
  readonly accountComplete: boolean;
}
