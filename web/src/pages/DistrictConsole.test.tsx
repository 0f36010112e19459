// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DistrictConsole as Console } from '../consoles-types.ts';
import { button, click, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import { DistrictConsole } from './DistrictConsole.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const run = {
  id: 'r1',
  integrationId: 'i1',
  provider: 'clever' as const,
  classId: 'c1',
  className: 'Biology – P3',
  requestedBy: 'Rosa Diaz',
  trigger: 'sync_now',
  triggerLabel: 'Sync now',
  status: 'held',
  startedAt: '2026-11-28T10:00:00Z',
  finishedAt: '2026-11-28T10:00:02Z',
  durationMs: 2000,
  counts: { held: 2 },
  summary: '2 removals held',
  warnings: 0,
  error: null,
  explanation: 'Held for review: 2 students would leave at once, which is unusual.',
};
const data: Console = {
  district: { id: 'd1', name: 'Maple Grove' },
  integrations: [
    {
      integration: { id: 'i1', districtId: 'd1', districtName: 'Maple Grove', provider: 'clever', tenantKey: 'abc', status: 'active', statusReason: null, settings: { cleverDistrictId: 'abc' }, lastTestAt: null, lastTestResult: null },
      shared: { schools: 2, teachers: 6, sections: 14, students: 240, at: '2026-11-28T09:00:00Z' },
      imported: { classes: 3, students: 71, teachersLinked: 4 },
      lastDelta: null,
      lastFull: null,
    },
  ],
  runs: [{ ...run, id: 'r0', status: 'succeeded', trigger: 'import', triggerLabel: 'Import', summary: '24 joined', explanation: null }, run],
  held: [{ ...run, pendingRemovals: [{ userId: 's1', name: 'Ana Student', classId: 'c1', className: 'Biology – P3' }, { userId: 's2', name: 'Ben Student', classId: 'c1', className: 'Biology – P3' }], pendingArchives: [] }],
  problems: [],
  abilities: { decideHolds: true, testConnections: true },
};
const audit = { events: [{ id: '9', at: '2026-11-28T10:00:00Z', actor: 'Dan District', districtId: 'd1', districtName: 'Maple Grove', action: 'integration.tested', summary: 'Tested the Clever connection: it worked', targetType: 'integration', targetId: 'i1', details: {} }] };

async function open() {
  mockFetch(json(200, data), json(200, audit));
  page = await renderPage(<DistrictConsole districtId="d1" />, { path: '/district', session: { user: makeUser(), csrfToken: 'c' } });
  await settle();
  return page;
}

describe('district console', () => {
  it('puts what the provider shares next to what Rollcall imported, recent syncs and the audit log', async () => {
    const p = await open();
    const counts = Array.from(p.container.querySelectorAll('table.console-counts tbody tr')).map((r) => Array.from(r.children).map((c) => c.textContent));
    expect(counts).toEqual([
      ['Schools', '2', '—'],
      ['Teachers', '6', '4 linked'],
      ['Sections', '14', '3 classes imported'],
      ['Students', '240', '71 enrolled'],
    ]);
    expect(p.container.textContent).toContain('Import: Biology – P3 by Rosa Diaz');
    expect(p.container.textContent).toContain('24 joined');
    expect(p.container.textContent).toContain('2 s');
    expect(p.container.textContent).toContain('Tested the Clever connection: it worked');
  });

  it('lists a held sync with the students it would remove; Approve calls the sync engine and reloads', async () => {
    const p = await open();
    const held = p.container.querySelector('article.held-run') as HTMLElement;
    expect(held.textContent).toContain('Ana Student');
    expect(held.textContent).toContain('Ben Student');
    const calls = mockFetch(json(200, { result: { removed: 2, archived: 0 } }), json(200, { ...data, held: [] }));
    await click(button(held, 'Approve'));
    await settle();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/sync-runs/r1/approve', 'GET /api/districts/d1/console']);
    expect(p.container.textContent).toContain('Approved: 2 students removed.');
    expect(p.container.querySelector('article.held-run')).toBeNull();
  });

  it('says plainly when this server cannot decide on held syncs yet', async () => {
    const p = await open();
    mockFetch(json(404, { error: { code: 'not_found', message: 'No such endpoint.', fields: [] } }));
    await click(button(p.container.querySelector('article.held-run') as HTMLElement, 'Reject'));
    await settle();
    expect(p.container.querySelector('article.held-run [role="alert"]')?.textContent).toMatch(/^Deciding on held syncs isn’t available on this server yet/);
  });
});
