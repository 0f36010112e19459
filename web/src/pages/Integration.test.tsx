// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, json, makeUser, mockFetch, renderPage, settle } from '../test-utils.tsx';
import type { Rendered } from '../test-utils.tsx';
import type { Integration, SchoolMapping } from '../types.ts';
import { IntegrationPage } from './Integration.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const integration: Integration = {
  id: 'i1',
  districtId: 'd1',
  districtName: 'Maple Grove Unified',
  provider: 'classlink',
  tenantKey: '2024',
  status: 'active',
  statusReason: null,
  settings: { tenantId: '2024', rosterServerUrl: 'https://maple.oneroster.com/ims/oneroster', oneRosterVersion: '1.2' },
  lastTestAt: null,
  lastTestResult: null,
};
const schools: SchoolMapping[] = [
  { externalId: 'org-1', name: 'Maple Elementary', schoolId: 's1' },
  { externalId: 'org-2', name: 'Maple Middle', schoolId: null },
];
const district = {
  id: 'd1',
  name: 'Maple Grove Unified',
  schools: [
    { id: 's1', name: 'Maple Elementary School' },
    { id: 's2', name: 'Maple Middle School' },
  ],
  licenses: [],
};

async function choose(el: HTMLElement | null, value: string) {
  if (!(el instanceof HTMLSelectElement)) throw new Error('not a select');
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('integration page', () => {
  it('shows the settings without secrets and saves a school mapping on change', async () => {
    const operator = makeUser({ role: 'operator', abilities: { operator: true, licenseAdminOf: [], districtAdminOf: [] } });
    const loads = mockFetch(json(200, { integration, schools }), json(200, { districts: [district] }));
    page = await renderPage(<IntegrationPage />, { path: '/integrations/i1', pattern: '/integrations/:id', session: { user: operator, csrfToken: 'c' } });
    await settle();
    expect(loads.map((c) => c.url)).toEqual(['/api/integrations/i1', '/api/operator/districts']);
    const c = page.container;
    expect(c.querySelector('h1')?.textContent).toBe('ClassLink for Maple Grove Unified');
    expect(c.textContent).toContain('https://maple.oneroster.com/ims/oneroster');
    expect(c.textContent).toContain('1.2');
    expect(c.textContent).not.toMatch(/secret/i);

    const first = byLabel(c, 'Rollcall school for Maple Elementary') as HTMLSelectElement;
    const second = byLabel(c, 'Rollcall school for Maple Middle') as HTMLSelectElement;
    expect(first.value).toBe('s1');
    expect(second.value).toBe('');
    expect(Array.from(second.options).map((o) => o.textContent)).toEqual(['Not mapped', 'Maple Elementary School', 'Maple Middle School']);

    const calls = mockFetch(json(200, { schools: [schools[0], { ...schools[1], schoolId: 's2' }] }));
    await choose(second, 's2');
    await settle();
    expect(calls.map((x) => `${x.init.method} ${x.url}`)).toEqual(['PUT /api/integrations/i1/schools/org-2']);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ schoolId: 's2' });
    expect((calls[0]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('c');
    expect(second.value).toBe('s2');
    expect(c.querySelector('[role="status"].notice')?.textContent).toBe('Maple Middle now feeds Maple Middle School.');

    const unmap = mockFetch(json(200, { schools: [{ ...schools[0], schoolId: null }, { ...schools[1], schoolId: 's2' }] }));
    await choose(first, '');
    await settle();
    expect(JSON.parse(String(unmap[0]!.init.body))).toEqual({ schoolId: null });
    expect(first.value).toBe('');
  });

  it('is read-only for a district administrator', async () => {
    const admin = makeUser({ abilities: { operator: false, licenseAdminOf: [], districtAdminOf: [{ id: 'd1', name: 'Maple Grove Unified' }] } });
    const loads = mockFetch(json(200, { integration, schools }));
    page = await renderPage(<IntegrationPage />, { path: '/integrations/i1', pattern: '/integrations/:id', session: { user: admin, csrfToken: 'c' } });
    await settle();
    expect(loads).toHaveLength(1);
    expect(page.container.querySelector('select')).toBeNull();
    const rows = Array.from(page.container.querySelectorAll('tbody tr')).map((r) => r.textContent);
    expect(rows).toEqual(['Maple Elementaryorg-1Mapped to a Rollcall school', 'Maple Middleorg-2Not mapped']);
    expect(page.container.querySelector('.breadcrumb a')?.getAttribute('href')).toBe('/district');
  });
});
