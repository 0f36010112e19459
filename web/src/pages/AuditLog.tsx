import { useCallback, useEffect, useId, useState } from 'react';
import type { ApiError } from '../api.ts';
import { Loading } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { AuditEvent } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { formatTime } from '../format.ts';

/** Who did what, when: the district's audit log (or every district's, for support), newest first, with "Show older". */
export function AuditLog({ districtId, level = 2, showDistrict = false }: { districtId?: string; level?: 2 | 3; showDistrict?: boolean }) {
  const H = level === 2 ? 'h2' : 'h3';
  const headingId = useId();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(
    async (before?: string) => {
      try {
        const { events: page } = await consolesApi.audit({ districtId, before });
        setEvents((prev) => (before && prev ? [...prev, ...page] : page));
        setMore(page.length >= 100);
        setError(null);
      } catch (e) {
        setError(asApiError(e));
      }
    },
    [districtId],
  );

  useEffect(() => {
    setEvents(null);
    void load();
  }, [load]);

  return (
    <section aria-labelledby={headingId}>
      <H id={headingId}>Audit log</H>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!events && !error && <Loading label="Loading the audit log…" />}
      {events && events.length === 0 && <p className="meta">No admin actions recorded yet.</p>}
      {events && events.length > 0 && (
        <div className="table-scroll">
          <table className="table compact" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                {showDistrict && <th scope="col">District</th>}
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.actor ?? <span className="muted">Rollcall (command line or system)</span>}</td>
                  {showDistrict && <td>{e.districtName ?? '—'}</td>}
                  <td>
                    {e.summary} <span className="muted mono">{e.action}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && events && (
        <button type="button" className="button button-small button-quiet" onClick={() => void load(events[events.length - 1]?.id)}>
          Show older
        </button>
      )}
    </section>
  );
}
