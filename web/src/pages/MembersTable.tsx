import { useId, useState } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { FormError } from '../components/FormError.tsx';
import { formatTime } from '../format.ts';
import { useSubmit } from '../forms.ts';
import type { LicenseMember, MemberState } from '../types.ts';
import { PROVIDER_NAME } from './integration-text.ts';
import { MemberDiagnosisDialog } from './MemberDiagnosisDialog.tsx';

export const STATE_LABEL: Record<MemberState, string> = {
  invited: 'Invited',
  accepted: 'Accepted',
  complete: 'Account complete',
  linked: 'Linked to rostering',
};

interface Props {
  licenseId: string;
  members: LicenseMember[];
  onChanged: () => Promise<void>;
  onNotice: (message: string) => void;
  /** Resend and Remove are for the license's administrators (a district admin only looks). */
  canManage?: boolean;
}

export function MembersTable({ licenseId, members, onChanged, onNotice, canManage = true }: Props) {
  const [removing, setRemoving] = useState<LicenseMember | null>(null);
  const [diagnosing, setDiagnosing] = useState<LicenseMember | null>(null);
  const row = useSubmit();
  const [busyId, setBusyId] = useState<string | null>(null);

  function resend(m: LicenseMember) {
    setBusyId(m.id);
    void row
      .run(async () => {
        await api.resendInvitation(licenseId, m.id);
        onNotice(`Sent a new invitation to ${m.email}.`);
        await onChanged();
      })
      .finally(() => setBusyId(null));
  }

  if (members.length === 0) return <p className="empty card">No teachers yet. Add them by email above.</p>;

  return (
    <>
      {row.error && (
        <p role="alert" className="form-error">
          {row.error.message}
        </p>
      )}
      <table className="table members">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Rostering</th>
            <th scope="col">Classes</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Last sent</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.email}</th>
              <td>{m.name ?? <span className="muted">—</span>}</td>
              <td>
                <span className={`badge badge-${m.state}`}>{STATE_LABEL[m.state]}</span>
                {m.state === 'invited' && m.invitationExpired && <span className="hint"> invitation expired</span>}
              </td>
              <td>
                {(m.linkedProviders ?? []).length === 0 ? (
                  <span className="muted">Not linked</span>
                ) : (
                  (m.linkedProviders ?? []).map((p) => (
                    <span key={p} className={`badge badge-${p}`}>
                      {PROVIDER_NAME[p]}
                    </span>
                  ))
                )}
              </td>
              <td className="num">{m.rosteredClasses ?? 0}</td>
              <td>{formatTime(m.lastSignInAt ?? null)}</td>
              <td>{formatTime(m.lastSentAt)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`Diagnose ${m.email}`}
                  onClick={() => setDiagnosing(m)}
                >
                  Diagnose
                </button>
                {canManage && m.state === 'invited' && (
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    disabled={busyId === m.id}
                    onClick={() => resend(m)}
                  >
                    Resend
                  </button>
                )}
                {canManage && (
                  <button
                    type="button"
                    className="button button-small button-danger-quiet"
                    onClick={() => setRemoving(m)}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diagnosing && <MemberDiagnosisDialog licenseId={licenseId} member={diagnosing} onClose={() => setDiagnosing(null)} />}
      {removing && (
        <ConfirmRemove
          licenseId={licenseId}
          member={removing}
          onClose={() => setRemoving(null)}
          onRemoved={async () => {
            setRemoving(null);
            onNotice(`Removed ${removing.email} from the license.`);
            await onChanged();
          }}
        />
      )}
    </>
  );
}

function ConfirmRemove(props: { licenseId: string; member: LicenseMember; onClose: () => void; onRemoved: () => Promise<void> }) {
  const { pending, error, run } = useSubmit();
  const textId = useId();
  return (
    <Dialog title="Remove teacher" role="alertdialog" describedBy={textId} onClose={props.onClose}>
      <p id={textId}>
        Remove {props.member.email} from the license? Their account and classes stay.
      </p>
      <FormError error={error} />
      <div className="form-actions">
        <button
          type="button"
          className="button button-danger"
          disabled={pending}
          onClick={() =>
            void run(async () => {
              await api.removeMember(props.licenseId, props.member.id);
              await props.onRemoved();
            })
          }
        >
          Remove
        </button>
        <button type="button" className="button button-quiet" data-autofocus onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
