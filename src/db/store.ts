import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { JobName, JobPayloads } from '../jobs/job-names.ts';
import type { Queue } from '../jobs/queue.ts';
import { AccountsRepository, EmailTokensRepository } from '../domain/accounts/accounts.repository.ts';
import { SessionsRepository } from '../domain/accounts/sessions.repository.ts';
import { DistrictsRepository } from '../domain/districts/districts.repository.ts';
import { LicensesRepository } from '../domain/licenses/licenses.repository.ts';
import { AuditRepository } from '../domain/audit/audit.repository.ts';
import { MailRepository } from '../email/mail.repository.ts';
import { ClassesRepository } from '../domain/classes/classes.repository.ts';
import { RosterRepository } from '../domain/rostering/roster.repository.ts';
import { SyncRunsRepository } from '../domain/rostering/sync-runs.repository.ts';
import { SyncRepository } from '../sync/sync.repository.ts';
import { IntegrationsRepository } from '../domain/integrations/integrations.repository.ts';
import { AuthFlowsRepository, IdentitiesRepository } from '../domain/identities/identities.repository.ts';
import { DiagnosticsRepository } from '../domain/diagnostics/diagnostics.repository.ts';
import { ConsolesRepository } from '../domain/diagnostics/consoles.repository.ts';
import { PrivacyRepository } from '../domain/privacy/privacy.repository.ts';

/**
 * The data layer as domain services see it: repositories bound to one
 * executor (the pool, or a transaction), plus `enqueue`, which commits a job
 * in the same transaction as the write that needs it. Services never see Kysely.
 */
export interface Store {
  readonly accounts: AccountsRepository;
  readonly emailTokens: EmailTokensRepository;
  readonly sessions: SessionsRepository;
  readonly districts: DistrictsRepository;
  readonly licenses: LicensesRepository;
  readonly audit: AuditRepository;
  readonly mail: MailRepository;
  readonly integrations: IntegrationsRepository;
  readonly identities: IdentitiesRepository;
  readonly authFlows: AuthFlowsRepository;
  readonly classes: ClassesRepository;
  readonly roster: RosterRepository;
  readonly syncRuns: SyncRunsRepository;
  readonly diagnostics: DiagnosticsRepository;
  readonly consoles: ConsolesRepository;
  readonly sync: SyncRepository;
  readonly privacy: PrivacyRepository;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { singletonKey?: string }): Promise<void>;
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
}

export function createStore(db: Kysely<DB>, queue: Queue | undefined, inTransaction = false): Store {
  const store: Store = {
    accounts: new AccountsRepository(db),
    emailTokens: new EmailTokensRepository(db),
    sessions: new SessionsRepository(db),
    districts: new DistrictsRepository(db),
    licenses: new LicensesRepository(db),
    audit: new AuditRepository(db),
    mail: new MailRepository(db),
    integrations: new IntegrationsRepository(db),
    identities: new IdentitiesRepository(db),
    authFlows: new AuthFlowsRepository(db),
    classes: new ClassesRepository(db),
    roster: new RosterRepository(db),
    syncRuns: new SyncRunsRepository(db),
    diagnostics: new DiagnosticsRepository(db),
    consoles: new ConsolesRepository(db),
    sync: new SyncRepository(db),
    privacy: new PrivacyRepository(db),
    async enqueue(name, payload, options = {}) {
      if (!queue) throw new Error(`No job queue in this process to enqueue ${name}`);
      await queue.send(name, payload, { ...(inTransaction ? { within: db } : {}), ...options });
    },
    transaction(work) {
      // Nested calls reuse the open transaction rather than deadlocking the single PGlite connection.
      if (inTransaction) return work(store);
      return db.transaction().execute((trx) => work(createStore(trx, queue, true)));
    },
  };
  return store;
}
