import { isoDate, type SimClock } from '../shared/clock.ts';
import type { SimDistrict } from './district.ts';
import type { EnrollmentRole, GradeCode, RecordKind, UserKind } from './model.ts';

/**
 * Roster changes, applied to the shared district state. Each provider then
 * reports the change its own way: Clever records events with
 * previous_attributes (through a ChangeObserver that snapshots records before
 * and after), OneRoster bumps dateLastModified and keeps `tobedeleted`
 * tombstones (read straight from the overlay).
 */

export interface CanonicalRef {
  kind: RecordKind;
  index: number;
}

export type ChangeKind =
  | 'add-student'
  | 'remove-student'
  | 'move-student'
  | 'rename-user'
  | 'change-email'
  | 'change-grade'
  | 'delete-section'
  | 'end-term'
  | 'add-teacher';

export interface NewPerson {
  givenName: string;
  familyName: string;
  email?: string | null;
  grade?: GradeCode;
}

export interface AppliedChange {
  change: ChangeKind;
  district: SimDistrict;
  at: string;
  /** Records whose provider representation changed. */
  touched: CanonicalRef[];
  /** A person created by this change, if any. */
  created?: CanonicalRef;
}

/** Observes changes so a provider can derive its change feed (Clever events). */
export interface ChangeObserver {
  before(district: SimDistrict, refs: readonly CanonicalRef[]): unknown;
  after(district: SimDistrict, refs: readonly CanonicalRef[], state: unknown, at: string): void;
}

export class SimChangeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'SimChangeError';
  }
}

const GRADE_CODES = new Set(['PK', 'KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13']);

/** Accept CEDS codes ("09", "KG") and Clever spellings ("9", "Kindergarten"). */
export function normalizeGrade(grade: string): GradeCode {
  const trimmed = grade.trim();
  if (trimmed === 'Kindergarten') return 'KG';
  if (trimmed === 'PreKindergarten') return 'PK';
  if (/^\d{1,2}$/.test(trimmed)) {
    const padded = trimmed.padStart(2, '0');
    if (GRADE_CODES.has(padded)) return padded;
  }
  if (GRADE_CODES.has(trimmed)) return trimmed;
  throw new SimChangeError(`unknown grade "${grade}"`);
}

export class ChangeEngine {
  private readonly log: AppliedChange[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly observers: ChangeObserver[] = [],
  ) {}

  addObserver(observer: ChangeObserver): void {
    this.observers.push(observer);
  }

  history(): readonly AppliedChange[] {
    return this.log;
  }

  private apply(
    district: SimDistrict,
    change: ChangeKind,
    touched: CanonicalRef[],
    mutate: (at: string) => CanonicalRef | void,
  ): AppliedChange {
    const at = this.clock.now().toISOString();
    const states = this.observers.map((o) => o.before(district, touched));
    const created = mutate(at) ?? undefined;
    const refs = created === undefined ? touched : [created, ...touched];
    this.observers.forEach((o, i) => o.after(district, refs, states[i], at));
    const applied: AppliedChange = { change, district, at, touched: refs, ...(created ? { created } : {}) };
    this.log.push(applied);
    return applied;
  }

  private requireSection(district: SimDistrict, section: number): void {
    const record = district.section(section);
    if (record === undefined) throw new SimChangeError(`no section ${section}`, 404);
    if (record.deleted) throw new SimChangeError(`section ${section} is deleted`, 409);
  }

  private requirePerson(district: SimDistrict, kind: UserKind, index: number): void {
    if (district.person(kind, index) === undefined) throw new SimChangeError(`no ${kind} ${index}`, 404);
  }

  private touchSection(district: SimDistrict, section: number, at: string): void {
    const patch = district.overlay.sections.get(section);
    district.overlay.sections.set(section, { ...patch, modifiedAt: at });
  }

  private createPerson(district: SimDistrict, kind: 'student' | 'teacher', section: number, person: NewPerson, at: string): number {
    const record = district.section(section);
    const index = district.count(kind);
    district.overlay.added[kind].push({
      school: record?.school ?? 0,
      givenName: person.givenName,
      familyName: person.familyName,
      email: person.email ?? null,
      grade: kind === 'student' ? (person.grade === undefined ? (record?.grade ?? null) : normalizeGrade(person.grade)) : null,
      createdAt: at,
    });
    return index;
  }

  private enroll(district: SimDistrict, section: number, role: EnrollmentRole, user: number, at: string): void {
    const active = role === 'student' ? district.sectionStudents(section) : district.sectionTeachers(section);
    if (active.includes(user)) throw new SimChangeError(`${role} ${user} is already in section ${section}`, 409);
    district.overlay.addEnrollment(section, role, user, at);
    this.touchSection(district, section, at);
  }

