import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { bearer, form, basic, oauth1Client, request } from './support/http.ts';
import { checkRecord, type RecordType } from './support/oneroster-rules.ts';
import { RosterClient } from './support/roster-client.ts';

let sims: RunningSimulators;
let v11: RosterClient;
let v12: RosterClient;

beforeAll(async () => {
  sims = await startSimulators({ districts: [{ kind: 'generated', students: 1100, seed: 5, schools: 1 }, { kind: 'demo' }] });
  v11 = new RosterClient(sims.districts[0]!, '1.1');
  v12 = new RosterClient(sims.districts[0]!, '1.2');
});
afterAll(async () => sims.close());

const imsxMinor = (body: Record<string, unknown>) =>
  (body['imsx_CodeMinor'] as { imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[] }).imsx_codeMinorField[0]!.imsx_codeMinorFieldValue;

describe('OneRoster 1.1 OAuth 1.0a (HMAC-SHA256, two-legged)', () => {
  it('accepts requests signed by the oauth-1.0a package, query parameters included', async () => {
    const r = await v11.get(`/users?limit=3&offset=2&filter=${encodeURIComponent("role='teacher' AND givenName~'a'")}&sort=familyName&orderBy=desc&fields=sourcedId,givenName`);
    expect(r.status).toBe(200);
    expect(r.json<{ users: unknown[] }>().users.length).toBeGreaterThan(0);
  });

  it('rejects tampered, stale, replayed and wrongly keyed requests with the imsx envelope', async () => {
    const d = sims.districts[0]!;
    const url = `${d.oneRoster.v1p1.baseUrl}/classes?limit=5`;
    const client = oauth1Client(d.oneRoster.v1p1.consumerKey, d.oneRoster.v1p1.consumerSecret);
    const signed = client.toHeader(client.authorize({ url, method: 'GET' }));

    const tamperedQuery = await request(`${d.oneRoster.v1p1.baseUrl}/classes?limit=6`, { headers: { ...signed } });
    expect(tamperedQuery.status).toBe(401);
    expect(tamperedQuery.json()).toMatchObject({ imsx_codeMajor: 'failure', imsx_severity: 'error' });
    expect(imsxMinor(tamperedQuery.json())).toBe('unauthorisedrequest');

    const tamperedSig = signed.Authorization.replace(/oauth_signature="([^"]+)"/, (_m, sig: string) => `oauth_signature="${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}"`);
    expect((await request(url, { headers: { Authorization: tamperedSig } })).status).toBe(401);

    const ok = await request(url, { headers: { ...signed } });
    expect(ok.status).toBe(200);
    const replay = await request(url, { headers: { ...signed } });
    expect(replay.status).toBe(401);
    expect(replay.json<{ imsx_description: string }>().imsx_description).toContain('nonce');

    const wrongSecret = oauth1Client(d.oneRoster.v1p1.consumerKey, 'not-the-secret');
    expect((await request(url, { headers: { ...wrongSecret.toHeader(wrongSecret.authorize({ url, method: 'GET' })) } })).status).toBe(401);

    const otherTenant = sims.districts[1]!;
    const foreign = oauth1Client(otherTenant.oneRoster.v1p1.consumerKey, otherTenant.oneRoster.v1p1.consumerSecret);
    expect((await request(url, { headers: { ...foreign.toHeader(foreign.authorize({ url, method: 'GET' })) } })).status).toBe(401);

    sims.classlink.control.advanceClock(11 * 60_000);
    try {
      const stale = client.toHeader(client.authorize({ url, method: 'GET' }));
      const r = await request(url, { headers: { ...stale } });
      expect(r.status).toBe(401);
      expect(r.json<{ imsx_description: string }>().imsx_description).toContain('timestamp');
    } finally {
      sims.classlink.control.advanceClock(-11 * 60_000);
    }
    expect((await request(url)).status).toBe(401);
  });
});

describe('OneRoster 1.2 client credentials', () => {
  it('issues Bearer tokens for HTTP Basic only, valid for 3600 s', async () => {
    const { tokenUrl, clientId, clientSecret } = sims.districts[0]!.oneRoster.v1p2;
    const f = form({ grant_type: 'client_credentials' });
    const bodyOnly = await request(tokenUrl, { method: 'POST', headers: f.headers, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString() });
    expect(bodyOnly.status).toBe(401);
    const r = await request(tokenUrl, { method: 'POST', headers: { ...f.headers, ...basic(clientId, clientSecret) }, body: f.body });
    expect(r.status).toBe(200);
    const t = r.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>();
    expect(t.token_type).toBe('Bearer');
    expect(t.expires_in).toBe(3600);
    const url = `${sims.districts[0]!.oneRoster.v1p2.baseUrl}/orgs`;
    expect((await request(url, { headers: bearer(t.access_token) })).status).toBe(200);
    expect((await request(url, { headers: bearer('junk') })).status).toBe(401);
    sims.classlink.control.advanceClock(3601_000);
    try {
      expect((await request(url, { headers: bearer(t.access_token) })).status).toBe(401);
    } finally {
      sims.classlink.control.advanceClock(-3601_000);
    }
  });

  it('limits a roster-core token to the core endpoints', async () => {
    const client = new RosterClient(sims.districts[0]!, '1.2');
    await client.fetchToken('https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly');
    expect((await client.get('/classes?limit=1')).status).toBe(200);
    const classes = (await client.json<{ classes: { sourcedId: string }[] }>('/classes?limit=1')).body.classes;
    const nested = await client.get(`/classes/${classes[0]!.sourcedId}/students`);
    expect(nested.status).toBe(403);
    expect(imsxMinor(nested.json())).toBe('forbidden');
  });
});

