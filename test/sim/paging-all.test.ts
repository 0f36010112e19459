import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../sim/index.ts';
import { bearer, getJson } from './support/http.ts';
import { RosterClient } from './support/roster-client.ts';

/**
 * A whole generated district (3,000 students) paged end to end over both
 * providers at limit 100, including the 1,000+ student section, and the two
 * views agree person by person (Clever student_number = OneRoster identifier).
 */
interface ListBody {
  data: { data: Record<string, unknown> }[];
  links: { rel: string; uri: string }[];
}

let sims: RunningSimulators;

beforeAll(async () => {
  sims = await startSimulators({ districts: [{ kind: 'generated', students: 3000, seed: 2024 }], rateLimitPerMinute: 100_000 });
});
afterAll(async () => sims.close());

async function cleverAll(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  let guard = 0;
  while (next !== undefined && guard++ < 1000) {
    const res: { status: number; body: ListBody } = await getJson<ListBody>(`${sims.clever.url}${next}`, bearer(sims.districts[0]!.cleverDistrictToken));
    const { status, body } = res;
    expect(status).toBe(200);
    if (body.data.length === 0) break;
    out.push(...body.data.map((e) => e.data));
    next = body.links.find((l) => l.rel === 'next')?.uri;
  }
  return out;
}

const studentNumber = (u: Record<string, unknown>) => String((u['roles'] as { student: { student_number: string } }).student.student_number);

describe('paging a 3,000-student district over both providers', () => {
  it('returns every student exactly once on Clever, OneRoster 1.1 and OneRoster 1.2', async () => {
    const clever = await cleverAll('/v3.0/users?role=student&limit=100');
    expect(clever).toHaveLength(3000);
    expect(new Set(clever.map((u) => u['id'])).size).toBe(3000);

    for (const version of ['1.1', '1.2'] as const) {
      const roster = await new RosterClient(sims.districts[0]!, version).all('/students', 'users', 100);
      expect(roster).toHaveLength(3000);
      expect(new Set(roster.map((u) => u['sourcedId'])).size).toBe(3000);
      expect(new Set(roster.map((u) => String(u['identifier'])))).toEqual(new Set(clever.map(studentNumber)));
    }
  });

  it('pages the 1,000+ student section at limit 100 with the same members on both providers', async () => {
    const sections = await cleverAll('/v3.0/sections?limit=1000');
    const big = sections.find((s) => (s['students'] as string[]).length >= 1000);
    expect(big).toBeDefined();
    const members = await cleverAll(`/v3.0/sections/${String(big!['id'])}/users?role=student&limit=100`);
    expect(members.map((m) => m['id'])).toEqual(big!['students']);

    const v11 = new RosterClient(sims.districts[0]!, '1.1');
    const classes = await v11.all('/classes', 'classes', 1000);
    const bigClass = classes.find((c) => c['title'] === big!['name']);
    expect(bigClass).toBeDefined();
    const roster = await v11.all(`/classes/${String(bigClass!['sourcedId'])}/students`, 'users', 100);
    expect(roster).toHaveLength(members.length);
    expect(roster.map((u) => String(u['identifier']))).toEqual(members.map(studentNumber));
  });

  it('pages every enrollment of the district over OneRoster 1.2 with a stable sort', async () => {
    const all = await new RosterClient(sims.districts[0]!, '1.2').all('/enrollments', 'enrollments', 1000);
    expect(all).toHaveLength(sims.districts[0]!.counts.enrollments);
    const ids = all.map((e) => String(e['sourcedId']));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
