import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, dumpPagesOnFailure, launchBrowser } from './support/browser.ts';
import { startWorld } from './support/world.ts';
import type { SimUserInfo } from '../sim/index.ts';

const suite = browserAvailable ? describe : describe.skip;

suite('My Classes → Add Classes → Add from Rostering Service → check → +Add Classes, in Chromium', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  let browser: Browser;
  let licenseId: string;
  beforeEach((context) => dumpPagesOnFailure(context, () => browser));

  beforeAll(async () => {
    world = await startWorld();
    browser = await launchBrowser();
    const license = await world.server.t.ctx.services.operator.createLicense(
      { kind: 'cli' },
      { districtId: world.mapleDistrict.id, schoolId: null, name: 'Maple Grove e2e', seats: 30, startsOn: '2026-01-01', endsOn: '2027-12-31' },
    );
    licenseId = license.id;
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  /** A teacher signs in with the provider from our page; the license admin already added and they accepted. */
  async function teacherSignsIn(person: SimUserInfo, provider: 'clever' | 'classlink'): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${world.url}/signin`);
    await page.getByRole('link', { name: provider === 'clever' ? 'Log in with Clever' : 'Log in with ClassLink' }).click();
    const id = provider === 'clever' ? person.cleverId : String(person.classlinkUserId);
    await page.locator(`button[data-user="${id}"]`).first().click();
    await page.waitForURL(/\/classes$/);
    // Put them on the license (as the license admin would) — rostering needs an accepted seat.
    const { store } = world.server.t.ctx;
    const user = (await (await page.request.get(`${world.url}/api/session`)).json()).user;
    const [member] = await store.licenses.insertMembers(licenseId, [{ email: `${user.id}@seat.test`, userId: user.id }], null, new Date());
    await store.licenses.accept(member!.id, user.id, new Date());
    return page;
  }

  async function fiveClicks(page: Page, userName: string, sectionNames: string[]) {
    await page.goto(`${world.url}/profile`);
    await page.getByRole('button', { name: userName }).click();
    await page.getByRole('link', { name: 'My Classes' }).click(); // 1
    await page.waitForURL(/\/classes$/);
    await page.getByRole('button', { name: 'Add Classes' }).click(); // 2
    await page.getByRole('link', { name: 'Add from Rostering Service', exact: true }).click(); // 3
    await page.waitForURL(/\/classes\/import$/);
    for (const name of sectionNames) await page.getByRole('checkbox', { name: `Import ${name}` }).check(); // 4
    await page.getByRole('button', { name: '+Add Classes' }).click(); // 5
    await page.waitForURL(/\/classes$/);
  }

  for (const provider of ['clever', 'classlink'] as const) {
    it(`imports two sections from ${provider}, a co-teacher joins one, and a student sees it`, async () => {
      const maple = world.maple;
      const coTaught = maple.sections.find((s) => s.teacherEmails.length > 1 && !s.ended)!;
      const lead = maple.teachers.find((t) => t.email === coTaught.teacherEmails[0])!;
      const coTeacher = maple.teachers.find((t) => t.email === coTaught.teacherEmails[1])!;
      const another = maple.sections.find((s) => s.teacherEmails[0] === lead.email && s !== coTaught && !s.ended)!;

      const page = await teacherSignsIn(lead, provider);
      await fiveClicks(page, `${lead.givenName} ${lead.familyName}`, [coTaught.name, another.name]);
      await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Added 2 classes/);
      for (const name of [coTaught.name, another.name]) {
        await expect.poll(() => page.getByRole('link', { name }).count()).toBe(1);
      }
      await page.getByRole('link', { name: coTaught.name }).click();
      await page.waitForURL(/\/classes\/[0-9a-f-]{36}$/);
      const rosterRows = page.getByRole('table', { name: /Roster/ }).getByRole('row');
      await expect.poll(() => rosterRows.count()).toBe(coTaught.studentCount + 1); // + header row
      const classUrl = page.url();

      // The co-teacher sees it as "imported by a co-teacher — join it" and joins: still one class.
      const co = await teacherSignsIn(coTeacher, provider);
      await co.getByRole('button', { name: 'Add Classes' }).click();
      await co.getByRole('link', { name: 'Add from Rostering Service', exact: true }).click();
      await expect.poll(() => co.getByText('Imported by a co-teacher — join it').count()).toBeGreaterThan(0);
      await co.getByRole('checkbox', { name: `Import ${coTaught.name}` }).check();
      await co.getByRole('button', { name: '+Add Classes' }).click();
      await co.waitForURL(/\/classes$/);
      await co.getByRole('link', { name: coTaught.name }).click();
      expect(co.url()).toBe(classUrl);

      // A student of that section signs in and sees the class.
      const enrolled = new Set(
        (
          await world.server.t.ctx.database.db
            .selectFrom('enrollments')
            .innerJoin('identities', 'identities.user_id', 'enrollments.user_id')
            .select('identities.external_id')
            .where('enrollments.class_id', '=', classUrl.split('/').pop()!)
            .where('identities.provider', '=', provider)
            .execute()
        ).map((r) => r.external_id),
      );
      // The simulated login page lists the district's first people: take the first enrolled one in that order.
      const student = maple.students.find((s) => enrolled.has(provider === 'clever' ? s.cleverId : s.oneRosterSourcedId))!;
      const kid = await (await browser.newContext()).newPage();
      await kid.goto(`${world.url}/signin`);
      await kid.getByRole('link', { name: provider === 'clever' ? 'Log in with Clever' : 'Log in with ClassLink' }).click();
      await kid.locator(`button[data-user="${provider === 'clever' ? student.cleverId : student.classlinkUserId}"]`).first().click();
      await kid.waitForURL(/\/student$/);
      await expect.poll(() => kid.getByText(coTaught.name).count()).toBeGreaterThan(0);
      for (const p of [page, co, kid]) await p.context().close();
    });
  }
});
