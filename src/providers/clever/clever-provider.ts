import { HttpClient, type HttpOptions } from '../http-client.ts';
import { LookupCache } from '../lookup-cache.ts';
import { keepMapped, orNull } from '../records.ts';
import {
  ProviderError,
  type CanonicalDistrict,
  type CanonicalPerson,
  type CanonicalSchool,
  type CanonicalSection,
  type CanonicalTerm,
  type ChangePage,
  type ChangeRecord,
  type ConnectionReport,
  type RosterProvider,
} from '../roster-provider.ts';
import { str, strings, type Json, type Mapped } from '../wire.ts';
import { CleverApi, type CleverPage, type Query } from './clever-api.ts';
import { classifyEvent, isRelevantUpdate } from './clever-events.ts';
import { mapDistrict, mapSchool, mapSection, mapTerm, mapUser, sectionRefs } from './clever-mapper.ts';

export interface CleverProviderConfig {
  /** API host, e.g. https://api.clever.com; the adapter adds /v3.0. */
  readonly apiUrl: string;
  /** District-app token (Secure Sync); roster endpoints refuse user tokens. */
  readonly districtToken: string;
  readonly http?: HttpOptions;
  /** Records per page (Clever allows up to 10000). Default 1000. */
  readonly pageSize?: number;
  /** Malformed records that were skipped; messages carry ids, never personal data. */
  readonly onWarning?: (message: string) => void;
}

/** Counting pages: the largest page Clever allows, since only the length is used. */
const COUNT_PAGE = '10000';

