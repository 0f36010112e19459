import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { UserMatch } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { formatTime } from '../format.ts';
import { PROVIDER_NAME } from './integration-text.ts';

const ROLE: Record<UserMatch['role'], string> = { teacher: 'Teacher', student: 'Student', operator: 'Support' };

/** Support's lookup: any user by part of a name or email, or a Clever/ClassLink id. The query lives in the address. */
export function OperatorUsers() {
  useTitle('Find a user');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [users, setUsers] = useState<UserMatch[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const inputId = useId();
  const hintId = useId();

  useEffect(() => {
    setText(q);
    if (!q) {
      setUsers(null);
      return;
    }
    let live = true;
    setUsers(null);
    consolesApi.findUsers(q).then(
      (r) => {
        if (!live) return;
        setUsers(r.users);
        setError(null);
      },
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [q]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  }

  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to="/operator">Operator</Link>
      </p>
      <h1>Find a user</h1>
      <form className="search-form" role="search" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>Name, email or provider id</label>
          <input id={inputId} name="q" type="search" value={text} aria-describedby={hintId} onChange={(e) => setText(e.target.value)} />
          <p className="hint" id={hintId}>
            Part of a name or email, or an exact Clever or ClassLink id.
          </p>
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {q && !users && !error && <Loading label="Searching…" />}
      {users && users.length === 0 && <p className="empty card">Nobody matches “{q}”.</p>}
      {users && users.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Users matching {q}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">District</th>
              <th scope="col">Rostering</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <Link to={`/operator/users/${encodeURIComponent(u.id)}`}>{u.name}</Link>
                </th>
                <td>{u.email ?? <span className="muted">—</span>}</td>
                <td>{ROLE[u.role]}</td>
                <td>{u.districtName ?? <span className="muted">—</span>}</td>
                <td>{u.providers.length ? u.providers.map((p) => PROVIDER_NAME[p]).join(', ') : <span className="muted">—</span>}</td>
                <td>{formatTime(u.lastSignInAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
