// Shapes of the JSON the server sends (see the API contract in the lead's brief).

export type Role = 'teacher' | 'student' | 'operator';

export interface NamedRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  emailVerified: boolean;
  abilities: {
    operator: boolean;
    licenseAdminOf: NamedRef[];
    districtAdminOf: NamedRef[];
  };
}

/** Sign-in buttons for rostering providers; a later issue adds them to /api/session. */
export interface SignInProvider {
  id: string;
  label: string;
  href: string;
}

export interface Session {
  user: User | null;
  csrfToken: string;
  providers?: SignInProvider[];
}

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Invitation {
  email: string;
  licenseName: string;
  schoolName: string | null;
  districtName: string;
  invitedBy: string | null;
  accountExists: boolean;
  state: 'pending' | 'accepted';
}

export interface InvitationView {
  invitation: Invitation;
  signedInAs: { email: string | null } | null;
}

export interface License {
  id: string;
  name: string;
  districtName: string;
  schoolName: string | null;
  seats: number;
  seatsUsed: number;
  startsOn: string;
  endsOn: string;
}

/** 'linked': accepted and connected to the district's Clever or ClassLink. */
export type MemberState = 'invited' | 'accepted' | 'complete' | 'linked';

export interface LicenseMember {
  id: string;
  email: string;
  name: string | null;
  state: MemberState;
  invitedAt: string;
  acceptedAt: string | null;
  lastSentAt: string | null;
  invitationExpired: boolean;
  /** The license console's extras (GET /api/licenses/:id); absent from older responses. */
  userId?: string | null;
  linkedProviders?: ProviderId[];
  rosteredClasses?: number;
  lastSignInAt?: string | null;
}

export interface OperatorLicense {
  id: string;
  name: string;
  schoolId: string | null;
  schoolName: string | null;
  seats: number;
  seatsUsed: number;
  startsOn: string;
  endsOn: string;
  admins: { email: string; name: string }[];
}

export interface OperatorDistrict {
  id: string;
  name: string;
  schools: NamedRef[];
  licenses: OperatorLicense[];
}

export interface NewLicense {
  districtId: string;
  schoolId: string | null;
  name: string;
  seats: number;
  startsOn: string;
  endsOn: string;
}

export type ClassSource = 'manual' | 'clever' | 'classlink';

export interface Term {
  name: string;
  startDate: string | null;
  endDate: string | null;
}

export interface ClassSummary {
  id: string;
  name: string;
  source: ClassSource;
  /** Null in a student's own list. */
  studentCount: number | null;
  teachers: string[];
  term: Term | null;
  period: string | null;
  subject: string | null;
  lastSyncedAt: string | null;
}

export interface ClassList {
  classes: ClassSummary[];
  rostering: { available: boolean; reason: string | null };
}

/** A section the provider says the teacher teaches, and where it stands in Rollcall. */
export type SectionState = 'importable' | 'imported' | 'co-teacher' | 'term-ended';

export interface RosterSection {
  integrationId: string;
  provider: ProviderId;
  externalId: string;
  name: string;
  courseName: string | null;
  subject: string | null;
  period: string | null;
  term: Term | null;
  school: string | null;
  coTeachers: string[];
  studentCount: number | null;
  state: SectionState;
  classId: string | null;
}

export interface SectionsView {
  seats: { licenseName: string; seats: number; used: number } | null;
  sections: RosterSection[];
  /** Not in the contract yet: names the provider when there are no sections to tell it from. */
  provider?: ProviderId | null;
}

export interface SectionRef {
  integrationId: string;
  externalId: string;
}

export interface ImportedClass {
  classId: string;
  name: string;
  created: boolean;
  joined: boolean;
  students: number;
}

/** POST /api/rostering/import: done at once (200), or running in the background (202). */
export type ImportResponse = { imported: ImportedClass[] } | { runId: string };

export interface ImportRun {
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  done: number;
  total: number;
  imported: ImportedClass[];
  error: string | null;
}

export interface ClassInfo {
  id: string;
  name: string;
  source: ClassSource;
  archived: boolean;
  section: { provider: ProviderId; externalId: string; name: string; term: Term | null; school: string | null } | null;
  lastSyncedAt: string | null;
}

export interface RosterStudent {
  id: string;
  name: string;
  grade: string | null;
  signIn: 'Clever' | 'ClassLink' | null;
}

export interface RosterChange {
  at: string;
  studentName: string;
  change: 'joined' | 'left' | 'returned';
  trigger: string;
}

export interface ClassDetail {
  class: ClassInfo;
  teachers: NamedRef[];
  students: RosterStudent[];
  history: RosterChange[];
  abilities: { sync: boolean; remove: boolean };
}

export interface SyncRun {
  status: 'succeeded' | 'held' | 'failed';
  counts: { enrolled: number; removed: number; restored: number; updated: number };
  message: string;
}

export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  createdAt: string;
}

export interface ProfileView {
  identities: { provider: 'clever' | 'classlink'; lastSignInAt: string | null }[];
  providers: { id: 'clever' | 'classlink'; label: string; connectHref: string }[];
}

export type ProviderId = 'clever' | 'classlink';
export type IntegrationStatus = 'active' | 'needs_attention' | 'disabled';
export type OneRosterVersion = '1.1' | '1.2';

export interface CleverSettings {
  cleverDistrictId: string;
}

export interface ClassLinkSettings {
  tenantId: string;
  rosterServerUrl: string;
  oneRosterVersion: OneRosterVersion;
}

/** A district's connection to a rostering provider. Credentials never leave the server. */
export interface Integration {
  id: string;
  districtId: string;
  districtName: string;
  provider: ProviderId;
  /** Clever district id or ClassLink tenant id. */
  tenantKey: string;
  status: IntegrationStatus;
  statusReason: string | null;
  settings: CleverSettings | ClassLinkSettings;
  lastTestAt: string | null;
  /** The stored TestResult of the last test; read it through asTestResult. */
  lastTestResult: Record<string, unknown> | null;
}

/** A provider's school and the Rollcall school it feeds (null: not mapped). */
export interface SchoolMapping {
  externalId: string;
  name: string;
  schoolId: string | null;
}

export interface IntegrationDetail {
  integration: Integration;
  schools: SchoolMapping[];
}

export interface ConnectionReport {
  district: { externalId: string; name: string };
  schools: number;
  teachers: number;
  sections: number;
  students: number;
}

export type TestResult = { ok: true; report: ConnectionReport } | { ok: false; kind: string; message: string };

export interface NewCleverIntegration {
  districtId: string;
  cleverDistrictId: string;
}

export interface NewClassLinkIntegration {
  districtId: string;
  tenantId: string;
  rosterServerUrl: string;
  oneRosterVersion: OneRosterVersion;
  clientId: string;
  clientSecret: string;
}
