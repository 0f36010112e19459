import type { PgBoss } from 'pg-boss';
import type { QueueSnapshot } from './metrics.ts';

/**
 * Reads each queue's counts from pg-boss (`getQueueStats` with `force`: pg-boss
 * recomputes them at most once a minute across all callers, so counts may lag
 * by up to 60 s) and the age of its oldest waiting job (`findJobs`, oldest
 * first, one row: an index read). The metrics module caches the result for a
 * few seconds, so a scrape costs at most two small queries per queue.
 */
export function pgBossQueueSource(boss: PgBoss, names: () => readonly string[], now: () => number = Date.now): () => Promise<readonly QueueSnapshot[]> {
  return async () =>
    Promise.all(
      names().map(async (queue): Promise<QueueSnapshot> => {
        const [stats] = await boss.getQueueStats(queue, { force: true });
        const [oldest] = await boss.findJobs(queue, { queued: true, limit: 1 });
        const oldestSeconds = oldest ? Math.max(0, (now() - new Date(oldest.createdOn).getTime()) / 1000) : null;
        return {
          queue,
          queued: stats?.queuedCount ?? 0,
          active: stats?.activeCount ?? 0,
          failed: stats?.failedCount ?? 0,
          oldestSeconds,
        };
      }),
    );
}
