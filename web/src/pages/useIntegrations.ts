import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { asApiError } from '../forms.ts';
import type { Integration } from '../types.ts';

/** The integrations this person may see (all for operators, their districts' for district admins). */
export function useIntegrations() {
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const reload = useCallback(async () => {
    try {
      setIntegrations((await api.integrations()).integrations);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { integrations, error, reload };
}
