import { useId } from 'react';
import type { CheckId, CheckStatus, Diagnosis, DiagnosisAction, Fixer } from '../consoles-types.ts';
import { formatTime, periodLabel } from '../format.ts';
import { PROVIDER_NAME } from './integration-text.ts';

/** The problem each check names when it is the first to fail, in plain words. */
export const FAILURE_HEADING: Record<CheckId, string> = {
  integration: 'Your district isn’t connected to a rostering service',
  license: 'You’re not on your school’s Rollcall license',
  invitation: 'Your invitation isn’t accepted yet',
  linked: 'Your account isn’t connected to Clever or ClassLink',
  sections: 'Your rostering service lists no classes for you',
};

export const STATUS_TEXT: Record<CheckStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  skipped: 'Not checked',
  unknown: 'Couldn’t check',
};

function fixerText(fixer: Fixer, self: boolean): string {
  switch (fixer) {
    case 'teacher':
      return self ? 'You can' : 'The teacher can';
    case 'license_admin':
      return self ? 'Your license administrator' : 'The license administrator';
    case 'district_it':
      return self ? 'Your district’s IT team' : 'The district’s IT team';
    case 'support':
      return 'Rollcall support';
  }
}

function heading(d: Diagnosis): string {
  if (d.firstFailure === 'sections' && d.checks.find((c) => c.id === 'sections')?.status === 'unknown') return 'We couldn’t reach your rostering service';
  if (d.firstFailure === 'invitation' && /no password/.test(d.checks.find((c) => c.id === 'invitation')?.detail ?? '')) return 'Your account isn’t finished';
  return d.firstFailure ? FAILURE_HEADING[d.firstFailure] : 'Nothing to check';
}

/** Buttons that leave the single-page app (OAuth starts) are plain links: the server answers them. */
function ActionLink({ action, primary }: { action: DiagnosisAction; primary: boolean }) {
  return (
    <a className={primary ? 'button' : 'button button-quiet'} href={action.href}>
      {action.label}
    </a>
  );
}

interface Props {
  diagnosis: Diagnosis;
  /** The signed-in teacher's own diagnosis (buttons are theirs to press); false on admin and support pages. */
  self: boolean;
  /** Heading level of the view's own headings (2 on a page, 3 inside a section or dialog). */
  level?: 2 | 3;
}

/**
 * One diagnosis: the first failing check named plainly, who can fix it (by
 * name and email when Rollcall knows them), the exact next step with its
 * button, and every check; when all pass, what the provider returned.
 */
export function DiagnosisView({ diagnosis: d, self, level = 2 }: Props) {
  const H = level === 2 ? 'h2' : 'h3';
  const checksId = useId();
  const actions = [d.nextStep.action, ...(d.nextStep.alternatives ?? [])].filter((a): a is DiagnosisAction => a !== undefined);
  return (
    <div className="diagnosis">
      {d.ok ? (
        <div className="card diagnosis-summary diagnosis-ok" role="status">
          <H>Everything is in place</H>
          <p>
            {self ? 'Add from Rostering Service is available to you.' : 'Add from Rostering Service is available to them.'} {d.nextStep.text}
          </p>
          {actions.length > 0 && (
            <div className="form-actions">
              {actions.map((a, i) => (
                <ActionLink key={a.href} action={a} primary={i === 0} />
              ))}
            </div>
          )}
        </div>
      ) : (
        <div className="card diagnosis-summary diagnosis-fail">
          <H>{heading(d)}</H>
          {d.firstFailure && <p>{d.checks.find((c) => c.id === d.firstFailure)?.detail}</p>}
          <dl>
            {d.fixer && (
              <>
                <dt>Who can fix it</dt>
                <dd>
                  {fixerText(d.fixer, self)}
                  {d.fixerContact && (
                    <>
                      {': '}
                      <strong>{d.fixerContact.name}</strong>
                      {d.fixerContact.email && (
                        <>
                          {' '}
                          (<a href={`mailto:${d.fixerContact.email}`}>{d.fixerContact.email}</a>)
                        </>
                      )}
                    </>
                  )}
                </dd>
              </>
            )}
            <dt>What to do next</dt>
            <dd>{d.nextStep.text}</dd>
          </dl>
          {actions.length > 0 && (
            <div className="form-actions">
              {actions.map((a, i) => (
                <ActionLink key={a.href} action={a} primary={i === 0} />
              ))}
            </div>
          )}
        </div>
      )}

      <H id={checksId}>{d.ok ? 'What Rollcall checked' : 'All the checks'}</H>
      <ol className="checks card" aria-labelledby={checksId}>
        {d.checks.map((c, i) => (
          <li key={c.id} data-check={c.id}>
            <span>
              <span className={`badge badge-${c.status}`}>{STATUS_TEXT[c.status]}</span>
            </span>
            <span className="check-title">
              {i + 1}. {c.title}
            </span>
            <span className="check-detail">{c.detail}</span>
          </li>
        ))}
      </ol>

      {d.sections && (
        <>
          <H>What {d.sections[0] ? PROVIDER_NAME[d.sections[0].provider] : 'the rostering service'} returned</H>
          {d.sections.length === 0 ? (
            <p className="meta">No classes.</p>
          ) : (
            <div className="table-scroll">
              <table className="table compact">
                <caption className="visually-hidden">Classes the rostering service lists</caption>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">Term</th>
                    <th scope="col">Period</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Students</th>
                  </tr>
                </thead>
                <tbody>
                  {d.sections.map((s) => (
                    <tr key={`${s.provider}:${s.externalId}`}>
                      <th scope="row">{s.name}</th>
                      <td>{s.term ?? '—'}</td>
                      <td>{s.period ? periodLabel(s.period) : '—'}</td>
                      <td>{s.subject ?? '—'}</td>
                      <td className="num">{s.studentCount ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <p className="meta">Checked {formatTime(d.checkedAt)}{d.district ? ` · ${d.district.name}` : ''}</p>
    </div>
  );
}
