import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { useSession } from '../session.tsx';
import type { Integration, IntegrationDetail, NamedRef, User } from '../types.ts';
import { StatusBadge, TestConnection } from './IntegrationParts.tsx';
import { PROVIDER_NAME, integrationTitle, tenantLabel } from './integration-text.ts';
import { SchoolMappings } from './SchoolMappings.tsx';

const isOperator = (u: User | null | undefined) => !!u && (u.role === 'operator' || u.abilities.operator);

/** One integration: status, settings (never secrets), Test connection, and the school mapping. */
export function IntegrationPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const operator = isOperator(session?.user);
  const [data, setData] = useState<IntegrationDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [schools, setSchools] = useState<NamedRef[] | null>(null);
  const [schoolsError, setSchoolsError] = useState<ApiError | null>(null);
  useTitle(data ? integrationTitle(data.integration) : 'Integration');

  const load = useCallback(async () => {
    try {
      setData(await api.integration(id));
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  // Operators choose among the district's Rollcall schools.
  const districtId = data?.integration.districtId;
  useEffect(() => {
    if (!operator || !districtId) return;
    api.districts().then(
      (r) => setSchools(r.districts.find((d) => d.id === districtId)?.schools ?? []),
      (e: unknown) => setSchoolsError(asApiError(e)),
    );
  }, [operator, districtId]);

  const back = operator ? <Link to="/operator">Operator</Link> : <Link to="/district">District rostering</Link>;
  if (error && !data) {
    return (
      <section className="page">
        <h1>Integration</h1>
        <p role="alert" className="form-error">
          {error.message}
        </p>
        {back}
      </section>
    );
  }
  if (!data) return <Loading />;
  const { integration } = data;
  const provider = PROVIDER_NAME[integration.provider];

  return (
    <section className="page">
      <p className="breadcrumb">{back}</p>
      <h1>{integrationTitle(integration)}</h1>
      <Settings integration={integration} />
      <h2>Connection</h2>
      <TestConnection integration={integration} onTested={load} />
      <h2>Schools</h2>
      <p className="lede">
        {operator
          ? `Choose the Rollcall school each ${provider} school feeds. Changes are saved right away.`
          : `The Rollcall school each ${provider} school feeds. Rollcall support can change this.`}
      </p>
      {schoolsError && (
        <p role="alert" className="form-error">
          {schoolsError.message}
        </p>
      )}
      {operator && !schools && !schoolsError ? (
        <Loading label="Loading schools…" />
      ) : (
        <SchoolMappings
          integrationId={integration.id}
          providerName={provider}
          mappings={data.schools}
          rollcallSchools={operator ? schools : null}
          onSaved={(mappings) => setData((d) => (d ? { ...d, schools: mappings } : d))}
        />
      )}
    </section>
  );
}

function Settings({ integration }: { integration: Integration }) {
  const s = integration.settings;
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge integration={integration} />
        </dd>
      </div>
      <div>
        <dt>{tenantLabel(integration)}</dt>
        <dd className="mono">{'tenantId' in s ? s.tenantId : s.cleverDistrictId}</dd>
      </div>
      {'rosterServerUrl' in s && (
        <>
          <div>
            <dt>Roster Server address</dt>
            <dd className="mono">{s.rosterServerUrl}</dd>
          </div>
          <div>
            <dt>OneRoster version</dt>
            <dd>{s.oneRosterVersion}</dd>
          </div>
        </>
      )}
    </dl>
  );
}
