import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { TestBrowser } from '../support/http.ts';
import { PASSWORD, linkIn, mailTo, makeDistrict, makeUser, tokenFrom } from '../support/factories.ts';
import { engine } from '../support/database.ts';

let t: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestContext({ SIGNIN_RATE_LIMIT: '1000', SESSION_TTL_HOURS: '1440' });
  app = await buildApp(t.ctx);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function signedIn(email: string | null) {
  const browser = new TestBrowser(app);
  const response = await browser.post('/api/auth/signin', { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return browser;
}

async function invitationToken(email: string) {
  const [mail] = await mailTo(t.ctx, email);
  expect(mail, `an invitation email to ${email}`).toBeDefined();
  return tokenFrom(linkIn(mail!.text, '/invitations/'), 'path');
}

describe(`license administration and invitations (${engine})`, () => {
  it('adds teachers from pasted text; a new teacher creates the account and accepts in one step', async () => {
    const { license, admin } = await makeDistrict(t.ctx, { seats: 3 });
    const adminBrowser = await signedIn(admin.email);
    const added = await adminBrowser.post(`/api/licenses/${license.id}/members`, { emails: 'New.Teacher@School.test,\n Second <second@school.test>' });
    expect(added.status).toBe(200);
    expect(added.body.added.map((a: { email: string }) => a.email).sort()).toEqual(['new.teacher@school.test', 'second@school.test']);

    const view = await adminBrowser.get(`/api/licenses/${license.id}`);
    expect(view.body.license).toMatchObject({ seats: 3, seatsUsed: 2 });
    expect(view.body.members.map((m: { state: string }) => m.state)).toEqual(['invited', 'invited']);

    const token = await invitationToken('new.teacher@school.test');
    const [mail] = await mailTo(t.ctx, 'new.teacher@school.test');
    expect(mail!.text).toContain(license.name);
    expect(mail!.text).toMatch(/Enter your name and choose a password/);

    const visitor = new TestBrowser(app);
    const preview = await visitor.get(`/api/invitations/${encodeURIComponent(token)}`);
    expect(preview.status).toBe(200);
    expect(preview.body.invitation).toMatchObject({ email: 'new.teacher@school.test', accountExists: false, state: 'pending' });

    const missing = await visitor.post(`/api/invitations/${encodeURIComponent(token)}/accept`, { name: 'New Teacher' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].field).toBe('password');

    const accepted = await visitor.post(`/api/invitations/${encodeURIComponent(token)}/accept`, { name: 'New Teacher', password: 'a fine long passphrase' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'new.teacher@school.test', emailVerified: true });
    expect((await visitor.get('/api/session')).body.user.email).toBe('new.teacher@school.test');

    const after = await adminBrowser.get(`/api/licenses/${license.id}`);
    const member = after.body.members.find((m: { email: string }) => m.email === 'new.teacher@school.test');
    expect(member).toMatchObject({ state: 'complete', name: 'New Teacher' });

    // The link works once.
    const reuse = await new TestBrowser(app).post(`/api/invitations/${encodeURIComponent(token)}/accept`, { name: 'X', password: 'a fine long passphrase' });
    expect(reuse.status).toBe(410);
  });

  it('lets an existing teacher accept after signing in, and only as the invited email', async () => {
    const { license, admin } = await makeDistrict(t.ctx);
    const teacher = await makeUser(t.ctx, { verified: false });
    const stranger = await makeUser(t.ctx);
    await (await signedIn(admin.email)).post(`/api/licenses/${license.id}/members`, { emails: teacher.email });
    const token = encodeURIComponent(await invitationToken(teacher.email!));

    const anonymous = await new TestBrowser(app).post(`/api/invitations/${token}/accept`, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message).toMatch(/Sign in to accept/);

    const wrongPerson = await (await signedIn(stranger.email)).post(`/api/invitations/${token}/accept`, {});
    expect(wrongPerson.status).toBe(403);

    const browser = await signedIn(teacher.email);
    const ok = await browser.post(`/api/invitations/${token}/accept`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.user.emailVerified).toBe(true); // following the link proves the address
    const members = await t.ctx.store.licenses.listMembers(license.id);
    expect(members.find((m) => m.email === teacher.email)?.userId).toBe(teacher.id);
  });

  it('rejects an invalid email, a duplicate member and an over-seat list, adding nothing', async () => {
    const { license, admin } = await makeDistrict(t.ctx, { seats: 2 });
    const browser = await signedIn(admin.email);
    await browser.post(`/api/licenses/${license.id}/members`, { emails: 'one@school.test' });
    const before = await t.ctx.store.licenses.listMembers(license.id);

    const invalid = await browser.post(`/api/licenses/${license.id}/members`, { emails: 'ok@school.test, not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields[0]).toMatchObject({ field: 'emails' });
    expect(invalid.body.error.fields[0].message).toContain('"not-an-email"');

    const duplicate = await browser.post(`/api/licenses/${license.id}/members`, { emails: 'ONE@school.test' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.fields[0].message).toContain('one@school.test');

    const overSeat = await browser.post(`/api/licenses/${license.id}/members`, { emails: 'a@school.test b@school.test' });
    expect(overSeat.status).toBe(409);
    expect(overSeat.body.error.code).toBe('seats_exhausted');
    expect(overSeat.body.error.fields[0].message).toMatch(/1 free seat of 2/);

    const empty = await browser.post(`/api/licenses/${license.id}/members`, { emails: '  \n ' });
    expect(empty.status).toBe(400);

    const afterMembers = await t.ctx.store.licenses.listMembers(license.id);
    expect(afterMembers.map((m) => m.id)).toEqual(before.map((m) => m.id));
  });

  it('expires invitations, voids old links on resend, and removal keeps the account', async () => {
    const { license, admin } = await makeDistrict(t.ctx);
    const browser = await signedIn(admin.email);
    const added = await browser.post(`/api/licenses/${license.id}/members`, { emails: 'late@school.test' });
    const memberId = added.body.added[0].memberId;
    const first = encodeURIComponent(await invitationToken('late@school.test'));

    t.clock.advance(15 * 86_400_000);
    const expired = await new TestBrowser(app).get(`/api/invitations/${first}`);
    expect(expired.status).toBe(410);
    expect(expired.body.error.message).toMatch(/expired/);
    const view = await browser.get(`/api/licenses/${license.id}`);
    expect(view.body.members[0].invitationExpired).toBe(true);

    const resent = await browser.post(`/api/licenses/${license.id}/members/${memberId}/resend`);
    expect(resent.status).toBe(200);
    const mails = await mailTo(t.ctx, 'late@school.test');
    const second = encodeURIComponent(tokenFrom(linkIn(mails[0]!.text, '/invitations/'), 'path'));
    expect(second).not.toBe(first);
    expect((await new TestBrowser(app).get(`/api/invitations/${first}`)).status).toBe(410);
    const visitor = new TestBrowser(app);
    expect((await visitor.post(`/api/invitations/${second}/accept`, { name: 'Late Teacher', password: 'another long passphrase' })).status).toBe(200);
    t.clock.advance(-15 * 86_400_000);

    const removed = await browser.delete(`/api/licenses/${license.id}/members/${memberId}`);
    expect(removed.status).toBe(204);
    const afterRemoval = await browser.get(`/api/licenses/${license.id}`);
    expect(afterRemoval.body.members).toEqual([]);
    expect(afterRemoval.body.license.seatsUsed).toBe(0);
    // Nothing lost: the account still signs in, and the removal is recorded.
    expect((await new TestBrowser(app).post('/api/auth/signin', { email: 'late@school.test', password: 'another long passphrase' })).status).toBe(200);
    const member = await t.ctx.store.licenses.findMember(memberId);
    expect(member?.removedAt).not.toBeNull();
    const audit = await t.ctx.store.audit.list({ districtId: license.districtId });
    expect(audit.map((a) => a.action)).toContain('license.member_removed');
  });

  it('rejects forged and tampered invitation links', async () => {
    const browser = new TestBrowser(app);
    expect((await browser.get('/api/invitations/aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbb')).status).toBe(404);
    expect((await browser.get('/api/invitations/short')).status).toBe(400);
  });

  it('keeps districts apart: another district’s license admin and teachers see and change nothing', async () => {
    const mine = await makeDistrict(t.ctx);
    const theirs = await makeDistrict(t.ctx);
    const theirAdmin = await signedIn(theirs.admin.email);
    const teacher = await signedIn((await makeUser(t.ctx)).email);

    for (const browser of [theirAdmin, teacher]) {
      expect((await browser.get(`/api/licenses/${mine.license.id}`)).status).toBe(404);
      expect((await browser.post(`/api/licenses/${mine.license.id}/members`, { emails: 'sneaky@school.test' })).status).toBe(404);
      const list = await browser.get('/api/licenses');
      expect(list.body.licenses.map((l: { id: string }) => l.id)).not.toContain(mine.license.id);
      expect((await browser.get('/api/operator/districts')).status).toBe(403);
    }
    expect(await t.ctx.store.licenses.listMembers(mine.license.id)).toEqual([]);
    expect((await new TestBrowser(app).get(`/api/licenses/${mine.license.id}`)).status).toBe(401);
  });

  it('lets an operator create a district, school, license and admin, who gets a setup email', async () => {
    const operator = await makeUser(t.ctx, { role: 'operator' });
    const browser = await signedIn(operator.email);
    const district = await browser.post('/api/operator/districts', { name: 'Cedar Falls' });
    expect(district.status).toBe(201);
    const school = await browser.post(`/api/operator/districts/${district.body.district.id}/schools`, { name: 'Cedar Falls High' });
    const badDates = await browser.post('/api/operator/licenses', { districtId: district.body.district.id, schoolId: school.body.school.id, name: 'CF', seats: 10, startsOn: '2026-09-01', endsOn: '2026-01-01' });
    expect(badDates.status).toBe(400);
    expect(badDates.body.error.fields[0].field).toBe('endsOn');
    const license = await browser.post('/api/operator/licenses', { districtId: district.body.district.id, schoolId: school.body.school.id, name: 'CF High 2026', seats: 10, startsOn: '2026-08-01', endsOn: '2027-07-31' });
    expect(license.status).toBe(201);
    const adminAdded = await browser.post(`/api/operator/licenses/${license.body.license.id}/admins`, { email: 'Admin@CedarFalls.test', name: 'Pat Admin' });
    expect(adminAdded.status).toBe(201);
    const [mail] = await mailTo(t.ctx, 'admin@cedarfalls.test');
    const token = tokenFrom(linkIn(mail!.text, '/reset-password/complete?token='), 'query');
    const admin = new TestBrowser(app);
    expect((await admin.post('/api/auth/password-reset/complete', { token, password: 'cedar falls passphrase' })).status).toBe(200);
    const session = await admin.get('/api/session');
    expect(session.body.user.abilities.licenseAdminOf.map((l: { id: string }) => l.id)).toEqual([license.body.license.id]);
    const overview = await browser.get('/api/operator/districts');
    const cf = overview.body.districts.find((d: { name: string }) => d.name === 'Cedar Falls');
    expect(cf.licenses[0].admins).toEqual([{ name: 'Pat Admin', email: 'admin@cedarfalls.test' }]);
  });

  it('has no student sign-up path and a student can never get a password', async () => {
    const student = await t.ctx.store.accounts.create({ role: 'student', name: 'Sam Student', email: 'sam@student.test', passwordHash: null, emailVerifiedAt: null });
    await expect(
      t.ctx.database.db.updateTable('users').set({ password_hash: 'x' }).where('id', '=', student.id).execute(),
    ).rejects.toThrow(/students_never_have_passwords/);
    await t.ctx.store.accounts.setPassword(student.id, 'x', new Date());
    expect((await t.ctx.store.accounts.findById(student.id))?.hasPassword).toBe(false);
    const reset = await new TestBrowser(app).post('/api/auth/password-reset', { email: 'sam@student.test' });
    expect(reset.status).toBe(202);
    expect(await mailTo(t.ctx, 'sam@student.test')).toEqual([]);
  });
});
