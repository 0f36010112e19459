import fc from 'fast-check';
import type { CanonicalPerson } from '../../../src/providers/roster-provider.ts';
import { TOO_LONG_ID, UNSTORABLE_IDS, hostileString, idString } from './hostile.ts';

/**
 * Provider wire records for the adapter fuzz suite, each generated with the
 * canonical record it must map to (or the reason it must be skipped), and
 * written out as JSON text so that "__proto__" and friends arrive as own
 * keys, exactly as JSON.parse gives them to the adapters.
 */

/** JSON object text from ordered entries: keeps "__proto__" an ordinary key. */
export function objectText(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v instanceof RawJson ? v.text : JSON.stringify(v)}`).join(',')}}`;
}

/** A value already written as JSON text (a nested object with own prototype keys). */
export class RawJson {
  constructor(readonly text: string) {}
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/** An object that turns hostile when code treats it as a dictionary or a string. */
export const protoBomb: fc.Arbitrary<RawJson> = fc
  .subarray([...PROTO_KEYS], { minLength: 1 })
  .map((keys) => new RawJson(objectText(keys.map((k) => [k, k === '__proto__' ? new RawJson('{"polluted":true,"isAdmin":true}') : { polluted: true }]))));

/** Unknown fields: ordinary, prototype-named, or any JSON. */
export const unknownFields = (known: readonly string[]): fc.Arbitrary<[string, unknown][]> =>
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_KEYS, 'ext', 'metadata', 'sis_id', 'legacy_id'), fc.string({ maxLength: 8 })).filter((k) => !known.includes(k)),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), protoBomb),
    ),
    { maxLength: 4 },
  );

/** A wrong-typed value for a field that must be an object/array. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }));

/** An id that is not one: absent, blank, or not a string. */
export const notAnId: fc.Arbitrary<unknown> = fc.oneof(fc.constant(undefined), fc.constantFrom('', '   ', '\t', ...UNSTORABLE_IDS), fc.integer(), fc.constant(null), fc.boolean(), fc.constant({ id: 'x' }), protoBomb);
/** A record's own id that is not one: the above, or too long for a key. */
export const notARecordId: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: notAnId }, { weight: 1, arbitrary: fc.constant(TOO_LONG_ID) });

export const EMAILS = fc.oneof(
  fc.emailAddress().map((e) => ({ wire: e as string | undefined, want: e as string | null })),
  fc.constantFrom('', 'no-at-sign', 'a@b', '@@', ' ', 'two@@at.org').map((e) => ({ wire: e as string | undefined, want: null })),
  fc.constant({ wire: undefined as string | undefined, want: null }),
);

/** Grade spellings and what Rollcall makes of them; prototype names are not grades. */
export const CLEVER_GRADES: readonly (readonly [string, string | null])[] = [
  ['Kindergarten', 'K'],
  ['PreKindergarten', 'PK'],
  ['1', '1'],
  ['9', '9'],
  ['12', '12'],
  ['13', '13'],
  ['Ungraded', 'Other'],
  ['PostGraduate', 'Other'],
  ['Other', 'Other'],
  ['banana', null],
  ['constructor', null],
  ['toString', null],
  ['__proto__', null],
  ['hasOwnProperty', null],
];
export const ONEROSTER_GRADES: readonly (readonly [string, string | null])[] = [
  ['KG', 'K'],
  ['PK', 'PK'],
  ['01', '1'],
  ['09', '9'],
  ['12', '12'],
  ['UG', 'Other'],
  ['IT', 'Other'],
  ['valueOf', null],
  ['constructor', null],
  ['__proto__', null],
];

export type Classified<T> = { readonly kind: 'good'; readonly text: string; readonly want: T } | { readonly kind: 'bad'; readonly text: string; readonly id: string | null } | { readonly kind: 'junk'; readonly text: string };

const trimmed = (s: string) => s.trim();

// --- Clever users ---------------------------------------------------------------------------------

const CLEVER_ROLES = { student: 'student', teacher: 'teacher', staff: 'staff', district_admin: 'administrator' } as const;

