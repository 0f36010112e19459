import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import { engine } from '../support/database.ts';
import { PASSWORD, mailTo, makeUser } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';
import { startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

/** The license admin's and district IT's consoles against the simulators. */
let w: RosteringWorld;
let licenseAdmin: User;
let districtAdmin: User;
const cli = { kind: 'cli' } as const;
const maple = () => w.districts[0]!;

async function signIn(user: User): Promise<TestBrowser> {
  const browser = new TestBrowser(w.app);
  expect((await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD })).status).toBe(200);
  return browser;
}

beforeAll(async () => {
  w = await startRosteringWorld();
  licenseAdmin = await makeUser(w.t.ctx, { name: 'Lena Admin' });
  await w.t.ctx.services.operator.addLicenseAdmin(cli, maple().license.id, { email: licenseAdmin.email!, name: licenseAdmin.name });
  districtAdmin = await makeUser(w.t.ctx, { name: 'Dan District' });
  await w.t.ctx.services.operator.addDistrictAdmin(cli, maple().district.id, districtAdmin.email!);
});
afterAll(async () => w?.stop());

describe(`license admin console (${engine})`, () => {
  it('shows per member: state, linked providers, rostered classes, last sign-in', async () => {
    const d = maple();
    const person = d.info.teachers[0]!;
    const { user, browser } = await w.teacher(d, person, 'clever');
    const section = d.info.sections.find((s) => s.teacherEmails[0] === person.email && !s.ended)!;
    expect((await browser.post('/api/rostering/import', { sections: [{ integrationId: d.integrations.clever.id, externalId: section.cleverId }] })).status).toBe(200);
    const admin = await signIn(licenseAdmin);
    await admin.post(`/api/licenses/${d.license.id}/members`, { emails: 'waiting@maple.test' });

    const view = await admin.get(`/api/licenses/${d.license.id}`);
    expect(view.status).toBe(200);
    expect(view.body.abilities).toEqual({ manageMembers: true });
    const linked = view.body.members.find((m: { email: string }) => m.email === user.email);
    expect(linked).toMatchObject({ userId: user.id, state: 'linked', linkedProviders: ['clever'], rosteredClasses: 1 });
    expect(linked.lastSignInAt).not.toBeNull();
    const waiting = view.body.members.find((m: { email: string }) => m.email === 'waiting@maple.test');
    expect(waiting).toMatchObject({ userId: null, state: 'invited', linkedProviders: [], rosteredClasses: 0, lastSignInAt: null });

    // The same one-click diagnosis the teacher sees.
    const diagnosis = await admin.get(`/api/licenses/${d.license.id}/members/${linked.id}/diagnosis`);
    expect(diagnosis.body.diagnosis).toMatchObject({ ok: true, subject: { userId: user.id } });
    expect(diagnosis.body.diagnosis.nextStep.action).toBeUndefined(); // "Go to My Classes" is the teacher's own button
  });

  it('resends every pending invitation at once, and records it', async () => {
    const d = maple();
    const admin = await signIn(licenseAdmin);
    await admin.post(`/api/licenses/${d.license.id}/members`, { emails: 'again1@maple.test, again2@maple.test' });
    await mailTo(w.t.ctx, 'again1@maple.test');
    const pending = (await admin.get(`/api/licenses/${d.license.id}`)).body.members.filter((m: { state: string }) => m.state === 'invited');
    const resent = await admin.post(`/api/licenses/${d.license.id}/members/resend`);
    expect(resent.body).toEqual({ sent: pending.length });
    for (const email of ['again1@maple.test', 'again2@maple.test']) expect(await mailTo(w.t.ctx, email)).toHaveLength(2);
    const linkedTeacher = d.info.teachers[0]!.email!;
    expect(await mailTo(w.t.ctx, linkedTeacher)).toHaveLength(0); // accepted members get nothing
    const operator = await signIn(await makeUser(w.t.ctx, { role: 'operator' }));
    const events = (await operator.get(`/api/audit?districtId=${d.district.id}`)).body.events;
    expect(events.find((e: { action: string }) => e.action === 'license.invitations_resent')).toMatchObject({ actor: 'Lena Admin', summary: `Resent ${pending.length} invitations`, details: { count: pending.length } });
  });
});

