// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { SignIn } from './SignIn.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

async function fillAndSubmit(p: Rendered, email: string, password: string) {
  await typeInto(byLabel(p.container, 'Email'), email);
  await typeInto(byLabel(p.container, 'Password'), password);
  await click(button(p.container, 'Sign in'));
  await settle();
}

describe('sign-in page', () => {
  it('shows the server message on top and each field message by its input', async () => {
    page = await renderPage(<SignIn />, { path: '/signin' });
    const calls = mockFetch(
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'Check your email address.',
          fields: [{ field: 'email', message: 'Enter an email address like name@school.org.' }],
        },
      }),
    );
    await fillAndSubmit(page, 'not-an-email', 'whatever');

    expect(calls[0]!.url).toBe('/api/auth/signin');
    expect(page.container.querySelector('[role="alert"]')?.textContent).toBe('Check your email address.');
    const email = byLabel(page.container, 'Email')!;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(email.getAttribute('aria-describedby')!.split(' ')[0]!);
    expect(described?.textContent).toBe('Enter an email address like name@school.org.');
    expect(document.activeElement).toBe(email);
    expect(byLabel(page.container, 'Password')!.hasAttribute('aria-invalid')).toBe(false);
  });

  it('shows bad credentials and rate limiting as the form message', async () => {
    page = await renderPage(<SignIn />, { path: '/signin' });
    mockFetch(
      json(401, { error: { code: 'unauthenticated', message: 'That email and password don’t match.' } }),
      json(429, { error: { code: 'rate_limited', message: 'Too many attempts. Try again in a minute.' } }),
    );
    await fillAndSubmit(page, 'ada@school.test', 'wrong-password');
    expect(page.container.querySelector('[role="alert"]')?.textContent).toBe('That email and password don’t match.');
    await click(button(page.container, 'Sign in'));
    await settle();
    expect(page.container.querySelector('[role="alert"]')?.textContent).toBe('Too many attempts. Try again in a minute.');
    expect(page.location()).toBe('/signin');
  });

  it('goes to a safe returnTo after signing in, re-reading the session for the new CSRF token', async () => {
    page = await renderPage(<SignIn />, { path: '/signin?returnTo=%2Finvitations%2Ft1' });
    const user = makeUser();
    const calls = mockFetch(json(200, { user }), json(200, { user, csrfToken: 'after' }));
    await fillAndSubmit(page, 'ada@school.test', 'correct horse');
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/signin', '/api/session']);
    expect(page.location()).toBe('/invitations/t1');
  });

  it('ignores an off-site returnTo and goes home by role', async () => {
    page = await renderPage(<SignIn />, { path: '/signin?returnTo=%2F%2Fevil.example' });
    const user = makeUser({ role: 'operator' });
    mockFetch(json(200, { user }), json(200, { user, csrfToken: 'after' }));
    await fillAndSubmit(page, 'op@rollcall.test', 'correct horse');
    expect(page.location()).toBe('/operator');
  });
});
