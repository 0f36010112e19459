import { useState } from 'react';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormCard } from '../components/FormCard.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { useSubmit } from '../forms.ts';
import type { OperatorDistrict } from '../types.ts';

export interface OperatorFormProps {
  districts: OperatorDistrict[];
  /** Reload the console after a change. */
  onChanged: () => Promise<void>;
}

/** The chosen id if it still exists, else the first district's. */
export function pickDistrict(districts: OperatorDistrict[], chosen: string): string {
  return districts.some((d) => d.id === chosen) ? chosen : (districts[0]?.id ?? '');
}

export function DistrictOptions({ districts }: { districts: OperatorDistrict[] }) {
  if (districts.length === 0) return <option value="">Add a district first</option>;
  return (
    <>
      {districts.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </>
  );
}

export function AddDistrictForm({ onChanged }: Pick<OperatorFormProps, 'onChanged'>) {
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, run } = useSubmit();
  return (
    <FormCard
      title="Add a district"
      submitLabel="Add district"
      pending={pending}
      error={error}
      success={done}
      onSubmit={() =>
        void run(async () => {
          setDone(null);
          const { district } = await api.createDistrict(name.trim());
          setName('');
          setDone(`Added ${district.name}.`);
          await onChanged();
        })
      }
    >
      <Field label="Name" name="name" value={name} onChange={setName} error={error} required />
    </FormCard>
  );
}

export function AddSchoolForm({ districts, onChanged }: OperatorFormProps) {
  const [chosen, setDistrictId] = useState('');
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, run } = useSubmit();
  const districtId = pickDistrict(districts, chosen);
  return (
    <FormCard
      title="Add a school"
      submitLabel="Add school"
      pending={pending}
      error={error}
      success={done}
      onSubmit={() =>
        void run(async () => {
          setDone(null);
          const { school } = await api.createSchool(districtId, name.trim());
          setName('');
          setDone(`Added ${school.name}.`);
          await onChanged();
        })
      }
    >
      <SelectField label="District" name="districtId" value={districtId} onChange={setDistrictId} error={error}>
        <DistrictOptions districts={districts} />
      </SelectField>
      <Field label="Name" name="name" value={name} onChange={setName} error={error} required />
    </FormCard>
  );
}
