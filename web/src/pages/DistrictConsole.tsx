import { useCallback, useEffect, useId, useState } from 'react';
import type { ApiError } from '../api.ts';
import { Loading } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { ConsoleRun, DistrictConsole as Console } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { formatTime, plural } from '../format.ts';
import { AuditLog } from './AuditLog.tsx';
import { HeldRuns } from './HeldRuns.tsx';
import { PROVIDER_NAME } from './integration-text.ts';

export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 100) / 10;
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function runLine(run: ConsoleRun | null): string {
  if (!run) return 'None yet';
  return `${formatTime(run.startedAt)} · ${run.status} · ${run.summary} · ${durationText(run.durationMs)}`;
}

/**
 * District IT's console below the connections: what each provider shares next
 * to what Rollcall imported, problems explained, held syncs to decide, recent
 * syncs and the district's audit log. `refreshKey` reloads it (after a test).
 */
export function DistrictConsole({ districtId, refreshKey = 0 }: { districtId: string; refreshKey?: number }) {
  const [data, setData] = useState<Console | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heldId = useId();
  const runsId = useId();

  const load = useCallback(async () => {
    try {
      setData(await consolesApi.districtConsole(districtId));
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, [districtId]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  if (error && !data) {
    return (
      <p role="alert" className="form-error">
        {error.message}
      </p>
    );
  }
  if (!data) return <Loading label="Loading syncs…" />;

  return (
    <div className="district-console">
      {data.integrations.map((i) => (
        <div key={i.integration.id}>
          <h3>{PROVIDER_NAME[i.integration.provider]}: shared and imported</h3>
          <table className="table compact console-counts">
            <caption className="visually-hidden">{PROVIDER_NAME[i.integration.provider]}: what it shares and what Rollcall imported</caption>
            <thead>
              <tr>
                <th scope="col">Data</th>
                <th scope="col">{PROVIDER_NAME[i.integration.provider]} shares</th>
                <th scope="col">In Rollcall</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Schools</th>
                <td>{i.shared?.schools ?? '—'}</td>
                <td>—</td>
              </tr>
              <tr>
                <th scope="row">Teachers</th>
                <td>{i.shared?.teachers ?? '—'}</td>
                <td>{i.imported.teachersLinked} linked</td>
              </tr>
              <tr>
                <th scope="row">Sections</th>
                <td>{i.shared?.sections ?? '—'}</td>
                <td>{plural(i.imported.classes, 'class', 'classes')} imported</td>
              </tr>
              <tr>
                <th scope="row">Students</th>
                <td>{i.shared?.students ?? '—'}</td>
                <td>{i.imported.students} enrolled</td>
              </tr>
            </tbody>
          </table>
          <p className="meta">
            {i.shared ? `Counted by the last successful Test connection, ${formatTime(i.shared.at)}.` : 'Run Test connection to count what it shares.'}
          </p>
          <p className="meta">Last delta sync: {runLine(i.lastDelta)}</p>
          <p className="meta">Last full sync: {runLine(i.lastFull)}</p>
        </div>
      ))}

      {data.problems.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul className="plain-list">
            {data.problems.map((p, n) => (
              <li key={`${p.integrationId}-${n}`} className="warn">
                <strong>{PROVIDER_NAME[p.provider]}</strong>
                {p.at ? ` (${formatTime(p.at)})` : ''}: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 id={heldId}>Held syncs</h3>
      <HeldRuns runs={data.held} canDecide={data.abilities.decideHolds} labelledBy={heldId} onDecided={load} />

      <h3 id={runsId}>Recent syncs</h3>
      {data.runs.length === 0 ? (
        <p className="empty card">No syncs yet. They appear here as teachers import classes and Rollcall keeps them in step.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" aria-labelledby={runsId}>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Provider</th>
                <th scope="col">What</th>
                <th scope="col">Status</th>
                <th scope="col">Changes</th>
                <th scope="col">Took</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.startedAt)}</td>
                  <td>{r.provider ? PROVIDER_NAME[r.provider] : '—'}</td>
                  <td>
                    {r.triggerLabel}
                    {r.className ? `: ${r.className}` : ''}
                    {r.requestedBy ? <span className="muted"> by {r.requestedBy}</span> : null}
                  </td>
                  <td>
                    <span className={`badge badge-${r.status}`}>{r.status}</span>
                  </td>
                  <td>{r.summary}</td>
                  <td>{durationText(r.durationMs)}</td>
                  <td className="explanation">{r.explanation ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <AuditLog districtId={districtId} level={3} />
    </div>
  );
}
