import { useId } from 'react';
import type { ApiError } from '../api.ts';

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: ApiError | null;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date';
  autoComplete?: string;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  min?: number;
}

/**
 * A labelled input with its hint and the server's message for this field, tied
 * together by aria-describedby. Forms use noValidate: the server is the judge
 * of what is valid, and its words appear here.
 */
export function Field(props: FieldProps) {
  const id = useId();
  const message = props.error?.fieldMessage(props.name);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    'aria-describedby': describedBy,
    'aria-invalid': message ? true : undefined,
    'aria-required': props.required ? true : undefined,
    placeholder: props.placeholder,
  } as const;
  return (
    <div className={`field${message ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          min={props.min}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {message && (
        <p className="field-error" id={errorId}>
          {message}
        </p>
      )}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
