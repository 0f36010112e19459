import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { Diagnosis } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { signInPath } from '../navigation.ts';
import { useSession } from '../session.tsx';
import { DiagnosisView } from './DiagnosisView.tsx';

const TITLE = "Why can't I see Add from Rostering Service?";

/**
 * The signed-in teacher's own diagnosis: Rollcall checks, in order, what Add
 * from Rostering Service needs, and names the first thing missing, who can fix
 * it and how. Every visit (and "Check again") reads everything fresh.
 */
export function RosteringHelp() {
  useTitle(TITLE);
  const { session } = useSession();
  const user = session?.user;
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);

  const check = useCallback(async () => {
    setChecking(true);
    try {
      setDiagnosis((await consolesApi.myDiagnosis()).diagnosis);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    if (user) void check();
  }, [user, check]);

  if (!session) return <Loading />;
  if (!user) {
    return (
      <section className="page narrow">
        <h1>{TITLE}</h1>
        <div className="card">
          <p>Sign in and Rollcall will check your account step by step: what is missing, who can fix it, and what to do.</p>
          <Link className="button" to={signInPath('/help/rostering')}>
            Sign in
          </Link>
        </div>
      </section>
    );
  }

  return (
    <section className="page narrow">
      <p className="breadcrumb">
        <Link to="/classes">My Classes</Link>
      </p>
      <h1>{TITLE}</h1>
      <p className="lede">Rollcall checked what Add from Rostering Service needs, in order, for your account.</p>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!diagnosis && !error && <Loading label="Checking your account…" />}
      {diagnosis && <DiagnosisView diagnosis={diagnosis} self />}
      <div className="form-actions">
        <button type="button" className="button button-quiet" onClick={() => void check()} disabled={checking}>
          Check again
        </button>
        {checking && diagnosis && (
          <span className="muted" role="status">
            Checking…
          </span>
        )}
        <Link to="/classes">Back to My Classes</Link>
      </div>
    </section>
  );
}

export function NotFound() {
  useTitle('Page not found');
  return (
    <section className="page narrow">
      <h1>Page not found</h1>
      <p>
        There's nothing at this address. <Link to="/">Go to Rollcall's start page</Link>
      </p>
    </section>
  );
}
