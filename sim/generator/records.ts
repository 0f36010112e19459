import { hash32, pick } from '../shared/hash.ts';
import type { DistrictLayout } from './layout.ts';
import type {
  CourseRecord,
  GradeCode,
  PersonName,
  PersonRecord,
  SchoolRecord,
  SectionRecord,
  TermRecord,
  UserKind,
} from './model.ts';
import { asciiSlug, COURSE_CATALOG, FIRST_NAMES, LAST_NAMES, MIDDLE_INITIALS, SCHOOL_NAME_PARTS } from './names.ts';
import type { DistrictConfig, SchoolLevel } from './spec.ts';

/**
 * Generated ("base") records, each a pure function of the district config and
 * an index. Nothing here is cached: recomputing a record costs a few hashes.
 */

const SALT: Record<UserKind | 'school', number> = { admin: 11, staff: 12, student: 13, teacher: 14, school: 15 };

const GRADE_BANDS: Record<SchoolLevel, GradeCode[]> = {
  high: ['09', '10', '11', '12'],
  middle: ['06', '07', '08'],
  elementary: ['KG', '01', '02', '03', '04', '05'],
};

const LEVEL_SUFFIX: Record<SchoolLevel, string> = {
  high: 'High School',
  middle: 'Middle School',
  elementary: 'Elementary School',
};

/** Term table: index 0 is last school year (already ended); 1–3 are this year's. */
export function buildTerms(now: Date, createdAt: string): TermRecord[] {
  // The school year starts in August; before July we are still in last year's.
  const y = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const short = (year: number): string => String(year).slice(2);
  const term = (index: number, name: string, startDate: string, endDate: string, schoolYear: number, fullYear: boolean): TermRecord => ({
    index, name, startDate, endDate, schoolYear, fullYear, createdAt, modifiedAt: createdAt,
  });
  return [
    term(0, `${y - 1}–${short(y)} Full Year`, `${y - 1}-08-15`, `${y}-06-10`, y, true),
    term(1, `${y}–${short(y + 1)} Full Year`, `${y}-08-15`, `${y + 1}-06-10`, y + 1, true),
    term(2, `Fall ${y}`, `${y}-08-15`, `${y}-12-19`, y + 1, false),
    term(3, `Spring ${y + 1}`, `${y + 1}-01-06`, `${y + 1}-06-10`, y + 1, false),
  ];
}

export class BaseRecords {
  readonly terms: TermRecord[];

  constructor(
    readonly config: DistrictConfig,
    readonly layout: DistrictLayout,
    readonly createdAt: string,
    now: Date,
  ) {
    this.terms = buildTerms(now, createdAt);
  }

  private h(...parts: number[]): number {
    return hash32(this.config.seed, ...parts);
  }

  schoolLevel(school: number): SchoolLevel {
    return this.config.schoolLevels[school] ?? 'high';
  }

  school(index: number): SchoolRecord {
    const level = this.schoolLevel(index);
    const name =
      this.config.schoolNames[index] ??
      `${pick(SCHOOL_NAME_PARTS, this.h(SALT.school, index))} ${LEVEL_SUFFIX[level]}`;
    const principal = this.person('staff', index * this.layout.params.staffPerSchool);
    return {
      index,
      name,
      number: String(100 + index),
      grades: GRADE_BANDS[level],
      phone: `(541) 555-${String(1000 + index).slice(-4)}`,
      principal: { name: `${principal.givenName} ${principal.familyName}`, email: principal.email ?? '' },
      address: {
        street: `${100 + index * 10} Schoolhouse Rd`,
        city: this.config.city,
        state: this.config.state.code,
        zip: String(97000 + (index % 900)),
      },
      createdAt: this.createdAt,
      modifiedAt: this.createdAt,
    };
  }

  course(index: number): CourseRecord {
    const entry = COURSE_CATALOG[index];
    if (entry === undefined) throw new RangeError(`no course ${index}`);
    return { index, ...entry, createdAt: this.createdAt, modifiedAt: this.createdAt };
  }

  get courseCount(): number {
    return COURSE_CATALOG.length;
  }

  section(index: number): SectionRecord {
    const slot = this.layout.slot(index);
    const school = slot.school.index;
    const teachers = this.layout.sectionTeachers(index);
    const band = GRADE_BANDS[this.schoolLevel(school)];
    const primary = teachers[0] === undefined ? null : this.person('teacher', teachers[0]);
    let course: number;
    let term = 1;
    let periodNumber: number;
    if (slot.special === null) {
      const p = slot.period ?? 0;
      periodNumber = p + 1;
      course = (p * 5 + slot.k + school) % 12;
      const r = slot.local % 10;
      term = r === 9 ? 0 : r === 4 ? 2 : r === 6 ? 3 : 1;
    } else {
      periodNumber = this.layout.params.periods + 1;
      course = slot.special === 'empty' ? 13 : slot.special === 'unstaffed' ? 12 : 14;
    }
    const courseRecord = this.course(course);
    // Clever builds "Course - Teacher last name - Period N" when the SIS gives no name.
    const parts = [courseRecord.name];
    if (primary !== null) parts.push(primary.familyName);
    parts.push(`Period ${periodNumber}`);
    const letter = String.fromCharCode(65 + (slot.k % 26));
    return {
      index,
      school,
      course,
      term,
      name: slot.special === 'big' ? `${courseRecord.name} - All Grades - Period ${periodNumber}` : parts.join(' - '),
      period: String(periodNumber),
      sectionNumber: `${periodNumber}${letter}`,
      sisId: `SEC-${school + 1}-${String(slot.local + 1).padStart(4, '0')}`,
      subject: courseRecord.subject,
      grade: band[slot.k % band.length] ?? band[0] ?? '09',
      teachers,
      deleted: false,
      createdAt: this.createdAt,
      modifiedAt: this.createdAt,
    };
  }

