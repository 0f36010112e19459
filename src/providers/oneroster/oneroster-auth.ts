import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { HttpClient } from '../http-client.ts';
import { isObject, str } from '../wire.ts';

/**
 * The two ways a OneRoster server authenticates a vendor:
 * - 1.1 "direct": two-legged OAuth 1.0a, HMAC-SHA256, no token — every request
 *   is signed over its method, base URL and exact query (RFC 5849 §3.4).
 * - 1.2: OAuth 2.0 client credentials (HTTP Basic client auth, form body),
 *   a bearer token cached until shortly before it expires.
 */
export interface RequestAuth {
  /** Headers for one attempt; called again for every retry. */
  headers(method: string, url: string): Promise<Record<string, string>> | Record<string, string>;
  /** A 401 on an API call: renew once if this scheme can. */
  onUnauthorized?(): Promise<boolean>;
}

export function oauth1Auth(clientId: string, clientSecret: string, now: () => number): RequestAuth {
  const oauth = new OAuth({
    consumer: { key: clientId, secret: clientSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  // Injected clock (tests, skew) and a CSPRNG nonce; both fresh for every attempt.
  oauth.getTimeStamp = () => Math.floor(now() / 1000);
  oauth.getNonce = () => randomBytes(16).toString('hex');

  return {
    headers(method, url) {
      const u = new URL(url);
      // Base string URL: lowercase scheme and host, no default port, exact path, no query.
      const baseUrl = `${u.protocol}//${u.host}${u.pathname}`;
      // The parameters as the server will decode them from the query we send.
      const data: Record<string, string | string[]> = {};
      for (const [key, value] of u.searchParams) {
        const prior = data[key];
        data[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
      }
      return { ...oauth.toHeader(oauth.authorize({ url: baseUrl, method, data })) };
    },
  };
}

export const ONEROSTER_SCOPES: Record<'1.1' | '1.2', readonly string[]> = {
  '1.1': ['https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly', 'https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly'],
  '1.2': ['https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly', 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly'],
};

/** Expiry when a token response omits expires_in: short, so a wrong guess costs one extra token request. */
const DEFAULT_TTL_S = 300;

export class ClientCredentialsAuth implements RequestAuth {
  private cached: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly tokenUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly scopes: readonly string[],
    private readonly now: () => number,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token()}` };
  }

  async onUnauthorized(): Promise<boolean> {
    this.cached = null;
    await this.token();
    return true;
  }

  async token(): Promise<string> {
    if (this.cached !== null && this.now() < this.cached.renewAt) return this.cached.token;
    // Concurrent requests share one token request.
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const basic = Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64');
    const res = await this.http.request({
      method: 'POST',
      url: this.tokenUrl,
      headers: () => ({ authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: this.scopes.join(' ') }).toString(),
      credentialExchange: true,
    });
    const token = isObject(res.body) ? str(res.body['access_token']) : null;
    if (token === null) throw this.http.error('bad_data', `POST ${res.path}: token response has no access_token`, { status: res.status });
    const expiresIn = isObject(res.body) ? res.body['expires_in'] : undefined;
    // Number() of an object whose valueOf/toString is not a function throws: read only numbers and strings.
    const raw = typeof expiresIn === 'number' || typeof expiresIn === 'string' ? Number(expiresIn) : Number.NaN;
    const ttlMs = (Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_TTL_S) * 1000;
    // Renew shortly before expiry: 10% of the lifetime, at most a minute.
    this.cached = { token, renewAt: this.now() + ttlMs - Math.min(60_000, ttlMs / 10) };
    return token;
  }
}
