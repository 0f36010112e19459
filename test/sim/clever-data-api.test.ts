import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { bearer, getJson, request } from './support/http.ts';

interface ListBody {
  data: { data: Record<string, unknown>; uri: string }[];
  links: { rel: string; uri: string }[];
}

let sims: RunningSimulators;
let token: string;
const get = (path: string, t = token) => getJson<ListBody>(`${sims.clever.url}${path}`, bearer(t));
const link = (body: ListBody, rel: string) => body.links.find((l) => l.rel === rel)?.uri;

beforeAll(async () => {
  sims = await startSimulators({
    districts: [{ kind: 'generated', students: 1200, seed: 11, schools: 1 }, { kind: 'demo' }],
    rateLimitPerMinute: 100_000,
  });
  token = sims.districts[0]!.cleverDistrictToken;
});
afterAll(async () => sims.close());

describe('Clever Data API paging', () => {
  it('defaults to 100 per page, ids ascending, and follows next links (relative, with /v3.0) to an empty page', async () => {
    let path: string | undefined = '/v3.0/users?role=student';
    const ids: string[] = [];
    let pages = 0;
    while (path !== undefined) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      pages++;
      if (body.data.length === 0) break;
      if (pages === 1) expect(body.data).toHaveLength(100);
      ids.push(...body.data.map((e) => String(e.data['id'])));
      expect(link(body, 'self')).toBe(path);
      path = link(body, 'next');
      if (path !== undefined) expect(path).toMatch(/^\/v3\.0\/users\?role=student&starting_after=[0-9a-f]{24}$/);
    }
    expect(ids).toHaveLength(1200);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1200);
    // 1200 is a multiple of 100: the last full page still offers `next`, which leads to an empty page.
    expect(pages).toBe(13);
  });

  it('pages backwards with ending_before and offers prev links', async () => {
    const first = (await get('/v3.0/sections?limit=10')).body;
    expect(link(first, 'prev')).toBeUndefined();
    const second = (await get(link(first, 'next')!)).body;
    const prev = link(second, 'prev');
    expect(prev).toBe(`/v3.0/sections?limit=10&ending_before=${String(second.data[0]!.data['id'])}`);
    const back = (await get(prev!)).body;
    expect(back.data.map((e) => e.data['id'])).toEqual(first.data.map((e) => e.data['id']));
  });

  it('rejects limit > 10000 with 413 and a bad limit with 400, both with {message}', async () => {
    const tooBig = await get('/v3.0/users?limit=10001');
    expect(tooBig.status).toBe(413);
    expect(typeof (tooBig.body as unknown as { message: string }).message).toBe('string');
    expect((await get('/v3.0/users?limit=10000')).status).toBe(200);
    expect((await get('/v3.0/users?limit=abc')).status).toBe(400);
    expect((await get('/v3.0/users?role=principal')).status).toBe(400);
  });

  it('filters users by role, section users by role and school users by role', async () => {
    const teachers = (await get('/v3.0/users?role=teacher&limit=1000')).body.data;
    expect(teachers.every((e) => 'teacher' in (e.data['roles'] as object))).toBe(true);
    const staff = (await get('/v3.0/users?role=staff')).body.data;
    expect(staff.every((e) => 'staff' in (e.data['roles'] as object))).toBe(true);
    // A multi-role teacher shows up under both roles.
    expect(staff.some((e) => 'teacher' in (e.data['roles'] as object))).toBe(true);
    const section = (await get('/v3.0/sections?limit=1')).body.data[0]!.data;
    const students = (await get(`/v3.0/sections/${String(section['id'])}/users?role=student`)).body.data;
    expect(students.map((e) => e.data['id'])).toEqual(section['students']);
    const sectionTeachers = (await get(`/v3.0/sections/${String(section['id'])}/users?role=teacher`)).body.data;
    expect(sectionTeachers.map((e) => e.data['id']).sort()).toEqual([...(section['teachers'] as string[])].sort());
    const school = (await get('/v3.0/schools')).body.data[0]!.data;
    const schoolStudents = (await get(`/v3.0/schools/${String(school['id'])}/users?role=student&limit=5`)).body.data;
    expect(schoolStudents.every((e) => (e.data['roles'] as { student: { school: string } }).student.school === school['id'])).toBe(true);
  });

  it("lists a teacher's sections and each section's students", async () => {
    const teacher = sims.districts[0]!.teachers[0]!;
    const sections = (await get(`/v3.0/users/${teacher.cleverId}/sections`)).body.data;
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) expect(s.data['teachers']).toContain(teacher.cleverId);
  });
});

describe('Clever Data API errors', () => {
  it('answers 401 for a missing or unknown bearer token', async () => {
    expect((await request(`${sims.clever.url}/v3.0/sections`)).status).toBe(401);
    expect((await get('/v3.0/sections', 'not-a-token')).status).toBe(401);
  });

  it('answers 404 {message} for unknown or other-district ids', async () => {
    const missing = await get('/v3.0/sections/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(typeof (missing.body as unknown as { message: string }).message).toBe('string');
    const otherDistrictTeacher = sims.districts[1]!.teachers[0]!.cleverId;
    expect((await get(`/v3.0/users/${otherDistrictTeacher}`)).status).toBe(404);
    expect((await get(`/v3.0/districts/${sims.districts[1]!.cleverDistrictId}`)).status).toBe(404);
  });

  it('answers HTML for a path that does not exist', async () => {
    const r = await request(`${sims.clever.url}/v3.0/teachers`, { headers: bearer(token) });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('text/html');
  });

  it('only shows the token district in /districts', async () => {
    const { body } = await get('/v3.0/districts');
    expect(body.data.map((e) => e.data['id'])).toEqual([sims.districts[0]!.cleverDistrictId]);
  });
});

describe('Clever rate limiting', () => {
  it('limits per bearer token in a fixed one-minute window with X-RateLimit-* headers and an empty 429', async () => {
    const limited = await startSimulators({ rateLimitPerMinute: 3, clock: () => new Date('2025-10-01T10:00:10Z') });
    try {
      const t = limited.districts[0]!.cleverDistrictToken;
      const url = `${limited.clever.url}/v3.0/schools`;
      const first = await request(url, { headers: bearer(t) });
      expect(first.headers.get('x-ratelimit-limit')).toBe('3');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
      expect(first.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2025-10-01T10:01:00Z') / 1000));
      expect(first.headers.get('x-ratelimit-bucket')).toBeTruthy();
      await request(url, { headers: bearer(t) });
      await request(url, { headers: bearer(t) });
      const blocked = await request(url, { headers: bearer(t) });
      expect(blocked.status).toBe(429);
      expect(blocked.text).toBe('');
      expect(blocked.headers.get('x-ratelimit-remaining')).toBe('0');
      limited.clever.control.advanceClock(60_000);
      expect((await request(url, { headers: bearer(t) })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
