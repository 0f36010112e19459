import { useId } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { FormError } from '../components/FormError.tsx';
import { formatTerm, formatTime, plural } from '../format.ts';
import { useSubmit } from '../forms.ts';
import type { ClassInfo, RosterChange, RosterStudent } from '../types.ts';
import { PROVIDER_NAME } from './SectionsTable.tsx';

/** "From Clever · section Algebra I – P1 · term Fall 2025 (Aug 1, 2025 – Dec 19, 2025) · Maple Grove High" */
export function classOrigin(c: ClassInfo): string {
  if (c.source === 'manual') return 'Created in Rollcall';
  const provider = PROVIDER_NAME[c.source];
  const s = c.section;
  if (!s) return `From ${provider}`;
  const parts = [`From ${PROVIDER_NAME[s.provider]}`, `section ${s.name}`];
  if (s.term) parts.push(`term ${formatTerm(s.term)}`);
  if (s.school) parts.push(s.school);
  return parts.join(' · ');
}

export function RosterTable({ students }: { students: RosterStudent[] }) {
  if (students.length === 0) return <p className="empty card">No students in this class yet.</p>;
  return (
    <table className="table roster">
      <caption className="visually-hidden">Roster ({plural(students.length, 'student')})</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Grade</th>
          <th scope="col">Signs in with</th>
        </tr>
      </thead>
      <tbody>
        {students.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>{s.grade ?? <span className="muted">—</span>}</td>
            <td>{s.signIn ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Sep 3, 2025, 9:12 AM: Ben Ortiz joined (sync now)" */
export function RosterHistory({ history }: { history: RosterChange[] }) {
  if (history.length === 0) return <p className="muted">No roster changes yet.</p>;
  return (
    <ul className="history">
      {history.map((h, i) => (
        <li key={`${h.at}-${i}`}>
          <time dateTime={h.at}>{formatTime(h.at)}</time>: {h.studentName} {h.change}
          {h.trigger && <span className="muted"> ({h.trigger})</span>}
        </li>
      ))}
    </ul>
  );
}

export function ConfirmRemoveClass(props: { classId: string; name: string; onClose: () => void; onRemoved: () => void }) {
  const { pending, error, run } = useSubmit();
  const textId = useId();
  return (
    <Dialog title="Remove from Rollcall" role="alertdialog" describedBy={textId} onClose={props.onClose}>
      <p id={textId}>
        Remove {props.name} from Rollcall? The class is archived with its roster and history; importing it again restores
        it.
      </p>
      <FormError error={error} />
      <div className="form-actions">
        <button
          type="button"
          className="button button-danger"
          disabled={pending}
          onClick={() =>
            void run(async () => {
              await api.removeClass(props.classId);
              props.onRemoved();
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
