/**
 * The arithmetic shape of a generated district: which school a student is in,
 * which students sit in which section, who teaches what — all computed from
 * indices, so a 500,000-student district costs a few arrays of per-school
 * offsets (hundreds of entries) instead of millions of records.
 *
 * Students of a school are numbered 0..n-1 (local index j). For each period p
 * the school's students are rotated by p*h and cut into m contiguous blocks;
 * block k of period p is regular section L = p*m + k. A section's members are
 * therefore at most two contiguous ranges, and a student's section in period
 * p is found by one division. Teachers take regular sections round-robin
 * (L mod T); every `coTeachEvery`-th section gets a co-teacher.
 * "Messy" districts add, per school, a section with a teacher but no students,
 * a section with students but no teacher, and (school 0, when it is big
 * enough) one section of 1,000+ students.
 */

export interface LayoutParams {
  students: number;
  schools: number;
  periods: number;
  classSize: number;
  sectionsPerTeacher: number;
  staffPerSchool: number;
  coTeachEvery: number;
  messy: boolean;
  bigSectionMin: number;
  bigSectionSize: number;
}

export type SpecialKind = 'empty' | 'unstaffed' | 'big';

export interface SchoolLayout {
  index: number;
  studentStart: number;
  students: number;
  perPeriod: number;
  regular: number;
  specials: SpecialKind[];
  sectionStart: number;
  sectionCount: number;
  teacherStart: number;
  teachers: number;
  bigSize: number;
  unstaffedSize: number;
  enrollmentStart: number;
  enrollmentCount: number;
}

export interface SectionSlot {
  school: SchoolLayout;
  local: number;
  /** 0-based period for regular sections, null for specials. */
  period: number | null;
  k: number;
  special: SpecialKind | null;
}

const CO_OFFSET = 3;

