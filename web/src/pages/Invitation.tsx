import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError, useSubmit } from '../forms.ts';
import { signInPath } from '../navigation.ts';
import { useSession } from '../session.tsx';
import type { InvitationView } from '../types.ts';

const sameEmail = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();

export function InvitationPage() {
  useTitle('Your invitation');
  const { token = '' } = useParams();
  const [view, setView] = useState<InvitationView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const { session } = useSession();
  const userId = session?.user?.id ?? null;

  useEffect(() => {
    let live = true;
    setLoadError(null);
    api
      .invitation(token)
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setLoadError(asApiError(e)));
    return () => {
      live = false;
    };
    // Re-read when the person signs in or out: signedInAs changes.
  }, [token, userId]);

  if (loadError) {
    return (
      <section className="page narrow">
        <h1>Invitation</h1>
        <div className="card">
          <p role="alert" className="form-error">
            {loadError.message}
          </p>
          {(loadError.status === 410 || loadError.status === 404) && (
            <p>Ask your license administrator to resend your invitation; the new email has a fresh link.</p>
          )}
        </div>
      </section>
    );
  }
  if (!view) return <Loading />;
  const inv = view.invitation;
  const place = inv.schoolName ? `${inv.schoolName}, ${inv.districtName}` : inv.districtName;

  return (
    <section className="page narrow">
      <h1>Join {inv.licenseName}</h1>
      <p className="lede">
        {inv.invitedBy ? `${inv.invitedBy} invited you` : 'You are invited'} to use Rollcall at {place}. The invitation is
        for <strong>{inv.email}</strong>.
      </p>
      <div className="card">
        <InvitationAction token={token} view={view} />
      </div>
    </section>
  );
}

function InvitationAction({ token, view }: { token: string; view: InvitationView }) {
  const inv = view.invitation;
  const { session, refresh, signOut } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { pending, error, run } = useSubmit();
  const signedInEmail = view.signedInAs ? view.signedInAs.email : null;
  const signedIn = view.signedInAs !== null && !!session?.user;

  if (inv.state === 'accepted') {
    return (
      <>
        <p role="status">This invitation has already been accepted.</p>
        {signedIn ? <Link to="/classes">Go to My Classes</Link> : <Link to={signInPath('/classes')}>Sign in</Link>}
      </>
    );
  }

  function accept(body: { name?: string; password?: string }) {
    void run(async () => {
      await api.acceptInvitation(token, body);
      await refresh();
      navigate('/classes', { replace: true });
    });
  }

  if (signedIn && !sameEmail(signedInEmail, inv.email)) {
    return (
      <>
        <p>
          You're signed in as <strong>{signedInEmail ?? session?.user?.name}</strong>, but this invitation is for{' '}
          <strong>{inv.email}</strong>. Log out, then open the link again to accept it with the right account.
        </p>
        <FormError error={error} />
        <button type="button" className="button" disabled={pending} onClick={() => void run(signOut)}>
          Log Out
        </button>
      </>
    );
  }

  if (signedIn) {
    return (
      <>
        <FormError error={error} />
        <p>Accept to join the license. You can then add your classes from My Classes.</p>
        <button type="button" className="button" disabled={pending} onClick={() => accept({})}>
          Accept invitation
        </button>
      </>
    );
  }

  if (inv.accountExists) {
    return (
      <>
        <p>You already have a Rollcall account for {inv.email}. Sign in with it to accept.</p>
        <Link className="button" to={signInPath(`/invitations/${token}`)}>
          Sign in to accept
        </Link>
      </>
    );
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    accept({ name: name.trim(), password });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Accept invitation">
      <p>Finish creating your account to accept.</p>
      <FormError error={error} />
      <p className="readonly-field">
        <span className="label">Email</span> {inv.email}
      </p>
      <Field label="Name" name="name" autoComplete="name" value={name} onChange={setName} error={error} required />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        error={error}
        hint="At least 10 characters."
        required
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          Accept invitation
        </button>
      </div>
    </form>
  );
}
