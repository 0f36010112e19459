import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { UserDetail } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import { formatDay, formatTime } from '../format.ts';
import { SOURCE_BADGE } from './Classes.tsx';
import { DiagnosisView } from './DiagnosisView.tsx';
import { PROVIDER_NAME } from './integration-text.ts';

const STATE: Record<UserDetail['licenses'][number]['state'], string> = { invited: 'Invited', accepted: 'Accepted', removed: 'Removed' };

/** One user for support: accounts, licenses, classes and the same diagnosis the teacher sees. */
export function OperatorUser() {
  const { id = '' } = useParams();
  const [data, setData] = useState<UserDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useTitle(data?.user.name ?? 'User');

  const load = useCallback(async () => {
    try {
      setData(await consolesApi.user(id));
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error && !data) {
    return (
      <section className="page">
        <h1>User</h1>
        <p role="alert" className="form-error">
          {error.message}
        </p>
        <Link to="/operator/users">Find a user</Link>
      </section>
    );
  }
  if (!data) return <Loading />;
  const { user } = data;
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/operator/users">Find a user</Link>
      </p>
      <h1>{user.name}</h1>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>
            {user.email ?? '—'} {user.email && (user.emailVerified ? <span className="muted">(verified)</span> : <span className="warn">(not verified)</span>)}
          </dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </div>
        <div>
          <dt>Password</dt>
          <dd>{user.hasPassword ? 'Set' : 'None'}</dd>
        </div>
        <div>
          <dt>Last sign-in</dt>
          <dd>{formatTime(user.lastSignInAt)}</dd>
        </div>
      </dl>

      <h2>Rostering accounts</h2>
      {data.identities.length === 0 ? (
        <p className="meta">Not connected to Clever or ClassLink.</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">District</th>
              <th scope="col">Provider id</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {data.identities.map((i) => (
              <tr key={`${i.provider}:${i.tenantKey}:${i.externalId}`}>
                <th scope="row">{PROVIDER_NAME[i.provider]}</th>
                <td>{i.districtName ?? <span className="muted">{i.tenantKey} (not integrated)</span>}</td>
                <td className="mono">{i.externalId}</td>
                <td>{formatTime(i.lastSignInAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {user.role !== 'student' && (
        <>
          <h2>Licenses</h2>
          {data.licenses.length === 0 ? (
            <p className="meta">Not on any license.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">License</th>
                  <th scope="col">State</th>
                  <th scope="col">Dates</th>
                </tr>
              </thead>
              <tbody>
                {data.licenses.map((l) => (
                  <tr key={l.memberId}>
                    <th scope="row">
                      <Link to={`/licenses/${encodeURIComponent(l.licenseId)}`}>{l.licenseName}</Link>
                      {l.schoolName && <span className="muted"> · {l.schoolName}</span>}
                    </th>
                    <td>{STATE[l.state]}</td>
                    <td>
                      {formatDay(l.startsOn)} – {formatDay(l.endsOn)}
                      {!l.inDate && <span className="warn"> (not current)</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}

      <h2>Classes</h2>
      {data.classes.length === 0 ? (
        <p className="meta">No classes.</p>
      ) : (
        <ul className="plain-list">
          {data.classes.map((c) => (
            <li key={c.id}>
              <Link to={`/classes/${encodeURIComponent(c.id)}`}>{c.name}</Link> <span className={`badge badge-${c.source}`}>{SOURCE_BADGE[c.source]}</span>{' '}
              <span className="muted">{c.studentCount} students</span>
            </li>
          ))}
        </ul>
      )}

      {data.diagnosis && (
        <>
          <h2>Why they can or can't see Add from Rostering Service</h2>
          <DiagnosisView diagnosis={data.diagnosis} self={false} level={3} />
        </>
      )}
    </section>
  );
}
