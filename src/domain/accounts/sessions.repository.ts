import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { toUser } from './accounts.repository.ts';
import type { User } from './accounts.types.ts';

export class SessionsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(idHash: string, userId: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: idHash, user_id: userId, created_at: now, last_seen_at: now, expires_at: expiresAt })
      .execute();
  }

  async findLive(idHash: string, now: Date): Promise<{ userId: string; lastSeenAt: Date } | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'last_seen_at'])
      .where('id', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && { userId: row.user_id, lastSeenAt: row.last_seen_at };
  }

  /** The live session's account, in one round trip (every signed-in request resolves this). */
  async findLiveUser(idHash: string, now: Date): Promise<{ user: User; lastSeenAt: Date } | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select('sessions.last_seen_at as session_last_seen_at')
      .where('sessions.id', '=', idHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    const { session_last_seen_at, ...user } = row;
    return { user: toUser(user), lastSeenAt: session_last_seen_at };
  }

  async extend(idHash: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', idHash).execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', idHash).execute();
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
