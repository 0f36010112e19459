import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProviderKind } from '../providers/roster-provider.ts';
import type { SectionFields } from '../domain/classes/classes.types.ts';

export interface ImportedClass {
  readonly id: string;
  readonly externalId: string;
  readonly fields: SectionFields;
}

export interface Pair {
  readonly classId: string;
  readonly userId: string;
}

const uuids = (values: readonly string[]) => sql`${values}::uuid[]`;

/**
 * The CTEs `up` and `changes`: enroll every (class_id, user_id) of `adds` — new
 * ones join, removed ones return intact — and record each as 'joined' or
 * 'returned' by whether `cur` (the pairs' existing enrollments) had a row.
 * Both names must be CTEs defined before this fragment.
 */
const enrollAndRecord = (now: Date, runId: string) => sql`up as (
        insert into enrollments (class_id, user_id, status, enrolled_at)
        select class_id, user_id, 'active', ${now} from adds
        on conflict (class_id, user_id) do update set status = 'active', removed_at = null, removed_reason = null
          where enrollments.status = 'removed'
        returning class_id, user_id
      ), changes as (
        insert into roster_changes (class_id, user_id, change, at, run_id)
        select up.class_id, up.user_id, case when cur.user_id is null then 'joined' else 'returned' end, ${now}, ${runId}
        from up left join cur using (class_id, user_id)
        returning change
      )`;

export interface RosterSums {
  readonly n: number;
  readonly a: number;
  readonly b: number;
}

/** The same sums as `activeRosterSums`, over distinct user ids (uuid text). */
export function rosterSums(userIds: Iterable<string>): RosterSums {
  let n = 0;
  let a = 0;
  let b = 0;
  for (const id of userIds) {
    n++;
    a += Number.parseInt(id.slice(0, 8), 16) | 0;
    b += Number.parseInt(id.slice(24, 32), 16) | 0;
  }
  return { n, a, b };
}

