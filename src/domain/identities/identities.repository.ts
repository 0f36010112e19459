import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, UsersTable } from '../../db/schema.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
import { toUser } from '../accounts/accounts.repository.ts';
import type { User } from '../accounts/accounts.types.ts';
import type { SessionRow } from '../accounts/sessions.service.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';
import type { IntegrationStatus } from '../integrations/integrations.types.ts';

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
   * A sign-in's first statement: the tenant's integration (is the district
   * connected?) and, when it is not disabled and the identity is known, the
   * returning user — whose identity and account are stamped in the same
   * statement (the 8:00 sign-in storm's hot path: one round trip).
   * `integration` is undefined when no integration serves the tenant; `user`
   * when the integration is disabled or the identity is not known yet.
   * With `session`, the returning user's new session is stored by the same
   * statement (nothing is stored when there is no returning user).
   */
  async recordSignIn(provider: ProviderKind, tenantKey: string, externalId: string, now: Date, session?: SessionRow): Promise<{ integration: { districtId: string; status: IntegrationStatus } | undefined; user: User | undefined }> {
    const { rows } = await executePrepared(this.db, sql<Partial<Selectable<UsersTable>> & { integration_district_id: string; integration_status: IntegrationStatus }>`
      with integration as (
        select district_id, status from integrations where provider = ${provider} and tenant_key = ${tenantKey}
      ), identity as (
        update identities set last_sign_in_at = ${now}
        where provider = ${provider} and tenant_key = ${tenantKey} and external_id = ${externalId}
          and exists (select 1 from integration where status <> 'disabled')
        returning user_id
      ), signed_in as (
        update users u set last_sign_in_at = ${now} from identity where u.id = identity.user_id
        returning u.*
      )${
        session
          ? sql`, opened as (
        insert into sessions (id, user_id, created_at, last_seen_at, expires_at)
        select ${session.idHash}, signed_in.id, ${session.createdAt}, ${session.createdAt}, ${session.expiresAt} from signed_in
      )`
          : sql``
      }
      select integration.district_id as integration_district_id, integration.status as integration_status, signed_in.*
      from integration left join signed_in on true`.compile(this.db));
    const row = rows[0];
    if (!row) return { integration: undefined, user: undefined };
    const { integration_district_id, integration_status, ...user } = row;
    return { integration: { districtId: integration_district_id, status: integration_status }, user: user.id ? toUser(user as Selectable<UsersTable>) : undefined };
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
    const insert = this.db
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
      .compile();
    await executePrepared(this.db, insert);
  }

  /** Single use: the row is deleted as it is read. */
  async take(stateHash: string, now: Date) {
    const [row] = (await executePrepared(this.db, this.db.deleteFrom('auth_flows').where('state_hash', '=', stateHash).returningAll().compile())).rows;
    if (!row || row.expires_at <= now) return undefined;
    return { provider: row.provider, purpose: row.purpose, codeVerifier: row.code_verifier, nonce: row.nonce, userId: row.user_id, returnTo: row.return_to };
  }

  /** Housekeeping: flows abandoned at the provider's login page (never called back). */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('auth_flows').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
