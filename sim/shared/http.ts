import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Parse an HTTP Basic Authorization header into its two parts. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | null {
  if (header === undefined) return null;
  const match = /^Basic\s+(.+)$/i.exec(header.trim());
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
  const safeDecode = (v: string): string => {
    try {
      return decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      return v;
    }
  };
  return { user: safeDecode(decoded.slice(0, colon)), password: safeDecode(decoded.slice(colon + 1)) };
}

export function parseBearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match?.[1] ?? null;
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function randomToken(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}

/** Origin the client used to reach us (for absolute links and OAuth 1.0a base URLs). */
export function requestOrigin(req: FastifyRequest): string {
  const host = req.headers.host ?? `${req.hostname}`;
  return `${req.protocol}://${host}`;
}

/** Path without the query string. */
export function requestPath(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** The raw query string (without '?'), exactly as sent. */
export function rawQuery(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? '' : req.url.slice(q + 1);
}

/** All query parameters as [name, value] pairs, repeated names preserved. */
export function queryPairs(req: FastifyRequest): [string, string][] {
  return [...new URLSearchParams(rawQuery(req)).entries()];
}

export function queryValue(req: FastifyRequest, name: string): string | undefined {
  const value = new URLSearchParams(rawQuery(req)).get(name);
  return value ?? undefined;
}

export function queryValues(req: FastifyRequest, name: string): string[] {
  return new URLSearchParams(rawQuery(req)).getAll(name);
}

export function isForm(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Read a string field from a parsed JSON or form body. */
export function bodyField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

export function sessionCookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** Append query parameters to a URL that may already carry some. */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) u.searchParams.append(k, v);
  }
  return u.toString();
}
