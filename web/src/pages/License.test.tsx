// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { License, LicenseMember } from '../types.ts';
import { LicensePage } from './License.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const license: License = {
  id: 'l1',
  name: 'Science 2025',
  districtName: 'River District',
  schoolName: 'North High',
  seats: 3,
  seatsUsed: 1,
  startsOn: '2025-08-01',
  endsOn: '2026-07-31',
};
const member: LicenseMember = {
  id: 'm1',
  email: 'old@school.test',
  name: null,
  state: 'invited',
  invitedAt: '2025-08-02T10:00:00Z',
  acceptedAt: null,
  lastSentAt: '2025-08-02T10:00:00Z',
  invitationExpired: true,
};

async function open() {
  mockFetch(json(200, { license, members: [member] }));
  page = await renderPage(<LicensePage />, {
    path: '/licenses/l1',
    pattern: '/licenses/:id',
    session: { user: makeUser({ abilities: { operator: false, licenseAdminOf: [{ id: 'l1', name: 'Science 2025' }], districtAdminOf: [] } }), csrfToken: 'c' },
  });
  await settle();
  return page;
}

describe('license page', () => {
  it('shows seats and members with readable states', async () => {
    const p = await open();
    expect(p.container.querySelector('h1')?.textContent).toBe('Science 2025');
    expect(p.container.textContent).toContain('1 of 3 used');
    const row = p.container.querySelector('tbody tr')!;
    expect(row.textContent).toContain('old@school.test');
    expect(row.textContent).toContain('Invited');
    expect(row.textContent).toContain('invitation expired');
    expect(button(row as HTMLElement, 'Resend')).not.toBeNull();
  });

  it('previews the pasted emails and shows the server’s message next to the textarea', async () => {
    const p = await open();
    const box = byLabel(p.container, 'Teacher emails')!;
    await typeInto(box, 'a@school.test, Bee <b@school.test>\nnope');
    expect(p.container.textContent).toContain('Ready to invite 2 teachers.');
    expect(p.container.textContent).toContain("Doesn't look like an email: nope");

    const message = 'nope is not an email address. Nothing was added.';
    const calls = mockFetch(json(400, { error: { code: 'validation_failed', message, fields: [{ field: 'emails', message }] } }));
    await click(button(p.container, 'Add teachers'));
    await settle();
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ emails: 'a@school.test, Bee <b@school.test>\nnope' });
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(box.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).toBe(message);
    expect((box as HTMLTextAreaElement).value).toContain('nope');
  });

  it('asks before removing a member, then reloads', async () => {
    const p = await open();
    await click(button(p.container.querySelector('tbody tr') as HTMLElement, 'Remove'));
    const dialog = p.container.querySelector('[role="alertdialog"]') as HTMLElement;
    expect(dialog.textContent).toContain('Remove old@school.test from the license? Their account and classes stay.');
    const calls = mockFetch(json(204, null), json(200, { license: { ...license, seatsUsed: 0 }, members: [] }));
    await click(button(dialog, 'Remove'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['DELETE /api/licenses/l1/members/m1', 'GET /api/licenses/l1']);
    expect(p.container.querySelector('[role="alertdialog"]')).toBeNull();
    expect(p.container.textContent).toContain('Removed old@school.test from the license.');
    expect(p.container.textContent).toContain('0 of 3 used');
  });
});
