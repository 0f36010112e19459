/**
 * The provider-neutral ("canonical") records of a simulated district. Both
 * simulators serialize these: Clever as v3.0 objects with 24-hex ids,
 * ClassLink/OneRoster as 1.1/1.2 objects with readable sourcedIds.
 * Records are addressed by (kind, index); the index is stable for the life of
 * the district and determines list order on both providers.
 */

export type UserKind = 'admin' | 'staff' | 'student' | 'teacher';
/** Order matters: it is the list order of /users on both providers. */
export const USER_KINDS: readonly UserKind[] = ['admin', 'staff', 'student', 'teacher'];

export type RecordKind = 'school' | 'term' | 'course' | 'section' | UserKind;

/** CEDS grade codes, the form OneRoster uses: PK, KG, 01 … 12. */
export type GradeCode = string;

export interface PersonName {
  givenName: string;
  familyName: string;
  middleName: string;
}

export interface SchoolRecord {
  index: number;
  name: string;
  number: string;
  grades: GradeCode[];
  phone: string;
  principal: { name: string; email: string };
  address: { street: string; city: string; state: string; zip: string };
  createdAt: string;
  modifiedAt: string;
}

export interface TermRecord {
  index: number;
  name: string;
  startDate: string;
  endDate: string;
  /** Ending year of the school year this term belongs to (OneRoster schoolYear). */
  schoolYear: number;
  fullYear: boolean;
  createdAt: string;
  modifiedAt: string;
}

export interface CourseRecord {
  index: number;
  name: string;
  number: string;
  /** Clever subject enum value. */
  subject: string;
  subjectName: string;
  createdAt: string;
  modifiedAt: string;
}

export interface SectionRecord {
  index: number;
  school: number;
  course: number;
  term: number;
  name: string;
  period: string;
  sectionNumber: string;
  sisId: string;
  subject: string;
  grade: GradeCode;
  /** Teacher indices, primary first. */
  teachers: number[];
  deleted: boolean;
  createdAt: string;
  modifiedAt: string;
}

export interface PersonRecord extends PersonName {
  kind: UserKind;
  index: number;
  /** Primary school index; null for the district administrator. */
  school: number | null;
  email: string | null;
  username: string;
  /** District-assigned number (student number, teacher number, staff id). */
  number: string;
  grade: GradeCode | null;
  /** Extra roles held by the same person (e.g. a teacher who is also staff). */
  staffTitle: string | null;
  title: string;
  dob: string | null;
  gender: 'M' | 'F' | 'X' | null;
  createdAt: string;
  modifiedAt: string;
}

export type EnrollmentRole = 'student' | 'teacher';

export interface EnrollmentRecord {
  /** 'base' = generated (id derived from section+user), 'added' = created by a change. */
  origin: 'base' | 'added';
  /** For added enrollments: their sequence number (stable id). */
  seq: number;
  section: number;
  school: number;
  role: EnrollmentRole;
  user: number;
  primary: boolean;
  active: boolean;
  createdAt: string;
  modifiedAt: string;
}
