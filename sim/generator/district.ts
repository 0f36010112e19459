import { DistrictLayout } from './layout.ts';
import type {
  CourseRecord,
  EnrollmentRole,
  PersonRecord,
  SchoolRecord,
  SectionRecord,
  TermRecord,
  UserKind,
} from './model.ts';
import { EnrollmentFeed } from './enrollments.ts';
import { Overlay } from './overlay.ts';
import { BaseRecords } from './records.ts';
import type { DistrictConfig } from './spec.ts';

/**
 * One simulated district: generated records plus the overlay of changes.
 * This is the only roster state; the Clever and ClassLink simulators both
 * read it, so a change made here shows up on both providers.
 */

/** Sorted ascending, duplicates removed. */
function sortedUnique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

export class SimDistrict {
  readonly layout: DistrictLayout;
  readonly base: BaseRecords;
  readonly overlay = new Overlay();
  /** Creation/modification time of every generated record. */
  readonly createdAt: string;

  constructor(
    /** Position among the simulator's districts; derives provider ids. */
    readonly ordinal: number,
    readonly config: DistrictConfig,
    now: Date,
  ) {
    this.layout = new DistrictLayout(config.layout);
    // Generated data predates the simulator's start by a day, like a nightly sync.
    const created = new Date(Math.floor(now.getTime() / 1000) * 1000 - 86_400_000);
    this.createdAt = created.toISOString();
    this.base = new BaseRecords(config, this.layout, this.createdAt, now);
  }

  get name(): string {
    return this.config.name;
  }

  // ---- counts -----------------------------------------------------------

  baseCount(kind: UserKind): number {
    switch (kind) {
      case 'admin':
        return 1;
      case 'staff':
        return this.layout.staffCount;
      case 'student':
        return this.layout.studentCount;
      case 'teacher':
        return this.layout.teacherCount;
    }
  }

  count(kind: UserKind): number {
    const added = kind === 'student' || kind === 'teacher' ? this.overlay.added[kind].length : 0;
    return this.baseCount(kind) + added;
  }

  get schoolCount(): number {
    return this.layout.schools.length;
  }

  get sectionCount(): number {
    return this.layout.sectionCount;
  }

  get termCount(): number {
    return this.base.terms.length;
  }

  get courseCount(): number {
    return this.base.courseCount;
  }

  // ---- records ----------------------------------------------------------

  school(index: number): SchoolRecord | undefined {
    return index >= 0 && index < this.schoolCount ? this.base.school(index) : undefined;
  }

  term(index: number): TermRecord | undefined {
    const term = this.base.terms[index];
    if (term === undefined) return undefined;
    const patch = this.overlay.terms.get(index);
    return patch === undefined ? term : { ...term, endDate: patch.endDate, modifiedAt: patch.modifiedAt };
  }

  course(index: number): CourseRecord | undefined {
    return index >= 0 && index < this.courseCount ? this.base.course(index) : undefined;
  }

