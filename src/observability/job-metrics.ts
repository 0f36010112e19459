import type { Store } from '../db/store.ts';
import type { JobHandler, JobHandlers } from '../jobs/queue.ts';
import type { JobName } from '../jobs/job-names.ts';
import type { Metrics } from './metrics.ts';

/** Rows a run wrote, from its recorded counts (the keys imports and syncs record). */
export function rowsOf(counts: Record<string, number>): number {
  const keys = ['created', 'updated', 'enrolled', 'removed', 'restored', 'archived'];
  const written = keys.reduce((n, k) => n + (Number(counts[k]) || 0), 0);
  return written > 0 ? written : Number(counts.students) || 0;
}

/**
 * Times every job handler (jobs by queue and outcome), and reports a
 * background import as a sync run from its run record once it ends, so the
 * handlers themselves stay free of metrics.
 */
export function instrumentJobHandlers(handlers: JobHandlers, deps: { metrics: Metrics; store: Store }): JobHandlers {
  const wrapped = {} as Record<JobName, JobHandler<JobName>>;
  for (const name of Object.keys(handlers) as JobName[]) {
    const handler = handlers[name] as JobHandler<JobName>;
    wrapped[name] = async (payload, meta) => {
      const started = performance.now();
      let outcome: 'completed' | 'failed' = 'failed';
      try {
        await handler(payload, meta);
        outcome = 'completed';
      } finally {
        deps.metrics.recordJob({ queue: name, outcome, seconds: (performance.now() - started) / 1000 });
        if (name === 'rostering.import') await recordImportRun(deps, (payload as { runId: string }).runId);
      }
    };
  }
  return wrapped as JobHandlers;
}

async function recordImportRun(deps: { metrics: Metrics; store: Store }, runId: string): Promise<void> {
  const run = await deps.store.syncRuns.findById(runId).catch(() => undefined);
  if (!run || !run.finishedAt) return;
  deps.metrics.recordSyncRun({
    trigger: run.trigger,
    outcome: run.status,
    seconds: (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
    rows: rowsOf(run.counts),
  });
}
