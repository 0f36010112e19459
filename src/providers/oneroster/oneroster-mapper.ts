import { firstGrade } from '../grades.ts';
import type { CanonicalPerson, CanonicalSchool, CanonicalSection, CanonicalTerm, PersonRole } from '../roster-provider.ts';
import { bool, dateOnly, email, isObject, ok, recordId, skip, str, strings, text, unique, type Json, type Mapped } from '../wire.ts';

/**
 * OneRoster 1.1/1.2 JSON → canonical records, read defensively: both user
 * shapes (1.1 `role` + `orgs`, 1.2 `roles[]`) on any version, booleans as
 * strings, arrays missing or "", GUIDRefs read by `sourcedId` (never by
 * following `href`), `tobedeleted` and legacy `inactive` as deleted.
 */

const ROLE_MAP: Record<string, PersonRole> = {
  student: 'student',
  teacher: 'teacher',
  administrator: 'administrator',
  districtadministrator: 'administrator',
  siteadministrator: 'administrator',
  systemadministrator: 'administrator',
  principal: 'administrator',
  aide: 'staff',
  counselor: 'staff',
  proctor: 'staff',
};

/** GUIDRef `{sourcedId, href, type}`; a bare string id is tolerated. */
export function refId(value: unknown): string | null {
  if (typeof value === 'string') return str(value);
  return isObject(value) ? str(value['sourcedId']) : null;
}

export function refIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map(refId).filter((id): id is string => id !== null) : [];
}

export function isDeleted(record: Json): boolean {
  const status = text(record['status']).toLowerCase();
  return status === 'tobedeleted' || status === 'inactive';
}

function idOf(record: Json): string | null {
  return recordId(record['sourcedId']);
}

/** Roles of a user in both shapes; case-insensitive because ClassLink SSO says "Teacher". */
function personRoles(record: Json): PersonRole[] {
  const names = [text(record['role'])];
  if (Array.isArray(record['roles'])) {
    for (const r of record['roles']) if (isObject(r)) names.push(text(r['role']));
  }
  // Own keys of ROLE_MAP only: a role named "constructor" or "__proto__" is not one Rollcall keeps.
  return unique(names.map((n) => n.toLowerCase()).filter((n) => Object.hasOwn(ROLE_MAP, n)).map((n) => ROLE_MAP[n]!));
}

/** Orgs of a user: 1.2 primaryOrg first, then roles[].org, then 1.1 orgs[]. May include the district org. */
function orgIds(record: Json): string[] {
  const ids: string[] = [];
  const primary = refId(record['primaryOrg']);
  if (primary !== null) ids.push(primary);
  if (Array.isArray(record['roles'])) {
    const roles = record['roles'].filter(isObject);
    // The primary role's org first (exactly one primary per org in 1.2).
    for (const r of roles) if (text(r['roleType']).toLowerCase() === 'primary') ids.push(...refIds([r['org']]));
    for (const r of roles) ids.push(...refIds([r['org']]));
  }
  ids.push(...refIds(record['orgs']));
  return unique(ids);
}

export function mapUser(record: Json): Mapped<CanonicalPerson> {
  const id = idOf(record);
  if (id === null) return skip('missing sourcedId');
  if (record['roles'] !== undefined && record['roles'] !== null && record['roles'] !== '' && !Array.isArray(record['roles'])) {
    return skip('roles is not an array', id);
  }
  // enabledUser "false" on an active record = access curtailed: kept, but not active.
  const enabled = bool(record['enabledUser']);
  return ok({
    externalId: id,
    roles: personRoles(record),
    givenName: text(record['givenName']),
    familyName: text(record['familyName']),
    email: email(record['email']),
    grade: firstGrade(strings(record['grades'])),
    schoolIds: orgIds(record),
    active: !isDeleted(record) && enabled !== false,
  });
}

export function mapSession(record: Json): Mapped<CanonicalTerm> {
  const id = idOf(record);
  if (id === null) return skip('missing sourcedId');
  return ok({ externalId: id, name: text(record['title']), startDate: dateOnly(record['startDate']), endDate: dateOnly(record['endDate']) });
}

export interface OrgRecord extends CanonicalSchool {
  readonly type: string;
  readonly parentId: string | null;
  readonly deleted: boolean;
}

export function mapOrg(record: Json): Mapped<OrgRecord> {
  const id = idOf(record);
  if (id === null) return skip('missing sourcedId');
  return ok({ externalId: id, name: text(record['name']), type: text(record['type']).toLowerCase(), parentId: refId(record['parent']), deleted: isDeleted(record) });
}

/** What a class references; resolved by the adapter through cached lookups. */
export interface ClassRefs {
  readonly id: string | null;
  readonly schoolId: string | null;
  readonly courseId: string | null;
  /** A class may span several sessions (S1 + S2); the first listed is its term. */
  readonly termId: string | null;
}

export function classRefs(record: Json): ClassRefs {
  return { id: idOf(record), schoolId: refId(record['school']), courseId: refId(record['course']), termId: refIds(record['terms'])[0] ?? null };
}

export function mapClass(record: Json, lookups: { term: CanonicalTerm | null; courseName: string | null; teacherIds: readonly string[] }): Mapped<CanonicalSection> {
  const id = idOf(record);
  if (id === null) return skip('missing sourcedId');
  const periods = strings(record['periods']);
  return ok({
    externalId: id,
    name: text(record['title']),
    schoolId: refId(record['school']),
    courseName: lookups.courseName,
    subject: strings(record['subjects'])[0] ?? null,
    period: periods.length === 0 ? null : periods.join(', '),
    term: lookups.term,
    teacherIds: lookups.teacherIds,
    studentIds: null,
    status: isDeleted(record) ? 'deleted' : 'active',
  });
}

export interface EnrollmentRecord {
  readonly sectionId: string;
  readonly personId: string;
  /** null for roles Rollcall does not track (administrator, proctor). */
  readonly role: 'student' | 'teacher' | null;
  readonly primary: boolean;
  readonly deleted: boolean;
  /** dateLastModified: orders a tombstone against a newer live record for the same pair. */
  readonly modifiedAt: string | null;
}

export function mapEnrollment(record: Json): Mapped<EnrollmentRecord> {
  const id = idOf(record);
  const sectionId = refId(record['class']);
  const personId = refId(record['user']);
  if (sectionId === null) return skip('enrollment has no class', id);
  if (personId === null) return skip('enrollment has no user', id);
  const role = text(record['role']).toLowerCase();
  return ok({
    sectionId,
    personId,
    role: role === 'student' || role === 'teacher' ? role : null,
    primary: bool(record['primary']) === true,
    deleted: isDeleted(record),
    modifiedAt: typeof record['dateLastModified'] === 'string' ? record['dateLastModified'] : null,
  });
}

/** Teacher ids per class from teacher enrollments: active only, primary first, then in feed order. */
export function teachersByClass(enrollments: Iterable<EnrollmentRecord>): Map<string, string[]> {
  const primary = new Map<string, string[]>();
  const others = new Map<string, string[]>();
  for (const e of enrollments) {
    if (e.role !== 'teacher' || e.deleted) continue;
    const target = e.primary ? primary : others;
    const list = target.get(e.sectionId) ?? [];
    list.push(e.personId);
    target.set(e.sectionId, list);
  }
  const out = new Map<string, string[]>();
  for (const classId of new Set([...primary.keys(), ...others.keys()])) {
    out.set(classId, unique([...(primary.get(classId) ?? []), ...(others.get(classId) ?? [])]));
  }
  return out;
}
