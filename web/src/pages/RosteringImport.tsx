import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { addedNotice, plural } from '../format.ts';
import type { ImportedClass, SectionsView } from '../types.ts';
import { ImportProgress, useImportRun } from './ImportProgress.tsx';
import { PROVIDER_NAME, SectionsTable, sectionKey } from './SectionsTable.tsx';

const WHY = "Why can't I see Add from Rostering Service?";

/** Which provider to name in the words around the table, when there is just one. */
function providerName(view: SectionsView): string | null {
  const ids = new Set(view.sections.map((s) => s.provider));
  if (view.provider && ids.size === 0) return PROVIDER_NAME[view.provider];
  if (ids.size !== 1) return null;
  const [only] = ids;
  return only ? PROVIDER_NAME[only] : null;
}

/**
 * Add from Rostering Service: the teacher's sections, live from the provider;
 * they check the ones they want and choose +Add Classes.
 */
export function RosteringImport({ pollMs = 1000 }: { pollMs?: number }) {
  useTitle('Add from Rostering Service');
  const navigate = useNavigate();
  const [view, setView] = useState<SectionsView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState(false);
  const [addError, setAddError] = useState<ApiError | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const submitting = useRef(false);
  const hintId = useId();

  /** quiet: refresh the rows in place (after a failed import) instead of showing the loading state. */
  const load = useCallback(async (quiet = false) => {
    if (!quiet) setLoading(true);
    setLoadError(null);
    try {
      setView(await api.rosterSections());
    } catch (e) {
      setView(null);
      setLoadError(asApiError(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const finish = useCallback(
    (imported: ImportedClass[]) => navigate('/classes', { state: { notice: addedNotice(imported.map((c) => c.name)) } }),
    [navigate],
  );

  const stopped = useCallback(
    (message: string, imported: ImportedClass[]) => {
      const partial = imported.length > 0 ? ` ${addedNotice(imported.map((c) => c.name))}` : '';
      setAddError(new ApiError(0, 'import_failed', message + partial));
      setRunId(null);
      setPending(false);
      submitting.current = false;
      void load(true);
    },
    [load],
  );

  const progress = useImportRun(runId, pollMs, finish, stopped);
  const sections = view?.sections ?? [];
  const chosen = sections.filter((s) => checked.has(sectionKey(s)) && s.state !== 'imported');

  function toggle(key: string, on: boolean) {
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  async function add(e: FormEvent) {
    e.preventDefault();
    if (submitting.current || chosen.length === 0) return;
    submitting.current = true;
    setPending(true);
    setAddError(null);
    try {
      const res = await api.importSections(chosen.map((s) => ({ integrationId: s.integrationId, externalId: s.externalId })));
      if ('runId' in res) {
        setRunId(res.runId);
        return;
      }
      finish(res.imported);
    } catch (err) {
      setAddError(asApiError(err));
      setPending(false);
      submitting.current = false;
    }
  }

  const name = view ? providerName(view) : null;
  const current = sections.filter((s) => s.state !== 'term-ended');
  const ended = sections.filter((s) => s.state === 'term-ended');
  const tableProps = { checked, onToggle: toggle, disabled: pending, showProvider: name === null };

  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to="/classes">My Classes</Link>
      </p>
      <h1>Add from Rostering Service</h1>
      {loading && <Loading label="Asking your rostering service for your classes…" />}
      {loadError && !loading && <LoadProblem error={loadError} onRetry={() => void load()} />}
      {view && !loading && (
        <>
          {view.seats && (
            <p className="seats">
              Your license {view.seats.licenseName} has {plural(view.seats.seats, 'teacher seat')};{' '}
              {view.seats.used} in use.
            </p>
          )}
          {sections.length === 0 ? (
            <div className="empty card">
              <h2>{name ?? 'Your rostering service'} lists no classes where you are a teacher</h2>
              <p>
                If you do teach classes there, ask your school's rostering contact to check that you are listed as their
                teacher, then come back here.
              </p>
              <p>
                <button type="button" className="button button-quiet" onClick={() => void load()}>
                  Check again
                </button>
              </p>
            </div>
          ) : (
            <form onSubmit={(e) => void add(e)} noValidate aria-label="Choose classes to add">
              <p className="lede">
                These are your classes as {name ?? 'your rostering service'} lists them right now. Check the box next to
                each class you want; its students come with it.
              </p>
              {current.length > 0 ? (
                <SectionsTable sections={current} caption="Your classes" {...tableProps} />
              ) : (
                <p className="muted">All of your classes are from terms that have ended.</p>
              )}
              {ended.length > 0 && (
                <details className="ended" open={current.length === 0 ? true : undefined}>
                  <summary>Ended terms ({ended.length})</summary>
                  <SectionsTable sections={ended} caption="Classes from ended terms" {...tableProps} />
                </details>
              )}
              {addError && (
                <p role="alert" className="form-error">
                  {addError.message}
                </p>
              )}
              {runId ? (
                <ImportProgress done={progress.done} total={progress.total || chosen.length} />
              ) : (
                <div className="form-actions">
                  <button
                    type="submit"
                    className="button"
                    disabled={chosen.length === 0 || pending}
                    aria-describedby={hintId}
                  >
                    {pending ? 'Adding…' : '+Add Classes'}
                  </button>
                  <span id={hintId} className="hint">
                    {chosen.length === 0
                      ? 'Check the box next to at least one class.'
                      : `${plural(chosen.length, 'class', 'classes')} checked.`}
                  </span>
                </div>
              )}
            </form>
          )}
        </>
      )}
    </section>
  );
}

function LoadProblem({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  if (error.status === 403) {
    return (
      <div className="card">
        <p role="alert" className="form-error">
          {error.message}
        </p>
        <p>
          <Link to="/help/rostering">{WHY}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <p role="alert" className="form-error">
        {error.message}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
