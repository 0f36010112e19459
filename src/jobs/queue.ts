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
  stop(): Promise<void>;
}

export async function startQueue(database: Database, options: { supervise?: boolean } = {}): Promise<Queue> {
  const supervise = options.supervise ?? true;
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', supervise, schedule: supervise })
      : new PgBoss({ connectionString: database.url!, max: 4, supervise, schedule: supervise });
  boss.on('error', () => {
    // Surfaced through the worker's own logging; without a listener pg-boss would throw.
  });
  await boss.start();
  for (const name of jobNames) {
    await boss.createQueue(name, { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 });
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

  return {
    boss,
    send: (name, payload, opts = {}) =>
      boss.send(name, payload as object, {
        ...(opts.within ? { db: fromKysely(opts.within) } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      }),
    async work(handlers, logger) {
      for (const name of jobNames) {
        await boss.work(name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
          for (const job of jobs) await run(handlers, logger, name, job);
        });
      }
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
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
