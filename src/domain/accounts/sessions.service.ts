import type { Store } from '../../db/store.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashToken, randomToken } from '../../lib/crypto.ts';
import type { Actor, User } from './accounts.types.ts';

/** What the database keeps of a session: never the token, only its hash. */
export interface SessionRow {
  readonly idHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface NewSession {
  readonly token: string;
  readonly row: SessionRow;
}

/**
 * Server-side sessions: the cookie holds a random token, the database only its
 * hash. Sliding expiry, refreshed at most once a minute per session.
 */
export class SessionsService {
  constructor(private readonly deps: { store: Store; clock: Clock; ttlHours: number }) {}

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.deps.ttlHours * 3_600_000);
  }

  /** Always a new id: signing in never reuses a session id (no fixation). */
  async start(user: User, previousToken?: string): Promise<string> {
    const { store } = this.deps;
    if (previousToken) await store.sessions.delete(hashToken(previousToken));
    const session = this.issue();
    await store.sessions.create(session.row.idHash, user.id, session.row.createdAt, session.row.expiresAt);
    return session.token;
  }

  /**
   * A new session not stored yet: its token (for the cookie only) and the row
   * the database keeps, for a caller that stores it in the same statement as
   * other work (a provider sign-in stamps the account and opens the session in
   * one round trip). Then `adopt` it.
   */
  issue(): NewSession {
    const token = randomToken();
    const now = this.deps.clock.now();
    return { token, row: { idHash: hashToken(token), createdAt: now, expiresAt: this.expiry(now) } };
  }

  /** After an issued session was stored: signs out whoever was signed in on this browser before. */
  async adopt(previousToken?: string): Promise<void> {
    if (previousToken) await this.deps.store.sessions.delete(hashToken(previousToken));
  }

  async resolve(token: string): Promise<Actor | undefined> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const idHash = hashToken(token);
    const session = await store.sessions.findLiveActor(idHash, now);
    if (!session) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await store.sessions.extend(idHash, now, this.expiry(now));
    return session.actor;
  }

  async end(token: string): Promise<void> {
    await this.deps.store.sessions.delete(hashToken(token));
  }
}
