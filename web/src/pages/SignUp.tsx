import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { useTitle } from '../components/Guards.tsx';
import { useSubmit } from '../forms.ts';
import { safeReturnTo } from '../navigation.ts';
import { useSession } from '../session.tsx';

export const VERIFY_NOTICE = 'Check your email to verify your address.';

export function SignUp() {
  useTitle('Create account');
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { pending, error, run } = useSubmit();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.signUp({ name: name.trim(), email: email.trim(), password });
      await refresh();
      navigate(returnTo ?? '/classes', { replace: true, state: { notice: VERIFY_NOTICE } });
    });
  }

  return (
    <section className="page narrow">
      <h1>Create your teacher account</h1>
      <p className="lede">Students don't need an account: they sign in through their school's rostering service.</p>
      <form className="card" onSubmit={onSubmit} noValidate aria-label="Create account">
        <FormError error={error} />
        <Field label="Name" name="name" autoComplete="name" value={name} onChange={setName} error={error} required />
        <Field label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} error={error} required />
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
            Create account
          </button>
        </div>
      </form>
      <p className="after-card">
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}
