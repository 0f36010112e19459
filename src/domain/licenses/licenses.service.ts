import type { Store } from '../../db/store.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import { isValidEmail, parseEmailList } from '../accounts/email-address.ts';
import { licensePolicy } from './licenses.policy.ts';
import type { License, LicenseMember, MemberState } from './licenses.types.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';

export interface MemberView extends LicenseMember {
  readonly state: MemberState;
  readonly invitationExpired: boolean;
  /** The district's rostering providers this member's account is connected to. */
  readonly providers: ProviderKind[];
  readonly rosteredClasses: number;
  readonly lastSignInAt: Date | null;
}

export function memberState(member: LicenseMember, linked = false): MemberState {
  if (member.acceptedAt === null) return 'invited';
  if (linked) return 'linked';
  return member.accountComplete ? 'complete' : 'accepted';
}

const MAX_EMAILS_PER_REQUEST = 500;

export class LicensesService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async listFor(actor: Actor): Promise<License[]> {
    const scope = licensePolicy.visibleScope(actor);
    if (scope === 'all') return this.deps.store.licenses.list();
    const [byId, byDistrict] = await Promise.all([
      this.deps.store.licenses.list({ ids: scope.ids }),
      this.deps.store.licenses.list({ districtIds: scope.districtIds }),
    ]);
    const seen = new Map<string, License>();
    for (const license of [...byId, ...byDistrict]) seen.set(license.id, license);
    return [...seen.values()];
  }

  /** Loads a license the actor may see; another district's license is "not found", not "forbidden". */
  async getFor(actor: Actor, licenseId: string): Promise<{ license: License; members: MemberView[] }> {
    const license = await this.deps.store.licenses.findById(licenseId);
    if (!license || !licensePolicy.canView(actor, license)) throw notFound('License');
    const [members, activity] = await Promise.all([this.deps.store.licenses.listMembers(licenseId), this.deps.store.consoles.memberActivity(licenseId)]);
    const byMember = new Map(activity.map((a) => [a.memberId, a]));
    const now = this.deps.clock.now();
    return {
      license,
      members: members.map((m) => {
        const a = byMember.get(m.id);
        return {
          ...m,
          state: memberState(m, (a?.providers.length ?? 0) > 0),
          invitationExpired: m.acceptedAt === null && m.invitationExpiresAt !== null && m.invitationExpiresAt <= now,
          providers: a?.providers ?? [],
          rosteredClasses: a?.rosteredClasses ?? 0,
          lastSignInAt: a?.lastSignInAt ?? null,
        };
      }),
    };
  }

  private async loadManageable(actor: Actor, licenseId: string): Promise<License> {
    const license = await this.deps.store.licenses.findById(licenseId);
    if (!license || !licensePolicy.canView(actor, license)) throw notFound('License');
    if (!licensePolicy.canManageMembers(actor, license)) throw forbidden('Only this license’s administrators can change its members.');
    return license;
  }

  /**
   * Adds teachers by email, all or nothing: one invalid address, one existing
   * member or too few free seats rejects the whole list with a message naming
   * each problem, and nothing is added.
   */
  async addMembers(actor: Actor, licenseId: string, text: string): Promise<{ added: { email: string; memberId: string }[] }> {
    const license = await this.loadManageable(actor, licenseId);
    const entries = parseEmailList(text);
    if (entries.length === 0) throw new AppError('validation_failed', 'Enter at least one email address.', [{ field: 'emails', message: 'Enter at least one email address.' }]);
    if (entries.length > MAX_EMAILS_PER_REQUEST) {
      throw new AppError('validation_failed', `Add at most ${MAX_EMAILS_PER_REQUEST} teachers at once.`, [{ field: 'emails', message: `Add at most ${MAX_EMAILS_PER_REQUEST} teachers at once.` }]);
    }
    const invalid = entries.filter((e) => !isValidEmail(e.email)).map((e) => `"${e.raw}"`);
    if (invalid.length > 0) {
      throw new AppError('validation_failed', 'Nothing was added: fix the addresses below.', [{ field: 'emails', message: `Not a valid email address: ${invalid.join(', ')}.` }]);
    }
    const emails = [...new Set(entries.map((e) => e.email))];
    const { store, clock } = this.deps;
    const now = clock.now();
    const added = await store.transaction(async (tx) => {
      await tx.licenses.lockForUpdate(license.id);
      const existing = await tx.licenses.activeMemberEmails(license.id, emails);
      if (existing.length > 0) {
        throw new AppError('conflict', 'Nothing was added: some teachers are already on this license.', [{ field: 'emails', message: `Already on this license: ${existing.join(', ')}.` }]);
      }
      const used = await tx.licenses.countActiveMembers(license.id);
      const free = license.seats - used;
      if (emails.length > free) {
        throw new AppError('seats_exhausted', 'Nothing was added: not enough free seats.', [
          { field: 'emails', message: `This license has ${free} free seat${free === 1 ? '' : 's'} of ${license.seats}; you tried to add ${emails.length}.` },
        ]);
      }
      const withUsers = await Promise.all(
        emails.map(async (email) => {
          const [account] = await tx.accounts.findStaffByEmail(email);
          return { email, userId: account?.id ?? null };
        }),
      );
      const rows = await tx.licenses.insertMembers(license.id, withUsers, actor.user.id, now);
      for (const row of rows) await tx.enqueue('email.invitation', { memberId: row.id });
      await tx.audit.record({
        actorUserId: actor.user.id,
        districtId: license.districtId,
        action: 'license.members_added',
        targetType: 'license',
        targetId: license.id,
        details: { count: rows.length, memberIds: rows.map((r) => r.id) },
      });
      return rows;
    });
    return { added: added.map((r) => ({ email: r.email, memberId: r.id })) };
  }

  async resendInvitation(actor: Actor, licenseId: string, memberId: string): Promise<MemberView> {
    const license = await this.loadManageable(actor, licenseId);
    const member = await this.deps.store.licenses.findMember(memberId);
    if (!member || member.licenseId !== license.id || member.removedAt) throw notFound('Member');
    if (member.acceptedAt) throw new AppError('conflict', `${member.email} already accepted the invitation.`);
    await this.deps.store.enqueue('email.invitation', { memberId });
    await this.deps.store.audit.record({
      actorUserId: actor.user.id,
      districtId: license.districtId,
      action: 'license.invitation_resent',
      targetType: 'license_member',
      targetId: memberId,
    });
    const { members } = await this.getFor(actor, licenseId);
    return members.find((m) => m.id === memberId)!;
  }

  /** "Resend invitations": a fresh email to every member who has not accepted yet, in one go. */
  async resendAll(actor: Actor, licenseId: string): Promise<{ sent: number }> {
    const license = await this.loadManageable(actor, licenseId);
    const { store } = this.deps;
    const pending = (await store.licenses.listMembers(license.id)).filter((m) => m.acceptedAt === null);
    if (pending.length === 0) return { sent: 0 };
    await store.transaction(async (tx) => {
      for (const m of pending) await tx.enqueue('email.invitation', { memberId: m.id });
      await tx.audit.record({
        actorUserId: actor.user.id,
        districtId: license.districtId,
        action: 'license.invitations_resent',
        targetType: 'license',
        targetId: license.id,
        details: { count: pending.length, memberIds: pending.map((m) => m.id) },
      });
    });
    return { sent: pending.length };
  }

  /** Removal frees the seat and voids the invitation; the teacher's account and classes stay. */
  async removeMember(actor: Actor, licenseId: string, memberId: string): Promise<void> {
    const license = await this.loadManageable(actor, licenseId);
    const member = await this.deps.store.licenses.findMember(memberId);
    if (!member || member.licenseId !== license.id || member.removedAt) throw notFound('Member');
    await this.deps.store.transaction(async (tx) => {
      await tx.licenses.remove(memberId, actor.user.id, this.deps.clock.now());
      await tx.audit.record({
        actorUserId: actor.user.id,
        districtId: license.districtId,
        action: 'license.member_removed',
        targetType: 'license_member',
        targetId: memberId,
      });
    });
  }
}
