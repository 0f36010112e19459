// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../consoles-types.ts';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { RosteringHelp } from './RosteringHelp.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const titles = [
  ['integration', 'Your district has an active rostering connection'],
  ['license', 'You are on your school’s Rollcall license'],
  ['invitation', 'You accepted the invitation and finished your account'],
  ['linked', 'Your account is connected to Clever or ClassLink'],
  ['sections', 'Your rostering service lists classes you teach'],
] as const;

function diagnosis(statuses: Diagnosis['checks'][number]['status'][], over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    subject: { userId: 'u1', name: 'Ada Teacher', email: 'ada@school.test', role: 'teacher' },
    district: { id: 'd1', name: 'Maple Grove Unified' },
    ok: false,
    firstFailure: null,
    checks: titles.map(([id, title], i) => ({ id, title, status: statuses[i]!, detail: `detail of ${id}` })),
    fixer: null,
    fixerContact: null,
    nextStep: { text: 'Nothing to do.' },
    checkedAt: '2026-11-28T12:00:00Z',
    ...over,
  };
}

async function open(d: Diagnosis | (() => Response)) {
  const calls = mockFetch(typeof d === 'function' ? d : json(200, { diagnosis: d }));
  page = await renderPage(<RosteringHelp />, { path: '/help/rostering', session: { user: makeUser(), csrfToken: 'c' } });
  await settle();
  return { p: page, calls };
}

const text = (p: Rendered) => p.container.textContent ?? '';

describe('Why can’t I see Add from Rostering Service?', () => {
  it('names the first failing check, who can fix it by name and email, and the next step with its button', async () => {
    const { p, calls } = await open(
      diagnosis(['pass', 'pass', 'pass', 'fail', 'skipped'], {
        firstFailure: 'linked',
        fixer: 'teacher',
        checks: diagnosis(['pass', 'pass', 'pass', 'fail', 'skipped']).checks.map((c) => (c.id === 'linked' ? { ...c, detail: 'Your Rollcall account isn’t connected to your Clever account yet.' } : c)),
        nextStep: {
          text: 'Sign in once with Clever to connect your account.',
          action: { label: 'Connect Clever', href: '/auth/clever/start?purpose=connect&returnTo=%2Fclasses' },
        },
      }),
    );
    expect(calls.map((c) => c.url)).toEqual(['/api/diagnosis']);
    expect(p.container.querySelector('h1')?.textContent).toBe("Why can't I see Add from Rostering Service?");
    const summary = p.container.querySelector('.diagnosis-summary')!;
    expect(summary.querySelector('h2')?.textContent).toBe('Your account isn’t connected to Clever or ClassLink');
    expect(summary.textContent).toContain('Your Rollcall account isn’t connected to your Clever account yet.');
    expect(summary.textContent).toContain('Who can fix itYou can');
    expect(summary.textContent).toContain('What to do nextSign in once with Clever to connect your account.');
    const connect = Array.from(summary.querySelectorAll('a')).find((a) => a.textContent === 'Connect Clever');
    expect(connect?.getAttribute('href')).toBe('/auth/clever/start?purpose=connect&returnTo=%2Fclasses');

    const rows = Array.from(p.container.querySelectorAll('ol.checks li'));
    expect(rows.map((r) => r.querySelector('.badge')?.textContent)).toEqual(['Passed', 'Passed', 'Passed', 'Failed', 'Not checked']);
    expect(rows[3]!.textContent).toContain('4. Your account is connected to Clever or ClassLink');
  });

  it('shows the license administrator as a mail link when they are the one to ask', async () => {
    const { p } = await open(
      diagnosis(['pass', 'fail', 'skipped', 'skipped', 'skipped'], {
        firstFailure: 'license',
        fixer: 'license_admin',
        fixerContact: { name: 'Pat Lee', email: 'pat@maple.test' },
        nextStep: { text: 'Ask Pat Lee (pat@maple.test) to add you (ada@school.test) to the license.' },
      }),
    );
    const summary = p.container.querySelector('.diagnosis-summary')!;
    expect(summary.querySelector('h2')?.textContent).toBe('You’re not on your school’s Rollcall license');
    expect(summary.textContent).toContain('Your license administrator: Pat Lee (pat@maple.test)');
    expect(summary.querySelector('a[href="mailto:pat@maple.test"]')).not.toBeNull();
    expect(summary.querySelectorAll('.form-actions a')).toHaveLength(0);
  });

  it('says when the provider could not be reached, not that there are no classes', async () => {
    const { p } = await open(
      diagnosis(['pass', 'pass', 'pass', 'pass', 'unknown'], { firstFailure: 'sections', fixer: 'support', nextStep: { text: 'Try again in a few minutes.' } }),
    );
    expect(p.container.querySelector('.diagnosis-summary h2')?.textContent).toBe('We couldn’t reach your rostering service');
    expect(text(p)).toContain('Rollcall support');
    expect(text(p)).not.toContain('lists no classes');
    expect(p.container.querySelectorAll('ol.checks .badge')[4]?.textContent).toBe('Couldn’t check');
  });

  it('when everything passes, says so and lists what the provider returned', async () => {
    const { p } = await open(
      diagnosis(['pass', 'pass', 'pass', 'pass', 'pass'], {
        ok: true,
        nextStep: { text: 'Everything is in place.', action: { label: 'Go to My Classes', href: '/classes' } },
        sections: [{ provider: 'clever', externalId: 's1', name: 'Algebra I – P1', term: 'Fall 2026', period: '1', subject: 'Math', studentCount: 24 }],
      }),
    );
    const summary = p.container.querySelector('.diagnosis-summary')!;
    expect(summary.getAttribute('role')).toBe('status');
    expect(summary.querySelector('h2')?.textContent).toBe('Everything is in place');
    expect(text(p)).toContain('What Clever returned');
    const row = p.container.querySelector('tbody tr')!;
    expect(Array.from(row.children).map((c) => c.textContent)).toEqual(['Algebra I – P1', 'Fall 2026', 'Period 1', 'Math', '24']);
    expect(Array.from(summary.querySelectorAll('a')).map((a) => a.getAttribute('href'))).toEqual(['/classes']);
  });

  it('checks again on request, reading fresh', async () => {
    const { p } = await open(diagnosis(['pass', 'pass', 'fail', 'skipped', 'skipped'], { firstFailure: 'invitation', fixer: 'teacher' }));
    const calls = mockFetch(json(200, { diagnosis: diagnosis(['pass', 'pass', 'pass', 'pass', 'pass'], { ok: true }) }));
    await click(button(p.container, 'Check again'));
    await settle();
    expect(calls.map((c) => c.url)).toEqual(['/api/diagnosis']);
    expect(p.container.querySelector('.diagnosis-summary h2')?.textContent).toBe('Everything is in place');
  });

  it('shows the server’s message when the check itself fails', async () => {
    const { p } = await open(() => json(500, { error: { code: 'internal', message: 'Something went wrong on our side.', fields: [] } }));
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe('Something went wrong on our side.');
  });

  it('asks a signed-out visitor to sign in first, coming back here', async () => {
    page = await renderPage(<RosteringHelp />, { path: '/help/rostering', session: { user: null, csrfToken: 'c' } });
    await settle();
    const link = Array.from(page.container.querySelectorAll('a')).find((a) => a.textContent === 'Sign in');
    expect(link?.getAttribute('href')).toBe('/signin?returnTo=%2Fhelp%2Frostering');
  });
});
