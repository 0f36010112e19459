import { LookupCache } from '../lookup-cache.ts';
import { keepMapped, orNull } from '../records.ts';
import { ProviderError, type CanonicalSection, type CanonicalTerm } from '../roster-provider.ts';
import { rfc3986, str, type Json, type Mapped } from '../wire.ts';
import type { OneRosterApi, PageQuery } from './oneroster-api.ts';
import { classRefs, isDeleted, mapClass, mapEnrollment, mapSession, teachersByClass, type EnrollmentRecord } from './oneroster-mapper.ts';

/**
 * Reads shared by the OneRoster adapter and its change feed: envelope keys
 * per endpoint, mapped pages with warnings, cached terms and course titles,
 * and classes resolved into canonical sections with their teachers.
 */

/** Envelope keys per response; the first is the spec's, the rest are alternates servers use. */
export const KEYS = {
  users: ['users'],
  students: ['users', 'students'],
  teachers: ['users', 'teachers'],
  classes: ['classes'],
  orgs: ['orgs'],
  schools: ['orgs', 'schools'],
  enrollments: ['enrollments'],
  academicSessions: ['academicSessions'],
  courses: ['courses'],
  user: ['user'],
  class: ['class'],
  academicSession: ['academicSession'],
  course: ['course'],
} as const;

/** Changed classes above this count read all teacher enrollments once instead of one request per class. */
const PER_CLASS_TEACHER_LOOKUPS = 25;
const PARALLEL_LOOKUPS = 4;

export const segment = rfc3986;

export class OneRosterReader {
  readonly terms: LookupCache<CanonicalTerm>;
  readonly courses: LookupCache<{ name: string | null }>;

  constructor(
    readonly api: OneRosterApi,
    private readonly warn: (message: string) => void,
  ) {
    this.terms = new LookupCache({
      all: async () => (await this.collect('academicSessions', 'academicSessions', KEYS.academicSessions, mapSession)).map((t) => [t.externalId, t] as const),
      one: (id) => orNull(async () => this.single('academicSessions', await this.api.getOne(`academicSessions/${segment(id)}`, KEYS.academicSession), mapSession)),
    });
    this.courses = new LookupCache({
      all: async () => {
        const out: [string, { name: string | null }][] = [];
        for await (const page of this.api.pages('courses', KEYS.courses)) {
          for (const c of page.records) {
            const id = str(c['sourcedId']);
            if (id !== null) out.push([id, { name: str(c['title']) }]);
          }
        }
        return out;
      },
      one: (id) => orNull(async () => ({ name: str((await this.api.getOne(`courses/${segment(id)}`, KEYS.course))['title']) })),
    });
  }

  keep<T>(collection: string, results: readonly Mapped<T>[], warnings: string[]): T[] {
    return keepMapped('classlink', collection, results, warnings);
  }

  single<T>(collection: string, record: Json, map: (r: Json) => Mapped<T>): T | null {
    const warnings: string[] = [];
    const [value] = this.keep(collection, [map(record)], warnings);
    warnings.forEach(this.warn);
    return value ?? null;
  }

  async *mapped<T>(collection: string, path: string, keys: readonly string[], map: (r: Json) => Mapped<T>, query: PageQuery = {}): AsyncGenerator<{ values: T[]; warnings: string[] }> {
    for await (const page of this.api.pages(path, keys, query)) {
      const warnings = page.skipped.map((s) => `ClassLink ${collection}: ${s}`);
      const values = this.keep(collection, page.records.map(map), warnings);
      yield { values, warnings };
    }
  }

  async collect<T>(collection: string, path: string, keys: readonly string[], map: (r: Json) => Mapped<T>, query: PageQuery = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const { values, warnings } of this.mapped(collection, path, keys, map, query)) {
      warnings.forEach(this.warn);
      out.push(...values);
    }
    return out;
  }

  /**
   * Teachers of one class, primary first, from the class's enrollments in its
   * school (getEnrollmentsForClassInSchool: the only per-class read that says
   * who is primary). Without a school, or where that endpoint 404s, the
   * class's teacher list (getTeachersForClass) is used.
   */
  async teachersOfClass(classId: string, schoolId: string | null): Promise<string[]> {
    if (schoolId !== null) {
      const enrollments = await orNull(() =>
        this.collect('enrollments', `schools/${segment(schoolId)}/classes/${segment(classId)}/enrollments`, KEYS.enrollments, mapEnrollment),
      );
      if (enrollments !== null) return teachersByClass(enrollments).get(classId) ?? [];
    }
    const teachers = await orNull(() => this.collect('users', `classes/${segment(classId)}/teachers`, KEYS.teachers, idOnly));
    return teachers ?? [];
  }

  /** Every class's teachers from the teacher enrollments, in one paged walk (full reconciliation). */
  async teacherMap(): Promise<Map<string, string[]>> {
    // The filter only trims the transfer; teachersByClass checks the role itself in case a server ignores it.
    let enrollments: EnrollmentRecord[];
    try {
      enrollments = await this.collect('enrollments', 'enrollments', KEYS.enrollments, mapEnrollment, { filter: "role='teacher'" });
    } catch (err) {
      // 400 invalid_filter_field: a server without filtering on role; read them all.
      if (!(err instanceof ProviderError && err.details.status === 400)) throw err;
      enrollments = await this.collect('enrollments', 'enrollments', KEYS.enrollments, mapEnrollment);
    }
    return teachersByClass(enrollments);
  }

  /** Classes → sections with term, course title and teachers resolved. */
  async toSections(records: readonly Json[], warnings: string[], teachers?: Map<string, string[]>): Promise<CanonicalSection[]> {
    const refs = records.map(classRefs);
    const termsById = await this.terms.resolve(refs.flatMap((r) => (r.termId === null ? [] : [r.termId])));
    const coursesById = await this.courses.resolve(refs.flatMap((r) => (r.courseId === null ? [] : [r.courseId])));
    // Deleted classes need no teachers: they are only removed.
    const live = refs.filter((r, i) => r.id !== null && !isDeleted(records[i]!));
    let teacherIds = teachers;
    if (teacherIds === undefined && live.length > PER_CLASS_TEACHER_LOOKUPS) teacherIds = await this.teacherMap();
    if (teacherIds === undefined) {
      // A teacher's few classes (the import page): a handful of requests, a few at a time.
      teacherIds = new Map();
      for (let i = 0; i < live.length; i += PARALLEL_LOOKUPS) {
        const batch = live.slice(i, i + PARALLEL_LOOKUPS);
        const found = await Promise.all(batch.map((r) => this.teachersOfClass(r.id!, r.schoolId)));
        batch.forEach((r, n) => teacherIds!.set(r.id!, found[n] ?? []));
      }
    }
    const results = records.map((record, i) => {
      const r = refs[i]!;
      return mapClass(record, {
        term: r.termId === null ? null : (termsById.get(r.termId) ?? null),
        courseName: r.courseId === null ? null : (coursesById.get(r.courseId)?.name ?? null),
        teacherIds: r.id === null || isDeleted(record) ? [] : (teacherIds.get(r.id) ?? []),
      });
    });
    return this.keep('classes', results, warnings);
  }
}

function idOnly(record: Json): Mapped<string> {
  const id = str(record['sourcedId']);
  return id === null ? { ok: false, reason: 'missing sourcedId' } : { ok: true, value: id };
}