describe('OneRoster endpoints and envelopes', () => {
  const cases: [string, string, RecordType][] = [
    ['/academicSessions', 'academicSessions', 'academicSession'],
    ['/terms', 'academicSessions', 'academicSession'],
    ['/orgs', 'orgs', 'org'],
    ['/schools', 'orgs', 'org'],
    ['/courses', 'courses', 'course'],
    ['/classes', 'classes', 'class'],
    ['/users', 'users', 'user'],
    ['/students', 'users', 'user'],
    ['/teachers', 'users', 'user'],
    ['/enrollments', 'enrollments', 'enrollment'],
  ];

  it.each(cases)('%s answers under "%s" with valid %s records (1.1 and 1.2)', async (path, key, type) => {
    for (const client of [v11, v12]) {
      const r = await client.json<Record<string, Record<string, unknown>[]>>(`${path}?limit=200`);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body)).toEqual([key]);
      expect(r.body[key]!.length).toBeGreaterThan(0);
      for (const record of r.body[key]!) expect(checkRecord(type, client.version, record), JSON.stringify(record)).toEqual([]);
      const first = r.body[key]![0]!;
      const single = await client.json(`${path}/${String(first['sourcedId'])}`);
      expect(single.status).toBe(200);
      const singleKey = key === 'academicSessions' ? 'academicSession' : key === 'classes' ? 'class' : key.slice(0, -1);
      expect(single.body).toEqual({ [singleKey]: first });
    }
    if (path === '/teachers') {
      const teachers = (await v11.json<{ users: { role: string }[] }>('/teachers?limit=1000')).body.users;
      expect(teachers.every((u) => u.role === 'teacher')).toBe(true);
    }
  });

  it('serializes 1.1 users with role+orgs, 1.2 users with roles[], enabledUser as a string', async () => {
    const teacher = sims.districts[0]!.teachers[0]!;
    const u11 = (await v11.json<{ user: Record<string, unknown> }>(`/users/${teacher.oneRosterSourcedId}`)).body.user;
    expect(u11).toMatchObject({ role: 'teacher', enabledUser: 'true' });
    const u12 = (await v12.json<{ user: Record<string, unknown> }>(`/users/${teacher.oneRosterSourcedId}`)).body.user;
    expect(u12['roles']).toEqual([
      expect.objectContaining({ roleType: 'primary', role: 'teacher' }),
      expect.objectContaining({ roleType: 'secondary', role: 'siteAdministrator' }),
    ]);
  });

  it('serves the nested endpoints', async () => {
    const school = (await v11.json<{ orgs: { sourcedId: string }[] }>('/schools')).body.orgs[0]!.sourcedId;
    const teacher = sims.districts[0]!.teachers[0]!.oneRosterSourcedId;
    const classes = (await v11.json<{ classes: { sourcedId: string }[] }>(`/teachers/${teacher}/classes`)).body.classes;
    expect(classes.length).toBeGreaterThan(0);
    const cls = classes[0]!.sourcedId;
    const student = (await v11.json<{ users: { sourcedId: string }[] }>(`/classes/${cls}/students`)).body.users[0]!.sourcedId;
    const term = (await v11.json<{ academicSessions: { sourcedId: string }[] }>('/terms')).body.academicSessions[1]!.sourcedId;
    const course = (await v11.json<{ courses: { sourcedId: string }[] }>('/courses')).body.courses[0]!.sourcedId;
    const nested: [string, string][] = [
      [`/schools/${school}/classes`, 'classes'],
      [`/schools/${school}/students`, 'users'],
      [`/schools/${school}/teachers`, 'users'],
      [`/schools/${school}/enrollments`, 'enrollments'],
      [`/classes/${cls}/students`, 'users'],
      [`/classes/${cls}/teachers`, 'users'],
      [`/teachers/${teacher}/classes`, 'classes'],
      [`/students/${student}/classes`, 'classes'],
      [`/users/${student}/classes`, 'classes'],
      [`/terms/${term}/classes`, 'classes'],
      [`/courses/${course}/classes`, 'classes'],
      [`/schools/${school}/classes/${cls}/students`, 'users'],
    ];
    for (const [path, key] of nested) {
      for (const client of [v11, v12]) {
        const r = await client.json<Record<string, unknown[]>>(path);
        expect(r.status, path).toBe(200);
        expect(Object.keys(r.body), path).toEqual([key]);
        expect(r.body[key]!.length, path).toBeGreaterThan(0);
      }
    }
    const studentClasses = (await v11.json<{ classes: { sourcedId: string }[] }>(`/students/${student}/classes`)).body.classes;
    expect(studentClasses.map((c) => c.sourcedId)).toContain(cls);
  });

  it('answers unknown ids with 404 unknownobject and wrong-type ids too', async () => {
    for (const path of ['/users/stu-999999', '/classes/nope', `/students/${sims.districts[0]!.teachers[0]!.oneRosterSourcedId}`, '/classes/nope/students']) {
      const r = await v11.json(path);
      expect(r.status, path).toBe(404);
      expect(imsxMinor(r.body)).toBe('unknownobject');
    }
  });
});

