// Shapes of the diagnosis, console and audit JSON (src/http/routes/diagnostics.routes.ts, admin-console.routes.ts).
import type { Integration, ProviderId, Role } from './types.ts';

export type CheckId = 'integration' | 'license' | 'invitation' | 'linked' | 'sections';
export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'unknown';
export type Fixer = 'teacher' | 'license_admin' | 'district_it' | 'support';

export interface DiagnosisAction {
  label: string;
  href: string;
}

export interface Diagnosis {
  subject: { userId: string | null; name: string | null; email: string | null; role: Role | null };
  district: { id: string; name: string } | null;
  ok: boolean;
  firstFailure: CheckId | null;
  checks: { id: CheckId; status: CheckStatus; title: string; detail: string }[];
  fixer: Fixer | null;
  fixerContact: { name: string; email: string | null } | null;
  nextStep: { text: string; action?: DiagnosisAction; alternatives?: DiagnosisAction[] };
  sections?: {
    provider: ProviderId;
    externalId: string;
    name: string;
    term: string | null;
    period: string | null;
    subject: string | null;
    studentCount: number | null;
  }[];
  checkedAt: string;
}

export interface ConsoleRun {
  id: string;
  integrationId: string | null;
  provider: ProviderId | null;
  classId: string | null;
  className: string | null;
  requestedBy: string | null;
  trigger: string;
  triggerLabel: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  counts: Record<string, number>;
  summary: string;
  warnings: number;
  error: string | null;
  explanation: string | null;
}

export interface HeldRun extends ConsoleRun {
  pendingRemovals: { userId: string; name: string | null; classId: string | null; className: string | null }[];
  pendingArchives: { classId: string; className: string | null }[];
}

export interface DistrictConsole {
  district: { id: string; name: string };
  integrations: {
    integration: Integration;
    shared: { schools: number; teachers: number; sections: number; students: number; at: string | null } | null;
    imported: { classes: number; students: number; teachersLinked: number };
    lastDelta: ConsoleRun | null;
    lastFull: ConsoleRun | null;
  }[];
  runs: ConsoleRun[];
  held: HeldRun[];
  problems: { integrationId: string; provider: ProviderId; at: string | null; message: string }[];
  abilities: { decideHolds: boolean; testConnections: boolean };
}

export interface UserMatch {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  districtName: string | null;
  providers: ProviderId[];
  lastSignInAt: string | null;
}

export interface UserDetail {
  user: { id: string; name: string; email: string | null; role: Role; emailVerified: boolean; hasPassword: boolean; lastSignInAt: string | null };
  identities: { provider: ProviderId; tenantKey: string; externalId: string; districtName: string | null; lastSignInAt: string | null }[];
  licenses: {
    memberId: string;
    licenseId: string;
    licenseName: string;
    schoolName: string | null;
    startsOn: string;
    endsOn: string;
    inDate: boolean;
    state: 'invited' | 'accepted' | 'removed';
    invitedAt: string;
    acceptedAt: string | null;
    removedAt: string | null;
  }[];
  classes: { id: string; name: string; source: 'manual' | 'clever' | 'classlink'; studentCount: number; lastSyncedAt: string | null }[];
  diagnosis: Diagnosis | null;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string | null;
  districtId: string | null;
  districtName: string | null;
  action: string;
  summary: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}
