// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { Invitation, Session } from '../types.ts';
import { InvitationPage } from './Invitation.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const invitation: Invitation = {
  email: 'new@school.test',
  licenseName: 'Science 2025',
  schoolName: 'North High',
  districtName: 'River District',
  invitedBy: 'Pat Admin',
  accountExists: false,
  state: 'pending',
};

async function open(inv: Partial<Invitation>, signedInAs: { email: string | null } | null, session?: Session) {
  const calls = mockFetch(json(200, { invitation: { ...invitation, ...inv }, signedInAs }));
  page = await renderPage(<InvitationPage />, { path: '/invitations/tok1', pattern: '/invitations/:token', session });
  await settle();
  return { p: page, calls };
}

describe('invitation page', () => {
  it('creates the account and accepts in one step when no account exists', async () => {
    const { p } = await open({}, null);
    expect(p.container.textContent).toContain('Pat Admin invited you');
    await typeInto(byLabel(p.container, 'Name'), 'New Teacher');
    await typeInto(byLabel(p.container, 'Password'), 'long enough pw');
    const user = makeUser({ email: 'new@school.test' });
    const calls = mockFetch(json(200, { user, licenseId: 'l1' }), json(200, { user, csrfToken: 'x' }));
    await click(button(p.container, 'Accept invitation'));
    await settle();
    expect(calls[0]!.url).toBe('/api/invitations/tok1/accept');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ name: 'New Teacher', password: 'long enough pw' });
    expect(p.location()).toBe('/classes');
  });

  it('sends someone with an account to sign in, and back here after', async () => {
    const { p } = await open({ accountExists: true }, null);
    const link = Array.from(p.container.querySelectorAll('a')).find((a) => a.textContent === 'Sign in to accept');
    expect(link?.getAttribute('href')).toBe('/signin?returnTo=%2Finvitations%2Ftok1');
    expect(byLabel(p.container, 'Password')).toBeNull();
  });

  it('offers a plain accept button to the invited person, signed in', async () => {
    const session = { user: makeUser({ email: 'New@School.test' }), csrfToken: 'c' };
    const { p } = await open({ accountExists: true }, { email: 'New@School.test' }, session);
    expect(button(p.container, 'Accept invitation')).not.toBeNull();
    expect(byLabel(p.container, 'Name')).toBeNull();
  });

  it('explains when signed in as someone else and offers Log Out', async () => {
    const session = { user: makeUser(), csrfToken: 'c' };
    const { p } = await open({ accountExists: true }, { email: 'ada@school.test' }, session);
    expect(p.container.textContent).toContain('this invitation is for new@school.test');
    expect(button(p.container, 'Log Out')).not.toBeNull();
    expect(button(p.container, 'Accept invitation')).toBeNull();
  });

  it('tells the visitor to ask for a new invitation when it expired', async () => {
    mockFetch(json(410, { error: { code: 'gone', message: 'This invitation has expired.' } }));
    page = await renderPage(<InvitationPage />, { path: '/invitations/old', pattern: '/invitations/:token' });
    await settle();
    expect(page.container.textContent).toContain('This invitation has expired.');
    expect(page.container.textContent).toContain('Ask your license administrator to resend');
  });
});
