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

  /** The log as the consoles read it: newest first, with who acted and in which district; `before` pages back by id. */
  async entries(filter: { districtId?: string; before?: string; limit: number }): Promise<AuditEntry[]> {
    let query = this.db
      .selectFrom('audit_events as a')
      .leftJoin('users as u', 'u.id', 'a.actor_user_id')
      .leftJoin('districts as d', 'd.id', 'a.district_id')
      .select(['a.id', 'a.at', 'a.actor_user_id', 'u.name as actor_name', 'a.district_id', 'd.name as district_name', 'a.action', 'a.target_type', 'a.target_id', 'a.details'])
      .orderBy('a.id', 'desc')
      .limit(filter.limit);
    if (filter.districtId) query = query.where('a.district_id', '=', filter.districtId);
    if (filter.before) query = query.where('a.id', '<', filter.before);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      actorUserId: r.actor_user_id,
      actorName: r.actor_name,
      districtId: r.district_id,
      districtName: r.district_name,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details ?? {},
    }));
  }
}

export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly actorUserId: string | null;
  readonly actorName: string | null;
  readonly districtId: string | null;
  readonly districtName: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details: Record<string, unknown>;
}
