import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types, kept in step with the migrations by test/db/schema-drift.test.ts,
 * which compares them against information_schema after migrating.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** DATE columns are read as 'YYYY-MM-DD' strings on both drivers (no time-zone shifts). */
type DateOnly = ColumnType<string, string, string>;

export interface DistrictsTable {
  id: Generated<string>;
  name: string;
  created_at: Timestamp;
}

export interface SchoolsTable {
  id: Generated<string>;
  district_id: string;
  name: string;
  created_at: Timestamp;
}

export type UserRole = 'teacher' | 'student' | 'operator';

export interface UsersTable {
  id: Generated<string>;
  role: UserRole;
  name: string;
  email: string | null;
  email_verified_at: NullableTimestamp;
  password_hash: string | null;
  district_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
  grade: string | null;
}

export interface DistrictAdminsTable {
  district_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

export interface EmailTokensTable {
  token_hash: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface LicensesTable {
  id: Generated<string>;
  district_id: string;
  school_id: string | null;
  name: string;
  seats: number;
  starts_on: DateOnly;
  ends_on: DateOnly;
  created_at: Timestamp;
}

export interface LicenseAdminsTable {
  license_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface LicenseMembersTable {
  id: Generated<string>;
  license_id: string;
  email: string;
  user_id: string | null;
  invited_by: string | null;
  invited_at: Timestamp;
  accepted_at: NullableTimestamp;
  removed_at: NullableTimestamp;
  removed_by: string | null;
  invitation_token_hash: string | null;
  invitation_expires_at: NullableTimestamp;
  last_sent_at: NullableTimestamp;
  send_count: Generated<number>;
}

export interface MailCaptureTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  at: Timestamp;
  actor_user_id: string | null;
  district_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export type ProviderName = 'clever' | 'classlink';
export type IntegrationStatus = 'active' | 'needs_attention' | 'disabled';
type Json<T> = ColumnType<T, string, string>;

export interface IntegrationsTable {
  id: Generated<string>;
  district_id: string;
  provider: ProviderName;
  tenant_key: string;
  status: Generated<IntegrationStatus>;
  settings: Json<Record<string, unknown>>;
  credentials_sealed: string;
  status_reason: string | null;
  last_test_at: NullableTimestamp;
  last_test_result: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  sync_settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  delta_cursor: string | null;
  last_delta_at: NullableTimestamp;
  last_full_at: NullableTimestamp;
  sync_lease_owner: string | null;
  sync_lease_until: NullableTimestamp;
}

export interface IntegrationSchoolsTable {
  integration_id: string;
  external_id: string;
  name: string;
  school_id: string | null;
  updated_at: Timestamp;
}

export interface IdentitiesTable {
  id: Generated<string>;
  user_id: string;
  provider: ProviderName;
  tenant_key: string;
  external_id: string;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface AuthFlowsTable {
  state_hash: string;
  provider: ProviderName;
  purpose: 'signin' | 'connect';
  code_verifier: string | null;
  nonce: string | null;
  user_id: string | null;
  return_to: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export type ClassSource = 'manual' | 'clever' | 'classlink';
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface ClassesTable {
  id: Generated<string>;
  name: string;
  source: ClassSource;
  district_id: string | null;
  integration_id: string | null;
  external_id: string | null;
  school_id: string | null;
  course_name: string | null;
  subject: string | null;
  period: string | null;
  term_name: string | null;
  term_start: NullableDate;
  term_end: NullableDate;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_synced_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  archived_reason: string | null;
  term_external_id: string | null;
}

export interface ClassTeachersTable {
  class_id: string;
  user_id: string;
  added_at: Timestamp;
  removed_at: NullableTimestamp;
}

export interface EnrollmentsTable {
  class_id: string;
  user_id: string;
  status: 'active' | 'removed';
  enrolled_at: Timestamp;
  removed_at: NullableTimestamp;
  removed_reason: string | null;
}

export type SyncTrigger = 'import' | 'sync_now' | 'delta' | 'full' | 'schedule';
export type SyncStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'held' | 'approved' | 'rejected' | 'skipped';

export interface SyncRunsTable {
  id: Generated<string>;
  integration_id: string | null;
  class_id: string | null;
  requested_by: string | null;
  trigger: SyncTrigger;
  status: SyncStatus;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  warnings: ColumnType<string[], string | undefined, string>;
  error: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  kind: string | null;
  dry_run: Generated<boolean>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export interface RosterChangesTable {
  id: Generated<string>;
  class_id: string;
  user_id: string;
  change: 'joined' | 'left' | 'returned';
  at: Timestamp;
  run_id: string | null;
  reason: string | null;
}

export interface DB {
  districts: DistrictsTable;
  schools: SchoolsTable;
  users: UsersTable;
  district_admins: DistrictAdminsTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  licenses: LicensesTable;
  license_admins: LicenseAdminsTable;
  license_members: LicenseMembersTable;
  mail_capture: MailCaptureTable;
  audit_events: AuditEventsTable;
  integrations: IntegrationsTable;
  integration_schools: IntegrationSchoolsTable;
  identities: IdentitiesTable;
  auth_flows: AuthFlowsTable;
  classes: ClassesTable;
  class_teachers: ClassTeachersTable;
  enrollments: EnrollmentsTable;
  sync_runs: SyncRunsTable;
  roster_changes: RosterChangesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type LicenseRow = Selectable<LicensesTable>;
export type LicenseMemberRow = Selectable<LicenseMembersTable>;
