import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { formatTerm, formatTime, lastSyncedText, periodLabel, plural } from '../format.ts';
import { useUser } from '../session.tsx';
import type { ClassList, ClassSource, ClassSummary } from '../types.ts';
import { AddClassesDialog } from './AddClassesDialog.tsx';
import { VerifyBanner } from './VerifyBanner.tsx';

export const SOURCE_BADGE: Record<ClassSource, string> = {
  manual: 'Manual',
  clever: 'Clever',
  classlink: 'ClassLink',
};

export function useClasses() {
  const [data, setData] = useState<ClassList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      setData(await api.classes());
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, reload: load };
}

/** A teacher's classes as cards, each linking to its class page. */
export function ClassCards({ classes }: { classes: ClassSummary[] }) {
  return (
    <ul className="class-list">
      {classes.map((c) => {
        const facts = [
          c.studentCount === null ? null : plural(c.studentCount, 'student'),
          c.term ? formatTerm(c.term) : null,
          c.period ? periodLabel(c.period) : null,
        ].filter((f): f is string => f !== null);
        return (
          <li key={c.id} className="card class-card">
            <h2>
              <Link to={`/classes/${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </h2>
            <span className={`badge badge-${c.source}`}>{SOURCE_BADGE[c.source]}</span>
            <p className="meta">{facts.join(' · ')}</p>
            {c.teachers.length > 1 && <p className="meta">With {c.teachers.join(', ')}</p>}
            {c.source !== 'manual' && (
              <p className="meta">
                {c.lastSyncedAt ? (
                  <time dateTime={c.lastSyncedAt} title={formatTime(c.lastSyncedAt)}>
                    {lastSyncedText(c.lastSyncedAt)}
                  </time>
                ) : (
                  lastSyncedText(null)
                )}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function Classes() {
  useTitle('My Classes');
  const user = useUser();
  const location = useLocation();
  const passed = (location.state as { notice?: unknown } | null)?.notice;
  const [notice, setNotice] = useState<string | null>(typeof passed === 'string' ? passed : null);
  const { data, error, reload } = useClasses();
  const [adding, setAdding] = useState(false);
  const [opening, setOpening] = useState(false);
  // Whether rostering is available is asked again when the dialog opens: a seat accepted or an
  // account connected in another tab shows up here without reloading the page or signing in again.
  const openAdd = async () => {
    setOpening(true);
    await reload();
    setOpening(false);
    setAdding(true);
  };

  return (
    <section className="page">
      {notice && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      {user.email && !user.emailVerified && <VerifyBanner email={user.email} />}
      <div className="page-head">
        <h1>My Classes</h1>
        <button type="button" className="button" onClick={() => void openAdd()} disabled={!data || opening}>
          Add Classes
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!data && !error && <Loading />}
      {data && data.classes.length === 0 && (
        <div className="empty card">
          <h2>No classes yet</h2>
          <p>Use Add Classes to bring your classes over from your rostering service, with their students.</p>
        </div>
      )}
      {data && data.classes.length > 0 && <ClassCards classes={data.classes} />}
      {adding && data && (
        <AddClassesDialog
          rosteringAvailable={data.rostering.available}
          onClose={() => setAdding(false)}
          onCreated={async (c) => {
            setAdding(false);
            setNotice(`Created ${c.name}.`);
            await reload();
          }}
        />
      )}
    </section>
  );
}
