import { describe, expect, it } from 'vitest';
import { createCleverProvider } from '../../src/providers/clever/clever-provider.ts';
import { ProviderError, type ChangePage } from '../../src/providers/roster-provider.ts';
import { drain, fakeHttp, fakeTime, json, testHttp, type Seen } from './support/fake-http.ts';

const API = 'https://api.clever.test';
const T1 = '5fc43758db087d0be186c200';
const T2 = '5fc43758db087d0be186c201';
const S1 = '5fc43758db087d0be186c301';
const S2 = '5fc43758db087d0be186c302';
const TERM = '5fc43758db087d0be186c401';
const COURSE = '5fc43758db087d0be186c501';

/** A Clever list page: `{data:[{data,uri}], links}`; next is a relative uri with /v3.0. */
function page(collection: string, records: object[], next?: string) {
  return json({
    data: records.map((r) => ({ data: r, uri: `/v3.0/${collection}/${(r as { id?: string }).id ?? ''}` })),
    links: [{ rel: 'self', uri: `/v3.0/${collection}` }, ...(next === undefined ? [] : [{ rel: 'next', uri: next }])],
  });
}

const student = (id: string, extra: object = {}) => ({
  id,
  district: 'd1',
  name: { first: 'Ada', last: 'Lovelace' },
  email: 'ada@example.org',
  roles: { student: { school: 'sch1', schools: ['sch1', 'sch2'], grade: 'Kindergarten', sis_id: '1' } },
  ...extra,
});

const section = (id: string, extra: object = {}) => ({
  id,
  district: 'd1',
  school: 'sch1',
  name: 'Algebra - Smith - Period 3',
  subject: 'math',
  period: '3',
  students: [S1, S2],
  teacher: T1,
  teachers: [T2, T1],
  term_id: TERM,
  course: COURSE,
  ...extra,
});

function setup() {
  const http = fakeHttp();
  const time = fakeTime();
  const warnings: string[] = [];
  const provider = createCleverProvider({
    apiUrl: API,
    districtToken: 'DISTRICT-TOKEN',
    http: testHttp(http, time),
    onWarning: (m) => warnings.push(m),
  });
  http
    .on('GET /v3.0/terms/' + TERM, json({ data: { id: TERM, name: 'Fall 2025', start_date: '2025-08-20T00:00:00.000Z', end_date: '2025-12-19' } }))
    .on('GET /v3.0/courses/' + COURSE, json({ data: { id: COURSE, name: 'Algebra I', number: 'M101' } }));
  return { http, time, provider, warnings };
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof ProviderError ? err.kind : `other: ${String(err)}`;
  }
}

