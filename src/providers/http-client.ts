import { ProviderError, type ProviderErrorKind, type ProviderKind } from './roster-provider.ts';
import { acquire, bucketFor, type TokenBucket } from './rate-limiter.ts';

/**
 * The one JSON HTTP client both adapters use: timeouts, bounded retries with
 * exponential backoff and full jitter, Retry-After / X-RateLimit-Reset, a
 * per-credential rate limiter, and the mapping of every failure to a
 * ProviderError kind. Messages name the provider, method, path and status;
 * never query strings, headers, bodies or credentials.
 */

export interface RequestInfo {
  readonly provider: ProviderKind;
  readonly path: string;
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly ms: number;
}

export interface HttpOptions {
  /** Per attempt, including reading the body. Default 15 s. */
  readonly timeoutMs?: number;
  /** Attempts per request, first included. Default 4. */
  readonly maxAttempts?: number;
  /** Backoff: attempt n waits random() * min(max, base * 2^(n-1)). Defaults 500 ms / 20 s. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** A server asking for a longer wait than this fails fast as rate_limited instead of blocking. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** Client-side limit per credential; null disables it. Default 1200 (Clever's documented limit). */
  readonly requestsPerMinute?: number | null;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly onRequest?: (info: RequestInfo) => void;
}

export interface JsonRequest {
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  /** Called for every attempt, so OAuth 1.0a gets a fresh nonce/timestamp and OAuth 2 the current token. */
  readonly headers: () => Record<string, string> | Promise<Record<string, string>>;
  readonly body?: string;
  /** On 401: renew the credential and try once more; resolve false when there is nothing to renew. */
  readonly onUnauthorized?: () => Promise<boolean>;
  /** A token endpoint: any 4xx means the credentials were refused ('auth'). */
  readonly credentialExchange?: boolean;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  /** Path (no query) for error messages. */
  readonly path: string;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const PROVIDER_LABEL: Record<ProviderKind, string> = { clever: 'Clever', classlink: 'ClassLink' };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Clever: X-RateLimit-Reset is the Unix second at which the window reopens. */
export function parseRateLimitReset(value: string | null, now: number): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value.trim()) * 1000 - now);
}