  /** The section including deleted ones (deleted = true); undefined if it never existed. */
  section(index: number): SectionRecord | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.sectionCount) return undefined;
    const record = this.base.section(index);
    const patch = this.overlay.sections.get(index);
    return {
      ...record,
      teachers: this.sectionTeachers(index, true),
      deleted: patch?.deletedAt !== undefined,
      modifiedAt: patch?.modifiedAt ?? record.modifiedAt,
    };
  }

  person(kind: UserKind, index: number): PersonRecord | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count(kind)) return undefined;
    let record: PersonRecord;
    if (index < this.baseCount(kind)) {
      record = this.base.person(kind, index);
    } else {
      const added = this.overlay.added[kind as 'student' | 'teacher'][index - this.baseCount(kind)];
      if (added === undefined) return undefined;
      record = {
        kind,
        index,
        school: added.school,
        givenName: added.givenName,
        familyName: added.familyName,
        middleName: '',
        email: added.email,
        username: `new.${kind}.${index}`,
        number: String((kind === 'student' ? 200000 : 10000) + index),
        grade: added.grade,
        staffTitle: null,
        title: kind === 'student' ? 'Student' : 'Teacher',
        dob: null,
        gender: null,
        createdAt: added.createdAt,
        modifiedAt: added.createdAt,
      };
    }
    const patch = this.overlay.personPatch(kind, index);
    if (patch === undefined) return record;
    return {
      ...record,
      givenName: patch.givenName ?? record.givenName,
      familyName: patch.familyName ?? record.familyName,
      email: patch.email === undefined ? record.email : patch.email,
      grade: patch.grade ?? record.grade,
      modifiedAt: patch.modifiedAt,
    };
  }

  isSectionDeleted(section: number): boolean {
    return this.overlay.sections.get(section)?.deletedAt !== undefined;
  }

  // ---- memberships (active only) -----------------------------------------

  /** Active students of a section, ascending; empty for a deleted section. */
  sectionStudents(section: number): number[] {
    if (this.isSectionDeleted(section)) return [];
    const removed = this.overlay.removedBase.get(section);
    const out: number[] = [];
    for (const [from, to] of this.layout.sectionStudentRanges(section)) {
      for (let s = from; s < to; s++) {
        if (removed === undefined || !removed.has(`s:${s}`)) out.push(s);
      }
    }
    const added = this.overlay.addedForSection(section).filter((e) => e.active && e.role === 'student');
    return added.length === 0 ? out : sortedUnique([...out, ...added.map((e) => e.user)]);
  }

  /** Active teachers of a section, primary first (deleted sections keep theirs when asked). */
  sectionTeachers(section: number, evenIfDeleted = false): number[] {
    if (!evenIfDeleted && this.isSectionDeleted(section)) return [];
    const base = this.layout
      .sectionTeachers(section)
      .filter((t) => this.overlay.isBaseRemoved(section, 'teacher', t) === undefined);
    const added = this.overlay
      .addedForSection(section)
      .filter((e) => e.active && e.role === 'teacher')
      .map((e) => e.user);
    return [...new Set([...base, ...added])];
  }

  studentSections(student: number): number[] {
    const base = student < this.baseCount('student') ? this.layout.studentSections(student) : [];
    return this.activeSections('student', student, base);
  }

  teacherSections(teacher: number): number[] {
    const base = teacher < this.baseCount('teacher') ? this.layout.teacherSections(teacher) : [];
    return this.activeSections('teacher', teacher, base);
  }

  personSections(kind: UserKind, index: number): number[] {
    if (kind === 'student') return this.studentSections(index);
    if (kind === 'teacher') return this.teacherSections(index);
    return [];
  }

  private activeSections(role: EnrollmentRole, user: number, base: number[]): number[] {
    const kept = base.filter(
      (c) => !this.isSectionDeleted(c) && this.overlay.isBaseRemoved(c, role, user) === undefined,
    );
    const added = this.overlay
      .addedForUser(role, user)
      .filter((e) => e.active && !this.isSectionDeleted(e.section))
      .map((e) => e.section);
    return added.length === 0 ? kept : sortedUnique([...kept, ...added]);
  }

  /** Students whose primary school is `school`: a generated range plus added ones. */
  schoolStudents(school: number): { from: number; to: number; extra: number[] } {
    const layout = this.layout.school(school);
    return { from: layout.studentStart, to: layout.studentStart + layout.students, extra: this.addedIn('student', school) };
  }

  schoolTeachers(school: number): { from: number; to: number; extra: number[] } {
    const layout = this.layout.school(school);
    return { from: layout.teacherStart, to: layout.teacherStart + layout.teachers, extra: this.addedIn('teacher', school) };
  }

  schoolStaff(school: number): { from: number; to: number } {
    const per = this.layout.params.staffPerSchool;
    return { from: school * per, to: (school + 1) * per };
  }

  /** Teachers who also hold a staff role (one per school). */
  multiRoleTeachers(): number[] {
    return this.layout.schools.map((s) => s.teacherStart);
  }

  private addedIn(kind: 'student' | 'teacher', school: number): number[] {
    const base = this.baseCount(kind);
    const out: number[] = [];
    this.overlay.added[kind].forEach((p, i) => {
      if (p.school === school) out.push(base + i);
    });
    return out;
  }

  /** OneRoster enrollment records (tombstones included), computed like everything else. */
  readonly enrollments: EnrollmentFeed = new EnrollmentFeed(this);

  /** Indices of persons of a kind changed or created since generation, ascending. */
  touchedPersons(kind: UserKind): number[] {
    const out: number[] = [];
    for (const key of this.overlay.persons.keys()) {
      const [k, id] = key.split(':');
      if (k === kind) out.push(Number(id));
    }
    for (let i = this.baseCount(kind); i < this.count(kind); i++) out.push(i);
    return sortedUnique(out);
  }

  touchedSections(): number[] {
    return sortedUnique([...this.overlay.sections.keys()]);
  }

  touchedTerms(): number[] {
    return sortedUnique([...this.overlay.terms.keys()]);
  }
}
