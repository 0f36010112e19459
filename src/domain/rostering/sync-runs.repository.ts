import type { Kysely } from 'kysely';
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
}
