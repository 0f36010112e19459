import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SimClock } from '../shared/clock.ts';
import { queryPairs, safeEqual } from '../shared/http.ts';

/**
 * Two-legged OAuth 1.0a (HMAC-SHA256) verification for OneRoster 1.1, done
 * for real per RFC 5849 §3.4: the signature is recomputed over the method,
 * the base URL (lower-case scheme and host, no default port, no query) and
 * every query and oauth_* parameter, percent-encoded (RFC 3986), sorted.
 * Timestamps must be within ±10 minutes; a nonce may be used only once.
 */
export const TIMESTAMP_WINDOW_S = 600;

export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function parseOAuthHeader(header: string | undefined): Map<string, string> | null {
  if (header === undefined) return null;
  const match = /^OAuth\s+(.*)$/i.exec(header.trim());
  if (match?.[1] === undefined) return null;
  const params = new Map<string, string>();
  for (const m of match[1].matchAll(/([A-Za-z0-9_\-.~%]+)\s*=\s*"([^"]*)"/g)) {
    try {
      params.set(decodeURIComponent(m[1] ?? ''), decodeURIComponent(m[2] ?? ''));
    } catch {
      return null;
    }
  }
  return params;
}

export function baseStringUri(protocol: string, host: string, path: string): string {
  const scheme = protocol.toLowerCase();
  let authority = host.toLowerCase();
  if ((scheme === 'http' && authority.endsWith(':80')) || (scheme === 'https' && authority.endsWith(':443'))) {
    authority = authority.slice(0, authority.lastIndexOf(':'));
  }
  return `${scheme}://${authority}${path}`;
}

export function signatureBaseString(method: string, uri: string, params: [string, string][]): string {
  const normalized = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${rfc3986(uri)}&${rfc3986(normalized)}`;
}

export function hmacSha256Signature(baseString: string, consumerSecret: string): string {
  return createHmac('sha256', `${rfc3986(consumerSecret)}&`).update(baseString).digest('base64');
}

/** Remembers nonces per consumer for the timestamp window, then forgets them. */
export class NonceStore {
  private seen = new Map<string, number>();

  constructor(private readonly clock: SimClock) {}

  /** True if fresh (and records it), false if replayed. */
  use(consumerKey: string, nonce: string, timestamp: number): boolean {
    const now = this.clock.nowMs();
    if (this.seen.size > 10_000) {
      for (const [k, expiry] of this.seen) if (expiry < now) this.seen.delete(k);
    }
    const key = `${consumerKey}\u0000${nonce}\u0000${timestamp}`;
    const expiry = this.seen.get(key);
    if (expiry !== undefined && expiry >= now) return false;
    this.seen.set(key, now + 2 * TIMESTAMP_WINDOW_S * 1000);
    return true;
  }
}

export type OAuth1Result = { ok: true; consumerKey: string } | { ok: false; reason: string };

export function verifyOAuth1(
  req: FastifyRequest,
  secretFor: (consumerKey: string) => string | undefined,
  clock: SimClock,
  nonces: NonceStore,
): OAuth1Result {
  const header = parseOAuthHeader(req.headers.authorization);
  // OAuth parameters may also travel in the query string (RFC 5849 §3.5.3).
  const query = queryPairs(req);
  const oauth = header ?? new Map(query.filter(([k]) => k.startsWith('oauth_')));
  const key = oauth.get('oauth_consumer_key');
  const signature = oauth.get('oauth_signature');
  const method = oauth.get('oauth_signature_method');
  const timestamp = oauth.get('oauth_timestamp');
  const nonce = oauth.get('oauth_nonce');
  if (key === undefined || signature === undefined || timestamp === undefined || nonce === undefined) {
    return { ok: false, reason: 'missing OAuth 1.0a parameters' };
  }
  if (method !== 'HMAC-SHA256') return { ok: false, reason: `unsupported signature method ${method ?? '(none)'}` };
  const version = oauth.get('oauth_version');
  if (version !== undefined && version !== '1.0') return { ok: false, reason: 'oauth_version must be 1.0' };
  const secret = secretFor(key);
  if (secret === undefined) return { ok: false, reason: 'unknown consumer key' };
  const ts = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(ts - clock.nowMs() / 1000) > TIMESTAMP_WINDOW_S) {
    return { ok: false, reason: 'timestamp outside the allowed window' };
  }
  const params: [string, string][] = header === null ? query.filter(([k]) => k !== 'oauth_signature') : [...query];
  if (header !== null) {
    for (const [k, v] of header) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
  }
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const uri = baseStringUri(req.protocol, req.headers.host ?? req.hostname, path);
  const expected = hmacSha256Signature(signatureBaseString(req.method, uri, params), secret);
  if (!safeEqual(expected, signature)) return { ok: false, reason: 'invalid signature' };
  if (!nonces.use(key, nonce, ts)) return { ok: false, reason: 'nonce already used' };
  return { ok: true, consumerKey: key };
}
