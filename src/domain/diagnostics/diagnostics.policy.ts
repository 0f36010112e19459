import type { Actor } from '../accounts/accounts.types.ts';

/** Where a person being diagnosed belongs: their current licenses and every district they touch. */
export interface SubjectScope {
  readonly userId: string | null;
  /** Licenses they are a current (not removed) member of, invited or accepted. */
  readonly licenseIds: readonly string[];
  /** Districts of their current memberships, of their provider identities, and of their account. */
  readonly districtIds: readonly string[];
}

/**
 * Who may see a person's diagnosis: the person; our support staff; the
 * administrator of a license they are on; an administrator of a district
 * they belong to. Anyone else gets "not found", so nothing leaks.
 */
export const diagnosisPolicy = {
  canDiagnose(actor: Actor, subject: SubjectScope): boolean {
    if (subject.userId !== null && actor.user.id === subject.userId) return true;
    if (actor.isOperator) return true;
    if (actor.licenseAdminOf.some((l) => subject.licenseIds.includes(l.id))) return true;
    return actor.districtAdminOf.some((d) => subject.districtIds.includes(d.id));
  },
  /** The districts of a person's diagnosis this actor may see: all for themselves and support, else their own. */
  visibleDistricts(actor: Actor, subjectId: string | null): 'all' | string[] {
    if (actor.isOperator || (subjectId !== null && actor.user.id === subjectId)) return 'all';
    return [...new Set([...actor.districtAdminOf.map((d) => d.id), ...actor.licenseAdminOf.map((l) => l.districtId)])];
  },
};

/** District consoles and the audit log: operators see every district, district admins their own. */
export const districtPolicy = {
  canView(actor: Actor, districtId: string): boolean {
    return actor.isOperator || actor.districtAdminOf.some((d) => d.id === districtId);
  },
};
