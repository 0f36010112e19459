import type { User } from './types.ts';

/**
 * A `returnTo` value is followed only if it is a path on this site: one leading
 * "/", never "//" or "/\" (browsers read both as another host), no scheme, no
 * control characters or spaces (browsers drop tabs/newlines, so "/\t/evil"
 * would become "//evil"). Returns the safe path or null.
 */
export function safeReturnTo(value: string | null | undefined): string | null {
  if (!value || value.length > 2000) return null;
  if (!value.startsWith('/')) return null;
  if (value.startsWith('//') || value.startsWith('/\\')) return null;
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return null;
  try {
    // Returned as given, not normalised: new URL('/.//x').pathname is "//x", which would leave the site.
    const base = 'https://rollcall.invalid';
    return new URL(value, base).origin === base ? value : null;
  } catch {
    return null;
  }
}

/** Where "/" sends a signed-in person. */
export function homePath(user: User | null): string {
  if (!user) return '/signin';
  if (user.role === 'student') return '/student';
  if (user.role === 'operator') return '/operator';
  return '/classes';
}

/** After signing in: the requested page if it is safe, else the person's home. */
export function afterSignIn(user: User, returnTo: string | null | undefined): string {
  return safeReturnTo(returnTo) ?? homePath(user);
}

export function signInPath(returnTo: string): string {
  const safe = safeReturnTo(returnTo);
  return safe && safe !== '/' ? `/signin?returnTo=${encodeURIComponent(safe)}` : '/signin';
}
