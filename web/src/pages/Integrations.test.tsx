// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { byLabel, button, click, json, makeUser, mockFetch, renderPage, settle, typeInto } from '../test-utils.tsx';
import type { FetchCall, Rendered } from '../test-utils.tsx';
import type { Integration, OperatorDistrict } from '../types.ts';
import { District } from './District.tsx';
import { Operator } from './Operator.tsx';

const realFetch = globalThis.fetch;
let page: Rendered | undefined;
afterEach(() => {
  page?.unmount();
  globalThis.fetch = realFetch;
});

const clever: Integration = {
  id: 'i1',
  districtId: 'd1',
  districtName: 'Maple Grove Unified',
  provider: 'clever',
  tenantKey: 'clever-d-1',
  status: 'active',
  statusReason: null,
  settings: { cleverDistrictId: 'clever-d-1' },
  lastTestAt: null,
  lastTestResult: null,
};
const district: OperatorDistrict = { id: 'd1', name: 'Maple Grove Unified', schools: [], licenses: [] };
const districtAdmin = makeUser({ abilities: { operator: false, licenseAdminOf: [], districtAdminOf: [{ id: 'd1', name: 'Maple Grove Unified' }] } });
const operator = makeUser({ role: 'operator', abilities: { operator: true, licenseAdminOf: [], districtAdminOf: [] } });

/** Answer by "METHOD path"; each key holds a queue of answers. */
function routeFetch(routes: Record<string, Response[]>): FetchCall[] {
  const calls: FetchCall[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const next = routes[`${init.method ?? 'GET'} ${String(input)}`]?.shift();
    if (!next) throw new Error(`unexpected fetch ${init.method} ${String(input)}`);
    return next;
  }) as typeof fetch;
  return calls;
}

async function openDistrict(integration: Integration) {
  mockFetch(json(200, { integrations: [integration] }));
  page = await renderPage(<District />, { path: '/district', session: { user: districtAdmin, csrfToken: 'c' } });
  await settle();
  return page;
}

describe('test connection', () => {
  it('shows the counts the provider reported', async () => {
    const p = await openDistrict(clever);
    expect(p.container.querySelector('h1')?.textContent).toBe('District rostering');
    const item = p.container.querySelector('li.integration') as HTMLElement;
    expect(item.textContent).toContain('Clever');
    expect(item.textContent).toContain('Active');
    expect(item.textContent).toContain('Not tested yet.');
    expect(item.querySelector('a')?.getAttribute('href')).toBe('/integrations/i1');

    const report = { district: { externalId: 'x', name: 'Maple Grove Unified' }, schools: 2, teachers: 6, sections: 14, students: 240 };
    const tested = { ...clever, lastTestAt: '2025-09-01T10:00:00Z', lastTestResult: { ok: true, report } };
    const calls = mockFetch(json(200, { result: { ok: true, report } }), json(200, { integrations: [tested] }));
    await click(button(item, 'Test connection'));
    await settle();
    // The district console below reloads too: a test updates the counts it shows.
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/integrations/i1/test', 'GET /api/integrations', 'GET /api/districts/d1/console']);
    const status = item.querySelector('.test-result[role="status"]');
    expect(status?.textContent).toBe('Connected to Maple Grove Unified: 2 schools, 6 teachers, 14 sections, 240 students');
    expect(item.querySelector('[role="alert"]')).toBeNull();
    // The fresh result is shown once, not repeated in the "last tested" line.
    expect(item.textContent?.split('240 students').length).toBe(2);
  });

  it('shows the failure in an alert and the reason an integration needs attention', async () => {
    const reason = 'Clever no longer accepts the district token. The district may have removed Rollcall.';
    const p = await openDistrict({
      ...clever,
      status: 'needs_attention',
      statusReason: reason,
      lastTestAt: '2025-09-01T10:00:00Z',
      lastTestResult: { ok: false, kind: 'auth', message: reason },
    });
    const item = p.container.querySelector('li.integration') as HTMLElement;
    expect(item.querySelector('.badge')?.textContent).toBe('Needs attention');
    expect(item.textContent).toContain(reason);
    expect(item.textContent).toContain('failed.');

    mockFetch(json(200, { result: { ok: false, kind: 'auth', message: reason } }), json(200, { integrations: [clever] }));
    await click(button(item, 'Test connection'));
    await settle();
    expect(item.querySelector('.test-result[role="alert"]')?.textContent).toBe(reason);
    expect(item.querySelector('.test-result[role="status"]')).toBeNull();
  });
});

