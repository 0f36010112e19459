import { describe, expect, it } from 'vitest';
import { mapleGroveConfig } from '../../sim/generator/demo.ts';
import { SimDistrict } from '../../sim/generator/district.ts';
import { resolveGeneratedSpec } from '../../sim/generator/spec.ts';
import { startSimulators } from '../../sim/index.ts';
import { bearer, getJson } from './support/http.ts';
import { RosterClient } from './support/roster-client.ts';

const NOW = new Date('2025-10-15T12:00:00Z');
const generated = (students: number, seed = 1, extra: Record<string, unknown> = {}) =>
  new SimDistrict(0, resolveGeneratedSpec({ kind: 'generated', students, seed, ...extra }, 1, 0), NOW);

describe('district generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generated(2000, 42);
    const b = generated(2000, 42);
    const c = generated(2000, 43);
    for (const i of [0, 1, 17, 999, 1999]) {
      expect(a.person('student', i)).toEqual(b.person('student', i));
      expect(a.section(i % a.sectionCount)).toEqual(b.section(i % b.sectionCount));
    }
    const names = (d: SimDistrict) => Array.from({ length: 50 }, (_v, i) => d.person('student', i)!.givenName).join();
    expect(names(a)).not.toBe(names(c));
  });

  it('keeps section→students and student→sections (and teachers) consistent, and enrollments in step', () => {
    const d = generated(1700, 5);
    const bySection = new Map<number, number[]>();
    for (let c = 0; c < d.sectionCount; c++) for (const s of d.sectionStudents(c)) bySection.set(s, [...(bySection.get(s) ?? []), c]);
    for (let s = 0; s < d.count('student'); s++) expect(d.studentSections(s)).toEqual(bySection.get(s) ?? []);
    const byTeacher = new Map<number, number[]>();
    for (let c = 0; c < d.sectionCount; c++) for (const t of d.sectionTeachers(c)) byTeacher.set(t, [...(byTeacher.get(t) ?? []), c]);
    for (let t = 0; t < d.count('teacher'); t++) expect(d.teacherSections(t)).toEqual(byTeacher.get(t) ?? []);
    const enrollments = [...d.enrollments.from(0)];
    const expected = Array.from({ length: d.sectionCount }, (_v, c) => d.sectionStudents(c).length + d.sectionTeachers(c).length).reduce((x, y) => x + y, 0);
    expect(enrollments).toHaveLength(expected);
    for (const e of [0, 1, 500, 4321, enrollments.length - 1]) {
      expect([...d.enrollments.from(e, e + 1)][0]).toEqual(enrollments[e]);
    }
  });

  it('produces the real-world mess', () => {
    const d = generated(3000, 8);
    const students = Array.from({ length: d.count('student') }, (_v, i) => d.person('student', i)!);
    expect(students.filter((s) => s.email === null).length).toBeGreaterThan(100);
    const fullNames = students.map((s) => `${s.givenName} ${s.familyName}`);
    expect(new Set(fullNames).size).toBeLessThan(fullNames.length);
    expect(fullNames.some((n) => /[éëóúñ]/.test(n))).toBe(true);
    expect(fullNames.some((n) => n.includes("'"))).toBe(true);
    const teachers = Array.from({ length: d.count('teacher') }, (_v, i) => d.person('teacher', i)!);
    expect(teachers.some((t) => t.staffTitle !== null)).toBe(true);
    const sections = Array.from({ length: d.sectionCount }, (_v, c) => ({ students: d.sectionStudents(c).length, teachers: d.sectionTeachers(c).length }));
    expect(sections.some((s) => s.students === 0 && s.teachers > 0)).toBe(true);
    expect(sections.some((s) => s.teachers === 0 && s.students > 0)).toBe(true);
    expect(sections.some((s) => s.teachers === 2)).toBe(true);
    expect(Math.max(...sections.map((s) => s.students))).toBeGreaterThanOrEqual(1000);
    const terms = new Set(Array.from({ length: d.sectionCount }, (_v, c) => d.section(c)!.term));
    expect(terms.has(0)).toBe(true);
    expect(d.term(0)!.endDate < '2025-10-15').toBe(true);
    expect(d.term(1)!.endDate > '2025-10-15').toBe(true);
  });

  it('builds the Maple Grove demo district with its well-known teachers', () => {
    const d = new SimDistrict(0, mapleGroveConfig(), NOW);
    expect([d.school(0)!.name, d.school(1)!.name]).toEqual(['Maple Grove High School', 'Maple Grove Middle School']);
    const emails = Array.from({ length: d.count('teacher') }, (_v, i) => d.person('teacher', i)!.email);
    expect(emails).toEqual([
      'ms.rivera@maplegrove.example',
      'mr.obrien@maplegrove.example',
      'ms.chen@maplegrove.example',
      'mr.martinez@maplegrove.example',
      'ms.patel@maplegrove.example',
      'mr.nguyen@maplegrove.example',
    ]);
    const sections = Array.from({ length: d.sectionCount }, (_v, c) => d.section(c)!);
    for (const s of sections) {
      const n = d.sectionStudents(s.index).length;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(30);
    }
    expect(sections.filter((s) => s.teachers.length === 2).length).toBeGreaterThanOrEqual(1);
    expect(sections.filter((s) => s.term === 0).length).toBeGreaterThanOrEqual(1);
    expect(d.person('teacher', 1)!.familyName).toBe("O'Brien");
  });

  it('serves several districts at once, including a teacher with the same e-mail in two districts', async () => {
    const sims = await startSimulators({
      districts: [
        { kind: 'demo' },
        { kind: 'generated', students: 200, seed: 3, name: 'Cedar Falls', wellKnownTeachers: [{ givenName: 'Elena', familyName: 'Rivera', email: 'ms.rivera@maplegrove.example' }] },
      ],
    });
    try {
      const [demo, other] = sims.districts;
      expect(other!.teachers[0]!.email).toBe(demo!.teachers[0]!.email);
      expect(other!.teachers[0]!.cleverId).not.toBe(demo!.teachers[0]!.cleverId);
      expect(other!.classlinkTenantId).not.toBe(demo!.classlinkTenantId);
      const found = await getJson<{ data: { data: { email?: string } }[] }>(`${sims.clever.url}/v3.0/users?role=teacher`, bearer(other!.cleverDistrictToken));
      expect(found.body.data.filter((u) => u.data.email === 'ms.rivera@maplegrove.example')).toHaveLength(1);
    } finally {
      await sims.close();
    }
  });
});

