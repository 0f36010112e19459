import { useId } from 'react';
import { Loading, useTitle } from '../components/Guards.tsx';
import { useSession } from '../session.tsx';
import type { Integration, NamedRef } from '../types.ts';
import { IntegrationList } from './IntegrationList.tsx';
import { useIntegrations } from './useIntegrations.ts';

/** The districts to show: the person's own, then any others whose integrations they can see (operators). */
function districtsOf(own: NamedRef[], integrations: Integration[]): NamedRef[] {
  const all = [...own];
  for (const i of integrations) {
    if (!all.some((d) => d.id === i.districtId)) all.push({ id: i.districtId, name: i.districtName });
  }
  return all;
}

/** A district administrator's view of rostering: the connections and (later) the syncs. */
export function District() {
  useTitle('District rostering');
  const { session } = useSession();
  const { integrations, error, reload } = useIntegrations();
  const own = session?.user?.abilities.districtAdminOf ?? [];

  return (
    <section className="page">
      <h1>District rostering</h1>
      <p className="lede">
        Rollcall keeps classes in step with your district's rostering system. Rollcall support connects it; here you can
        check that the connection works.
      </p>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!integrations && !error && <Loading />}
      {integrations &&
        districtsOf(own, integrations).map((d) => (
          <DistrictPart key={d.id} district={d} integrations={integrations} onChanged={reload} />
        ))}
      <h2>Syncs</h2>
      <p className="empty card">Sync history appears here once syncs run.</p>
    </section>
  );
}

interface PartProps {
  district: NamedRef;
  integrations: Integration[];
  onChanged: () => Promise<void>;
}

function DistrictPart({ district, integrations, onChanged }: PartProps) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{district.name}</h2>
      <IntegrationList
        integrations={integrations.filter((i) => i.districtId === district.id)}
        onChanged={onChanged}
        empty="No rostering connected yet. Ask Rollcall support to connect Clever or ClassLink."
      />
    </section>
  );
}
