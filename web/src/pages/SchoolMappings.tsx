import { useId, useState } from 'react';
import { api } from '../api.ts';
import { useSubmit } from '../forms.ts';
import type { NamedRef, SchoolMapping } from '../types.ts';

const NOT_MAPPED = '';

interface Props {
  integrationId: string;
  providerName: string;
  mappings: SchoolMapping[];
  /** The district's Rollcall schools to choose from; null shows the mappings read-only. */
  rollcallSchools: NamedRef[] | null;
  onSaved: (mappings: SchoolMapping[]) => void;
}

/** Which Rollcall school each of the provider's schools feeds; operators change it with a select, saved at once. */
export function SchoolMappings({ integrationId, providerName, mappings, rollcallSchools, onSaved }: Props) {
  // Choices on their way to the server, by external id, shown until the answer arrives.
  const [saving, setSaving] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useSubmit();

  function save(mapping: SchoolMapping, value: string) {
    setNotice(null);
    setSaving((s) => ({ ...s, [mapping.externalId]: value }));
    void run(async () => {
      const { schools } = await api.mapSchool(integrationId, mapping.externalId, value === NOT_MAPPED ? null : value);
      onSaved(schools);
      const target = rollcallSchools?.find((s) => s.id === value)?.name;
      setNotice(target ? `${mapping.name} now feeds ${target}.` : `${mapping.name} is no longer mapped.`);
    }).finally(() =>
      setSaving((s) => {
        const { [mapping.externalId]: _done, ...rest } = s;
        return rest;
      }),
    );
  }

  if (mappings.length === 0) {
    return <p className="empty card">No schools from {providerName} yet. Test the connection to load them.</p>;
  }
  return (
    <>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {notice && !error && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      <table className="table compact mappings">
        <thead>
          <tr>
            <th scope="col">{providerName} school</th>
            <th scope="col">Rollcall school</th>
          </tr>
        </thead>
        <tbody>
          {mappings.map((m) => (
            <tr key={m.externalId}>
              <th scope="row">
                {m.name}
                <div className="muted mono">{m.externalId}</div>
              </th>
              <td>
                {rollcallSchools === null ? (
                  m.schoolId ? 'Mapped to a Rollcall school' : <span className="muted">Not mapped</span>
                ) : (
                  <MappingSelect
                    mapping={m}
                    schools={rollcallSchools}
                    value={saving[m.externalId] ?? m.schoolId ?? NOT_MAPPED}
                    onChange={(v) => save(m, v)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

interface SelectProps {
  mapping: SchoolMapping;
  schools: NamedRef[];
  value: string;
  onChange: (value: string) => void;
}

function MappingSelect({ mapping, schools, value, onChange }: SelectProps) {
  const id = useId();
  const known = value === NOT_MAPPED || schools.some((s) => s.id === value);
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {`Rollcall school for ${mapping.name}`}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value={NOT_MAPPED}>Not mapped</option>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
        {!known && <option value={value}>A school outside this district</option>}
      </select>
    </>
  );
}
