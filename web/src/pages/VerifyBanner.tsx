import { useState } from 'react';
import { api } from '../api.ts';
import { useSubmit } from '../forms.ts';

export function VerifyBanner({ email }: { email: string }) {
  const [sent, setSent] = useState(false);
  const { pending, error, run } = useSubmit();
  return (
    <div className="banner" role="region" aria-label="Email verification">
      <p>
        Please verify <strong>{email}</strong>: we sent you a link.{' '}
        {sent ? (
          <span role="status">Sent. Check your inbox.</span>
        ) : (
          <button
            type="button"
            className="link-button"
            disabled={pending}
            onClick={() =>
              void run(async () => {
                await api.resendVerification();
                setSent(true);
              })
            }
          >
            Resend verification email
          </button>
        )}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error.message}
        </p>
      )}
    </div>
  );
}
