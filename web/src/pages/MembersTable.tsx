import { useId, useState } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { FormError } from '../components/FormError.tsx';
import { formatTime } from '../format.ts';
import { useSubmit } from '../forms.ts';
import type { LicenseMember, MemberState } from '../types.ts';

export const STATE_LABEL: Record<MemberState, string> = {
  invited: 'Invited',
  accepted: 'Accepted',
  complete: 'Account complete',
};

interface Props {
  licenseId: string;
  members: LicenseMember[];
  onChanged: () => Promise<void>;
  onNotice: (message: string) => void;
}

export function MembersTable({ licenseId, members, onChanged, onNotice }: Props) {
  const [removing, setRemoving] = useState<LicenseMember | null>(null);
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
              <td>{formatTime(m.lastSentAt)}</td>
              <td className="row-actions">
                {m.state === 'invited' && (
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    disabled={busyId === m.id}
                    onClick={() => resend(m)}
                  >
                    Resend
                  </button>
                )}
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  onClick={() => setRemoving(m)}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
