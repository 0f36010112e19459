import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { User } from '../src/domain/accounts/accounts.types.ts';
import { browserAvailable, dumpPagesOnFailure, launchBrowser } from './support/browser.ts';
import { startWorld } from './support/world.ts';
import { PASSWORD, makeUser } from '../test/support/factories.ts';

const suite = browserAvailable ? describe : describe.skip;

/**
 * "Why can't I see Add from Rostering Service?" in Chromium: each cause named
 * on the help page, fixed the way a teacher or admin would, and the option on
 * My Classes on the next page load, with no signing out and in again. Then the
 * license admin's and district IT's consoles.
 */
suite('the rostering diagnosis and the admin consoles in Chromium', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  let browser: Browser;
  beforeEach((context) => dumpPagesOnFailure(context, () => browser));
  let licenseId: string;
  let admin: User;
  const cli = { kind: 'cli' } as const;

  beforeAll(async () => {
    world = await startWorld();
    browser = await launchBrowser();
    const { services } = world.server.t.ctx;
    const license = await services.operator.createLicense(cli, { districtId: world.mapleDistrict.id, schoolId: null, name: 'Maple Grove teachers', seats: 20, startsOn: '2026-01-01', endsOn: '2027-12-31' });
    licenseId = license.id;
    admin = await makeUser(world.server.t.ctx, { name: 'Pat Lee', email: 'pat.lee@maplegrove.test' });
    await services.operator.addLicenseAdmin(cli, licenseId, { email: admin.email!, name: admin.name });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${world.url}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    return page;
  }

  /** My Classes → Add Classes: is "Add from Rostering Service" offered on this page load? */
  async function rosteringOffered(page: Page): Promise<boolean> {
    await page.goto(`${world.url}/classes`);
    await page.getByRole('button', { name: 'Add Classes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Classes' });
    await dialog.getByRole('heading', { name: 'Create a class' }).waitFor();
    const offered = (await dialog.getByRole('link', { name: 'Add from Rostering Service', exact: true }).count()) === 1;
    const why = (await dialog.getByRole('link', { name: "Why can't I see Add from Rostering Service?" }).count()) === 1;
    expect(offered).toBe(!why);
    await dialog.getByRole('button', { name: 'Close' }).click();
    return offered;
  }

  async function diagnosisHeading(page: Page): Promise<string> {
    await page.goto(`${world.url}/help/rostering`);
    const heading = page.locator('.diagnosis-summary h2');
    await heading.waitFor();
    return (await heading.textContent()) ?? '';
  }

  /** The worker sends the invitation; the teacher opens it from the development mail page and accepts. */
  async function followInvitation(page: Page, to: string) {
    const message = page.getByRole('button', { name: /invited/ }).filter({ hasText: to }).first();
    await expect
      .poll(
        async () => {
          await page.goto(`${world.url}/dev/mail`);
          return message.count();
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBeGreaterThan(0);
    await message.click();
    const href = await page.locator('a[href*="/invitations/"]').first().getAttribute('href');
    await page.goto(href!);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/classes$/);
  }

  it('not linked: the help page says so, Connect Clever fixes it, and the option appears', async () => {
    const person = world.maple.teachers[0]!;
    const teacher = await makeUser(world.server.t.ctx, { email: person.email!, name: `${person.givenName} ${person.familyName}` });
    const { store } = world.server.t.ctx;
    const [member] = await store.licenses.insertMembers(licenseId, [{ email: teacher.email!, userId: teacher.id }], admin.id, new Date());
    await store.licenses.accept(member!.id, teacher.id, new Date());

    const page = await signIn(teacher.email!);
    expect(await rosteringOffered(page)).toBe(false);
    // From the dialog's link, as a teacher would.
    await page.getByRole('button', { name: 'Add Classes' }).click();
    await page.getByRole('link', { name: "Why can't I see Add from Rostering Service?" }).click();
    await page.waitForURL(/\/help\/rostering$/);
    await expect.poll(() => page.locator('.diagnosis-summary h2').textContent()).toBe('Your account isn’t connected to Clever or ClassLink');
    expect(await page.locator('.diagnosis-summary').textContent()).toContain('Sign in once with Clever or ClassLink to connect your account.');
    const checks = await page.locator('ol.checks li .badge').allTextContents();
    expect(checks).toEqual(['Passed', 'Passed', 'Passed', 'Failed', 'Not checked']);

    await page.getByRole('link', { name: 'Connect Clever' }).click();
    await page.locator(`button[data-user="${person.cleverId}"]`).first().click();
    await page.waitForURL(/\/classes$/);
    expect(await rosteringOffered(page)).toBe(true);
    expect(await diagnosisHeading(page)).toBe('Everything is in place');
    await expect.poll(() => page.getByRole('rowheader').allTextContents()).toEqual(
      expect.arrayContaining(world.maple.sections.filter((s) => s.teacherEmails.includes(person.email!)).map((s) => s.name)),
    );
    await page.context().close();
  });

  it('not on the license, then not accepted: the license admin adds them, they accept, the option appears; the admin sees invited → linked', async () => {
    const person = world.maple.teachers[1]!;
    const teacher = await makeUser(world.server.t.ctx, { email: person.email!, name: `${person.givenName} ${person.familyName}` });
    await world.server.t.ctx.store.identities.link(teacher.id, 'clever', world.maple.cleverDistrictId, person.cleverId, new Date());

    const page = await signIn(teacher.email!);
    expect(await rosteringOffered(page)).toBe(false);
    expect(await diagnosisHeading(page)).toBe('You’re not on your school’s Rollcall license');
    const summary = page.locator('.diagnosis-summary');
    expect(await summary.textContent()).toContain('Your license administrator: Pat Lee (pat.lee@maplegrove.test)');
    expect(await summary.textContent()).toContain(`Ask Pat Lee (pat.lee@maplegrove.test) to add you (${teacher.email}) to the license.`);

    // The license admin adds them from the license page and sees them invited.
    const adminPage = await signIn(admin.email!);
    await adminPage.goto(`${world.url}/licenses/${licenseId}`);
    await adminPage.getByLabel('Teacher emails').fill(teacher.email!);
    await adminPage.getByRole('button', { name: 'Add teachers' }).click();
    const row = adminPage.getByRole('row').filter({ has: adminPage.getByRole('rowheader', { name: teacher.email! }) });
    await expect.poll(() => row.getByText('Invited', { exact: true }).count()).toBe(1);

    // The teacher's next look names the next cause: the invitation.
    expect(await diagnosisHeading(page)).toBe('Your invitation isn’t accepted yet');
    expect(await page.locator('.diagnosis-summary').textContent()).toContain(`Accept your invitation — check your email (${teacher.email})`);
    expect(await rosteringOffered(page)).toBe(false);
    await followInvitation(page, teacher.email!);
    expect(await rosteringOffered(page)).toBe(true);

    // The admin reloads: linked to Clever, and Diagnose agrees.
    await adminPage.reload();
    await expect.poll(() => row.getByText('Linked to rostering').count()).toBe(1);
    expect(await row.locator('.badge-clever').textContent()).toBe('Clever');
    await row.getByRole('button', { name: `Diagnose ${teacher.email}` }).click();
    const dialog = adminPage.getByRole('dialog');
    await expect.poll(() => dialog.locator('.diagnosis-summary h3').textContent()).toBe('Everything is in place');
    await page.context().close();
    await adminPage.context().close();
  });

  it('resends every pending invitation with one click', async () => {
    const adminPage = await signIn(admin.email!);
    await adminPage.goto(`${world.url}/licenses/${licenseId}`);
    await adminPage.getByLabel('Teacher emails').fill('later1@maplegrove.test, later2@maplegrove.test');
    await adminPage.getByRole('button', { name: 'Add teachers' }).click();
    await adminPage.getByRole('button', { name: 'Resend invitations (2)' }).click();
    await expect.poll(() => adminPage.getByRole('status').first().textContent()).toBe('Sent 2 new invitations.');
    await adminPage.context().close();
  });

  it('district IT sees shared vs imported counts, a held sync with who would leave, approves it, and sees it in the audit log', async () => {
    const { services, store } = world.server.t.ctx;
    const itUser = await makeUser(world.server.t.ctx, { name: 'Ivy Tech', email: 'ivy.tech@maplegrove.test' });
    await services.operator.addDistrictAdmin(cli, world.mapleDistrict.id, itUser.email!);
    // A class imported by the teacher of the first test, and a full sync held over two of its students.
    const teacher = (await store.accounts.findLoginByEmail(world.maple.teachers[0]!.email!))!;
    const actor = await store.accounts.loadActor(teacher);
    const integration = (await store.integrations.list({ districtIds: [world.mapleDistrict.id] })).find((i) => i.provider === 'clever')!;
    const section = world.maple.sections.find((s) => s.teacherEmails[0] === teacher.email && !s.ended)!;
    const imported = await services.rostering.requestImport(actor, [{ integrationId: integration.id, externalId: section.cleverId }]);
    const classId = 'imported' in imported ? imported.imported[0]!.classId : '';
    const roster = await store.roster.roster(classId);
    const leaving = roster.slice(0, 2);
    const now = new Date();
    const runId = await store.syncRuns.create({ integrationId: integration.id, classId: null, requestedBy: null, trigger: 'full', status: 'running' }, now);
    await store.syncRuns.finish(runId, { status: 'held', counts: { held: 2 }, details: { pendingRemovals: leaving.map((s) => ({ classId, userId: s.id })), pendingArchives: [] } }, now);

    const page = await signIn(itUser.email!);
    await page.goto(`${world.url}/district`);
    const clever = page.getByRole('table', { name: 'Clever: what it shares and what Rollcall imported' });
    await clever.waitFor();
    expect(await clever.getByRole('row', { name: /Students/ }).textContent()).toContain('—'); // not counted until tested
    await page.getByRole('listitem', { name: 'Clever' }).getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(async () => (await clever.getByRole('row', { name: /Students/ }).textContent()) ?? '').toContain(String(world.maple.counts.students));
    expect(await clever.getByRole('row', { name: /Sections/ }).textContent()).toContain('1 class imported');

    const held = page.locator('article.held-run');
    await expect.poll(() => held.count()).toBe(1);
    for (const s of leaving) expect(await held.textContent()).toContain(s.name);
    await held.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByText('Approved: 2 students removed.').count()).toBe(1);
    await expect.poll(() => held.count()).toBe(0);
    expect((await store.roster.roster(classId)).map((s) => s.id)).not.toContain(leaving[0]!.id);

    await page.reload();
    const log = page.getByRole('region', { name: 'Audit log' }).first();
    await expect.poll(async () => (await log.textContent()) ?? '').toContain('Approved a held sync (2 removed, 0 archived)');
    expect(await log.textContent()).toContain('Tested the Clever connection: it worked');
    await page.context().close();
  });
});
