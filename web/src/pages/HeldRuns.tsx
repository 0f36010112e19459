import { useState } from 'react';
import type { ApiError } from '../api.ts';
import { consolesApi } from '../consoles-api.ts';
import type { HeldRun } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { formatTime } from '../format.ts';
import { PROVIDER_NAME } from './integration-text.ts';

/** A 404 from the router itself (not "sync run not found"): this server has no hold decisions yet. */
export function decisionMessage(error: ApiError): string {
  if (error.status === 404 && /no such endpoint/i.test(error.message)) {
    return 'Deciding on held syncs isn’t available on this server yet. Nothing was changed; contact Rollcall support.';
  }
  return error.message;
}

interface Props {
  runs: HeldRun[];
  canDecide: boolean;
  labelledBy: string;
  onDecided: () => Promise<void>;
}

/** Runs held by the removal safety check: who would leave, and Approve / Reject. */
export function HeldRuns({ runs, canDecide, labelledBy, onDecided }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  async function decide(run: HeldRun, how: 'approve' | 'reject') {
    setBusy(run.id);
    setNotice(null);
    setErrors((e) => ({ ...e, [run.id]: '' }));
    try {
      if (how === 'approve') {
        const { result } = await consolesApi.approveRun(run.id);
        setNotice(`Approved: ${result.removed === 1 ? '1 student' : `${result.removed} students`} removed${result.archived ? `, ${result.archived} archived` : ''}.`);
      } else {
        await consolesApi.rejectRun(run.id);
        setNotice('Rejected: nobody was removed.');
      }
      await onDecided();
    } catch (e) {
      setErrors((all) => ({ ...all, [run.id]: decisionMessage(asApiError(e)) }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby={labelledBy}>
      {notice && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="meta">No syncs are waiting for a decision.</p>
      ) : (
        runs.map((run) => (
          <article key={run.id} className="card held-run" aria-label={`Held sync ${run.className ?? ''}`.trim()}>
            <p>
              <strong>
                {run.triggerLabel}
                {run.className ? `: ${run.className}` : ''}
              </strong>{' '}
              <span className="muted">
                {run.provider ? `${PROVIDER_NAME[run.provider]} · ` : ''}
                {formatTime(run.startedAt)}
              </span>
            </p>
            {run.explanation && <p className="explanation">{run.explanation}</p>}
            {run.pendingRemovals.length > 0 && (
              <>
                <p>Would leave:</p>
                <ul>
                  {run.pendingRemovals.map((p) => (
                    <li key={`${p.classId ?? ''}:${p.userId}`}>
                      {p.name ?? 'A student'}
                      {p.className && p.className !== run.className ? <span className="muted"> ({p.className})</span> : null}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {run.pendingArchives.length > 0 && (
              <p>
                Would be archived: {run.pendingArchives.map((a) => a.className ?? 'a class').join(', ')}
              </p>
            )}
            {canDecide && (
              <div className="form-actions">
                <button type="button" className="button button-small" disabled={busy === run.id} onClick={() => void decide(run, 'approve')}>
                  Approve
                </button>
                <button type="button" className="button button-small button-quiet" disabled={busy === run.id} onClick={() => void decide(run, 'reject')}>
                  Reject
                </button>
              </div>
            )}
            {errors[run.id] && (
              <p role="alert" className="form-error">
                {errors[run.id]}
              </p>
            )}
          </article>
        ))
      )}
    </section>
  );
}
