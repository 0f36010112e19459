// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { OperatorUser } from './OperatorUser.tsx';
import { OperatorUsers } from './OperatorUsers.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const operator = { user: makeUser({ role: 'operator', abilities: { operator: true, licenseAdminOf: [], districtAdminOf: [] } }), csrfToken: 'c' };

describe('support’s user lookup', () => {
  it('searches by what was typed, keeps it in the address, and links each user', async () => {
    page = await renderPage(<OperatorUsers />, { path: '/operator/users', session: operator });
    await typeInto(byLabel(page.container, 'Name, email or provider id'), ' rivera ');
    const calls = mockFetch(json(200, { users: [{ id: 'u1', name: 'Elena Rivera', email: 'erivera@maple.test', role: 'teacher', districtName: 'Maple Grove', providers: ['clever'], lastSignInAt: null }] }));
    await click(button(page.container, 'Search'));
    await settle();
    expect(calls.map((c) => c.url)).toEqual(['/api/operator/users?q=rivera']);
    expect(page.location()).toBe('/operator/users?q=rivera');
    const link = page.container.querySelector('tbody th a');
    expect(link?.textContent).toBe('Elena Rivera');
    expect(link?.getAttribute('href')).toBe('/operator/users/u1');
    expect(page.container.querySelector('tbody tr')?.textContent).toContain('Clever');
  });

  it('shows a user’s accounts, licenses and the diagnosis as they would see it (without their buttons)', async () => {
    mockFetch(
      json(200, {
        user: { id: 'u1', name: 'Elena Rivera', email: 'erivera@maple.test', role: 'teacher', emailVerified: true, hasPassword: true, lastSignInAt: null },
        identities: [],
        licenses: [{ memberId: 'm1', licenseId: 'l1', licenseName: 'MGHS 2026', schoolName: null, startsOn: '2026-01-01', endsOn: '2027-07-31', inDate: true, state: 'accepted', invitedAt: '2026-09-01T00:00:00Z', acceptedAt: '2026-09-02T00:00:00Z', removedAt: null }],
        classes: [],
        diagnosis: {
          subject: { userId: 'u1', name: 'Elena Rivera', email: 'erivera@maple.test', role: 'teacher' },
          district: { id: 'd1', name: 'Maple Grove' },
          ok: false,
          firstFailure: 'linked',
          checks: [
            { id: 'integration', status: 'pass', title: 'Your district has an active rostering connection', detail: 'ok' },
            { id: 'license', status: 'pass', title: 'You are on your school’s Rollcall license', detail: 'ok' },
            { id: 'invitation', status: 'pass', title: 'You accepted the invitation and finished your account', detail: 'ok' },
            { id: 'linked', status: 'fail', title: 'Your account is connected to Clever or ClassLink', detail: 'Not connected.' },
            { id: 'sections', status: 'skipped', title: 'Your rostering service lists classes you teach', detail: '-' },
          ],
          fixer: 'teacher',
          fixerContact: null,
          nextStep: { text: 'Sign in once with Clever to connect your account.' },
          checkedAt: '2026-11-28T12:00:00Z',
        },
      }),
    );
    page = await renderPage(<OperatorUser />, { path: '/operator/users/u1', pattern: '/operator/users/:id', session: operator });
    await settle();
    expect(page.container.querySelector('h1')?.textContent).toBe('Elena Rivera');
    expect(page.container.textContent).toContain('Not connected to Clever or ClassLink.');
    expect(page.container.textContent).toContain('MGHS 2026');
    expect(page.container.querySelector('.diagnosis-summary h3')?.textContent).toBe('Your account isn’t connected to Clever or ClassLink');
    expect(page.container.textContent).toContain('The teacher can');
    expect(page.container.querySelectorAll('.diagnosis-summary .form-actions a')).toHaveLength(0);
  });
});
