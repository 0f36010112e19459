import { useId } from 'react';
import { Link } from 'react-router';
import { formatDates, periodLabel } from '../format.ts';
import type { ProviderId, RosterSection } from '../types.ts';

export const PROVIDER_NAME: Record<ProviderId, string> = { clever: 'Clever', classlink: 'ClassLink' };

export const sectionKey = (s: { integrationId: string; externalId: string }) => `${s.integrationId}:${s.externalId}`;

interface Props {
  sections: RosterSection[];
  checked: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  disabled: boolean;
  /** Name the provider on each row when the teacher's sections come from more than one. */
  showProvider: boolean;
  caption: string;
}

/** The provider's sections, one row each, with the checkbox first. */
export function SectionsTable({ sections, checked, onToggle, disabled, showProvider, caption }: Props) {
  return (
    <div className="table-scroll">
      <table className="table sections">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Import</span>
            </th>
            <th scope="col">Class</th>
            <th scope="col">Course / subject</th>
            <th scope="col">Period</th>
            <th scope="col">Term</th>
            <th scope="col">School</th>
            <th scope="col">Co-teachers</th>
            <th scope="col">Students</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {sections.map((s) => (
            <SectionRow
              key={sectionKey(s)}
              section={s}
              checked={checked.has(sectionKey(s))}
              onToggle={onToggle}
              disabled={disabled}
              showProvider={showProvider}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const dash = <span className="muted">—</span>;

function SectionRow(props: {
  section: RosterSection;
  checked: boolean;
  onToggle: (key: string, on: boolean) => void;
  disabled: boolean;
  showProvider: boolean;
}) {
  const { section: s } = props;
  const id = useId();
  const imported = s.state === 'imported';
  return (
    <tr className={imported ? 'row-done' : props.checked ? 'row-checked' : undefined}>
      <td className="check-cell">
        <input
          type="checkbox"
          id={id}
          checked={props.checked && !imported}
          disabled={imported || props.disabled}
          onChange={(e) => props.onToggle(sectionKey(s), e.target.checked)}
        />
        <label htmlFor={id} className="visually-hidden">
          Import {s.name}
        </label>
      </td>
      <th scope="row">
        {s.name}
        {props.showProvider && <span className="meta block">{PROVIDER_NAME[s.provider]}</span>}
      </th>
      <td>
        {s.courseName ?? (s.subject ? null : dash)}
        {s.subject && s.subject !== s.courseName && (
          <span className={s.courseName ? 'meta block' : undefined}>{s.subject}</span>
        )}
      </td>
      <td>{s.period ? periodLabel(s.period) : dash}</td>
      <td>
        {s.term ? (
          <>
            {s.term.name}
            {(s.term.startDate || s.term.endDate) && (
              <span className="meta block">{formatDates(s.term.startDate, s.term.endDate)}</span>
            )}
          </>
        ) : (
          dash
        )}
      </td>
      <td>{s.school ?? dash}</td>
      <td>{s.coTeachers.length > 0 ? s.coTeachers.join(', ') : dash}</td>
      <td className="num">{s.studentCount ?? dash}</td>
      <td>
        <SectionStatus section={s} />
      </td>
    </tr>
  );
}

function SectionStatus({ section: s }: { section: RosterSection }) {
  if (s.state === 'imported') {
    return (
      <>
        Already in your classes{' '}
        {s.classId && <Link to={`/classes/${encodeURIComponent(s.classId)}`}>Open</Link>}
      </>
    );
  }
  if (s.state === 'co-teacher') return <>Imported by a co-teacher — join it</>;
  if (s.state === 'term-ended') return <>Term ended</>;
  return <span className="muted">Not in Rollcall yet</span>;
}
