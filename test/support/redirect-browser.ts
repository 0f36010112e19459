import type { FastifyInstance } from 'fastify';

/**
 * Follows redirects across the app (through inject, or real HTTP when no app
 * instance is given: a `rollcall serve` process) and the simulators (real
 * HTTP), keeping one cookie jar per host like a browser does. Used to drive
 * OAuth round trips without Chromium.
 */
export class RedirectBrowser {
  readonly jars = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  constructor(private readonly app: FastifyInstance | null, private readonly appOrigin: string) {}

  private jar(host: string) {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  private store(host: string, setCookies: string[]) {
    const jar = this.jar(host);
    for (const header of setCookies) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.jar(new URL(this.appOrigin).host).get(name);
  }

  /** One GET with no redirect following; returns status, location and body. */
  async get(url: string): Promise<{ status: number; location: string | undefined; body: string }> {
    const u = new URL(url, this.appOrigin);
    this.visited.push(u.toString());
    const cookie = [...this.jar(u.host)].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.app && u.origin === new URL(this.appOrigin).origin) {
      const response = await this.app.inject({ method: 'GET', url: u.pathname + u.search, headers: cookie ? { cookie } : {} });
      const set = response.headers['set-cookie'];
      this.store(u.host, Array.isArray(set) ? set : set ? [set] : []);
      const location = response.headers.location as string | undefined;
      return { status: response.statusCode, location: location && new URL(location, u).toString(), body: response.body };
    }
    const response = await fetch(u, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    this.store(u.host, response.headers.getSetCookie());
    const location = response.headers.get('location') ?? undefined;
    return { status: response.status, location: location && new URL(location, u).toString(), body: await response.text() };
  }

  /** Follows 3xx until a non-redirect answer; returns the final URL and answer. */
  async follow(url: string, maxHops = 12): Promise<{ url: string; status: number; body: string }> {
    let current = new URL(url, this.appOrigin).toString();
    for (let hop = 0; hop < maxHops; hop++) {
      const answer = await this.get(current);
      if (answer.status < 300 || answer.status >= 400 || !answer.location) return { url: current, status: answer.status, body: answer.body };
      current = answer.location;
    }
    throw new Error(`Too many redirects:\n${this.visited.join('\n')}`);
  }

  async session(): Promise<{ user: { id: string; role: string; name: string; email: string | null } | null; csrfToken: string }> {
    return JSON.parse((await this.get('/api/session')).body);
  }

  /** A JSON API call with this browser's cookies and CSRF token, to the app at `origin` (default: its own). */
  async api(method: 'GET' | 'POST', path: string, body?: unknown, origin = this.appOrigin): Promise<{ status: number; body: any }> {
    const host = new URL(this.appOrigin).host;
    const cookieHeader = () => [...this.jar(host)].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = { cookie: cookieHeader() };
    if (method === 'POST') {
      const session = await fetch(new URL('/api/session', origin), { headers });
      this.store(host, session.headers.getSetCookie());
      Object.assign(headers, { cookie: cookieHeader(), 'content-type': 'application/json', 'x-csrf-token': ((await session.json()) as { csrfToken: string }).csrfToken });
    }
    const response = await fetch(new URL(path, origin), { method, headers, ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
    this.store(host, response.headers.getSetCookie());
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  }
}
