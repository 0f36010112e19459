import { useId, useState } from 'react';
import { Loading, useTitle } from '../components/Guards.tsx';
import { useSession } from '../session.tsx';
import type { Integration, NamedRef } from '../types.ts';
import { DistrictConsole } from './DistrictConsole.tsx';
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

/** A district administrator's view of rostering: the connections, what was shared and imported, syncs and held runs, and the audit log. */
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
  // A Test connection changes the counts the console shows: reload it too.
  const [tested, setTested] = useState(0);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{district.name}</h2>
      <IntegrationList
        integrations={integrations.filter((i) => i.districtId === district.id)}
        onChanged={async () => {
          await onChanged();
          setTested((n) => n + 1);
        }}
        empty="No rostering connected yet. Ask Rollcall support to connect Clever or ClassLink."
      />
      <DistrictConsole districtId={district.id} refreshKey={tested} />
    </section>
  );
}
