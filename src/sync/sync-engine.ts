import { randomUUID } from 'node:crypto';
import type { Store } from '../db/store.ts';
import type { SyncTrigger } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { ProviderError } from '../providers/roster-provider.ts';
import type { IntegrationsService } from '../domain/integrations/integrations.service.ts';
import { explainProviderError } from '../domain/integrations/provider-errors.ts';
import { runDelta } from './delta-sync.ts';
import { fullSync } from './full-sync.ts';
import type { RunContext } from './sync-steps.ts';
import { DEFAULT_LIMITS, type SafetyLimits } from './plan.ts';
import type { Pair } from './sync.repository.ts';

export type SyncKind = 'delta' | 'full';

export interface SyncOptions {
  readonly kind: SyncKind;
  readonly trigger: SyncTrigger;
  readonly requestedBy?: string | null;
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: { phase: string; done: number; total?: number }) => void;
}

export interface SyncCounts {
  [key: string]: number;
}

export interface SyncResult {
  readonly runId: string | null;
  readonly status: 'succeeded' | 'held' | 'failed' | 'skipped';
  readonly kind: SyncKind;
  readonly counts: SyncCounts;
  readonly warnings: string[];
  readonly error?: string;
  /** Transient provider trouble: the job should be retried with backoff. */
  readonly retryable?: boolean;
}

/** Metrics hook (the composition root wires Prometheus to it). */
export interface SyncObserver {
  runFinished(result: { trigger: SyncTrigger; kind: SyncKind; outcome: string; seconds: number; rows: number }): void;
}

export interface SyncDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly integrations: IntegrationsService;
  readonly logger: Logger;
  readonly limits?: SafetyLimits;
  /** Classes per write transaction, and students per upsert statement. */
  readonly classBatch?: number;
  readonly studentBatch?: number;
  readonly leaseMs?: number;
  readonly observer?: SyncObserver;
}

/**
 * The sync engine: fetch → map → diff → apply, in short set-based
 * transactions, under a per-integration lease so one integration never syncs
 * twice at once. Departures are soft removals; an unusual share of them is
 * held for approval; the change cursor is saved with the batch it follows.
 */
export class SyncEngine {
  constructor(private readonly deps: SyncDeps) {}

  async run(integrationId: string, options: SyncOptions): Promise<SyncResult> {
    const { store, clock, logger } = this.deps;
    // One owner per run: two runs in one process must exclude each other too.
    const owner = `${process.pid}:${randomUUID()}`;
    const integration = await store.integrations.findById(integrationId);
    const zero = { runId: null, counts: {}, warnings: [] as string[], kind: options.kind };
    if (!integration || integration.status === 'disabled') return { ...zero, status: 'skipped', error: 'The integration is missing or disabled.' };
    const leaseMs = this.deps.leaseMs ?? 5 * 60_000;
    if (!(await store.sync.acquireLease(integrationId, owner, clock.now(), leaseMs))) {
      return { ...zero, status: 'skipped', error: 'Another sync of this integration is running.' };
    }
    const started = clock.now();
    // Holding the lease means no other sync of this integration is alive: a run still marked
    // 'running' was cut off mid-way. Its committed batches stay; this run resumes after them.
    const interrupted = await store.syncRuns.failInterruptedSyncs(integrationId, 'Interrupted: the process running it stopped. The next run resumed from its last committed batch.', started);
    if (interrupted > 0) logger.warn({ integrationId, interrupted }, 'closed sync runs whose process stopped');
    const state = await store.sync.syncState(integrationId);
    const kind: SyncKind = options.kind === 'delta' && (state?.delta_cursor ?? null) === null ? 'full' : options.kind;
    const runId = await store.syncRuns.create({ integrationId, classId: null, requestedBy: options.requestedBy ?? null, trigger: options.trigger, status: 'running', details: { kind, dryRun: !!options.dryRun } }, started);
    const log = logger.child({ syncRunId: runId, integrationId, kind });
    // The lease is renewed between pages and batches, but at most every quarter of its length: one write, not one per page.
    let renewedAt = clock.now().getTime();
    const ctx: RunContext = {
      deps: this.deps,
      integration,
      provider: await this.deps.integrations.provider(integration),
      runId,
      options: { ...options, kind },
      warnings: [],
      counts: {},
      limits: this.deps.limits ?? DEFAULT_LIMITS,
      renew: async () => {
        const now = clock.now();
        if (now.getTime() - renewedAt < leaseMs / 4) return;
        renewedAt = now.getTime();
        await store.sync.acquireLease(integrationId, owner, now, leaseMs);
      },
    };
    let result: SyncResult;
    try {
      let held: { pendingRemovals: Pair[]; pendingArchives: string[]; reasons: string[] };
      try {
        held = kind === 'full' ? await fullSync(ctx) : await runDelta(ctx, state!.delta_cursor!);
      } catch (error) {
        // An event cursor older than the feed's window: start again from a full reconciliation.
        if (kind === 'delta' && error instanceof ProviderError && error.kind === 'not_found') {
          ctx.warnings.push('The change feed no longer reaches back to the saved cursor: ran a full reconciliation instead.');
          held = await fullSync(ctx);
        } else throw error;
      }
      const isHeld = held.pendingRemovals.length > 0 || held.pendingArchives.length > 0;
      ctx.counts.held = held.pendingRemovals.length + held.pendingArchives.length;
      const status = options.dryRun ? 'succeeded' : isHeld ? 'held' : 'succeeded';
      await store.syncRuns.finish(runId, { status, counts: ctx.counts, warnings: ctx.warnings, details: { kind, dryRun: !!options.dryRun, ...held } }, clock.now());
      if (isHeld && !options.dryRun) await store.enqueue('email.sync-held', { runId });
      result = { runId, status, kind, counts: ctx.counts, warnings: ctx.warnings };
      log.info({ status, counts: ctx.counts, warnings: ctx.warnings.length }, 'sync finished');
    } catch (error) {
      const message = error instanceof ProviderError ? explainProviderError(error) : 'The sync failed unexpectedly; nothing after the last completed batch was changed.';
      if (error instanceof ProviderError && error.kind === 'auth') await store.integrations.setStatus(integrationId, 'needs_attention', message, clock.now());
      await store.syncRuns.finish(runId, { status: 'failed', counts: ctx.counts, warnings: ctx.warnings, error: message }, clock.now());
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'sync failed');
      if (!(error instanceof ProviderError)) {
        await store.sync.releaseLease(integrationId, owner);
        throw error;
      }
      result = { runId, status: 'failed', kind, counts: ctx.counts, warnings: ctx.warnings, error: message, retryable: error.kind === 'unavailable' || error.kind === 'rate_limited' };
    } finally {
      await store.sync.releaseLease(integrationId, owner);
    }
    const rows = ['created', 'updated', 'enrolled', 'restored', 'removed', 'archived'].reduce((n, k) => n + (result.counts[k] ?? 0), 0);
    this.deps.observer?.runFinished({ trigger: options.trigger, kind, outcome: result.status, seconds: (clock.now().getTime() - started.getTime()) / 1000, rows });
    return result;
  }
}
