import { request } from './api.ts';
import type { AuditEvent, Diagnosis, DistrictConsole, UserDetail, UserMatch } from './consoles-types.ts';

const enc = encodeURIComponent;

/** The diagnosis, the admin consoles and the audit log (beside api.ts, which holds the rest). */
export const consolesApi = {
  myDiagnosis: () => request<{ diagnosis: Diagnosis }>('GET', '/api/diagnosis'),
  userDiagnosis: (userId: string) => request<{ diagnosis: Diagnosis }>('GET', `/api/users/${enc(userId)}/diagnosis`),
  memberDiagnosis: (licenseId: string, memberId: string) =>
    request<{ diagnosis: Diagnosis }>('GET', `/api/licenses/${enc(licenseId)}/members/${enc(memberId)}/diagnosis`),
  resendAllInvitations: (licenseId: string) => request<{ sent: number }>('POST', `/api/licenses/${enc(licenseId)}/members/resend`),
  districtConsole: (districtId: string) => request<DistrictConsole>('GET', `/api/districts/${enc(districtId)}/console`),
  approveRun: (runId: string) => request<{ result: { removed: number; archived: number } }>('POST', `/api/sync-runs/${enc(runId)}/approve`),
  rejectRun: (runId: string) => request<void>('POST', `/api/sync-runs/${enc(runId)}/reject`),
  findUsers: (q: string) => request<{ users: UserMatch[] }>('GET', `/api/operator/users?q=${enc(q)}`),
  user: (userId: string) => request<UserDetail>('GET', `/api/operator/users/${enc(userId)}`),
  audit: (filter: { districtId?: string; before?: string } = {}) => {
    const params = new URLSearchParams();
    if (filter.districtId) params.set('districtId', filter.districtId);
    if (filter.before) params.set('before', filter.before);
    const qs = params.toString();
    return request<{ events: AuditEvent[] }>('GET', `/api/audit${qs ? `?${qs}` : ''}`);
  },
};
