import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { useTitle } from '../components/Guards.tsx';
import { useSubmit } from '../forms.ts';
import { afterSignIn, safeReturnTo } from '../navigation.ts';
import { useSession } from '../session.tsx';
import { signInErrorMessage } from '../signin-errors.ts';

export function SignIn() {
  useTitle('Sign in');
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { pending, error, run } = useSubmit();
  const providers = session?.providers ?? [];
  const providerError = signInErrorMessage(params.get('error'), params.get('provider'));
  const providerHref = (href: string) => (returnTo ? `${href}?returnTo=${encodeURIComponent(returnTo)}` : href);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const { user } = await api.signIn({ email: email.trim(), password });
      await refresh();
      navigate(afterSignIn(user, returnTo), { replace: true });
    });
  }

  return (
    <section className="page narrow">
      <h1>Sign in to Rollcall</h1>
      {providerError && (
        <p role="alert" className="form-error">
          {providerError}
        </p>
      )}
      {/* Rostering sign-in (Clever, ClassLink) appears here once the server lists providers. */}
      {providers.length > 0 && (
        <div className="providers">
          {providers.map((p) => (
            <a key={p.id} className="button button-provider" href={providerHref(p.href)}>
              Log in with {p.label}
            </a>
          ))}
          <p className="divider">
            <span>or with your email</span>
          </p>
        </div>
      )}
      <form className="card" onSubmit={onSubmit} noValidate aria-label="Sign in">
        <FormError error={error} />
        <Field label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} error={error} required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} error={error} required />
        <div className="form-actions">
          <button type="submit" className="button" disabled={pending}>
            Sign in
          </button>
          <Link to="/reset-password">Forgot your password?</Link>
        </div>
      </form>
      <p className="after-card">
        New to Rollcall? <Link to={returnTo ? `/signup?returnTo=${encodeURIComponent(returnTo)}` : '/signup'}>Create account</Link>
      </p>
    </section>
  );
}
