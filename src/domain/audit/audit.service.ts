import type { Store } from '../../db/store.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import { districtPolicy } from '../diagnostics/diagnostics.policy.ts';
import { describeAuditEvent } from './audit-text.ts';
import type { AuditEntry } from './audit.repository.ts';

export interface AuditLine extends AuditEntry {
  readonly summary: string;
}

/** The audit log for operators (any district, or all) and district administrators (their own district). */
export class AuditService {
  constructor(private readonly deps: { store: Store }) {}

  async list(actor: Actor, filter: { districtId?: string; before?: string; limit?: number }): Promise<AuditLine[]> {
    if (!filter.districtId && !actor.isOperator) throw validationError('districtId', 'Choose a district.');
    if (filter.districtId && !districtPolicy.canView(actor, filter.districtId)) throw notFound('District');
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
    const entries = await this.deps.store.audit.entries({ districtId: filter.districtId, before: filter.before, limit });
    return entries.map((e) => ({ ...e, summary: describeAuditEvent(e.action, e.details) }));
  }
}
