import { Loading, useTitle } from '../components/Guards.tsx';
import { useClasses } from './Classes.tsx';

/** A student's classes, read-only: each class's name and its teachers. */
export function Student() {
  useTitle('My Classes');
  const { data, error } = useClasses();
  return (
    <section className="page">
      <div className="page-head">
        <h1>My Classes</h1>
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
          <p>When your teacher adds a class you're in, it appears here.</p>
        </div>
      )}
      {data && data.classes.length > 0 && (
        <ul className="class-list">
          {data.classes.map((c) => (
            <li key={c.id} className="card class-card">
              <h2>{c.name}</h2>
              {c.teachers.length > 0 && <p className="meta">{c.teachers.join(', ')}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
