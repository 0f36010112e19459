import type { CanonicalPerson, CanonicalSection } from '../../providers/roster-provider.ts';
import type { SectionFields } from '../classes/classes.types.ts';
import type { StudentInput } from './roster.repository.ts';

const clip = (value: string | null | undefined, max: number) => (value == null ? null : value.slice(0, max));

/** A provider student as Rollcall stores it: a display name, a usable email or none, a grade. */
export function toStudentInput(person: CanonicalPerson): StudentInput {
  const name = `${person.givenName} ${person.familyName}`.trim().replace(/\s+/g, ' ') || 'Unnamed student';
  const email = person.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(person.email) ? person.email.trim().toLowerCase().slice(0, 254) : null;
  return { externalId: person.externalId, name: name.slice(0, 200), email, grade: clip(person.grade, 20) };
}

/** Deduplicates by external id (providers may repeat a record across pages). */
export function uniqueStudents(people: readonly CanonicalPerson[]): StudentInput[] {
  const seen = new Map<string, StudentInput>();
  for (const person of people) if (person.externalId && person.roles.includes('student')) seen.set(person.externalId, toStudentInput(person));
  return [...seen.values()];
}

export function sectionFields(section: CanonicalSection, schoolId: string | null): SectionFields {
  return {
    name: (section.name.trim() || `Section ${section.externalId}`).slice(0, 300),
    schoolId,
    courseName: clip(section.courseName, 300),
    subject: clip(section.subject, 100),
    period: clip(section.period, 50),
    term: section.term ? { name: section.term.name.slice(0, 200), startDate: section.term.startDate, endDate: section.term.endDate } : null,
    termExternalId: section.term?.externalId ?? null,
  };
}

export function termEnded(section: Pick<CanonicalSection, 'term'>, today: string): boolean {
  return section.term?.endDate != null && section.term.endDate < today;
}

/**
 * The removal safety check: applying a roster that drops more than
 * `maxShare` of a class of at least `minClassSize` students, or empties a
 * class, is held for a person to approve.
 */
export function removalNeedsApproval(active: number, removing: number, limits: { maxShare: number; minClassSize: number }): boolean {
  if (removing === 0) return false;
  if (removing >= active) return true;
  return active >= limits.minClassSize && removing / active > limits.maxShare;
}
