import { normalizeGrade } from '../grades.ts';
import type {
  CanonicalDistrict,
  CanonicalPerson,
  CanonicalSchool,
  CanonicalSection,
  CanonicalTerm,
  PersonRole,
} from '../roster-provider.ts';
import { dateOnly, email, isObject, ok, recordId, skip, str, strings, text, unique, type Json, type Mapped } from '../wire.ts';

/**
 * Clever v3.0 objects → canonical records. Users are keyed on the top-level
 * v3 `id` (never email or sis_id); every key of `roles` counts (multi-role
 * users); names come from the top-level `name`. A record is skipped only when
 * its id or a structural field (roles, name, students, teachers) has the
 * wrong type; optional fields of the wrong type are read as absent.
 */

const ROLE_MAP: Record<string, PersonRole> = {
  student: 'student',
  teacher: 'teacher',
  staff: 'staff',
  district_admin: 'administrator',
};

function idOf(record: Json): string | null {
  return recordId(record['id']);
}

export function mapUser(record: Json): Mapped<CanonicalPerson> {
  const id = idOf(record);
  if (id === null) return skip('missing id');
  const roles = record['roles'];
  if (roles !== undefined && roles !== null && !isObject(roles)) return skip('roles is not an object', id);
  const name = record['name'];
  if (name !== undefined && name !== null && !isObject(name)) return skip('name is not an object', id);

  const roleObjects = isObject(roles) ? roles : {};
  // Own keys of ROLE_MAP only: a "constructor" or "__proto__" key in a record is not a role.
  const personRoles = unique(Object.keys(roleObjects).filter((k) => isObject(roleObjects[k]) && Object.hasOwn(ROLE_MAP, k)).map((k) => ROLE_MAP[k]!));
  const student = isObject(roleObjects['student']) ? roleObjects['student'] : null;
  const schoolIds: string[] = [];
  // Primary schools first, then every other school of every role.
  for (const key of ['student', 'teacher', 'staff']) {
    const role = roleObjects[key];
    if (!isObject(role)) continue;
    const primary = str(role['school']);
    if (primary !== null) schoolIds.push(primary);
  }
  for (const key of ['student', 'teacher', 'staff']) {
    const role = roleObjects[key];
    if (isObject(role)) schoolIds.push(...strings(role['schools']));
  }

  return ok({
    externalId: id,
    roles: personRoles,
    givenName: isObject(name) ? text(name['first']) : '',
    familyName: isObject(name) ? text(name['last']) : '',
    email: email(record['email']),
    grade: student === null ? null : normalizeGrade(student['grade']),
    schoolIds: unique(schoolIds),
    active: true,
  });
}

export function mapTerm(record: Json): Mapped<CanonicalTerm> {
  const id = idOf(record);
  if (id === null) return skip('missing id');
  return ok({ externalId: id, name: text(record['name']), startDate: dateOnly(record['start_date']), endDate: dateOnly(record['end_date']) });
}

export function mapSchool(record: Json): Mapped<CanonicalSchool> {
  const id = idOf(record);
  if (id === null) return skip('missing id');
  return ok({ externalId: id, name: text(record['name']) });
}

export function mapDistrict(record: Json): Mapped<CanonicalDistrict> {
  const id = idOf(record);
  if (id === null) return skip('missing id');
  return ok({ externalId: id, name: text(record['name']) });
}

/** What a section references and the adapter resolves separately (cached lookups). */
export interface SectionRefs {
  readonly termId: string | null;
  readonly courseId: string | null;
}

export function sectionRefs(record: Json): SectionRefs {
  return { termId: str(record['term_id']), courseId: str(record['course']) };
}

export function mapSection(
  record: Json,
  lookups: { term: CanonicalTerm | null; courseName: string | null },
  status: 'active' | 'deleted' = 'active',
): Mapped<CanonicalSection> {
  const id = idOf(record);
  if (id === null) return skip('missing id');
  for (const key of ['students', 'teachers'] as const) {
    const value = record[key];
    if (value !== undefined && value !== null && !Array.isArray(value)) return skip(`${key} is not an array`, id);
  }
  // `teachers` lists all teachers primary first; older data has only `teacher`.
  // Put the primary teacher first even if a district's list is out of order.
  const primary = str(record['teacher']);
  const listed = strings(record['teachers']);
  const teacherIds = unique(primary === null ? listed : [primary, ...listed]);
  // Absent `students` is not "no students": null makes the sync engine ask instead of emptying the class.
  const studentIds = Array.isArray(record['students']) ? unique(strings(record['students'])) : null;

  return ok({
    externalId: id,
    name: text(record['name']),
    schoolId: str(record['school']),
    courseName: lookups.courseName,
    subject: str(record['subject']),
    period: str(record['period']),
    term: lookups.term,
    teacherIds,
    studentIds,
    status,
  });
}
