import type { Store } from '../db/store.ts';
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { Actor } from '../domain/accounts/accounts.types.ts';
import type { OperatorContext } from '../domain/districts/operator.service.ts';
import type { SyncEngine, SyncKind, SyncResult } from './sync-engine.ts';
import type { Pair } from './sync.repository.ts';

export interface SyncSettings {
  /** Minutes between delta syncs. */
  readonly deltaMinutes: number;
  /** Hour of day (UTC) of the nightly full reconciliation. */
  readonly fullHourUtc: number;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = { deltaMinutes: 5, fullHourUtc: 7 };

const canManage = (ctx: OperatorContext, districtId: string) => 'kind' in ctx || ctx.isOperator || ctx.districtAdminOf.some((d) => d.id === districtId);

/** Scheduling, on-demand runs and held-run decisions around the sync engine. */
export class SyncService {
  constructor(private readonly deps: { store: Store; clock: Clock; engine: SyncEngine }) {}

  /** Queues a sync; one per integration can wait and one run (singleton key + lease). */
  async enqueue(ctx: OperatorContext, integrationId: string, kind: SyncKind, trigger: 'delta' | 'full' | 'schedule' | 'sync_now'): Promise<void> {
    const integration = await this.deps.store.integrations.findById(integrationId);
    if (!integration || !canManage(ctx, integration.districtId)) throw notFound('Integration');
    if (integration.status === 'disabled') throw new AppError('conflict', 'This integration is disabled.');
    await this.deps.store.enqueue('sync.integration', { integrationId, kind, trigger, requestedBy: 'kind' in ctx ? null : ctx.user.id }, { singletonKey: integrationId });
  }

  /** Called every minute: queues the delta and nightly full syncs that are due. */
  async tick(): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    let queued = 0;
    for (const integration of await store.integrations.list()) {
      if (integration.status !== 'active') continue;
      const state = await store.sync.syncState(integration.id);
      const settings = { ...DEFAULT_SYNC_SETTINGS, ...((state?.sync_settings ?? {}) as Partial<SyncSettings>) };
      const fullDue = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), settings.fullHourUtc));
      const needsFull = now >= fullDue && (!state?.last_full_at || state.last_full_at < fullDue);
      const needsDelta = !state?.last_delta_at || now.getTime() - state.last_delta_at.getTime() >= settings.deltaMinutes * 60_000;
      if (!needsFull && !needsDelta) continue;
      await store.enqueue('sync.integration', { integrationId: integration.id, kind: needsFull ? 'full' : 'delta', trigger: 'schedule' }, { singletonKey: integration.id });
      queued++;
    }
    return queued;
  }

  async runJob(payload: { integrationId: string; kind: SyncKind; trigger: 'delta' | 'full' | 'schedule' | 'sync_now'; requestedBy?: string | null }): Promise<SyncResult> {
    const result = await this.deps.engine.run(payload.integrationId, { kind: payload.kind, trigger: payload.trigger, requestedBy: payload.requestedBy ?? null });
    // Transient provider trouble: let the queue retry with backoff.
    if (result.retryable) throw new Error(result.error ?? 'provider unavailable');
    return result;
  }

  private async loadHeld(actor: Actor, runId: string) {
    const { store } = this.deps;
    const run = await store.syncRuns.findById(runId);
    const integration = run?.integrationId ? await store.integrations.findById(run.integrationId) : undefined;
    if (!run || !integration || !canManage(actor, integration.districtId)) throw notFound('Sync run');
    if (!actor.isOperator && !actor.districtAdminOf.some((d) => d.id === integration.districtId)) throw forbidden('Only the district’s administrators can decide on held syncs.');
    if (run.status !== 'held') throw new AppError('conflict', `This sync is ${run.status}, not waiting for a decision.`);
    return { run, integration };
  }

  /** Applies the held removals and archives (those still pending), and records who decided. */
  async approve(actor: Actor, runId: string): Promise<{ removed: number; archived: number }> {
    const { run, integration } = await this.loadHeld(actor, runId);
    const { store, clock } = this.deps;
    const pairs = (run.details.pendingRemovals as Pair[] | undefined) ?? [];
    const archives = (run.details.pendingArchives as string[] | undefined) ?? [];
    return store.transaction(async (tx) => {
      const now = clock.now();
      const removed = await tx.sync.removeMany(pairs, 'No longer in the section at the rostering service (approved after a hold)', runId, now);
      const archived = await tx.sync.archiveMany(archives, 'The section is no longer shared by the rostering service (approved after a hold)', now);
      await tx.syncRuns.decide(runId, 'approved', actor.user.id, now);
      await tx.audit.record({ actorUserId: actor.user.id, districtId: integration.districtId, action: 'sync.hold_approved', targetType: 'sync_run', targetId: runId, details: { removed, archived } });
      return { removed, archived };
    });
  }

  async reject(actor: Actor, runId: string): Promise<void> {
    const { integration } = await this.loadHeld(actor, runId);
    const { store, clock } = this.deps;
    await store.transaction(async (tx) => {
      await tx.syncRuns.decide(runId, 'rejected', actor.user.id, clock.now());
      await tx.audit.record({ actorUserId: actor.user.id, districtId: integration.districtId, action: 'sync.hold_rejected', targetType: 'sync_run', targetId: runId });
    });
  }

  /** The run as an administrator reviews it: pending removals with class and student names. */
  async describe(actor: Actor, runId: string) {
    const { store } = this.deps;
    const run = await store.syncRuns.findById(runId);
    const integration = run?.integrationId ? await store.integrations.findById(run.integrationId) : undefined;
    if (!run || !integration || !canManage(actor, integration.districtId)) throw notFound('Sync run');
    const pairs = ((run.details.pendingRemovals as Pair[] | undefined) ?? []).slice(0, 5000);
    const names = await store.syncRuns.pairNames(pairs);
    return { run, integration, pendingRemovals: names };
  }
}
