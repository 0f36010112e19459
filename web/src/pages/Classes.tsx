import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { plural } from '../format.ts';
import { useUser } from '../session.tsx';
import type { ClassList, ClassSummary } from '../types.ts';
import { AddClassesDialog } from './AddClassesDialog.tsx';
import { VerifyBanner } from './VerifyBanner.tsx';

const SOURCE_LABEL: Record<ClassSummary['source'], string> = {
  manual: 'Created in Rollcall',
  clever: 'From Clever',
  classlink: 'From ClassLink',
};

export function useClasses() {
  const [data, setData] = useState<ClassList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api
      .classes()
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(asApiError(e)));
    return () => {
      live = false;
    };
  }, []);
  return { data, error };
}

export function ClassCards({ classes, showSource }: { classes: ClassSummary[]; showSource: boolean }) {
  return (
    <ul className="class-list">
      {classes.map((c) => (
        <li key={c.id} className="card class-card">
          <h2>{c.name}</h2>
          <p className="meta">
            {plural(c.studentCount, 'student')}
            {c.teachers.length > 0 && <> · {c.teachers.join(', ')}</>}
          </p>
          {showSource && <span className={`badge badge-${c.source}`}>{SOURCE_LABEL[c.source]}</span>}
        </li>
      ))}
    </ul>
  );
}

export function Classes() {
  useTitle('My Classes');
  const user = useUser();
  const location = useLocation();
  const notice = (location.state as { notice?: unknown } | null)?.notice;
  const { data, error } = useClasses();
  const [adding, setAdding] = useState(false);

  return (
    <section className="page">
      {typeof notice === 'string' && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      {user.email && !user.emailVerified && <VerifyBanner email={user.email} />}
      <div className="page-head">
        <h1>My Classes</h1>
        <button type="button" className="button" onClick={() => setAdding(true)} disabled={!data}>
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
      {data && data.classes.length > 0 && <ClassCards classes={data.classes} showSource />}
      {adding && data && <AddClassesDialog rosteringAvailable={data.rostering.available} onClose={() => setAdding(false)} />}
    </section>
  );
}