describe('memory: records are computed, not stored', () => {
  it('builds a 500,000-student district in a few hundred KB and reads any record without materializing', () => {
    const before = process.memoryUsage().heapUsed;
    const d = generated(500_000, 12);
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(5 * 1024 * 1024);
    expect(d.count('student')).toBe(500_000);
    const last = d.person('student', 499_999)!;
    expect(last.school).toBe(d.schoolCount - 1);
    const sections = d.studentSections(499_999);
    expect(sections.length).toBeGreaterThanOrEqual(6);
    for (const c of sections) expect(d.sectionStudents(c)).toContain(499_999);
    const tail = [...d.enrollments.from(d.enrollments.count() - 5)];
    expect(tail).toHaveLength(5);
  });

  it('pages deep into a 100,000-student district over HTTP quickly', async () => {
    const sims = await startSimulators({ districts: [{ kind: 'generated', students: 100_000, seed: 4 }] });
    try {
      const d = sims.districts[0]!;
      const started = Date.now();
      const lastPage = await getJson<{ data: { data: { id: string } }[]; links: { rel: string }[] }>(
        `${sims.clever.url}/v3.0/users?role=student&limit=100&ending_before=${d.students[0]!.cleverId.slice(0, 12)}ffffffffffff`,
        bearer(d.cleverDistrictToken),
      );
      expect(lastPage.body.data).toHaveLength(100);
      const deep = await new RosterClient(d, '1.2').get('/users?limit=100&offset=99950');
      expect(deep.json<{ users: unknown[] }>().users).toHaveLength(100);
      expect(deep.headers.get('x-total-count')).toBe(String(d.counts.students + d.counts.teachers + d.counts.staff + 1));
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await sims.close();
    }
  });
});
