import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

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
