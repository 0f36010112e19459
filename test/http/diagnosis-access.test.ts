import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { PASSWORD, makeDistrict, makeUser } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';

/**
 * Who may see whose diagnosis, console and audit log: a license admin only
 * their license's members, a district admin only their district, a teacher
 * only themselves, support everyone. Anything else is "not found".
 */
let t: TestContext;
let app: FastifyInstance;
let A: Awaited<ReturnType<typeof makeDistrict>>;
let B: Awaited<ReturnType<typeof makeDistrict>>;
let teacherA: User;
let teacherB: User;
let loner: User;
let districtAdminA: User;
let operatorUser: User;
const member: Record<string, string> = {};

async function signIn(user: User): Promise<TestBrowser> {
  const browser = new TestBrowser(app);
  expect((await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD })).status).toBe(200);
  return browser;
}

async function seat(licenseId: string, user: User): Promise<string> {
  const [row] = await t.ctx.store.licenses.insertMembers(licenseId, [{ email: user.email!, userId: user.id }], null, new Date());
  await t.ctx.store.licenses.accept(row!.id, user.id, new Date());
  return row!.id;
}

beforeAll(async () => {
  t = await createTestContext({ SIGNIN_RATE_LIMIT: '1000' });
  app = await buildApp(t.ctx);
  A = await makeDistrict(t.ctx, { name: 'Access District A' });
  B = await makeDistrict(t.ctx, { name: 'Access District B' });
  teacherA = await makeUser(t.ctx, { name: 'Alma Alpha' });
  teacherB = await makeUser(t.ctx, { name: 'Bea Beta' });
  loner = await makeUser(t.ctx, { name: 'Lone Wolf' });
  member.a = await seat(A.license.id, teacherA);
  member.b = await seat(B.license.id, teacherB);
  districtAdminA = await makeUser(t.ctx, { name: 'Dee Admin' });
  await t.ctx.services.operator.addDistrictAdmin({ kind: 'cli' }, A.district.id, districtAdminA.email!);
  operatorUser = await makeUser(t.ctx, { role: 'operator', name: 'Support Person' });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe(`diagnosis access (${engine})`, () => {
  it('a teacher sees their own diagnosis, and nobody else’s', async () => {
    const browser = await signIn(teacherA);
    const own = await browser.get('/api/diagnosis');
    expect(own.status).toBe(200);
    expect(own.body.diagnosis).toMatchObject({ subject: { userId: teacherA.id }, firstFailure: 'integration', district: { name: 'Access District A' } });
    expect((await browser.get(`/api/users/${teacherA.id}/diagnosis`)).status).toBe(200);
    for (const other of [teacherB, loner, A.admin]) expect((await browser.get(`/api/users/${other.id}/diagnosis`)).status).toBe(404);
    // The license page's member diagnosis belongs to the license's administrators.
    expect((await browser.get(`/api/licenses/${A.license.id}/members/${member.a}/diagnosis`)).status).toBe(404);
  });

  it('a license admin diagnoses only their license’s members', async () => {
    const admin = await signIn(A.admin);
    expect((await admin.get(`/api/users/${teacherA.id}/diagnosis`)).status).toBe(200);
    expect((await admin.get(`/api/licenses/${A.license.id}/members/${member.a}/diagnosis`)).status).toBe(200);
    expect((await admin.get(`/api/users/${teacherB.id}/diagnosis`)).status).toBe(404);
    expect((await admin.get(`/api/users/${loner.id}/diagnosis`)).status).toBe(404);
    expect((await admin.get(`/api/licenses/${B.license.id}/members/${member.b}/diagnosis`)).status).toBe(404);
    // Another license's member through this license's address is not found either.
    expect((await admin.get(`/api/licenses/${A.license.id}/members/${member.b}/diagnosis`)).status).toBe(404);
  });

  it('a member who was removed is no longer the license admin’s to diagnose', async () => {
    const leaver = await makeUser(t.ctx, { name: 'Leo Leaver' });
    const memberId = await seat(A.license.id, leaver);
    const admin = await signIn(A.admin);
    expect((await admin.get(`/api/users/${leaver.id}/diagnosis`)).status).toBe(200);
    expect((await admin.delete(`/api/licenses/${A.license.id}/members/${memberId}`)).status).toBe(204);
    expect((await admin.get(`/api/users/${leaver.id}/diagnosis`)).status).toBe(404);
    // The teacher still sees why: removed from the license, by name of the admin.
    const own = (await (await signIn(leaver)).get('/api/diagnosis')).body.diagnosis;
    expect(own.district.name).toBe('Access District A');
  });

  it('an invited member without an account can be diagnosed from the license page', async () => {
    const admin = await signIn(A.admin);
    const added = await admin.post(`/api/licenses/${A.license.id}/members`, { emails: 'not.yet@school.test' });
    const memberId = added.body.added[0].memberId;
    const d = (await admin.get(`/api/licenses/${A.license.id}/members/${memberId}/diagnosis`)).body.diagnosis;
    expect(d).toMatchObject({ subject: { userId: null, email: 'not.yet@school.test' }, fixer: 'district_it', firstFailure: 'integration' });
  });

  it('inviting another district’s teacher shows the admin only their own district, never the other one', async () => {
    const admin = await signIn(A.admin);
    const added = await admin.post(`/api/licenses/${A.license.id}/members`, { emails: teacherB.email });
    const memberId = added.body.added[0].memberId;
    const view = (await admin.get(`/api/licenses/${A.license.id}`)).body.members.find((m: { id: string }) => m.id === memberId);
    expect(view.userId).toBe(teacherB.id);
    for (const url of [`/api/licenses/${A.license.id}/members/${memberId}/diagnosis`, `/api/users/${teacherB.id}/diagnosis`]) {
      const response = await admin.get(url);
      expect(response.status).toBe(200);
      expect(response.body.diagnosis.district.name).toBe('Access District A');
      expect(JSON.stringify(response.body)).not.toContain('Access District B');
      expect(JSON.stringify(response.body)).not.toContain(B.license.name);
    }
    // Teacher B still sees their own whole picture (district B gets furthest for them).
    expect((await (await signIn(teacherB)).get('/api/diagnosis')).body.diagnosis.district.name).toBe('Access District B');
    await admin.delete(`/api/licenses/${A.license.id}/members/${memberId}`);
  });

  it('a district admin diagnoses teachers of their district only', async () => {
    const browser = await signIn(districtAdminA);
    expect((await browser.get(`/api/users/${teacherA.id}/diagnosis`)).status).toBe(200);
    expect((await browser.get(`/api/licenses/${A.license.id}/members/${member.a}/diagnosis`)).status).toBe(200);
    expect((await browser.get(`/api/users/${teacherB.id}/diagnosis`)).status).toBe(404);
    expect((await browser.get(`/api/licenses/${B.license.id}/members/${member.b}/diagnosis`)).status).toBe(404);
  });

  it('support diagnoses anyone; strangers and bad ids are refused', async () => {
    const support = await signIn(operatorUser);
    for (const u of [teacherA, teacherB, loner]) expect((await support.get(`/api/users/${u.id}/diagnosis`)).status).toBe(200);
    expect((await support.get(`/api/users/${loner.id}/diagnosis`)).body.diagnosis).toMatchObject({ district: null, firstFailure: 'license', fixer: 'license_admin' });
    expect((await support.get('/api/users/not-a-uuid/diagnosis')).status).toBe(400);
    expect((await new TestBrowser(app).get(`/api/users/${teacherA.id}/diagnosis`)).status).toBe(401);
  });
});

describe(`console and audit access (${engine})`, () => {
  it('bulk resend is for the license’s administrators, not its district admin or teachers', async () => {
    expect((await (await signIn(districtAdminA)).post(`/api/licenses/${A.license.id}/members/resend`)).status).toBe(403);
    expect((await (await signIn(teacherA)).post(`/api/licenses/${A.license.id}/members/resend`)).status).toBe(404);
    expect((await (await signIn(A.admin)).post(`/api/licenses/${B.license.id}/members/resend`)).status).toBe(404);
    const view = await (await signIn(districtAdminA)).get(`/api/licenses/${A.license.id}`);
    expect(view.body.abilities).toEqual({ manageMembers: false });
  });

  it('the district console: the district’s admins and support only', async () => {
    expect((await (await signIn(districtAdminA)).get(`/api/districts/${A.district.id}/console`)).status).toBe(200);
    expect((await (await signIn(districtAdminA)).get(`/api/districts/${B.district.id}/console`)).status).toBe(404);
    expect((await (await signIn(A.admin)).get(`/api/districts/${A.district.id}/console`)).status).toBe(404);
    expect((await (await signIn(teacherA)).get(`/api/districts/${A.district.id}/console`)).status).toBe(404);
    const support = await (await signIn(operatorUser)).get(`/api/districts/${B.district.id}/console`);
    expect(support.status).toBe(200);
    expect(support.body).toMatchObject({ district: { name: 'Access District B' }, integrations: [], runs: [], held: [] });
  });

  it('the audit log: support sees every district; a district admin only theirs', async () => {
    const support = await signIn(operatorUser);
    const all = await support.get('/api/audit');
    expect(all.status).toBe(200);
    const districts = new Set(all.body.events.map((e: { districtName: string | null }) => e.districtName));
    expect(districts).toContain('Access District A');
    expect(districts).toContain('Access District B');

    const own = await (await signIn(districtAdminA)).get(`/api/audit?districtId=${A.district.id}`);
    expect(own.status).toBe(200);
    expect(own.body.events.length).toBeGreaterThan(0);
    expect(own.body.events.every((e: { districtId: string }) => e.districtId === A.district.id)).toBe(true);
    expect(own.body.events.map((e: { summary: string }) => e.summary)).toContain('Removed a teacher from a license');

    expect((await (await signIn(districtAdminA)).get(`/api/audit?districtId=${B.district.id}`)).status).toBe(404);
    expect((await (await signIn(districtAdminA)).get('/api/audit')).status).toBe(400);
    expect((await (await signIn(A.admin)).get(`/api/audit?districtId=${A.district.id}`)).status).toBe(404);
  });

  it('user lookup is for support only', async () => {
    const support = await signIn(operatorUser);
    const byEmail = await support.get(`/api/operator/users?q=${encodeURIComponent(teacherA.email!)}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.users[0]).toMatchObject({ id: teacherA.id, name: 'Alma Alpha', role: 'teacher' });
    const byName = await support.get('/api/operator/users?q=beta');
    expect(byName.body.users.map((u: { id: string }) => u.id)).toEqual([teacherB.id]);
    expect((await support.get('/api/operator/users?q=%25_')).body.users).toEqual([]); // wildcards are just characters
    expect((await support.get('/api/operator/users?q=a')).status).toBe(400);

    const detail = await support.get(`/api/operator/users/${teacherA.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ user: { id: teacherA.id }, identities: [], classes: [], diagnosis: { firstFailure: 'integration' } });
    expect(detail.body.licenses).toEqual([expect.objectContaining({ licenseId: A.license.id, state: 'accepted', inDate: true })]);

    for (const who of [districtAdminA, A.admin, teacherA]) {
      const browser = await signIn(who);
      expect((await browser.get('/api/operator/users?q=alpha')).status).toBe(403);
      expect((await browser.get(`/api/operator/users/${teacherA.id}`)).status).toBe(403);
    }
  });
});