describe('OneRoster paging, filter, sort and fields', () => {
  it('pages with limit/offset, X-Total-Count, X-Count and an RFC 8288 Link header', async () => {
    const r = await v11.get('/students?limit=100&offset=200');
    expect(r.headers.get('x-total-count')).toBe('1100');
    expect(r.headers.get('x-count')).toBe('100');
    const links = r.headers.get('link')!;
    expect(links).toMatch(/<http:\/\/[^>]+\/students\?limit=100&offset=300>; rel="next"/);
    expect(links).toMatch(/offset=1000>; rel="last"/);
    expect(links).toMatch(/offset=0>; rel="first"/);
    expect(links).toMatch(/offset=100>; rel="prev"/);
    const defaults = await v11.json<{ users: unknown[] }>('/students');
    expect(defaults.body.users).toHaveLength(100);
    const past = await v11.json<{ users: unknown[] }>('/students?offset=5000');
    expect(past.body.users).toEqual([]);
  });

  it('filters with =, !=, ~, >, <=, AND/OR, dates and status; unknown fields are 400 invalid_filter_field', async () => {
    const q = (filter: string) => v12.json<{ users: Record<string, unknown>[] }>(`/users?limit=2000&filter=${encodeURIComponent(filter)}`);
    const teachers = (await q("roles.role='teacher'")).body.users;
    expect(teachers.length).toBe(sims.districts[0]!.counts.teachers);
    const named = (await v11.json<{ users: Record<string, string>[] }>(`/users?limit=2000&filter=${encodeURIComponent("givenName~'Zo' OR familyName='O''Brien'")}`)).body.users;
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((u) => u['givenName']!.includes('Zo') || u['familyName'] === "O'Brien")).toBe(true);
    const notStudents = (await v11.json<{ users: Record<string, string>[] }>(`/users?limit=2000&filter=${encodeURIComponent("role!='student'")}`)).body.users;
    expect(notStudents.some((u) => u['role'] === 'student')).toBe(false);
    const future = (await v11.json<{ users: unknown[] }>(`/users?filter=${encodeURIComponent("dateLastModified>'2999-01-01'")}`)).body.users;
    expect(future).toEqual([]);
    const active = await v11.get(`/classes?filter=${encodeURIComponent("status='active'")}`);
    expect(active.headers.get('x-total-count')).toBe(String(sims.districts[0]!.counts.sections));
    const bySchool = (await v11.json<{ classes: unknown[] }>(`/classes?limit=1&filter=${encodeURIComponent("school.sourcedId='sch-0000' AND classType='scheduled'")}`)).body.classes;
    expect(bySchool).toHaveLength(1);
    const bad = await v11.json(`/users?filter=${encodeURIComponent("shoeSize='9'")}`);
    expect(bad.status).toBe(400);
    expect(imsxMinor(bad.body)).toBe('invalid_filter_field');
    const malformed = await v11.json(`/users?filter=${encodeURIComponent('givenName=Zoe')}`);
    expect(malformed.status).toBe(400);
  });

  it('sorts with sort+orderBy (desc reverses, anything else is ascending) and selects fields', async () => {
    const desc = (await v11.json<{ users: { sourcedId: string }[] }>('/students?limit=3&sort=sourcedId&orderBy=desc')).body.users.map((u) => u.sourcedId);
    expect(desc).toEqual(['stu-001099', 'stu-001098', 'stu-001097']);
    const dsc = (await v11.json<{ users: { sourcedId: string }[] }>('/students?limit=2&sort=sourcedId&orderBy=dsc')).body.users.map((u) => u.sourcedId);
    expect(dsc).toEqual(['stu-000000', 'stu-000001']);
    const byName = (await v11.json<{ users: { familyName: string }[] }>('/students?limit=50&sort=familyName')).body.users.map((u) => u.familyName);
    expect([...byName].sort()).toEqual(byName);
    const slim = (await v11.json<{ users: Record<string, unknown>[] }>('/students?limit=2&fields=sourcedId,familyName')).body.users;
    expect(slim.every((u) => Object.keys(u).join() === 'sourcedId,familyName')).toBe(true);
    const unknown11 = await v11.json<Record<string, unknown>>('/students?limit=1&fields=sourcedId,shoeSize');
    expect(unknown11.status).toBe(200);
    expect(unknown11.body['statusInfoSet']).toBeDefined();
    const unknown12 = await v12.json('/students?limit=1&fields=sourcedId,shoeSize');
    expect(unknown12.status).toBe(400);
    expect(imsxMinor(unknown12.body)).toBe('invalid_selection_field');
  });
});
