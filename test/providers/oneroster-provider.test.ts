import { describe, expect, it } from 'vitest';
import { createOneRosterProvider } from '../../src/providers/oneroster/oneroster-provider.ts';
import { ProviderError } from '../../src/providers/roster-provider.ts';
import { drain, fakeHttp, fakeTime, json, type Seen } from './support/fake-http.ts';
import { testHttp } from './support/fake-http.ts';

const SERVER = 'https://acme-tx-v2.rosterserver.test';
const BASE = '/ims/oneroster/v1p1';

const ref = (type: string, sourcedId: string) => ({ href: `https://elsewhere.test/${type}/${sourcedId}`, sourcedId, type });

function user(id: string, extra: object = {}) {
  return { sourcedId: id, status: 'active', dateLastModified: '2025-01-10T00:00:00.000Z', enabledUser: 'true', givenName: 'Ada', familyName: 'Lovelace', role: 'student', orgs: [ref('org', 'sch1')], grades: ['KG'], email: 'ada@example.org', ...extra };
}

function klass(id: string, extra: object = {}) {
  return { sourcedId: id, status: 'active', dateLastModified: '2025-01-10T00:00:00.000Z', title: 'Biology 1', classCode: '', classType: 'scheduled', course: ref('course', 'c1'), school: ref('org', 'sch1'), terms: [ref('academicSession', 'FY')], subjects: ['Science'], periods: ['2'], ...extra };
}

function enrollment(id: string, classId: string, userId: string, role: string, extra: object = {}) {
  return { sourcedId: id, status: 'active', dateLastModified: '2025-01-10T00:00:00.000Z', class: ref('class', classId), user: ref('user', userId), school: ref('org', 'sch1'), role, ...extra };
}

/** Answers a collection route by slicing `records` with limit/offset, optionally sending X-Total-Count. */
function collection(key: string, records: object[], opts: { total?: boolean; cap?: number; ignoreOffset?: boolean } = {}) {
  return (req: Seen) => {
    const limit = Math.min(Number(req.url.searchParams.get('limit') ?? 100), opts.cap ?? Infinity);
    const offset = opts.ignoreOffset ? 0 : Number(req.url.searchParams.get('offset') ?? 0);
    return json({ [key]: records.slice(offset, offset + limit) }, { headers: opts.total === false ? {} : { 'x-total-count': String(records.length) } });
  };
}

function setup(pageSize = 2) {
  const http = fakeHttp();
  const time = fakeTime();
  const warnings: string[] = [];
  const provider = createOneRosterProvider({ serverUrl: SERVER, version: '1.1', clientId: 'key', clientSecret: 'secret', pageSize, http: testHttp(http, time), onWarning: (m) => warnings.push(m) });
  http
    .on(`GET ${BASE}/academicSessions/FY`, json({ academicSession: { sourcedId: 'FY', status: 'active', title: 'Full Year', startDate: '2025-08-15', endDate: '2026-06-01', type: 'schoolYear' } }))
    .on(`GET ${BASE}/courses/c1`, json({ course: { sourcedId: 'c1', status: 'active', title: 'Biology' } }));
  return { http, time, provider, warnings };
}

const offsets = (http: ReturnType<typeof fakeHttp>, path: string) => http.requests.filter((r) => r.url.pathname === BASE + path).map((r) => Number(r.url.searchParams.get('offset')));

