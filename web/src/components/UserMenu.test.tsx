// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { Header } from './Header.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const links = (el: HTMLElement) => Array.from(el.querySelectorAll('a')).map((a) => a.textContent);

describe('header', () => {
  it('shows sign-in links when signed out', async () => {
    page = await renderPage(<Header />, { path: '/reset-password' });
    expect(links(page.container)).toEqual(['Skip to content', 'Rollcall', 'Sign in', 'Create account']);
  });

  it('opens the menu from the name, closes on Escape, and logs out', async () => {
    const user = makeUser({ abilities: { operator: false, licenseAdminOf: [{ id: 'l1', name: 'L' }], districtAdminOf: [] } });
    page = await renderPage(<Header />, { path: '/classes', session: { user, csrfToken: 'c' } });
    const toggle = button(page.container, 'Ada Teacher ▾')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(button(page.container, 'Log Out')).toBeNull();

    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(links(page.container)).toEqual(['Skip to content', 'Rollcall', 'My Classes', 'Licenses', 'Your account', 'Help']);
    act(() => {
      toggle.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);

    await click(toggle);
    const calls = mockFetch(json(204, null), json(200, { user: null, csrfToken: 'fresh' }));
    await click(button(page.container, 'Log Out'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/auth/signout', 'GET /api/session']);
    expect(page.location()).toBe('/signin');
    expect(links(page.container)).not.toContain('Licenses');
  });

  it('shows District to a district administrator', async () => {
    const user = makeUser({ abilities: { operator: false, licenseAdminOf: [], districtAdminOf: [{ id: 'd1', name: 'D' }] } });
    page = await renderPage(<Header />, { path: '/classes', session: { user, csrfToken: 'c' } });
    await click(button(page.container, 'Ada Teacher ▾'));
    expect(links(page.container)).toEqual(['Skip to content', 'Rollcall', 'My Classes', 'District', 'Your account', 'Help']);
    const district = Array.from(page.container.querySelectorAll('a')).find((a) => a.textContent === 'District');
    expect(district?.getAttribute('href')).toBe('/district');
  });
});
