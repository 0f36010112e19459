import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';

export interface StudentInput {
  readonly externalId: string;
  readonly name: string;
  readonly email: string | null;
  readonly grade: string | null;
}

export interface RosterCounts {
  readonly enrolled: number;
  readonly restored: number;
  readonly removed: number;
}

/**
 * Set-based roster writes shared by import and sync: one statement per step
 * whatever the number of students (unnest arrays), identical on PGlite and
 * PostgreSQL.
 */
export class RosterRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Serialises student creation within one provider tenant for the rest of the
   * transaction, so two imports never create the same student twice.
   */
  async lockTenant(provider: ProviderKind, tenantKey: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`${provider}:${tenantKey}`}))`.execute(this.db);
  }

  /** Creates missing student accounts with their identities and applies name/email/grade changes. */
  async upsertStudents(
    scope: { provider: ProviderKind; tenantKey: string; districtId: string },
    students: readonly StudentInput[],
  ): Promise<{ userIds: Map<string, string>; created: number; updated: number }> {
    if (students.length === 0) return { userIds: new Map(), created: 0, updated: 0 };
    const ids = students.map((s) => s.externalId);
    const result = await sql<{ external_id: string; user_id: string; created: boolean; updated: boolean }>`
      with input as (
        select * from unnest(${ids}::text[], ${students.map((s) => s.name)}::text[], ${students.map((s) => s.email)}::text[], ${students.map((s) => s.grade)}::text[])
          as t(external_id, name, email, grade)
      ), known as (
        select i.external_id, i.user_id from identities i
        where i.provider = ${scope.provider} and i.tenant_key = ${scope.tenantKey} and i.external_id = any(${ids}::text[])
      ), changed as (
        update users u set name = input.name, email = input.email, grade = input.grade, updated_at = now()
        from input join known on known.external_id = input.external_id
        where u.id = known.user_id and u.role = 'student'
          and (u.name is distinct from input.name or u.email is distinct from input.email or u.grade is distinct from input.grade)
        returning u.id
      ), fresh as (
        select gen_random_uuid() as id, input.* from input
        where not exists (select 1 from known where known.external_id = input.external_id)
      ), made_users as (
        insert into users (id, role, name, email, grade, district_id)
        select id, 'student', name, email, grade, ${scope.districtId}::uuid from fresh returning id
      ), made_identities as (
        insert into identities (user_id, provider, tenant_key, external_id)
        select id, ${scope.provider}, ${scope.tenantKey}, external_id from fresh returning user_id
      )
      select input.external_id, coalesce(known.user_id, fresh.id) as user_id, fresh.id is not null as created,
             exists (select 1 from changed where changed.id = known.user_id) as updated
      from input left join known using (external_id) left join fresh using (external_id)`.execute(this.db);
    return {
      userIds: new Map(result.rows.map((r) => [r.external_id, r.user_id])),
      created: result.rows.filter((r) => r.created).length,
      updated: result.rows.filter((r) => r.updated).length,
    };
  }

  /** Enrolls these students (new ones join, removed ones return intact) and records the changes. */
  async enroll(classId: string, userIds: readonly string[], runId: string | null, now: Date): Promise<{ enrolled: number; restored: number }> {
    if (userIds.length === 0) return { enrolled: 0, restored: 0 };
    const result = await sql<{ change: 'joined' | 'returned'; n: number }>`
      with ids as (select distinct unnest(${userIds}::uuid[]) as user_id),
      prev as (select e.user_id from enrollments e where e.class_id = ${classId} and e.user_id in (select user_id from ids)),
      up as (
        insert into enrollments (class_id, user_id, status, enrolled_at)
        select ${classId}, user_id, 'active', ${now} from ids
        on conflict (class_id, user_id) do update set status = 'active', removed_at = null, removed_reason = null
          where enrollments.status = 'removed'
        returning user_id
      ), changes as (
        insert into roster_changes (class_id, user_id, change, at, run_id)
        select ${classId}, up.user_id, case when prev.user_id is null then 'joined' else 'returned' end, ${now}, ${runId}
        from up left join prev using (user_id)
        returning change
      )
      select change, count(*)::int as n from changes group by change`.execute(this.db);
    return {
      enrolled: result.rows.find((r) => r.change === 'joined')?.n ?? 0,
      restored: result.rows.find((r) => r.change === 'returned')?.n ?? 0,
    };
  }

  /** Soft-removes the active students not in `keep`; their accounts and work stay. */
  async removeMissing(classId: string, keep: readonly string[], reason: string, runId: string | null, now: Date): Promise<number> {
    const result = await sql<{ n: number }>`
      with gone as (
        update enrollments set status = 'removed', removed_at = ${now}, removed_reason = ${reason}
        where class_id = ${classId} and status = 'active' and not (user_id = any(${keep}::uuid[]))
        returning user_id
      ), changes as (
        insert into roster_changes (class_id, user_id, change, at, run_id, reason)
        select ${classId}, user_id, 'left', ${now}, ${runId}, ${reason} from gone returning 1
      )
      select count(*)::int as n from changes`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  /** Who would leave if the roster became `keep` (for the removal safety check). */
  async activeNotIn(classId: string, keep: readonly string[]): Promise<{ userId: string; name: string }[]> {
    const result = await sql<{ user_id: string; name: string }>`
      select e.user_id, u.name from enrollments e join users u on u.id = e.user_id
      where e.class_id = ${classId} and e.status = 'active' and not (e.user_id = any(${keep}::uuid[]))
      order by u.name`.execute(this.db);
    return result.rows.map((r) => ({ userId: r.user_id, name: r.name }));
  }

  async activeCount(classId: string): Promise<number> {
    const row = await this.db
      .selectFrom('enrollments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('class_id', '=', classId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async roster(classId: string) {
    const rows = await this.db
      .selectFrom('enrollments as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .leftJoin('identities as i', 'i.user_id', 'u.id')
      .select(['u.id', 'u.name', 'u.grade', 'i.provider'])
      .where('e.class_id', '=', classId)
      .where('e.status', '=', 'active')
      .orderBy('u.name')
      .execute();
    const byId = new Map<string, { id: string; name: string; grade: string | null; providers: string[] }>();
    for (const r of rows) {
      const entry = byId.get(r.id) ?? { id: r.id, name: r.name, grade: r.grade, providers: [] };
      if (r.provider) entry.providers.push(r.provider);
      byId.set(r.id, entry);
    }
    return [...byId.values()];
  }

  async history(classId: string, limit = 200) {
    return this.db
      .selectFrom('roster_changes as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .leftJoin('sync_runs as r', 'r.id', 'c.run_id')
      .select(['c.at', 'c.change', 'u.name as student_name', 'r.trigger', 'c.reason'])
      .where('c.class_id', '=', classId)
      .orderBy('c.at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
  }
}
