// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { ClassSummary } from '../types.ts';
import type { Rendered } from '../test-utils.tsx';
import { Classes } from './Classes.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const algebra: ClassSummary = {
  id: 'c1',
  name: 'Algebra I – P1',
  source: 'clever',
  studentCount: 24,
  teachers: ['Ada Teacher', 'Grace Co'],
  term: { name: 'Fall 2025', startDate: '2025-08-01', endDate: '2025-12-19' },
  period: '1',
  subject: 'Math',
  lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
};

async function openClasses(available: boolean, emailVerified = true, classes: ClassSummary[] = []) {
  mockFetch(json(200, { classes, rostering: { available, reason: available ? null : 'no_integration' } }));
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
    expect(dialog.querySelector('form h3')?.textContent).toBe('Create a class');
    expect(byLabel(dialog as HTMLElement, 'Class name')).not.toBeNull();
    expect(button(dialog as HTMLElement, 'Create class')).not.toBeNull();

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
    const link = Array.from(dialog.querySelectorAll('a')).find((a) => a.textContent === 'Add from Rostering Service');
    expect(link?.getAttribute('href')).toBe('/classes/import');
    expect(document.activeElement).toBe(link);
    expect(dialog.textContent).not.toContain("Why can't I see");
  });

  it('asks again when Add Classes opens: a seat accepted since the page loaded shows the option at once', async () => {
    const p = await openClasses(false);
    const calls = mockFetch(json(200, { classes: [], rostering: { available: true, reason: null } }));
    await click(button(p.container, 'Add Classes'));
    await settle();
    expect(calls.map((c) => c.url)).toEqual(['/api/classes']);
    const dialog = p.container.querySelector('[role="dialog"]')!;
    expect(Array.from(dialog.querySelectorAll('a')).some((a) => a.textContent === 'Add from Rostering Service')).toBe(true);
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

  it('shows each class as a card linking to its page, with source, term, period and last sync', async () => {
    const manual: ClassSummary = { ...algebra, id: 'c2', name: 'Homeroom', source: 'manual', teachers: ['Ada Teacher'], term: null, period: null, studentCount: 1, lastSyncedAt: null };
    const p = await openClasses(true, true, [algebra, manual]);
    const cards = Array.from(p.container.querySelectorAll('.class-card'));
    expect(cards).toHaveLength(2);
    const link = cards[0]!.querySelector('h2 a')!;
    expect(link.textContent).toBe('Algebra I – P1');
    expect(link.getAttribute('href')).toBe('/classes/c1');
    expect(cards[0]!.textContent).toContain('Clever');
    expect(cards[0]!.textContent).toContain('24 students · Fall 2025 (');
    expect(cards[0]!.textContent).toContain('Period 1');
    expect(cards[0]!.textContent).toContain('With Ada Teacher, Grace Co');
    expect(cards[0]!.textContent).toContain('Last synced 5 minutes ago');
    expect(cards[1]!.textContent).toContain('Manual');
    expect(cards[1]!.textContent).toContain('1 student');
    expect(cards[1]!.textContent).not.toContain('synced');
  });

  it('shows the notice it was sent with', async () => {
    mockFetch(json(200, { classes: [algebra], rostering: { available: true, reason: null } }));
    page = await renderPage(<Classes />, {
      path: '/classes',
      session: { user: makeUser(), csrfToken: 'c' },
      state: { notice: 'Added 1 class: Algebra I – P1.' },
    });
    await settle();
    expect(page.container.querySelector('[role="status"]')?.textContent).toBe('Added 1 class: Algebra I – P1.');
  });

  it('creates a class from the dialog, showing the server’s message next to Class name', async () => {
    const p = await openClasses(false);
    await click(button(p.container, 'Add Classes'));
    const dialog = p.container.querySelector('[role="dialog"]') as HTMLElement;
    const input = byLabel(dialog, 'Class name')!;
    const message = 'Give the class a name.';
    let calls = mockFetch(json(400, { error: { code: 'validation_failed', message, fields: [{ field: 'name', message }] } }));
    await click(button(dialog, 'Create class'));
    await settle();
    expect(calls[0]!.url).toBe('/api/classes');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ name: '' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe(message);
    expect(document.activeElement).toBe(input);

    await typeInto(input, 'Homeroom');
    const created: ClassSummary = { ...algebra, id: 'c9', name: 'Homeroom', source: 'manual', studentCount: 0, lastSyncedAt: null };
    calls = mockFetch(json(201, { class: created }), json(200, { classes: [created], rostering: { available: false, reason: null } }));
    await click(button(dialog, 'Create class'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/classes', 'GET /api/classes']);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ name: 'Homeroom' });
    expect(p.container.querySelector('[role="dialog"]')).toBeNull();
    expect(p.container.querySelector('[role="status"]')?.textContent).toBe('Created Homeroom.');
    expect(p.container.querySelector('.class-card h2 a')?.textContent).toBe('Homeroom');
  });
});
