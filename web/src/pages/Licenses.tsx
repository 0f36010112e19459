import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { formatDay } from '../format.ts';
import type { License } from '../types.ts';

export function licensePlace(l: { schoolName: string | null; districtName: string }): string {
  return l.schoolName ? `${l.schoolName}, ${l.districtName}` : `${l.districtName} (whole district)`;
}

export function Licenses() {
  useTitle('Licenses');
  const [licenses, setLicenses] = useState<License[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api
      .licenses()
      .then((d) => live && setLicenses(d.licenses))
      .catch((e: unknown) => live && setError(asApiError(e)));
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="page">
      <h1>Licenses</h1>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!licenses && !error && <Loading />}
      {licenses && licenses.length === 0 && <p className="empty card">You don't administer any licenses.</p>}
      {licenses && licenses.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">License</th>
              <th scope="col">School</th>
              <th scope="col">Seats used</th>
              <th scope="col">Dates</th>
            </tr>
          </thead>
          <tbody>
            {licenses.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  <Link to={`/licenses/${l.id}`}>{l.name}</Link>
                </th>
                <td>{licensePlace(l)}</td>
                <td>
                  {l.seatsUsed} of {l.seats}
                </td>
                <td>
                  {formatDay(l.startsOn)} – {formatDay(l.endsOn)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
