import { PgBoss, fromKysely, fromPglite } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';
import { jobNames, type JobName, type JobPayloads } from './job-names.ts';

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], meta: { id: string; attempt: number }) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** The executor a transaction hands to pg-boss so a job commits with the write that needs it. */
export type QueueExecutor = Parameters<typeof fromKysely>[0];

export interface Queue {
  readonly boss: PgBoss;
  send<N extends JobName>(name: N, payload: JobPayloads[N], options?: { within?: QueueExecutor; singletonKey?: string }): Promise<string | null>;
  /** Start polling workers for every job; returns when registered. */
  work(handlers: JobHandlers, logger: Logger): Promise<void>;
  /** Runs every job that is due right now, in this process, then returns (tests, CLI). */
  drain(handlers: JobHandlers, logger: Logger): Promise<number>;
  /**
   * Shutdown, first half: stop fetching new jobs and wait up to `graceMs` for the
   * jobs running in this process to finish (sending jobs still works, so in-flight
   * requests can enqueue). Resolves true if they all finished in time.
   */
  stopWorkers(graceMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Per-queue policy. Syncs are `stately` with the integration as singleton key:
 * at most one waiting and one running per integration, across every worker.
 */
function queueOptions(name: JobName) {
  // Every queue NOTIFYs on insert: a worker picks a background import up at once instead of at
  // its next poll (polling stays as the fallback, e.g. behind a transaction-mode PgBouncer).
  return { ...policyOf(name), notify: true };
}

function policyOf(name: JobName) {
  // Heartbeats: a sync or large import whose worker died (kill -9, lost machine) is retried by
  // another worker (or the restarted one) within seconds instead of waiting for the long expiry.
  if (name === 'sync.integration') return { policy: 'stately' as const, retryLimit: 4, retryDelay: 5, retryBackoff: true, expireInSeconds: 3600, heartbeatSeconds: heartbeatSeconds() };
  if (name === 'sync.tick') return { policy: 'stately' as const, retryLimit: 0, expireInSeconds: 120 };
  if (name === 'maintenance.purge') return { policy: 'stately' as const, retryLimit: 0, expireInSeconds: 600 };
  // An import whose retries are spent (its worker killed each time) lands in its dead letter queue,
  // whose handler ends the run: it must not show 'running' forever.
  if (name === 'rostering.import') return { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: heartbeatSeconds(), deadLetter: 'rostering.import-failed' };
  return { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 };
}

const intEnv = (name: string, fallback: number, min: number) => Math.max(min, Number.parseInt(process.env[name] ?? '', 10) || fallback);
/** ROLLCALL_JOB_HEARTBEAT_SECONDS (≥ 10, pg-boss's minimum) and ROLLCALL_QUEUE_SUPERVISE_SECONDS. */
const heartbeatSeconds = () => intEnv('ROLLCALL_JOB_HEARTBEAT_SECONDS', 30, 10);
const superviseSeconds = () => intEnv('ROLLCALL_QUEUE_SUPERVISE_SECONDS', 60, 1);
/** pg-boss fails expired and heartbeat-lost jobs on its monitor timer (60 s by default), not the supervise one. */
const supervision = () => ({ superviseIntervalSeconds: superviseSeconds(), monitorIntervalSeconds: superviseSeconds() });

/** Several integrations sync in parallel per worker, up to this many (ROLLCALL_SYNC_CONCURRENCY). */
const syncConcurrency = () => Math.max(1, Number.parseInt(process.env.ROLLCALL_SYNC_CONCURRENCY ?? '2', 10) || 2);

export async function startQueue(database: Database, options: { supervise?: boolean } = {}): Promise<Queue> {
  const supervise = options.supervise ?? true;
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', useListenNotify: true, supervise, schedule: supervise, ...supervision() })
      : new PgBoss({ connectionString: database.url!, max: 4, useListenNotify: true, supervise, schedule: supervise, ...supervision() });
  boss.on('error', () => {
    // Surfaced through the worker's own logging; without a listener pg-boss would throw.
  });
  await boss.start();
  for (const name of jobNames) {
    const options = queueOptions(name);
    await boss.createQueue(name, options);
    // createQueue leaves an existing queue as it was: bring a database created by an older
    // release up to today's options (policy and heartbeat cannot change after creation).
    const { policy: _policy, heartbeatSeconds: _heartbeat, ...updatable } = options as typeof options & { heartbeatSeconds?: number };
    await boss.updateQueue(name, updatable);
  }

  const run = async <N extends JobName>(handlers: JobHandlers, logger: Logger, name: N, job: { id: string; data: unknown; retryCount?: number }) => {
    const handler = handlers[name] as JobHandler<N>;
    const started = Date.now();
    try {
      await handler(job.data as JobPayloads[N], { id: job.id, attempt: (job.retryCount ?? 0) + 1 });
      logger.info({ job: name, jobId: job.id, ms: Date.now() - started }, 'job done');
    } catch (error) {
      logger.warn({ job: name, jobId: job.id, err: error instanceof Error ? error.message : String(error) }, 'job failed');
      throw error;
    }
  };

  /** Set when stopWorkers already waited its whole grace period: stop() then fails the stragglers at once. */
  let graceSpent = false;
  return {
    boss,
    send: (name, payload, opts = {}) =>
      boss.send(name, payload as object, {
        ...(opts.within ? { db: fromKysely(opts.within) } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      }),
    async work(handlers, logger) {
      for (const name of jobNames) {
        const concurrency = name === 'sync.integration' ? { localConcurrency: syncConcurrency() } : {};
        await boss.work(name, { pollingIntervalSeconds: 1, batchSize: 1, ...concurrency }, async (jobs) => {
          for (const job of jobs) await run(handlers, logger, name, job);
        });
      }
      // Every minute a tick queues the delta and nightly syncs that are due (cron is evaluated by pg-boss once across workers).
      if (supervise) await boss.schedule('sync.tick', '* * * * *', {});
      // Nightly, outside school hours in every US time zone.
      if (supervise) await boss.schedule('maintenance.purge', '17 9 * * *', {});
    },
    async drain(handlers, logger) {
      let ran = 0;
      for (;;) {
        let fetchedAny = false;
        for (const name of jobNames) {
          const jobs = await boss.fetch(name, { batchSize: 20 });
          for (const job of jobs) {
            fetchedAny = true;
            try {
              await run(handlers, logger, name, job);
              await boss.complete(name, job.id);
            } catch (error) {
              await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
            }
            ran++;
          }
        }
        if (!fetchedAny) return ran;
      }
    },
    async stopWorkers(graceMs) {
      let timer: NodeJS.Timeout | undefined;
      const finished = Promise.allSettled(jobNames.map((name) => boss.offWork(name, { wait: true }))).then(() => true);
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      try {
        graceSpent = !(await Promise.race([finished, late]));
        return !graceSpent;
      } finally {
        clearTimeout(timer);
      }
    },
    // Jobs still running when the grace is over are failed by pg-boss and retried by another worker.
    stop: () => boss.stop({ graceful: true, timeout: graceSpent ? 1_000 : 10_000 }),
  };
}
