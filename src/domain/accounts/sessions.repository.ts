import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, UsersTable } from '../../db/schema.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
import { grantColumns, toActor, toUser, type GrantColumns } from './accounts.repository.ts';
import type { Actor } from './accounts.types.ts';

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

  /**
   * The live session's account and its grants, in one round trip: every
   * signed-in request resolves this, and grants are read fresh each time.
   */
  async findLiveActor(idHash: string, now: Date): Promise<{ actor: Actor; lastSeenAt: Date } | undefined> {
    const { rows } = await executePrepared(
      this.db,
      sql<Selectable<UsersTable> & GrantColumns & { session_last_seen_at: Date }>`
      select u.*, s.last_seen_at as session_last_seen_at, ${grantColumns(sql.ref('u.id'))}
      from sessions s join users u on u.id = s.user_id
      where s.id = ${idHash} and s.expires_at > ${now}`.compile(this.db),
    );
    const row = rows[0];
    if (!row) return undefined;
    const { session_last_seen_at, licenses, districts, ...user } = row;
    return { actor: toActor(toUser(user), { licenses, districts }), lastSeenAt: session_last_seen_at };
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
