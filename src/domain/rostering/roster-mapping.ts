import { createHash } from 'node:crypto';
import type { CanonicalPerson, CanonicalSection } from '../../providers/roster-provider.ts';
import type { SectionFields } from '../classes/classes.types.ts';
import type { StudentInput } from './roster.repository.ts';

/** Lone UTF-16 surrogates: PostgreSQL stores them as U+FFFD, so the stored text would never equal the provider's again. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Provider text as the database gives it back unchanged: no NUL (refused by
 * PostgreSQL, failing the whole batch), lone surrogates replaced, no byte-order
 * mark (the embedded database drops a leading one when reading). Cut first, so
 * a cut through an emoji cannot leave half of it behind.
 */
const storable = (value: string, max: number) => value.slice(0, max).replace(LONE_SURROGATE, '\uFFFD').replace(/[\u0000\uFEFF]/g, '');
const clip = (value: string | null | undefined, max: number) => (value == null ? null : storable(value, max));

/** A provider student as Rollcall stores it: a display name, a usable email or none, a grade. */
export function toStudentInput(person: CanonicalPerson): StudentInput {
  const name = storable(`${person.givenName} ${person.familyName}`.trim().replace(/\s+/g, ' '), 200).trim() || 'Unnamed student';
  const email = person.email && /^[^\s@\p{Cc}\uD800-\uDFFF]+@[^\s@\p{Cc}\uD800-\uDFFF]+\.[^\s@\p{Cc}\uD800-\uDFFF]+$/u.test(person.email) ? storable(person.email.trim().toLowerCase(), 254) : null;
  return { externalId: person.externalId, name, email, grade: clip(person.grade, 20) };
}

/**
 * A student record's fingerprint, equal to the one the sync repository computes
 * from the stored row (md5 over the same separators; text is stored unchanged,
 * see `storable`): a full run skips writing students whose digest is unchanged.
 */
export function studentDigest(s: Pick<StudentInput, 'name' | 'email' | 'grade'>): string {
  return createHash('md5').update(`${s.name}\x1f${s.email ?? '\x1e'}\x1f${s.grade ?? '\x1e'}`).digest('hex');
}

/** Deduplicates by external id (providers may repeat a record across pages). */
export function uniqueStudents(people: readonly CanonicalPerson[]): StudentInput[] {
  const seen = new Map<string, StudentInput>();
  for (const person of people) if (person.externalId && person.roles.includes('student')) seen.set(person.externalId, toStudentInput(person));
  return [...seen.values()];
}

export function sectionFields(section: CanonicalSection, schoolId: string | null): SectionFields {
  return {
    // Cleaned before the blank check: a name of only NUL or a byte-order mark is no name.
    name: storable(section.name, 300).trim() || storable(`Section ${section.externalId}`, 300),
    schoolId,
    courseName: clip(section.courseName, 300),
    subject: clip(section.subject, 100),
    period: clip(section.period, 50),
    term: section.term ? { name: storable(section.term.name, 200), startDate: section.term.startDate, endDate: section.term.endDate } : null,
    termExternalId: section.term?.externalId ?? null,
  };
}

/**
 * Whether two sets of section fields are the same, field by field: asked of
 * every imported class on every full run (22,000 classes at 100,000
 * students), where comparing JSON texts allocated 66 MB per run.
 */
export function sameSectionFields(a: SectionFields, b: SectionFields): boolean {
  if (a.name !== b.name || a.schoolId !== b.schoolId || a.courseName !== b.courseName || a.subject !== b.subject || a.period !== b.period || a.termExternalId !== b.termExternalId) return false;
  if (a.term === null || b.term === null) return a.term === b.term;
  return a.term.name === b.term.name && a.term.startDate === b.term.startDate && a.term.endDate === b.term.endDate;
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
