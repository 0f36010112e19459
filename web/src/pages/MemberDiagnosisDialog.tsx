import { useEffect, useState } from 'react';
import type { ApiError } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Loading } from '../components/Guards.tsx';
import { consolesApi } from '../consoles-api.ts';
import type { Diagnosis } from '../consoles-types.ts';
import { asApiError } from '../forms.ts';
import type { LicenseMember } from '../types.ts';
import { DiagnosisView } from './DiagnosisView.tsx';

/** "Diagnose" on the license page: the same diagnosis the member sees, read fresh. */
export function MemberDiagnosisDialog({ licenseId, member, onClose }: { licenseId: string; member: LicenseMember; onClose: () => void }) {
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    consolesApi.memberDiagnosis(licenseId, member.id).then(
      (r) => live && setDiagnosis(r.diagnosis),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [licenseId, member.id]);
  return (
    <Dialog title={`Diagnosis for ${member.name ?? member.email}`} onClose={onClose}>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {!diagnosis && !error && <Loading label="Checking…" />}
      {diagnosis && <DiagnosisView diagnosis={diagnosis} self={false} level={3} />}
      <div className="form-actions">
        <button type="button" className="button button-quiet" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
