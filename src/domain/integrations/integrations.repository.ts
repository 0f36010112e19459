import type { Kysely, Selectable } from 'kysely';
import type { DB, IntegrationsTable } from '../../db/schema.ts';
import type { Integration, IntegrationStatus, SchoolMapping } from './integrations.types.ts';

type Row = Selectable<IntegrationsTable> & { district_name: string };

const toIntegration = (row: Row): Integration => ({
  id: row.id,
  districtId: row.district_id,
  districtName: row.district_name,
  provider: row.provider,
  tenantKey: row.tenant_key,
  status: row.status,
  statusReason: row.status_reason,
  settings: row.settings as unknown as Integration['settings'],
  lastTestAt: row.last_test_at,
  lastTestResult: row.last_test_result,
});

export class IntegrationsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private query() {
    return this.db.selectFrom('integrations').innerJoin('districts', 'districts.id', 'integrations.district_id').selectAll('integrations').select('districts.name as district_name');
  }

  async create(input: { districtId: string; provider: 'clever' | 'classlink'; tenantKey: string; settings: object; credentialsSealed: string }): Promise<string> {
    const row = await this.db
      .insertInto('integrations')
      .values({
        district_id: input.districtId,
        provider: input.provider,
        tenant_key: input.tenantKey,
        settings: JSON.stringify(input.settings),
        credentials_sealed: input.credentialsSealed,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateConnection(id: string, input: { settings: object; credentialsSealed: string }, now: Date): Promise<void> {
    await this.db
      .updateTable('integrations')
      .set({ settings: JSON.stringify(input.settings), credentials_sealed: input.credentialsSealed, status: 'active', status_reason: null, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async findById(id: string): Promise<Integration | undefined> {
    const row = await this.query().where('integrations.id', '=', id).executeTakeFirst();
    return row && toIntegration(row);
  }

  async findByTenant(provider: 'clever' | 'classlink', tenantKey: string): Promise<Integration | undefined> {
    const row = await this.query().where('integrations.provider', '=', provider).where('integrations.tenant_key', '=', tenantKey).executeTakeFirst();
    return row && toIntegration(row);
  }

  async list(filter: { districtIds?: readonly string[] } = {}): Promise<Integration[]> {
    let query = this.query();
    if (filter.districtIds) {
      if (filter.districtIds.length === 0) return [];
      query = query.where('integrations.district_id', 'in', filter.districtIds);
    }
    const rows = await query.orderBy('districts.name').orderBy('integrations.provider').execute();
    return rows.map(toIntegration);
  }

  async sealedCredentials(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('integrations').select('credentials_sealed').where('id', '=', id).executeTakeFirst();
    return row?.credentials_sealed;
  }

  /** Every integration's sealed credentials, locked for the rest of the transaction (key rotation). */
  async allSealedCredentialsForUpdate(): Promise<{ id: string; sealed: string }[]> {
    const rows = await this.db.selectFrom('integrations').select(['id', 'credentials_sealed']).orderBy('id').forUpdate().execute();
    return rows.map((r) => ({ id: r.id, sealed: r.credentials_sealed }));
  }

  async replaceSealedCredentials(id: string, sealed: string): Promise<void> {
    await this.db.updateTable('integrations').set({ credentials_sealed: sealed }).where('id', '=', id).execute();
  }

  async setStatus(id: string, status: IntegrationStatus, reason: string | null, now: Date): Promise<void> {
    await this.db.updateTable('integrations').set({ status, status_reason: reason, updated_at: now }).where('id', '=', id).execute();
  }

  async recordTest(id: string, result: Record<string, unknown>, now: Date): Promise<void> {
    await this.db.updateTable('integrations').set({ last_test_at: now, last_test_result: JSON.stringify(result) }).where('id', '=', id).execute();
  }

  async schoolMappings(integrationId: string): Promise<SchoolMapping[]> {
    const rows = await this.db
      .selectFrom('integration_schools')
      .select(['external_id', 'name', 'school_id'])
      .where('integration_id', '=', integrationId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ externalId: r.external_id, name: r.name, schoolId: r.school_id }));
  }

  async upsertSchoolMappings(integrationId: string, mappings: readonly SchoolMapping[], now: Date): Promise<void> {
    if (mappings.length === 0) return;
    await this.db
      .insertInto('integration_schools')
      .values(mappings.map((m) => ({ integration_id: integrationId, external_id: m.externalId, name: m.name, school_id: m.schoolId, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['integration_id', 'external_id']).doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), school_id: eb.ref('excluded.school_id'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}
