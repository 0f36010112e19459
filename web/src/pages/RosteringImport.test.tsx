// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Route, Routes, useLocation } from 'react-router';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { RosterSection } from '../types.ts';
import { RosteringImport } from './RosteringImport.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const base: RosterSection = {
  integrationId: 'i1',
  provider: 'clever',
  externalId: 'sec-1',
  name: 'Algebra I – P1',
  courseName: 'Algebra I',
  subject: 'Math',
  period: '1',
  term: { name: 'Fall 2025', startDate: '2025-08-01', endDate: '2025-12-19' },
  school: 'Maple Grove High',
  coTeachers: [],
  studentCount: 24,
  state: 'importable',
  classId: null,
};
const sections: RosterSection[] = [
  base,
  { ...base, externalId: 'sec-3', name: 'Biology – P3', period: '3', coTeachers: ['Grace Co'], state: 'co-teacher', classId: 'c7' },
  { ...base, externalId: 'sec-5', name: 'Chemistry – P5', period: '5', state: 'imported', classId: 'c5' },
  {
    ...base,
    externalId: 'sec-0',
    name: 'Physics – P2',
    term: { name: 'Spring 2025', startDate: '2025-01-06', endDate: '2025-05-30' },
    state: 'term-ended',
  },
];
const seats = { licenseName: 'Maple Grove High', seats: 25, used: 7 };

/** Where the import page sends the teacher, with the notice it passed along. */
function ClassesStub() {
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return <p data-testid="arrived">{notice}</p>;
}

async function open(...first: Response[]) {
  const calls = mockFetch(...(first.length ? first : [json(200, { seats, sections })]));
  page = await renderPage(
    <Routes>
      <Route path="/classes/import" element={<RosteringImport pollMs={1} />} />
      <Route path="/classes" element={<ClassesStub />} />
    </Routes>,
    { path: '/classes/import', pattern: '*', session: { user: makeUser(), csrfToken: 'c' } },
  );
  await settle();
  return { p: page, calls };
}

const addButton = (p: Rendered) =>
  Array.from(p.container.querySelectorAll('button')).find((b) => b.textContent === '+Add Classes' || b.textContent === 'Adding…')!;
const box = (p: Rendered, name: string) => byLabel(p.container, `Import ${name}`) as HTMLInputElement;
const arrived = (p: Rendered) => p.container.querySelector('[data-testid="arrived"]')?.textContent;

