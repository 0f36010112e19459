import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser-like client over app.inject: keeps cookies, fetches the CSRF
 * token from /api/session like the web UI does, and sends it on writes.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, options: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (method !== 'GET' && options.csrf !== false) {
      if (!this.csrf) await this.refreshCsrf();
      headers['x-csrf-token'] = this.csrf!;
      headers.cookie = this.cookieHeader();
    }
    const response = await this.app.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
    this.remember(response);
    if (url.startsWith('/api/auth/') || url.includes('/accept')) this.csrf = undefined;
    return { status: response.statusCode, body: response.body ? safeJson(response.body) : undefined, headers: response.headers, raw: response };
  }

  async refreshCsrf(): Promise<void> {
    const response = await this.request('GET', '/api/session');
    this.csrf = (response.body as { csrfToken: string }).csrfToken;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown, options?: { csrf?: boolean }) => this.request('POST', url, body ?? {}, options);
  delete = (url: string) => this.request('DELETE', url);
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
