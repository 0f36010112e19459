import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../support/database.ts';
import { TestBrowser } from '../support/http.ts';
import { sectionKey, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

let w: RosteringWorld;
beforeAll(async () => {
  // A small page size makes every roster read page, as big districts do.
  w = await startRosteringWorld({ env: { ROLLCALL_PROVIDER_PAGE_SIZE: '50' } });
});
afterAll(async () => w?.stop());

const count = async (table: 'classes' | 'users' | 'enrollments' | 'identities') =>
  Number((await w.t.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe.each(['clever', 'classlink'] as const)(`class import from %s (${engine})`, (provider) => {
  const maple = () => w.districts[0]!;
  const teacherAt = (i: number) => maple().info.teachers[i]!;
  const sectionsOf = (email: string) => maple().info.sections.filter((s) => s.teacherEmails[0] === email && !s.ended);
  const integrationId = () => maple().integrations[provider].id;
  const ref = (s: { cleverId: string; sourcedId: string }) => ({ integrationId: integrationId(), externalId: sectionKey(provider, s) });

  it('lists the teacher’s sections live, imports the two checked ones with their students, and never twice', async () => {
    const person = teacherAt(provider === 'clever' ? 0 : 1);
    const { browser } = await w.teacher(maple(), person, provider);
    const listed = await browser.get('/api/rostering/sections');
    expect(listed.status).toBe(200);
    const mine = sectionsOf(person.email!);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    const names = listed.body.sections.map((s: { name: string }) => s.name);
    for (const s of mine) expect(names).toContain(s.name);
    // The same teacher may be linked to both providers; this provider's sections are not imported yet.
    const fromHere = listed.body.sections.filter((s: { provider: string }) => s.provider === provider);
    expect(fromHere.filter((s: { state: string }) => s.state === 'imported')).toEqual([]);
    expect(listed.body.seats).toMatchObject({ seats: 50 });

    const [a, b] = mine;
    const first = await browser.post('/api/rostering/import', { sections: [ref(a!), ref(b!)] });
    expect(first.status).toBe(200);
    expect(first.body.imported).toHaveLength(2);
    for (const [i, s] of [a!, b!].entries()) expect(first.body.imported[i]).toMatchObject({ name: s.name, students: s.studentCount });

    const classes = await browser.get('/api/classes');
    const imported = classes.body.classes.filter((c: { source: string }) => c.source === provider);
    expect(imported.map((c: { name: string }) => c.name).sort()).toEqual([a!.name, b!.name].sort());
    expect(imported.map((c: { studentCount: number }) => c.studentCount).sort()).toEqual([a!.studentCount, b!.studentCount].sort());

    const before = await count('classes');
    const again = await browser.post('/api/rostering/import', { sections: [ref(a!)] });
    expect(again.status).toBe(200);
    expect(again.body.imported[0]).toMatchObject({ created: false });
    expect(await count('classes')).toBe(before);
    const relisted = await browser.get('/api/rostering/sections');
    expect(relisted.body.sections.find((s: { externalId: string }) => s.externalId === sectionKey(provider, a!)).state).toBe('imported');
  });

  it('refuses tampered, foreign and student ids with 403 and changes nothing', async () => {
    const person = teacherAt(2);
    const { browser } = await w.teacher(maple(), person, provider);
    const notMine = maple().info.sections.find((s) => !s.teacherEmails.includes(person.email!))!;
    const other = w.districts[1]!;
    const before = await Promise.all([count('classes'), count('users'), count('enrollments')]);
    const attempts = [
      [ref(notMine)],
      [{ integrationId: other.integrations[provider].id, externalId: sectionKey(provider, other.info.sections[0]!) }],
      [{ integrationId: integrationId(), externalId: provider === 'clever' ? maple().info.students[0]!.cleverId : maple().info.students[0]!.oneRosterSourcedId }],
      [ref(sectionsOf(person.email!)[0]!), ref(notMine)],
    ];
    for (const sections of attempts) {
      const response = await browser.post('/api/rostering/import', { sections });
      expect(response.status).toBe(403);
    }
    expect(await Promise.all([count('classes'), count('users'), count('enrollments')])).toEqual(before);
  });

  it('a co-teacher’s import joins the existing class; concurrent imports make one class', async () => {
    const coTaught = maple().info.sections.find((s) => s.teacherEmails.length > 1 && !s.ended)!;
    expect(coTaught, 'the demo district has a co-taught section').toBeDefined();
    const people = coTaught.teacherEmails.map((email) => maple().info.teachers.find((t) => t.email === email)!);
    const [one, two] = await Promise.all(people.slice(0, 2).map((p) => w.teacher(maple(), p, provider)));
    const results = await Promise.all([
      one!.browser.post('/api/rostering/import', { sections: [ref(coTaught)] }),
      two!.browser.post('/api/rostering/import', { sections: [ref(coTaught)] }),
      one!.browser.post('/api/rostering/import', { sections: [ref(coTaught)] }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const classIds = new Set(results.map((r) => r.body.imported[0].classId));
    expect(classIds.size).toBe(1);
    const [classId] = [...classIds];
    const detail = await one!.browser.get(`/api/classes/${classId}`);
    expect(detail.body.teachers.map((t: { id: string }) => t.id).sort()).toEqual([one!.user.id, two!.user.id].sort());
    expect(detail.body.students).toHaveLength(coTaught.studentCount);
    const listed = await two!.browser.get('/api/rostering/sections');
    expect(listed.body.sections.find((s: { externalId: string }) => s.externalId === sectionKey(provider, coTaught)).state).toBe('imported');
  });

  it('keeps one account for a student in two imported sections', async () => {
    const person = teacherAt(3);
    const { browser } = await w.teacher(maple(), person, provider);
    const mine = sectionsOf(person.email!);
    await browser.post('/api/rostering/import', { sections: mine.map(ref) });
    const rosters = await Promise.all(
      (await browser.get('/api/classes')).body.classes.filter((c: { source: string }) => c.source === provider).map((c: { id: string }) => browser.get(`/api/classes/${c.id}`)),
    );
    const names = rosters.flatMap((r) => r.body.students.map((s: { id: string }) => s.id));
    const identities = await w.t.ctx.database.db.selectFrom('identities').select(['external_id', 'user_id']).where('provider', '=', provider).execute();
    const byExternal = new Map<string, Set<string>>();
    for (const i of identities) (byExternal.get(i.external_id) ?? byExternal.set(i.external_id, new Set()).get(i.external_id)!).add(i.user_id);
    expect([...byExternal.values()].every((users) => users.size === 1)).toBe(true);
    expect(new Set(names).size).toBeLessThanOrEqual(names.length);
  });
});

describe(`class page, Sync now, removal and manual classes (${engine})`, () => {
  it('Sync now applies a move: one student leaves softly, one joins', async () => {
    const maple = w.districts[0]!;
    const person = maple.info.teachers[4]!;
    const { browser } = await w.teacher(maple, person, 'clever');
    const [from, to] = maple.info.sections.filter((s) => s.teacherEmails[0] === person.email && !s.ended);
    const imported = await browser.post('/api/rostering/import', { sections: [from!, to!].map((s) => ({ integrationId: maple.integrations.clever.id, externalId: s.cleverId })) });
    const [fromClass, toClass] = imported.body.imported.map((c: { classId: string }) => c.classId);
    const before = await browser.get(`/api/classes/${fromClass}`);
    const mover = before.body.students[0];
    const identity = await w.t.ctx.database.db.selectFrom('identities').select('external_id').where('user_id', '=', mover.id).where('provider', '=', 'clever').executeTakeFirstOrThrow();
    w.sims.changes.moveStudent({ student: identity.external_id, from: from!.cleverId, to: to!.cleverId });

    const left = await browser.post(`/api/classes/${fromClass}/sync`);
    expect(left.body.run).toMatchObject({ status: 'succeeded', counts: { removed: 1, enrolled: 0 } });
    const joined = await browser.post(`/api/classes/${toClass}/sync`);
    expect(joined.body.run).toMatchObject({ status: 'succeeded', counts: { enrolled: 1, removed: 0 } });

    const after = await browser.get(`/api/classes/${fromClass}`);
    expect(after.body.students.map((s: { id: string }) => s.id)).not.toContain(mover.id);
    expect(after.body.history[0]).toMatchObject({ change: 'left', studentName: mover.name, trigger: 'sync_now' });
    // Nothing lost: the account and the enrollment row remain, marked removed.
    const row = await w.t.ctx.database.db.selectFrom('enrollments').selectAll().where('class_id', '=', fromClass).where('user_id', '=', mover.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('removed');
    expect(await w.t.ctx.store.accounts.findById(mover.id)).toBeDefined();

    // The student comes back: restored, not duplicated.
    w.sims.changes.moveStudent({ student: identity.external_id, from: to!.cleverId, to: from!.cleverId });
    const back = await browser.post(`/api/classes/${fromClass}/sync`);
    expect(back.body.run.counts).toMatchObject({ restored: 1, enrolled: 0 });
    const again = await browser.post(`/api/classes/${fromClass}/sync`);
    expect(again.body.run.message).toMatch(/already up to date/);
  });

  it('removal archives the class with its roster; re-importing restores it intact', async () => {
    const maple = w.districts[0]!;
    const person = maple.info.teachers[5]!;
    const { browser } = await w.teacher(maple, person, 'clever');
    const section = maple.info.sections.find((s) => s.teacherEmails[0] === person.email && !s.ended)!;
    const refs = { sections: [{ integrationId: maple.integrations.clever.id, externalId: section.cleverId }] };
    const { classId } = (await browser.post('/api/rostering/import', refs)).body.imported[0];
    const roster = (await browser.get(`/api/classes/${classId}`)).body.students.map((s: { id: string }) => s.id).sort();
    expect((await browser.delete(`/api/classes/${classId}`)).status).toBe(204);
    expect((await browser.get('/api/classes')).body.classes.map((c: { id: string }) => c.id)).not.toContain(classId);
    const archived = await browser.get(`/api/classes/${classId}`);
    expect(archived.body.class.archived).toBe(true);
    expect(archived.body.students.map((s: { id: string }) => s.id).sort()).toEqual(roster);

    const restored = await browser.post('/api/rostering/import', refs);
    expect(restored.body.imported[0]).toMatchObject({ classId, created: false });
    const back = await browser.get(`/api/classes/${classId}`);
    expect(back.body.class.archived).toBe(false);
    expect(back.body.students.map((s: { id: string }) => s.id).sort()).toEqual(roster);
  });

  it('creates a manual class, which rostering never touches, and refuses an empty name', async () => {
    const maple = w.districts[0]!;
    const { browser } = await w.teacher(maple, maple.info.teachers[0]!, 'clever');
    expect((await browser.post('/api/classes', { name: '   ' })).status).toBe(400);
    const created = await browser.post('/api/classes', { name: 'Chess club' });
    expect(created.status).toBe(201);
    expect(created.body.class).toMatchObject({ name: 'Chess club', source: 'manual', studentCount: 0 });
    const sync = await browser.post(`/api/classes/${created.body.class.id}/sync`);
    expect(sync.status).toBe(403);
  });

  it('hides another district’s classes and refuses students and strangers', async () => {
    const maple = w.districts[0]!;
    const other = w.districts[1]!;
    const { browser } = await w.teacher(maple, maple.info.teachers[0]!, 'clever');
    const created = await browser.post('/api/classes', { name: 'Private class' });
    const { browser: stranger } = await w.teacher(other, other.info.teachers[0]!, 'clever');
    expect((await stranger.get(`/api/classes/${created.body.class.id}`)).status).toBe(404);
    expect((await stranger.post(`/api/classes/${created.body.class.id}/sync`)).status).toBe(404);
    expect((await stranger.delete(`/api/classes/${created.body.class.id}`)).status).toBe(404);
    expect((await new TestBrowser(w.app).get('/api/classes')).status).toBe(401);
  });

  it('a teacher who is not linked, or not on a license, gets a clear refusal instead of a list', async () => {
    const maple = w.districts[0]!;
    const browser = new TestBrowser(w.app);
    const { makeUser, PASSWORD } = await import('../support/factories.ts');
    const loner = await makeUser(w.t.ctx);
    await browser.post('/api/auth/signin', { email: loner.email, password: PASSWORD });
    const classes = await browser.get('/api/classes');
    expect(classes.body.rostering).toMatchObject({ available: false });
    expect(classes.body.rostering.reason).toMatch(/not connected/);
    const listed = await browser.get('/api/rostering/sections');
    expect(listed.status).toBe(403);
    expect(listed.body.error.message).toMatch(/not available/);
    void maple;
  });
});
