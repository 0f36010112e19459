import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { homePath } from '../navigation.ts';
import { useSession } from '../session.tsx';
import type { User } from '../types.ts';

type Result = { kind: 'pending' } | { kind: 'done'; user: User | null } | { kind: 'failed'; status: number; message: string };

export function VerifyEmail() {
  useTitle('Verify your email');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { session, refresh } = useSession();
  const [result, setResult] = useState<Result>({ kind: 'pending' });
  // A token works once: never send it twice (React's strict mode runs effects twice in development).
  const sent = useRef<string | null>(null);

  useEffect(() => {
    if (!token) {
      setResult({ kind: 'failed', status: 400, message: 'This link is missing its code. Open the link from the email again.' });
      return;
    }
    if (sent.current === token) return;
    sent.current = token;
    api
      .verifyEmail(token)
      .then(async ({ user }) => {
        setResult({ kind: 'done', user });
        await refresh().catch(() => undefined);
      })
      .catch((e: unknown) => {
        const err = asApiError(e);
        setResult({ kind: 'failed', status: err.status, message: err.message });
      });
  }, [token, refresh]);

  const signedIn = session?.user ?? null;
  return (
    <section className="page narrow">
      <h1>Verify your email</h1>
      {result.kind === 'pending' && <Loading label="Checking your link…" />}
      {result.kind === 'done' && (
        <div className="card">
          <p role="status" className="notice notice-ok">
            Your email address is verified.
          </p>
          {signedIn ? <Link to={homePath(signedIn)}>Continue to Rollcall</Link> : <Link to="/signin">Sign in</Link>}
        </div>
      )}
      {result.kind === 'failed' && (
        <div className="card">
          <p role="alert" className="form-error">
            {result.message}
          </p>
          {result.status === 410 && (
            <p>
              {signedIn
                ? 'You can ask for a new link from My Classes.'
                : 'Sign in and use "Resend verification email" on My Classes to get a new link.'}
            </p>
          )}
          {signedIn ? <Link to={homePath(signedIn)}>Go to My Classes</Link> : <Link to="/signin">Sign in</Link>}
        </div>
      )}
    </section>
  );
}
