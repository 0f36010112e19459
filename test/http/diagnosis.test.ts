import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUserInfo } from '../../sim/index.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import { engine } from '../support/database.ts';
import { PASSWORD, linkIn, mailTo, makeUser, tokenFrom } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

/**
 * One test per cause of "Why can't I see Add from Rostering Service?": a
 * teacher with exactly that fault sees it named with the right fixer, and
 * fixing it makes GET /api/classes offer the option on the very next request
 * (same session: nothing is cached in it).
 */
let w: RosteringWorld;
let admin: User;
let operator: TestBrowser;
const cli = { kind: 'cli' } as const;

beforeAll(async () => {
  w = await startRosteringWorld({
    districts: [
      { kind: 'demo' },
      { kind: 'generated', students: 120, seed: 5, name: 'Other Valley USD' },
      { kind: 'generated', students: 60, seed: 9, name: 'Lakeside USD' },
    ],
    // The diagnosis waits at most this long for the provider (it caps at 8 s in production).
    env: { ROLLCALL_PROVIDER_TIMEOUT_MS: '1500', INVITATION_TTL_DAYS: '1' },
  });
  const { ctx } = w.t;
  // Maple Grove's license administrator and district IT, so the diagnosis can name them.
  admin = await makeUser(ctx, { name: 'Pat Lee', email: 'pat.lee@maplegrove.test' });
  await ctx.services.operator.addLicenseAdmin(cli, maple().license.id, { email: admin.email!, name: admin.name });
  const it = await makeUser(ctx, { name: 'Ivy Tech', email: 'ivy.tech@maplegrove.test' });
  await ctx.services.operator.addDistrictAdmin(cli, maple().district.id, it.email!);
  // Lakeside has not connected Rollcall to anything yet.
  const lakeside = w.districts[2]!;
  await ctx.database.db.deleteFrom('integration_schools').where('integration_id', 'in', [lakeside.integrations.clever.id, lakeside.integrations.classlink.id]).execute();
  await ctx.database.db.deleteFrom('integrations').where('district_id', '=', lakeside.district.id).execute();
  operator = await signIn(await makeUser(ctx, { role: 'operator', name: 'Support' }));
});
afterAll(async () => w?.stop());

const maple = () => w.districts[0]!;

async function signIn(user: User): Promise<TestBrowser> {
  const browser = new TestBrowser(w.app);
  const response = await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD });
  expect(response.status).toBe(200);
  return browser;
}

async function accountFor(person: SimUserInfo): Promise<User> {
  return makeUser(w.t.ctx, { email: person.email!, name: `${person.givenName} ${person.familyName}` });
}

async function onLicense(licenseId: string, user: User, accepted = true): Promise<void> {
  const [member] = await w.t.ctx.store.licenses.insertMembers(licenseId, [{ email: user.email!, userId: user.id }], null, new Date());
  if (accepted) await w.t.ctx.store.licenses.accept(member!.id, user.id, new Date());
}

async function linkClever(d: RosteringWorld['districts'][number], user: User, cleverId: string): Promise<void> {
  await w.t.ctx.store.identities.link(user.id, 'clever', d.info.cleverDistrictId, cleverId, new Date());
}

async function diagnosis(browser: TestBrowser) {
  const response = await browser.get('/api/diagnosis');
  expect(response.status).toBe(200);
  return response.body.diagnosis;
}

async function available(browser: TestBrowser): Promise<boolean> {
  return (await browser.get('/api/classes')).body.rostering.available;
}

const statuses = (d: { checks: { status: string }[] }) => d.checks.map((c) => c.status);

