import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { parseEmails } from '../emails.ts';
import { plural } from '../format.ts';
import { useSubmit } from '../forms.ts';

interface Props {
  licenseId: string;
  freeSeats: number;
  onAdded: (count: number) => Promise<void>;
}

export function AddTeachersForm({ licenseId, freeSeats, onAdded }: Props) {
  const [text, setText] = useState('');
  const { pending, error, run } = useSubmit();
  const headingId = useId();
  const preview = parseEmails(text);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const { added } = await api.addMembers(licenseId, text);
      setText('');
      await onAdded(added.length);
    });
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>Add teachers by email</h2>
      <FormError error={error} />
      <Field
        label="Teacher emails"
        name="emails"
        multiline
        rows={4}
        value={text}
        onChange={setText}
        error={error}
        placeholder={'ada@school.org, grace@school.org\nAlan Turing <alan@school.org>'}
        hint={`Separate addresses with commas, spaces or new lines. ${plural(freeSeats, 'seat')} free. Each teacher gets an email with setup instructions.`}
      />
      {text.trim() !== '' && (
        <div className="preview" aria-live="polite">
          <p>
            {preview.emails.length === 0 ? 'No addresses yet.' : `Ready to invite ${plural(preview.emails.length, 'teacher')}.`}
            {preview.emails.length > freeSeats && ` That's more than the ${plural(freeSeats, 'free seat')}.`}
          </p>
          {preview.invalid.length > 0 && <p className="warn">Doesn't look like an email: {preview.invalid.join(', ')}</p>}
          {preview.duplicates.length > 0 && <p className="hint">Listed twice (added once): {preview.duplicates.join(', ')}</p>}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          Add teachers
        </button>
      </div>
    </form>
  );
}