function deferred() {
  let resolve!: (r: Response) => void;
  const promise = new Promise<Response>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Add from Rostering Service', () => {
  it('shows a loading state, then the seats and every section with its state', async () => {
    const pending = deferred();
    const { p, calls } = await open(pending.promise as unknown as Response);
    expect(p.container.querySelector('h1')?.textContent).toBe('Add from Rostering Service');
    expect(p.container.querySelector('[role="status"]')?.textContent).toContain('Asking your rostering service');
    expect(calls[0]!.url).toBe('/api/rostering/sections');
    pending.resolve(json(200, { seats, sections }));
    await settle();

    expect(p.container.textContent).toContain('Your license Maple Grove High has 25 teacher seats; 7 in use.');
    const row = box(p, 'Algebra I – P1').closest('tr')!;
    expect(row.querySelector('th')?.textContent).toBe('Algebra I – P1');
    for (const text of ['Algebra I', 'Math', 'Period 1', 'Fall 2025', 'Maple Grove High', '24']) expect(row.textContent).toContain(text);

    expect(box(p, 'Biology – P3').closest('tr')!.textContent).toContain('Imported by a co-teacher — join it');
    expect(box(p, 'Biology – P3').disabled).toBe(false);
    const chem = box(p, 'Chemistry – P5');
    expect(chem.disabled).toBe(true);
    expect(chem.closest('tr')!.textContent).toContain('Already in your classes');
    expect(chem.closest('tr')!.querySelector('a')?.getAttribute('href')).toBe('/classes/c5');

    // Ended terms are listed, but folded away.
    const details = p.container.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Ended terms (1)');
    expect(details.contains(box(p, 'Physics – P2'))).toBe(true);
    expect(box(p, 'Physics – P2').closest('tr')!.textContent).toContain('Term ended');
    expect(details.contains(box(p, 'Algebra I – P1'))).toBe(false);
  });

  it('enables +Add Classes once a box is checked, posts only the checked ones and returns to My Classes', async () => {
    const { p } = await open();
    const add = addButton(p);
    expect(add.disabled).toBe(true);
    expect(document.getElementById(add.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Check the box next to at least one class.',
    );
    await click(box(p, 'Algebra I – P1'));
    await click(box(p, 'Biology – P3'));
    await click(box(p, 'Physics – P2'));
    await click(box(p, 'Physics – P2'));
    expect(add.disabled).toBe(false);
    expect(p.container.textContent).toContain('2 classes checked.');

    const post = deferred();
    const calls = mockFetch(() => post.promise);
    await click(add);
    await click(add);
    expect(add.textContent).toBe('Adding…');
    expect(add.disabled).toBe(true);
    post.resolve(
      json(200, {
        imported: [
          { classId: 'c1', name: 'Algebra I – P1', created: true, joined: false, students: 24 },
          { classId: 'c7', name: 'Biology – P3', created: false, joined: true, students: 24 },
        ],
      }),
    );
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/api/rostering/import');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      sections: [
        { integrationId: 'i1', externalId: 'sec-1' },
        { integrationId: 'i1', externalId: 'sec-3' },
      ],
    });
    expect(p.location()).toBe('/classes');
    expect(arrived(p)).toBe('Added 2 classes: Algebra I – P1, Biology – P3.');
  });

  it('shows the provider’s trouble with Try again, never an empty list', async () => {
    const message = 'Clever is not answering right now. Try again in a minute.';
    const { p } = await open(json(502, { error: { code: 'provider_unavailable', message } }));
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe(message);
    expect(p.container.textContent).not.toContain('lists no classes');
    expect(p.container.querySelector('table')).toBeNull();

    const calls = mockFetch(json(200, { seats, sections }));
    await click(button(p.container, 'Try again'));
    await settle();
    expect(calls[0]!.url).toBe('/api/rostering/sections');
    expect(p.container.querySelector('[role="alert"]')).toBeNull();
    expect(box(p, 'Algebra I – P1')).not.toBeNull();
  });

  it('explains a refusal with the Why link', async () => {
    const message = 'Rostering is not available to you yet.';
    const { p } = await open(json(403, { error: { code: 'forbidden', message } }));
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe(message);
    const why = Array.from(p.container.querySelectorAll('a')).find((a) => a.textContent === "Why can't I see Add from Rostering Service?");
    expect(why?.getAttribute('href')).toBe('/help/rostering');
    expect(button(p.container, 'Try again')).toBeNull();
  });

  it('says so when the provider lists no classes', async () => {
    const { p } = await open(json(200, { seats: null, sections: [], provider: 'clever' }));
    expect(p.container.textContent).toContain('Clever lists no classes where you are a teacher');
    expect(p.container.textContent).not.toContain('teacher seats');
    expect(addButton(p)).toBeUndefined();
  });

  it('shows an import refusal and imports nothing', async () => {
    const { p } = await open();
    await click(box(p, 'Algebra I – P1'));
    const message = 'You are not a teacher of Algebra I – P1 in Clever.';
    mockFetch(json(403, { error: { code: 'forbidden', message } }));
    await click(addButton(p));
    await settle();
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe(message);
    expect(p.location()).toBe('/classes/import');
    expect(addButton(p).textContent).toBe('+Add Classes');
    expect(addButton(p).disabled).toBe(false);
  });

  it('follows a background import with a progress bar, then returns to My Classes', async () => {
    const { p } = await open();
    await click(box(p, 'Algebra I – P1'));
    await click(box(p, 'Biology – P3'));
    const last = deferred();
    const item = (name: string) => ({ classId: name, name, created: true, joined: false, students: 3 });
    const calls = mockFetch(
      json(202, { runId: 'run-1' }),
      json(200, { status: 'running', done: 1, total: 2, imported: [item('Algebra I – P1')], error: null }),
      () => last.promise,
    );
    await click(addButton(p));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/rostering/import',
      'GET /api/rostering/imports/run-1',
      'GET /api/rostering/imports/run-1',
    ]);
    expect(p.container.textContent).toContain('Importing 1 of 2 classes…');
    const bar = p.container.querySelector('progress')!;
    expect(bar.getAttribute('value')).toBe('1');
    expect(bar.getAttribute('max')).toBe('2');
    expect(addButton(p)).toBeUndefined();

    last.resolve(json(200, { status: 'succeeded', done: 2, total: 2, imported: [item('Algebra I – P1'), item('Biology – P3')], error: null }));
    await settle();
    expect(p.location()).toBe('/classes');
    expect(arrived(p)).toBe('Added 2 classes: Algebra I – P1, Biology – P3.');
  });

  it('says what happened when a background import fails, and refreshes the list', async () => {
    const { p } = await open();
    await click(box(p, 'Algebra I – P1'));
    const calls = mockFetch(
      json(202, { runId: 'run-2' }),
      json(200, { status: 'failed', done: 0, total: 1, imported: [], error: 'Clever stopped answering.' }),
      json(200, { seats, sections }),
    );
    await click(addButton(p));
    await settle();
    expect(calls.map((c) => c.url)).toEqual(['/api/rostering/import', '/api/rostering/imports/run-2', '/api/rostering/sections']);
    expect(p.container.querySelector('[role="alert"]')?.textContent).toBe('Clever stopped answering.');
    expect(p.location()).toBe('/classes/import');
    expect(addButton(p).disabled).toBe(false);
  });
});
