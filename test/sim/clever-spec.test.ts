import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { bearer, getJson, hasReference, SWAGGER_PATH } from './support/http.ts';
import { SwaggerChecker } from './support/swagger.ts';

/**
 * Every object the Clever simulator returns is checked against Clever's
 * published Swagger 2.0 spec (clever-v3.0-swagger.yml): field names, types,
 * enums, nullability — unknown properties are failures.
 */
const present = hasReference(SWAGGER_PATH);

if (!present) {
  describe('Clever simulator vs. Clever v3.0 Swagger spec', () => {
    it.skip(`skipped: ${SWAGGER_PATH} is not available (the shared reference folder is outside this repository)`, () => {});
  });
}

interface ListBody {
  data: { data: Record<string, unknown>; uri: string }[];
  links: { rel: string; uri: string }[];
}

describe.skipIf(!present)('Clever simulator vs. Clever v3.0 Swagger spec', () => {
  let sims: RunningSimulators;
  let spec: SwaggerChecker;
  let token: string;
  const get = <T = ListBody>(path: string) => getJson<T>(`${sims.clever.url}${path}`, bearer(token));

  beforeAll(async () => {
    spec = SwaggerChecker.load(SWAGGER_PATH);
    sims = await startSimulators({ districts: [{ kind: 'generated', students: 1300, seed: 3, schools: 1 }] });
    token = sims.districts[0]!.cleverDistrictToken;
  });
  afterAll(async () => sims?.close());

  const expectValid = (definition: string, value: unknown) => {
    expect(spec.check(definition, value), `${definition}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
  };

  /** Clever's event model puts previous_attributes beside `data`; its docs (and we) put it inside. */
  const specEvent = (event: { data: { previous_attributes?: unknown } & Record<string, unknown> } & Record<string, unknown>) => {
    const { previous_attributes, ...data } = event.data;
    return { ...event, data, ...(previous_attributes === undefined ? {} : { previous_attributes }) };
  };

  /**
   * The spec's *Response models omit the `uri` of list items and the `links`
   * of single responses that Clever's docs show (clever.md §2.1): check those
   * separately, then validate the rest strictly.
   */
  const expectEnvelope = (definition: string, body: Record<string, unknown>) => {
    const links = body['links'];
    if (Array.isArray(body['data'])) {
      for (const item of body['data'] as { uri?: unknown }[]) expect(item.uri).toMatch(/^\/v3\.0\/[a-z]+\/[0-9a-f]{24}$/);
      const data = (body['data'] as Record<string, unknown>[]).map(({ uri: _uri, ...rest }) =>
        definition === 'EventsResponse' ? { ...rest, data: specEvent(rest['data'] as never) } : rest,
      );
      expectValid(definition, { data, links });
    } else {
      expect(links).toEqual([{ rel: 'self', uri: expect.stringMatching(/^\/v3\.0\//) }]);
      expectValid(definition, { data: definition === 'EventResponse' ? specEvent(body['data'] as never) : body['data'] });
    }
    for (const link of (links as { rel: string; uri: string }[]) ?? []) {
      expectValid('Link', link);
      expect(link.uri.startsWith('/v3.0/')).toBe(true);
    }
  };

  const endpoints: [string, string, string][] = [
    ['/v3.0/districts', 'DistrictsResponse', 'District'],
    ['/v3.0/schools', 'SchoolsResponse', 'School'],
    ['/v3.0/terms', 'TermsResponse', 'Term'],
    ['/v3.0/courses', 'CoursesResponse', 'Course'],
    ['/v3.0/sections?limit=400', 'SectionsResponse', 'Section'],
    ['/v3.0/users?limit=300', 'UsersResponse', 'User'],
    ['/v3.0/users?role=teacher&limit=200', 'UsersResponse', 'User'],
    ['/v3.0/users?role=staff', 'UsersResponse', 'User'],
    ['/v3.0/users?role=district_admin', 'UsersResponse', 'User'],
  ];

  it.each(endpoints)('GET %s matches %s and every item matches %s', async (path, envelope, item) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expectEnvelope(envelope, body as never);
    expect(body.data.length).toBeGreaterThan(0);
    for (const entry of body.data) expectValid(item, entry.data);
  });

  it('matches the spec for nested lists and single objects', async () => {
    const sections = (await get('/v3.0/sections?limit=5')).body.data.map((e) => e.data);
    const section = sections[0]!;
    expectEnvelope('SectionResponse', (await get(`/v3.0/sections/${section['id']}`)).body as never);
    expectEnvelope('UsersResponse', (await get(`/v3.0/sections/${section['id']}/users`)).body as never);
    expectEnvelope('UsersResponse', (await get(`/v3.0/sections/${section['id']}/users?role=student`)).body as never);
    expectEnvelope('SchoolResponse', (await get(`/v3.0/sections/${section['id']}/school`)).body as never);
    expectEnvelope('TermResponse', (await get(`/v3.0/sections/${section['id']}/term`)).body as never);
    expectEnvelope('CourseResponse', (await get(`/v3.0/sections/${section['id']}/course`)).body as never);
    const school = (await get('/v3.0/schools')).body.data[0]!.data;
    expectEnvelope('SectionsResponse', (await get(`/v3.0/schools/${school['id']}/sections?limit=50`)).body as never);
    expectEnvelope('UsersResponse', (await get(`/v3.0/schools/${school['id']}/users?role=staff`)).body as never);
    const teacher = (await get('/v3.0/users?role=teacher&limit=1')).body.data[0]!.data;
    expectEnvelope('UserResponse', (await get(`/v3.0/users/${teacher['id']}`)).body as never);
    expectEnvelope('SectionsResponse', (await get(`/v3.0/users/${teacher['id']}/sections`)).body as never);
    expectEnvelope('DistrictResponse', (await get(`/v3.0/districts/${sims.districts[0]!.cleverDistrictId}`)).body as never);
  });

  it('validates every student record (grades, dob pattern, enums) and keeps optional e-mail optional', async () => {
    const { body } = await get('/v3.0/users?role=student&limit=2000');
    expect(body.data).toHaveLength(1300);
    let withoutEmail = 0;
    for (const entry of body.data) {
      expectValid('User', entry.data);
      if (entry.data['email'] === undefined) withoutEmail++;
    }
    expect(withoutEmail).toBeGreaterThan(0);
  });

  it('validates events against their "<type>" definitions', async () => {
    const section = (await get('/v3.0/sections?limit=1')).body.data[0]!.data;
    const student = (section['students'] as string[])[0]!;
    sims.changes.removeStudentFromSection({ section: String(section['id']), student });
    sims.changes.renameUser({ user: student, givenName: 'Zoë' });
    sims.changes.addStudentToSection({ section: String(section['id']), newStudent: { givenName: 'Ana', familyName: "D'Souza" } });
    sims.changes.deleteSection({ section: String(section['id']) });
    const events = (await get('/v3.0/events')).body;
    expectEnvelope('EventsResponse', events as never);
    expect(events.data.length).toBeGreaterThanOrEqual(5);
    for (const entry of events.data) {
      const event = entry.data as { type: string; data: { previous_attributes?: unknown } };
      expectValid(event.type, specEvent(event as never));
      expectEnvelope('EventResponse', (await get(`/v3.0/events/${String(entry.data['id'])}`)).body as never);
    }
  });

  it('serves only paths that exist in the spec (plus /me and /userinfo from the Identity API)', () => {
    const paths = Object.keys(spec.spec['paths'] as object);
    const served = [
      '/districts', '/districts/{id}', '/schools', '/schools/{id}', '/schools/{id}/district', '/schools/{id}/sections',
      '/schools/{id}/users', '/users', '/users/{id}', '/users/{id}/district', '/users/{id}/sections', '/users/{id}/schools',
      '/users/{id}/mystudents', '/users/{id}/myteachers', '/sections', '/sections/{id}', '/sections/{id}/users',
      '/sections/{id}/school', '/sections/{id}/course', '/sections/{id}/term', '/sections/{id}/district', '/courses',
      '/courses/{id}', '/courses/{id}/district', '/courses/{id}/sections', '/terms', '/terms/{id}', '/terms/{id}/district',
      '/terms/{id}/sections', '/events', '/events/{id}',
    ];
    for (const p of served) expect(paths, p).toContain(p);
  });
});
