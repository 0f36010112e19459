import type { Store } from '../../db/store.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { AppError, conflict, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashToken, randomToken } from '../../lib/crypto.ts';
import type { User } from './accounts.types.ts';
import { isValidEmail, normalizeEmail } from './email-address.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';

const VERIFY_TTL_HOURS = 72;
const RESET_TTL_HOURS = 2;

export interface AccountsDeps {
  readonly store: Store;
  readonly clock: Clock;
}

function cleanName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) throw validationError('name', 'Enter your name.');
  if (trimmed.length > 200) throw validationError('name', 'Use at most 200 characters.');
  return trimmed;
}

export function cleanEmail(raw: string, field = 'email'): string {
  const email = normalizeEmail(raw);
  if (!isValidEmail(email)) throw validationError(field, `"${raw.trim()}" is not a valid email address.`);
  return email;
}

export class AccountsService {
  constructor(private readonly deps: AccountsDeps) {}

  /** Teacher self sign-up. There is no student sign-up path anywhere. */
  async signUp(input: { name: string; email: string; password: string }): Promise<User> {
    const name = cleanName(input.name);
    const email = cleanEmail(input.email);
    checkPasswordStrength(input.password, { email, name });
    const passwordHash = await hashPassword(input.password);
    const { store } = this.deps;
    try {
      return await store.transaction(async (tx) => {
        if (await tx.accounts.findLoginByEmail(email)) throw this.emailTaken();
        const user = await tx.accounts.create({ role: 'teacher', name, email, passwordHash, emailVerifiedAt: null });
        await tx.enqueue('email.verify-address', { userId: user.id });
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_login_email_key')) throw this.emailTaken();
      throw error;
    }
  }

  private emailTaken(): AppError {
    return conflict('An account with this email already exists. Sign in, or reset your password.', 'email');
  }

  async signIn(input: { email: string; password: string }): Promise<User> {
    const email = normalizeEmail(input.email);
    const found = isValidEmail(email) ? await this.deps.store.accounts.findLoginByEmail(email) : undefined;
    const ok = await verifyPassword(found?.passwordHash, input.password);
    if (!found || !ok || found.role === 'student') {
      throw new AppError('unauthenticated', 'That email and password do not match an account.');
    }
    await this.deps.store.accounts.recordSignIn(found.id, this.deps.clock.now());
    const { passwordHash: _omit, ...user } = found;
    return user;
  }

  /** Called by the email job: mints the link token at send time (never stored in the queue). */
  async issueEmailToken(
    userId: string,
    purpose: 'verify_email' | 'reset_password',
    ttlHours = purpose === 'verify_email' ? VERIFY_TTL_HOURS : RESET_TTL_HOURS,
  ): Promise<{ user: User; token: string } | undefined> {
    const { store, clock } = this.deps;
    const user = await store.accounts.findById(userId);
    if (!user || !user.email || user.role === 'student') return undefined;
    if (purpose === 'verify_email' && user.emailVerified) return undefined;
    const token = randomToken();
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.emailTokens.invalidateAll(userId, purpose, now);
      await tx.emailTokens.create({ tokenHash: hashToken(token), userId, purpose, expiresAt: new Date(now.getTime() + ttlHours * 3_600_000) });
    });
    return { user, token };
  }

  async verifyEmail(token: string): Promise<User> {
    const { store, clock } = this.deps;
    const result = await store.emailTokens.consume(hashToken(token), 'verify_email', clock.now());
    if ('problem' in result) throw this.linkProblem(result.problem, 'verification');
    await store.accounts.markEmailVerified(result.userId, clock.now());
    return (await store.accounts.findById(result.userId))!;
  }

  async resendVerification(user: User): Promise<void> {
    if (user.emailVerified || !user.email) return;
    await this.deps.store.enqueue('email.verify-address', { userId: user.id });
  }

  /** Always succeeds from the caller's point of view: no account enumeration. */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!isValidEmail(email)) throw validationError('email', 'Enter a valid email address.');
    const user = await this.deps.store.accounts.findLoginByEmail(email);
    if (user && user.role !== 'student') await this.deps.store.enqueue('email.reset-password', { userId: user.id });
  }

  /** Sets the password, ends every other session of the account, and returns it for a fresh session. */
  async completePasswordReset(token: string, password: string): Promise<User> {
    const { store, clock } = this.deps;
    const tokenHash = hashToken(token);
    return store.transaction(async (tx) => {
      const result = await tx.emailTokens.consume(tokenHash, 'reset_password', clock.now());
      if ('problem' in result) throw this.linkProblem(result.problem, 'password reset');
      const user = await tx.accounts.findById(result.userId);
      if (!user || user.role === 'student') throw new AppError('forbidden', 'This account cannot have a password.');
      checkPasswordStrength(password, { email: user.email, name: user.name });
      await tx.accounts.setPassword(user.id, await hashPassword(password), clock.now());
      // Receiving the link proves the address.
      await tx.accounts.markEmailVerified(user.id, clock.now());
      await tx.sessions.deleteAllForUser(user.id);
      return (await tx.accounts.findById(user.id))!;
    });
  }

  private linkProblem(problem: 'unknown' | 'used' | 'expired', what: string): AppError {
    if (problem === 'unknown') return new AppError('not_found', `This ${what} link is not valid. Check that you copied the whole link.`);
    if (problem === 'used') return new AppError('gone', `This ${what} link was already used. Request a new one if you still need it.`);
    return new AppError('gone', `This ${what} link has expired. Request a new one.`);
  }
}
