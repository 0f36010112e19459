// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Route, Routes, useLocation } from 'react-router';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { ClassDetail } from '../types.ts';
import { ClassPage } from './ClassPage.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const detail: ClassDetail = {
  class: {
    id: 'c1',
    name: 'Algebra I – P1',
    source: 'clever',
    archived: false,
    section: {
      provider: 'clever',
      externalId: 'sec-1',
      name: 'Algebra I - Period 1',
      term: { name: 'Fall 2025', startDate: '2025-08-01', endDate: '2025-12-19' },
      school: 'Maple Grove High',
    },
    lastSyncedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
  },
  teachers: [
    { id: 'u1', name: 'Ada Teacher' },
    { id: 'u2', name: 'Grace Co' },
  ],
  students: [
    { id: 's1', name: 'Ben Ortiz', grade: '9', signIn: 'Clever' },
    { id: 's2', name: 'Cleo Park', grade: null, signIn: null },
  ],
  history: [{ at: '2025-09-03T09:12:00Z', studentName: 'Ben Ortiz', change: 'joined', trigger: 'import' }],
  abilities: { sync: true, remove: true },
};

function ClassesStub() {
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return <p data-testid="arrived">{notice}</p>;
}

async function open(d: ClassDetail = detail) {
  mockFetch(json(200, d));
  page = await renderPage(
    <Routes>
      <Route path="/classes/:id" element={<ClassPage />} />
      <Route path="/classes" element={<ClassesStub />} />
    </Routes>,
    { path: '/classes/c1', pattern: '*', session: { user: makeUser(), csrfToken: 'c' } },
  );
  await settle();
  return page;
}

describe('class page', () => {
  it('shows where the class comes from, its teachers, roster and history', async () => {
    const p = await open();
    const text = p.container.textContent ?? '';
    expect(p.container.querySelector('h1')?.textContent).toBe('Algebra I – P1');
    expect(p.container.querySelector('.origin')?.textContent).toMatch(
      /^From Clever · section Algebra I - Period 1 · term Fall 2025 \(.+ – .+\) · Maple Grove High$/,
    );
    expect(text).toContain('Last synced 3 minutes ago');
    expect(Array.from(p.container.querySelectorAll('h2')).map((h) => h.textContent)).toEqual(['Teachers', 'Roster', 'Roster history']);
    expect(Array.from(p.container.querySelectorAll('.teachers li')).map((li) => li.textContent)).toEqual(['Ada Teacher', 'Grace Co']);
    const roster = p.container.querySelector('table.roster')!;
    expect(Array.from(roster.querySelectorAll('thead th')).map((th) => th.textContent)).toEqual(['Name', 'Grade', 'Signs in with']);
    const rows = Array.from(roster.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent));
    expect(rows).toEqual([
      ['Ben Ortiz', '9', 'Clever'],
      ['Cleo Park', '—', '—'],
    ]);
    expect(p.container.querySelector('.history li')?.textContent).toMatch(/^.+: Ben Ortiz joined \(import\)$/);
    expect(p.container.querySelector('.banner')).toBeNull();
  });

  it('syncs now, shows the message and reloads the class', async () => {
    const p = await open();
    const message = 'Synced: 1 student joined, 0 left.';
    const later: ClassDetail = {
      ...detail,
      class: { ...detail.class, lastSyncedAt: new Date().toISOString() },
      students: [...detail.students, { id: 's3', name: 'Dee Ray', grade: '9', signIn: 'Clever' }],
    };
    const calls = mockFetch(
      json(200, { run: { status: 'succeeded', counts: { enrolled: 1, removed: 0, restored: 0, updated: 0 }, message } }),
      json(200, later),
    );
    await click(button(p.container, 'Sync now'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/classes/c1/sync', 'GET /api/classes/c1']);
    expect(calls[0]!.init.headers).toMatchObject({ 'x-csrf-token': 'c' });
    expect(p.container.querySelector('[role="status"]')?.textContent).toBe(message);
    expect(p.container.textContent).toContain('Last synced just now');
    expect(p.container.querySelectorAll('table.roster tbody tr')).toHaveLength(3);
  });

  it('shows a held sync as an alert', async () => {
    const p = await open();
    const message = 'Held: this sync would remove 20 of 24 students. Your district administrator can approve it.';
    mockFetch(json(200, { run: { status: 'held', counts: { enrolled: 0, removed: 0, restored: 0, updated: 0 }, message } }), json(200, detail));
    await click(button(p.container, 'Sync now'));
    await settle();
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe(message);
  });

  it('asks before removing the class, then returns to My Classes with a notice', async () => {
    const p = await open();
    await click(button(p.container, 'Remove from Rollcall'));
    const dialog = p.container.querySelector('[role="alertdialog"]') as HTMLElement;
    expect(dialog.textContent).toContain(
      'Remove Algebra I – P1 from Rollcall? The class is archived with its roster and history; importing it again restores it.',
    );
    expect(document.activeElement).toBe(button(dialog, 'Cancel'));
    await click(button(dialog, 'Cancel'));
    expect(p.container.querySelector('[role="alertdialog"]')).toBeNull();

    await click(button(p.container, 'Remove from Rollcall'));
    const calls = mockFetch(json(204, null));
    await click(button(p.container.querySelector('[role="alertdialog"]') as HTMLElement, 'Remove'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['DELETE /api/classes/c1']);
    expect(p.location()).toBe('/classes');
    expect(p.container.querySelector('[data-testid="arrived"]')?.textContent).toBe(
      'Removed Algebra I – P1 from Rollcall. Importing it again restores it.',
    );
  });

  it('marks an archived manual class and offers no actions it may not take', async () => {
    const p = await open({
      ...detail,
      class: { ...detail.class, source: 'manual', section: null, archived: true, lastSyncedAt: null },
      students: [],
      history: [],
      abilities: { sync: false, remove: false },
    });
    expect(p.container.querySelector('.banner')?.textContent).toContain('This class was removed from Rollcall.');
    expect(p.container.querySelector('.origin')?.textContent).toBe('Created in Rollcall');
    expect(p.container.textContent).not.toContain('synced');
    expect(button(p.container, 'Sync now')).toBeNull();
    expect(button(p.container, 'Remove from Rollcall')).toBeNull();
    expect(p.container.textContent).toContain('No students in this class yet.');
    expect(p.container.textContent).toContain('No roster changes yet.');
  });
});
