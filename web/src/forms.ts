import { useCallback, useState } from 'react';
import { ApiError } from './api.ts';

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'client', e instanceof Error ? e.message : 'Something went wrong.');
}

/** Pending flag and the last error for one form or button. */
export function useSubmit() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}
