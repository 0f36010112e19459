import type { DistrictFixture, Fixture, Role } from './authz-world.ts';

/**
 * The authorization matrix's expectation table: one entry per registered
 * route (method + URL pattern). A route the app registers without an entry
 * here fails test/suites/authz-matrix.test.ts, so every new route is
 * classified before it ships.
 *
 * Roles are those of district A (a student, a teacher, a license admin, a
 * district admin) plus anonymous and our operator (support, no district).
 * `same` lists the roles allowed when the request names district A's
 * resource, `other` when it names district B's; a role not listed must be
 * denied (401, 403 or 404). Routes with `scope: 'none'` name no district's
 * resource (the actor's own data, or public) and are called once per role.
 *
 * Allowed means 2xx/3xx, or a 4xx that only comes after authorization passed
 * (400 validation, 409 conflict, 410 gone) when the entry lists it in `allowAlso`.
 */

export interface RouteRequest {
  readonly url: string;
  readonly body?: unknown;
}

export interface RouteEntry {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The Fastify pattern, or a RegExp for static files (present only once the web UI is built). */
  readonly url: string | RegExp;
  readonly scope: 'district' | 'none';
  readonly same: readonly Role[];
  /** Required for `scope: 'district'`. */
  readonly other?: readonly Role[];
  /** Builds the request for the district whose resource it names (A = same, B = other). Called once per cell. */
  readonly request: (f: Fixture, d: DistrictFixture) => RouteRequest | Promise<RouteRequest>;
  /** Statuses besides 2xx/3xx that mean "allowed" for this route. */
  readonly allowAlso?: readonly number[];
  /** Why the roles are what they are. */
  readonly why: string;
}

const ALL: readonly Role[] = ['anonymous', 'student', 'teacher', 'licenseAdmin', 'districtAdmin', 'operator'];
const SIGNED_IN: readonly Role[] = ['student', 'teacher', 'licenseAdmin', 'districtAdmin', 'operator'];
const NOBODY: readonly Role[] = [];
const OPERATOR: readonly Role[] = ['operator'];
/** Teacher-role accounts: license and district admins are teachers by account, with grants on top. */
const TEACHER_ACCOUNTS: readonly Role[] = ['teacher', 'licenseAdmin', 'districtAdmin'];

