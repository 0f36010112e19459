import type { Kysely } from 'kysely';
import type { DB } from '../../../src/db/schema.ts';

/**
 * Helpers for the provider fault suite: a fetch wrapper that sees every
 * provider request (to count retries and to wait until a timed-out
 * operation's abandoned requests have finished), a snapshot of the rostering
 * tables, and the mapping of a plain-language error back to its kind.
 */

export interface SeenRequest {
  readonly path: string;
  /** HTTP status, or 0 when no response arrived (aborted, network error). */
  readonly status: number;
}

export interface FetchProbe {
  readonly requests: SeenRequest[];
  /** Resolves once no provider request has been in flight for `quietMs`. */
  settle(quietMs?: number): Promise<void>;
  restore(): void;
}

/**
 * Wraps globalThis.fetch. Adapters capture `globalThis.fetch` when they are
 * built, and the integrations service builds one per operation, so installing
 * this before the first operation sees every provider request.
 */
export function probeFetch(): FetchProbe {
  const real = globalThis.fetch;
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    inFlight++;
    lastActivity = Date.now();
    try {
      const res = await real(input, init);
      requests.push({ path: url.pathname, status: res.status });
      return res;
    } catch (error) {
      requests.push({ path: url.pathname, status: 0 });
      throw error;
    } finally {
      inFlight--;
      lastActivity = Date.now();
    }
  }) as typeof fetch;
  return {
    requests,
    async settle(quietMs = 40) {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (inFlight === 0 && Date.now() - lastActivity >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('provider requests did not settle within 10 s');
    },
    restore() {
      globalThis.fetch = real;
    },
  };
}

export interface Snapshot {
  readonly classes: string[];
  readonly enrollments: string[];
  readonly users: string[];
  readonly identities: string[];
  readonly teachers: string[];
}

/** The rostering tables, without the timestamps a run may legitimately touch (last_synced_at, updated_at). */
export async function snapshot(db: Kysely<DB>): Promise<Snapshot> {
  const classes = await db
    .selectFrom('classes')
    .select(['id', 'name', 'integration_id', 'external_id', 'school_id', 'course_name', 'subject', 'period', 'term_name', 'term_start', 'term_end', 'archived_at', 'archived_reason'])
    .execute();
  const enrollments = await db.selectFrom('enrollments').select(['class_id', 'user_id', 'status', 'removed_reason']).execute();
  const users = await db.selectFrom('users').select(['id', 'role', 'name', 'email', 'grade', 'district_id']).execute();
  const identities = await db.selectFrom('identities').select(['user_id', 'provider', 'tenant_key', 'external_id']).execute();
  const teachers = await db.selectFrom('class_teachers').select(['class_id', 'user_id', 'removed_at']).execute();
  const rows = (list: Record<string, unknown>[]) => list.map((r) => JSON.stringify(Object.values(r).map((v) => (v instanceof Date ? v.toISOString() : v)))).sort();
  return { classes: rows(classes), enrollments: rows(enrollments), users: rows(users), identities: rows(identities), teachers: rows(teachers) };
}

export type ErrorKind = 'auth' | 'rate_limited' | 'unavailable' | 'bad_data' | 'not_permitted' | 'not_found' | 'unknown';

/** explainProviderError's sentences, back to the kind they explain. */
export function kindOf(message: string): ErrorKind {
  if (/refused our credentials/.test(message)) return 'auth';
  if (/limiting our requests/.test(message)) return 'rate_limited';
  if (/did not answer/.test(message)) return 'unavailable';
  if (/could not read/.test(message)) return 'bad_data';
  if (/not allowed to read/.test(message)) return 'not_permitted';
  if (/no longer has this record/.test(message)) return 'not_found';
  return 'unknown';
}

/** A message a teacher or district admin can act on: no stack, no token, no raw body. */
export function isPlainLanguage(message: string, secrets: readonly string[]): boolean {
  if (message.length === 0 || message.length > 600) return false;
  if (/\n\s+at |Error:|undefined|\[object /.test(message)) return false;
  return secrets.every((s) => s.length < 6 || !message.includes(s));
}

/** Prints rows × columns as an aligned text table. */
export function formatTable(title: string, columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [['', ...columns], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [title, line(all[0]!), rule, ...rows.map(line)].join('\n');
}
