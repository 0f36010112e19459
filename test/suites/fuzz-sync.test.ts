import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationsService } from '../../src/domain/integrations/integrations.service.ts';
import { sectionFields, toStudentInput } from '../../src/domain/rostering/roster-mapping.ts';
import { SyncEngine, type SyncResult } from '../../src/sync/sync-engine.ts';
import { engine } from '../support/database.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { snapshot } from './support/fault-harness.ts';
import { FakeRosterProvider, type FakeNoise, type FakeStudent } from './support/fake-provider.ts';
import { hostileString, prototypeFingerprint } from './support/hostile.ts';

/**
 * Fuzz suite, sync engine (issue 8 §3): random roster changes — students
 * joining and leaving sections, new students, renames of students and
 * sections — with malformed records mixed in (ids nobody describes,
 * duplicate records, non-students, strangers' sections, repeated pairs,
 * hostile names), run through the real SyncEngine against a fake provider
 * in memory, alternating full and delta runs. After every run: the active
 * enrollments equal the provider's rosters, every student's stored record is
 * the provider's, no student exists twice, skipped records are warned about,
 * and a second (full) run changes nothing.
 */

const SYNC_RUNS = Number(process.env.ROLLCALL_FUZZ_SYNC_RUNS ?? 50);

const student = fc.record({
  givenName: hostileString(),
  familyName: hostileString(),
  email: fc.option(fc.oneof(fc.emailAddress(), hostileString()), { nil: null }),
  grade: fc.option(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('K', 'PK', '1', '9', '12', 'Other') }, { weight: 1, arbitrary: hostileString(30) }), { nil: null }),
});

const mutation = fc.record({
  type: fc.constantFrom('enroll', 'enroll', 'unenroll', 'unenroll', 'rename', 'newStudent', 'renameSection'),
  a: fc.nat(),
  b: fc.nat(),
  student,
});

const noise = fc.record({ ghosts: fc.nat({ max: 3 }), duplicates: fc.nat({ max: 3 }), nonStudents: fc.nat({ max: 2 }), strangers: fc.nat({ max: 2 }), repeated: fc.nat({ max: 2 }), salt: fc.nat() });

