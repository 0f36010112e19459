// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { Classes } from './Classes.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

async function openClasses(available: boolean, emailVerified = true) {
  mockFetch(json(200, { classes: [], rostering: { available } }));
  page = await renderPage(<Classes />, {
    path: '/classes',
    session: { user: makeUser({ emailVerified }), csrfToken: 'c' },
  });
  await settle();
  return page;
}

function press(key: string, shiftKey = false) {
  act(() => {
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true }));
  });
}

describe('My Classes', () => {
  it('shows the empty state and, without rostering, explains why in the Add Classes dialog', async () => {
    const p = await openClasses(false);
    expect(p.container.querySelector('h1')?.textContent).toBe('My Classes');
    expect(p.container.textContent).toContain('No classes yet');
    expect(p.container.textContent).not.toContain('Resend verification email');

    const opener = button(p.container, 'Add Classes')!;
    opener.focus();
    await click(opener);
    const dialog = p.container.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(Array.from(dialog.querySelectorAll('a')).some((a) => a.textContent?.startsWith('Add from'))).toBe(false);
    const why = Array.from(dialog.querySelectorAll('a')).find((a) => a.textContent === "Why can't I see Add from Rostering Service?");
    expect(why?.getAttribute('href')).toBe('/help/rostering');
    expect(document.activeElement).toBe(why);
    const create = Array.from(dialog.querySelectorAll('button')).find((b) => b.textContent?.includes('Create a class'));
    expect(create?.disabled).toBe(true);
    expect(create?.textContent).toContain('Coming soon');

    // Tab from the last item wraps to the first; Shift+Tab from the first wraps to the last.
    press('Tab');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close');
    press('Tab', true);
    expect(document.activeElement).toBe(why);

    press('Escape');
    expect(p.container.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('offers Add from Rostering Service when it is available', async () => {
    const p = await openClasses(true);
    await click(button(p.container, 'Add Classes'));
    const dialog = p.container.querySelector('[role="dialog"]')!;
    const link = Array.from(dialog.querySelectorAll('a')).find((a) => a.textContent?.startsWith('Add from Rostering Service'));
    expect(link).toBeDefined();
    expect(dialog.textContent).not.toContain("Why can't I see");
  });

  it('asks an unverified teacher to verify and resends the email', async () => {
    const p = await openClasses(true, false);
    const calls = mockFetch(new Response(null, { status: 202 }));
    await click(button(p.container, 'Resend verification email'));
    await settle();
    expect(calls[0]!.url).toBe('/api/auth/verify-email/resend');
    expect(calls[0]!.init.method).toBe('POST');
    expect(p.container.textContent).toContain('Sent. Check your inbox.');
  });
});