describe('OneRoster adapter: paging', () => {
  it('pages with limit, offset and a stable sort until X-Total-Count is reached', async () => {
    const { http, provider } = setup();
    http.on(`GET ${BASE}/students`, collection('users', [user('a'), user('b'), user('c'), user('d')]));
    const pages = await drain(provider.allStudents());
    expect(pages.flat().map((p) => p.externalId)).toEqual(['a', 'b', 'c', 'd']);
    expect(offsets(http, '/students')).toEqual([0, 2]);
    const q = http.requests[0]!.url.searchParams;
    expect([q.get('limit'), q.get('sort'), q.get('orderBy')]).toEqual(['2', 'sourcedId', 'asc']);
  });

  it('without X-Total-Count stops on a short page, and on an empty page', async () => {
    const { http, provider } = setup(3);
    http.on(`GET ${BASE}/students`, collection('users', [user('a'), user('b'), user('c'), user('d')], { total: false }));
    expect((await drain(provider.allStudents())).flat()).toHaveLength(4);
    expect(offsets(http, '/students')).toEqual([0, 3]);
    const other = setup(2);
    other.http.on(`GET ${BASE}/students`, collection('users', [user('a'), user('b')], { total: false }));
    expect((await drain(other.provider.allStudents())).flat()).toHaveLength(2);
    expect(offsets(other.http, '/students')).toEqual([0, 2]);
  });

  it('reads past a server-side page cap (short but total says more, or a round 100)', async () => {
    const many = Array.from({ length: 250 }, (_, i) => user(`u${String(i).padStart(3, '0')}`));
    const { http, provider } = setup(1000);
    http.on(`GET ${BASE}/students`, collection('users', many, { cap: 100 }));
    expect((await drain(provider.allStudents())).flat()).toHaveLength(250);
    expect(offsets(http, '/students')).toEqual([0, 100, 200]);
    const noTotal = setup(1000);
    noTotal.http.on(`GET ${BASE}/students`, collection('users', many, { cap: 100, total: false }));
    expect((await drain(noTotal.provider.allStudents())).flat()).toHaveLength(250);
  });

  it('drops duplicates and detects a server that ignores offset', async () => {
    const { http, provider } = setup();
    http.on(`GET ${BASE}/students`, json({ users: [user('a'), user('b')] }, { headers: { 'x-total-count': '3' } }), json({ users: [user('b'), user('c')] }, { headers: { 'x-total-count': '3' } }));
    expect((await drain(provider.allStudents())).flat().map((p) => p.externalId)).toEqual(['a', 'b', 'c']);
    http.on(`GET ${BASE}/students`, collection('users', [user('a'), user('b'), user('c')], { ignoreOffset: true }));
    await expect(drain(provider.allStudents())).rejects.toMatchObject({ kind: 'bad_data' });
  });

  it('takes an unpaged answer (more records than the limit) as complete', async () => {
    const { http, provider } = setup(2);
    http.on(`GET ${BASE}/students`, json({ users: [user('a'), user('b'), user('c')] }));
    expect((await drain(provider.allStudents())).flat()).toHaveLength(3);
    expect(offsets(http, '/students')).toEqual([0]);
  });

  it('accepts documented alternate envelope keys and refuses a 200 without any', async () => {
    const { http, provider } = setup();
    http.on(`GET ${BASE}/students`, json({ students: [user('a')] }));
    expect((await drain(provider.allStudents())).flat()).toHaveLength(1);
    http.on(`GET ${BASE}/students`, json({ imsx_codeMajor: 'failure', imsx_description: 'oops' }));
    const err = await drain(provider.allStudents()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_data');
    expect((err as ProviderError).message).toContain('users/students');
    http.on(`GET ${BASE}/students`, json({ users: 'none' }));
    await expect(drain(provider.allStudents())).rejects.toMatchObject({ kind: 'bad_data' });
  });
});

describe('OneRoster adapter: records', () => {
  it('reads both user shapes, string booleans, CEDS grades and tobedeleted', async () => {
    const { http, provider, warnings } = setup(10);
    const v12 = {
      sourcedId: 't1',
      status: 'active',
      enabledUser: true,
      givenName: 'Tom',
      familyName: 'Teach',
      primaryOrg: ref('org', 'sch2'),
      roles: [
        { roleType: 'secondary', role: 'teacher', org: ref('org', 'sch1') },
        { roleType: 'primary', role: 'siteAdministrator', org: ref('org', 'sch2') },
      ],
      grades: '',
    };
    http.on(
      `GET ${BASE}/students`,
      collection('users', [
        user('a', { grades: ['01'], enabledUser: 'false' }),
        user('b', { status: 'tobedeleted', grades: '' }),
        v12,
        user('c', { role: 'Teacher', orgs: '', grades: undefined, email: 'nope' }),
        { givenName: 'No', familyName: 'Id' },
        user('d', { roles: 'student' }),
      ]),
    );
    const people = (await drain(provider.allStudents())).flat();
    expect(people.map((p) => [p.externalId, p.roles, p.grade, p.active, p.schoolIds, p.email])).toEqual([
      ['a', ['student'], '1', false, ['sch1'], 'ada@example.org'],
      ['b', ['student'], null, false, ['sch1'], 'ada@example.org'],
      ['t1', ['teacher', 'administrator'], null, true, ['sch2', 'sch1'], null],
      ['c', ['teacher'], null, true, [], null],
    ]);
    expect(warnings).toEqual(['ClassLink users record skipped: missing sourcedId', 'ClassLink users record d skipped: roles is not an array']);
  });

  it('builds a teacher\'s sections: escaped ids, terms and course titles cached, teachers primary first', async () => {
    const { http, provider } = setup(10);
    http.on(`GET ${BASE}/teachers/t%2F2/classes`, collection('classes', [klass('k1'), klass('k2', { terms: '', course: undefined, periods: ['1', '2'] }), klass('k3', { status: 'tobedeleted' })]));
    http.on(`GET ${BASE}/schools/sch1/classes/k1/enrollments`, collection('enrollments', [enrollment('e1', 'k1', 's1', 'student'), enrollment('e2', 'k1', 't1', 'teacher', { primary: 'false' }), enrollment('e3', 'k1', 't/2', 'teacher', { primary: 'true' }), enrollment('e4', 'k1', 't3', 'teacher', { status: 'tobedeleted' })]));
    http.on(`GET ${BASE}/schools/sch1/classes/k2/enrollments`, collection('enrollments', [enrollment('e5', 'k2', 't/2', 'teacher', { primary: false })]));
    const sections = await provider.sectionsForTeacher('t/2');
    expect(sections).toEqual([
      {
        externalId: 'k1',
        name: 'Biology 1',
        schoolId: 'sch1',
        courseName: 'Biology',
        subject: 'Science',
        period: '2',
        term: { externalId: 'FY', name: 'Full Year', startDate: '2025-08-15', endDate: '2026-06-01' },
        teacherIds: ['t/2', 't1'],
        studentIds: null,
        status: 'active',
      },
      expect.objectContaining({ externalId: 'k2', term: null, courseName: null, period: '1, 2', teacherIds: ['t/2'] }),
    ]);
    expect(http.requests.some((r) => r.url.hostname === 'elsewhere.test')).toBe(false);
    await provider.section('k1').catch(() => undefined);
    expect(http.paths().filter((p) => p.includes('/academicSessions/') || p.includes('/courses/'))).toHaveLength(2);
  });

  it('reads every class with teachers from one walk over teacher enrollments (unfiltered if the server refuses the filter)', async () => {
    const { http, provider } = setup(10);
    http.on(`GET ${BASE}/classes`, collection('classes', [klass('k1'), klass('k2')]));
    http.on(`GET ${BASE}/enrollments`, (req) =>
      req.url.searchParams.has('filter')
        ? json({ imsx_codeMajor: 'failure', imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invalid_filter_field' }] } }, { status: 400 })
        : collection('enrollments', [enrollment('e1', 'k1', 's1', 'student'), enrollment('e2', 'k1', 't1', 'teacher'), enrollment('e3', 'k1', 't2', 'teacher', { primary: 'true' }), enrollment('e4', 'k2', 't1', 'teacher', { primary: 'TRUE' })])(req),
    );
    const sections = (await drain(provider.allSections())).flat();
    expect(sections.map((s) => [s.externalId, s.teacherIds])).toEqual([
      ['k1', ['t2', 't1']],
      ['k2', ['t1']],
    ]);
    expect(http.paths().filter((p) => p.includes('/schools/'))).toEqual([]);
  });

  it('lists a class\'s students and answers null for unknown records', async () => {
    const { http, provider } = setup(10);
    http.on(`GET ${BASE}/classes/k1/students`, collection('users', [user('s1'), user('s2')]));
    http.on(`GET ${BASE}/users/gone`, json({ imsx_codeMajor: 'failure' }, { status: 404 }));
    expect((await provider.studentsOfSection('k1')).map((s) => s.externalId)).toEqual(['s1', 's2']);
    expect(await provider.person('gone')).toBeNull();
  });

  it('finds the district org and counts with X-Total-Count, paging when it is absent', async () => {
    const { http, provider } = setup(10);
    http.on(`GET ${BASE}/orgs`, collection('orgs', [{ sourcedId: 'sch1', name: 'North', type: 'school', parent: ref('org', 'd1') }, { sourcedId: 'd1', name: 'Acme ISD', type: 'district' }]));
    http.on(`GET ${BASE}/schools`, collection('orgs', [{ sourcedId: 'sch1' }, { sourcedId: 'sch2' }]));
    http.on(`GET ${BASE}/teachers`, collection('users', [user('t1')]));
    http.on(`GET ${BASE}/classes`, collection('classes', [klass('k1'), klass('k2'), klass('k3')], { total: false }));
    http.on(`GET ${BASE}/students`, collection('users', Array.from({ length: 42 }, (_, i) => user(`s${i}`))));
    expect(await provider.testConnection()).toEqual({ district: { externalId: 'd1', name: 'Acme ISD' }, schools: 2, teachers: 1, sections: 3, students: 42 });
    expect(offsets(http, '/students')).toEqual([0]);
    expect(http.requests.filter((r) => r.url.pathname === `${BASE}/students`)[0]!.url.searchParams.get('limit')).toBe('1');
  });
});

describe('OneRoster adapter: changes', () => {
  it('reads each collection modified since the cursor and moves the cursor only at the end', async () => {
    const { http, provider } = setup(10);
    const filters = new Set<string>();
    const track = (key: string, records: object[]) => (req: Seen) => {
      filters.add(req.url.searchParams.get('filter') ?? '');
      return collection(key, records)(req);
    };
    http.on(`GET ${BASE}/academicSessions`, track('academicSessions', [{ sourcedId: 'FY', status: 'active', dateLastModified: '2025-01-12T10:00:00.000Z', title: 'Full Year (rev)', startDate: '2025-08-15', endDate: '2026-06-01' }]));
    http.on(`GET ${BASE}/users`, track('users', [user('s1', { dateLastModified: '2025-01-14T08:00:00.000Z' }), user('s2', { status: 'tobedeleted' }), user('g1', { role: 'guardian' })]));
    http.on(`GET ${BASE}/classes`, track('classes', [klass('k1'), klass('k9', { status: 'tobedeleted' })]));
    http.on(`GET ${BASE}/schools/sch1/classes/k1/enrollments`, collection('enrollments', [enrollment('e1', 'k1', 't1', 'teacher', { primary: 'true' })]));
    http.on(`GET ${BASE}/enrollments`, track('enrollments', [enrollment('e7', 'k1', 's1', 'student'), enrollment('e8', 'k1', 's2', 'student', { status: 'tobedeleted' }), enrollment('e9', 'k1', 'p1', 'proctor')]));

    const cursor = '2025-01-11T00:00:00.000Z';
    const pages = await drain(provider.changesSince(cursor));
    expect([...filters]).toEqual(["dateLastModified>'2025-01-11T00:00:00.000Z'"]);
    expect(pages.slice(0, -1).every((p) => p.cursor === cursor)).toBe(true);
    // Newest dateLastModified seen, minus the 5-minute overlap.
    expect(pages.at(-1)!.cursor).toBe('2025-01-14T07:55:00.000Z');
    const changes = pages.flatMap((p) => p.changes);
    expect(changes.map((c) => `${c.kind}:${c.action}`)).toEqual(['term:upsert', 'person:upsert', 'person:delete', 'section:upsert', 'section:delete', 'enrollment:upsert', 'enrollment:delete']);
    expect(changes[3]).toMatchObject({ section: { externalId: 'k1', teacherIds: ['t1'], term: { name: 'Full Year (rev)' } } });
    expect(changes[6]).toMatchObject({ kind: 'enrollment', action: 'delete', sectionId: 'k1', personId: 's2', role: 'student' });
    expect(http.requests.every((r) => r.url.search.includes('%27') || !r.url.searchParams.has('filter'))).toBe(true);
  });

  it('keeps the cursor when nothing changed; currentCursor is server time minus the overlap', async () => {
    const { http, provider } = setup(10);
    for (const c of ['academicSessions', 'users', 'classes', 'enrollments']) http.on(`GET ${BASE}/${c}`, json({ [c]: [] }, { headers: { date: 'Wed, 15 Jan 2025 09:00:00 GMT' } }));
    expect(await drain(provider.changesSince('2025-01-11T00:00:00.000Z'))).toEqual([{ changes: [], cursor: '2025-01-11T00:00:00.000Z', warnings: [] }]);
    expect(await provider.currentCursor()).toBe('2025-01-15T08:55:00.000Z');
  });
});
