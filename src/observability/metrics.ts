import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, one Registry per process context (never prom-client's
 * global registry), so tests can build several apps side by side. Labels are
 * closed sets — route *patterns*, provider names, reason codes — never ids,
 * URLs or anything personal.
 */

export type SignInMethod = 'password' | 'clever' | 'classlink';

/** One finished sync run, as the sync engine (or an import) reports it. */
export interface SyncRunRecord {
  /** import | manual | delta | full | … — the run's trigger. */
  readonly trigger: string;
  /** succeeded | failed | held | … — the run's final status. */
  readonly outcome: string;
  readonly seconds: number;
  /** Rows written (students created/updated, enrollments added/removed, classes archived). */
  readonly rows: number;
}

/**
 * The narrow port code outside src/observability records sync runs through:
 * the sync engine receives it in its deps (no prom-client types leak out).
 */
export interface SyncRunRecorder {
  recordSyncRun(run: SyncRunRecord): void;
}

export interface QueueSnapshot {
  readonly queue: string;
  /** Jobs waiting: ready, deferred (retry back-off, start-after) or blocked. */
  readonly queued: number;
  readonly active: number;
  readonly failed: number;
  /** Seconds the oldest waiting job has existed; null when none waits. */
  readonly oldestSeconds: number | null;
}

export interface Metrics extends SyncRunRecorder {
  readonly registry: Registry;
  readonly contentType: string;
  observeHttp(request: { method: string; route: string; statusCode: number; seconds: number }): void;
  recordSignIn(method: SignInMethod, outcome: 'success' | `refused:${string}` | 'error'): void;
  recordProviderCall(call: { provider: string; status: number; ms: number }): void;
  recordJob(job: { queue: string; outcome: 'completed' | 'failed'; seconds: number }): void;
  /** Queue gauges are read on scrape from this source (cached briefly: scrapes must not hammer the database). */
  setQueueSource(read: () => Promise<readonly QueueSnapshot[]>, cacheMs?: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SYNC_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

export const statusClass = (status: number): string => (status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other');

/** A label value from a closed-ish set: short, no spaces or separators that could carry data. */
const label = (value: string, max = 60): string => value.replace(/[^\w:.\-/]/g, '_').slice(0, max) || 'unknown';

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'rollcall_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'rollcall_signins_total',
    help: 'Sign-ins by method (password, clever, classlink) and outcome (success, refused:<reason>, error)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const syncRuns = new Counter({
    name: 'rollcall_sync_runs_total',
    help: 'Finished sync runs (imports included) by trigger and outcome',
    labelNames: ['trigger', 'outcome'] as const,
    registers: [registry],
  });
  const syncDuration = new Histogram({
    name: 'rollcall_sync_run_duration_seconds',
    help: 'Sync run duration by trigger and outcome',
    labelNames: ['trigger', 'outcome'] as const,
    buckets: SYNC_BUCKETS,
    registers: [registry],
  });
  const rowsApplied = new Counter({
    name: 'rollcall_sync_rows_applied_total',
    help: 'Rows written by sync runs (accounts, enrollments, classes), by trigger',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const providerCalls = new Counter({
    name: 'rollcall_provider_requests_total',
    help: 'Roster API requests to providers by provider and HTTP status (0 = no response: timeout or network error)',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
  });
  const providerDuration = new Histogram({
    name: 'rollcall_provider_request_duration_seconds',
    help: 'Roster API request duration by provider',
    labelNames: ['provider'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'rollcall_jobs_total',
    help: 'Background jobs run by this process, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'rollcall_job_duration_seconds',
    help: 'Background job duration by queue',
    labelNames: ['queue'] as const,
    buckets: SYNC_BUCKETS,
    registers: [registry],
  });

  let readQueues: (() => Promise<readonly QueueSnapshot[]>) | undefined;
  let queueCacheMs = 5_000;
  let cached: { at: number; value: Promise<readonly QueueSnapshot[]> } | undefined;
  const queueSnapshot = (): Promise<readonly QueueSnapshot[]> => {
    if (!readQueues) return Promise.resolve([]);
    const now = Date.now();
    if (!cached || now - cached.at > queueCacheMs) {
      // A failing read (database down) yields no queue series rather than a failed scrape; /readyz reports the outage.
      cached = { at: now, value: readQueues().catch(() => []) };
    }
    return cached.value;
  };
  const queueGauge = (name: string, help: string, pick: (s: QueueSnapshot) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await queueSnapshot()) {
          const value = pick(s);
          if (value !== null) this.set({ queue: s.queue }, value);
        }
      },
    });
  queueGauge('rollcall_queue_depth', 'Jobs waiting in each queue (ready, deferred or retrying)', (s) => s.queued);
  queueGauge('rollcall_queue_active_jobs', 'Jobs being worked on in each queue', (s) => s.active);
  queueGauge('rollcall_queue_failed_jobs', 'Failed jobs still retained in each queue', (s) => s.failed);
  queueGauge('rollcall_queue_oldest_job_age_seconds', 'Age of the oldest waiting job in each queue (0 when none waits)', (s) => s.oldestSeconds ?? 0);

  return {
    registry,
    contentType: registry.contentType,
    observeHttp({ method, route, statusCode, seconds }) {
      httpDuration.observe({ method, route: label(route, 120), status_class: statusClass(statusCode) }, seconds);
    },
    recordSignIn(method, outcome) {
      signIns.inc({ provider: method, outcome: label(outcome) });
    },
    recordSyncRun({ trigger, outcome, seconds, rows }) {
      const labels = { trigger: label(trigger), outcome: label(outcome) };
      syncRuns.inc(labels);
      syncDuration.observe(labels, Math.max(0, seconds));
      if (rows > 0) rowsApplied.inc({ trigger: labels.trigger }, rows);
      else rowsApplied.inc({ trigger: labels.trigger }, 0); // the series exists from the first run
    },
    recordProviderCall({ provider, status, ms }) {
      providerCalls.inc({ provider: label(provider), status: String(status) });
      providerDuration.observe({ provider: label(provider) }, ms / 1000);
    },
    recordJob({ queue, outcome, seconds }) {
      jobs.inc({ queue: label(queue), outcome });
      jobDuration.observe({ queue: label(queue) }, seconds);
    },
    setQueueSource(read, cacheMs = 5_000) {
      readQueues = read;
      queueCacheMs = cacheMs;
      cached = undefined;
    },
    render: () => registry.metrics(),
  };
}
