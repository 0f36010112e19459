import type { ProviderKind } from '../../providers/roster-provider.ts';

/** A district's request about one student, as support types it. */
export interface StudentRequest {
  /** District id or exact name. */
  readonly district: string;
  /** The provider's id for the student (Clever id, OneRoster sourcedId), their email, or their Rollcall id. */
  readonly student: string;
}

export interface StudentAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly grade: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastSignInAt: Date | null;
}

export interface StudentIdentity {
  readonly provider: ProviderKind;
  readonly tenantKey: string;
  readonly externalId: string;
  readonly createdAt: Date;
  readonly lastSignInAt: Date | null;
}

export interface StudentEnrollment {
  readonly classId: string;
  readonly className: string;
  readonly source: string;
  readonly schoolName: string | null;
  readonly term: string | null;
  readonly period: string | null;
  readonly teachers: string[];
  readonly status: 'active' | 'removed';
  readonly enrolledAt: Date;
  readonly removedAt: Date | null;
  readonly removedReason: string | null;
  readonly classArchived: boolean;
}

export interface StudentRosterChange {
  readonly at: Date;
  readonly classId: string;
  readonly className: string;
  readonly change: 'joined' | 'left' | 'returned';
  readonly trigger: string | null;
  readonly reason: string | null;
}

/** Everything Rollcall holds about one student account. */
export interface StudentRecord {
  readonly account: StudentAccount;
  readonly identities: StudentIdentity[];
  readonly enrollments: StudentEnrollment[];
  readonly rosterHistory: StudentRosterChange[];
  /** Sign-in sessions: when they started and end (never the session secret). */
  readonly sessions: { readonly createdAt: Date; readonly expiresAt: Date }[];
  /** Audit log entries about or by the student (ids and counts only, by design). */
  readonly auditEvents: { readonly at: Date; readonly action: string; readonly details: Record<string, unknown> }[];
  /** Sync runs whose held decisions name the student's id. */
  readonly syncRuns: { readonly id: string; readonly trigger: string; readonly status: string; readonly startedAt: Date }[];
}

export interface StudentExport {
  readonly district: { readonly id: string; readonly name: string };
  readonly exportedAt: Date;
  /** Usually one; a student rostered by both Clever and ClassLink has an account for each. */
  readonly students: StudentRecord[];
}

export interface StudentDeletion {
  readonly district: { readonly id: string; readonly name: string };
  readonly deletedAt: Date;
  readonly students: {
    readonly userId: string;
    readonly identitiesRemoved: number;
    readonly sessionsEnded: number;
    /** Kept, now pointing at the anonymised account, so class counts and history stay consistent. */
    readonly enrollmentsKept: number;
    readonly historyKept: number;
  }[];
}

/** What a deleted student's account is called from then on. */
export const DELETED_STUDENT_NAME = 'Deleted student';
