import type { ProviderKind } from '../../providers/roster-provider.ts';
import type { Role } from '../accounts/accounts.types.ts';
import type { IntegrationStatus } from '../integrations/integrations.types.ts';

/** The five checks of PRODUCT.md's "Why can't I see Add from Rostering Service?", in order. */
export type CheckId = 'integration' | 'license' | 'invitation' | 'linked' | 'sections';
export const CHECK_ORDER: readonly CheckId[] = ['integration', 'license', 'invitation', 'linked', 'sections'];

/** 'unknown': Rollcall could not decide (the provider did not answer; no district to look at). */
export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'unknown';
export type Fixer = 'teacher' | 'license_admin' | 'district_it' | 'support';

export interface Person {
  readonly name: string;
  readonly email: string | null;
}

export interface Action {
  readonly label: string;
  /** A same-site path. */
  readonly href: string;
}

export interface NextStep {
  readonly text: string;
  readonly action?: Action;
  /** Other ways to do the same (e.g. Connect ClassLink beside Connect Clever). */
  readonly alternatives?: readonly Action[];
}

export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly title: string;
  readonly detail: string;
}

/** One section the provider returned for the teacher (when every check passes). */
export interface DiagnosedSection {
  readonly provider: ProviderKind;
  readonly externalId: string;
  readonly name: string;
  readonly term: string | null;
  readonly period: string | null;
  readonly subject: string | null;
  readonly studentCount: number | null;
}

export interface Diagnosis {
  readonly subject: { readonly userId: string | null; readonly name: string | null; readonly email: string | null; readonly role: Role | null };
  readonly district: { readonly id: string; readonly name: string } | null;
  readonly ok: boolean;
  readonly firstFailure: CheckId | null;
  readonly checks: readonly CheckResult[];
  readonly fixer: Fixer | null;
  /** The person to ask, by name and email, when Rollcall knows them (license admin, district admin). */
  readonly fixerContact: Person | null;
  readonly nextStep: NextStep;
  /** What the provider returned, when every check passes. */
  readonly sections?: readonly DiagnosedSection[];
  readonly checkedAt: Date;
}

// ---- Facts the service gathers (fresh from the database) for the pure checks ----

export interface SubjectUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
  readonly hasPassword: boolean;
}

export interface MembershipFact {
  readonly memberId: string;
  readonly licenseId: string;
  readonly licenseName: string;
  readonly schoolName: string | null;
  readonly districtId: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly invitedAt: Date;
  readonly acceptedAt: Date | null;
  readonly removedAt: Date | null;
  readonly lastSentAt: Date | null;
  readonly invitationExpiresAt: Date | null;
  readonly invitedByName: string | null;
}

export interface IntegrationFact {
  readonly id: string;
  readonly provider: ProviderKind;
  readonly tenantKey: string;
  readonly status: IntegrationStatus;
  readonly statusReason: string | null;
}

export interface IdentityFact {
  readonly provider: ProviderKind;
  readonly tenantKey: string;
  readonly externalId: string;
  readonly lastSignInAt: Date | null;
}

export interface DistrictFacts {
  readonly district: { readonly id: string; readonly name: string };
  readonly integrations: readonly IntegrationFact[];
  /** The subject's memberships (any state, removed too) in this district's licenses. */
  readonly memberships: readonly MembershipFact[];
  readonly licenseAdmins: readonly (Person & { readonly licenseId: string })[];
  readonly districtAdmins: readonly Person[];
  /** The subject's identities on this district's integrations. */
  readonly identities: readonly IdentityFact[];
}

export interface SubjectFacts {
  /** null: an invited member who has not created an account yet. */
  readonly user: SubjectUser | null;
  readonly email: string | null;
  /** The subject has at least one provider identity anywhere (a way to sign in without a password). */
  readonly hasAnyIdentity: boolean;
  readonly districts: readonly DistrictFacts[];
  readonly today: string;
  readonly now: Date;
  /** Providers whose sign-in is configured, so "Connect …" buttons work. */
  readonly connectable: readonly ProviderKind[];
  /** Buttons that act on the signed-in person's own account are offered only to them. */
  readonly forSelf: boolean;
}

/** The live answer of one provider for one linked identity. */
export type LiveOutcome =
  | { readonly provider: ProviderKind; readonly kind: 'sections'; readonly sections: readonly DiagnosedSection[] }
  | { readonly provider: ProviderKind; readonly kind: 'refused'; readonly message: string }
  | { readonly provider: ProviderKind; readonly kind: 'unreachable'; readonly message: string };
