import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useTitle } from '../components/Guards.tsx';
import type { OperatorDistrict } from '../types.ts';
import { api } from '../api.ts';
import { AuditLog } from './AuditLog.tsx';

/** Support's view of the audit log: every district, or one. */
export function OperatorAudit() {
  useTitle('Audit log');
  const [districts, setDistricts] = useState<OperatorDistrict[]>([]);
  const [districtId, setDistrictId] = useState('');
  const selectId = useId();
  useEffect(() => {
    api.districts().then((r) => setDistricts(r.districts), () => setDistricts([]));
  }, []);
  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to="/operator">Operator</Link>
      </p>
      <h1>Audit log</h1>
      <div className="field">
        <label htmlFor={selectId}>District</label>
        <select id={selectId} value={districtId} onChange={(e) => setDistrictId(e.target.value)}>
          <option value="">All districts</option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <AuditLog districtId={districtId || undefined} showDistrict={!districtId} />
    </section>
  );
}
