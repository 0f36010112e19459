// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { License, LicenseMember } from '../types.ts';
import { LicensePage } from './License.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const license: License = { id: 'l1', name: 'MGHS 2026', districtName: 'Maple Grove', schoolName: 'MGHS', seats: 10, seatsUsed: 3, startsOn: '2026-01-01', endsOn: '2027-07-31' };
const base = { invitedAt: '2026-09-01T10:00:00Z', acceptedAt: null, lastSentAt: '2026-09-01T10:00:00Z', invitationExpired: false, name: null, userId: null, linkedProviders: [], rosteredClasses: 0, lastSignInAt: null };
const members: LicenseMember[] = [
  { ...base, id: 'm1', email: 'rosa@school.test', name: 'Rosa Diaz', state: 'linked', acceptedAt: '2026-09-02T10:00:00Z', userId: 'u1', linkedProviders: ['clever'], rosteredClasses: 2, lastSignInAt: '2026-11-27T08:00:00Z' },
  { ...base, id: 'm2', email: 'new1@school.test', state: 'invited' },
  { ...base, id: 'm3', email: 'new2@school.test', state: 'invited' },
];

async function open(abilities = { manageMembers: true }) {
  mockFetch(json(200, { license, members, abilities }));
  page = await renderPage(<LicensePage />, { path: '/licenses/l1', pattern: '/licenses/:id', session: { user: makeUser(), csrfToken: 'c' } });
  await settle();
  return page;
}

const row = (p: Rendered, email: string) => Array.from(p.container.querySelectorAll('tbody tr')).find((r) => r.textContent?.includes(email)) as HTMLElement;

describe('license admin console', () => {
  it('shows each member’s state, rostering accounts, classes and last sign-in', async () => {
    const p = await open();
    const headers = Array.from(p.container.querySelectorAll('thead th')).map((th) => th.textContent);
    expect(headers.slice(0, 7)).toEqual(['Email', 'Name', 'State', 'Rostering', 'Classes', 'Last sign-in', 'Last sent']);
    const rosa = row(p, 'rosa@school.test');
    expect(rosa.textContent).toContain('Linked to rostering');
    expect(rosa.querySelector('.badge-clever')?.textContent).toBe('Clever');
    expect(rosa.querySelector('td.num')?.textContent).toBe('2');
    expect(row(p, 'new1@school.test').textContent).toContain('Not linked');
  });

  it('Diagnose opens the member’s diagnosis in a dialog', async () => {
    const p = await open();
    const calls = mockFetch(
      json(200, {
        diagnosis: {
          subject: { userId: null, name: null, email: 'new1@school.test', role: null },
          district: { id: 'd1', name: 'Maple Grove' },
          ok: false,
          firstFailure: 'invitation',
          checks: [
            { id: 'integration', status: 'pass', title: 'Your district has an active rostering connection', detail: 'ok' },
            { id: 'license', status: 'pass', title: 'You are on your school’s Rollcall license', detail: 'ok' },
            { id: 'invitation', status: 'fail', title: 'You accepted the invitation and finished your account', detail: 'You were invited to “MGHS 2026” on 2026-09-01 but haven’t accepted the invitation yet.' },
            { id: 'linked', status: 'skipped', title: 'Your account is connected to Clever or ClassLink', detail: '-' },
            { id: 'sections', status: 'skipped', title: 'Your rostering service lists classes you teach', detail: '-' },
          ],
          fixer: 'teacher',
          fixerContact: null,
          nextStep: { text: 'Accept your invitation — check your email.' },
          checkedAt: '2026-11-28T12:00:00Z',
        },
      }),
    );
    await click(button(row(p, 'new1@school.test'), 'Diagnose'));
    await settle();
    expect(calls.map((c) => c.url)).toEqual(['/api/licenses/l1/members/m2/diagnosis']);
    const dialog = p.container.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Diagnosis for new1@school.test');
    expect(dialog.textContent).toContain('Your invitation isn’t accepted yet');
    expect(dialog.textContent).toContain('The teacher can');
    await click(button(dialog as HTMLElement, 'Close'));
    expect(p.container.querySelector('[role="dialog"]')).toBeNull();
  });

  it('resends every pending invitation with one click and reloads', async () => {
    const p = await open();
    const calls = mockFetch(json(200, { sent: 2 }), json(200, { license, members, abilities: { manageMembers: true } }));
    await click(button(p.container, 'Resend invitations (2)'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/licenses/l1/members/resend', 'GET /api/licenses/l1']);
    expect(p.container.querySelector('[role="status"]')?.textContent).toBe('Sent 2 new invitations.');
  });

  it('a district admin who can only look gets Diagnose, not the changing buttons', async () => {
    const p = await open({ manageMembers: false });
    expect(button(p.container, 'Resend invitations (2)')).toBeNull();
    expect(button(p.container, 'Add teachers')).toBeNull();
    const invited = row(p, 'new1@school.test');
    expect(button(invited, 'Resend')).toBeNull();
    expect(button(invited, 'Remove')).toBeNull();
    expect(button(invited, 'Diagnose')).not.toBeNull();
  });
});
