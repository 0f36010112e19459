import { useId } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { FormError } from './FormError.tsx';

interface FormCardProps {
  title: string;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  success?: string | null;
  onSubmit: () => void;
  children: ReactNode;
}

/** A titled form (its role "form" is named by the title) with the server's message and a submit button. */
export function FormCard({ title, submitLabel, pending, error, success, onSubmit, children }: FormCardProps) {
  const headingId = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <FormError error={error} />
      {children}
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {submitLabel}
        </button>
        {success && !error && (
          <span role="status" className="ok-text">
            {success}
          </span>
        )}
      </div>
    </form>
  );
}
