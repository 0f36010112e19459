import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, UsersTable } from '../../db/schema.ts';
import { toUser } from '../accounts/accounts.repository.ts';
import type { User } from '../accounts/accounts.types.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';

export interface Identity {
  readonly id: string;
  readonly userId: string;
  readonly provider: ProviderKind;
  readonly tenantKey: string;
  readonly externalId: string;
  readonly lastSignInAt: Date | null;
}

export class IdentitiesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async find(provider: ProviderKind, tenantKey: string, externalId: string): Promise<Identity | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .selectAll()
      .where('provider', '=', provider)
      .where('tenant_key', '=', tenantKey)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row && { id: row.id, userId: row.user_id, provider: row.provider, tenantKey: row.tenant_key, externalId: row.external_id, lastSignInAt: row.last_sign_in_at };
  }

  async forUser(userId: string): Promise<Identity[]> {
    const rows = await this.db.selectFrom('identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map((row) => ({ id: row.id, userId: row.user_id, provider: row.provider, tenantKey: row.tenant_key, externalId: row.external_id, lastSignInAt: row.last_sign_in_at }));
  }

  /** Inserts, or returns the existing link when another request created it first. */
  async link(userId: string, provider: ProviderKind, tenantKey: string, externalId: string, now: Date): Promise<Identity> {
    await this.db
      .insertInto('identities')
      .values({ user_id: userId, provider, tenant_key: tenantKey, external_id: externalId, last_sign_in_at: now })
      .onConflict((oc) => oc.columns(['provider', 'tenant_key', 'external_id']).doNothing())
      .execute();
    return (await this.find(provider, tenantKey, externalId))!;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db.updateTable('identities').set({ last_sign_in_at: now }).where('id', '=', id).execute();
  }

  /**
   * A returning sign-in: stamps the identity and its account and returns the
   * account, in one statement (the 8:00 sign-in storm's hot path). Undefined
   * when the identity is not known yet.
   */
  async recordSignIn(provider: ProviderKind, tenantKey: string, externalId: string, now: Date): Promise<User | undefined> {
    const { rows } = await sql<Selectable<UsersTable>>`
      with identity as (
        update identities set last_sign_in_at = ${now}
        where provider = ${provider} and tenant_key = ${tenantKey} and external_id = ${externalId}
        returning user_id
      )
      update users u set last_sign_in_at = ${now} from identity where u.id = identity.user_id
      returning u.*`.execute(this.db);
    return rows[0] && toUser(rows[0]);
  }

  /** Is this user an accepted member of a license in the district? (Linking rule for teachers.) */
  async isOnDistrictLicense(userId: string, districtId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('license_members as m')
      .innerJoin('licenses as l', 'l.id', 'm.license_id')
      .select('m.id')
      .where('m.user_id', '=', userId)
      .where('m.removed_at', 'is', null)
      .where('l.district_id', '=', districtId)
      .executeTakeFirst();
    return row !== undefined;
  }
}

export class AuthFlowsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(input: { stateHash: string; provider: ProviderKind; purpose: 'signin' | 'connect'; codeVerifier: string | null; nonce: string | null; userId: string | null; returnTo: string | null; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('auth_flows')
      .values({
        state_hash: input.stateHash,
        provider: input.provider,
        purpose: input.purpose,
        code_verifier: input.codeVerifier,
        nonce: input.nonce,
        user_id: input.userId,
        return_to: input.returnTo,
        expires_at: input.expiresAt,
      })
      .execute();
  }

  /** Single use: the row is deleted as it is read. */
  async take(stateHash: string, now: Date) {
    const row = await this.db.deleteFrom('auth_flows').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
    if (!row || row.expires_at <= now) return undefined;
    return { provider: row.provider, purpose: row.purpose, codeVerifier: row.code_verifier, nonce: row.nonce, userId: row.user_id, returnTo: row.return_to };
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.db.deleteFrom('auth_flows').where('expires_at', '<=', now).execute();
  }
}