  private unenroll(district: SimDistrict, section: number, role: EnrollmentRole, user: number, at: string): void {
    const active = role === 'student' ? district.sectionStudents(section) : district.sectionTeachers(section);
    if (!active.includes(user)) throw new SimChangeError(`${role} ${user} is not in section ${section}`, 409);
    const added = district.overlay.activeAdded(section, role, user);
    if (added !== undefined) {
      added.active = false;
      added.modifiedAt = at;
    } else {
      district.overlay.removeBase(section, role, user, at);
    }
    this.touchSection(district, section, at);
  }

  addStudentToSection(district: SimDistrict, section: number, student: number | NewPerson): AppliedChange {
    this.requireSection(district, section);
    if (typeof student === 'number') this.requirePerson(district, 'student', student);
    return this.apply(district, 'add-student', [{ kind: 'section', index: section }], (at) => {
      const index = typeof student === 'number' ? student : this.createPerson(district, 'student', section, student, at);
      this.enroll(district, section, 'student', index, at);
      return typeof student === 'number' ? undefined : { kind: 'student', index };
    });
  }

  removeStudentFromSection(district: SimDistrict, section: number, student: number): AppliedChange {
    this.requireSection(district, section);
    this.requirePerson(district, 'student', student);
    return this.apply(district, 'remove-student', [{ kind: 'section', index: section }], (at) => {
      this.unenroll(district, section, 'student', student, at);
    });
  }

  moveStudent(district: SimDistrict, student: number, from: number, to: number): AppliedChange {
    this.requireSection(district, from);
    this.requireSection(district, to);
    this.requirePerson(district, 'student', student);
    if (!district.sectionStudents(from).includes(student)) {
      throw new SimChangeError(`student ${student} is not in section ${from}`, 409);
    }
    if (district.sectionStudents(to).includes(student)) {
      throw new SimChangeError(`student ${student} is already in section ${to}`, 409);
    }
    const touched: CanonicalRef[] = [
      { kind: 'section', index: from },
      { kind: 'section', index: to },
    ];
    return this.apply(district, 'move-student', touched, (at) => {
      this.unenroll(district, from, 'student', student, at);
      this.enroll(district, to, 'student', student, at);
    });
  }

  renameUser(district: SimDistrict, kind: UserKind, index: number, name: { givenName?: string; familyName?: string }): AppliedChange {
    this.requirePerson(district, kind, index);
    if (name.givenName === undefined && name.familyName === undefined) throw new SimChangeError('nothing to rename');
    return this.apply(district, 'rename-user', [{ kind, index }], (at) => {
      district.overlay.patchPerson(kind, index, {
        ...(name.givenName !== undefined ? { givenName: name.givenName } : {}),
        ...(name.familyName !== undefined ? { familyName: name.familyName } : {}),
        modifiedAt: at,
      });
    });
  }

  changeEmail(district: SimDistrict, kind: UserKind, index: number, email: string | null): AppliedChange {
    this.requirePerson(district, kind, index);
    return this.apply(district, 'change-email', [{ kind, index }], (at) => {
      district.overlay.patchPerson(kind, index, { email, modifiedAt: at });
    });
  }

  changeGrade(district: SimDistrict, student: number, grade: string): AppliedChange {
    this.requirePerson(district, 'student', student);
    const code = normalizeGrade(grade);
    return this.apply(district, 'change-grade', [{ kind: 'student', index: student }], (at) => {
      district.overlay.patchPerson('student', student, { grade: code, modifiedAt: at });
    });
  }

  deleteSection(district: SimDistrict, section: number): AppliedChange {
    this.requireSection(district, section);
    return this.apply(district, 'delete-section', [{ kind: 'section', index: section }], (at) => {
      district.overlay.sections.set(section, { deletedAt: at, modifiedAt: at });
      for (const e of district.overlay.addedForSection(section)) {
        if (e.active) {
          e.active = false;
          e.modifiedAt = at;
        }
      }
    });
  }

  endTerm(district: SimDistrict, term: number, endDate?: string): AppliedChange {
    const record = district.term(term);
    if (record === undefined) throw new SimChangeError(`no term ${term}`, 404);
    const end = endDate ?? isoDate(this.clock.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new SimChangeError('endDate must be YYYY-MM-DD');
    return this.apply(district, 'end-term', [{ kind: 'term', index: term }], (at) => {
      district.overlay.terms.set(term, { endDate: end, modifiedAt: at });
    });
  }

  addTeacherToSection(district: SimDistrict, section: number, teacher: number | NewPerson): AppliedChange {
    this.requireSection(district, section);
    if (typeof teacher === 'number') this.requirePerson(district, 'teacher', teacher);
    return this.apply(district, 'add-teacher', [{ kind: 'section', index: section }], (at) => {
      const index = typeof teacher === 'number' ? teacher : this.createPerson(district, 'teacher', section, teacher, at);
      this.enroll(district, section, 'teacher', index, at);
      return typeof teacher === 'number' ? undefined : { kind: 'teacher', index };
    });
  }
}
