/**
 * Job names and their payloads. Payloads carry ids only: tokens are minted by
 * the handler at send time, so no secret or personal data sits in the queue.
 */
export interface JobPayloads {
  'email.verify-address': { userId: string };
  'email.reset-password': { userId: string };
  'email.invitation': { memberId: string };
  'email.admin-setup': { userId: string; licenseId: string };
  'rostering.import': { runId: string };
  /** Dead letter of 'rostering.import': its last attempt failed or its worker died. */
  'rostering.import-failed': { runId: string };
  'sync.integration': { integrationId: string; kind: 'delta' | 'full'; trigger: 'delta' | 'full' | 'schedule' | 'sync_now'; requestedBy?: string | null };
  'sync.tick': Record<string, never>;
  'email.sync-held': { runId: string };
  'maintenance.purge': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const jobNames: readonly JobName[] = [
  'email.verify-address',
  'email.reset-password',
  'email.invitation',
  'email.admin-setup',
  'rostering.import-failed', // before 'rostering.import', whose dead letter queue it is
  'rostering.import',
  'sync.integration',
  'sync.tick',
  'email.sync-held',
  'maintenance.purge',
];