export const cleverUser: fc.Arbitrary<Classified<CanonicalPerson>> = fc
  .record({
    id: idString,
    first: hostileString(),
    last: hostileString(),
    email: EMAILS,
    role: fc.constantFrom(...(Object.keys(CLEVER_ROLES) as (keyof typeof CLEVER_ROLES)[])),
    school: fc.option(idString, { nil: null }),
    grade: fc.option(fc.constantFrom(...CLEVER_GRADES), { nil: null }),
    extra: unknownFields(['id', 'name', 'roles', 'email']),
    roleExtra: unknownFields(['student', 'teacher', 'staff', 'district_admin']),
    nameExtra: unknownFields(['first', 'last']),
    defect: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('id', 'roles', 'name') }),
    badId: notARecordId,
    badShape: wrongType,
  })
  .map((m): Classified<CanonicalPerson> => {
    const roleBody: [string, unknown][] = [];
    if (m.school !== null) roleBody.push(['school', m.school], ['schools', [m.school]]);
    if (m.role === 'student' && m.grade !== null) roleBody.push(['grade', m.grade[0]]);
    // Prototype-named keys inside roles must not become roles.
    const roles = new RawJson(objectText([[m.role, roleBody.length ? new RawJson(objectText(roleBody)) : {}], ...m.roleExtra.filter(([k]) => !(k in CLEVER_ROLES))]));
    const name = new RawJson(objectText([['first', m.first], ['last', m.last], ...m.nameExtra]));
    const entries: [string, unknown][] = [['id', m.id], ['name', name], ['roles', roles], ...(m.email.wire === undefined ? [] : [['email', m.email.wire] as [string, unknown]]), ...m.extra];
    if (m.defect !== null) {
      const bad = m.defect === 'id' ? m.badId : m.badShape;
      const rest = entries.filter(([k]) => k !== m.defect);
      const text = objectText(bad === undefined ? rest : [...rest, [m.defect, bad]]);
      // Arrays are objects in JSON but not records: roles/name as arrays are skipped too.
      return { kind: 'bad', text, id: m.defect === 'id' ? null : m.id };
    }
    return {
      kind: 'good',
      text: objectText(entries),
      want: {
        externalId: m.id,
        roles: [CLEVER_ROLES[m.role]],
        givenName: trimmed(m.first),
        familyName: trimmed(m.last),
        email: m.email.want,
        grade: m.role === 'student' && m.grade !== null ? m.grade[1] : null,
        // Schools come from the student, teacher and staff roles; an administrator's role names none.
        schoolIds: m.school === null || m.role === 'district_admin' ? [] : [m.school],
        active: true,
      },
    };
  });

// --- OneRoster users ------------------------------------------------------------------------------

const OR_ROLES = { student: 'student', teacher: 'teacher', aide: 'staff', administrator: 'administrator', Teacher: 'teacher' } as const;

