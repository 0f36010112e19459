import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface AuditEvent {
  readonly actorUserId: string | null;
  readonly districtId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  /** Ids and counts only: no names or emails of students. */
  readonly details?: Record<string, unknown>;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async record(event: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        actor_user_id: event.actorUserId,
        district_id: event.districtId,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        details: JSON.stringify(event.details ?? {}),
      })
      .execute();
  }

  async list(filter: { districtId?: string; limit?: number } = {}) {
    let query = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
    if (filter.districtId) query = query.where('district_id', '=', filter.districtId);
    return query.execute();
  }
}
