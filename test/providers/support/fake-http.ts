/**
 * Hand-written provider responses for adapter unit tests: a fetch that routes
 * by method + path to handlers, records every request, and fails the test on
 * any request nobody expected; plus a fake clock whose sleep moves time
 * instead of waiting.
 */
export interface Seen {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

export type Handler = (req: Seen) => Response | Promise<Response>;

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers: { 'content-type': 'application/json', ...init.headers } });
}

export function raw(text: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(text, { status: init.status ?? 200, headers: { 'content-type': 'application/json', ...init.headers } });
}

export interface FakeHttp {
  readonly fetch: typeof fetch;
  readonly requests: Seen[];
  /** Handlers by "GET /path" (no query); a list answers in turn and repeats its last. */
  on(route: string, ...handlers: (Handler | Response)[]): FakeHttp;
  paths(): string[];
}

export function fakeHttp(): FakeHttp {
  const routes = new Map<string, { handlers: (Handler | Response)[]; calls: number }>();
  const requests: Seen[] = [];
  const fake: FakeHttp = {
    requests,
    on(route, ...handlers) {
      routes.set(route, { handlers, calls: 0 });
      return fake;
    },
    paths: () => requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`),
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        headers[k] = v;
      });
      const seen: Seen = { method: init?.method ?? 'GET', url, headers, body: typeof init?.body === 'string' ? init.body : undefined };
      requests.push(seen);
      const route = routes.get(`${seen.method} ${url.pathname}`);
      if (route === undefined) throw new Error(`unexpected request ${seen.method} ${url.pathname}${url.search}`);
      const handler = route.handlers[Math.min(route.calls, route.handlers.length - 1)]!;
      route.calls += 1;
      return typeof handler === 'function' ? handler(seen) : handler.clone();
    }) as typeof fetch,
  };
  return fake;
}

export interface FakeTime {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly sleeps: number[];
}

export function fakeTime(start = Date.parse('2025-01-15T12:00:00.000Z')): FakeTime {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

/** HTTP options for a test: fake time, no jitter surprises, no client-side limiter unless asked. */
export function testHttp(http: FakeHttp, time: FakeTime, extra: Record<string, unknown> = {}) {
  return { fetch: http.fetch, now: time.now, sleep: time.sleep, random: () => 0.5, requestsPerMinute: null, ...extra };
}

export async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
