import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DB, EmailTokenPurpose, UsersTable } from '../../db/schema.ts';
import type { Actor, Role, User } from './accounts.types.ts';

export const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  role: row.role,
  name: row.name,
  email: row.email,
  emailVerified: row.email_verified_at !== null,
  hasPassword: row.password_hash !== null,
  districtId: row.district_id,
  lastSignInAt: row.last_sign_in_at,
});

/** The grant columns of an actor, as json arrays (null when none). */
export interface GrantColumns {
  readonly licenses: { id: string; name: string; districtId: string }[] | null;
  readonly districts: { id: string; name: string }[] | null;
}

/** Select-list fragment reading a user's license and district administrator grants (shared with the session lookup). */
export const grantColumns = (userId: RawBuilder<unknown>) => sql`
  (select json_agg(json_build_object('id', l.id, 'name', l.name, 'districtId', l.district_id) order by l.name)
     from license_admins la join licenses l on l.id = la.license_id where la.user_id = ${userId}) as licenses,
  (select json_agg(json_build_object('id', d.id, 'name', d.name) order by d.name)
     from district_admins da join districts d on d.id = da.district_id where da.user_id = ${userId}) as districts`;

export const toActor = (user: User, grants: GrantColumns | undefined): Actor => ({
  user,
  isOperator: user.role === 'operator',
  licenseAdminOf: grants?.licenses ?? [],
  districtAdminOf: grants?.districts ?? [],
});

export class AccountsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(input: {
    role: Role;
    name: string;
    email: string | null;
    passwordHash: string | null;
    emailVerifiedAt: Date | null;
    districtId?: string | null;
  }): Promise<User> {
    const row = await this.db
      .insertInto('users')
      .values({
        role: input.role,
        name: input.name,
        email: input.email,
        password_hash: input.passwordHash,
        email_verified_at: input.emailVerifiedAt,
        district_id: input.districtId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  /** The account that signs in with this email and a password (there is at most one). */
  async findLoginByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .where('password_hash', 'is not', null)
      .executeTakeFirst();
    return row && { ...toUser(row), passwordHash: row.password_hash! };
  }

  /** Staff accounts (not students) with this email, e.g. to match an invitation. */
  async findStaffByEmail(email: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .where('role', '<>', 'student')
      .orderBy('created_at')
      .execute();
    return rows.map(toUser);
  }

  async setPassword(userId: string, passwordHash: string, now: Date): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', userId)
      .where('role', '<>', 'student')
      .execute();
  }

  async update(userId: string, changes: { name?: string; emailVerifiedAt?: Date }, now: Date): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.emailVerifiedAt !== undefined ? { email_verified_at: changes.emailVerifiedAt } : {}),
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
  }

  async markEmailVerified(userId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ email_verified_at: now, updated_at: now })
      .where('id', '=', userId)
      .where('email_verified_at', 'is', null)
      .execute();
  }

  /** Records a sign-in and returns the account as it is now (one statement). */
  async recordSignIn(userId: string, now: Date): Promise<User | undefined> {
    const row = await this.db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).returningAll().executeTakeFirst();
    return row && toUser(row);
  }

  /** The user's grants, read fresh on every request: one round trip for both kinds. */
  async loadActor(user: User): Promise<Actor> {
    const { rows } = await sql<GrantColumns>`select ${grantColumns(sql`${user.id}::uuid`)}`.execute(this.db);
    return toActor(user, rows[0]);
  }

  async addDistrictAdmin(districtId: string, userId: string): Promise<void> {
    await this.db.insertInto('district_admins').values({ district_id: districtId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
  }

  async listOperators(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('role', '=', 'operator').orderBy('created_at').execute();
    return rows.map(toUser);
  }
}

export class EmailTokensRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Housekeeping: tokens that expired before `before`. Kept a while past expiry so a late click
   * still hears "this link has expired" or "was already used" rather than "not a valid link".
   */
  async deleteExpiredBefore(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('email_tokens').where('expires_at', '<=', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async create(input: { tokenHash: string; userId: string; purpose: EmailTokenPurpose; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('email_tokens')
      .values({ token_hash: input.tokenHash, user_id: input.userId, purpose: input.purpose, expires_at: input.expiresAt })
      .execute();
  }

  /** Marks the token used (exactly once) and returns its owner, or why it cannot be used. */
  async consume(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: Date,
  ): Promise<{ userId: string } | { problem: 'unknown' | 'used' | 'expired' }> {
    const row = await this.db
      .updateTable('email_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (row) return { userId: row.user_id };
    const existing = await this.db
      .selectFrom('email_tokens')
      .select(['used_at', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    if (!existing) return { problem: 'unknown' };
    return { problem: existing.used_at ? 'used' : 'expired' };
  }

  /** A newer link replaces older ones: only the latest email works. */
  async invalidateAll(userId: string, purpose: EmailTokenPurpose, now: Date): Promise<void> {
    await this.db
      .updateTable('email_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}
