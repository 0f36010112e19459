import type { SimDistrict } from './district.ts';
import type { EnrollmentRecord, EnrollmentRole } from './model.ts';
import type { AddedEnrollment } from './overlay.ts';

/**
 * OneRoster enrollments of a district in natural order: every section's
 * generated students (ascending) then its teachers, section by section, then
 * enrollments created by changes. Removed memberships stay as `tobedeleted`
 * tombstones in place, so indices (and sourcedIds) never shift; the layout's
 * offset arithmetic finds any index without walking the ones before it.
 */
export class EnrollmentFeed {
  constructor(private readonly d: SimDistrict) {}

  count(): number {
    return this.d.layout.enrollmentCount + this.d.overlay.enrollments.length;
  }

  private base(section: number, position: number): EnrollmentRecord {
    const ranges = this.d.layout.sectionStudentRanges(section);
    const school = this.d.layout.slot(section).school.index;
    let user = -1;
    let role: EnrollmentRole = 'student';
    let left = position;
    for (const [from, to] of ranges) {
      if (left < to - from) {
        user = from + left;
        break;
      }
      left -= to - from;
    }
    const baseTeachers = this.d.layout.sectionTeachers(section);
    if (user < 0) {
      role = 'teacher';
      user = [...baseTeachers].sort((a, b) => a - b)[left] ?? -1;
    }
    const removedAt = this.d.overlay.isBaseRemoved(section, role, user);
    const deletedAt = this.d.overlay.sections.get(section)?.deletedAt;
    const endedAt = [removedAt, deletedAt].filter((v): v is string => v !== undefined).sort()[0];
    return {
      origin: 'base',
      seq: -1,
      section,
      school,
      role,
      user,
      primary: role === 'teacher' && baseTeachers[0] === user,
      active: endedAt === undefined,
      createdAt: this.d.createdAt,
      modifiedAt: endedAt ?? this.d.createdAt,
    };
  }

  private added(e: AddedEnrollment): EnrollmentRecord {
    const deletedAt = this.d.overlay.sections.get(e.section)?.deletedAt;
    return {
      origin: 'added',
      seq: e.seq,
      section: e.section,
      school: this.d.layout.slot(e.section).school.index,
      role: e.role,
      user: e.user,
      primary: e.role === 'teacher' && this.d.sectionTeachers(e.section, true)[0] === e.user,
      active: e.active && deletedAt === undefined,
      createdAt: e.createdAt,
      modifiedAt: deletedAt !== undefined && deletedAt > e.modifiedAt ? deletedAt : e.modifiedAt,
    };
  }

  /** Enrollments in natural order from index `from`, lazily. */
  *from(from: number, to: number = this.count()): Generator<EnrollmentRecord> {
    const baseTotal = this.d.layout.enrollmentCount;
    let e = Math.max(0, from);
    if (e < baseTotal && e < to) {
      let { section, position } = this.d.layout.locateEnrollment(e);
      let size = this.d.layout.sectionEnrollmentCount(section);
      while (e < baseTotal && e < to) {
        if (position >= size) {
          section += 1;
          position = 0;
          size = this.d.layout.sectionEnrollmentCount(section);
          continue;
        }
        yield this.base(section, position);
        position += 1;
        e += 1;
      }
    }
    for (; e < to; e++) {
      const added = this.d.overlay.enrollments[e - baseTotal];
      if (added === undefined) return;
      yield this.added(added);
    }
  }

  /** Natural-order index range of a school's generated enrollments. */
  schoolRange(school: number): { from: number; to: number } {
    const layout = this.d.layout.school(school);
    return { from: layout.enrollmentStart, to: layout.enrollmentStart + layout.enrollmentCount };
  }

  /** Natural index of an added enrollment. */
  addedIndex(seq: number): number {
    return this.d.layout.enrollmentCount + seq;
  }

  /** All enrollment records of one section (tombstones included), natural order. */
  ofSection(section: number): EnrollmentRecord[] {
    const start = this.sectionStart(section);
    const out = [...this.from(start, start + this.d.layout.sectionEnrollmentCount(section))];
    for (const e of this.d.overlay.addedForSection(section)) out.push(this.added(e));
    return out;
  }

  private sectionStart(section: number): number {
    const school = this.d.layout.slot(section).school;
    return school.enrollmentStart + this.d.layout.sectionEnrollmentOffset(section);
  }

  /** Natural index of a base enrollment (section, member). */
  baseIndex(section: number, role: EnrollmentRole, user: number): number | undefined {
    const start = this.sectionStart(section);
    let position = 0;
    const ranges = this.d.layout.sectionStudentRanges(section);
    const studentCount = ranges.reduce((n, [a, b]) => n + (b - a), 0);
    if (role === 'student') {
      for (const [from, to] of ranges) {
        if (user >= from && user < to) return start + position + (user - from);
        position += to - from;
      }
      return undefined;
    }
    const sorted = [...this.d.layout.sectionTeachers(section)].sort((a, b) => a - b);
    const i = sorted.indexOf(user);
    return i < 0 ? undefined : start + studentCount + i;
  }

  /** Natural indices of every enrollment changed since generation, ascending. */
  touched(): number[] {
    const out: number[] = [];
    for (const [section, members] of this.d.overlay.removedBase) {
      for (const key of members.keys()) {
        const [kind, id] = key.split(':');
        const index = this.baseIndex(section, kind === 's' ? 'student' : 'teacher', Number(id));
        if (index !== undefined) out.push(index);
      }
    }
    for (const [section, patch] of this.d.overlay.sections) {
      if (patch.deletedAt === undefined) continue;
      const start = this.sectionStart(section);
      for (let i = 0; i < this.d.layout.sectionEnrollmentCount(section); i++) out.push(start + i);
    }
    this.d.overlay.enrollments.forEach((e) => out.push(this.addedIndex(e.seq)));
    return [...new Set(out)].sort((a, b) => a - b);
  }
}
