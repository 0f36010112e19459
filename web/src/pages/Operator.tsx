import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { formatDay } from '../format.ts';
import type { Integration, OperatorDistrict } from '../types.ts';
import { DistrictIntegrations } from './DistrictIntegrations.tsx';
import { AddAdminForm, AddLicenseForm } from './LicenseForms.tsx';
import { AddDistrictForm, AddSchoolForm } from './OperatorForms.tsx';
import { useIntegrations } from './useIntegrations.ts';

/** Our support staff's console: districts, their schools and licenses, and the forms to add them. */
export function Operator() {
  useTitle('Operator');
  const [districts, setDistricts] = useState<OperatorDistrict[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const integrations = useIntegrations();

  const load = useCallback(async () => {
    try {
      setDistricts((await api.districts()).districts);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>Operator</h1>
        <div className="head-actions">
          <Link className="button button-quiet" to="/operator/users">
            Find a user
          </Link>
          <Link className="button button-quiet" to="/operator/audit">
            Audit log
          </Link>
        </div>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {integrations.error && (
        <p role="alert" className="form-error">
          Integrations: {integrations.error.message}
        </p>
      )}
      {!districts && !error && <Loading />}
      {districts && (
        <div className="operator">
          <div className="operator-list">
            <h2>Districts</h2>
            {districts.length === 0 && <p className="empty card">No districts yet. Add the first one.</p>}
            {districts.map((d) => (
              <DistrictCard
                key={d.id}
                district={d}
                integrations={integrations.integrations?.filter((i) => i.districtId === d.id) ?? null}
                integrationsFailed={integrations.error !== null}
                onIntegrationsChanged={integrations.reload}
              />
            ))}
          </div>
          <div className="operator-forms">
            <h2>Add</h2>
            <AddDistrictForm onChanged={load} />
            <AddSchoolForm districts={districts} onChanged={load} />
            <AddLicenseForm districts={districts} onChanged={load} />
            <AddAdminForm districts={districts} onChanged={load} />
          </div>
        </div>
      )}
    </section>
  );
}

interface DistrictCardProps {
  district: OperatorDistrict;
  integrations: Integration[] | null;
  integrationsFailed: boolean;
  onIntegrationsChanged: () => Promise<void>;
}

function DistrictCard({ district, integrations, integrationsFailed, onIntegrationsChanged }: DistrictCardProps) {
  return (
    <article className="card district" aria-labelledby={`district-${district.id}`}>
      <h3 id={`district-${district.id}`}>{district.name}</h3>
      <p className="meta">
        Schools: {district.schools.length === 0 ? 'none yet' : district.schools.map((s) => s.name).join(', ')}
      </p>
      {district.licenses.length === 0 ? (
        <p className="meta">No licenses yet.</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">License</th>
              <th scope="col">For</th>
              <th scope="col">Seats used</th>
              <th scope="col">Dates</th>
              <th scope="col">Administrators</th>
            </tr>
          </thead>
          <tbody>
            {district.licenses.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  <Link to={`/licenses/${l.id}`}>{l.name}</Link>
                </th>
                <td>{l.schoolName ?? 'Whole district'}</td>
                <td>
                  {l.seatsUsed} of {l.seats}
                </td>
                <td>
                  {formatDay(l.startsOn)} – {formatDay(l.endsOn)}
                </td>
                <td>
                  {l.admins.length === 0 ? (
                    <span className="muted">None yet</span>
                  ) : (
                    l.admins.map((a) => (
                      <div key={a.email}>
                        {a.name} <span className="muted">{a.email}</span>
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DistrictIntegrations
        district={district}
        integrations={integrations}
        loadFailed={integrationsFailed}
        onChanged={onIntegrationsChanged}
      />
    </article>
  );
}