describe('connect ClassLink on the operator console', () => {
  it('shows the server’s message next to its input, then connects and refreshes the list', async () => {
    routeFetch({ 'GET /api/integrations': [json(200, { integrations: [] })], 'GET /api/operator/districts': [json(200, { districts: [district] })] });
    const p = (page = await renderPage(<Operator />, { path: '/operator', session: { user: operator, csrfToken: 'c' } }));
    await settle();
    const card = p.container.querySelector('article.district') as HTMLElement;
    expect(card.textContent).toContain('No rostering connected yet.');
    expect(card.querySelector('form')).toBeNull();

    await click(button(card, 'Connect ClassLink'));
    const form = card.querySelector('form[aria-label="Connect ClassLink"]') as HTMLFormElement;
    expect(form).not.toBeNull();
    expect(button(card, 'Connect Clever')).toBeNull();
    await typeInto(byLabel(form, 'ClassLink tenant id'), '2024');
    await typeInto(byLabel(form, 'Roster Server address'), 'ftp://nope');
    await typeInto(byLabel(form, 'Roster Server key'), 'key-1');
    await typeInto(byLabel(form, 'Roster Server secret'), 's3cret');
    expect(byLabel(form, 'Roster Server secret')?.getAttribute('type')).toBe('password');
    expect(byLabel(form, 'OneRoster version')?.tagName).toBe('SELECT');

    const message = 'Enter the Roster Server address, starting with https://.';
    const calls = routeFetch({
      'POST /api/operator/integrations/classlink': [
        json(400, { error: { code: 'validation_failed', message, fields: [{ field: 'rosterServerUrl', message }] } }),
      ],
    });
    await click(button(form, 'Connect ClassLink'));
    await settle();
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      districtId: 'd1',
      tenantId: '2024',
      rosterServerUrl: 'ftp://nope',
      oneRosterVersion: '1.1',
      clientId: 'key-1',
      clientSecret: 's3cret',
    });
    const address = byLabel(form, 'Roster Server address')!;
    expect(address.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(address.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).toBe(message);
    expect(byLabel(form, 'ClassLink tenant id')?.getAttribute('aria-invalid')).toBeNull();

    const created: Integration = {
      ...clever,
      id: 'i2',
      provider: 'classlink',
      tenantKey: '2024',
      settings: { tenantId: '2024', rosterServerUrl: 'https://x.oneroster.com', oneRosterVersion: '1.1' },
    };
    const after = routeFetch({
      'POST /api/operator/integrations/classlink': [json(201, { integration: created })],
      'GET /api/integrations': [json(200, { integrations: [created] })],
    });
    await typeInto(address, 'https://x.oneroster.com');
    await click(button(form, 'Connect ClassLink'));
    await settle();
    expect(after.map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /api/operator/integrations/classlink', 'GET /api/integrations']);
    expect(card.querySelector('form')).toBeNull();
    expect(card.querySelector('[role="status"].notice')?.textContent).toBe(
      'Connected ClassLink for Maple Grove Unified. Test the connection to check it.',
    );
    expect(card.querySelector('li.integration')?.textContent).toContain('ClassLink tenant id 2024');
    expect(document.activeElement).toBe(button(card, 'Connect ClassLink'));
  });
});
