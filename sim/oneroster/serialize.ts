import type { SimDistrict } from '../generator/district.ts';
import type { EnrollmentRecord, PersonRecord, TermRecord, UserKind } from '../generator/model.ts';
import type { OneRosterIds } from './ids.ts';

/**
 * Canonical records → OneRoster 1.1 / 1.2 JSON as a ClassLink Roster Server
 * returns it: GUIDRefs with absolute hrefs, `enabledUser` and `primary` as the
 * strings "true"/"false" (ClassLink's observed habit), empty strings for
 * missing optional text, tombstones with status "tobedeleted".
 */
export type OrVersion = '1.1' | '1.2';
export type Json = Record<string, unknown>;

export interface GuidRef {
  href: string;
  sourcedId: string;
  type: string;
}

const COLLECTION: Record<string, string> = {
  org: 'orgs',
  academicSession: 'academicSessions',
  course: 'courses',
  class: 'classes',
  user: 'users',
  enrollment: 'enrollments',
};

export class OneRosterSerializer {
  constructor(
    readonly district: SimDistrict,
    readonly ids: OneRosterIds,
    readonly version: OrVersion,
    /** Base URL of this tenant's roster API for the version (…/ims/oneroster/v1p1). */
    private readonly baseUrl: () => string,
  ) {}

  ref(type: string, sourcedId: string): GuidRef {
    return { href: `${this.baseUrl()}/${COLLECTION[type] ?? type}/${sourcedId}`, sourcedId, type };
  }

  private head(sourcedId: string, active: boolean, modifiedAt: string): Json {
    return { sourcedId, status: active ? 'active' : 'tobedeleted', dateLastModified: modifiedAt, metadata: {} };
  }

  districtOrg(): Json {
    const d = this.district;
    return {
      ...this.head(this.ids.districtId(), true, d.createdAt),
      name: d.name,
      type: 'district',
      identifier: String(4100000 + d.ordinal),
      children: Array.from({ length: d.schoolCount }, (_v, i) => this.ref('org', this.ids.school(i))),
    };
  }

  school(index: number): Json | undefined {
    const s = this.district.school(index);
    if (s === undefined) return undefined;
    return {
      ...this.head(this.ids.school(index), true, s.modifiedAt),
      name: s.name,
      type: 'school',
      identifier: s.number,
      parent: this.ref('org', this.ids.districtId()),
    };
  }

  /** academicSessions: the two school years (parents), then the four terms. */
  sessionCount(): number {
    return 2 + this.district.termCount;
  }

  private schoolYears(): number[] {
    const years = new Set<number>();
    for (let t = 0; t < this.district.termCount; t++) years.add(this.district.base.terms[t]?.schoolYear ?? 0);
    return [...years].sort((a, b) => a - b);
  }

  session(position: number): Json | undefined {
    const years = this.schoolYears();
    if (position < years.length) return this.schoolYear(years[position] ?? 0);
    return this.term(position - years.length);
  }

  schoolYear(year: number): Json | undefined {
    const terms = this.district.base.terms.filter((t) => t.schoolYear === year);
    if (terms.length === 0) return undefined;
    return {
      ...this.head(this.ids.schoolYear(year), true, this.district.createdAt),
      title: `${year - 1}–${String(year).slice(2)}`,
      type: 'schoolYear',
      startDate: `${year - 1}-08-15`,
      endDate: `${year}-06-10`,
      children: terms.map((t) => this.ref('academicSession', this.ids.term(t.index))),
      schoolYear: String(year),
    };
  }

  term(index: number): Json | undefined {
    const t: TermRecord | undefined = this.district.term(index);
    if (t === undefined) return undefined;
    return {
      ...this.head(this.ids.term(index), true, t.modifiedAt),
      title: t.name,
      type: 'term',
      startDate: t.startDate,
      endDate: t.endDate,
      parent: this.ref('academicSession', this.ids.schoolYear(t.schoolYear)),
      schoolYear: String(t.schoolYear),
    };
  }

  course(index: number): Json | undefined {
    const c = this.district.course(index);
    if (c === undefined) return undefined;
    const current = this.district.base.terms[1];
    return {
      ...this.head(this.ids.course(index), true, c.modifiedAt),
      title: c.name,
      schoolYear: this.ref('academicSession', this.ids.schoolYear(current?.schoolYear ?? 0)),
      courseCode: c.number,
      grades: [],
      subjects: [c.subjectName],
      org: this.ref('org', this.ids.districtId()),
      subjectCodes: [],
    };
  }

  section(index: number): Json | undefined {
    const s = this.district.section(index);
    if (s === undefined) return undefined;
    const homeroom = s.subject === 'homeroom/advisory';
    return {
      ...this.head(this.ids.section(index), !s.deleted, s.modifiedAt),
      title: s.name,
      classCode: s.sectionNumber,
      classType: homeroom ? 'homeroom' : 'scheduled',
      location: `Room ${100 + (index % 300)}`,
      grades: [s.grade],
      subjects: [this.district.course(s.course)?.subjectName ?? ''],
      course: this.ref('course', this.ids.course(s.course)),
      school: this.ref('org', this.ids.school(s.school)),
      terms: [this.ref('academicSession', this.ids.term(s.term))],
      subjectCodes: [],
      periods: [s.period],
    };
  }

  private roleOf(p: PersonRecord): { v11: string; v12: string } {
    switch (p.kind) {
      case 'student':
        return { v11: 'student', v12: 'student' };
      case 'teacher':
        return { v11: 'teacher', v12: 'teacher' };
      case 'admin':
        return { v11: 'administrator', v12: 'districtAdministrator' };
      case 'staff':
        return { v11: 'administrator', v12: p.title === 'Principal' ? 'principal' : p.title === 'Counselor' ? 'counselor' : 'siteAdministrator' };
    }
  }

  user(kind: UserKind, index: number): Json | undefined {
    const p = this.district.person(kind, index);
    if (p === undefined) return undefined;
    const org = p.school === null ? this.ref('org', this.ids.districtId()) : this.ref('org', this.ids.school(p.school));
    const role = this.roleOf(p);
    const common: Json = {
      ...this.head(this.ids.user(kind, index), true, p.modifiedAt),
      username: p.username,
      userIds: [{ type: 'LDAP', identifier: p.username }],
      enabledUser: 'true',
      givenName: p.givenName,
      familyName: p.familyName,
      middleName: p.middleName,
    };
    const contact: Json = {
      identifier: p.number,
      email: p.email ?? '',
      sms: '',
      phone: '',
      agents: [],
      grades: p.grade === null ? [] : [p.grade],
    };
    if (this.version === '1.1') return { ...common, role: role.v11, ...contact, orgs: [org] };
    const roles: Json[] = [{ roleType: 'primary', role: role.v12, org }];
    // A teacher who is also staff keeps one primary role per org plus a secondary one.
    if (p.kind === 'teacher' && p.staffTitle !== null) roles.push({ roleType: 'secondary', role: 'siteAdministrator', org });
    return { ...common, userMasterIdentifier: p.number, roles, primaryOrg: org, ...contact };
  }

  enrollment(e: EnrollmentRecord): Json {
    const kind = e.role === 'student' ? 'student' : 'teacher';
    return {
      ...this.head(this.ids.enrollment(e), e.active, e.modifiedAt),
      user: this.ref('user', this.ids.user(kind, e.user)),
      class: this.ref('class', this.ids.section(e.section)),
      school: this.ref('org', this.ids.school(e.school)),
      role: e.role,
      primary: e.primary ? 'true' : 'false',
    };
  }
}
