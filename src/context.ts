import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from './config/config.ts';
import { openDatabase, type Database, type DatabaseTarget } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createStore, type Store } from './db/store.ts';
import { AccountsService } from './domain/accounts/accounts.service.ts';
import { SessionsService } from './domain/accounts/sessions.service.ts';
import { OperatorService } from './domain/districts/operator.service.ts';
import { InvitationTokens } from './domain/licenses/invitation-token.ts';
import { InvitationsService } from './domain/licenses/invitations.service.ts';
import { LicensesService } from './domain/licenses/licenses.service.ts';
import { createMailer } from './email/mailer.ts';
import type { Mailer } from './email/mail.types.ts';
import { createJobHandlers } from './jobs/handlers.ts';
import { startQueue, type JobHandlers, type Queue } from './jobs/queue.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { SecretBox, deriveKey } from './lib/crypto.ts';
import { createClassLinkSignIn } from './auth/classlink-signin.ts';
import { createCleverSignIn } from './auth/clever-signin.ts';
import type { SignInStrategy } from './auth/provider-signin.types.ts';
import { SignInFlows } from './auth/signin-flows.ts';
import { LinkingService } from './domain/identities/linking.service.ts';
import { ClassesService } from './domain/classes/classes.service.ts';
import { RosteringService } from './domain/rostering/rostering.service.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { SyncService } from './sync/sync.service.ts';
import { DiagnosisService, DIAGNOSIS_PROVIDER_TIMEOUT_MS } from './domain/diagnostics/diagnosis.service.ts';
import { DistrictConsoleService } from './domain/diagnostics/district-console.service.ts';
import { SupportService } from './domain/diagnostics/support.service.ts';
import { AuditService } from './domain/audit/audit.service.ts';
import { PrivacyService } from './domain/privacy/privacy.service.ts';
import { IntegrationsService, type ProviderFactory } from './domain/integrations/integrations.service.ts';
import type { ClassLinkSettings } from './domain/integrations/integrations.types.ts';
import { createCleverTokenDirectory } from './providers/clever-district-tokens.ts';
import { createRosterProvider } from './providers/index.ts';
import type { ProviderKind } from './providers/roster-provider.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { pgBossQueueSource } from './observability/queue-stats.ts';
import { instrumentJobHandlers } from './observability/job-metrics.ts';
import { jobNames } from './jobs/job-names.ts';

export interface Services {
  readonly accounts: AccountsService;
  readonly sessions: SessionsService;
  readonly licenses: LicensesService;
  readonly invitations: InvitationsService;
  readonly operator: OperatorService;
  readonly linking: LinkingService;
  readonly signInFlows: SignInFlows;
  readonly integrations: IntegrationsService;
  readonly rostering: RosteringService;
  readonly classes: ClassesService;
  readonly syncEngine: SyncEngine;
  readonly sync: SyncService;
  readonly diagnosis: DiagnosisService;
  readonly districtConsole: DistrictConsoleService;
  readonly support: SupportService;
  readonly audit: AuditService;
  readonly privacy: PrivacyService;
}

/** The sign-in strategies of every provider with a configured client. */
function signInStrategies(config: Config): Map<ProviderKind, SignInStrategy> {
  const strategies = new Map<ProviderKind, SignInStrategy>();
  const { clever, classlink } = config.providers;
  if (clever.clientId && clever.clientSecret) {
    strategies.set('clever', createCleverSignIn({ ...clever, clientId: clever.clientId, clientSecret: clever.clientSecret }));
  }
  if (classlink.clientId && classlink.clientSecret) {
    strategies.set('classlink', createClassLinkSignIn({ ...classlink, clientId: classlink.clientId, clientSecret: classlink.clientSecret }));
  }
  return strategies;
}

/** Builds the roster adapter for one integration from its settings and decrypted credentials. */
function providerFactory(config: Config, logger: Logger, metrics: Metrics): ProviderFactory {
  // Every roster API attempt (retries and 429s included) is counted by provider and status.
  const http = { onRequest: (info: { provider: string; status: number; ms: number }) => metrics.recordProviderCall(info) };
  return (integration, credentials) => {
    const onWarning = (message: string) => logger.warn({ integrationId: integration.id, provider: integration.provider }, message);
    if (credentials.provider === 'clever') {
      return createRosterProvider({ kind: 'clever', apiUrl: config.providers.clever.apiUrl, districtToken: credentials.districtToken, pageSize: config.providerPageSize, onWarning, http });
    }
    const settings = integration.settings as ClassLinkSettings;
    return createRosterProvider({
      kind: 'classlink',
      serverUrl: settings.rosterServerUrl,
      version: settings.oneRosterVersion,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      pageSize: config.providerPageSize,
      onWarning,
      http,
    });
  };
}