describe(`district admin console (${engine})`, () => {
  it('shows what the provider shares next to what Rollcall imported, and the recent runs', async () => {
    const d = maple();
    const it = await signIn(districtAdmin);
    const tested = await it.post(`/api/integrations/${d.integrations.clever.id}/test`);
    expect(tested.body.result.ok).toBe(true);

    const view = await it.get(`/api/districts/${d.district.id}/console`);
    expect(view.status).toBe(200);
    const clever = view.body.integrations.find((i: { integration: { provider: string } }) => i.integration.provider === 'clever');
    expect(clever.shared).toMatchObject({ schools: d.info.counts.schools, teachers: d.info.counts.teachers, sections: d.info.counts.sections, students: d.info.counts.students });
    expect(clever.imported.classes).toBeGreaterThanOrEqual(1);
    expect(clever.imported.students).toBeGreaterThan(0);
    expect(clever.imported.teachersLinked).toBeGreaterThanOrEqual(1);
    const classlink = view.body.integrations.find((i: { integration: { provider: string } }) => i.integration.provider === 'classlink');
    expect(classlink.shared).toBeNull(); // never tested
    const importRun = view.body.runs.find((r: { trigger: string; provider: string }) => r.trigger === 'import' && r.provider === 'clever');
    expect(importRun).toMatchObject({ triggerLabel: 'Import', status: 'succeeded', explanation: null });
    expect(importRun.summary).toMatch(/joined/);
    expect(importRun.durationMs).toBeGreaterThanOrEqual(0);
    expect(view.body.abilities).toEqual({ decideHolds: true, testConnections: true });

    const events = (await it.get(`/api/audit?districtId=${d.district.id}`)).body.events;
    expect(events[0]).toMatchObject({ action: 'integration.tested', actor: 'Dan District', summary: 'Tested the Clever connection: it worked' });
  });

  it('lists a held run with the students it would remove, and failed runs explained', async () => {
    const d = maple();
    const person = d.info.teachers[1]!;
    const { browser } = await w.teacher(d, person, 'clever');
    const section = d.info.sections.find((s) => s.teacherEmails[0] === person.email && !s.ended && s.studentCount >= 6)!;
    const imported = await browser.post('/api/rostering/import', { sections: [{ integrationId: d.integrations.clever.id, externalId: section.cleverId }] });
    const classId = imported.body.imported[0].classId;
    const roster = (await browser.get(`/api/classes/${classId}`)).body.students as { id: string; name: string }[];
    const leaving = roster.slice(0, Math.ceil(roster.length / 2));
    for (const s of leaving) {
      const identity = await w.t.ctx.store.identities.forUser(s.id);
      w.sims.changes.removeStudentFromSection({ section: section.cleverId, student: identity.find((i) => i.provider === 'clever')!.externalId });
    }
    expect((await browser.post(`/api/classes/${classId}/sync`)).body.run.status).toBe('held');
    w.sims.faults.inject('clever', 'server-error', { count: 20, pathPrefix: `/v3.0/sections/${section.cleverId}` });
    try {
      expect((await browser.post(`/api/classes/${classId}/sync`)).body.run.status).toBe('failed');
    } finally {
      w.sims.faults.clear('clever');
    }

    const view = (await (await signIn(districtAdmin)).get(`/api/districts/${d.district.id}/console`)).body;
    const held = view.held.find((r: { classId: string }) => r.classId === classId);
    expect(held).toMatchObject({ status: 'held', triggerLabel: 'Sync now', className: section.name });
    expect(held.pendingRemovals.map((p: { name: string }) => p.name).sort()).toEqual(leaving.map((s) => s.name).sort());
    expect(held.pendingRemovals[0].className).toBe(section.name);
    expect(held.explanation).toMatch(new RegExp(`^Held for review: ${leaving.length} students would leave at once`));
    const failed = view.runs.find((r: { classId: string; status: string }) => r.classId === classId && r.status === 'failed');
    expect(failed.explanation).toMatch(/did not answer/);
    expect(view.problems.some((p: { message: string }) => p.message === failed.explanation)).toBe(true);
  });
});
