import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

/**
 * Statements that PostgreSQL parses and plans once per connection instead of
 * on every call. Only the hot, fixed-shape statements of the sign-in path opt
 * in: planning was 60 % of their database time (pg_stat_statements, 0.75 ms
 * of 1.2 ms per sign-in). Preparing is not the default because a generic plan
 * estimates an array parameter at 10 elements, and the sync engine's
 * set-based statements send thousands.
 *
 * One process-wide name per SQL text; node-postgres prepares it on each
 * connection's first use and sends only Bind/Execute afterwards.
 */
const names = new Map<string, string>();

/** Above this many distinct texts the rest run unprepared: a guard against a text that varies per call. */
export const MAX_PREPARED = 200;

/** Runs `query` as a prepared statement on PostgreSQL; PGlite runs it as usual. */
export function executePrepared<R>(db: Kysely<DB>, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  // Without parameters node-postgres uses the simple protocol, which also carries multi-statement texts: left alone.
  if (query.parameters.length > 0 && !names.has(query.sql) && names.size < MAX_PREPARED) names.set(query.sql, `rollcall_${names.size + 1}`);
  return db.executeQuery(query);
}

/** Every text registered so far, with the name it is prepared under (tests). */
export const preparedNames = (): ReadonlyMap<string, string> => names;

/** PostgreSQL's answer when a migration changed what a prepared `select *` returns. */
const isStalePlan = (error: unknown) => (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

/**
 * The pool's client: sends a registered text under its statement name.
 *
 * A migration that adds a column under a running process makes a prepared
 * `select *` fail once on each connection ("cached plan must not change
 * result type"). That connection then runs the text unprepared: the call that
 * met it fails, the ones after it work, and no connection is left failing.
 */
export class PreparingClient extends pg.Client {
  readonly #stale = new Set<string>();

  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0 ? names.get(text) : undefined;
    const send = super.query as (...a: unknown[]) => never;
    if (name === undefined || this.#stale.has(name)) return send.apply(this, args);
    const running = send.call(this, { name, text, values }) as Promise<unknown>;
    return running.catch((error: unknown) => {
      if (isStalePlan(error)) this.#stale.add(name);
      throw error;
    }) as never;
  }
}
