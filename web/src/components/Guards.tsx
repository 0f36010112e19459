import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { signInPath } from '../navigation.ts';
import { useSession } from '../session.tsx';
import type { User } from '../types.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

/** document.title follows the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Rollcall` : 'Rollcall';
  }, [title]);
}

/** Renders children for a signed-in person (optionally passing `allow`), else sends them to sign in. */
export function RequireUser({ children, allow }: { children: ReactNode; allow?: (user: User) => boolean }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Loading />;
  if (!session.user) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  if (allow && !allow(session.user)) {
    return (
      <section className="page narrow">
        <h1>Not available</h1>
        <p>Your account doesn't have access to this page.</p>
      </section>
    );
  }
  return <>{children}</>;
}
