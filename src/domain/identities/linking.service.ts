import type { Store } from '../../db/store.ts';
import { AppError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';
import type { Actor, User } from '../accounts/accounts.types.ts';
import type { SessionRow } from '../accounts/sessions.service.ts';
import { isValidEmail, normalizeEmail } from '../accounts/email-address.ts';

/** Who the provider says signed in, after its protocol was verified. */
export interface ProviderProfile {
  readonly provider: ProviderKind;
  /** Clever district id / ClassLink tenant id. */
  readonly tenantKey: string;
  /** Clever v3 user id / ClassLink OneRoster sourcedId. */
  readonly externalId: string;
  readonly role: 'student' | 'teacher' | 'staff' | 'administrator';
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string | null;
}

export interface SignInOutcome {
  readonly user: User;
  /** 'existing' = known identity; 'linked' = attached to an existing account; 'created' = new account. */
  readonly how: 'existing' | 'linked' | 'created';
}

const providerLabel = (p: ProviderKind) => (p === 'clever' ? 'Clever' : 'ClassLink');

function refuse(reason: string, message: string): AppError {
  return new AppError('forbidden', message, [], reason);
}

/**
 * The account-linking rules of PRODUCT.md: an identity (provider, tenant,
 * external id) maps to exactly one user; students match by identity only;
 * a teacher's first sign-in links to an existing account only when its email
 * is verified and it is on a license in the same district.
 */
export class LinkingService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  private requireIdentity(profile: ProviderProfile): void {
    if (!profile.tenantKey.trim() || !profile.externalId.trim()) {
      throw refuse('missing_identity', `${providerLabel(profile.provider)} did not say who you are in your district (no user id). Ask your district's IT to check your ${providerLabel(profile.provider)} account.`);
    }
  }

  private notIntegrated(profile: ProviderProfile): AppError {
    return refuse('district_not_integrated', `Your district has not connected Rollcall to ${providerLabel(profile.provider)} yet. Ask your district's IT or your license administrator.`);
  }

  private async integrationFor(profile: ProviderProfile) {
    this.requireIdentity(profile);
    const integration = await this.deps.store.integrations.findByTenant(profile.provider, profile.tenantKey);
    if (!integration || integration.status === 'disabled') throw this.notIntegrated(profile);
    return integration;
  }

  /**
   * Who signed in, by the linking rules. With `session` (a new session's row,
   * from SessionsService.issue), that session is stored for the returned user
   * — for a returning user in the same statement that finds them.
   */
  async signIn(profile: ProviderProfile, session?: SessionRow): Promise<SignInOutcome> {
    this.requireIdentity(profile);
    const { store, clock } = this.deps;
    const now = clock.now();
    // The morning storm's path: checking the district's integration, stamping a returning user and opening their session cost one statement.
    const { integration, user: returning } = await store.identities.recordSignIn(profile.provider, profile.tenantKey, profile.externalId, now, session);
    if (!integration || integration.status === 'disabled') throw this.notIntegrated(profile);
    if (returning) return { user: returning, how: 'existing' };

    const name = `${profile.givenName} ${profile.familyName}`.trim().replace(/\s+/g, ' ') || 'Unnamed user';
    const email = profile.email && isValidEmail(normalizeEmail(profile.email)) ? normalizeEmail(profile.email) : null;
    const outcome = await store
      .transaction(async (tx): Promise<SignInOutcome> => {
      if (profile.role === 'student') {
        const user = await tx.accounts.create({ role: 'student', name: name.slice(0, 200), email, passwordHash: null, emailVerifiedAt: null, districtId: integration.districtId });
        return this.attach(tx, user, profile, 'created', integration.districtId, now);
      }
      if (email) {
        const candidate = await tx.accounts.findLoginByEmail(email);
        if (
          candidate &&
          candidate.role === 'teacher' &&
          candidate.emailVerified &&
          (await tx.identities.isOnDistrictLicense(candidate.id, integration.districtId)) &&
          !(await tx.identities.forUser(candidate.id)).some((i) => i.provider === profile.provider && i.tenantKey === profile.tenantKey)
        ) {
          const { passwordHash: _omit, ...user } = candidate;
          return this.attach(tx, user, profile, 'linked', integration.districtId, now);
        }
      }
      const user = await tx.accounts.create({ role: 'teacher', name: name.slice(0, 200), email, passwordHash: null, emailVerifiedAt: null, districtId: integration.districtId });
      return this.attach(tx, user, profile, 'created', integration.districtId, now);
      })
      .catch(async (error: unknown): Promise<SignInOutcome> => {
        if (!(error instanceof ConcurrentLink)) throw error;
        return { user: (await store.accounts.findById(error.userId))!, how: 'existing' };
      });
    await store.accounts.recordSignIn(outcome.user.id, now);
    if (session) await store.sessions.create(session.idHash, outcome.user.id, session.createdAt, session.expiresAt);
    return outcome;
  }

  private async attach(tx: Store, user: User, profile: ProviderProfile, how: SignInOutcome['how'], districtId: string, now: Date): Promise<SignInOutcome> {
    const identity = await tx.identities.link(user.id, profile.provider, profile.tenantKey, profile.externalId, now);
    if (identity.userId !== user.id) {
      // Another request linked this identity first (double callback): use that account,
      // and roll this transaction back so no orphan account is left behind.
      throw new ConcurrentLink(identity.userId);
    }
    await tx.audit.record({
      actorUserId: user.id,
      districtId,
      action: how === 'linked' ? 'identity.linked' : 'identity.created',
      targetType: 'user',
      targetId: user.id,
      details: { provider: profile.provider, role: profile.role },
    });
    return { user, how };
  }

  /** "Connect Clever / Connect ClassLink" from a signed-in teacher's profile. */
  async connect(actor: Actor, profile: ProviderProfile): Promise<void> {
    const integration = await this.integrationFor(profile);
    if (actor.user.role !== 'teacher') throw refuse('not_a_teacher', 'Only teacher accounts can connect a rostering service.');
    if (profile.role === 'student') throw refuse('student_identity', `That ${providerLabel(profile.provider)} account is a student's; sign in to ${providerLabel(profile.provider)} as yourself and try again.`);
    const { store, clock } = this.deps;
    const existing = await store.identities.find(profile.provider, profile.tenantKey, profile.externalId);
    if (existing && existing.userId !== actor.user.id) {
      throw refuse('identity_linked_elsewhere', `That ${providerLabel(profile.provider)} account is already connected to another Rollcall account. Nothing was changed; contact support if this is wrong.`);
    }
    if (existing) return;
    const mine = await store.identities.forUser(actor.user.id);
    if (mine.some((i) => i.provider === profile.provider && i.tenantKey === profile.tenantKey)) {
      throw refuse('already_connected', `Your account is already connected to a different ${providerLabel(profile.provider)} account in this district.`);
    }
    await store.transaction(async (tx) => {
      const identity = await tx.identities.link(actor.user.id, profile.provider, profile.tenantKey, profile.externalId, clock.now());
      if (identity.userId !== actor.user.id) throw refuse('identity_linked_elsewhere', `That ${providerLabel(profile.provider)} account is already connected to another Rollcall account.`);
      await tx.audit.record({ actorUserId: actor.user.id, districtId: integration.districtId, action: 'identity.connected', targetType: 'user', targetId: actor.user.id, details: { provider: profile.provider } });
    });
  }
}

export class ConcurrentLink extends Error {
  constructor(readonly userId: string) {
    super('identity linked concurrently');
  }
}
