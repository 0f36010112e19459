import { formatTime, plural } from '../format.ts';
import type { ConnectionReport, Integration, IntegrationStatus, ProviderId, TestResult } from '../types.ts';

export const PROVIDER_NAME: Record<ProviderId, string> = { clever: 'Clever', classlink: 'ClassLink' };

export const STATUS_LABEL: Record<IntegrationStatus, string> = {
  active: 'Active',
  needs_attention: 'Needs attention',
  disabled: 'Disabled',
};

/** What the tenant key is called at this provider. */
export function tenantLabel(integration: Pick<Integration, 'provider'>): string {
  return integration.provider === 'clever' ? 'Clever district id' : 'ClassLink tenant id';
}

export function integrationTitle(integration: Pick<Integration, 'provider' | 'districtName'>): string {
  return `${PROVIDER_NAME[integration.provider]} for ${integration.districtName}`;
}

export function reportCounts(report: ConnectionReport): string {
  return [
    plural(report.schools, 'school'),
    plural(report.teachers, 'teacher'),
    plural(report.sections, 'section'),
    plural(report.students, 'student'),
  ].join(', ');
}

/** "Connected to Maple Grove Unified: 2 schools, 6 teachers, 14 sections, 240 students" */
export function connectedText(report: ConnectionReport): string {
  return `Connected to ${report.district.name}: ${reportCounts(report)}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The stored last test result, if it has the shape of a TestResult. */
export function asTestResult(value: unknown): TestResult | null {
  if (!isRecord(value)) return null;
  if (value.ok === false && typeof value.message === 'string') {
    return { ok: false, kind: typeof value.kind === 'string' ? value.kind : 'unknown', message: value.message };
  }
  const r = value.report;
  if (value.ok !== true || !isRecord(r) || !isRecord(r.district)) return null;
  if (!isCount(r.schools) || !isCount(r.teachers) || !isCount(r.sections) || !isCount(r.students)) return null;
  const district = { externalId: String(r.district.externalId ?? ''), name: String(r.district.name ?? '') };
  return { ok: true, report: { district, schools: r.schools, teachers: r.teachers, sections: r.sections, students: r.students } };
}

/** One line about the last test; `brief` leaves out the outcome (shown next to it already). */
export function lastTestText(integration: Pick<Integration, 'lastTestAt' | 'lastTestResult'>, brief = false): string {
  if (!integration.lastTestAt) return 'Not tested yet.';
  const when = `Last tested ${formatTime(integration.lastTestAt)}`;
  const result = asTestResult(integration.lastTestResult);
  if (brief || !result) return `${when}.`;
  return result.ok ? `${when}: worked (${reportCounts(result.report)}).` : `${when}: failed. ${result.message}`;
}
