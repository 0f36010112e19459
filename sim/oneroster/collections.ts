import type { SimDistrict } from '../generator/district.ts';
import { USER_KINDS, type UserKind } from '../generator/model.ts';
import type { RecordType } from './filter.ts';
import type { OneRosterIds } from './ids.ts';
import type { Json, OneRosterSerializer } from './serialize.ts';

/**
 * OneRoster endpoints as lazily computed sources. A source knows its size
 * and can iterate from any offset without touching earlier records, so a
 * 500,000-student `/users?offset=499900` costs one page of work.
 */
export interface Part {
  size: number;
  iterate(from: number): Iterable<Json>;
  /** Records changed since generation (for dateLastModified delta queries). */
  changed?(): Json[];
}

export interface Source extends Part {
  key: string;
  type: RecordType;
}

export type Resolution =
  | { kind: 'collection'; source: Source }
  | { kind: 'single'; key: string; record: Json }
  | { kind: 'not-found'; message: string };

function* rangeIter(from: number, to: number, get: (i: number) => Json | undefined): Generator<Json> {
  for (let i = from; i < to; i++) {
    const r = get(i);
    if (r !== undefined) yield r;
  }
}

export function rangePart(count: number, get: (i: number) => Json | undefined, changed?: () => number[]): Part {
  return {
    size: count,
    iterate: (from) => rangeIter(Math.max(0, from), count, get),
    ...(changed ? { changed: () => changed().map(get).filter((r): r is Json => r !== undefined) } : {}),
  };
}

export function listPart(list: readonly number[], get: (i: number) => Json | undefined): Part {
  return { size: list.length, iterate: (from) => rangeIter(Math.max(0, from), list.length, (p) => get(list[p] ?? -1)) };
}

export function source(key: string, type: RecordType, parts: Part[]): Source {
  const size = parts.reduce((n, p) => n + p.size, 0);
  const all = parts.every((p) => p.changed !== undefined);
  return {
    key,
    type,
    size,
    *iterate(from: number) {
      let skip = Math.max(0, from);
      for (const part of parts) {
        if (skip >= part.size) {
          skip -= part.size;
          continue;
        }
        yield* part.iterate(skip);
        skip = 0;
      }
    },
    ...(all ? { changed: () => parts.flatMap((p) => p.changed?.() ?? []) } : {}),
  };
}

export interface TenantView {
  district: SimDistrict;
  ids: OneRosterIds;
  ser: OneRosterSerializer;
}