describe('Clever adapter: reads', () => {
  it('reads the district and schools through the documented envelope with bearer auth', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/districts', page('districts', [{ id: 'd1', name: 'Maple Grove' }]));
    http.on('GET /v3.0/schools', page('schools', [{ id: 'sch1', name: 'North High' }, { id: 'sch2', name: 'South High' }]));
    expect(await provider.district()).toEqual({ externalId: 'd1', name: 'Maple Grove' });
    expect(await provider.schools()).toEqual([
      { externalId: 'sch1', name: 'North High' },
      { externalId: 'sch2', name: 'South High' },
    ]);
    expect(http.requests.every((r) => r.headers['authorization'] === 'Bearer DISTRICT-TOKEN')).toBe(true);
    expect(http.requests[1]!.url.searchParams.get('limit')).toBe('1000');
  });

  it('follows next links until an empty page and maps students', async () => {
    const { http, provider } = setup();
    http.on(
      'GET /v3.0/sections/' + S1 + '/users',
      (req: Seen) => {
        expect(req.url.searchParams.get('role')).toBe('student');
        return page('users', [student(S1)], `/v3.0/sections/${S1}/users?role=student&limit=1000&starting_after=${S1}`);
      },
      page('users', [student(S2, { email: 'not-an-email', roles: { student: { school: 'sch2', grade: '09' } } })], `/v3.0/sections/${S1}/users?role=student&limit=1000&starting_after=${S2}`),
      page('users', []),
    );
    const students = await provider.studentsOfSection(S1);
    expect(students).toEqual([
      { externalId: S1, roles: ['student'], givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.org', grade: 'K', schoolIds: ['sch1', 'sch2'], active: true },
      { externalId: S2, roles: ['student'], givenName: 'Ada', familyName: 'Lovelace', email: null, grade: '9', schoolIds: ['sch2'], active: true },
    ]);
    expect(http.requests.map((r) => r.url.searchParams.get('starting_after'))).toEqual([null, S1, S2]);
  });

  it('maps sections with primary teacher first, inline students, cached term and course', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/users/' + T1 + '/sections', page('sections', [section(S1), section(S2, { teacher: null, teachers: [T1], students: undefined, term_id: null, course: null })]));
    const sections = await provider.sectionsForTeacher(T1);
    expect(sections[0]).toEqual({
      externalId: S1,
      name: 'Algebra - Smith - Period 3',
      schoolId: 'sch1',
      courseName: 'Algebra I',
      subject: 'math',
      period: '3',
      term: { externalId: TERM, name: 'Fall 2025', startDate: '2025-08-20', endDate: '2025-12-19' },
      teacherIds: [T1, T2],
      studentIds: [S1, S2],
      status: 'active',
    });
    // Absent `students` is unknown, not empty.
    expect(sections[1]).toMatchObject({ teacherIds: [T1], studentIds: null, term: null, courseName: null });
    await provider.sectionsForTeacher(T1);
    expect(http.paths().filter((p) => p.includes('/terms/') || p.includes('/courses/'))).toHaveLength(2);
  });

  it('skips malformed records with a warning and keeps the rest of the page', async () => {
    const { http, provider, warnings } = setup();
    http.on('GET /v3.0/users', page('users', [student(S1), { name: { first: 'No', last: 'Id' } }, student(S2, { roles: 'student' }), student('s3')]));
    const pages = await drain(provider.allStudents());
    expect(pages.flat().map((p) => p.externalId)).toEqual([S1, 's3']);
    expect(warnings).toEqual(['Clever users record skipped: missing id', `Clever users record ${S2} skipped: roles is not an object`]);
    expect(warnings.join(' ')).not.toContain('No');
  });

  it('answers null for a record that is gone (404)', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/users/nope', json({ message: 'Resource not found' }, { status: 404 }));
    http.on('GET /v3.0/sections/nope', json({ message: 'Resource not found' }, { status: 404 }));
    expect(await provider.person('nope')).toBeNull();
    expect(await provider.section('nope')).toBeNull();
  });

  it('raises bad_data for an envelope without data, and for a pagination loop', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/schools', json({ links: [] }));
    expect(await kindOf(provider.schools())).toBe('bad_data');
    http.on('GET /v3.0/sections', page('sections', [section(S1)], `/v3.0/sections?limit=1000&starting_after=${S1}`), page('sections', [section(S2)], `/v3.0/sections?limit=1000&starting_after=${S1}`));
    expect(await kindOf(drain(provider.allSections()))).toBe('bad_data');
  });

  it("maps 403 \"Resource not in token's scopes\" to not_permitted", async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/sections', json({ message: "Resource not in token's scopes" }, { status: 403 }));
    expect(await kindOf(drain(provider.allSections()))).toBe('not_permitted');
  });

  it('counts by paging with the largest page size', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/districts', page('districts', [{ id: 'd1', name: 'Maple Grove' }]));
    http.on('GET /v3.0/schools', page('schools', [{ id: 'a' }, { id: 'b' }]));
    http.on('GET /v3.0/sections', page('sections', [section(S1)]));
    http.on('GET /v3.0/users', (req) => (req.url.searchParams.get('role') === 'teacher' ? page('users', [{ id: T1 }]) : page('users', [student(S1), student(S2)])));
    expect(await provider.testConnection()).toEqual({ district: { externalId: 'd1', name: 'Maple Grove' }, schools: 2, teachers: 1, sections: 1, students: 2 });
    expect(http.requests.slice(1).every((r) => r.url.searchParams.get('limit') === '10000')).toBe(true);
    expect(http.requests.some((r) => r.url.searchParams.has('count'))).toBe(false);
  });
});

const event = (id: string, type: string, object: object, previous?: { inside?: object; beside?: object }) => ({
  id,
  type,
  created: '2025-01-15T12:00:00.000Z',
  data: { object, ...(previous?.inside ? { previous_attributes: previous.inside } : {}) },
  ...(previous?.beside ? { previous_attributes: previous.beside } : {}),
});