/** Everything a process role needs, wired once. The only place concrete parts meet. */
export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly database: Database;
  readonly queue: Queue;
  readonly store: Store;
  readonly services: Services;
  readonly mailer: Mailer;
  readonly jobHandlers: JobHandlers;
  readonly cookieKey: Buffer;
  /** This process's Prometheus registry and recorders (src/observability/metrics.ts). */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/**
 * Without ROLLCALL_ENCRYPTION_KEY (development only; production refuses to
 * start) a key is generated once and kept beside the embedded database.
 */
export function resolveMasterKey(config: Config, logger: Logger): Buffer {
  if (config.encryptionKey) return config.encryptionKey;
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, 'encryption.key');
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64'), { mode: 0o600 });
  chmodSync(path, 0o600);
  logger.warn({ path }, 'ROLLCALL_ENCRYPTION_KEY is not set: generated a development key in the data directory');
  return key;
}

export interface ContextOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Overrides config.database, e.g. an in-memory PGlite for tests. */
  readonly target?: DatabaseTarget;
  readonly masterKey?: Buffer;
  /** pg-boss maintenance and cron; off for short-lived CLI commands. */
  readonly supervise?: boolean;
  readonly poolSize?: number;
  /** Share one registry between contexts (rarely needed); default a fresh one per context. */
  readonly metrics?: Metrics;
}

export async function createContext(config: Config, options: ContextOptions): Promise<AppContext> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const masterKey = options.masterKey ?? resolveMasterKey(config, logger);
  const target: DatabaseTarget = options.target ?? (config.database.kind === 'postgres' ? config.database : { kind: 'pglite', dataDir: config.database.dataDir });
  const database = await openDatabase(target, { poolSize: options.poolSize });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const queue = await startQueue(database, { supervise: options.supervise ?? true });
    const metrics = options.metrics ?? createMetrics();
    metrics.setQueueSource(pgBossQueueSource(queue.boss, () => jobNames));
    const store = createStore(database.db, queue);
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, capture: store.mail });
    const accounts = new AccountsService({ store, clock });
    const invitations = new InvitationsService({
      store,
      clock,
      tokens: new InvitationTokens(deriveKey(masterKey, 'invitations')),
      ttlDays: config.invitationTtlDays,
    });
    const linking = new LinkingService({ store, clock });
    const integrations = new IntegrationsService({
      store,
      clock,
      secrets: new SecretBox(masterKey),
      providers: providerFactory(config, logger, metrics),
      cleverTokens: createCleverTokenDirectory(config.providers.clever),
      allowHttpRosterServers: config.env !== 'production',
    });
    const { providerTimeoutMs } = config;
    const rostering = new RosteringService({ store, clock, integrations, providerTimeoutMs });
    const syncEngine = new SyncEngine({ store, clock, integrations, logger, leaseMs: config.syncLeaseSeconds * 1000, observer: { runFinished: (r) => metrics.recordSyncRun(r) } });
    const sync = new SyncService({ store, clock, engine: syncEngine });
    const strategies = signInStrategies(config);
    const diagnosis = new DiagnosisService({
      store,
      clock,
      integrations,
      timeoutMs: Math.min(DIAGNOSIS_PROVIDER_TIMEOUT_MS, providerTimeoutMs),
      connectable: [...strategies.keys()],
    });
    const services: Services = {
      diagnosis,
      districtConsole: new DistrictConsoleService({ store }),
      support: new SupportService({ store, clock, diagnosis }),
      audit: new AuditService({ store }),
      privacy: new PrivacyService({ store, clock }),
      linking,
      signInFlows: new SignInFlows({ store, clock, linking, strategies }),
      integrations,
      rostering,
      classes: new ClassesService({ store, clock, integrations, providerTimeoutMs }),
      syncEngine,
      sync,
      accounts,
      sessions: new SessionsService({ store, clock, ttlHours: config.sessionTtlHours }),
      licenses: new LicensesService({ store, clock }),
      invitations,
      operator: new OperatorService({ store, clock }),
    };
    const jobHandlers = instrumentJobHandlers(createJobHandlers({ accounts, invitations, rostering, sync, store, mailer, clock, logger, publicUrl: config.publicUrl }), { metrics, store });
    return {
      config,
      logger,
      clock,
      database,
      queue,
      store,
      services,
      mailer,
      jobHandlers,
      cookieKey: deriveKey(masterKey, 'cookies'),
      metrics,
      async close() {
        await queue.stop().catch((error: unknown) => logger.warn({ err: String(error) }, 'queue stop failed'));
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
