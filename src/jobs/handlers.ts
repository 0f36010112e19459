import type { AccountsService } from '../domain/accounts/accounts.service.ts';
import type { InvitationsService } from '../domain/licenses/invitations.service.ts';
import type { RosteringService } from '../domain/rostering/rostering.service.ts';
import type { SyncService } from '../sync/sync.service.ts';
import type { Store } from '../db/store.ts';
import type { Mailer } from '../email/mail.types.ts';
import { adminSetupEmail, invitationEmail, resetPasswordEmail, syncHeldEmail, verifyEmail } from '../email/templates.ts';
import type { JobHandlers } from './queue.ts';
import { purgeExpired } from '../domain/maintenance/purge.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';

const ADMIN_SETUP_TTL_HOURS = 24 * 7;

export function createJobHandlers(deps: {
  accounts: AccountsService;
  invitations: InvitationsService;
  rostering: RosteringService;
  sync: SyncService;
  store: Store;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
}): JobHandlers {
  const link = (path: string, token: string) => `${deps.publicUrl}${path}${encodeURIComponent(token)}`;
  return {
    async 'email.verify-address'({ userId }) {
      const issued = await deps.accounts.issueEmailToken(userId, 'verify_email');
      if (!issued?.user.email) return;
      await deps.mailer.send(verifyEmail({ to: issued.user.email, name: issued.user.name, url: link('/verify-email?token=', issued.token) }));
    },
    async 'email.reset-password'({ userId }) {
      const issued = await deps.accounts.issueEmailToken(userId, 'reset_password');
      if (!issued?.user.email) return;
      await deps.mailer.send(resetPasswordEmail({ to: issued.user.email, url: link('/reset-password/complete?token=', issued.token) }));
    },
    async 'email.invitation'({ memberId }) {
      const invitation = await deps.invitations.issue(memberId);
      if (!invitation) return; // removed or accepted meanwhile: nothing to send
      await deps.mailer.send(invitationEmail({ ...invitation, to: invitation.email, url: link('/invitations/', invitation.token) }));
    },
    async 'sync.integration'(payload) {
      await deps.sync.runJob(payload);
    },
    async 'sync.tick'() {
      await deps.sync.tick();
    },
    async 'maintenance.purge'() {
      deps.logger.info({ purged: await purgeExpired(deps.store, deps.clock.now()) }, 'expired sessions, sign-in flows and email links purged');
    },
    async 'email.sync-held'({ runId }) {
      const run = await deps.store.syncRuns.findById(runId);
      const integration = run?.integrationId ? await deps.store.integrations.findById(run.integrationId) : undefined;
      if (!run || !integration || run.status !== 'held') return;
      const removals = ((run.details.pendingRemovals as unknown[]) ?? []).length;
      const archives = ((run.details.pendingArchives as unknown[]) ?? []).length;
      for (const to of await deps.store.sync.districtAdminEmails(integration.districtId)) {
        await deps.mailer.send(syncHeldEmail({ to, districtName: integration.districtName, provider: integration.provider, removals, archives, url: `${deps.publicUrl}/district` }));
      }
    },
    async 'rostering.import'({ runId }) {
      await deps.rostering.runImportJob(runId);
    },
    async 'rostering.import-failed'({ runId }) {
      await deps.rostering.endAbandonedImport(runId);
    },
    async 'email.admin-setup'({ userId, licenseId }) {
      const license = await deps.store.licenses.findById(licenseId);
      const issued = await deps.accounts.issueEmailToken(userId, 'reset_password', ADMIN_SETUP_TTL_HOURS);
      if (!issued?.user.email || !license) return;
      await deps.mailer.send(
        adminSetupEmail({ to: issued.user.email, name: issued.user.name, licenseName: license.name, url: link('/reset-password/complete?token=', issued.token) }),
      );
    },
  };
}