export function createCleverProvider(config: CleverProviderConfig): RosterProvider {
  const http = new HttpClient('clever', config.districtToken, config.http);
  const api = new CleverApi(http, config.apiUrl, config.districtToken);
  const limit = String(Math.min(10_000, Math.max(1, Math.floor(config.pageSize ?? 1000))));
  const warn = (message: string): void => config.onWarning?.(message);
  const id = encodeURIComponent;

  const keep = <T>(collection: string, results: readonly Mapped<T>[], warnings: string[]): T[] => keepMapped('clever', collection, results, warnings);

  async function* mapped<T>(collection: string, path: string, query: Query, map: (r: Json) => Mapped<T>): AsyncGenerator<T[]> {
    for await (const page of api.pages(path, query)) {
      const warnings = page.skipped.map((s) => `Clever ${collection}: ${s}`);
      const values = keep(collection, page.records.map(map), warnings);
      warnings.forEach(warn);
      yield values;
    }
  }

  async function collect<T>(collection: string, path: string, query: Query, map: (r: Json) => Mapped<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const values of mapped(collection, path, query, map)) out.push(...values);
    return out;
  }

  function single<T>(collection: string, record: Json, map: (r: Json) => Mapped<T>): T | null {
    const warnings: string[] = [];
    const [value] = keep(collection, [map(record)], warnings);
    warnings.forEach(warn);
    return value ?? null;
  }

  const terms = new LookupCache<CanonicalTerm>({
    all: async () => (await collect('terms', '/terms', { limit }, mapTerm)).map((t) => [t.externalId, t] as const),
    one: (termId) => orNull(async () => single('terms', await api.getOne(`/terms/${id(termId)}`), mapTerm)),
  });
  const courses = new LookupCache<{ name: string | null }>({
    all: async () => {
      const out: [string, { name: string | null }][] = [];
      for await (const page of api.pages('/courses', { limit })) {
        for (const c of page.records) {
          const courseId = str(c['id']);
          if (courseId !== null) out.push([courseId, { name: str(c['name']) }]);
        }
      }
      return out;
    },
    one: (courseId) => orNull(async () => ({ name: str((await api.getOne(`/courses/${id(courseId)}`))['name']) })),
  });

  /** Sections with their term and course resolved in one batch per page. */
  async function toSections(records: readonly Json[], warnings: string[], status: 'active' | 'deleted' = 'active'): Promise<CanonicalSection[]> {
    const refs = records.map(sectionRefs);
    const termsById = await terms.resolve(refs.flatMap((r) => (r.termId === null ? [] : [r.termId])));
    const coursesById = await courses.resolve(refs.flatMap((r) => (r.courseId === null ? [] : [r.courseId])));
    const results = records.map((record, i) => {
      const { termId, courseId } = refs[i]!;
      return mapSection(
        record,
        { term: termId === null ? null : (termsById.get(termId) ?? null), courseName: courseId === null ? null : (coursesById.get(courseId)?.name ?? null) },
        status,
      );
    });
    return keep('sections', results, warnings);
  }

  async function* sectionPages(path: string, query: Query): AsyncGenerator<CanonicalSection[]> {
    for await (const page of api.pages(path, query)) {
      const warnings = page.skipped.map((s) => `Clever sections: ${s}`);
      const sections = await toSections(page.records, warnings);
      warnings.forEach(warn);
      yield sections;
    }
  }

  async function count(path: string, query: Query = {}): Promise<number> {
    let n = 0;
    for await (const page of api.pages(path, { ...query, limit: COUNT_PAGE })) n += page.records.length;
    return n;
  }

  async function district(): Promise<CanonicalDistrict> {
    const [first] = await collect('districts', '/districts', {}, mapDistrict);
    if (first === undefined) throw http.error('bad_data', 'GET /v3.0/districts: no district is shared with this token');
    return first;
  }

  /** Changes of one page of events, in feed order (later events win). */
  async function eventPageChanges(records: readonly Json[], warnings: string[]): Promise<ChangeRecord[]> {
    const events = records.map(classifyEvent);
    const changes: ChangeRecord[] = [];
    // The page's section events' terms and courses in one lookup (a few requests, or one bulk load), not one per event.
    const refs = events.flatMap((e) => (e.type !== 'invalid' && e.type !== 'ignored' && e.kind === 'sections' ? [sectionRefs(e.object)] : []));
    if (refs.length > 1) {
      await terms.resolve(refs.flatMap((r) => (r.termId === null ? [] : [r.termId])));
      await courses.resolve(refs.flatMap((r) => (r.courseId === null ? [] : [r.courseId])));
    }
    for (const [i, event] of events.entries()) {
      if (event.type === 'invalid') {
        warnings.push(`Clever event${event.id === null ? '' : ` ${event.id}`} skipped: ${event.reason}`);
        continue;
      }
      if (event.type === 'ignored' || !isRelevantUpdate(event)) continue;
      const action = event.action === 'deleted' ? 'delete' : 'upsert';
      switch (event.kind) {
        case 'users': {
          const [person] = keep('users', [mapUser(event.object)], warnings);
          // Contacts have no role Rollcall keeps; they are not errors.
          if (person !== undefined && person.roles.length > 0) changes.push({ kind: 'person', action, person: action === 'delete' ? { ...person, active: false } : person });
          break;
        }
        case 'sections': {
          const [section] = await toSections([event.object], warnings, action === 'delete' ? 'deleted' : 'active');
          if (section === undefined) break;
          const prior = event.previous?.['students'];
          if (event.action !== 'updated' || event.previous === null || (prior !== undefined && !Array.isArray(prior))) {
            changes.push({ kind: 'section', action, section });
            break;
          }
          // An update's student list is the roster as of that event: replayed after later joins
          // (a delta after Sync now or an import), it would remove them. previous_attributes says
          // exactly whom this event added or removed (or, without "students", that it moved no one).
          changes.push({ kind: 'section', action, section: { ...section, studentIds: null } });
          if (!Array.isArray(prior) || section.studentIds === null) break;
          const before = new Set(strings(prior));
          const after = new Set(section.studentIds);
          const at = str(records[i]!['created']);
          const enrollment = (personId: string, act: 'upsert' | 'delete'): ChangeRecord => ({ kind: 'enrollment', action: act, sectionId: section.externalId, personId, role: 'student', ...(at === null ? {} : { at }) });
          for (const personId of after) if (!before.has(personId)) changes.push(enrollment(personId, 'upsert'));
          for (const personId of before) if (!after.has(personId)) changes.push(enrollment(personId, 'delete'));
          break;
        }
        case 'terms': {
          const [term] = keep('terms', [mapTerm(event.object)], warnings);
          if (term === undefined) break;
          terms.set(term.externalId, action === 'delete' ? null : term);
          changes.push({ kind: 'term', action, term });
          break;
        }
        case 'courses': {
          const courseId = str(event.object['id']);
          if (courseId === null) {
            warnings.push(`Clever event ${event.id} skipped: course has no id`);
            break;
          }
          courses.set(courseId, action === 'delete' ? null : { name: str(event.object['name']) });
          // A renamed course renames every section of it; Clever sends no section events for that.
          if (event.action === 'updated') {
            const renamed = await orNull(async () => {
              const out: CanonicalSection[] = [];
              for await (const sections of sectionPages(`/courses/${id(courseId)}/sections`, { limit })) out.push(...sections);
              return out;
            });
            // null: the course is gone again by now; its sections' own events follow.
            for (const section of renamed ?? []) changes.push({ kind: 'section', action: 'upsert', section });
          }
          break;
        }
      }
    }
    return changes;
  }

  return {
    kind: 'clever',
    capabilities: { changeFeed: 'events', teacherSections: true, inlineSectionStudents: true },

    async testConnection(): Promise<ConnectionReport> {
      const d = await district();
      const schools = await count('/schools');
      const teachers = await count('/users', { role: 'teacher' });
      const sections = await count('/sections');
      const students = await count('/users', { role: 'student' });
      return { district: d, schools, teachers, sections, students };
    },

    district,

    schools: (): Promise<CanonicalSchool[]> => collect('schools', '/schools', { limit }, mapSchool),

    async sectionsForTeacher(teacherId) {
      const out: CanonicalSection[] = [];
      for await (const sections of sectionPages(`/users/${id(teacherId)}/sections`, { limit })) {
        // The endpoint also answers for students; keep sections this person teaches (or with no teacher data).
        out.push(...sections.filter((s) => s.teacherIds.includes(teacherId) || !(s.studentIds ?? []).includes(teacherId)));
      }
      return out;
    },

    section: (sectionId) =>
      orNull(async () => {
        const warnings: string[] = [];
        const [section] = await toSections([await api.getOne(`/sections/${id(sectionId)}`)], warnings);
        warnings.forEach(warn);
        return section ?? null;
      }),

    async studentsOfSection(sectionId) {
      const students = await collect('users', `/sections/${id(sectionId)}/users`, { role: 'student', limit }, mapUser);
      return students.filter((p) => p.roles.includes('student'));
    },

    person: (personId) => orNull(async () => single('users', await api.getOne(`/users/${id(personId)}`), mapUser)),

    allSections: () => sectionPages('/sections', { limit }),

    allStudents: () => mapped<CanonicalPerson>('users', '/users', { role: 'student', limit }, mapUser),

    // Clever lists a section's students on the section itself: enrollments come with the sections' pages.
    async *allStudentEnrollments() {
      for await (const sections of sectionPages('/sections', { limit })) {
        yield sections.filter((s) => s.status === 'active').flatMap((s) => (s.studentIds ?? []).map((personId) => ({ sectionId: s.externalId, personId })));
      }
    },

    async currentCursor() {
      return newestEventId(api);
    },

    async *changesSince(cursor): AsyncGenerator<ChangePage> {
      let position = cursor;
      let yielded = false;
      const pages = api.pages('/events', { limit, starting_after: cursor === '' ? undefined : cursor });
      for (;;) {
        let next: IteratorResult<CleverPage>;
        try {
          next = await pages.next();
        } catch (err) {
          // Only the feed itself: a 404 here means the cursor event is no longer kept.
          if (err instanceof ProviderError && err.kind === 'not_found') {
            throw new ProviderError('not_found', 'Clever GET /v3.0/events: the saved event cursor is gone (events are kept 30 days); run a full sync', err.details);
          }
          throw err;
        }
        if (next.done === true) break;
        const page = next.value;
        const warnings = page.skipped.map((s) => `Clever events: ${s}`);
        const changes = await eventPageChanges(page.records, warnings);
        for (const event of page.records) position = str(event['id']) ?? position;
        warnings.forEach(warn);
        yielded = true;
        yield { changes, cursor: position, warnings };
      }
      if (!yielded) yield { changes: [], cursor: position, warnings: [] };
    },
  };
}

/**
 * The newest event's id ('' for an empty feed). Clever's list paging takes
 * `ending_before=last` for the newest page, and its client libraries ask for
 * the newest event with `/events?ending_before=last&limit=1`; the Events pages
 * do not list it, so its answer is only where the walk starts: the feed is
 * then read forward from it to its end. Against Clever that is one empty page
 * instead of the whole 30-day feed; a server that ignores the parameter costs
 * the whole feed, and one that refuses it (400, or 404 for an id it does not
 * know) is read from the start, as before.
 */
async function newestEventId(api: CleverApi): Promise<string> {
  let last = '';
  try {
    for await (const page of api.pages('/events', { limit: '1', ending_before: 'last' })) {
      last = str(page.records[page.records.length - 1]?.['id']) ?? '';
      break;
    }
  } catch (err) {
    if (!(err instanceof ProviderError) || (err.kind !== 'bad_data' && err.kind !== 'not_found')) throw err;
  }
  for await (const page of api.pages('/events', { limit: COUNT_PAGE, ...(last === '' ? {} : { starting_after: last }) })) {
    for (const event of page.records) last = str(event['id']) ?? last;
  }
  return last;
}
