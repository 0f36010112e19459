/**
 * The port every rostering provider adapter implements. Core code (classes,
 * sync, diagnostics) speaks only these canonical records and checks
 * `capabilities`, never a vendor's name.
 */
export type ProviderKind = 'clever' | 'classlink';

export interface CanonicalDistrict {
  readonly externalId: string;
  readonly name: string;
}

export interface CanonicalSchool {
  readonly externalId: string;
  readonly name: string;
}

export type PersonRole = 'student' | 'teacher' | 'staff' | 'administrator';

export interface CanonicalPerson {
  readonly externalId: string;
  /** Every role the provider gives this record (Clever users can be teacher + staff). */
  readonly roles: readonly PersonRole[];
  readonly givenName: string;
  readonly familyName: string;
  /** Not verified, not unique, often missing for students: never a key. */
  readonly email: string | null;
  /** Normalised grade: 'K', '1'…'13', 'PK', 'Other', or null. */
  readonly grade: string | null;
  readonly schoolIds: readonly string[];
  readonly active: boolean;
}

export interface CanonicalTerm {
  readonly externalId: string;
  readonly name: string;
  /** YYYY-MM-DD or null when the provider does not say. */
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface CanonicalSection {
  readonly externalId: string;
  readonly name: string;
  readonly schoolId: string | null;
  readonly courseName: string | null;
  readonly subject: string | null;
  readonly period: string | null;
  readonly term: CanonicalTerm | null;
  /** All teachers, primary first. */
  readonly teacherIds: readonly string[];
  /** Present when the provider lists students on the section itself (Clever), else null. */
  readonly studentIds: readonly string[] | null;
  /** 'deleted' = OneRoster tobedeleted / Clever sections.deleted. */
  readonly status: 'active' | 'deleted';
}

export interface ProviderCapabilities {
  /** How changes can be read incrementally: an event feed with a cursor, a modified-since filter, or none. */
  readonly changeFeed: 'events' | 'modified-since' | 'none';
  /** The provider answers "sections this teacher teaches" in one call. */
  readonly teacherSections: boolean;
  /** Sections carry their student ids, so a roster needs no extra call per section. */
  readonly inlineSectionStudents: boolean;
}

export interface ConnectionReport {
  readonly district: CanonicalDistrict;
  readonly schools: number;
  readonly teachers: number;
  readonly sections: number;
  readonly students: number;
}

export type ChangeRecord =
  | { readonly kind: 'person'; readonly action: 'upsert' | 'delete'; readonly person: CanonicalPerson }
  | { readonly kind: 'section'; readonly action: 'upsert' | 'delete'; readonly section: CanonicalSection }
  | {
      readonly kind: 'enrollment';
      readonly action: 'upsert' | 'delete';
      readonly sectionId: string;
      readonly personId: string;
      readonly role: 'student' | 'teacher';
      /** When the provider last changed this record; orders two records for the same pair. */
      readonly at?: string;
    }
  | { readonly kind: 'term'; readonly action: 'upsert' | 'delete'; readonly term: CanonicalTerm };

export interface ChangePage {
  readonly changes: readonly ChangeRecord[];
  /** Opaque cursor to resume after this page (Clever: last event id; OneRoster: high-water mark). */
  readonly cursor: string;
  /** Records the adapter skipped as malformed, with a reason (no personal data). */
  readonly warnings: readonly string[];
}

export interface RosterProvider {
  readonly kind: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  /** Counts what the provider shares; throws ProviderError with the exact failure. */
  testConnection(): Promise<ConnectionReport>;
  district(): Promise<CanonicalDistrict>;
  schools(): Promise<CanonicalSchool[]>;
  /** Every section in which this person is a teacher (live, for the import page). */
  sectionsForTeacher(teacherExternalId: string): Promise<CanonicalSection[]>;
  section(externalId: string): Promise<CanonicalSection | null>;
  /** All students of one section, following every page. */
  studentsOfSection(sectionExternalId: string): Promise<CanonicalPerson[]>;
  person(externalId: string): Promise<CanonicalPerson | null>;
  /** Full reconciliation: every section, paged. */
  allSections(): AsyncIterable<CanonicalSection[]>;
  /** Full reconciliation: every student, paged. */
  allStudents(): AsyncIterable<CanonicalPerson[]>;
  /**
   * Full reconciliation: every active student enrollment, paged. Providers with
   * inline section students derive it from the sections; others read their
   * enrollments collection once (O(pages), never a call per class).
   */
  allStudentEnrollments(): AsyncIterable<readonly { readonly sectionId: string; readonly personId: string }[]>;
  /** The cursor that means "now", taken before a full sync so the next delta starts there. */
  currentCursor(): Promise<string>;
  /** Changes after `cursor`, paged. */
  changesSince(cursor: string): AsyncIterable<ChangePage>;
}

export type ProviderErrorKind = 'auth' | 'rate_limited' | 'unavailable' | 'bad_data' | 'not_found' | 'not_permitted';

/** The only error adapters throw; messages name the failure, never tokens or personal data. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: { readonly status?: number; readonly retryAfterMs?: number; readonly provider?: ProviderKind } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
