import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from './api.ts';
import type { Session, User } from './types.ts';

interface SessionState {
  /** undefined while the first GET /api/session is in flight. */
  session: Session | undefined;
  /** Set if the first session request failed (server down). */
  loadError: string | null;
  /** Re-read the session (and its CSRF token); call after sign-in and sign-out. */
  refresh: () => Promise<Session>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: Session }) {
  const [session, setSession] = useState<Session | undefined>(initial);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const s = await api.session();
    setSession(s);
    setLoadError(null);
    return s;
  }, []);

  const signOut = useCallback(async () => {
    await api.signOut();
    await refresh();
  }, [refresh]);

  useEffect(() => {
    if (initial) return;
    refresh().catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [initial, refresh]);

  const value = useMemo(() => ({ session, loadError, refresh, signOut }), [session, loadError, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only for pages wrapped in <RequireUser>. */
export function useUser(): User {
  const user = useSession().session?.user;
  if (!user) throw new Error('useUser needs a signed-in user');
  return user;
}
