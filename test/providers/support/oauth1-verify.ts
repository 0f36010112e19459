import { createHmac } from 'node:crypto';

/**
 * An independent OAuth 1.0a HMAC-SHA256 check (RFC 5849 §3.4), written from
 * the RFC rather than from the library the adapter uses: it recomputes the
 * signature of a request exactly as a Roster Server would receive it.
 */
const enc = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** RFC 3986 decoding of one query component; '+' is not a space in OAuth 1.0a. */
const dec = (s: string): string => decodeURIComponent(s);

export function parseOAuthHeader(header: string): Record<string, string> {
  if (!header.startsWith('OAuth ')) throw new Error('not an OAuth header');
  const out: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const m = /^\s*([^=]+)="([^"]*)"\s*$/.exec(part);
    if (m === null) throw new Error(`bad header part ${part}`);
    out[dec(m[1]!)] = dec(m[2]!);
  }
  return out;
}

export function expectedSignature(method: string, rawUrl: string, oauth: Record<string, string>, consumerSecret: string): string {
  const url = new URL(rawUrl);
  const pairs: [string, string][] = [];
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  for (const part of query === '' ? [] : query.split('&')) {
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [dec(part), ''] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))]);
  }
  for (const [k, v] of Object.entries(oauth)) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
  const normalized = pairs
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const port = url.port !== '' && !((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) ? `:${url.port}` : '';
  const baseUri = `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
  const base = `${method.toUpperCase()}&${enc(baseUri)}&${enc(normalized)}`;
  return createHmac('sha256', `${enc(consumerSecret)}&`).update(base).digest('base64');
}
