/**
 * Defensive readers for provider JSON. Providers send documented variations
 * (booleans as "true"/"false", arrays as "" or missing, nulls where the spec
 * says string), so mappers read through these instead of trusting types.
 */
export type Json = Record<string, unknown>;

/** A mapper either produces a record or says, without personal data, why it skipped one. */
export type Mapped<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly id?: string };

export const ok = <T>(value: T): Mapped<T> => ({ ok: true, value });
export const skip = <T>(reason: string, id?: string | null): Mapped<T> => (id ? { ok: false, reason, id } : { ok: false, reason });

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Lone UTF-16 surrogates: PostgreSQL would store U+FFFD instead, so the value would never match itself again. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A non-empty string, else null. Ids and references are read through this, so
 * a value PostgreSQL cannot keep as sent (NUL, lone surrogates) is no value:
 * its record is skipped with a warning instead of failing or corrupting a sync.
 */
export function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('\u0000') && !LONE_SURROGATE.test(value) ? value : null;
}

/** A record's own id: a str() that fits Rollcall's key columns (identities.external_id holds 300 characters). */
export function recordId(value: unknown): string | null {
  const id = str(value);
  return id !== null && id.length <= 300 ? id : null;
}

/** A string that may be empty; other types become ''. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Strings of an array; a comma-separated string (CSV-style "09,10") is accepted; anything else is []. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => str(s) !== null);
  if (!Array.isArray(value)) return [];
  // Through str(): an id list (Clever's section students) must not carry a NUL, which fails any query it reaches.
  return value.filter((v): v is string => str(v) !== null);
}

/** true / "true" / "TRUE" → true, false / "false" → false, anything else → null. */
export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return null;
}

/** YYYY-MM-DD from a date or date-time string, else null. */
export function dateOnly(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return match?.[1] ?? null;
}

/** Provider emails are unverified and sometimes malformed: keep only plausible addresses. */
export function email(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : null;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A query string encoded exactly as OAuth 1.0a signs it: RFC 3986, space as %20, never '+'. */
export function encodeQuery(params: readonly (readonly [string, string])[]): string {
  return params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
}
