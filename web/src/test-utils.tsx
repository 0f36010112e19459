import { act } from 'react';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setCsrfToken } from './api.ts';
import { SessionProvider } from './session.tsx';
import type { Session, User } from './types.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export function makeUser(over: Partial<User> = {}): User {
  return {
    id: 'u1',
    name: 'Ada Teacher',
    email: 'ada@school.test',
    role: 'teacher',
    emailVerified: true,
    abilities: { operator: false, licenseAdminOf: [], districtAdminOf: [] },
    ...over,
  };
}

/** Shows where the router ended up, for assertions. */
function WhereAmI() {
  const l = useLocation();
  return <output data-testid="location">{l.pathname + l.search}</output>;
}

export interface Rendered {
  container: HTMLElement;
  unmount: () => void;
  location: () => string;
}

function splitPath(path: string): { pathname: string; search: string } {
  const q = path.indexOf('?');
  return q < 0 ? { pathname: path, search: '' } : { pathname: path.slice(0, q), search: path.slice(q) };
}

/** Render `ui` at `path` (matched by `pattern`, with optional history `state`) with a known session; every other path renders nothing. */
export async function renderPage(
  ui: ReactNode,
  opts: { path: string; pattern?: string; session?: Session; state?: unknown },
): Promise<Rendered> {
  const session = opts.session ?? { user: null, csrfToken: 'csrf-test' };
  setCsrfToken(session.csrfToken);
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root;
  await act(async () => {
    root = createRoot(container);
    root.render(
      <MemoryRouter initialEntries={[opts.state === undefined ? opts.path : { ...splitPath(opts.path), state: opts.state }]}>
        <SessionProvider initial={session}>
          <Routes>
            <Route path={opts.pattern ?? opts.path.split('?')[0]} element={ui} />
            <Route path="*" element={null} />
          </Routes>
          <WhereAmI />
        </SessionProvider>
      </MemoryRouter>,
    );
  });
  return {
    container,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
    location: () => container.querySelector('[data-testid="location"]')?.textContent ?? '',
  };
}

/** Set an input's value the way a person typing would, so React sees the change. */
export async function typeInto(el: Element | null, value: string): Promise<void> {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) throw new Error('not an input');
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function click(el: Element | null): Promise<void> {
  if (!(el instanceof HTMLElement)) throw new Error('nothing to click');
  await act(async () => {
    el.click();
  });
}

/** Let pending promises and effects settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export function byLabel(container: HTMLElement, text: string): HTMLElement | null {
  const label = Array.from(container.querySelectorAll('label')).find((l) => l.textContent === text);
  return label ? container.querySelector<HTMLElement>(`[id="${label.htmlFor}"]`) : null;
}

export function button(container: HTMLElement, text: string): HTMLButtonElement | null {
  return Array.from(container.querySelectorAll('button')).find((b) => b.textContent?.trim() === text) ?? null;
}

export type FetchCall = { url: string; init: RequestInit };

/** Replace fetch with a queue of canned responses; returns the calls made. */
export function mockFetch(...responses: Array<Response | (() => Response | Promise<Response>)>): FetchCall[] {
  const calls: FetchCall[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const next = responses.shift();
    if (!next) throw new Error(`unexpected fetch ${String(input)}`);
    return typeof next === 'function' ? next() : next;
  }) as typeof fetch;
  return calls;
}

export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