export const routeTable: readonly RouteEntry[] = [
  // ── Public and infrastructure ──────────────────────────────────────────────
  { method: 'GET', url: '/healthz', scope: 'none', same: ALL, request: () => ({ url: '/healthz' }), why: 'liveness probe: says nothing but ok' },
  { method: 'GET', url: '/readyz', scope: 'none', same: ALL, request: () => ({ url: '/readyz' }), why: 'readiness probe for load balancers: database/queue up or not, no detail' },
  {
    method: 'GET',
    url: '/metrics',
    scope: 'none',
    same: NOBODY,
    request: () => ({ url: '/metrics' }),
    why: 'operational detail (routes, sign-in outcomes, queue depth): only from this machine or with METRICS_TOKEN, never from the internet',
  },
  { method: 'GET', url: '/openapi.json', scope: 'none', same: ALL, request: () => ({ url: '/openapi.json' }), why: 'the API description: route shapes only, no data, the same for everyone' },
  { method: 'GET', url: /^\/(assets\/.*|index\.html)$/, scope: 'none', same: ALL, request: (_f, _d) => ({ url: '/index.html' }), why: 'the built web UI: public files' },
  {
    method: 'GET',
    url: '/api/dev/mail',
    scope: 'none',
    same: NOBODY,
    request: () => ({ url: '/api/dev/mail' }),
    why: 'captured mail holds invitation and password-reset links: development only, and only to this machine',
  },
  { method: 'GET', url: '/api/session', scope: 'none', same: ALL, request: () => ({ url: '/api/session' }), why: 'who am I (null when signed out) and the CSRF token' },

  // ── Password accounts (public by nature; CSRF and rate limits protect them) ─
  {
    method: 'POST',
    url: '/api/auth/signup',
    scope: 'none',
    same: ALL,
    request: (f) => ({ url: '/api/auth/signup', body: { name: 'Matrix Newcomer', email: `new-${f.unique()}@school.test`, password: 'lantern orchard 5521' } }),
    why: 'anyone may create a teacher account; a signed-in browser is switched to the new account',
  },
  {
    method: 'POST',
    url: '/api/auth/signin',
    scope: 'none',
    same: ALL,
    request: (f) => ({ url: '/api/auth/signin', body: { email: f.signer.email, password: 'correct horse battery staple' } }),
    why: 'anyone with the password signs in; a new session replaces the old one',
  },
  { method: 'POST', url: '/api/auth/signout', scope: 'none', same: ALL, request: () => ({ url: '/api/auth/signout' }), why: 'ends this browser’s session (a no-op when signed out)' },
  {
    method: 'POST',
    url: '/api/auth/verify-email',
    scope: 'none',
    same: ALL,
    request: async (f) => ({ url: '/api/auth/verify-email', body: { token: await f.freshEmailToken('verify_email') } }),
    why: 'the emailed link is the credential; the account is shown only to the browser signed in as it',
  },
  {
    method: 'POST',
    url: '/api/auth/verify-email/resend',
    scope: 'none',
    same: SIGNED_IN,
    request: () => ({ url: '/api/auth/verify-email/resend' }),
    why: 'resends to the signed-in account’s own address (nothing for students or verified accounts)',
  },
  {
    method: 'POST',
    url: '/api/auth/password-reset',
    scope: 'none',
    same: ALL,
    request: (f) => ({ url: '/api/auth/password-reset', body: { email: `nobody-${f.unique()}@school.test` } }),
    why: 'always 202: no account enumeration',
  },
  {
    method: 'POST',
    url: '/api/auth/password-reset/complete',
    scope: 'none',
    same: ALL,
    request: async (f) => ({ url: '/api/auth/password-reset/complete', body: { token: await f.freshEmailToken('reset_password'), password: 'saffron kettle 8812' } }),
    why: 'the emailed link is the credential',
  },

  // ── Invitations ─────────────────────────────────────────────────────────────
  {
    method: 'GET',
    url: '/api/invitations/:token',
    scope: 'district',
    same: ALL,
    other: ALL,
    request: async (f, d) => ({ url: `/api/invitations/${await f.freshInvitationToken(d)}` }),
    why: 'the signed link is the credential; it shows only the license and the invited address',
  },
  {
    method: 'POST',
    url: '/api/invitations/:token/accept',
    scope: 'district',
    same: ['anonymous'],
    other: ['anonymous'],
    request: async (f, d) => ({ url: `/api/invitations/${await f.freshInvitationToken(d)}/accept`, body: { name: 'Invited Person', password: 'thistle harbor 3390' } }),
    why: 'creates the invitee’s account; a browser signed in as anyone but the invited address is refused (403)',
  },

  // ── Licenses ────────────────────────────────────────────────────────────────
  { method: 'GET', url: '/api/licenses', scope: 'none', same: SIGNED_IN, request: () => ({ url: '/api/licenses' }), why: 'lists only the licenses the actor may see (often none)' },
  {
    method: 'GET',
    url: '/api/licenses/:id',
    scope: 'district',
    same: ['licenseAdmin', 'districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/licenses/${d.licenseId}` }),
    why: 'its admins, its district’s admins (read-only) and support',
  },
  {
    method: 'POST',
    url: '/api/licenses/:id/members/resend',
    scope: 'district',
    same: ['licenseAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/licenses/${d.licenseId}/members/resend` }),
    why: 'changing members is the license admins’ (and support’s); district admins only read',
  },
  {
    method: 'POST',
    url: '/api/licenses/:id/members',
    scope: 'district',
    same: ['licenseAdmin', 'operator'],
    other: OPERATOR,
    request: (f, d) => ({ url: `/api/licenses/${d.licenseId}/members`, body: { emails: `added-${f.unique()}@school.test` } }),
    why: 'changing members is the license admins’ (and support’s)',
  },
  {
    method: 'POST',
    url: '/api/licenses/:id/members/:memberId/resend',
    scope: 'district',
    same: ['licenseAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/licenses/${d.licenseId}/members/${d.pendingMemberId}/resend` }),
    why: 'changing members is the license admins’ (and support’s)',
  },
  {
    method: 'DELETE',
    url: '/api/licenses/:id/members/:memberId',
    scope: 'district',
    same: ['licenseAdmin', 'operator'],
    other: OPERATOR,
    request: async (f, d) => ({ url: `/api/licenses/${d.licenseId}/members/${await f.freshMember(d)}` }),
    why: 'changing members is the license admins’ (and support’s)',
  },
  {
    method: 'GET',
    url: '/api/licenses/:id/members/:memberId/diagnosis',
    scope: 'district',
    same: ['licenseAdmin', 'districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/licenses/${d.licenseId}/members/${d.colleagueMemberId}/diagnosis` }),
    why: 'a colleague’s diagnosis: the people who can help them, not their peers',
  },

  // ── Operator console ────────────────────────────────────────────────────────
  { method: 'GET', url: '/api/operator/districts', scope: 'none', same: OPERATOR, request: () => ({ url: '/api/operator/districts' }), why: 'support only' },
  {
    method: 'POST',
    url: '/api/operator/districts',
    scope: 'none',
    same: OPERATOR,
    request: (f) => ({ url: '/api/operator/districts', body: { name: `Matrix District ${f.unique()}` } }),
    why: 'support only',
  },
  {
    method: 'POST',
    url: '/api/operator/districts/:id/schools',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (f, d) => ({ url: `/api/operator/districts/${d.districtId}/schools`, body: { name: `Matrix School ${f.unique()}` } }),
    why: 'support only, even for a district’s own administrators',
  },
  {
    method: 'POST',
    url: '/api/operator/licenses',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (f, d) => ({
      url: '/api/operator/licenses',
      body: { districtId: d.districtId, schoolId: null, name: `Matrix License ${f.unique()}`, seats: 3, startsOn: '2026-01-01', endsOn: '2027-12-31' },
    }),
    why: 'support only',
  },
  {
    method: 'POST',
    url: '/api/operator/licenses/:id/admins',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (f, d) => ({ url: `/api/operator/licenses/${d.licenseId}/admins`, body: { email: `named-admin-${f.unique()}@school.test`, name: 'Named Admin' } }),
    why: 'support only',
  },
  {
    method: 'POST',
    url: '/api/operator/integrations/clever',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (_f, d) => ({ url: '/api/operator/integrations/clever', body: { districtId: d.districtId, cleverDistrictId: d.cleverDistrictId } }),
    why: 'connecting a provider is support’s',
  },
  {
    method: 'POST',
    url: '/api/operator/integrations/classlink',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (_f, d) => ({
      url: '/api/operator/integrations/classlink',
      body: { districtId: d.districtId, tenantId: d.classlink.tenantId, rosterServerUrl: d.classlink.baseUrl, oneRosterVersion: '1.1', clientId: d.classlink.consumerKey, clientSecret: d.classlink.consumerSecret },
    }),
    why: 'connecting a provider is support’s',
  },
  { method: 'GET', url: '/api/operator/users', scope: 'none', same: OPERATOR, request: () => ({ url: '/api/operator/users?q=te' }), why: 'support’s lookup of anyone' },
  {
    method: 'GET',
    url: '/api/operator/users/:id',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/operator/users/${d.teacher.id}` }),
    why: 'support’s lookup of anyone',
  },

  // ── Classes ─────────────────────────────────────────────────────────────────
  { method: 'GET', url: '/api/classes', scope: 'none', same: SIGNED_IN, request: () => ({ url: '/api/classes' }), why: 'My Classes: the actor’s own (taught, or enrolled in)' },
  {
    method: 'POST',
    url: '/api/classes',
    scope: 'none',
    same: TEACHER_ACCOUNTS,
    request: (f) => ({ url: '/api/classes', body: { name: `Manual ${f.unique()}` } }),
    why: 'teacher accounts create manual classes; students and support do not',
  },
  {
    method: 'GET',
    url: '/api/classes/:id',
    scope: 'district',
    same: ['teacher', 'districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/classes/${d.classId}` }),
    why: 'same = the teacher’s own class: its teachers, its district’s admins and support see the roster; students see only their class list',
  },
  {
    method: 'POST',
    url: '/api/classes/:id/sync',
    scope: 'district',
    same: ['teacher'],
    other: NOBODY,
    request: (_f, d) => ({ url: `/api/classes/${d.classId}/sync` }),
    why: 'Sync now is the class’s teachers’; admins and support look, not change',
  },
  {
    method: 'DELETE',
    url: '/api/classes/:id',
    scope: 'district',
    same: ['teacher'],
    other: NOBODY,
    request: async (f, d) => ({ url: `/api/classes/${await f.freshClass(d)}` }),
    why: 'Remove from Rollcall is the class’s teachers’',
  },

  // ── Rostering ───────────────────────────────────────────────────────────────
  { method: 'GET', url: '/api/profile', scope: 'none', same: SIGNED_IN, request: () => ({ url: '/api/profile' }), why: 'the actor’s own linked identities' },
  {
    method: 'GET',
    url: '/api/rostering/sections',
    scope: 'none',
    same: ['teacher'],
    request: () => ({ url: '/api/rostering/sections' }),
    why: 'only a teacher linked to the rostering service and on a license (403 with the reason otherwise)',
  },
  {
    method: 'POST',
    url: '/api/rostering/import',
    scope: 'district',
    same: ['teacher'],
    other: NOBODY,
    request: (_f, d) => ({ url: '/api/rostering/import', body: { sections: [{ integrationId: d.integrationId, externalId: d.sectionExternalId }] } }),
    why: 'only sections the provider lists this teacher on, in their own district',
  },
  {
    method: 'GET',
    url: '/api/rostering/imports/:runId',
    scope: 'district',
    same: ['teacher'],
    other: NOBODY,
    request: (_f, d) => ({ url: `/api/rostering/imports/${d.importRunId}` }),
    why: 'an import’s progress is for the teacher who started it',
  },

  // ── Diagnosis, consoles, audit ──────────────────────────────────────────────
  { method: 'GET', url: '/api/diagnosis', scope: 'none', same: SIGNED_IN, request: () => ({ url: '/api/diagnosis' }), why: 'the actor’s own diagnosis' },
  {
    method: 'GET',
    url: '/api/users/:id/diagnosis',
    scope: 'district',
    same: ['licenseAdmin', 'districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/users/${d.colleague.id}/diagnosis` }),
    why: 'a colleague’s diagnosis: their license admin, their district’s admin, support',
  },
  {
    method: 'GET',
    url: '/api/districts/:id/console',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/districts/${d.districtId}/console` }),
    why: 'the district’s administrators and support',
  },
  {
    method: 'GET',
    url: '/api/audit',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/audit?districtId=${d.districtId}` }),
    why: 'the district’s administrators and support',
  },

  // ── Integrations and syncs ──────────────────────────────────────────────────
  { method: 'GET', url: '/api/integrations', scope: 'none', same: SIGNED_IN, request: () => ({ url: '/api/integrations' }), why: 'lists only the districts the actor administers (none for most)' },
  {
    method: 'GET',
    url: '/api/integrations/:id',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/integrations/${d.integrationId}` }),
    why: 'the district’s administrators and support; never credentials',
  },
  {
    method: 'POST',
    url: '/api/integrations/:id/test',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/integrations/${d.integrationId}/test` }),
    why: 'district IT tests its own connection; support any',
  },
  {
    method: 'PUT',
    url: '/api/integrations/:id/schools/:externalId',
    scope: 'district',
    same: OPERATOR,
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/integrations/${d.integrationId}/schools/${encodeURIComponent(d.schoolMapping.externalId)}`, body: { schoolId: d.schoolMapping.schoolId } }),
    why: 'school mapping is support’s',
  },
  {
    method: 'POST',
    url: '/api/integrations/:id/sync',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/integrations/${d.integrationId}/sync`, body: { kind: 'delta' } }),
    why: 'district IT and support queue a sync',
  },
  {
    method: 'GET',
    url: '/api/integrations/:id/runs',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: (_f, d) => ({ url: `/api/integrations/${d.integrationId}/runs` }),
    why: 'district IT and support',
  },
  {
    method: 'GET',
    url: '/api/sync-runs/:id',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: async (f, d) => ({ url: `/api/sync-runs/${await f.freshHeldRun(d)}` }),
    why: 'a held run is reviewed by district IT and support',
  },
  {
    method: 'POST',
    url: '/api/sync-runs/:id/approve',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: async (f, d) => ({ url: `/api/sync-runs/${await f.freshHeldRun(d)}/approve` }),
    why: 'decisions on held runs: district IT and support',
  },
  {
    method: 'POST',
    url: '/api/sync-runs/:id/reject',
    scope: 'district',
    same: ['districtAdmin', 'operator'],
    other: OPERATOR,
    request: async (f, d) => ({ url: `/api/sync-runs/${await f.freshHeldRun(d)}/reject` }),
    why: 'decisions on held runs: district IT and support',
  },

  // ── Provider sign-in (browser redirects) ────────────────────────────────────
  {
    method: 'GET',
    url: '/auth/:provider/start',
    scope: 'none',
    same: ALL,
    request: () => ({ url: '/auth/clever/start' }),
    why: '“Log in with Clever”: a redirect to the provider with our state',
  },
  {
    method: 'GET',
    url: '/auth/:provider/callback',
    scope: 'none',
    same: ALL,
    request: () => ({ url: '/auth/clever/callback?error=access_denied' }),
    why: 'the provider’s redirect back: anyone lands here; what it proves is checked (state, code), and refusals redirect to /signin',
  },
];

export function entryFor(method: string, url: string): RouteEntry | undefined {
  return routeTable.find((e) => e.method === method && (typeof e.url === 'string' ? e.url === url : e.url.test(url)));
}
