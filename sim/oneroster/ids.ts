import type { SimDistrict } from '../generator/district.ts';
import type { EnrollmentRecord, UserKind } from '../generator/model.ts';

/**
 * OneRoster sourcedIds for the simulator: readable, zero-padded so that
 * lexical sourcedId order equals the natural list order (sort=sourcedId is
 * then free), and scoped per tenant like real ones (two tenants reuse the
 * same sourcedIds — clients must not treat them as globally unique).
 */
const USER_PREFIX: Record<UserKind, string> = { admin: 'adm', staff: 'stf', student: 'stu', teacher: 'tch' };
const PREFIX_USER = new Map<string, UserKind>(Object.entries(USER_PREFIX).map(([k, v]) => [v, k as UserKind]));

export type OrKind = 'district' | 'school' | 'schoolYear' | 'term' | 'course' | 'section' | UserKind | 'enrollment';

export interface ParsedSourcedId {
  kind: OrKind;
  index: number;
  /** enrollments only */
  enrollment?: { origin: 'base' | 'added'; section: number; role: 'student' | 'teacher'; user: number; seq: number };
}

export class OneRosterIds {
  readonly width: number;

  constructor(readonly district: SimDistrict) {
    const biggest = Math.max(district.layout.studentCount, district.layout.sectionCount, district.layout.teacherCount);
    // Head-room for records added by changes while keeping a fixed width.
    this.width = Math.max(6, String(biggest + 100_000).length);
  }

  private pad(n: number, width = this.width): string {
    return String(n).padStart(width, '0');
  }

  districtId(): string {
    return `dst-${this.pad(this.district.ordinal + 1, 4)}`;
  }

  school(index: number): string {
    return `sch-${this.pad(index, 4)}`;
  }

  schoolYear(year: number): string {
    return `sy-${year}`;
  }

  term(index: number): string {
    return `trm-${this.pad(index, 2)}`;
  }

  course(index: number): string {
    return `crs-${this.pad(index, 4)}`;
  }

  section(index: number): string {
    return `cls-${this.pad(index)}`;
  }

  user(kind: UserKind, index: number): string {
    return `${USER_PREFIX[kind]}-${this.pad(index, kind === 'admin' ? 4 : this.width)}`;
  }

  enrollment(e: Pick<EnrollmentRecord, 'origin' | 'seq' | 'section' | 'role' | 'user'>): string {
    if (e.origin === 'added') return `enr-n${this.pad(e.seq)}`;
    return `enr-c${this.pad(e.section)}-${e.role === 'student' ? 's' : 't'}${this.pad(e.user)}`;
  }

  parse(sourcedId: string): ParsedSourcedId | null {
    if (sourcedId === this.districtId()) return { kind: 'district', index: 0 };
    let m = /^(sch|trm|crs|cls|adm|stf|stu|tch)-(\d+)$/.exec(sourcedId);
    if (m !== null) {
      const index = Number(m[2]);
      const tag = m[1] ?? '';
      const user = PREFIX_USER.get(tag);
      if (user !== undefined) return { kind: user, index };
      const kind: OrKind = tag === 'sch' ? 'school' : tag === 'trm' ? 'term' : tag === 'crs' ? 'course' : 'section';
      return { kind, index };
    }
    m = /^sy-(\d{4})$/.exec(sourcedId);
    if (m !== null) return { kind: 'schoolYear', index: Number(m[1]) };
    m = /^enr-c(\d+)-([st])(\d+)$/.exec(sourcedId);
    if (m !== null) {
      const section = Number(m[1]);
      const role = m[2] === 's' ? 'student' : 'teacher';
      return { kind: 'enrollment', index: -1, enrollment: { origin: 'base', section, role, user: Number(m[3]), seq: -1 } };
    }
    m = /^enr-n(\d+)$/.exec(sourcedId);
    if (m !== null) {
      const seq = Number(m[1]);
      return { kind: 'enrollment', index: -1, enrollment: { origin: 'added', section: -1, role: 'student', user: -1, seq } };
    }
    return null;
  }
}
