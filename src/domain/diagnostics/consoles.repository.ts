import { sql, type Kysely } from 'kysely';
import type { DB, SyncStatus, SyncTrigger } from '../../db/schema.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';

export interface ImportedCounts {
  /** Rostered classes (not archived) made from this integration's sections. */
  readonly classes: number;
  /** Distinct students actively enrolled in those classes. */
  readonly students: number;
  /** Teacher accounts linked to an identity of this integration. */
  readonly teachersLinked: number;
}

/** A sync run as the consoles show it: the columns every version of the run table has. */
export interface RunRow {
  readonly id: string;
  readonly integrationId: string | null;
  readonly classId: string | null;
  readonly className: string | null;
  readonly requestedByName: string | null;
  readonly trigger: SyncTrigger;
  readonly status: SyncStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly counts: Record<string, number>;
  readonly warningCount: number;
  readonly error: string | null;
  readonly details: Record<string, unknown>;
}

export interface MemberActivity {
  readonly memberId: string;
  readonly providers: ProviderKind[];
  readonly rosteredClasses: number;
  readonly lastSignInAt: Date | null;
}

/** Reads for the license, district and support consoles. */
export class ConsolesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async importedCounts(integration: { id: string; provider: ProviderKind; tenantKey: string }): Promise<ImportedCounts> {
    const [classes, students, teachers] = await Promise.all([
      this.db
        .selectFrom('classes')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('integration_id', '=', integration.id)
        .where('archived_at', 'is', null)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('enrollments as e')
        .innerJoin('classes as c', 'c.id', 'e.class_id')
        .select(sql<number>`count(distinct e.user_id)::int`.as('n'))
        .where('c.integration_id', '=', integration.id)
        .where('c.archived_at', 'is', null)
        .where('e.status', '=', 'active')
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('identities as i')
        .innerJoin('users as u', 'u.id', 'i.user_id')
        .select(sql<number>`count(distinct i.user_id)::int`.as('n'))
        .where('i.provider', '=', integration.provider)
        .where('i.tenant_key', '=', integration.tenantKey)
        .where('u.role', '=', 'teacher')
        .executeTakeFirstOrThrow(),
    ]);
    return { classes: classes.n, students: students.n, teachersLinked: teachers.n };
  }

  private runs(integrationIds: readonly string[]) {
    return this.db
      .selectFrom('sync_runs as r')
      .leftJoin('classes as c', 'c.id', 'r.class_id')
      .leftJoin('users as u', 'u.id', 'r.requested_by')
      .select([
        'r.id',
        'r.integration_id',
        'r.class_id',
        'c.name as class_name',
        'u.name as requested_by_name',
        'r.trigger',
        'r.status',
        'r.started_at',
        'r.finished_at',
        'r.counts',
        sql<number>`jsonb_array_length(r.warnings)`.as('warning_count'),
        'r.error',
        'r.details',
      ])
      .where('r.integration_id', 'in', integrationIds);
  }

  private toRun(r: {
    id: string;
    integration_id: string | null;
    class_id: string | null;
    class_name: string | null;
    requested_by_name: string | null;
    trigger: SyncTrigger;
    status: SyncStatus;
    started_at: Date;
    finished_at: Date | null;
    counts: Record<string, number>;
    warning_count: number;
    error: string | null;
    details: Record<string, unknown>;
  }): RunRow {
    return {
      id: r.id,
      integrationId: r.integration_id,
      classId: r.class_id,
      className: r.class_name,
      requestedByName: r.requested_by_name,
      trigger: r.trigger,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      counts: r.counts ?? {},
      warningCount: Number(r.warning_count ?? 0),
      error: r.error,
      details: r.details ?? {},
    };
  }

  async recentRuns(integrationIds: readonly string[], limit = 30): Promise<RunRow[]> {
    if (integrationIds.length === 0) return [];
    const rows = await this.runs(integrationIds).orderBy('r.started_at', 'desc').orderBy('r.id').limit(limit).execute();
    return rows.map((r) => this.toRun(r));
  }

  async heldRuns(integrationIds: readonly string[]): Promise<RunRow[]> {
    if (integrationIds.length === 0) return [];
    const rows = await this.runs(integrationIds).where('r.status', '=', 'held').orderBy('r.started_at', 'desc').limit(100).execute();
    return rows.map((r) => this.toRun(r));
  }

  async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async classNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('classes').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Per member of a license: rostering accounts in the license's district, rostered classes there, last sign-in. */
  async memberActivity(licenseId: string): Promise<MemberActivity[]> {
    const rows = await this.db
      .selectFrom('license_members as m')
      .innerJoin('licenses as l', 'l.id', 'm.license_id')
      .leftJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.id',
        'u.last_sign_in_at',
        sql<string[]>`coalesce((
          select array_agg(distinct i.provider::text) from identities i
          join integrations g on g.provider = i.provider and g.tenant_key = i.tenant_key
          where i.user_id = m.user_id and g.district_id = l.district_id), '{}')`.as('providers'),
        sql<number>`(
          select count(*)::int from class_teachers ct join classes c on c.id = ct.class_id
          where ct.user_id = m.user_id and ct.removed_at is null and c.archived_at is null
            and c.source <> 'manual' and c.district_id = l.district_id)`.as('rostered'),
      ])
      .where('m.license_id', '=', licenseId)
      .where('m.removed_at', 'is', null)
      .execute();
    return rows.map((r) => ({
      memberId: r.id,
      providers: (r.providers ?? []).slice().sort() as ProviderKind[],
      rosteredClasses: Number(r.rostered ?? 0),
      lastSignInAt: r.last_sign_in_at,
    }));
  }
}
