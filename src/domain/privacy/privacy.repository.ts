import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { District } from '../districts/districts.repository.ts';
import { DELETED_STUDENT_NAME, type StudentRecord } from './privacy.types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The SQL behind a district's export and deletion requests about a student. */
export class PrivacyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** By id, or by exact name (case-insensitive); more than one match is the caller's to refuse. */
  async findDistricts(idOrName: string): Promise<District[]> {
    const name = sql<string>`lower(name)`;
    const wanted = idOrName.trim().toLowerCase();
    return this.db
      .selectFrom('districts')
      .select(['id', 'name'])
      .where((eb) => (UUID.test(wanted) ? eb.or([eb('id', '=', wanted), eb(name, '=', wanted)]) : eb(name, '=', wanted)))
      .orderBy('name')
      .execute();
  }

  /**
   * The district's student accounts this key names: a provider id (Clever id or
   * OneRoster sourcedId) of an identity under one of the district's
   * integrations, an email address, or a Rollcall user id. A student is the
   * district's when their account or an identity of theirs belongs to it.
   */
  async findStudents(districtId: string, key: string): Promise<string[]> {
    const result = await sql<{ id: string }>`
      with district_identities as (
        select i.user_id, i.external_id from identities i
        join integrations g on g.provider = i.provider and g.tenant_key = i.tenant_key
        where g.district_id = ${districtId}
      )
      select u.id from users u
      where u.role = 'student'
        and (u.district_id = ${districtId} or u.id in (select user_id from district_identities))
        and (
          u.id in (select user_id from district_identities where external_id = ${key})
          or (u.email is not null and u.email = ${key.trim().toLowerCase()})
          or u.id::text = ${UUID.test(key) ? key.toLowerCase() : ''}
        )
      order by u.created_at, u.id`.execute(this.db);
    return result.rows.map((r) => r.id);
  }

  async record(userId: string): Promise<StudentRecord | undefined> {
    const account = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'grade', 'created_at', 'updated_at', 'last_sign_in_at'])
      .where('id', '=', userId)
      .where('role', '=', 'student')
      .executeTakeFirst();
    if (!account) return undefined;
    const [identities, enrollments, teachers, history, sessions, audit, runs] = await Promise.all([
      this.db.selectFrom('identities').select(['provider', 'tenant_key', 'external_id', 'created_at', 'last_sign_in_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
      this.db
        .selectFrom('enrollments as e')
        .innerJoin('classes as c', 'c.id', 'e.class_id')
        .leftJoin('schools as s', 's.id', 'c.school_id')
        .select(['c.id as class_id', 'c.name as class_name', 'c.source', 's.name as school_name', 'c.term_name', 'c.period', 'c.archived_at', 'e.status', 'e.enrolled_at', 'e.removed_at', 'e.removed_reason'])
        .where('e.user_id', '=', userId)
        .orderBy('c.name')
        .execute(),
      this.db
        .selectFrom('class_teachers as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .innerJoin('enrollments as e', 'e.class_id', 't.class_id')
        .select(['t.class_id', 'u.name'])
        .where('e.user_id', '=', userId)
        .where('t.removed_at', 'is', null)
        .orderBy('u.name')
        .execute(),
      this.db
        .selectFrom('roster_changes as r')
        .innerJoin('classes as c', 'c.id', 'r.class_id')
        .leftJoin('sync_runs as s', 's.id', 'r.run_id')
        .select(['r.at', 'r.class_id', 'c.name as class_name', 'r.change', 's.trigger', 'r.reason'])
        .where('r.user_id', '=', userId)
        .orderBy('r.at')
        .orderBy('r.id')
        .execute(),
      this.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
      this.db
        .selectFrom('audit_events')
        .select(['at', 'action', 'details'])
        .where((eb) => eb.or([eb('actor_user_id', '=', userId), eb('target_id', '=', userId)]))
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('sync_runs')
        .select(['id', 'trigger', 'status', 'started_at'])
        .where(sql<boolean>`details::text like ${`%${userId}%`}`)
        .orderBy('started_at')
        .execute(),
    ]);
    return {
      account: { id: account.id, name: account.name, email: account.email, grade: account.grade, createdAt: account.created_at, updatedAt: account.updated_at, lastSignInAt: account.last_sign_in_at },
      identities: identities.map((i) => ({ provider: i.provider, tenantKey: i.tenant_key, externalId: i.external_id, createdAt: i.created_at, lastSignInAt: i.last_sign_in_at })),
      enrollments: enrollments.map((e) => ({
        classId: e.class_id,
        className: e.class_name,
        source: e.source,
        schoolName: e.school_name,
        term: e.term_name,
        period: e.period,
        teachers: teachers.filter((t) => t.class_id === e.class_id).map((t) => t.name),
        status: e.status,
        enrolledAt: e.enrolled_at,
        removedAt: e.removed_at,
        removedReason: e.removed_reason,
        classArchived: e.archived_at !== null,
      })),
      rosterHistory: history.map((h) => ({ at: h.at, classId: h.class_id, className: h.class_name, change: h.change, trigger: h.trigger, reason: h.reason })),
      sessions: sessions.map((s) => ({ createdAt: s.created_at, expiresAt: s.expires_at })),
      auditEvents: audit.map((a) => ({ at: a.at, action: a.action, details: a.details ?? {} })),
      syncRuns: runs.map((r) => ({ id: r.id, trigger: r.trigger, status: r.status, startedAt: r.started_at })),
    };
  }

  /**
   * Removes a student's personal data and keeps the rest: the account stays
   * (renamed, no email or grade) so enrollments, class counts and roster
   * history keep pointing at it; identities go, so a future sign-in or sync
   * creates a fresh account; sessions and one-time links end.
   */
  async anonymise(userId: string, now: Date): Promise<{ identitiesRemoved: number; sessionsEnded: number; enrollmentsKept: number; historyKept: number }> {
    await this.db
      .updateTable('users')
      .set({ name: DELETED_STUDENT_NAME, email: null, grade: null, email_verified_at: null, last_sign_in_at: null, updated_at: now })
      .where('id', '=', userId)
      .where('role', '=', 'student')
      .execute();
    const identities = await this.db.deleteFrom('identities').where('user_id', '=', userId).executeTakeFirst();
    const sessions = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    await this.db.deleteFrom('email_tokens').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('auth_flows').where('user_id', '=', userId).execute();
    const count = async (table: 'enrollments' | 'roster_changes') =>
      Number((await this.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);
    return {
      identitiesRemoved: Number(identities.numDeletedRows),
      sessionsEnded: Number(sessions.numDeletedRows),
      enrollmentsKept: await count('enrollments'),
      historyKept: await count('roster_changes'),
    };
  }
}
