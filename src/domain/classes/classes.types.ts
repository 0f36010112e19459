import type { ClassSource } from '../../db/schema.ts';

export interface ClassTerm {
  readonly name: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface ClassRecord {
  readonly id: string;
  readonly name: string;
  readonly source: ClassSource;
  readonly districtId: string | null;
  readonly integrationId: string | null;
  readonly externalId: string | null;
  readonly schoolId: string | null;
  readonly schoolName: string | null;
  readonly courseName: string | null;
  readonly subject: string | null;
  readonly period: string | null;
  readonly term: ClassTerm | null;
  readonly lastSyncedAt: Date | null;
  readonly archivedAt: Date | null;
  readonly archivedReason: string | null;
}

export interface ClassSummary extends ClassRecord {
  /** Active students; null in a student's own list, which shows each class's name and teachers only. */
  readonly studentCount: number | null;
  readonly teachers: readonly { id: string; name: string }[];
}

/** The section metadata a rostered class mirrors. */
export interface SectionFields {
  readonly name: string;
  readonly schoolId: string | null;
  readonly courseName: string | null;
  readonly subject: string | null;
  readonly period: string | null;
  readonly term: ClassTerm | null;
  readonly termExternalId: string | null;
}
