import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { useTitle } from '../components/Guards.tsx';
import { useSubmit } from '../forms.ts';
import { homePath } from '../navigation.ts';
import { useSession } from '../session.tsx';

export const RESET_SENT = 'If an account exists for that email, we sent a link to reset your password.';

export function ResetPasswordRequest() {
  useTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { pending, error, run } = useSubmit();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.requestPasswordReset(email.trim());
      setSent(true);
    });
  }

  return (
    <section className="page narrow">
      <h1>Reset your password</h1>
      {sent ? (
        <div className="card">
          <p role="status" className="notice notice-ok">
            {RESET_SENT}
          </p>
          <p>The link works for a limited time. Check your spam folder if it hasn't arrived in a few minutes.</p>
          <Link to="/signin">Back to sign in</Link>
        </div>
      ) : (
        <form className="card" onSubmit={onSubmit} noValidate aria-label="Reset your password">
          <p>Enter the email you use for Rollcall and we'll send you a link to choose a new password.</p>
          <FormError error={error} />
          <Field label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} error={error} required />
          <div className="form-actions">
            <button type="submit" className="button" disabled={pending}>
              Send reset link
            </button>
            <Link to="/signin">Back to sign in</Link>
          </div>
        </form>
      )}
    </section>
  );
}

export function ResetPasswordComplete() {
  useTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const { pending, error, run } = useSubmit();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const { user } = await api.completePasswordReset({ token, password });
      await refresh();
      navigate(homePath(user), { replace: true });
    });
  }

  return (
    <section className="page narrow">
      <h1>Choose a new password</h1>
      <form className="card" onSubmit={onSubmit} noValidate aria-label="Choose a new password">
        <FormError error={error} />
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
          <button type="submit" className="button" disabled={pending || !token}>
            Set password
          </button>
        </div>
        {!token && <p className="hint">This link is missing its code. Open the link from the email again.</p>}
        {error?.status === 410 && (
          <p>
            <Link to="/reset-password">Ask for a new link</Link>
          </p>
        )}
      </form>
    </section>
  );
}