/** The sync engine's set-based reads and writes: one statement per batch, never one per row. */
export class SyncRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Fresh planner statistics for the tables a large sync grew (ANALYZE samples; it does not lock out writers). */
  async refreshStatistics(): Promise<void> {
    await sql`analyze users, identities, enrollments, roster_changes`.execute(this.db);
  }

  /** Takes the integration's sync lease if it is free or expired. True = this run may proceed. */
  async acquireLease(integrationId: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('integrations')
      .set({ sync_lease_owner: owner, sync_lease_until: new Date(now.getTime() + ttlMs) })
      .where('id', '=', integrationId)
      .where((eb) => eb.or([eb('sync_lease_until', 'is', null), eb('sync_lease_until', '<', now), eb('sync_lease_owner', '=', owner)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseLease(integrationId: string, owner: string): Promise<void> {
    await this.db.updateTable('integrations').set({ sync_lease_owner: null, sync_lease_until: null }).where('id', '=', integrationId).where('sync_lease_owner', '=', owner).execute();
  }

  async syncState(integrationId: string) {
    return this.db
      .selectFrom('integrations')
      .select(['delta_cursor', 'last_delta_at', 'last_full_at', 'sync_settings', 'status'])
      .where('id', '=', integrationId)
      .executeTakeFirst();
  }

  /** Saved in the same transaction as the batch it follows, so a crash never skips changes. */
  async saveCursor(integrationId: string, cursor: string, kind: 'delta' | 'full', now: Date): Promise<void> {
    await this.db
      .updateTable('integrations')
      .set({ delta_cursor: cursor, ...(kind === 'full' ? { last_full_at: now } : { last_delta_at: now }) })
      .where('id', '=', integrationId)
      .execute();
  }

  async markRun(integrationId: string, kind: 'delta' | 'full', now: Date): Promise<void> {
    await this.db.updateTable('integrations').set(kind === 'full' ? { last_full_at: now } : { last_delta_at: now }).where('id', '=', integrationId).execute();
  }

  /** The integration's imported (unarchived) classes; only those of `externalIds` when given. */
  async importedClasses(integrationId: string, externalIds?: readonly string[]): Promise<ImportedClass[]> {
    if (externalIds && externalIds.length === 0) return [];
    let query = this.db
      .selectFrom('classes')
      .select(['id', 'external_id', 'name', 'school_id', 'course_name', 'subject', 'period', 'term_name', 'term_start', 'term_end', 'term_external_id'])
      .where('integration_id', '=', integrationId)
      .where('archived_at', 'is', null);
    if (externalIds) query = query.where(sql<boolean>`external_id = any(${externalIds}::text[])`);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      externalId: r.external_id!,
      fields: {
        name: r.name,
        schoolId: r.school_id,
        courseName: r.course_name,
        subject: r.subject,
        period: r.period,
        term: r.term_name || r.term_start || r.term_end ? { name: r.term_name ?? '', startDate: r.term_start, endDate: r.term_end } : null,
        termExternalId: r.term_external_id,
      },
    }));
  }

  async countImportedClasses(integrationId: string): Promise<number> {
    const row = await this.db.selectFrom('classes').select((eb) => eb.fn.countAll<number>().as('n')).where('integration_id', '=', integrationId).where('archived_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Active enrollments of these users in the integration's imported classes. */
  async activeEnrollmentsOfUsersIn(integrationId: string, userIds: readonly string[]): Promise<Pair[]> {
    if (userIds.length === 0) return [];
    const result = await sql<{ class_id: string; user_id: string }>`
      select e.class_id, e.user_id from enrollments e join classes c on c.id = e.class_id
      where e.user_id = any(${uuids(userIds)}) and e.status = 'active' and c.integration_id = ${integrationId} and c.archived_at is null`.execute(this.db);
    return result.rows.map((r) => ({ classId: r.class_id, userId: r.user_id }));
  }

  async activeEnrollments(classIds: readonly string[]): Promise<Pair[]> {
    if (classIds.length === 0) return [];
    const result = await sql<{ class_id: string; user_id: string }>`
      select class_id, user_id from enrollments where class_id = any(${uuids(classIds)}) and status = 'active'`.execute(this.db);
    return result.rows.map((r) => ({ classId: r.class_id, userId: r.user_id }));
  }

  /** Active students per imported class of the integration, and their total (for the removal limits). */
  async activeCounts(integrationId: string, onlyClasses?: readonly string[]): Promise<{ sizes: Map<string, number>; total: number }> {
    if (onlyClasses) {
      // A delta needs the sizes of the few classes it touches and one district-wide count, not
      // a row per class of the whole district.
      const [sizes, total] = await Promise.all([
        sql<{ class_id: string; n: number }>`
          select class_id, count(*)::int as n from enrollments where class_id = any(${[...onlyClasses]}::uuid[]) and status = 'active' group by class_id`.execute(this.db),
        sql<{ n: number }>`
          select count(*)::int as n from enrollments e join classes c on c.id = e.class_id
          where c.integration_id = ${integrationId} and c.archived_at is null and e.status = 'active'`.execute(this.db),
      ]);
      return { sizes: new Map(sizes.rows.map((r) => [r.class_id, r.n] as const)), total: total.rows[0]?.n ?? 0 };
    }
    const result = await sql<{ class_id: string; n: number }>`
      select e.class_id, count(*)::int as n from enrollments e join classes c on c.id = e.class_id
      where c.integration_id = ${integrationId} and c.archived_at is null and e.status = 'active' group by e.class_id`.execute(this.db);
    const sizes = new Map(result.rows.map((r) => [r.class_id, r.n] as const));
    return { sizes, total: result.rows.reduce((n, r) => n + r.n, 0) };
  }

  /** External id → user id for identities already in Rollcall (no accounts are created here). */
  async knownUsers(provider: ProviderKind, tenantKey: string, externalIds: readonly string[], role: 'student' | 'teacher'): Promise<Map<string, string>> {
    if (externalIds.length === 0) return new Map();
    const result = await sql<{ external_id: string; user_id: string }>`
      select i.external_id, i.user_id from identities i join users u on u.id = i.user_id
      where i.provider = ${provider} and i.tenant_key = ${tenantKey} and i.external_id = any(${externalIds}::text[]) and u.role = ${role}`.execute(this.db);
    return new Map(result.rows.map((r) => [r.external_id, r.user_id]));
  }

  /** Updates known students only (a delta must not create accounts for people outside imported classes). */
  async updateKnownStudents(provider: ProviderKind, tenantKey: string, students: readonly { externalId: string; name: string; email: string | null; grade: string | null }[]): Promise<number> {
    if (students.length === 0) return 0;
    const result = await sql<{ n: number }>`
      with input as (
        select * from unnest(${students.map((s) => s.externalId)}::text[], ${students.map((s) => s.name)}::text[],
                             ${students.map((s) => s.email)}::text[], ${students.map((s) => s.grade)}::text[]) as t(external_id, name, email, grade)
      ), changed as (
        update users u set name = input.name, email = input.email, grade = input.grade, updated_at = now()
        from input join identities i on i.provider = ${provider} and i.tenant_key = ${tenantKey} and i.external_id = input.external_id
        where u.id = i.user_id and u.role = 'student'
          and (u.name is distinct from input.name or u.email is distinct from input.email or u.grade is distinct from input.grade)
        returning u.id
      ) select count(*)::int as n from changed`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  /** Enrolls pairs: new ones join, removed ones return intact; records the changes. */
  async enrollMany(pairs: readonly Pair[], runId: string, now: Date): Promise<{ enrolled: number; restored: number }> {
    return this.enrollPairs({ classIds: pairs.map((p) => p.classId), userIds: pairs.map((p) => p.userId) }, runId, now);
  }

  /**
   * One batch of a full reconciliation, in one statement: enrolls the desired
   * pairs that are not active (new ones join, removed ones return intact, each
   * recorded), and reports without applying them the active students who are
   * not desired, with those classes' sizes, and the batch's active enrollments
   * before the run (for the removal limits). Every class given has its whole
   * roster in the pairs: a class without a known roster is never passed.
   * A dry run only counts. Writes nothing when nothing changed.
   */
  async reconcileRosters(
    input: { classIds: readonly string[]; pairClass: readonly string[]; pairUser: readonly string[] },
    runId: string,
    now: Date,
    dryRun: boolean,
  ): Promise<{ enrolled: number; restored: number; wouldEnroll: number; active: number; gone: Pair[]; sizes: Map<string, number> }> {
    const out = { enrolled: 0, restored: 0, wouldEnroll: 0, active: 0, gone: [] as Pair[], sizes: new Map<string, number>() };
    if (input.classIds.length === 0) return out;
    const want = sql`want as (select distinct * from unnest(${uuids(input.pairClass)}, ${uuids(input.pairUser)}) as t(class_id, user_id))`;
    const report = sql`gone as (select class_id, user_id from have except select class_id, user_id from want)
      select 'gone' as kind, class_id, user_id, 0 as n from gone
      union all select 'size', class_id, null, count(*)::int from have where class_id in (select class_id from gone) group by class_id
      union all select 'active', null, null, count(*)::int from have`;
    const result = dryRun
      ? await sql<{ kind: string; class_id: string | null; user_id: string | null; n: number }>`
      with ${want},
      have as (select class_id, user_id from enrollments where class_id = any(${uuids(input.classIds)}) and status = 'active'),
      adds as (select class_id, user_id from want except select class_id, user_id from have),
      ${report}
      union all select 'add', null, null, count(*)::int from adds`.execute(this.db)
      : await sql<{ kind: string; class_id: string | null; user_id: string | null; n: number }>`
      with ${want},
      cur as (select class_id, user_id, status from enrollments where class_id = any(${uuids(input.classIds)})),
      have as (select class_id, user_id from cur where status = 'active'),
      adds as (select class_id, user_id from want except select class_id, user_id from have),
      ${enrollAndRecord(now, runId)}, ${report}
      union all select change, null, null, count(*)::int from changes group by change`.execute(this.db);
    for (const r of result.rows) {
      if (r.kind === 'gone') out.gone.push({ classId: r.class_id!, userId: r.user_id! });
      else if (r.kind === 'size') out.sizes.set(r.class_id!, r.n);
      else if (r.kind === 'active') out.active = r.n;
      else if (r.kind === 'joined') out.enrolled = r.n;
      else if (r.kind === 'returned') out.restored = r.n;
      else if (r.kind === 'add') out.wouldEnroll = r.n;
    }
    return out;
  }

  /**
   * Per class with active students: how many, and two sums over 32-bit slices
   * of their ids (see `rosterSums`): a full run compares them with the provider's
   * roster and sends the pairs of only the classes that differ.
   */
  async activeRosterSums(classIds: readonly string[]): Promise<Map<string, RosterSums>> {
    if (classIds.length === 0) return new Map();
    const result = await sql<{ class_id: string; n: number; a: number; b: number }>`
      select class_id, count(*)::int as n,
             sum(('x' || left(user_id::text, 8))::bit(32)::int)::float8 as a,
             sum(('x' || substr(user_id::text, 25, 8))::bit(32)::int)::float8 as b
      from enrollments where class_id = any(${uuids(classIds)}) and status = 'active' group by class_id`.execute(this.db);
    return new Map(result.rows.map((r) => [r.class_id, { n: r.n, a: Number(r.a), b: Number(r.b) }]));
  }

  /**
   * Enrolls pairs of students this run just resolved (new ones join, removed
   * ones return intact, each recorded). Looks up existing rows by student, so
   * the cost follows the pairs, not the classes they are in.
   */
  async enrollPairs(pairs: { classIds: readonly string[]; userIds: readonly string[] }, runId: string, now: Date): Promise<{ enrolled: number; restored: number }> {
    if (pairs.classIds.length === 0) return { enrolled: 0, restored: 0 };
    const result = await sql<{ change: string; n: number }>`
      with want as (select distinct * from unnest(${uuids(pairs.classIds)}, ${uuids(pairs.userIds)}) as t(class_id, user_id)),
      cur as (select e.class_id, e.user_id, e.status from enrollments e where e.user_id = any(${uuids([...new Set(pairs.userIds)])})),
      adds as (select class_id, user_id from want except select class_id, user_id from cur where status = 'active'),
      ${enrollAndRecord(now, runId)}
      select change, count(*)::int as n from changes group by change`.execute(this.db);
    return { enrolled: result.rows.find((r) => r.change === 'joined')?.n ?? 0, restored: result.rows.find((r) => r.change === 'returned')?.n ?? 0 };
  }

  /**
   * External id → user id and role for identities already in Rollcall, whatever
   * the role, with the stored record's digest (see `studentDigest`) so a full run
   * writes only the students whose record changed.
   */
  async knownIdentities(provider: ProviderKind, tenantKey: string, externalIds: readonly string[]): Promise<{ externalId: string; userId: string; role: string; digest: string }[]> {
    if (externalIds.length === 0) return [];
    const result = await sql<{ external_id: string; user_id: string; role: string; digest: string }>`
      select i.external_id, i.user_id, u.role,
             md5(u.name || chr(31) || coalesce(u.email, chr(30)) || chr(31) || coalesce(u.grade, chr(30))) as digest
      from identities i join users u on u.id = i.user_id
      where i.provider = ${provider} and i.tenant_key = ${tenantKey} and i.external_id = any(${externalIds}::text[])`.execute(this.db);
    return result.rows.map((r) => ({ externalId: r.external_id, userId: r.user_id, role: r.role, digest: r.digest }));
  }

  /** Soft-removes exactly these pairs (if still active); accounts and work stay. */
  async removeMany(pairs: readonly Pair[], reason: string, runId: string, now: Date): Promise<number> {
    if (pairs.length === 0) return 0;
    const result = await sql<{ n: number }>`
      with input as (select * from unnest(${uuids(pairs.map((p) => p.classId))}, ${uuids(pairs.map((p) => p.userId))}) as t(class_id, user_id)),
      gone as (
        update enrollments e set status = 'removed', removed_at = ${now}, removed_reason = ${reason}
        from input where e.class_id = input.class_id and e.user_id = input.user_id and e.status = 'active'
        returning e.class_id, e.user_id
      ), changes as (
        insert into roster_changes (class_id, user_id, change, at, run_id, reason)
        select class_id, user_id, 'left', ${now}, ${runId}, ${reason} from gone returning 1
      ) select count(*)::int as n from changes`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  async updateClassFields(rows: readonly { id: string; fields: SectionFields }[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    const f = rows.map((r) => r.fields);
    await sql`
      update classes c set name = t.name, school_id = coalesce(t.school_id, c.school_id), course_name = t.course_name, subject = t.subject,
        period = t.period, term_name = t.term_name, term_start = t.term_start, term_end = t.term_end, term_external_id = t.term_external_id, updated_at = ${now}
      from unnest(${uuids(rows.map((r) => r.id))}, ${f.map((x) => x.name)}::text[], ${f.map((x) => x.schoolId)}::uuid[], ${f.map((x) => x.courseName)}::text[],
                  ${f.map((x) => x.subject)}::text[], ${f.map((x) => x.period)}::text[], ${f.map((x) => x.term?.name ?? null)}::text[],
                  ${f.map((x) => x.term?.startDate ?? null)}::date[], ${f.map((x) => x.term?.endDate ?? null)}::date[], ${f.map((x) => x.termExternalId)}::text[])
        as t(id, name, school_id, course_name, subject, period, term_name, term_start, term_end, term_external_id)
      where c.id = t.id`.execute(this.db);
  }

  async archiveMany(classIds: readonly string[], reason: string, now: Date): Promise<number> {
    if (classIds.length === 0) return 0;
    const result = await this.db
      .updateTable('classes')
      .set({ archived_at: now, archived_reason: reason, updated_at: now })
      .where('id', 'in', classIds)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Gives the class to teachers the provider added (those who have Rollcall accounts). */
  async addTeachersMany(pairs: readonly Pair[], now: Date): Promise<number> {
    if (pairs.length === 0) return 0;
    const result = await sql<{ n: number }>`
      with up as (
        insert into class_teachers (class_id, user_id, added_at)
        select t.class_id, t.user_id, ${now}::timestamptz from unnest(${uuids(pairs.map((p) => p.classId))}, ${uuids(pairs.map((p) => p.userId))}) as t(class_id, user_id)
        -- Teachers who already have the class are not touched (a no-change run writes nothing).
        where not exists (select 1 from class_teachers ct where ct.class_id = t.class_id and ct.user_id = t.user_id and ct.removed_at is null)
        on conflict (class_id, user_id) do update set removed_at = null where class_teachers.removed_at is not null
        returning 1
      ) select count(*)::int as n from up`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  async classesOfTerm(integrationId: string, termExternalId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('classes').select('id').where('integration_id', '=', integrationId).where('term_external_id', '=', termExternalId).where('archived_at', 'is', null).execute();
    return rows.map((r) => r.id);
  }

  async districtAdminEmails(districtId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('district_admins')
      .innerJoin('users', 'users.id', 'district_admins.user_id')
      .select('users.email')
      .where('district_admins.district_id', '=', districtId)
      .execute();
    return rows.map((r) => r.email).filter((e): e is string => e !== null);
  }
}