describe(`the diagnosis, one cause at a time (${engine})`, () => {
  it('1. no rostering integration: district IT; once connected the teacher moves on to the next step', async () => {
    const lakeside = w.districts[2]!;
    const person = lakeside.info.teachers[0]!;
    const teacher = await accountFor(person);
    await onLicense(lakeside.license.id, teacher);
    const browser = await signIn(teacher);

    const before = await diagnosis(browser);
    expect(before).toMatchObject({ ok: false, firstFailure: 'integration', fixer: 'district_it', fixerContact: null, district: { name: 'Lakeside USD' } });
    expect(statuses(before)).toEqual(['fail', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(before.checks[0].detail).toBe('Lakeside USD hasn’t connected Rollcall to Clever or ClassLink yet.');
    expect(before.nextStep.text).toMatch(/^Ask your district’s IT team to connect Rollcall to Clever or ClassLink/);
    expect(await available(browser)).toBe(false);

    const connected = await operator.post('/api/operator/integrations/clever', { districtId: lakeside.district.id, cleverDistrictId: lakeside.info.cleverDistrictId });
    expect(connected.status).toBe(201);
    const after = await diagnosis(browser);
    expect(after).toMatchObject({ firstFailure: 'linked', fixer: 'teacher' });
    expect(statuses(after).slice(0, 3)).toEqual(['pass', 'pass', 'pass']);
  });

  it('1. an integration turned off: district IT; turning it back on shows the option on the next request', async () => {
    const d = maple();
    const person = d.info.teachers[4]!;
    const teacher = await accountFor(person);
    await onLicense(d.license.id, teacher);
    await linkClever(d, teacher, person.cleverId);
    const browser = await signIn(teacher);
    expect(await available(browser)).toBe(true);

    const { store, clock } = w.t.ctx;
    for (const i of Object.values(d.integrations)) await store.integrations.setStatus(i.id, 'disabled', 'Turned off by support', clock.now());
    try {
      const off = await diagnosis(browser);
      expect(off).toMatchObject({ firstFailure: 'integration', fixer: 'district_it', fixerContact: { name: 'Ivy Tech', email: 'ivy.tech@maplegrove.test' } });
      expect(off.checks[0].detail).toBe('Maple Grove Unified’s rostering connection is turned off.');
      expect(await available(browser)).toBe(false);

      await store.integrations.setStatus(d.integrations.classlink.id, 'needs_attention', 'The provider refused our credentials.', clock.now());
      const attention = await diagnosis(browser);
      expect(attention.firstFailure).toBe('integration');
      expect(attention.checks[0].detail).toBe('Maple Grove Unified’s connection to ClassLink needs attention: The provider refused our credentials.');
      expect(attention.nextStep.text).toContain('Ask Ivy Tech (ivy.tech@maplegrove.test) to fix Rollcall’s connection in ClassLink');
    } finally {
      // Support reconnects Clever (reconnecting makes it active again) and restores ClassLink.
      const reconnected = await operator.post('/api/operator/integrations/clever', { districtId: d.district.id, cleverDistrictId: d.info.cleverDistrictId });
      expect(reconnected.status).toBe(201);
      await store.integrations.setStatus(d.integrations.classlink.id, 'active', null, clock.now());
    }
    expect(await available(browser)).toBe(true);
    expect((await diagnosis(browser)).ok).toBe(true);
  });

  it('2 → 3. not on the license: the license admin by name and email; added, then accepted, the option appears', async () => {
    const d = maple();
    const person = d.info.teachers[0]!;
    const teacher = await accountFor(person);
    await linkClever(d, teacher, person.cleverId);
    const browser = await signIn(teacher);

    const notOnLicense = await diagnosis(browser);
    expect(notOnLicense).toMatchObject({ ok: false, firstFailure: 'license', fixer: 'license_admin', fixerContact: { name: 'Pat Lee', email: 'pat.lee@maplegrove.test' } });
    expect(statuses(notOnLicense)).toEqual(['pass', 'fail', 'skipped', 'skipped', 'skipped']);
    expect(notOnLicense.nextStep.text).toBe(`Ask Pat Lee (pat.lee@maplegrove.test) to add you (${teacher.email}) to the license.`);
    expect(await available(browser)).toBe(false);

    const adminBrowser = await signIn(admin);
    expect((await adminBrowser.post(`/api/licenses/${d.license.id}/members`, { emails: teacher.email })).status).toBe(200);

    const invited = await diagnosis(browser);
    expect(invited).toMatchObject({ firstFailure: 'invitation', fixer: 'teacher', fixerContact: null });
    expect(invited.nextStep.text).toMatch(new RegExp(`^Accept your invitation — check your email \\(${teacher.email!.replace('.', '\\.')}\\) for “You’re invited to ${d.license.name} on Rollcall” from Pat Lee`));
    expect(await available(browser)).toBe(false);

    const [mail] = await mailTo(w.t.ctx, teacher.email!);
    const token = tokenFrom(linkIn(mail!.text, '/invitations/'), 'path');
    expect((await browser.post(`/api/invitations/${encodeURIComponent(token)}/accept`, {})).status).toBe(200);

    // The same session, the next request: the option is there.
    expect(await available(browser)).toBe(true);
    const ok = await diagnosis(browser);
    expect(ok).toMatchObject({ ok: true, firstFailure: null, fixer: null });
    expect(statuses(ok)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    const expected = d.info.sections.filter((s) => s.teacherEmails.includes(person.email!)).map((s) => s.name);
    expect(ok.sections.map((s: { name: string }) => s.name).sort()).toEqual([...expected].sort());
  });

  it('3. an expired invitation: the license admin resends (all at once); accepting the new one shows the option', async () => {
    const d = maple();
    const person = d.info.teachers[1]!;
    const teacher = await accountFor(person);
    await linkClever(d, teacher, person.cleverId);
    await (await signIn(admin)).post(`/api/licenses/${d.license.id}/members`, { emails: teacher.email });
    await mailTo(w.t.ctx, teacher.email!);
    w.t.clock.advance(2 * 86_400_000); // invitations last a day in this world

    const browser = await signIn(teacher);
    const expired = await diagnosis(browser);
    expect(expired).toMatchObject({ firstFailure: 'invitation', fixer: 'license_admin', fixerContact: { name: 'Pat Lee', email: 'pat.lee@maplegrove.test' } });
    expect(expired.checks[2].detail).toMatch(/^The invitation to “.+” expired on \d{4}-\d{2}-\d{2} before it was accepted\.$/);

    const resent = await (await signIn(admin)).post(`/api/licenses/${d.license.id}/members/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.sent).toBeGreaterThanOrEqual(1);
    // The worker sends the new email (a new link, valid again) ...
    const [newest] = await mailTo(w.t.ctx, teacher.email!);
    // ... and the teacher can accept it themselves now.
    expect(await diagnosis(browser)).toMatchObject({ firstFailure: 'invitation', fixer: 'teacher' });
    const token = tokenFrom(linkIn(newest!.text, '/invitations/'), 'path');
    expect((await browser.post(`/api/invitations/${encodeURIComponent(token)}/accept`, {})).status).toBe(200);
    expect(await available(browser)).toBe(true);
  });

  it('4. not linked: Connect Clever; after the OAuth round trip the option appears without signing in again', async () => {
    const d = maple();
    const person = d.info.teachers[2]!;
    const teacher = await accountFor(person);
    await onLicense(d.license.id, teacher);
    const browser = await signIn(teacher);

    const unlinked = await diagnosis(browser);
    expect(unlinked).toMatchObject({ firstFailure: 'linked', fixer: 'teacher', fixerContact: null });
    expect(statuses(unlinked)).toEqual(['pass', 'pass', 'pass', 'fail', 'skipped']);
    expect(unlinked.nextStep).toEqual({
      text: 'Sign in once with Clever or ClassLink to connect your account.',
      action: { label: 'Connect Clever', href: '/auth/clever/start?purpose=connect&returnTo=%2Fclasses' },
      alternatives: [{ label: 'Connect ClassLink', href: '/auth/classlink/start?purpose=connect&returnTo=%2Fclasses' }],
    });
    expect(await available(browser)).toBe(false);

    // Follow the button in a browser holding the same session: Clever's login, then back to My Classes.
    const oauth = new RedirectBrowser(w.app, APP);
    oauth.jars.set(new URL(APP).host, new Map(browser.cookies));
    const start = await oauth.get(unlinked.nextStep.action.href);
    expect(start.location).toContain(`${w.sims.clever.url}/oauth/authorize`);
    const form = new URLSearchParams([...new URL(start.location!).searchParams, ['user', person.cleverId]]);
    const posted = await fetch(`${w.sims.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const landed = await oauth.follow(posted.headers.get('location')!);
    expect(new URL(landed.url).pathname).toBe('/classes');

    expect(await available(browser)).toBe(true);
    expect((await diagnosis(browser)).ok).toBe(true);
  });

  it('5. the provider lists no classes for them: district IT; once it does, the diagnosis lists them', async () => {
    const other = w.districts[1]!;
    const [first, second] = other.info.sections;
    const made = w.sims.changes.addTeacherToSection({ district: other.info.name, section: first!.cleverId, newTeacher: { givenName: 'Nadia', familyName: 'Newhire', email: 'nadia.newhire@othervalley.test' } });
    w.sims.changes.deleteSection({ district: other.info.name, section: first!.cleverId });
    const teacher = await makeUser(w.t.ctx, { email: 'nadia.newhire@othervalley.test', name: 'Nadia Newhire' });
    await onLicense(other.license.id, teacher);
    await linkClever(other, teacher, made.created!.cleverId);
    const browser = await signIn(teacher);

    const none = await diagnosis(browser);
    expect(none).toMatchObject({ ok: false, firstFailure: 'sections', fixer: 'district_it', fixerContact: null });
    expect(statuses(none)).toEqual(['pass', 'pass', 'pass', 'pass', 'fail']);
    expect(none.checks[4].detail).toBe('Clever doesn’t list you as the teacher of any class.');
    expect(none.sections).toBeUndefined();

    w.sims.changes.addTeacherToSection({ district: other.info.name, section: second!.cleverId, teacher: made.created!.cleverId });
    const some = await diagnosis(browser);
    expect(some.ok).toBe(true);
    expect(some.sections.map((s: { name: string }) => s.name)).toEqual([second!.name]);
    expect(await available(browser)).toBe(true);
  });

  it('5. the provider does not answer in time: "unreachable", never "no classes"; revoked credentials: district IT', async () => {
    const d = maple();
    const person = d.info.teachers[3]!;
    const teacher = await accountFor(person);
    await onLicense(d.license.id, teacher);
    await linkClever(d, teacher, person.cleverId);
    const browser = await signIn(teacher);

    w.sims.faults.inject('clever', 'slow', { pathPrefix: `/v3.0/users/${person.cleverId}/sections`, delayMs: 4000 });
    const slow = await diagnosis(browser);
    expect(slow).toMatchObject({ ok: false, firstFailure: 'sections', fixer: 'support' });
    expect(statuses(slow)).toEqual(['pass', 'pass', 'pass', 'pass', 'unknown']);
    expect(slow.checks[4].detail).toMatch(/^Rollcall couldn’t reach Clever just now/);
    expect(slow.checks[4].detail).not.toMatch(/doesn’t list you/);
    expect(slow.nextStep.text).toMatch(/Try again in a few minutes/);

    w.sims.faults.inject('clever', 'revoked-credentials');
    try {
      const refused = await diagnosis(browser);
      expect(refused).toMatchObject({ firstFailure: 'sections', fixer: 'district_it', fixerContact: { name: 'Ivy Tech' } });
      expect(refused.checks[4].detail).toMatch(/^Clever refused Rollcall’s request/);
    } finally {
      w.sims.faults.restore('clever');
    }
    expect((await diagnosis(browser)).ok).toBe(true);
  });

  it('students and operators have nothing to diagnose', async () => {
    const support = await diagnosis(operator);
    expect(support).toMatchObject({ ok: false, firstFailure: null, fixer: null });
    expect(statuses(support)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect((await new TestBrowser(w.app).get('/api/diagnosis')).status).toBe(401);
  });

  it('logs nothing personal while diagnosing', async () => {
    const text = w.t.logs.text;
    expect(text).not.toContain('nadia.newhire@othervalley.test');
    expect(text).not.toContain('Nadia Newhire');
  });
});
