import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { formatDay } from '../format.ts';
import type { License, LicenseMember } from '../types.ts';
import { AddTeachersForm } from './AddTeachersForm.tsx';
import { licensePlace } from './Licenses.tsx';
import { MembersTable } from './MembersTable.tsx';
import { ResendAllButton } from './ResendAllButton.tsx';

/** One license for its administrator: seats, dates, members, and adding teachers. */
export function LicensePage() {
  const { id = '' } = useParams();
  const [data, setData] = useState<{ license: License; members: LicenseMember[]; abilities?: { manageMembers: boolean } } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(data?.license.name ?? 'License');

  const load = useCallback(async () => {
    try {
      setData(await api.license(id));
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
        <h1>License</h1>
        <p role="alert" className="form-error">
          {error.message}
        </p>
        <Link to="/licenses">All licenses</Link>
      </section>
    );
  }
  if (!data) return <Loading />;
  const { license, members } = data;
  const free = Math.max(0, license.seats - license.seatsUsed);
  const canManage = data.abilities?.manageMembers ?? true;
  const invited = members.filter((m) => m.state === 'invited').length;

  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/licenses">Licenses</Link>
      </p>
      <h1>{license.name}</h1>
      <dl className="facts">
        <div>
          <dt>School</dt>
          <dd>{licensePlace(license)}</dd>
        </div>
        <div>
          <dt>Seats</dt>
          <dd>
            {license.seatsUsed} of {license.seats} used
          </dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>
            {formatDay(license.startsOn)} – {formatDay(license.endsOn)}
          </dd>
        </div>
      </dl>
      {notice && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      {canManage && (
        <AddTeachersForm
          licenseId={license.id}
          freeSeats={free}
          onAdded={async (count) => {
            setNotice(`Invited ${count === 1 ? '1 teacher' : `${count} teachers`}. Each gets an email with setup instructions.`);
            await load();
          }}
        />
      )}
      <div className="page-head">
        <h2>Members</h2>
        {canManage && invited > 0 && <ResendAllButton licenseId={license.id} invited={invited} onNotice={setNotice} onSent={load} />}
      </div>
      <MembersTable licenseId={license.id} members={members} onChanged={load} onNotice={setNotice} canManage={canManage} />
    </section>
  );
}
