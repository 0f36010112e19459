import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../src/context.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import { makeUser } from '../support/factories.ts';
import { sectionKey, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

/**
 * The world the authorization matrix and the web-security suite call routes
 * in: two simulated districts, each integrated with Clever and ClassLink, with
 * a license administrator, a district administrator, a teacher who imported a
 * class (students enrolled), a colleague on the same license, and an operator.
 * Every route parameter the tables need is a real id from here.
 */

export const ROLES = ['anonymous', 'student', 'teacher', 'licenseAdmin', 'districtAdmin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Requests in the suites come from an address on the internet, not from this machine. */
export const REMOTE_ADDRESS = '203.0.113.10';

export interface DistrictFixture {
  readonly key: 'A' | 'B';
  readonly districtId: string;
  readonly districtName: string;
  readonly licenseId: string;
  /** The Clever integration (the teacher signed in with Clever). */
  readonly integrationId: string;
  readonly classlinkIntegrationId: string;
  readonly cleverDistrictId: string;
  readonly classlink: { tenantId: string; baseUrl: string; consumerKey: string; consumerSecret: string };
  readonly teacher: User;
  /** Another teacher on the same license: the subject of "someone else's" routes. */
  readonly colleague: User;
  readonly colleagueMemberId: string;
  readonly student: User;
  readonly licenseAdmin: User;
  readonly districtAdmin: User;
  /** The teacher's imported, rostered class; the student is enrolled. */
  readonly classId: string;
  /** The section it came from (Clever id). */
  readonly sectionExternalId: string;
  /** The import's run, requested by the teacher. */
  readonly importRunId: string;
  /** An invited member who has not accepted. */
  readonly pendingMemberId: string;
  /** A provider school mapped by the Clever integration, and the Rollcall school it maps to. */
  readonly schoolMapping: { externalId: string; schoolId: string | null };
}

export interface Fixture {
  readonly w: RosteringWorld;
  readonly app: FastifyInstance;
  readonly A: DistrictFixture;
  readonly B: DistrictFixture;
  readonly operator: User;
  /** A password account any role may sign in as (sign-in is a public route). */
  readonly signer: User;
  actor(role: Role): User | null;
  /** A fresh session for this role, so a sign-out or sign-in in one cell never affects another. */
  session(role: Role): Promise<string | undefined>;
  unique(): string;
  freshMember(d: DistrictFixture): Promise<string>;
  freshInvitationToken(d: DistrictFixture): Promise<string>;
  freshHeldRun(d: DistrictFixture): Promise<string>;
  freshClass(d: DistrictFixture): Promise<string>;
  freshEmailToken(purpose: 'verify_email' | 'reset_password'): Promise<string>;
}

const unique = () => randomBytes(5).toString('hex');

async function seat(w: RosteringWorld, licenseId: string, user: User): Promise<string> {
  const [row] = await w.t.ctx.store.licenses.insertMembers(licenseId, [{ email: user.email!, userId: user.id }], null, new Date());
  await w.t.ctx.store.licenses.accept(row!.id, user.id, new Date());
  return row!.id;
}

async function buildDistrict(w: RosteringWorld, index: 0 | 1): Promise<DistrictFixture> {
  const d = w.districts[index]!;
  const { ctx } = w.t;
  const key = index === 0 ? 'A' : 'B';
  const person = d.info.teachers.find((p) => p.email && d.info.sections.some((s) => s.teacherEmails[0] === p.email && !s.ended && s.studentCount > 0))!;
  const { user: teacher, browser } = await w.teacher(d, person, 'clever');
  const section = d.info.sections.find((s) => s.teacherEmails[0] === person.email && !s.ended && s.studentCount > 0)!;
  const imported = await browser.post('/api/rostering/import', { sections: [{ integrationId: d.integrations.clever.id, externalId: sectionKey('clever', section) }] });
  if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
  const classId = imported.body.imported[0].classId as string;
  const roster = await ctx.store.roster.roster(classId);
  const student = (await ctx.store.accounts.findById(roster[0]!.id))!;
  const run = await ctx.database.db.selectFrom('sync_runs').select('id').where('class_id', '=', classId).where('trigger', '=', 'import').executeTakeFirstOrThrow();

  const colleague = await makeUser(ctx, { name: `Colleague ${key}` });
  const colleagueMemberId = await seat(w, d.license.id, colleague);
  const licenseAdmin = await makeUser(ctx, { name: `License Admin ${key}` });
  await ctx.store.licenses.addAdmin(d.license.id, licenseAdmin.id);
  const districtAdmin = await makeUser(ctx, { name: `District Admin ${key}` });
  await ctx.services.operator.addDistrictAdmin({ kind: 'cli' }, d.district.id, districtAdmin.email!);
  const [pending] = await ctx.store.licenses.insertMembers(d.license.id, [{ email: `pending-${key.toLowerCase()}-${unique()}@school.test`, userId: null }], licenseAdmin.id, new Date());
  const mapping = (await ctx.store.integrations.schoolMappings(d.integrations.clever.id))[0]!;

  return {
    key,
    districtId: d.district.id,
    districtName: d.district.name,
    licenseId: d.license.id,
    integrationId: d.integrations.clever.id,
    classlinkIntegrationId: d.integrations.classlink.id,
    cleverDistrictId: d.info.cleverDistrictId,
    classlink: { tenantId: d.info.classlinkTenantId, baseUrl: d.info.oneRoster.v1p1.baseUrl, consumerKey: d.info.oneRoster.v1p1.consumerKey, consumerSecret: d.info.oneRoster.v1p1.consumerSecret },
    teacher,
    colleague,
    colleagueMemberId,
    student,
    licenseAdmin,
    districtAdmin,
    classId,
    sectionExternalId: sectionKey('clever', section),
    importRunId: run.id,
    pendingMemberId: pending!.id,
    schoolMapping: { externalId: mapping.externalId, schoolId: mapping.schoolId },
  };
}

export async function buildFixture(): Promise<Fixture> {
  const w = await startRosteringWorld({
    districts: [{ kind: 'demo' }, { kind: 'generated', students: 60, seed: 7, name: 'Other Valley USD' }],
  });
  const { ctx } = w.t;
  const A = await buildDistrict(w, 0);
  const B = await buildDistrict(w, 1);
  const operator = await makeUser(ctx, { role: 'operator', name: 'Support Person' });
  const signer = await makeUser(ctx, { name: 'Signer Person' });

  const actor = (role: Role): User | null =>
    role === 'anonymous' ? null : role === 'operator' ? operator : role === 'student' ? A.student : role === 'teacher' ? A.teacher : role === 'licenseAdmin' ? A.licenseAdmin : A.districtAdmin;

  const freshMember = async (d: DistrictFixture) => {
    const [row] = await ctx.store.licenses.insertMembers(d.licenseId, [{ email: `member-${unique()}@school.test`, userId: null }], d.licenseAdmin.id, new Date());
    return row!.id;
  };

  return {
    w,
    app: w.app,
    A,
    B,
    operator,
    signer,
    actor,
    unique,
    async session(role) {
      const user = actor(role);
      return user ? ctx.services.sessions.start(user) : undefined;
    },
    freshMember,
    async freshInvitationToken(d) {
      const memberId = await freshMember(d);
      return (await ctx.services.invitations.issue(memberId))!.token;
    },
    async freshHeldRun(d) {
      const id = await ctx.store.syncRuns.create({ integrationId: d.integrationId, classId: null, requestedBy: null, trigger: 'full', status: 'running' }, new Date());
      await ctx.store.syncRuns.finish(id, { status: 'held', counts: {}, details: { kind: 'full', pendingRemovals: [], pendingArchives: [] } }, new Date());
      return id;
    },
    async freshClass(d) {
      const id = await ctx.store.classes.createManual({ name: `Fresh class ${unique()}`, createdBy: d.teacher.id, districtId: d.districtId }, new Date());
      await ctx.store.classes.addTeacher(id, d.teacher.id, new Date());
      return id;
    },
    async freshEmailToken(purpose) {
      const user = await makeUser(ctx, { name: `Token Person ${unique()}`, verified: false });
      return (await ctx.services.accounts.issueEmailToken(user.id, purpose))!.token;
    },
  };
}

export interface CallOptions {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
  /** The rc_session cookie value, if signed in. */
  readonly session?: string;
  /** 'valid' (default for writes), 'none' (no header), 'wrong' (a token that is not this browser's). */
  readonly csrf?: 'valid' | 'none' | 'wrong' | 'foreign';
  readonly remoteAddress?: string;
  readonly headers?: Record<string, string>;
}

/**
 * One request as a browser would send it: the session cookie, and on writes
 * the CSRF secret cookie plus the token from GET /api/session in x-csrf-token.
 */
export async function call(app: FastifyInstance, options: CallOptions): Promise<LightMyRequestResponse> {
  const remoteAddress = options.remoteAddress ?? REMOTE_ADDRESS;
  const cookies = new Map<string, string>();
  if (options.session) cookies.set('rc_session', options.session);
  const headers: Record<string, string> = { ...options.headers };
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(options.method);
  const mode = options.csrf ?? (write ? 'valid' : 'none');
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  const fetchToken = async (jar: Map<string, string>) => {
    const answer = await app.inject({ method: 'GET', url: '/api/session', remoteAddress, headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const c of answer.cookies as { name: string; value: string }[]) jar.set(c.name, c.value);
    return (answer.json() as { csrfToken: string }).csrfToken;
  };
  if (mode === 'valid') headers['x-csrf-token'] = await fetchToken(cookies);
  if (mode === 'wrong') {
    await fetchToken(cookies); // the browser has a secret, but the header is made up
    headers['x-csrf-token'] = 'forged-token-value';
  }
  if (mode === 'foreign') {
    // A real token, minted for another browser's secret (an attacker's own session).
    await fetchToken(cookies);
    headers['x-csrf-token'] = await fetchToken(new Map());
  }
  if (cookies.size) headers.cookie = cookieHeader();
  const payload = options.body === undefined ? (write ? {} : undefined) : options.body;
  return app.inject({ method: options.method as 'GET', url: options.url, remoteAddress, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

/** Every (method, URL pattern) the app registered, read from Fastify's route tree and checked with hasRoute. */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: { method: string; url: string }[] = [];
  for (const line of text.split('\n')) {
    const match = line.match(/^((?:│   |    )*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, url: path });
  }
  for (const r of routes) {
    if (!app.hasRoute({ method: r.method as 'GET', url: r.url })) throw new Error(`Could not read the route table: ${r.method} ${r.url} is not a route`);
  }
  return routes;
}

/** A fingerprint of every application table (sessions aside: reading a page may slide its expiry). */
export async function databaseFingerprint(ctx: AppContext): Promise<Record<string, string>> {
  const db = ctx.database.db;
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    if (table_name === 'sessions' || table_name.startsWith('kysely_')) continue;
    const row = await sql<{ n: string; h: string | null }>`select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.table(table_name)} t`.execute(db);
    out[table_name] = `${row.rows[0]!.n}:${row.rows[0]!.h}`;
  }
  return out;
}