/** Collections and singletons of one tenant, by path segments after the version base. */
export function resolve(view: TenantView, segments: readonly string[]): Resolution | null {
  const { district: d, ids, ser } = view;
  const users = (kind: UserKind) => rangePart(d.count(kind), (i) => ser.user(kind, i), () => d.touchedPersons(kind));
  const userList = (kind: UserKind, list: readonly number[]) => listPart(list, (i) => ser.user(kind, i));
  const sections = rangePart(d.sectionCount, (i) => ser.section(i), () => d.touchedSections());
  const sectionList = (list: readonly number[]) => listPart(list, (i) => ser.section(i));
  const terms = rangePart(d.termCount, (i) => ser.term(i), () => d.touchedTerms());
  const schools = rangePart(d.schoolCount, (i) => ser.school(i), () => []);
  const enrollment = (i: number) => {
    const e = d.enrollments.from(i, i + 1).next();
    return e.done === true ? undefined : ser.enrollment(e.value);
  };
  const enrollments = rangePart(d.enrollments.count(), enrollment, () => d.enrollments.touched());
  const notFound = (what: string): Resolution => ({ kind: 'not-found', message: `${what} not found` });
  const parse = (id: string) => ids.parse(id);
  const sectionsWhere = (match: (course: number, term: number) => boolean): number[] => {
    const out: number[] = [];
    for (let c = 0; c < d.sectionCount; c++) {
      const s = d.base.section(c);
      if (match(s.course, s.term)) out.push(c);
    }
    return out;
  };
  const personIndex = (id: string | undefined, kinds: readonly UserKind[]): { kind: UserKind; index: number } | null => {
    const p = id === undefined ? null : parse(id);
    if (p === null || !kinds.includes(p.kind as UserKind)) return null;
    return d.person(p.kind as UserKind, p.index) === undefined ? null : { kind: p.kind as UserKind, index: p.index };
  };
  const schoolIndex = (id: string | undefined): number | null => {
    const p = id === undefined ? null : parse(id);
    return p?.kind === 'school' && d.school(p.index) !== undefined ? p.index : null;
  };
  const sectionIndex = (id: string | undefined): number | null => {
    const p = id === undefined ? null : parse(id);
    return p?.kind === 'section' && d.section(p.index) !== undefined ? p.index : null;
  };

  const [top, id, sub, id2, sub2] = segments;
  if (segments.length === 1) {
    switch (top) {
      case 'academicSessions':
        return { kind: 'collection', source: source('academicSessions', 'academicSession', [rangePart(ser.sessionCount(), (i) => ser.session(i), () => d.touchedTerms().map((t) => t + 2))]) };
      case 'terms':
        return { kind: 'collection', source: source('academicSessions', 'academicSession', [terms]) };
      case 'gradingPeriods':
        return { kind: 'collection', source: source('academicSessions', 'academicSession', []) };
      case 'orgs':
        return { kind: 'collection', source: source('orgs', 'org', [rangePart(1, () => ser.districtOrg(), () => []), schools]) };
      case 'schools':
        return { kind: 'collection', source: source('orgs', 'org', [schools]) };
      case 'courses':
        return { kind: 'collection', source: source('courses', 'course', [rangePart(d.courseCount, (i) => ser.course(i), () => [])]) };
      case 'classes':
        return { kind: 'collection', source: source('classes', 'class', [sections]) };
      case 'users':
        return { kind: 'collection', source: source('users', 'user', USER_KINDS.map(users)) };
      case 'students':
        return { kind: 'collection', source: source('users', 'user', [users('student')]) };
      case 'teachers':
        return { kind: 'collection', source: source('users', 'user', [users('teacher')]) };
      case 'enrollments':
        return { kind: 'collection', source: source('enrollments', 'enrollment', [enrollments]) };
      case 'demographics':
        return { kind: 'collection', source: source('demographics', 'user', []) };
      default:
        return null;
    }
  }

  if (segments.length === 2 && id !== undefined) {
    const p = parse(id);
    const single = (key: string, record: Json | undefined, what: string): Resolution =>
      record === undefined ? notFound(what) : { kind: 'single', key, record };
    switch (top) {
      case 'academicSessions':
        if (p?.kind === 'schoolYear') return single('academicSession', ser.schoolYear(p.index), 'academicSession');
        return single('academicSession', p?.kind === 'term' ? ser.term(p.index) : undefined, 'academicSession');
      case 'terms':
        return single('academicSession', p?.kind === 'term' ? ser.term(p.index) : undefined, 'term');
      case 'gradingPeriods':
      case 'demographics':
        return notFound(top);
      case 'orgs':
        if (p?.kind === 'district') return { kind: 'single', key: 'org', record: ser.districtOrg() };
        return single('org', p?.kind === 'school' ? ser.school(p.index) : undefined, 'org');
      case 'schools':
        return single('org', p?.kind === 'school' ? ser.school(p.index) : undefined, 'school');
      case 'courses':
        return single('course', p?.kind === 'course' ? ser.course(p.index) : undefined, 'course');
      case 'classes':
        return single('class', p?.kind === 'section' ? ser.section(p.index) : undefined, 'class');
      case 'users':
      case 'students':
      case 'teachers': {
        const kinds: readonly UserKind[] = top === 'users' ? USER_KINDS : top === 'students' ? ['student'] : ['teacher'];
        const person = personIndex(id, kinds);
        return single('user', person === null ? undefined : ser.user(person.kind, person.index), 'user');
      }
      case 'enrollments': {
        const e = p?.enrollment;
        if (e === undefined) return notFound('enrollment');
        const index =
          e.origin === 'added'
            ? e.seq < d.overlay.enrollments.length ? d.enrollments.addedIndex(e.seq) : undefined
            : d.section(e.section) === undefined ? undefined : d.enrollments.baseIndex(e.section, e.role, e.user);
        return single('enrollment', index === undefined ? undefined : enrollment(index), 'enrollment');
      }
      default:
        return null;
    }
  }

  if (segments.length === 3 && id !== undefined) {
    const route = `${top}/${sub}`;
    switch (route) {
      case 'schools/classes':
      case 'schools/students':
      case 'schools/teachers':
      case 'schools/enrollments':
      case 'schools/courses':
      case 'schools/terms': {
        const s = schoolIndex(id);
        if (s === null) return notFound('school');
        const layout = d.layout.school(s);
        if (sub === 'classes') {
          return { kind: 'collection', source: source('classes', 'class', [rangePart(layout.sectionCount, (i) => ser.section(layout.sectionStart + i))]) };
        }
        if (sub === 'students' || sub === 'teachers') {
          const kind = sub === 'students' ? 'student' : 'teacher';
          const range = kind === 'student' ? d.schoolStudents(s) : d.schoolTeachers(s);
          return { kind: 'collection', source: source('users', 'user', [rangePart(range.to - range.from, (i) => ser.user(kind, range.from + i)), userList(kind, range.extra)]) };
        }
        if (sub === 'enrollments') {
          const range = d.enrollments.schoolRange(s);
          const added = d.overlay.enrollments.filter((e) => d.layout.slot(e.section).school.index === s).map((e) => d.enrollments.addedIndex(e.seq));
          return { kind: 'collection', source: source('enrollments', 'enrollment', [rangePart(range.to - range.from, (i) => enrollment(range.from + i)), listPart(added, enrollment)]) };
        }
        if (sub === 'courses') return { kind: 'collection', source: source('courses', 'course', [rangePart(d.courseCount, (i) => ser.course(i))]) };
        return { kind: 'collection', source: source('academicSessions', 'academicSession', [terms]) };
      }
      case 'classes/students':
      case 'classes/teachers': {
        const c = sectionIndex(id);
        if (c === null) return notFound('class');
        const list = sub === 'students' ? d.sectionStudents(c) : [...d.sectionTeachers(c)].sort((a, b) => a - b);
        return { kind: 'collection', source: source('users', 'user', [userList(sub === 'students' ? 'student' : 'teacher', list)]) };
      }
      case 'teachers/classes':
      case 'students/classes':
      case 'users/classes': {
        const kinds: readonly UserKind[] = top === 'users' ? USER_KINDS : top === 'students' ? ['student'] : ['teacher'];
        const person = personIndex(id, kinds);
        if (person === null) return notFound('user');
        return { kind: 'collection', source: source('classes', 'class', [sectionList(d.personSections(person.kind, person.index))]) };
      }
      case 'terms/classes':
      case 'courses/classes': {
        const p = parse(id);
        const wanted = top === 'terms' ? 'term' : 'course';
        const exists = p?.kind === wanted && (wanted === 'term' ? d.term(p.index) : d.course(p.index)) !== undefined;
        if (!exists || p === null) return notFound(wanted);
        const list = sectionsWhere((course, term) => (wanted === 'term' ? term : course) === p.index);
        return { kind: 'collection', source: source('classes', 'class', [sectionList(list)]) };
      }
      case 'terms/gradingPeriods': {
        const p = parse(id);
        if (p?.kind !== 'term' || d.term(p.index) === undefined) return notFound('term');
        return { kind: 'collection', source: source('academicSessions', 'academicSession', []) };
      }
      default:
        return null;
    }
  }

  if (segments.length === 5 && top === 'schools' && sub === 'classes' && id !== undefined && id2 !== undefined) {
    const s = schoolIndex(id);
    const c = sectionIndex(id2);
    if (s === null) return notFound('school');
    if (c === null || d.layout.slot(c).school.index !== s) return notFound('class');
    if (sub2 === 'students') return { kind: 'collection', source: source('users', 'user', [userList('student', d.sectionStudents(c))]) };
    if (sub2 === 'teachers') return { kind: 'collection', source: source('users', 'user', [userList('teacher', [...d.sectionTeachers(c)].sort((a, b) => a - b))]) };
    if (sub2 === 'enrollments') {
      const records = d.enrollments.ofSection(c).map((e) => ser.enrollment(e));
      return { kind: 'collection', source: source('enrollments', 'enrollment', [{ size: records.length, iterate: (from) => records.slice(from) }]) };
    }
  }
  return null;
}