  /** Hash-derived name; some students share a name with the previous student on purpose. */
  name(kind: UserKind, index: number): PersonName {
    if (kind === 'student') {
      const school = this.layout.schoolOfStudent(index);
      const local = index - school.studentStart;
      if (local % 97 === 5) return this.name(kind, index - 1);
    }
    const h = this.h(SALT[kind], index);
    const middle = h % 3 === 0 ? pick(MIDDLE_INITIALS, h >>> 7) : '';
    return {
      givenName: pick(FIRST_NAMES, h >>> 3),
      familyName: pick(LAST_NAMES, this.h(SALT[kind], index, 7)),
      middleName: middle,
    };
  }

  private wellKnown(kind: UserKind, index: number): { givenName: string; familyName: string; email: string } | null {
    if (kind === 'teacher') return this.config.wellKnownTeachers[index] ?? null;
    if (kind === 'admin' && index === 0) return this.config.districtAdmin;
    return null;
  }

  person(kind: UserKind, index: number): PersonRecord {
    const fixed = this.wellKnown(kind, index);
    const name = fixed === null ? this.name(kind, index) : { ...fixed, middleName: '' };
    const slug = `${asciiSlug(name.givenName)}.${asciiSlug(name.familyName)}`;
    const domain = this.config.emailDomain;
    const h = this.h(SALT[kind], index, 3);
    const base = {
      kind,
      index,
      givenName: name.givenName,
      familyName: name.familyName,
      middleName: name.middleName,
      createdAt: this.createdAt,
      modifiedAt: this.createdAt,
      staffTitle: null as string | null,
      dob: null as string | null,
      gender: null as PersonRecord['gender'],
      grade: null as GradeCode | null,
    };
    switch (kind) {
      case 'student': {
        const school = this.layout.schoolOfStudent(index);
        const local = index - school.studentStart;
        const band = GRADE_BANDS[this.schoolLevel(school.index)];
        const grade = band[local % band.length] ?? '09';
        const gradeNumber = grade === 'KG' ? 0 : Number(grade);
        const birthYear = this.terms[1]!.schoolYear - 6 - gradeNumber;
        return {
          ...base,
          school: school.index,
          // Young students often have no e-mail at all.
          email: h % 6 === 0 ? null : `${slug}${index}@students.${domain}`,
          username: `${asciiSlug(name.givenName).slice(0, 1)}${asciiSlug(name.familyName)}${index}`,
          number: String(200000 + index),
          grade,
          title: 'Student',
          dob: `${(h % 12) + 1}/${((h >>> 4) % 28) + 1}/${birthYear}`,
          gender: (['M', 'F', 'X'] as const)[h % 7 === 0 ? 2 : h % 2] ?? 'F',
        };
      }
      case 'teacher': {
        const school = this.layout.schoolOfTeacher(index);
        return {
          ...base,
          school: school.index,
          email: fixed?.email ?? `${asciiSlug(name.givenName).slice(0, 1)}${asciiSlug(name.familyName)}${index}@${domain}`,
          username: (fixed?.email ?? `t${index}`).split('@')[0] ?? `t${index}`,
          number: String(10000 + index),
          title: 'Teacher',
          // The first teacher of each school also holds a staff role (multi-role user).
          staffTitle: index === school.teacherStart ? 'Department Chair' : null,
        };
      }
      case 'staff': {
        const school = this.layout.schoolOfStaff(index);
        const j = index % this.layout.params.staffPerSchool;
        return {
          ...base,
          school: school.index,
          email: `${slug}.${index}@${domain}`,
          username: `${slug}.${index}`,
          number: String(5000 + index),
          title: j === 0 ? 'Principal' : j === 1 ? 'Counselor' : 'Instructional Coach',
          staffTitle: j === 0 ? 'Principal' : j === 1 ? 'Counselor' : 'Instructional Coach',
        };
      }
      case 'admin':
        return {
          ...base,
          school: null,
          email: fixed?.email ?? `${slug}@${domain}`,
          username: (fixed?.email ?? slug).split('@')[0] ?? slug,
          number: String(900 + index),
          title: 'Superintendent',
        };
    }
  }
}
