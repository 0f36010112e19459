import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { useSubmit } from '../forms.ts';
import type { Integration, OneRosterVersion } from '../types.ts';

export interface ConnectFormProps {
  districtId: string;
  onConnected: (integration: Integration) => Promise<void>;
  onCancel: () => void;
}

interface InlineFormProps {
  label: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}

/** A form inside a district card, named by aria-label; its submit button carries the same words. */
function InlineForm({ label, pending, error, onSubmit, onCancel, children }: InlineFormProps) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, []);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <form ref={ref} className="inline-form" aria-label={label} noValidate onSubmit={submit}>
      <FormError error={error} />
      {children}
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {label}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ConnectCleverForm({ districtId, onConnected, onCancel }: ConnectFormProps) {
  const [cleverDistrictId, setCleverDistrictId] = useState('');
  const { pending, error, run } = useSubmit();
  return (
    <InlineForm
      label="Connect Clever"
      pending={pending}
      error={error}
      onCancel={onCancel}
      onSubmit={() =>
        void run(async () => {
          const { integration } = await api.connectClever({ districtId, cleverDistrictId: cleverDistrictId.trim() });
          await onConnected(integration);
        })
      }
    >
      <Field
        label="Clever district id"
        name="cleverDistrictId"
        autoComplete="off"
        value={cleverDistrictId}
        onChange={setCleverDistrictId}
        error={error}
        hint="From the district's page in the Clever dashboard. The district must add Rollcall in Clever first."
        required
      />
    </InlineForm>
  );
}

export function ConnectClassLinkForm({ districtId, onConnected, onCancel }: ConnectFormProps) {
  const [tenantId, setTenantId] = useState('');
  const [rosterServerUrl, setRosterServerUrl] = useState('');
  const [oneRosterVersion, setVersion] = useState<OneRosterVersion>('1.1');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const { pending, error, run } = useSubmit();
  return (
    <InlineForm
      label="Connect ClassLink"
      pending={pending}
      error={error}
      onCancel={onCancel}
      onSubmit={() =>
        void run(async () => {
          const { integration } = await api.connectClassLink({
            districtId,
            tenantId: tenantId.trim(),
            rosterServerUrl: rosterServerUrl.trim(),
            oneRosterVersion,
            clientId: clientId.trim(),
            clientSecret,
          });
          setClientSecret('');
          await onConnected(integration);
        })
      }
    >
      <Field label="ClassLink tenant id" name="tenantId" autoComplete="off" value={tenantId} onChange={setTenantId} error={error} required />
      <Field
        label="Roster Server address"
        name="rosterServerUrl"
        autoComplete="off"
        placeholder="https://example.oneroster.com/ims/oneroster"
        value={rosterServerUrl}
        onChange={setRosterServerUrl}
        error={error}
        required
      />
      <SelectField
        label="OneRoster version"
        name="oneRosterVersion"
        value={oneRosterVersion}
        onChange={(v) => setVersion(v === '1.2' ? '1.2' : '1.1')}
        error={error}
      >
        <option value="1.1">1.1</option>
        <option value="1.2">1.2</option>
      </SelectField>
      <Field label="Roster Server key" name="clientId" autoComplete="off" value={clientId} onChange={setClientId} error={error} required />
      <Field
        label="Roster Server secret"
        name="clientSecret"
        type="password"
        autoComplete="new-password"
        value={clientSecret}
        onChange={setClientSecret}
        error={error}
        hint="Stored encrypted; Rollcall never shows it again."
        required
      />
    </InlineForm>
  );
}
