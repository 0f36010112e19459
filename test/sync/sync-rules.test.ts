import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../support/database.ts';
import { sectionKey, startRosteringWorld, studentKey, type RosteringWorld } from '../support/rostering-world.ts';
import type { SimSectionInfo } from '../../sim/index.ts';

let w: RosteringWorld;
beforeAll(async () => {
  w = await startRosteringWorld({ env: { ROLLCALL_PROVIDER_PAGE_SIZE: '100' } });
});
afterAll(async () => w?.stop());

const db = () => w.t.ctx.database.db;
const enrollmentsOf = async (classId: string) =>
  (await db().selectFrom('enrollments').select(['user_id', 'status']).where('class_id', '=', classId).orderBy('user_id').execute()).map((r) => `${r.user_id}:${r.status}`);

describe.each(['clever', 'classlink'] as const)(`the sync engine with %s (${engine})`, (provider) => {
  const maple = () => w.districts[0]!;
  const integration = () => maple().integrations[provider];
  const sync = (kind: 'delta' | 'full' = 'delta') => w.t.ctx.services.syncEngine.run(integration().id, { kind, trigger: kind });
  let sections: SimSectionInfo[];
  let classIdOf: Map<string, string>;

  beforeAll(async () => {
    // Every current section of two teachers imported through the real service.
    classIdOf = new Map();
    sections = [];
    for (const person of maple().info.teachers.slice(0, 2)) {
      const { user } = await w.teacher(maple(), person, provider);
      const actor = await w.t.ctx.store.accounts.loadActor(user);
      // Sections as the provider lists them now (the other provider's run changed the shared district).
      const live = (await w.t.ctx.services.rostering.listSections(actor)).rows.filter((r) => r.integrationId === integration().id && r.state === 'importable');
      const mine = maple().info.sections.filter((s) => s.teacherEmails[0] === person.email && !s.ended && live.some((r) => r.section.externalId === sectionKey(provider, s)));
      const result = await w.t.ctx.services.rostering.requestImport(actor, mine.map((s) => ({ integrationId: integration().id, externalId: sectionKey(provider, s) })));
      if (!('imported' in result)) throw new Error('expected an immediate import');
      mine.forEach((s, i) => classIdOf.set(s.name, result.imported[i]!.classId));
      sections.push(...mine);
    }
    // The first run has no cursor: it is a full reconciliation that stores one.
    const first = await sync();
    expect(first).toMatchObject({ status: 'succeeded', kind: 'full' });
  });

  it('is idempotent: a second full run and an empty delta change nothing', async () => {
    const before = await Promise.all(sections.map((s) => enrollmentsOf(classIdOf.get(s.name)!)));
    const full = await sync('full');
    expect(full.counts).toMatchObject({ enrolled: 0, removed: 0, restored: 0, created: 0 });
    const delta = await sync();
    expect(delta.status).toBe('succeeded');
    expect(delta.counts.enrolled ?? 0).toBe(0);
    expect(await Promise.all(sections.map((s) => enrollmentsOf(classIdOf.get(s.name)!)))).toEqual(before);
  });

  it('applies a join of a new student, a departure (softly), and restores the student intact on return', async () => {
    const section = sections[0]!;
    const classId = classIdOf.get(section.name)!;
    const added = w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, section), newStudent: { givenName: 'Nouvelle', familyName: "D'Arcy" } });
    let run = await sync();
    expect(run.counts).toMatchObject({ enrolled: 1 });
    const newcomerKey = provider === 'clever' ? added.created!.cleverId : added.created!.sourcedId;
    const newcomer = await db().selectFrom('identities').innerJoin('users', 'users.id', 'identities.user_id').select(['users.id', 'users.name']).where('provider', '=', provider).where('external_id', '=', newcomerKey).executeTakeFirstOrThrow();
    expect(newcomer.name).toBe("Nouvelle D'Arcy");
    expect(await enrollmentsOf(classId)).toContain(`${newcomer.id}:active`);

    const leaver = maple().info.students.find((s) => s.familyName !== "D'Arcy")!;
    const leaverRow = await db().selectFrom('identities').select('user_id').where('provider', '=', provider).where('external_id', '=', studentKey(provider, leaver)).executeTakeFirst();
    const victimId = leaverRow?.user_id;
    const inClass = (await db().selectFrom('enrollments').select('user_id').where('class_id', '=', classId).where('status', '=', 'active').execute()).map((r) => r.user_id);
    const target = victimId && inClass.includes(victimId) ? victimId : inClass.find((u) => u !== newcomer.id)!;
    const targetExternal = (await db().selectFrom('identities').select('external_id').where('user_id', '=', target).where('provider', '=', provider).executeTakeFirstOrThrow()).external_id;
    w.sims.changes.removeStudentFromSection({ district: maple().info.name, section: sectionKey(provider, section), student: targetExternal });
    run = await sync();
    expect(run.counts).toMatchObject({ removed: 1 });
    expect(await enrollmentsOf(classId)).toContain(`${target}:removed`);
    expect(await w.t.ctx.store.accounts.findById(target)).toBeDefined();

    w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, section), student: targetExternal });
    run = await sync();
    expect(run.counts).toMatchObject({ restored: 1 });
    expect(await enrollmentsOf(classId)).toContain(`${target}:active`);
    const history = await w.t.ctx.store.roster.history(classId);
    expect(history.filter((h) => h.change === 'returned')).toHaveLength(1);
    expect(added.clever.eventIds.length + added.oneRoster.sourcedIds.length).toBeGreaterThan(0);
  });

  it('applies renames and email and grade changes', async () => {
    const classId = classIdOf.get(sections[1]!.name)!;
    const [member] = await db().selectFrom('enrollments').innerJoin('identities', 'identities.user_id', 'enrollments.user_id').select(['identities.external_id', 'enrollments.user_id']).where('class_id', '=', classId).where('identities.provider', '=', provider).where('status', '=', 'active').limit(1).execute();
    w.sims.changes.renameUser({ district: maple().info.name, user: member!.external_id, givenName: 'Renée', familyName: 'Okafor-Smith' });
    w.sims.changes.changeEmail({ district: maple().info.name, user: member!.external_id, email: 'renee.okafor@student.maplegrove.example' });
    w.sims.changes.changeGrade({ district: maple().info.name, student: member!.external_id, grade: '9' });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    const user = await db().selectFrom('users').select(['name', 'email', 'grade']).where('id', '=', member!.user_id).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: 'Renée Okafor-Smith', email: 'renee.okafor@student.maplegrove.example', grade: '9' });
  });

  it('brings a student back under the name they took while they were in none of the classes', async () => {
    // A full run refreshes only students on a roster, and it moves the cursor past the rename.
    const classId = classIdOf.get(sections[1]!.name)!;
    const [member] = await db().selectFrom('enrollments').innerJoin('identities', 'identities.user_id', 'enrollments.user_id').select(['identities.external_id', 'enrollments.user_id']).where('class_id', '=', classId).where('identities.provider', '=', provider).where('status', '=', 'active').orderBy('enrollments.user_id', 'desc').limit(1).execute();
    const sectionOfClass = new Map([...classIdOf].map(([name, id]) => [id, sections.find((s) => s.name === name)!]));
    const theirs = (await db().selectFrom('enrollments').select('class_id').where('user_id', '=', member!.user_id).where('status', '=', 'active').execute()).map((r) => r.class_id);
    for (const id of theirs) w.sims.changes.removeStudentFromSection({ district: maple().info.name, section: sectionKey(provider, sectionOfClass.get(id)!), student: member!.external_id });
    expect((await sync()).counts).toMatchObject({ removed: theirs.length });
    const before = await w.t.ctx.store.accounts.findById(member!.user_id);

    w.sims.changes.renameUser({ district: maple().info.name, user: member!.external_id, givenName: 'Oluwaseun', familyName: 'Bright-Ng' });
    expect((await sync('full')).status).toBe('succeeded');
    expect((await w.t.ctx.store.accounts.findById(member!.user_id))?.name, 'a full run leaves a former student as they left').toBe(before?.name);

    w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, sections[1]!), student: member!.external_id });
    const back = await sync();
    expect(back.counts).toMatchObject({ restored: 1 });
    expect((await w.t.ctx.store.accounts.findById(member!.user_id))?.name).toBe('Oluwaseun Bright-Ng');
    expect(await enrollmentsOf(classId)).toContain(`${member!.user_id}:active`);
  });

  it('archives the class of a deleted section, keeping its roster', async () => {
    const section = sections[2]!;
    const classId = classIdOf.get(section.name)!;
    const roster = await enrollmentsOf(classId);
    w.sims.changes.deleteSection({ district: maple().info.name, section: sectionKey(provider, section) });
    await sync();
    const klass = await w.t.ctx.store.classes.findById(classId);
    expect(klass?.archivedAt).not.toBeNull();
    expect(klass?.archivedReason).toMatch(/deleted|no longer shared/);
    expect(await enrollmentsOf(classId)).toEqual(roster);
  });

  it('holds an unusual share of departures, then applies them on approval', async () => {
    const section = sections[3]!;
    const classId = classIdOf.get(section.name)!;
    const active = await db().selectFrom('enrollments').innerJoin('identities', 'identities.user_id', 'enrollments.user_id').select(['identities.external_id', 'enrollments.user_id']).where('class_id', '=', classId).where('identities.provider', '=', provider).where('status', '=', 'active').execute();
    const leaving = active.slice(0, Math.ceil(active.length * 0.5));
    for (const s of leaving) w.sims.changes.removeStudentFromSection({ district: maple().info.name, section: sectionKey(provider, section), student: s.external_id });
    const run = await sync();
    expect(run.status).toBe('held');
    expect(run.counts.held).toBe(leaving.length);
    expect((await enrollmentsOf(classId)).filter((e) => e.endsWith(':active'))).toHaveLength(active.length);

    const operator = await (await import('../support/factories.ts')).makeUser(w.t.ctx, { role: 'operator' });
    const actor = await w.t.ctx.store.accounts.loadActor(operator);
    const described = await w.t.ctx.services.sync.describe(actor, run.runId!);
    expect(described.pendingRemovals.map((p) => p.userId).sort()).toEqual(leaving.map((l) => l.user_id).sort());
    const approved = await w.t.ctx.services.sync.approve(actor, run.runId!);
    expect(approved.removed).toBe(leaving.length);
    expect((await enrollmentsOf(classId)).filter((e) => e.endsWith(':active'))).toHaveLength(active.length - leaving.length);
    await expect(w.t.ctx.services.sync.approve(actor, run.runId!)).rejects.toThrow(/not waiting/);
  });

  it('"Last synced": every successful run, full or delta, dates every imported class, including those it did not change; a failed run does not, and an archived class keeps its own', async () => {
    const [changed, untouched, archived] = sections.slice(0, 3).map((s) => classIdOf.get(s.name)!);
    const lastSynced = async (id: string) => (await w.t.ctx.store.classes.findById(id))!.lastSyncedAt?.getTime();
    const startedAt = async (runId: string) => (await db().selectFrom('sync_runs').select('started_at').where('id', '=', runId).executeTakeFirstOrThrow()).started_at.getTime();
    await w.t.ctx.store.classes.archive(archived!, 'Removed in a test', w.t.clock.now());
    const archivedAt = await lastSynced(archived!);

    w.t.clock.advance(120_000);
    w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, sections[0]!), newStudent: { givenName: 'Dated', familyName: 'Delta' } });
    const delta = await sync();
    expect(delta).toMatchObject({ status: 'succeeded', kind: 'delta' });
    for (const id of [changed!, untouched!]) expect(await lastSynced(id)).toBeGreaterThanOrEqual(await startedAt(delta.runId!));

    w.t.clock.advance(120_000);
    const beforeFailure = await lastSynced(untouched!);
    w.sims.faults.inject(provider, 'server-error', { count: 50 });
    try {
      expect((await sync()).status).toBe('failed');
    } finally {
      w.sims.faults.clear(provider);
    }
    expect(await lastSynced(untouched!)).toBe(beforeFailure);

    w.t.clock.advance(120_000);
    const full = await sync('full');
    expect(full.status).toBe('succeeded');
    for (const id of [changed!, untouched!]) expect(await lastSynced(id)).toBeGreaterThanOrEqual(await startedAt(full.runId!));
    // The listing the teacher sees says the same.
    const teacherClasses = await w.t.ctx.store.classes.listForTeacher((await db().selectFrom('class_teachers').select('user_id').where('class_id', '=', untouched!).executeTakeFirstOrThrow()).user_id);
    expect(teacherClasses.find((c) => c.id === untouched)?.lastSyncedAt?.getTime()).toBe(await lastSynced(untouched!));
    expect(await lastSynced(archived!)).toBe(archivedAt);
    await db().updateTable('classes').set({ archived_at: null, archived_reason: null }).where('id', '=', archived!).execute();
  });

  it('never removes anyone on an empty roster from the provider', async () => {
    const before = await Promise.all(sections.slice(0, 2).map((s) => enrollmentsOf(classIdOf.get(s.name)!)));
    w.sims.faults.inject(provider, 'empty-roster', { count: 50 });
    try {
      const run = await sync('full');
      expect(['succeeded', 'held']).toContain(run.status);
      expect(run.counts.removed ?? 0).toBe(0);
    } finally {
      w.sims.faults.clear(provider);
    }
    expect(await Promise.all(sections.slice(0, 2).map((s) => enrollmentsOf(classIdOf.get(s.name)!)))).toEqual(before);
  });

  it('a dry run reports what a full sync would do and writes nothing; the real run then does exactly that', async () => {
    const section = sections[1]!;
    const classId = classIdOf.get(section.name)!;
    w.sims.changes.addStudentToSection({ district: maple().info.name, section: sectionKey(provider, section), newStudent: { givenName: 'Dry', familyName: 'Runner' } });
    const leaverId = (await db().selectFrom('enrollments').select('user_id').where('class_id', '=', classId).where('status', '=', 'active').executeTakeFirstOrThrow()).user_id;
    const leaverKey = (await db().selectFrom('identities').select('external_id').where('user_id', '=', leaverId).where('provider', '=', provider).executeTakeFirstOrThrow()).external_id;
    w.sims.changes.removeStudentFromSection({ district: maple().info.name, section: sectionKey(provider, section), student: leaverKey });

    const state = async () => ({
      enrollments: (await db().selectFrom('enrollments').select(['class_id', 'user_id', 'status']).orderBy('class_id').orderBy('user_id').execute()).map((r) => `${r.class_id}:${r.user_id}:${r.status}`),
      users: (await db().selectFrom('users').select(['id', 'name', 'grade']).orderBy('id').execute()).map((r) => `${r.id}:${r.name}:${r.grade}`),
      identities: Number((await db().selectFrom('identities').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      changes: Number((await db().selectFrom('roster_changes').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      teachers: Number((await db().selectFrom('class_teachers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      archived: Number((await db().selectFrom('classes').select((e) => e.fn.countAll().as('n')).where('archived_at', 'is not', null).executeTakeFirstOrThrow()).n),
    });
    const before = await state();
    const dry = await w.t.ctx.services.syncEngine.run(integration().id, { kind: 'full', trigger: 'full', dryRun: true });
    expect(dry.status).toBe('succeeded');
    expect(dry.counts).toMatchObject({ enrolled: 1, removed: 1 });
    expect(await state()).toEqual(before);

    const real = await sync('full');
    expect(real.status).toBe('succeeded');
    for (const key of ['enrolled', 'removed', 'restored', 'created', 'archived'] as const) expect(real.counts[key] ?? 0, key).toBe(dry.counts[key] ?? 0);
    expect(await enrollmentsOf(classId)).toContain(`${leaverId}:removed`);
  });

  it('runs one sync per integration at a time', async () => {
    const results = await Promise.all([sync('full'), sync('full')]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'succeeded'].sort());
  });
});
