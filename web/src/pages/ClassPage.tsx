import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError, useSubmit } from '../forms.ts';
import { formatTime, lastSyncedText, plural } from '../format.ts';
import type { ClassDetail, SyncRun } from '../types.ts';
import { ConfirmRemoveClass, RosterHistory, RosterTable, classOrigin } from './ClassParts.tsx';

/** One class: where it comes from, its roster and roster history, Sync now and Remove from Rollcall. */
export function ClassPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [data, setData] = useState<ClassDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [syncRun, setSyncRun] = useState<SyncRun | null>(null);
  const [removing, setRemoving] = useState(false);
  const sync = useSubmit();
  useTitle(data?.class.name ?? 'Class');

  const load = useCallback(async () => {
    try {
      setData(await api.class(id));
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  function syncNow() {
    if (sync.pending) return;
    setSyncRun(null);
    void sync.run(async () => {
      const res = await api.syncClass(id);
      setSyncRun(res.run);
      await load();
    });
  }

  if (error && !data) {
    return (
      <section className="page">
        <p className="breadcrumb">
          <Link to="/classes">My Classes</Link>
        </p>
        <h1>Class</h1>
        <p role="alert" className="form-error">
          {error.message}
        </p>
      </section>
    );
  }
  if (!data) return <Loading />;
  const c = data.class;
  const rostered = c.source !== 'manual';

  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/classes">My Classes</Link>
      </p>
      {c.archived && (
        <div className="banner">
          <p>
            This class was removed from Rollcall. Its roster and history are kept
            {rostered ? '; adding it again from your rostering service restores it.' : '.'}
          </p>
        </div>
      )}
      <div className="page-head">
        <h1>{c.name}</h1>
        <div className="head-actions">
          {data.abilities.sync && (
            <button type="button" className="button" onClick={syncNow} disabled={sync.pending}>
              {sync.pending ? 'Syncing…' : 'Sync now'}
            </button>
          )}
          {data.abilities.remove && (
            <button type="button" className="button button-danger-quiet" onClick={() => setRemoving(true)}>
              Remove from Rollcall
            </button>
          )}
        </div>
      </div>
      <p className="origin">{classOrigin(c)}</p>
      {rostered && (
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
      {syncRun && (
        <p
          role={syncRun.status === 'succeeded' ? 'status' : 'alert'}
          className={syncRun.status === 'succeeded' ? 'notice notice-ok' : syncRun.status === 'held' ? 'banner' : 'form-error'}
        >
          {syncRun.message}
        </p>
      )}
      {sync.error && (
        <p role="alert" className="form-error">
          {sync.error.message}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}

      <h2>Teachers</h2>
      <ul className="teachers">
        {data.teachers.map((t) => (
          <li key={t.id}>{t.name}</li>
        ))}
      </ul>

      <h2>Roster</h2>
      {data.students.length > 0 && <p className="meta">{plural(data.students.length, 'student')}</p>}
      <RosterTable students={data.students} />

      <h2>Roster history</h2>
      <RosterHistory history={data.history} />

      {removing && (
        <ConfirmRemoveClass
          classId={c.id}
          name={c.name}
          onClose={() => setRemoving(false)}
          onRemoved={() =>
            navigate('/classes', { state: { notice: `Removed ${c.name} from Rollcall. Importing it again restores it.` } })
          }
        />
      )}
    </section>
  );
}