const scenario = fc.record({
  inline: fc.boolean(),
  pageSize: fc.integer({ min: 1, max: 8 }),
  students: fc.array(student, { minLength: 3, maxLength: 12 }),
  sections: fc.array(fc.tuple(hostileString(), fc.array(fc.nat(), { maxLength: 8 })), { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.record({ kind: fc.constantFrom('full', 'delta'), mutations: fc.array(mutation, { maxLength: 8 }), noise }), { minLength: 1, maxLength: 3 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const COUNTED = ['created', 'updated', 'enrolled', 'restored', 'removed', 'archived'] as const;
const changed = (r: SyncResult) => Object.fromEntries(COUNTED.map((k) => [k, r.counts[k] ?? 0]).filter(([, n]) => n !== 0));

let t: TestContext;
let cases = 0;
let runs = 0;
beforeAll(async () => {
  t = await createTestContext({ LOG_LEVEL: 'silent' });
});
afterAll(async () => {
  console.log(`Fuzz suite, sync engine (${engine}): ${cases} cases, ${runs} sync runs`);
  await t?.close();
});

describe(`fuzz: the sync engine against random roster changes (${engine})`, () => {
  it(`keeps Rollcall equal to the provider, idempotently, for ${SYNC_RUNS} random histories`, async () => {
    const fingerprint = prototypeFingerprint();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        cases++;
        await check(s);
      }),
      { numRuns: SYNC_RUNS, endOnFailure: true, ...(process.env.ROLLCALL_FUZZ_SEED ? { seed: Number(process.env.ROLLCALL_FUZZ_SEED) } : {}) },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  }, 240_000);
});

async function check(s: Scenario): Promise<void> {
  const { ctx } = t;
  const db = ctx.database.db;
  const fake = new FakeRosterProvider({ inline: s.inline, pageSize: s.pageSize });
  const tenantKey = randomBytes(12).toString('hex');
  const district = await ctx.services.operator.createDistrict({ kind: 'cli' }, `Fuzz ${tenantKey}`);
  const integrationId = await ctx.store.integrations.create({ districtId: district.id, provider: 'clever', tenantKey, settings: {}, credentialsSealed: 'unused' });
  // Every removal the engine may apply: the only hold left is for a class that would be emptied, and every class keeps an anchor student.
  const sync = new SyncEngine({
    store: ctx.store,
    clock: ctx.clock,
    logger: ctx.logger,
    integrations: { provider: async () => fake } as unknown as IntegrationsService,
    limits: { classMaxShare: 1, classMinSize: Number.MAX_SAFE_INTEGER, integrationMaxShare: 1 },
    classBatch: 2,
    studentBatch: 3,
  });

  let serial = 0;
  const newStudent = (p: { givenName: string; familyName: string; email: string | null; grade: string | null }): FakeStudent => ({ id: `stu-${++serial}`, ...p });
  for (const p of s.students) fake.addStudent(newStudent(p));
  const ids = () => [...fake.students.keys()];
  const sectionIds = s.sections.map((_, i) => `sec-${i}`);
  const anchors = new Map<string, string>();
  s.sections.forEach(([name, members], i) => {
    const id = sectionIds[i]!;
    fake.addSection(id, name);
    anchors.set(id, ids()[i % ids().length]!);
    fake.enroll(id, anchors.get(id)!);
    for (const m of members) fake.enroll(id, ids()[m % ids().length]!);
  });
  // The sections were imported (empty): the first run fills them.
  const classIdOf = new Map<string, string>();
  for (const id of sectionIds) {
    const section = (await fake.section(id))!;
    const klass = await ctx.store.classes.upsertFromSection({ integrationId, externalId: id, districtId: district.id, source: 'clever', createdBy: null, fields: sectionFields(section, null) }, new Date());
    classIdOf.set(id, klass.id);
  }

  for (const [n, step] of s.steps.entries()) {
    if (n > 0) {
      for (const m of step.mutations) {
        const section = sectionIds[m.a % sectionIds.length]!;
        const roster = fake.sections.get(section)!.students;
        if (m.type === 'enroll') fake.enroll(section, ids()[m.b % ids().length]!);
        else if (m.type === 'unenroll') {
          const leavers = [...roster].filter((id) => id !== anchors.get(section));
          if (leavers.length > 0) fake.unenroll(section, leavers[m.b % leavers.length]!);
        } else if (m.type === 'rename') fake.rename(ids()[m.b % ids().length]!, m.student.givenName, m.student.familyName);
        else if (m.type === 'newStudent') {
          const fresh = newStudent(m.student);
          fake.addStudent(fresh);
          fake.enroll(section, fresh.id);
        } else fake.renameSection(section, m.student.givenName);
      }
    }
    const noisy = makeNoise(step.noise, sectionIds, ids());
    fake.setNoise(noisy);

    const result = await sync.run(integrationId, { kind: step.kind as 'full' | 'delta', trigger: step.kind as 'full' | 'delta' });
    runs++;
    expect(result.status, JSON.stringify(result)).toBe('succeeded');
    // A delta with no cursor yet runs as a full reconciliation.
    expect(result.kind).toBe(n === 0 ? 'full' : step.kind);
    await expectMirrors(fake, tenantKey, integrationId, classIdOf);
    if (noisy.ghosts.length > 0) expect(result.warnings.join(' '), 'records nobody describes are skipped with a warning').toMatch(/not shared by the provider/);

    // Idempotent: a full reconciliation right after changes nothing.
    const before = await snapshot(db);
    const again = await sync.run(integrationId, { kind: 'full', trigger: 'full' });
    runs++;
    expect(again.status).toBe('succeeded');
    expect(changed(again), 'a second run changes nothing').toEqual({});
    expect(await snapshot(db)).toEqual(before);
  }
}

function makeNoise(n: Scenario['steps'][number]['noise'], sectionIds: readonly string[], studentIds: readonly string[]): FakeNoise {
  const pick = <T>(list: readonly T[], i: number) => list[(n.salt + i) % list.length]!;
  return {
    ghosts: Array.from({ length: n.ghosts }, (_, i) => ({ sectionId: pick(sectionIds, i), personId: `ghost-${n.salt}-${i}` })),
    duplicates: Array.from({ length: n.duplicates }, (_, i) => pick(studentIds, i * 7)),
    nonStudents: Array.from({ length: n.nonStudents }, (_, i) => ({
      externalId: `teacher-${n.salt}-${i}`,
      roles: ['teacher' as const],
      givenName: 'Not',
      familyName: 'A student',
      email: null,
      grade: null,
      schoolIds: [],
      active: true,
    })),
    strangerSections: Array.from({ length: n.strangers }, (_, i) => ({
      externalId: `stranger-${n.salt}-${i}`,
      name: 'Nobody imported this',
      schoolId: null,
      courseName: null,
      subject: null,
      period: null,
      term: null,
      teacherIds: [],
      studentIds: [pick(studentIds, i)],
      status: i % 2 === 0 ? ('active' as const) : ('deleted' as const),
    })),
    repeatedPairs: Array.from({ length: n.repeated }, (_, i) => {
      const sectionId = pick(sectionIds, i);
      return { sectionId, personId: pick(studentIds, i * 3) };
    }).filter((p) => p.personId !== undefined),
  };
}

async function expectMirrors(fake: FakeRosterProvider, tenantKey: string, integrationId: string, classIdOf: Map<string, string>): Promise<void> {
  const db = t.ctx.database.db;
  const rows = await db
    .selectFrom('enrollments')
    .innerJoin('classes', 'classes.id', 'enrollments.class_id')
    .innerJoin('identities', (j) => j.onRef('identities.user_id', '=', 'enrollments.user_id').on('identities.tenant_key', '=', tenantKey))
    .select(['classes.external_id as section', 'identities.external_id as student'])
    .where('classes.integration_id', '=', integrationId)
    .where('enrollments.status', '=', 'active')
    .execute();
  const actual = new Map<string, string[]>();
  for (const r of rows) (actual.get(r.section!) ?? actual.set(r.section!, []).get(r.section!)!).push(r.student);
  for (const [sectionId] of classIdOf) {
    const want = [...fake.sections.get(sectionId)!.students].sort();
    expect((actual.get(sectionId) ?? []).sort(), `active roster of ${sectionId}`).toEqual(want);
  }
  // No enrollment of anyone the provider never described.
  expect(await db.selectFrom('enrollments').innerJoin('classes', 'classes.id', 'enrollments.class_id').select('enrollments.user_id').where('classes.integration_id', '=', integrationId).execute()).toHaveLength(
    (await db.selectFrom('enrollments').innerJoin('classes', 'classes.id', 'enrollments.class_id').innerJoin('identities', 'identities.user_id', 'enrollments.user_id').select('enrollments.user_id').where('classes.integration_id', '=', integrationId).execute()).length,
  );

  // Enrollments and history have no foreign keys (migration 0005): none may point at a student or class that does not exist.
  const dangling = async (table: 'enrollments' | 'roster_changes') =>
    (
      await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} t
        where not exists (select 1 from users u where u.id = t.user_id) or not exists (select 1 from classes c where c.id = t.class_id)`.execute(db)
    ).rows[0]!.n;
  expect([await dangling('enrollments'), await dangling('roster_changes')], 'enrollment and history rows that point at nothing').toEqual([0, 0]);

  // One account per student, stored as the provider describes them.
  const people = await db
    .selectFrom('identities')
    .innerJoin('users', 'users.id', 'identities.user_id')
    .select(['identities.external_id', 'identities.user_id', 'users.name', 'users.email', 'users.grade', 'users.role'])
    .where('identities.provider', '=', 'clever')
    .where('identities.tenant_key', '=', tenantKey)
    .execute();
  expect(new Set(people.map((p) => p.external_id)).size, 'no student twice').toBe(people.length);
  expect(new Set(people.map((p) => p.user_id)).size, 'no account for two students').toBe(people.length);
  const enrolledEver = new Set([...fake.sections.values()].flatMap((s) => [...s.students]));
  for (const p of people) {
    expect(p.role).toBe('student');
    expect(p.external_id.startsWith('ghost-') || p.external_id.startsWith('teacher-'), 'never an account for a record nobody describes').toBe(false);
    const source = fake.students.get(p.external_id)!;
    if (!enrolledEver.has(p.external_id)) continue; // a former student keeps the record of when they left
    const want = toStudentInput({ externalId: source.id, roles: ['student'], givenName: source.givenName, familyName: source.familyName, email: source.email, grade: source.grade, schoolIds: [], active: true });
    expect({ name: p.name, email: p.email, grade: p.grade }, `stored record of ${p.external_id}`).toEqual({ name: want.name, email: want.email, grade: want.grade });
  }
  // Class names follow the section's.
  for (const [sectionId, classId] of classIdOf) {
    const klass = await db.selectFrom('classes').select(['name', 'archived_at']).where('id', '=', classId).executeTakeFirstOrThrow();
    expect(klass.archived_at).toBeNull();
    expect(klass.name).toBe(sectionFields((await fake.section(sectionId))!, null).name);
  }
}
