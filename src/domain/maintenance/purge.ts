import type { Store } from '../../db/store.ts';

/** Email links are kept this long past their expiry, for a clear "expired" message. */
export const EXPIRED_TOKEN_GRACE_DAYS = 30;

export interface PurgeCounts {
  readonly sessions: number;
  readonly authFlows: number;
  readonly emailTokens: number;
}

/**
 * Nightly housekeeping: expired sessions, abandoned sign-in flows and long-expired email
 * links are deleted. Each is useless once expired, and a table that only grows would make
 * the 8:00 sign-in storm's lookups and the backups slower every school day.
 */
export async function purgeExpired(store: Store, now: Date): Promise<PurgeCounts> {
  const sessions = await store.sessions.deleteExpired(now);
  const authFlows = await store.authFlows.deleteExpired(now);
  const emailTokens = await store.emailTokens.deleteExpiredBefore(new Date(now.getTime() - EXPIRED_TOKEN_GRACE_DAYS * 86_400_000));
  return { sessions, authFlows, emailTokens };
}