describe('Clever adapter: events', () => {
  /** An events feed of e1…e3 (oldest first) that answers `ending_before=last` as `honour` says. */
  const feed = (honour: 'newest' | 'ignored' | 'refused', events = ['e1', 'e2', 'e3']) => (req: Seen) => {
    const q = req.url.searchParams;
    if (q.get('ending_before') === 'last') {
      if (honour === 'refused') return json({ message: 'invalid ending_before' }, { status: 400 });
      return page('events', (honour === 'newest' ? events.slice(-1) : events.slice(0, 1)).map((id) => event(id, 'users.created', student(S1))));
    }
    const after = q.get('starting_after');
    const rest = after === null ? events : events.slice(events.indexOf(after) + 1);
    return page('events', rest.map((id) => event(id, 'users.created', student(S1))));
  };

  it('currentCursor asks for the newest event and checks that nothing follows it: two requests, not the whole feed', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', feed('newest'));
    expect(await provider.currentCursor()).toBe('e3');
    expect(http.paths()).toEqual(['GET /v3.0/events?limit=1&ending_before=last', 'GET /v3.0/events?limit=10000&starting_after=e3']);
  });

  it('currentCursor still finds the newest event where ending_before=last is ignored or refused, and is "" for an empty feed', async () => {
    for (const honour of ['ignored', 'refused'] as const) {
      const { http, provider } = setup();
      http.on('GET /v3.0/events', feed(honour));
      expect(await provider.currentCursor(), honour).toBe('e3');
    }
    const { http, provider } = setup();
    http.on('GET /v3.0/events', feed('newest', []));
    expect(await provider.currentCursor()).toBe('');
  });

  it('currentCursor does not hide an outage behind the fallback', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', json({ message: 'down' }, { status: 503 }));
    expect(await kindOf(provider.currentCursor())).toBe('unavailable');
  });

  it('maps user, section and term events, skipping unknown types with a warning', async () => {
    const { http, provider } = setup();
    http.on(
      'GET /v3.0/events',
      (req) => {
        expect(req.url.searchParams.get('starting_after')).toBe('e0');
        return page(
          'events',
          [
            event('e1', 'users.created', student(S1)),
            event('e2', 'sections.updated', section(S1, { students: [S1] }), { inside: { students: [S1, S2] } }),
            event('e3', 'sections.updated', section(S2), { beside: { last_modified: '2025-01-01T00:00:00.000Z' } }),
            event('e4', 'sections.updated', section(S2, { period: '4' }), { beside: { period: '3' } }),
            event('e5', 'sections.deleted', section(S1)),
            event('e6', 'terms.updated', { id: TERM, name: 'Fall 2025 (rev)', start_date: '2025-08-21', end_date: '2025-12-19' }),
            event('e7', 'schools.updated', { id: 'sch1', name: 'North' }),
            event('e8', 'students.created', { id: 'x' }),
            event('e9', 'users.deleted', { id: T1, name: { first: 'T', last: 'One' }, roles: { teacher: { school: 'sch1' } } }),
          ],
          '/v3.0/events?limit=1000&starting_after=e9',
        );
      },
      page('events', []),
    );
    const pages: ChangePage[] = await drain(provider.changesSince('e0'));
    expect(pages).toHaveLength(1);
    const [p] = pages;
    expect(p!.cursor).toBe('e9');
    expect(p!.changes.map((c) => `${c.kind}:${c.action}`)).toEqual(['person:upsert', 'section:upsert', 'enrollment:delete', 'section:upsert', 'section:delete', 'term:upsert', 'person:delete']);
    // An update's roster change is what previous_attributes says it moved, never its list as the whole roster.
    expect(p!.changes[1]).toMatchObject({ section: { externalId: S1, studentIds: null } });
    expect(p!.changes[2]).toEqual({ kind: 'enrollment', action: 'delete', sectionId: S1, personId: S2, role: 'student', at: '2025-01-15T12:00:00.000Z' });
    expect(p!.changes[3]).toMatchObject({ section: { externalId: S2, period: '4' } });
    expect(p!.changes[4]).toMatchObject({ section: { status: 'deleted' } });
    expect(p!.warnings).toEqual(['Clever event e8 skipped: unknown event type "students.created"']);
  });

  it('re-emits the sections of a renamed course', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', page('events', [event('e1', 'courses.updated', { id: COURSE, name: 'Algebra 1A' }, { inside: { name: 'Algebra I' } })]));
    http.on('GET /v3.0/courses/' + COURSE + '/sections', page('sections', [section(S1)]));
    const [p] = await drain(provider.changesSince(''));
    expect(p!.changes).toEqual([expect.objectContaining({ kind: 'section', section: expect.objectContaining({ externalId: S1, courseName: 'Algebra 1A' }) })]);
    expect(http.requests[0]!.url.searchParams.has('starting_after')).toBe(false);
  });

  it('does not mistake a vanished course for an expired cursor', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', page('events', [event('e1', 'courses.updated', { id: COURSE, name: 'Algebra 1A' }, { inside: { name: 'Algebra I' } })]));
    http.on('GET /v3.0/courses/' + COURSE + '/sections', json({ message: 'Resource not found' }, { status: 404 }));
    expect(await drain(provider.changesSince('e0'))).toEqual([{ changes: [], cursor: 'e1', warnings: [] }]);
  });

  it('yields one empty page that keeps the cursor when nothing happened', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', page('events', []));
    expect(await drain(provider.changesSince('e5'))).toEqual([{ changes: [], cursor: 'e5', warnings: [] }]);
  });

  it('explains a cursor that fell out of the 30-day window', async () => {
    const { http, provider } = setup();
    http.on('GET /v3.0/events', json({ message: 'Resource not found' }, { status: 404 }));
    await expect(drain(provider.changesSince('old'))).rejects.toThrow(/full sync/);
  });
});
