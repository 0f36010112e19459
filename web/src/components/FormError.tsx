import { useEffect, useRef } from 'react';
import type { ApiError } from '../api.ts';

/**
 * The server's message at the top of a form. When the server named fields, the
 * first invalid input gets focus so a keyboard user lands on what to fix.
 */
export function FormError({ error }: { error: ApiError | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!error || error.fields.length === 0) return;
    const form = ref.current?.closest('form');
    form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  return (
    <div ref={ref} role="alert" className={error ? 'form-error' : 'form-error-empty'}>
      {error?.message}
    </div>
  );
}
