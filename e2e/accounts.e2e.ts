import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, dumpPagesOnFailure, launchBrowser } from './support/browser.ts';
import { startServer } from './support/server.ts';
import { PASSWORD, makeDistrict } from '../test/support/factories.ts';

const suite = browserAvailable ? describe : describe.skip;

suite('sign-up, invitation, acceptance, sign-in and Log Out in Chromium', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  beforeEach((context) => dumpPagesOnFailure(context, () => browser));

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function logOut(page: Page, name: string) {
    await page.getByRole('button', { name }).click();
    await page.getByRole('button', { name: 'Log Out' }).click();
    await page.waitForURL(/\/signin/);
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  }

  /** Opens the development mail page and follows the newest message's link for `to`. */
  async function followMailLink(page: Page, to: string, subject: RegExp) {
    for (let attempt = 0; attempt < 50; attempt++) {
      await page.goto(`${server.url}/dev/mail`);
      const message = page.getByRole('button', { name: subject }).filter({ hasText: to }).first();
      if (await message.count()) {
        await message.click();
        const link = page.locator('a[href*="/invitations/"], a[href*="/verify-email"]').first();
        const href = await link.getAttribute('href');
        await page.goto(href!);
        return;
      }
      await page.waitForTimeout(200); // the worker sends within its polling interval
    }
    throw new Error(`No mail to ${to} matching ${subject}`);
  }

  it('walks a teacher and a license admin through the whole flow', async () => {
    const { license, admin } = await makeDistrict(server.t.ctx, { seats: 3 });
    const context = await browser.newContext();
    const page = await context.newPage();

    // A teacher signs up on their own.
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('Name').fill('Rosa Parks');
    await page.getByLabel('Email').fill('rosa@school.test');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText(/at least 10 characters/).count()).toBeGreaterThan(0);
    await page.getByLabel('Password').fill('montgomery bus passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/classes/);
    await expect.poll(() => page.getByRole('heading', { name: 'My Classes' }).count()).toBe(1);
    await logOut(page, 'Rosa Parks');

    // The license admin adds a new teacher by email.
    await signIn(page, admin.email!, PASSWORD);
    await page.goto(`${server.url}/licenses/${license.id}`);
    await page.getByLabel('Teacher emails').fill('Marie Curie <marie@school.test>');
    await page.getByRole('button', { name: 'Add teachers' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: 'marie@school.test' }).count()).toBe(1);
    await expect.poll(() => page.getByText('Invited', { exact: true }).count()).toBeGreaterThan(0);
    await logOut(page, admin.name);

    // The invitation email's link: create the account and accept in one step.
    await followMailLink(page, 'marie@school.test', /invited/);
    await page.getByLabel('Name').fill('Marie Curie');
    await page.getByLabel('Password').fill('radium polonium passphrase');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/classes/);
    await logOut(page, 'Marie Curie');

    // She signs in again with her new password, then logs out.
    await signIn(page, 'marie@school.test', 'radium polonium passphrase');
    await page.waitForURL(/\/classes/);
    await expect.poll(() => page.getByRole('heading', { name: 'My Classes' }).count()).toBe(1);
    await logOut(page, 'Marie Curie');
    const session = await (await page.request.get(`${server.url}/api/session`)).json();
    expect(session.user).toBeNull();

    // The admin sees her account complete.
    await signIn(page, admin.email!, PASSWORD);
    await page.goto(`${server.url}/licenses/${license.id}`);
    await expect.poll(() => page.getByText('Account complete').count()).toBeGreaterThan(0);
    await context.close();
  });
});
