import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, dumpPagesOnFailure, launchBrowser } from './support/browser.ts';
import { startWorld } from './support/world.ts';
import { makeUser } from '../test/support/factories.ts';

const suite = browserAvailable ? describe : describe.skip;

suite('Log in with Clever and ClassLink in Chromium, from our page and from the portals', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  let browser: Browser;
  beforeEach((context) => dumpPagesOnFailure(context, () => browser));

  beforeAll(async () => {
    world = await startWorld();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  async function fresh(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  async function signedInAs(page: Page) {
    return (await (await page.request.get(`${world.url}/api/session`)).json()).user as { id: string; role: string; name: string } | null;
  }

  it('a teacher and a student sign in with Clever from our sign-in page', async () => {
    for (const person of [world.maple.teachers[1]!, world.maple.students[2]!]) {
      const page = await fresh();
      await page.goto(`${world.url}/signin`);
      await page.getByRole('link', { name: 'Log in with Clever' }).click();
      await page.locator(`button[data-user="${person.cleverId}"]`).first().click();
      await page.waitForURL(person.role === 'student' ? /\/student$/ : /\/classes$/);
      const user = await signedInAs(page);
      expect(user).toMatchObject({ role: person.role === 'student' ? 'student' : 'teacher', name: `${person.givenName} ${person.familyName}` });
      await page.context().close();
    }
  });

  it('a teacher and a student sign in with ClassLink from our sign-in page', async () => {
    for (const person of [world.maple.teachers[3]!, world.maple.students[5]!]) {
      const page = await fresh();
      await page.goto(`${world.url}/signin`);
      await page.getByRole('link', { name: 'Log in with ClassLink' }).click();
      await page.locator(`button[data-user="${person.classlinkUserId}"]`).first().click();
      await page.waitForURL(person.role === 'student' ? /\/student$/ : /\/classes$/);
      expect((await signedInAs(page))?.name).toBe(`${person.givenName} ${person.familyName}`);
      await page.context().close();
    }
  });

  it('launches from the Clever Portal and from ClassLink LaunchPad land signed in without a second click', async () => {
    const teacher = world.maple.teachers[4]!;
    const student = world.maple.students[6]!;
    const clever = await fresh();
    await clever.goto(`${world.sims.clever.url}/sim/portal?client_id=e2e-clever&user=${teacher.cleverId}`);
    await clever.waitForURL(/\/classes$/);
    expect((await signedInAs(clever))?.role).toBe('teacher');
    const classlink = await fresh();
    await classlink.goto(`${world.sims.classlink.url}/sim/launchpad?client_id=e2e-classlink&user=${student.classlinkUserId}`);
    await classlink.waitForURL(/\/student$/);
    expect((await signedInAs(classlink))?.role).toBe('student');
    await clever.context().close();
    await classlink.context().close();
  });

  it('links a teacher with an email account on the license; a same-email teacher in another district gets their own account', async () => {
    const { services, store } = world.server.t.ctx;
    const rivera = world.maple.teachers[0]!;
    const existing = await makeUser(world.server.t.ctx, { email: rivera.email!, name: 'Elena Rivera (email account)' });
    const license = await services.operator.createLicense({ kind: 'cli' }, { districtId: world.mapleDistrict.id, schoolId: null, name: 'MG e2e', seats: 10, startsOn: '2026-01-01', endsOn: '2027-12-31' });
    const [member] = await store.licenses.insertMembers(license.id, [{ email: rivera.email!, userId: existing.id }], null, new Date());
    await store.licenses.accept(member!.id, existing.id, new Date());

    const page = await fresh();
    await page.goto(`${world.url}/signin`);
    await page.getByRole('link', { name: 'Log in with Clever' }).click();
    await page.locator(`button[data-user="${rivera.cleverId}"][data-role="teacher"]`).click();
    await page.waitForURL(/\/classes$/);
    expect((await signedInAs(page))?.id).toBe(existing.id);
    await page.context().close();

    // Another district's teacher whose email is on an account licensed only in Maple Grove: not linked.
    const stranger = world.other.teachers[0]!;
    const lookalike = await makeUser(world.server.t.ctx, { email: stranger.email!, name: 'Lookalike' });
    const [m2] = await store.licenses.insertMembers(license.id, [{ email: stranger.email!, userId: lookalike.id }], null, new Date());
    await store.licenses.accept(m2!.id, lookalike.id, new Date());
    const other = await fresh();
    await other.goto(`${world.url}/signin`);
    await other.getByRole('link', { name: 'Log in with Clever' }).click();
    await other.locator(`button[data-user="${stranger.cleverId}"]`).first().click();
    await other.waitForURL(/\/classes$/);
    const user = await signedInAs(other);
    expect(user?.id).not.toBe(lookalike.id);
    expect(await store.identities.forUser(lookalike.id)).toEqual([]);
    await other.context().close();
  });

  it('shows why a sign-in was refused, and creates nothing: a district not integrated with that provider', async () => {
    // Other Valley is connected to Clever only; its students cannot sign in through ClassLink.
    const { database } = world.server.t.ctx;
    const count = async () => Number((await database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const page = await fresh();
    await page.goto(`${world.url}/signin`);
    await page.getByRole('link', { name: 'Log in with ClassLink' }).click();
    await page.locator(`button[data-user="${world.other.students[0]!.classlinkUserId}"]`).first().click();
    await page.waitForURL(/\/signin\?error=district_not_integrated/);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/not connected Rollcall to ClassLink/);
    expect(await signedInAs(page)).toBeNull();
    expect(await count()).toBe(before);
    await page.context().close();
  });
});
