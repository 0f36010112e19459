import { sql, type Kysely } from 'kysely';
import type { DB, SyncStatus, SyncTrigger } from '../../db/schema.ts';

export interface SyncRun {
  readonly id: string;
  readonly integrationId: string | null;
  readonly classId: string | null;
  readonly requestedBy: string | null;
  readonly trigger: SyncTrigger;
  readonly status: SyncStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly progressDone: number;
  readonly progressTotal: number;
  readonly counts: Record<string, number>;
  readonly warnings: string[];
  readonly error: string | null;
  readonly details: Record<string, unknown>;
}

export class SyncRunsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(input: { integrationId: string | null; classId: string | null; requestedBy: string | null; trigger: SyncTrigger; status: SyncStatus; total?: number; details?: Record<string, unknown> }, now: Date): Promise<string> {
    const row = await this.db
      .insertInto('sync_runs')
      .values({
        integration_id: input.integrationId,
        class_id: input.classId,
        requested_by: input.requestedBy,
        trigger: input.trigger,
        status: input.status,
        started_at: now,
        progress_total: input.total ?? 0,
        details: JSON.stringify(input.details ?? {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async progress(id: string, done: number, status: SyncStatus = 'running'): Promise<void> {
    await this.db.updateTable('sync_runs').set({ progress_done: done, status }).where('id', '=', id).execute();
  }

  /**
   * Called by the holder of an integration's sync lease: any other integration sync still
   * 'running' lost its process (kill -9, lost machine) and will never finish on its own.
   */
  async failInterruptedSyncs(integrationId: string, error: string, now: Date): Promise<number> {
    const result = await this.db
      .updateTable('sync_runs')
      .set({ status: 'failed', finished_at: now, error })
      .where('integration_id', '=', integrationId)
      .where('class_id', 'is', null)
      .where('trigger', '<>', 'import')
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async finish(
    id: string,
    result: { status: SyncStatus; counts: Record<string, number>; warnings?: string[]; error?: string | null; details?: Record<string, unknown>; classId?: string | null },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('sync_runs')
      .set({
        status: result.status,
        finished_at: now,
        counts: JSON.stringify(result.counts),
        warnings: JSON.stringify((result.warnings ?? []).slice(0, 500)),
        error: result.error ?? null,
        ...(result.details ? { details: JSON.stringify(result.details) } : {}),
        ...(result.classId !== undefined ? { class_id: result.classId } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async findById(id: string): Promise<SyncRun | undefined> {
    const r = await this.db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      r && {
        id: r.id,
        integrationId: r.integration_id,
        classId: r.class_id,
        requestedBy: r.requested_by,
        trigger: r.trigger,
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        progressDone: r.progress_done,
        progressTotal: r.progress_total,
        counts: r.counts,
        warnings: r.warnings,
        error: r.error,
        details: r.details,
      }
    );
  }

  async decide(id: string, status: 'approved' | 'rejected', userId: string, now: Date): Promise<void> {
    await this.db.updateTable('sync_runs').set({ status, decided_by: userId, decided_at: now }).where('id', '=', id).where('status', '=', 'held').execute();
  }

  async listForIntegration(integrationId: string, limit = 50): Promise<SyncRun[]> {
    const rows = await this.db.selectFrom('sync_runs').select('id').where('integration_id', '=', integrationId).where('class_id', 'is', null).orderBy('started_at', 'desc').limit(limit).execute();
    return (await Promise.all(rows.map((r) => this.findById(r.id)))).filter((r): r is SyncRun => r !== undefined);
  }

  /** Class and student names for pending removals (shown to district admins, never logged). */
  async pairNames(pairs: readonly { classId: string; userId: string }[]) {
    if (pairs.length === 0) return [];
    const rows = await sql<{ class_id: string; class_name: string; user_id: string; student_name: string }>`
      select t.class_id, c.name as class_name, t.user_id, u.name as student_name
      from unnest(${pairs.map((p) => p.classId)}::uuid[], ${pairs.map((p) => p.userId)}::uuid[]) as t(class_id, user_id)
      join classes c on c.id = t.class_id join users u on u.id = t.user_id
      order by c.name, u.name`.execute(this.db);
    return rows.rows.map((r) => ({ classId: r.class_id, className: r.class_name, userId: r.user_id, studentName: r.student_name }));
  }
}
