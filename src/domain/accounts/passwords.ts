import { hash, verify } from '@node-rs/argon2';
import { validationError } from '../../lib/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

/** argon2id with the library's defaults (OWASP's minimum: m=19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against a real hash when the account does not exist keeps the
// response time the same, so sign-in does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const target = passwordHash ?? (await (dummyHash ??= hash('not-a-real-password-0000')));
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== undefined;
  } catch {
    return false;
  }
}

export function checkPasswordStrength(password: string, context: { email?: string | null; name?: string } = {}): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw validationError('password', `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw validationError('password', `Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) throw validationError('password', 'This password is too easy to guess: use more different characters.');
  const local = context.email?.split('@')[0];
  if (local && local.length >= 4 && lower.includes(local.toLowerCase())) {
    throw validationError('password', 'Your password must not contain your email address.');
  }
  if (['password', '1234567890', 'qwertyuiop', 'rollcall'].some((weak) => lower.includes(weak))) {
    throw validationError('password', 'This password is too common: choose another.');
  }
}
