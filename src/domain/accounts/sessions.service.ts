import type { Store } from '../../db/store.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashToken, randomToken } from '../../lib/crypto.ts';
import type { Actor, User } from './accounts.types.ts';

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
    const { store, clock } = this.deps;
    if (previousToken) await store.sessions.delete(hashToken(previousToken));
    const token = randomToken();
    const now = clock.now();
    await store.sessions.create(hashToken(token), user.id, now, this.expiry(now));
    return token;
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
