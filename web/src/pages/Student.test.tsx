// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { Student } from './Student.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

describe('student classes', () => {
  it('lists each class with its teachers, without links or sources', async () => {
    const cls = { id: 'c1', name: 'Algebra I – P1', source: 'clever', studentCount: 24, teachers: ['Ada Teacher', 'Grace Co'], term: null, period: null, subject: null, lastSyncedAt: null };
    const calls = mockFetch(json(200, { classes: [cls], rostering: { available: false, reason: null } }));
    page = await renderPage(<Student />, { path: '/student', session: { user: makeUser({ role: 'student', email: null }), csrfToken: 'c' } });
    await settle();
    expect(calls[0]!.url).toBe('/api/classes');
    const card = page.container.querySelector('.class-card')!;
    expect(card.querySelector('h2')?.textContent).toBe('Algebra I – P1');
    expect(card.textContent).toContain('Ada Teacher, Grace Co');
    expect(card.querySelector('a')).toBeNull();
    expect(card.textContent).not.toContain('Clever');
  });
});
