import { useId } from 'react';
import type { ReactNode } from 'react';
import type { ApiError } from '../api.ts';

interface SelectFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: ApiError | null;
  children: ReactNode;
  hint?: string;
}

/** A labelled <select> that shows the server's message for its field, like <Field>. */
export function SelectField({ label, name, value, onChange, error, children, hint }: SelectFieldProps) {
  const id = useId();
  const message = error?.fieldMessage(name);
  const errorId = message ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${message ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      >
        {children}
      </select>
      {message && (
        <p className="field-error" id={errorId}>
          {message}
        </p>
      )}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