/** Largest i with starts[i] <= value (starts ascending, starts[0] = 0). */
function findSlot(starts: readonly number[], value: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Count of x in [0, n) with x % mod == rem. */
function countCongruent(n: number, mod: number, rem: number): number {
  return n > rem ? Math.floor((n - rem - 1) / mod) + 1 : 0;
}

export class DistrictLayout {
  readonly schools: SchoolLayout[] = [];
  readonly studentCount: number;
  readonly sectionCount: number;
  readonly teacherCount: number;
  readonly staffCount: number;
  readonly enrollmentCount: number;
  private readonly studentStarts: number[] = [];
  private readonly sectionStarts: number[] = [];
  private readonly teacherStarts: number[] = [];
  private readonly enrollmentStarts: number[] = [];
  private readonly shift: number;

  constructor(readonly params: LayoutParams) {
    const n = Math.max(1, Math.floor(params.students));
    const s = Math.max(1, Math.min(params.schools, n));
    this.shift = Math.max(1, Math.floor(params.classSize / 3) + 1);
    let sections = 0;
    let teachers = 0;
    let enrollments = 0;
    for (let i = 0; i < s; i++) {
      const studentStart = Math.floor((i * n) / s);
      const students = Math.floor(((i + 1) * n) / s) - studentStart;
      const perPeriod = Math.max(1, Math.ceil(students / params.classSize));
      const regular = params.periods * perPeriod;
      const teacherCount = Math.max(1, Math.ceil(regular / params.sectionsPerTeacher));
      const big = params.messy && i === 0 && students >= params.bigSectionMin;
      const specials: SpecialKind[] = params.messy ? ['empty', 'unstaffed'] : [];
      if (big) specials.push('big');
      const school: SchoolLayout = {
        index: i,
        studentStart,
        students,
        perPeriod,
        regular,
        specials,
        sectionStart: sections,
        sectionCount: regular + specials.length,
        teacherStart: teachers,
        teachers: teacherCount,
        bigSize: big ? Math.min(students, params.bigSectionSize) : 0,
        unstaffedSize: Math.min(students, 18),
        enrollmentStart: enrollments,
        enrollmentCount: 0,
      };
      school.enrollmentCount = this.regularEnrollmentTotal(school) + this.specialEnrollmentTotal(school);
      this.schools.push(school);
      this.studentStarts.push(studentStart);
      this.sectionStarts.push(sections);
      this.teacherStarts.push(teachers);
      this.enrollmentStarts.push(enrollments);
      sections += school.sectionCount;
      teachers += teacherCount;
      enrollments += school.enrollmentCount;
    }
    this.studentStarts.push(n);
    this.sectionStarts.push(sections);
    this.teacherStarts.push(teachers);
    this.enrollmentStarts.push(enrollments);
    this.studentCount = n;
    this.sectionCount = sections;
    this.teacherCount = teachers;
    this.staffCount = s * params.staffPerSchool;
    this.enrollmentCount = enrollments;
  }

  school(index: number): SchoolLayout {
    const school = this.schools[index];
    if (school === undefined) throw new RangeError(`no school ${index}`);
    return school;
  }

  schoolOfStudent(student: number): SchoolLayout {
    return this.school(findSlot(this.studentStarts, student));
  }

  schoolOfSection(section: number): SchoolLayout {
    return this.school(findSlot(this.sectionStarts, section));
  }

  schoolOfTeacher(teacher: number): SchoolLayout {
    return this.school(findSlot(this.teacherStarts, teacher));
  }

  schoolOfStaff(staff: number): SchoolLayout {
    return this.school(Math.floor(staff / this.params.staffPerSchool));
  }

  slot(section: number): SectionSlot {
    const school = this.schoolOfSection(section);
    const local = section - school.sectionStart;
    if (local < school.regular) {
      return { school, local, period: Math.floor(local / school.perPeriod), k: local % school.perPeriod, special: null };
    }
    const special = school.specials[local - school.regular];
    if (special === undefined) throw new RangeError(`no section ${section}`);
    return { school, local, period: null, k: 0, special };
  }

  private bound(school: SchoolLayout, k: number): number {
    return Math.floor((k * school.students) / school.perPeriod);
  }

  private isCo(school: SchoolLayout, local: number): boolean {
    const every = this.params.coTeachEvery;
    return school.teachers > 1 && every > 0 && local % every === Math.min(CO_OFFSET, every - 1);
  }

  private coBefore(school: SchoolLayout, local: number): number {
    const every = this.params.coTeachEvery;
    if (school.teachers <= 1 || every <= 0) return 0;
    return countCongruent(local, every, Math.min(CO_OFFSET, every - 1));
  }

  /** Global student ranges [from, to) of a section's generated members, ascending. */
  sectionStudentRanges(section: number): [number, number][] {
    const slot = this.slot(section);
    const { school } = slot;
    const base = school.studentStart;
    if (slot.special === 'empty') return [];
    if (slot.special === 'unstaffed') return [[base, base + school.unstaffedSize]];
    if (slot.special === 'big') return [[base, base + school.bigSize]];
    const n = school.students;
    const from = this.bound(school, slot.k);
    const len = this.bound(school, slot.k + 1) - from;
    const start = (((from - (slot.period ?? 0) * this.shift) % n) + n) % n;
    if (start + len <= n) return [[base + start, base + start + len]];
    return [
      [base, base + start + len - n],
      [base + start, base + n],
    ];
  }

  sectionStudentCount(section: number): number {
    return this.sectionStudentRanges(section).reduce((sum, [a, b]) => sum + (b - a), 0);
  }

  /** Global teacher indices of a section, primary first. */
  sectionTeachers(section: number): number[] {
    const slot = this.slot(section);
    const { school } = slot;
    const t0 = school.teacherStart;
    const T = school.teachers;
    switch (slot.special) {
      case 'empty':
        return [t0];
      case 'unstaffed':
        return [];
      case 'big':
        return T > 1 ? [t0 + 1, t0 + (2 % T)] : [t0];
      default: {
        const primary = slot.local % T;
        return this.isCo(school, slot.local) ? [t0 + primary, t0 + ((primary + 1) % T)] : [t0 + primary];
      }
    }
  }

  /** Global section indices a generated student belongs to, ascending. */
  studentSections(student: number): number[] {
    const school = this.schoolOfStudent(student);
    const j = student - school.studentStart;
    const n = school.students;
    const out: number[] = [];
    for (let p = 0; p < this.params.periods; p++) {
      const q = (j + p * this.shift) % n;
      let k = Math.floor((q * school.perPeriod) / n);
      while (k + 1 < school.perPeriod && this.bound(school, k + 1) <= q) k++;
      while (k > 0 && this.bound(school, k) > q) k--;
      out.push(school.sectionStart + p * school.perPeriod + k);
    }
    school.specials.forEach((special, i) => {
      const section = school.sectionStart + school.regular + i;
      if (special === 'unstaffed' && j < school.unstaffedSize) out.push(section);
      if (special === 'big' && j < school.bigSize) out.push(section);
    });
    return out.sort((a, b) => a - b);
  }

  /** Global section indices a generated teacher teaches (primary or co), ascending. */
  teacherSections(teacher: number): number[] {
    const school = this.schoolOfTeacher(teacher);
    const t = teacher - school.teacherStart;
    const T = school.teachers;
    const found = new Set<number>();
    for (let local = t; local < school.regular; local += T) found.add(local);
    if (T > 1) {
      for (let local = (t - 1 + T) % T; local < school.regular; local += T) {
        if (this.isCo(school, local)) found.add(local);
      }
    }
    school.specials.forEach((_special, i) => {
      const local = school.regular + i;
      if (this.sectionTeachers(school.sectionStart + local).includes(teacher)) found.add(local);
    });
    return [...found].sort((a, b) => a - b).map((local) => school.sectionStart + local);
  }

  // ---- enrollments: students of a section (ascending) then its teachers (ascending)

  private regularEnrollmentTotal(school: SchoolLayout): number {
    return this.params.periods * school.students + school.regular + this.coBefore(school, school.regular);
  }

  private specialEnrollmentTotal(school: SchoolLayout): number {
    let total = 0;
    for (const special of school.specials) {
      if (special === 'empty') total += 1;
      else if (special === 'unstaffed') total += school.unstaffedSize;
      else total += school.bigSize + (school.teachers > 1 ? 2 : 1);
    }
    return total;
  }

  sectionEnrollmentCount(section: number): number {
    return this.sectionStudentCount(section) + this.sectionTeachers(section).length;
  }

  /** Offset of a section's first enrollment within its school's enrollment block. */
  sectionEnrollmentOffset(section: number): number {
    const slot = this.slot(section);
    const { school } = slot;
    if (slot.special === null) {
      return (slot.period ?? 0) * school.students + this.bound(school, slot.k) + slot.local + this.coBefore(school, slot.local);
    }
    let offset = this.regularEnrollmentTotal(school);
    for (let local = school.regular; local < slot.local; local++) {
      offset += this.sectionEnrollmentCount(school.sectionStart + local);
    }
    return offset;
  }

  /** Which section and position within it hold the e-th generated enrollment. */
  locateEnrollment(e: number): { section: number; position: number } {
    const school = this.school(findSlot(this.enrollmentStarts, e));
    const local = e - school.enrollmentStart;
    let lo = 0;
    let hi = school.sectionCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.sectionEnrollmentOffset(school.sectionStart + mid) <= local) lo = mid;
      else hi = mid - 1;
    }
    const section = school.sectionStart + lo;
    return { section, position: local - this.sectionEnrollmentOffset(section) };
  }
}
