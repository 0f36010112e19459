import type {
  ClassDetail,
  ClassList,
  ClassSummary,
  FieldProblem,
  ImportResponse,
  ImportRun,
  Integration,
  IntegrationDetail,
  InvitationView,
  License,
  LicenseMember,
  MailMessage,
  NamedRef,
  NewClassLinkIntegration,
  NewCleverIntegration,
  NewLicense,
  OperatorDistrict,
  ProfileView,
  SchoolMapping,
  SectionRef,
  SectionsView,
  Session,
  SyncRun,
  TestResult,
  User,
} from './types.ts';

/** Every failed request becomes one of these: the server's code, message and field problems. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];

  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The message the server gave for one input, if any. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

export const NETWORK_MESSAGE = "We couldn't reach Rollcall. Check your connection and try again.";

let csrfToken = '';

/** The session's CSRF token; set from GET /api/session, which must be re-read after sign-in/out. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function parseFields(v: unknown): FieldProblem[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (f): f is FieldProblem => isRecord(f) && typeof f.field === 'string' && typeof f.message === 'string',
  );
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in to continue.';
  if (status === 403) return "You don't have access to this.";
  if (status === 404) return "We couldn't find that.";
  if (status === 429) return 'Too many attempts. Please wait a minute and try again.';
  return `Something went wrong on our side (${status}). Please try again.`;
}

/** Turn an error response body into an ApiError, whatever shape it has. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    const message = typeof e.message === 'string' && e.message ? e.message : fallbackMessage(status);
    return new ApiError(status, typeof e.code === 'string' ? e.code : `http_${status}`, message, parseFields(e.fields));
  }
  // Plugins that answer before our error handler (rate limit, body parser) use { message }.
  if (isRecord(body) && typeof body.message === 'string' && status < 500) {
    return new ApiError(status, `http_${status}`, body.message);
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status));
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Only send a JSON content type with a body: Fastify rejects an empty JSON body.
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw toApiError(res.status, data);
  return data as T;
}

const get = <T>(path: string) => request<T>('GET', path);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);
const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, body);
const enc = encodeURIComponent;

export const api = {
  async session(): Promise<Session> {
    const s = await get<Session>('/api/session');
    setCsrfToken(s.csrfToken);
    return s;
  },
  signUp: (b: { name: string; email: string; password: string }) => post<{ user: User }>('/api/auth/signup', b),
  signIn: (b: { email: string; password: string }) => post<{ user: User }>('/api/auth/signin', b),
  signOut: () => post<void>('/api/auth/signout'),
  verifyEmail: (token: string) => post<{ user: User | null }>('/api/auth/verify-email', { token }),
  resendVerification: () => post<void>('/api/auth/verify-email/resend'),
  requestPasswordReset: (email: string) => post<void>('/api/auth/password-reset', { email }),
  completePasswordReset: (b: { token: string; password: string }) =>
    post<{ user: User }>('/api/auth/password-reset/complete', b),

  invitation: (token: string) => get<InvitationView>(`/api/invitations/${enc(token)}`),
  acceptInvitation: (token: string, b: { name?: string; password?: string }) =>
    post<{ user: User; licenseId: string }>(`/api/invitations/${enc(token)}/accept`, b),

  licenses: () => get<{ licenses: License[] }>('/api/licenses'),
  license: (id: string) =>
    get<{ license: License; members: LicenseMember[]; abilities?: { manageMembers: boolean } }>(`/api/licenses/${enc(id)}`),
  addMembers: (id: string, emails: string) =>
    post<{ added: { email: string; memberId: string }[] }>(`/api/licenses/${enc(id)}/members`, { emails }),
  resendInvitation: (id: string, memberId: string) =>
    post<{ member: LicenseMember }>(`/api/licenses/${enc(id)}/members/${enc(memberId)}/resend`),
  removeMember: (id: string, memberId: string) =>
    request<void>('DELETE', `/api/licenses/${enc(id)}/members/${enc(memberId)}`),

  districts: () => get<{ districts: OperatorDistrict[] }>('/api/operator/districts'),
  createDistrict: (name: string) => post<{ district: NamedRef }>('/api/operator/districts', { name }),
  createSchool: (districtId: string, name: string) =>
    post<{ school: NamedRef }>(`/api/operator/districts/${enc(districtId)}/schools`, { name }),
  createLicense: (b: NewLicense) => post<{ license: License }>('/api/operator/licenses', b),
  addLicenseAdmin: (licenseId: string, b: { email: string; name: string }) =>
    post<{ admin: { email: string; name: string } }>(`/api/operator/licenses/${enc(licenseId)}/admins`, b),

  integrations: () => get<{ integrations: Integration[] }>('/api/integrations'),
  integration: (id: string) => get<IntegrationDetail>(`/api/integrations/${enc(id)}`),
  connectClever: (b: NewCleverIntegration) => post<{ integration: Integration }>('/api/operator/integrations/clever', b),
  connectClassLink: (b: NewClassLinkIntegration) =>
    post<{ integration: Integration }>('/api/operator/integrations/classlink', b),
  testIntegration: (id: string) => post<{ result: TestResult }>(`/api/integrations/${enc(id)}/test`),
  mapSchool: (id: string, externalId: string, schoolId: string | null) =>
    put<{ schools: SchoolMapping[] }>(`/api/integrations/${enc(id)}/schools/${enc(externalId)}`, { schoolId }),

  classes: () => get<ClassList>('/api/classes'),
  createClass: (name: string) => post<{ class: ClassSummary }>('/api/classes', { name }),
  class: (id: string) => get<ClassDetail>(`/api/classes/${enc(id)}`),
  syncClass: (id: string) => post<{ run: SyncRun }>(`/api/classes/${enc(id)}/sync`),
  removeClass: (id: string) => request<void>('DELETE', `/api/classes/${enc(id)}`),
  rosterSections: () => get<SectionsView>('/api/rostering/sections'),
  importSections: (sections: SectionRef[]) => post<ImportResponse>('/api/rostering/import', { sections }),
  importRun: (runId: string) => get<ImportRun>(`/api/rostering/imports/${enc(runId)}`),
  profile: () => get<ProfileView>('/api/profile'),
  devMail: () => get<{ messages: MailMessage[] }>('/api/dev/mail'),
};