export const oneRosterUser: fc.Arbitrary<Classified<CanonicalPerson>> = fc
  .record({
    id: idString,
    given: hostileString(),
    family: hostileString(),
    email: EMAILS,
    role: fc.constantFrom(...(Object.keys(OR_ROLES) as (keyof typeof OR_ROLES)[])),
    shape: fc.constantFrom('1.1', '1.2'),
    org: fc.option(idString, { nil: null }),
    grade: fc.option(fc.constantFrom(...ONEROSTER_GRADES), { nil: null }),
    status: fc.constantFrom('active', 'tobedeleted', 'inactive'),
    enabled: fc.constantFrom(true, false, 'true', 'false', undefined),
    extra: unknownFields(['sourcedId', 'givenName', 'familyName', 'email', 'role', 'roles', 'orgs', 'grades', 'status', 'enabledUser', 'primaryOrg']),
    /** More 1.2 roles Rollcall does not keep, some named like prototype members. */
    otherRoles: fc.subarray(['guardian', 'parent', 'relative', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']),
    defect: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('sourcedId', 'roles') }),
    badId: notARecordId,
    badRoles: fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant({ role: 'student' })),
  })
  .map((m): Classified<CanonicalPerson> => {
    const orgRef = m.org === null ? null : { sourcedId: m.org, href: `https://or.test/orgs/${m.org}`, type: 'org' };
    const entries: [string, unknown][] = [
      ['sourcedId', m.id],
      ['status', m.status],
      ['givenName', m.given],
      ['familyName', m.family],
      ...(m.email.wire === undefined ? [] : [['email', m.email.wire] as [string, unknown]]),
      ...(m.enabled === undefined ? [] : [['enabledUser', m.enabled] as [string, unknown]]),
      ...(m.grade === null ? [] : [['grades', [m.grade[0]]] as [string, unknown]]),
      ...(m.shape === '1.1'
        ? ([['role', m.role], ['orgs', orgRef ? [orgRef] : []]] as [string, unknown][])
        : ([['roles', [{ roleType: 'primary', role: m.role, ...(orgRef ? { org: orgRef } : {}) }, ...m.otherRoles.map((role) => ({ roleType: 'secondary', role }))]]] as [string, unknown][])),
      ...m.extra,
    ];
    if (m.defect === 'sourcedId') {
      const rest = entries.filter(([k]) => k !== 'sourcedId');
      return { kind: 'bad', text: objectText(m.badId === undefined ? rest : [...rest, ['sourcedId', m.badId]]), id: null };
    }
    if (m.defect === 'roles') {
      // roles present, and not an array (nor the "" or null some servers send for none).
      return { kind: 'bad', text: objectText([...entries.filter(([k]) => k !== 'roles'), ['roles', m.badRoles]]), id: m.id };
    }
    const enabled = m.enabled === false || m.enabled === 'false' ? false : true;
    return {
      kind: 'good',
      text: objectText(entries),
      want: {
        externalId: m.id,
        roles: [OR_ROLES[m.role]],
        givenName: trimmed(m.given),
        familyName: trimmed(m.family),
        email: m.email.want,
        grade: m.grade === null ? null : m.grade[1],
        schoolIds: m.org === null ? [] : [m.org],
        active: m.status === 'active' && enabled,
      },
    };
  });

// --- OneRoster enrollments ------------------------------------------------------------------------

export interface Pair {
  readonly sectionId: string;
  readonly personId: string;
}

/** Enrollments; `want` is the student pair the adapter yields, or null for one it leaves out (teacher, deleted). */
export const oneRosterEnrollment: fc.Arbitrary<Classified<Pair | null>> = fc
  .record({
    id: fc.option(idString, { nil: undefined }),
    section: idString,
    person: idString,
    role: fc.constantFrom('student', 'Student', 'teacher', 'administrator', 'proctor', ''),
    status: fc.constantFrom('active', 'active', 'tobedeleted'),
    bareRefs: fc.boolean(),
    extra: unknownFields(['sourcedId', 'class', 'user', 'role', 'status', 'primary']),
    defect: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('class', 'user') }),
    badValue: fc.oneof(notAnId, fc.constant({ href: 'https://or.test/x' })),
  })
  .map((m): Classified<Pair | null> => {
    const ref = (type: string, id: string) => (m.bareRefs ? id : { sourcedId: id, href: `https://or.test/${type}/${id}`, type });
    const entries: [string, unknown][] = [
      ...(m.id === undefined ? [] : [['sourcedId', m.id] as [string, unknown]]),
      ['status', m.status],
      ['class', ref('class', m.section)],
      ['user', ref('user', m.person)],
      ['role', m.role],
      ...m.extra,
    ];
    if (m.defect !== null) {
      const rest = entries.filter(([k]) => k !== m.defect);
      return { kind: 'bad', text: objectText(m.badValue === undefined ? rest : [...rest, [m.defect, m.badValue]]), id: m.id ?? null };
    }
    const student = m.role.toLowerCase() === 'student' && m.status === 'active';
    return { kind: 'good', text: objectText(entries), want: student ? { sectionId: m.section, personId: m.person } : null };
  });

/** Items that are not records at all. */
export const junkItem: fc.Arbitrary<Classified<never>> = fc
  .oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 5 }), fc.array(fc.integer(), { maxLength: 2 }), fc.boolean())
  .map((v) => ({ kind: 'junk', text: JSON.stringify(v) }));
