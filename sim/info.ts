import { userId } from './classlink/identity.ts';
import type { CleverIds } from './clever/ids.ts';
import type { SimDistrict } from './generator/district.ts';
import type { UserKind } from './generator/model.ts';
import { OneRosterIds } from './oneroster/ids.ts';
import { rosterBaseUrl, type RosterTenant } from './oneroster/server.ts';

/**
 * What tests and the app's demo seed need to know about each simulated
 * district: ids on both providers, credentials, and a sample of well-known
 * people and sections (all of them for the small demo district).
 */
export interface SimUserInfo {
  role: 'teacher' | 'student' | 'staff' | 'district_admin';
  givenName: string;
  familyName: string;
  email: string | null;
  cleverId: string;
  oneRosterSourcedId: string;
  classlinkUserId: number;
  /** Teachers who also hold a Clever staff role. */
  multiRole: boolean;
}

export interface SimSectionInfo {
  name: string;
  cleverId: string;
  sourcedId: string;
  teacherEmails: string[];
  studentCount: number;
  termName: string;
  ended: boolean;
}

export interface SimDistrictInfo {
  name: string;
  cleverDistrictId: string;
  cleverDistrictToken: string;
  classlinkTenantId: string;
  oneRoster: {
    v1p1: { baseUrl: string; consumerKey: string; consumerSecret: string };
    v1p2: { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string };
  };
  counts: { schools: number; sections: number; teachers: number; students: number; staff: number; enrollments: number };
  teachers: SimUserInfo[];
  students: SimUserInfo[];
  staff: SimUserInfo[];
  admins: SimUserInfo[];
  sections: SimSectionInfo[];
}

const ROLE: Record<UserKind, SimUserInfo['role']> = { admin: 'district_admin', staff: 'staff', student: 'student', teacher: 'teacher' };

export function userInfo(d: SimDistrict, cleverIds: CleverIds, kind: UserKind, index: number): SimUserInfo {
  const p = d.person(kind, index);
  if (p === undefined) throw new Error(`no ${kind} ${index}`);
  return {
    role: ROLE[kind],
    givenName: p.givenName,
    familyName: p.familyName,
    email: p.email,
    cleverId: cleverIds.id(d, kind, index),
    oneRosterSourcedId: new OneRosterIds(d).user(kind, index),
    classlinkUserId: userId(d, kind, index),
    multiRole: p.staffTitle !== null && kind === 'teacher',
  };
}

export function districtInfo(
  d: SimDistrict,
  tenant: RosterTenant,
  cleverIds: CleverIds,
  cleverToken: string,
  classlinkBase: string,
): SimDistrictInfo {
  const sample = d.config.demo ? Number.POSITIVE_INFINITY : 10;
  const people = (kind: UserKind) =>
    Array.from({ length: Math.min(d.count(kind), sample) }, (_v, i) => userInfo(d, cleverIds, kind, i));
  const orIds = new OneRosterIds(d);
  const sections = Array.from({ length: Math.min(d.sectionCount, d.config.demo ? d.sectionCount : 12) }, (_v, c) => {
    const s = d.section(c)!;
    const term = d.term(s.term)!;
    return {
      name: s.name,
      cleverId: cleverIds.id(d, 'section', c),
      sourcedId: orIds.section(c),
      teacherEmails: s.teachers.map((t) => d.person('teacher', t)?.email ?? '').filter((e) => e !== ''),
      studentCount: d.sectionStudents(c).length,
      termName: term.name,
      ended: s.term === 0,
    };
  });
  return {
    name: d.name,
    cleverDistrictId: cleverIds.districtId(d),
    cleverDistrictToken: cleverToken,
    classlinkTenantId: tenant.tenantId,
    oneRoster: {
      v1p1: { baseUrl: rosterBaseUrl(classlinkBase, tenant.tenantId, '1.1'), ...tenant.v11 },
      v1p2: {
        baseUrl: rosterBaseUrl(classlinkBase, tenant.tenantId, '1.2'),
        tokenUrl: `${classlinkBase}/roster/${tenant.tenantId}/token`,
        ...tenant.v12,
      },
    },
    counts: {
      schools: d.schoolCount,
      sections: d.sectionCount,
      teachers: d.count('teacher'),
      students: d.count('student'),
      staff: d.count('staff'),
      enrollments: d.enrollments.count(),
    },
    teachers: people('teacher'),
    students: people('student'),
    staff: people('staff'),
    admins: people('admin'),
    sections,
  };
}
