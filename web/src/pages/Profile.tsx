import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useTitle } from '../components/Guards.tsx';
import { formatTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { signInErrorMessage } from '../signin-errors.ts';
import type { ProfileView } from '../types.ts';

/** The signed-in person's account: who they are and which rostering accounts are connected. */
export function Profile() {
  useTitle('Your account');
  const { session } = useSession();
  const [params] = useSearchParams();
  const [profile, setProfile] = useState<ProfileView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const error = signInErrorMessage(params.get('error'), params.get('provider'));
  const connected = params.get('connected');

  useEffect(() => {
    api.profile().then(setProfile, (e: Error) => setLoadError(e.message));
  }, []);

  const user = session?.user;
  if (!user) return null;
  return (
    <section className="page narrow">
      <h1>Your account</h1>
      <p>
        {user.name}
        {user.email && <span className="muted"> · {user.email}</span>}
      </p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {connected && !error && <p role="status" className="notice">Connected {connected === 'clever' ? 'Clever' : 'ClassLink'}.</p>}
      {loadError && <p role="alert" className="form-error">{loadError}</p>}
      {profile && (
        <>
          <h2>Rostering accounts</h2>
          <ul className="plain-list">
            {profile.providers.map((p) => {
              const identity = profile.identities.find((i) => i.provider === p.id);
              return (
                <li key={p.id} className="card">
                  <strong>{p.label}</strong>{' '}
                  {identity ? (
                    <span className="badge badge-complete">Connected{identity.lastSignInAt ? ` · last used ${formatTime(identity.lastSignInAt)}` : ''}</span>
                  ) : user.role === 'teacher' ? (
                    <a className="button button-small" href={p.connectHref}>
                      Connect {p.label}
                    </a>
                  ) : (
                    <span className="muted">Not connected</span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
