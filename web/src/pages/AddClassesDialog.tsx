import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { useSubmit } from '../forms.ts';
import type { ClassSummary } from '../types.ts';

interface Props {
  rosteringAvailable: boolean;
  onClose: () => void;
  onCreated: (c: ClassSummary) => Promise<void>;
}

/** The two ways to add classes; rostering only when everything it needs is in place. */
export function AddClassesDialog({ rosteringAvailable, onClose, onCreated }: Props) {
  const rosterId = useId();
  return (
    <Dialog title="Add Classes" onClose={onClose}>
      {rosteringAvailable && (
        <div className="choice">
          <Link to="/classes/import" className="choice-link" aria-describedby={rosterId} data-autofocus>
            Add from Rostering Service
          </Link>
          <span id={rosterId}>Choose classes from Clever or ClassLink; their students come with them.</span>
        </div>
      )}
      <CreateClassForm onCreated={onCreated} />
      {!rosteringAvailable && (
        <p className="dialog-foot">
          <Link to="/help/rostering" data-autofocus>
            Why can't I see Add from Rostering Service?
          </Link>
        </p>
      )}
    </Dialog>
  );
}

/** A manual class: just a name. Students are added to rostered classes by their provider. */
function CreateClassForm({ onCreated }: { onCreated: (c: ClassSummary) => Promise<void> }) {
  const [name, setName] = useState('');
  const { pending, error, run } = useSubmit();
  const headingId = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    void run(async () => {
      const res = await api.createClass(name);
      await onCreated(res.class);
    });
  }
  return (
    <form className="create-class" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>Create a class</h3>
      <FormError error={error} />
      <Field label="Class name" name="name" value={name} onChange={setName} error={error} required />
      <button type="submit" className="button button-quiet" disabled={pending}>
        Create class
      </button>
    </form>
  );
}
