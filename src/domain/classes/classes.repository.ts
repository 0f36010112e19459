import { sql, type Kysely, type Selectable } from 'kysely';
import type { ClassesTable, DB } from '../../db/schema.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
import type { ClassRecord, ClassSummary, SectionFields } from './classes.types.ts';

type Row = Selectable<ClassesTable> & { school_name: string | null; synced_at: Date | null };

const toClass = (r: Row): ClassRecord => ({
  id: r.id,
  name: r.name,
  source: r.source,
  districtId: r.district_id,
  integrationId: r.integration_id,
  externalId: r.external_id,
  schoolId: r.school_id,
  schoolName: r.school_name,
  courseName: r.course_name,
  subject: r.subject,
  period: r.period,
  term: r.term_name || r.term_start || r.term_end ? { name: r.term_name ?? '', startDate: r.term_start, endDate: r.term_end } : null,
  lastSyncedAt: r.synced_at,
  archivedAt: r.archived_at,
  archivedReason: r.archived_reason,
});

export class ClassesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * A class's "last synced": every successful run of its integration, full or
   * delta, brought all of its imported classes up to date, so the runs stamp
   * the integration once instead of every class (22,000 row updates a night
   * in a district of 100,000). Per-class stamps remain for an import and a
   * class's own Sync now; an archived class keeps the time it last had.
   */
  private query() {
    return this.db
      .selectFrom('classes')
      .leftJoin('schools', 'schools.id', 'classes.school_id')
      .leftJoin('integrations', 'integrations.id', 'classes.integration_id')
      .selectAll('classes')
      .select('schools.name as school_name')
      .select(
        sql<Date | null>`case when classes.archived_at is null then greatest(classes.last_synced_at, integrations.last_full_at, integrations.last_delta_at) else classes.last_synced_at end`.as(
          'synced_at',
        ),
      );
  }

  async findById(id: string): Promise<ClassRecord | undefined> {
    const row = await this.query().where('classes.id', '=', id).executeTakeFirst();
    return row && toClass(row);
  }

  /** Classes already made from these sections (archived ones too: a re-import restores them). */
  async findBySections(integrationId: string, externalIds: readonly string[]): Promise<ClassRecord[]> {
    if (externalIds.length === 0) return [];
    const rows = await this.query().where('classes.integration_id', '=', integrationId).where('classes.external_id', 'in', externalIds).execute();
    return rows.map(toClass);
  }

  async createManual(input: { name: string; createdBy: string; districtId: string | null }, now: Date): Promise<string> {
    const row = await this.db
      .insertInto('classes')
      .values({ name: input.name, source: 'manual', created_by: input.createdBy, district_id: input.districtId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Creates the class for a section, or finds the one that exists (any tab,
   * any co-teacher, any process), refreshing its metadata and restoring it if
   * it was removed. The unique index on (integration, section) makes this safe.
   */
  async upsertFromSection(
    input: { integrationId: string; externalId: string; districtId: string; source: 'clever' | 'classlink'; createdBy: string | null; fields: SectionFields },
    now: Date,
  ): Promise<{ id: string; created: boolean; restored: boolean }> {
    const f = input.fields;
    const result = await sql<{ id: string; created: boolean; restored: boolean }>`
      with previous as (
        select id, archived_at from classes where integration_id = ${input.integrationId} and external_id = ${input.externalId}
      ), upserted as (
        insert into classes (name, source, district_id, integration_id, external_id, school_id, course_name, subject, period,
                             term_name, term_start, term_end, term_external_id, created_by, created_at, updated_at)
        values (${f.name}, ${input.source}, ${input.districtId}, ${input.integrationId}, ${input.externalId}, ${f.schoolId},
                ${f.courseName}, ${f.subject}, ${f.period}, ${f.term?.name ?? null}, ${f.term?.startDate ?? null}::date,
                ${f.term?.endDate ?? null}::date, ${f.termExternalId}, ${input.createdBy}, ${now}, ${now})
        on conflict (integration_id, external_id) where integration_id is not null do update set
          name = excluded.name, school_id = coalesce(excluded.school_id, classes.school_id), course_name = excluded.course_name,
          subject = excluded.subject, period = excluded.period, term_name = excluded.term_name, term_start = excluded.term_start,
          term_end = excluded.term_end, term_external_id = excluded.term_external_id, updated_at = excluded.updated_at,
          archived_at = null, archived_reason = null
        returning id, (xmax = 0) as inserted
      )
      select upserted.id,
             upserted.inserted as created,
             coalesce((select archived_at is not null from previous), false) as restored
      from upserted`.execute(this.db);
    return result.rows[0]!;
  }

  async updateSectionFields(classId: string, f: SectionFields, now: Date): Promise<void> {
    await this.db
      .updateTable('classes')
      .set({
        name: f.name,
        school_id: f.schoolId,
        course_name: f.courseName,
        subject: f.subject,
        period: f.period,
        term_name: f.term?.name ?? null,
        term_start: f.term?.startDate ?? null,
        term_end: f.term?.endDate ?? null,
        term_external_id: f.termExternalId,
        updated_at: now,
      })
      .where('id', '=', classId)
      .execute();
  }

  async markSynced(classIds: readonly string[], now: Date): Promise<void> {
    if (classIds.length === 0) return;
    await this.db.updateTable('classes').set({ last_synced_at: now }).where('id', 'in', classIds).execute();
  }

  async archive(classId: string, reason: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('classes')
      .set({ archived_at: now, archived_reason: reason, updated_at: now })
      .where('id', '=', classId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Adds (or brings back) a teacher; true when they were not already teaching it. */
  async addTeacher(classId: string, userId: string, now: Date): Promise<boolean> {
    const result = await sql<{ user_id: string }>`
      insert into class_teachers (class_id, user_id, added_at) values (${classId}, ${userId}, ${now})
      on conflict (class_id, user_id) do update set removed_at = null, added_at = excluded.added_at
        where class_teachers.removed_at is not null
      returning user_id`.execute(this.db);
    return result.rows.length === 1;
  }

  async isTeacher(classId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('class_teachers')
      .select('user_id')
      .where('class_id', '=', classId)
      .where('user_id', '=', userId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async teachersOf(classIds: readonly string[]): Promise<{ classId: string; id: string; name: string }[]> {
    if (classIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('class_teachers')
      .innerJoin('users', 'users.id', 'class_teachers.user_id')
      .select(['class_teachers.class_id', 'users.id', 'users.name'])
      .where('class_teachers.class_id', 'in', classIds)
      .where('class_teachers.removed_at', 'is', null)
      .orderBy('class_teachers.added_at')
      .execute();
    return rows.map((r) => ({ classId: r.class_id, id: r.id, name: r.name }));
  }

  /**
   * Classes with their current teachers and, unless `sizes` is false, their
   * active student count, in one statement (My Classes is read on every
   * visit, and by every student at 8:00).
   */
  private summaryQuery(sizes: boolean) {
    return this.query().select([
      sizes ? sql<number | null>`(select count(*)::int from enrollments e where e.class_id = classes.id and e.status = 'active')`.as('student_count') : sql<number | null>`null::int`.as('student_count'),
      sql<{ id: string; name: string }[] | null>`(select json_agg(json_build_object('id', u.id, 'name', u.name) order by ct.added_at)
        from class_teachers ct join users u on u.id = ct.user_id where ct.class_id = classes.id and ct.removed_at is null)`.as('teacher_list'),
    ]);
  }

  private static toSummary(r: Row & { student_count: number | null; teacher_list: { id: string; name: string }[] | null }): ClassSummary {
    return { ...toClass(r), studentCount: r.student_count, teachers: r.teacher_list ?? [] };
  }

  async listForTeacher(userId: string): Promise<ClassSummary[]> {
    const { rows } = await executePrepared(
      this.db,
      this.summaryQuery(true)
        .innerJoin('class_teachers', 'class_teachers.class_id', 'classes.id')
        .where('class_teachers.user_id', '=', userId)
        .where('class_teachers.removed_at', 'is', null)
        .where('classes.archived_at', 'is', null)
        .orderBy('classes.name')
        .compile(),
    );
    return rows.map(ClassesRepository.toSummary);
  }

  /**
   * A student's active classes. A student's own My Classes shows names and
   * teachers, not class sizes (`sizes: false`: nothing a child's page does
   * not show leaves the database, and the 8:00 storm skips a count per class);
   * support staff looking at the student see the sizes.
   */
  async listForStudent(userId: string, options: { sizes: boolean }): Promise<ClassSummary[]> {
    const { rows } = await executePrepared(
      this.db,
      this.summaryQuery(options.sizes)
        .innerJoin('enrollments', 'enrollments.class_id', 'classes.id')
        .where('enrollments.user_id', '=', userId)
        .where('enrollments.status', '=', 'active')
        .where('classes.archived_at', 'is', null)
        .orderBy('classes.name')
        .compile(),
    );
    return rows.map(ClassesRepository.toSummary);
  }
}
