import type { SimDistrict } from '../generator/district.ts';
import type { GradeCode, PersonRecord, UserKind } from '../generator/model.ts';
import type { CleverIds } from './ids.ts';

/**
 * Canonical records → Clever Data API v3.0 objects (field names and enums
 * from Clever's published spec). Optional fields a district did not supply
 * are omitted, as Clever omits them.
 */
export type CleverObject = Record<string, unknown> & { id: string };

export function cleverGrade(grade: GradeCode | null): string | undefined {
  if (grade === null) return undefined;
  if (grade === 'KG') return 'Kindergarten';
  if (grade === 'PK') return 'PreKindergarten';
  return String(Number(grade));
}

export class CleverSerializer {
  constructor(
    private readonly ids: CleverIds,
    private readonly baseUrl: () => string,
  ) {}

  district(d: SimDistrict): CleverObject {
    const admin = d.person('admin', 0);
    const id = this.ids.districtId(d);
    return {
      id,
      name: d.name,
      sis_type: 'sftp',
      launch_date: d.createdAt.slice(0, 10),
      portal_url: `${this.baseUrl()}/sim/portal?district_id=${id}`,
      login_methods: ['Clever Badges', 'Google'],
      state: 'success',
      last_sync: d.createdAt,
      error: '',
      pause_start: null,
      pause_end: null,
      mdr_number: String(1000000 + d.ordinal),
      nces_id: String(4100000 + d.ordinal),
      district_contact: {
        id: this.ids.id(d, 'admin', 0),
        district: id,
        email: admin?.email ?? null,
        name: { first: admin?.givenName ?? '', last: admin?.familyName ?? '' },
        title: admin?.title ?? 'Superintendent',
      },
    };
  }

  school(d: SimDistrict, index: number): CleverObject | undefined {
    const s = d.school(index);
    if (s === undefined) return undefined;
    return {
      id: this.ids.id(d, 'school', index),
      district: this.ids.districtId(d),
      name: s.name,
      created: s.createdAt,
      last_modified: s.modifiedAt,
      sis_id: `SCH-${s.number}`,
      school_number: s.number,
      state_id: `${d.config.state.code}-${s.number}`,
      nces_id: String(410000000000 + d.ordinal * 1000 + index),
      low_grade: cleverGrade(s.grades[0] ?? null),
      high_grade: cleverGrade(s.grades[s.grades.length - 1] ?? null),
      phone: s.phone,
      principal: { name: s.principal.name, email: s.principal.email },
      location: { address: s.address.street, city: s.address.city, state: s.address.state, zip: s.address.zip },
      ext: {},
    };
  }

  term(d: SimDistrict, index: number): CleverObject | undefined {
    const t = d.term(index);
    if (t === undefined) return undefined;
    return {
      id: this.ids.id(d, 'term', index),
      district: this.ids.districtId(d),
      name: t.name,
      start_date: t.startDate,
      end_date: t.endDate,
    };
  }

  course(d: SimDistrict, index: number): CleverObject | undefined {
    const c = d.course(index);
    if (c === undefined) return undefined;
    return { id: this.ids.id(d, 'course', index), district: this.ids.districtId(d), name: c.name, number: c.number };
  }

  /** Undefined for deleted sections unless `includeDeleted` (event snapshots). */
  section(d: SimDistrict, index: number, includeDeleted = false): CleverObject | undefined {
    const s = d.section(index);
    if (s === undefined || (s.deleted && !includeDeleted)) return undefined;
    const teachers = s.teachers.map((t) => this.ids.id(d, 'teacher', t));
    return {
      id: this.ids.id(d, 'section', index),
      district: this.ids.districtId(d),
      school: this.ids.id(d, 'school', s.school),
      name: s.name,
      sis_id: s.sisId,
      subject: s.subject,
      students: (s.deleted ? [] : d.sectionStudents(index)).map((i) => this.ids.id(d, 'student', i)),
      teacher: teachers[0] ?? null,
      teachers,
      grade: cleverGrade(s.grade),
      period: s.period,
      section_number: s.sectionNumber,
      course: this.ids.id(d, 'course', s.course),
      term_id: this.ids.id(d, 'term', s.term),
      created: s.createdAt,
      last_modified: s.modifiedAt,
      ext: {},
    };
  }

  user(d: SimDistrict, kind: UserKind, index: number): CleverObject | undefined {
    const p = d.person(kind, index);
    if (p === undefined) return undefined;
    const name: Record<string, string> = { first: p.givenName, last: p.familyName };
    if (p.middleName !== '') name['middle'] = p.middleName;
    const user: CleverObject = {
      id: this.ids.id(d, kind, index),
      district: this.ids.districtId(d),
      name,
      created: p.createdAt,
      last_modified: p.modifiedAt,
      roles: this.roles(d, p),
    };
    if (p.email !== null) user['email'] = p.email;
    return user;
  }

  private roles(d: SimDistrict, p: PersonRecord): Record<string, unknown> {
    const school = p.school === null ? null : this.ids.id(d, 'school', p.school);
    const credentials = { district_username: p.username };
    const legacy = this.ids.legacyId(d, p.kind, p.index);
    const roles: Record<string, unknown> = {};
    if (p.kind === 'student') {
      const term = d.term(1);
      const role: Record<string, unknown> = {
        school,
        schools: [school],
        enrollments: [{ school, start_date: term?.startDate, end_date: term?.endDate }],
        sis_id: `S${p.number}`,
        student_number: p.number,
        state_id: `${d.config.state.code}${p.number}`,
        legacy_id: legacy,
        credentials,
        created: p.createdAt,
        last_modified: p.modifiedAt,
        ext: {},
      };
      const grade = cleverGrade(p.grade);
      if (grade !== undefined) {
        role['grade'] = grade;
        const g = grade === 'Kindergarten' ? 0 : Number(grade);
        if (Number.isFinite(g) && term !== undefined) role['graduation_year'] = String(term.schoolYear + 12 - g);
      }
      if (p.dob !== null) role['dob'] = p.dob;
      if (p.gender !== null) role['gender'] = p.gender;
      role['ell_status'] = p.index % 9 === 0 ? 'Y' : 'N';
      roles['student'] = role;
    }
    if (p.kind === 'teacher') {
      roles['teacher'] = {
        school,
        schools: [school],
        sis_id: `T${p.number}`,
        teacher_number: p.number,
        state_id: `${d.config.state.code}T${p.number}`,
        title: p.title,
        legacy_id: legacy,
        credentials,
        ext: {},
      };
    }
    if (p.kind === 'staff' || p.staffTitle !== null) {
      roles['staff'] = {
        schools: [school],
        staff_id: `STF${p.number}`,
        title: p.staffTitle ?? p.title,
        department: p.kind === 'teacher' ? 'Academics' : 'Administration',
        roles: [],
        legacy_id: p.kind === 'staff' ? legacy : this.ids.legacyId(d, 'staff', 100000 + p.index),
        credentials,
        ext: {},
      };
    }
    if (p.kind === 'admin') {
      roles['district_admin'] = { legacy_id: legacy, title: p.title };
    }
    return roles;
  }
}
