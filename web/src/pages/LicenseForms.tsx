import { useState } from 'react';
import { api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { FormCard } from '../components/FormCard.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { useSubmit } from '../forms.ts';
import { DistrictOptions, pickDistrict } from './OperatorForms.tsx';
import type { OperatorFormProps } from './OperatorForms.tsx';

const WHOLE_DISTRICT = '';

function today(offsetYears = 0): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + offsetYears);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function AddLicenseForm({ districts, onChanged }: OperatorFormProps) {
  const [chosen, setDistrictId] = useState('');
  const [schoolId, setSchoolId] = useState(WHOLE_DISTRICT);
  const [name, setName] = useState('');
  const [seats, setSeats] = useState('30');
  const [startsOn, setStartsOn] = useState(today());
  const [endsOn, setEndsOn] = useState(today(1));
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, run } = useSubmit();
  const districtId = pickDistrict(districts, chosen);
  const schools = districts.find((d) => d.id === districtId)?.schools ?? [];
  const school = schools.some((s) => s.id === schoolId) ? schoolId : WHOLE_DISTRICT;

  return (
    <FormCard
      title="Add a license"
      submitLabel="Add license"
      pending={pending}
      error={error}
      success={done}
      onSubmit={() =>
        void run(async () => {
          setDone(null);
          const { license } = await api.createLicense({
            districtId,
            schoolId: school === WHOLE_DISTRICT ? null : school,
            name: name.trim(),
            seats: Number(seats),
            startsOn,
            endsOn,
          });
          setName('');
          setDone(`Added ${license.name}.`);
          await onChanged();
        })
      }
    >
      <SelectField
        label="District"
        name="districtId"
        value={districtId}
        onChange={(v) => {
          setDistrictId(v);
          setSchoolId(WHOLE_DISTRICT);
        }}
        error={error}
      >
        <DistrictOptions districts={districts} />
      </SelectField>
      <SelectField label="School" name="schoolId" value={school} onChange={setSchoolId} error={error}>
        <option value={WHOLE_DISTRICT}>Whole district</option>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <Field label="Name" name="name" value={name} onChange={setName} error={error} required />
      <div className="field-row">
        <Field label="Seats" name="seats" type="number" min={1} value={seats} onChange={setSeats} error={error} required />
        <Field label="Starts on" name="startsOn" type="date" value={startsOn} onChange={setStartsOn} error={error} required />
        <Field label="Ends on" name="endsOn" type="date" value={endsOn} onChange={setEndsOn} error={error} required />
      </div>
    </FormCard>
  );
}

export function AddAdminForm({ districts, onChanged }: OperatorFormProps) {
  const licenses = districts.flatMap((d) => d.licenses.map((l) => ({ ...l, districtName: d.name })));
  const [chosen, setLicenseId] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, run } = useSubmit();
  const licenseId = licenses.some((l) => l.id === chosen) ? chosen : (licenses[0]?.id ?? '');

  return (
    <FormCard
      title="Name a license administrator"
      submitLabel="Add administrator"
      pending={pending}
      error={error}
      success={done}
      onSubmit={() =>
        void run(async () => {
          setDone(null);
          const { admin } = await api.addLicenseAdmin(licenseId, { email: email.trim(), name: name.trim() });
          setEmail('');
          setName('');
          setDone(`Added ${admin.email}. They'll get an email to set up their account.`);
          await onChanged();
        })
      }
    >
      <SelectField label="License" name="licenseId" value={licenseId} onChange={setLicenseId} error={error}>
        {licenses.length === 0 && <option value="">Add a license first</option>}
        {districts
          .filter((d) => d.licenses.length > 0)
          .map((d) => (
            <optgroup key={d.id} label={d.name}>
              {d.licenses.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                  {l.schoolName ? ` (${l.schoolName})` : ' (whole district)'}
                </option>
              ))}
            </optgroup>
          ))}
      </SelectField>
      <Field label="Email" name="email" type="email" autoComplete="off" value={email} onChange={setEmail} error={error} required />
      <Field label="Name" name="name" autoComplete="off" value={name} onChange={setName} error={error} required />
    </FormCard>
  );
}