export class HttpClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly bucket: TokenBucket | null;

  constructor(
    private readonly provider: ProviderKind,
    /** Identifies the rate-limit bucket (a token or client id); hashed, never stored. */
    credential: string,
    private readonly options: HttpOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 20_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    const perMinute = options.requestsPerMinute === undefined ? 1200 : options.requestsPerMinute;
    this.bucket = perMinute === null || perMinute <= 0 ? null : bucketFor(provider, credential, perMinute);
  }

  error(kind: ProviderErrorKind, message: string, details: { status?: number; retryAfterMs?: number } = {}): ProviderError {
    return new ProviderError(kind, `${PROVIDER_LABEL[this.provider]} ${message}`, { ...details, provider: this.provider });
  }

  async request(req: JsonRequest): Promise<JsonResponse> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url).pathname;
    const where = `${method} ${path}`;
    let renewed = false;
    let lastFailure: { kind: ProviderErrorKind; message: string; status?: number; retryAfterMs?: number } = {
      kind: 'unavailable',
      message: `${where}: no attempt made`,
    };

    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.bucket !== null) await acquire(this.bucket, this.now, this.sleep);
      const started = this.now();
      const outcome = await this.attempt(req, method);
      this.options.onRequest?.({ provider: this.provider, path, status: outcome.status, ms: this.now() - started });

      if (outcome.kind === 'response') {
        const { res, text } = outcome;
        this.notePacing(res);
        if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body: this.parse(text, where, res.status), path };
        if (res.status === 401 && !renewed && req.onUnauthorized !== undefined) {
          renewed = true;
          if (await req.onUnauthorized()) {
            attempt -= 1; // a renewed credential is a new request, not a retry of a failing one
            continue;
          }
        }
        if (!RETRYABLE.has(res.status)) throw this.statusError(res.status, text, where, req.credentialExchange === true);

        const serverWait = this.serverWait(res);
        if (res.status === 429) {
          if (serverWait !== undefined && serverWait > this.maxRetryAfterMs) {
            throw this.error('rate_limited', `${where}: HTTP 429, retry after ${Math.ceil(serverWait / 1000)} s`, { status: 429, retryAfterMs: serverWait });
          }
          lastFailure = { kind: 'rate_limited', message: `${where}: HTTP 429 after ${attempt} attempts`, status: 429, retryAfterMs: serverWait ?? this.backoff(attempt) };
        } else {
          lastFailure = { kind: 'unavailable', message: `${where}: HTTP ${res.status} after ${attempt} attempts`, status: res.status };
        }
        if (attempt < this.maxAttempts) {
          const wait = serverWait !== undefined && serverWait <= this.maxRetryAfterMs ? serverWait : this.backoff(attempt);
          if (res.status === 429) this.bucket?.pauseUntil(this.now() + wait);
          await this.sleep(wait);
        }
        continue;
      }

      lastFailure = { kind: 'unavailable', message: `${where}: ${outcome.reason} after ${attempt} attempts` };
      if (attempt < this.maxAttempts) await this.sleep(this.backoff(attempt));
    }
    const { kind, message, ...details } = lastFailure;
    throw this.error(kind, message, details);
  }

  private async attempt(
    req: JsonRequest,
    method: string,
  ): Promise<{ kind: 'response'; status: number; res: Response; text: string } | { kind: 'failed'; status: 0; reason: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const headers = { accept: 'application/json', ...(await req.headers()) };
      const res = await this.fetchImpl(req.url, {
        method,
        headers,
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: controller.signal,
        redirect: 'follow',
      });
      // The body is read under the same timeout: a stalled stream is a timeout too.
      const text = await res.text();
      return { kind: 'response', status: res.status, res, text };
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      const reason = controller.signal.aborted ? `timed out after ${this.timeoutMs} ms` : 'network error';
      return { kind: 'failed', status: 0, reason };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Full jitter (AWS architecture blog): spreads retries of many clients evenly. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  private serverWait(res: Response): number | undefined {
    const now = this.now();
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
    if (retryAfter !== undefined) return retryAfter;
    return res.status === 429 ? parseRateLimitReset(res.headers.get('x-ratelimit-reset'), now) : undefined;
  }

  /** Clever reports the window on every response; when it is spent, pause before the server has to say 429. */
  private notePacing(res: Response): void {
    if (this.bucket === null || res.headers.get('x-ratelimit-remaining')?.trim() !== '0') return;
    const wait = parseRateLimitReset(res.headers.get('x-ratelimit-reset'), this.now());
    if (wait !== undefined && wait <= this.maxRetryAfterMs) this.bucket.pauseUntil(this.now() + wait);
  }

  private parse(text: string, where: string, status: number): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Truncated bodies, HTML error pages (Clever: wrong token type), empty 200s.
      throw this.error('bad_data', `${where}: HTTP ${status} body is not valid JSON`, { status });
    }
  }

  private statusError(status: number, text: string, where: string, credentialExchange: boolean): ProviderError {
    if (status === 401 || (credentialExchange && status >= 400 && status < 500)) {
      return this.error('auth', `${where}: HTTP ${status}, credentials refused`, { status });
    }
    if (status === 403) {
      // Clever: a district-app token without Secure Sync, or a user token on a roster endpoint.
      if (/not in token'?s scopes/i.test(text)) return this.error('not_permitted', `${where}: HTTP 403, resource not in token's scopes`, { status });
      return this.error('auth', `${where}: HTTP 403, access refused`, { status });
    }
    if (status === 404) return this.error('not_found', `${where}: HTTP 404`, { status });
    // 400 (bad filter/field), 413 (limit too large), 422, 501 (unsupported): retrying cannot help.
    return this.error('bad_data', `${where}: HTTP ${status}, request not accepted`, { status });
  }
}
