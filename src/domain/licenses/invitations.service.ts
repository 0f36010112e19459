import type { Store } from '../../db/store.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashToken } from '../../lib/crypto.ts';
import type { Actor, User } from '../accounts/accounts.types.ts';
import { checkPasswordStrength, hashPassword } from '../accounts/passwords.ts';
import type { InvitationTokens } from './invitation-token.ts';
import type { LicenseMember } from './licenses.types.ts';

export interface InvitationPreview {
  readonly email: string;
  readonly licenseName: string;
  readonly schoolName: string | null;
  readonly districtName: string;
  readonly invitedBy: string | null;
  readonly accountExists: boolean;
  readonly state: 'pending' | 'accepted';
}

export interface InvitationMail extends InvitationPreview {
  readonly token: string;
  readonly expiresAt: Date;
}

export class InvitationsService {
  constructor(private readonly deps: { store: Store; clock: Clock; tokens: InvitationTokens; ttlDays: number }) {}

  /** Called by the email job: a fresh link per send, so a resend voids the older email's link. */
  async issue(memberId: string): Promise<InvitationMail | undefined> {
    const { store, clock, tokens, ttlDays } = this.deps;
    const member = await store.licenses.findMember(memberId);
    if (!member || member.removedAt || member.acceptedAt) return undefined;
    const token = tokens.mint();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
    await store.licenses.setInvitationToken(memberId, hashToken(token), expiresAt, now);
    const preview = await this.describe(member);
    return { ...preview, token, expiresAt };
  }

  private async describe(member: LicenseMember): Promise<InvitationPreview> {
    const { store } = this.deps;
    const license = (await store.licenses.findById(member.licenseId))!;
    const account = await store.accounts.findLoginByEmail(member.email);
    return {
      email: member.email,
      licenseName: license.name,
      schoolName: license.schoolName,
      districtName: license.districtName,
      invitedBy: await store.licenses.invitedBy(member.id),
      accountExists: account !== undefined,
      state: member.acceptedAt ? 'accepted' : 'pending',
    };
  }

  private async load(token: string): Promise<LicenseMember> {
    const notValid = notFound('Invitation');
    if (!this.deps.tokens.isAuthentic(token)) throw notValid;
    const member = await this.deps.store.licenses.findMemberByTokenHash(hashToken(token));
    if (!member) throw new AppError('gone', 'This invitation link is no longer valid: a newer invitation email was sent. Use the latest one, or ask your license administrator to resend it.');
    if (member.removedAt) throw new AppError('gone', 'This invitation was withdrawn by the license administrator.');
    if (member.acceptedAt) throw new AppError('gone', 'This invitation was already accepted. Sign in to continue.');
    if (member.invitationExpiresAt && member.invitationExpiresAt <= this.deps.clock.now()) {
      throw new AppError('gone', 'This invitation has expired. Ask your license administrator to resend it.');
    }
    return member;
  }

  async preview(token: string): Promise<InvitationPreview> {
    return this.describe(await this.load(token));
  }

  /**
   * Accepts as the signed-in teacher, or creates the account and accepts in
   * one step. Following the emailed link proves the address, so it is marked
   * verified. Returns the user to sign in (new accounts) and the license.
   */
  async accept(token: string, actor: Actor | undefined, input: { name?: string; password?: string }): Promise<{ user: User; licenseId: string; created: boolean }> {
    const member = await this.load(token);
    const { store, clock } = this.deps;
    const now = clock.now();

    if (actor) {
      if (actor.user.email !== member.email) {
        throw new AppError('forbidden', `This invitation is for ${member.email}, but you are signed in as ${actor.user.email ?? 'another account'}. Log out and sign in as ${member.email}.`);
      }
      return store.transaction(async (tx) => {
        if (!(await tx.licenses.accept(member.id, actor.user.id, now))) throw new AppError('gone', 'This invitation was already accepted.');
        await tx.accounts.markEmailVerified(actor.user.id, now);
        await this.audit(tx, member, actor.user.id);
        return { user: (await tx.accounts.findById(actor.user.id))!, licenseId: member.licenseId, created: false };
      });
    }

    if (await store.accounts.findLoginByEmail(member.email)) {
      throw new AppError('unauthenticated', `An account for ${member.email} already exists. Sign in to accept the invitation.`);
    }
    const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
    if (!name) throw new AppError('validation_failed', 'Enter your name.', [{ field: 'name', message: 'Enter your name.' }]);
    if (name.length > 200) throw new AppError('validation_failed', 'Use at most 200 characters.', [{ field: 'name', message: 'Use at most 200 characters.' }]);
    const password = input.password ?? '';
    checkPasswordStrength(password, { email: member.email, name });
    const passwordHash = await hashPassword(password);
    try {
      return await store.transaction(async (tx) => {
        // An account made for this person without a password (e.g. named license
        // admin who has not set one yet) is completed, not duplicated.
        const unfinished = (await tx.accounts.findStaffByEmail(member.email)).find((u) => !u.hasPassword && u.districtId === null);
        let user: User;
        if (unfinished) {
          await tx.accounts.setPassword(unfinished.id, passwordHash, now);
          await tx.accounts.update(unfinished.id, { name, emailVerifiedAt: now }, now);
          user = (await tx.accounts.findById(unfinished.id))!;
        } else {
          user = await tx.accounts.create({ role: 'teacher', name, email: member.email, passwordHash, emailVerifiedAt: now });
        }
        if (!(await tx.licenses.accept(member.id, user.id, now))) throw new AppError('gone', 'This invitation was already accepted.');
        await this.audit(tx, member, user.id);
        return { user, licenseId: member.licenseId, created: true };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_login_email_key')) throw conflict(`An account for ${member.email} already exists. Sign in to accept the invitation.`, 'email');
      throw error;
    }
  }

  private async audit(tx: Store, member: LicenseMember, userId: string): Promise<void> {
    const license = await tx.licenses.findById(member.licenseId);
    await tx.audit.record({
      actorUserId: userId,
      districtId: license?.districtId ?? null,
      action: 'license.invitation_accepted',
      targetType: 'license_member',
      targetId: member.id,
    });
  }
}
