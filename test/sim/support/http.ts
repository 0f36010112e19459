import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import OAuth from 'oauth-1.0a';
import { createHmac } from 'node:crypto';

/** Helpers shared by the simulator tests: paths, a cookie-keeping "browser", signed requests. */

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
/** ../shared/reference relative to the repository root. */
export const REFERENCE_DIR = resolve(REPO_ROOT, '../shared/reference');
export const SWAGGER_PATH = resolve(REFERENCE_DIR, 'clever-v3.0-swagger.yml');
export const SAMPLES_DIR = resolve(REFERENCE_DIR, 'oneroster-samples');
export const hasReference = (path: string): boolean => existsSync(path);

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
  location: string | null;
}

async function wrap(r: Response): Promise<Res> {
  const text = await r.text();
  return {
    status: r.status,
    headers: r.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
    location: r.headers.get('location'),
  };
}

export async function request(url: string, init: RequestInit = {}): Promise<Res> {
  return wrap(await fetch(url, { redirect: 'manual', ...init }));
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }> {
  const r = await request(url, { headers });
  return { status: r.status, body: (r.text === '' ? {} : r.json<T>()) as T, headers: r.headers };
}

export function form(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

/** A minimal browser: keeps one cookie jar per origin host and never follows redirects. */
export class Browser {
  private cookies = new Map<string, string>();

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private remember(r: Res): void {
    const set = r.headers.get('set-cookie');
    if (set === null) return;
    const [pair] = set.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair === undefined || eq < 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  async get(url: string): Promise<Res> {
    const r = await request(url, { headers: this.cookieHeader() });
    this.remember(r);
    return r;
  }

  async post(url: string, fields: Record<string, string>): Promise<Res> {
    const f = form(fields);
    const r = await request(url, { method: 'POST', body: f.body, headers: { ...f.headers, ...this.cookieHeader() } });
    this.remember(r);
    return r;
  }
}

/** Hidden fields of the login form that carries the given data-user attribute. */
export function loginFormFields(html: string, user: string, role?: string): Record<string, string> {
  const forms = html.split('<form').slice(1);
  const match = forms.find((f) => f.includes(`data-user="${user}"`) && (role === undefined || f.includes(`data-role="${role}"`)));
  if (match === undefined) throw new Error(`no login button for ${user}`);
  const fields: Record<string, string> = {};
  for (const m of match.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = (m[2] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return fields;
}

/** OAuth 1.0a client (the `oauth-1.0a` package, HMAC-SHA256) as a OneRoster 1.1 consumer would use it. */
export function oauth1Client(key: string, secret: string): OAuth {
  return new OAuth({
    consumer: { key, secret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, k) => createHmac('sha256', k).update(base).digest('base64'),
  });
}

export async function signedGet(client: OAuth, url: string): Promise<Res> {
  const auth = client.toHeader(client.authorize({ url, method: 'GET' }));
  return request(url, { headers: { ...auth } });
}
