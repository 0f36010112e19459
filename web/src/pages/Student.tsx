import { Loading, useTitle } from '../components/Guards.tsx';
import { ClassCards, useClasses } from './Classes.tsx';

/** A student's classes, read-only. */
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
      {data && data.classes.length > 0 && <ClassCards classes={data.classes} showSource={false} />}
    </section>
  );
}
