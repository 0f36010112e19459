import type { EnrollmentRole, GradeCode, UserKind } from './model.ts';

/**
 * Everything that changed since generation. Generated records are recomputed
 * on demand, so the overlay is the only state that grows — and it grows with
 * the number of changes applied, never with district size.
 */

export interface PersonPatch {
  givenName?: string;
  familyName?: string;
  email?: string | null;
  grade?: GradeCode;
  modifiedAt: string;
}

export interface AddedPerson {
  school: number;
  givenName: string;
  familyName: string;
  email: string | null;
  grade: GradeCode | null;
  createdAt: string;
}

export interface SectionPatch {
  deletedAt?: string;
  modifiedAt: string;
}

export interface AddedEnrollment {
  seq: number;
  section: number;
  role: EnrollmentRole;
  user: number;
  createdAt: string;
  modifiedAt: string;
  active: boolean;
}


function memberKey(role: EnrollmentRole, user: number): string {
  return `${role === 'student' ? 's' : 't'}:${user}`;
}

export class Overlay {
  readonly persons = new Map<string, PersonPatch>();
  readonly added: Record<'student' | 'teacher', AddedPerson[]> = { student: [], teacher: [] };
  readonly sections = new Map<number, SectionPatch>();
  readonly terms = new Map<number, { endDate: string; modifiedAt: string }>();
  /** section -> member key -> removal time, for generated memberships only. */
  readonly removedBase = new Map<number, Map<string, string>>();
  readonly enrollments: AddedEnrollment[] = [];
  private readonly enrollmentsBySection = new Map<number, number[]>();
  private readonly enrollmentsByUser = new Map<string, number[]>();

  personPatch(kind: UserKind, index: number): PersonPatch | undefined {
    return this.persons.get(`${kind}:${index}`);
  }

  patchPerson(kind: UserKind, index: number, patch: PersonPatch): void {
    const key = `${kind}:${index}`;
    this.persons.set(key, { ...this.persons.get(key), ...patch });
  }

  isBaseRemoved(section: number, role: EnrollmentRole, user: number): string | undefined {
    return this.removedBase.get(section)?.get(memberKey(role, user));
  }

  removeBase(section: number, role: EnrollmentRole, user: number, at: string): void {
    let bySection = this.removedBase.get(section);
    if (bySection === undefined) {
      bySection = new Map();
      this.removedBase.set(section, bySection);
    }
    bySection.set(memberKey(role, user), at);
  }

  addEnrollment(section: number, role: EnrollmentRole, user: number, at: string): AddedEnrollment {
    const enrollment: AddedEnrollment = {
      seq: this.enrollments.length,
      section,
      role,
      user,
      createdAt: at,
      modifiedAt: at,
      active: true,
    };
    this.enrollments.push(enrollment);
    const bySection = this.enrollmentsBySection.get(section) ?? [];
    bySection.push(enrollment.seq);
    this.enrollmentsBySection.set(section, bySection);
    const userKey = memberKey(role, user);
    const byUser = this.enrollmentsByUser.get(userKey) ?? [];
    byUser.push(enrollment.seq);
    this.enrollmentsByUser.set(userKey, byUser);
    return enrollment;
  }

  addedForSection(section: number): AddedEnrollment[] {
    return (this.enrollmentsBySection.get(section) ?? []).map((seq) => this.enrollments[seq]!);
  }

  addedForUser(role: EnrollmentRole, user: number): AddedEnrollment[] {
    return (this.enrollmentsByUser.get(memberKey(role, user)) ?? []).map((seq) => this.enrollments[seq]!);
  }

  /** Active overlay enrollment of this member in this section, if any. */
  activeAdded(section: number, role: EnrollmentRole, user: number): AddedEnrollment | undefined {
    return this.addedForSection(section).find((e) => e.active && e.role === role && e.user === user);
  }
}
