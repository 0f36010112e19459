import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { startSimulators, type RunningSimulators, type SimDistrictInfo, type SimUserInfo } from '../../sim/index.ts';
import { registerStudentCommands, type StudentCommandIo } from '../../src/cli/students.commands.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import type { Integration } from '../../src/domain/integrations/integrations.types.ts';
import { DELETED_STUDENT_NAME } from '../../src/domain/privacy/privacy.types.ts';
import { buildApp } from '../../src/http/app.ts';
import { AppError } from '../../src/lib/errors.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { PASSWORD, makeUser } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';
import { describeFindings, scanLogs } from '../support/log-scan.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { databaseFingerprint } from './authz-world.ts';
import { startHostileProxy, type HostileProxy } from './hostile-provider.ts';

/**
 * Issue 8 §6. Rosters arrive through a proxy that adds passwords, phone and
 * SMS numbers, dates of birth, demographics, student numbers and more to every
 * person record; after imports, full and delta syncs and sign-ins with both
 * providers, none of those values is anywhere in the database, and nothing
 * personal or secret is in the logs of the whole run. Then a district's
 * export and deletion requests about one student.
 */
const APP = 'http://rollcall.test';
let sims: RunningSimulators;
let cleverProxy: HostileProxy;
let classlinkProxy: HostileProxy;
let t: TestContext;
let app: FastifyInstance;
let maple: SimDistrictInfo;
let districtId: string;
let integrations: { clever: Integration; classlink: Integration };
const secrets: string[] = [PASSWORD, 'rc-secret', 'rc-cl-secret'];
const browsers: (TestBrowser | RedirectBrowser)[] = [];

beforeAll(async () => {
  sims = await startSimulators({
    districts: [{ kind: 'demo' }],
    cleverClient: { clientId: 'rc', clientSecret: 'rc-secret', redirectUris: [`${APP}/auth/clever/callback`] },
    classlinkClient: { clientId: 'rc-cl', clientSecret: 'rc-cl-secret', redirectUris: [`${APP}/auth/classlink/callback`] },
  });
  maple = sims.districts[0]!;
  cleverProxy = await startHostileProxy(sims.clever.url);
  classlinkProxy = await startHostileProxy(sims.classlink.url);
  t = await createTestContext({
    PUBLIC_URL: APP,
    SIGNIN_RATE_LIMIT: '10000',
    // Sign-in's token endpoints go to the simulators; everything that returns a person goes through the proxy.
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: cleverProxy.url,
    CLEVER_CLIENT_ID: 'rc',
    CLEVER_CLIENT_SECRET: 'rc-secret',
    CLASSLINK_LAUNCHPAD_URL: sims.classlink.url,
    CLASSLINK_API_URL: classlinkProxy.url,
    CLASSLINK_CLIENT_ID: 'rc-cl',
    CLASSLINK_CLIENT_SECRET: 'rc-cl-secret',
  });
  app = await buildApp(t.ctx);
  const cli = { kind: 'cli' } as const;
  districtId = (await t.ctx.services.operator.createDistrict(cli, maple.name)).id;
  const clever = await t.ctx.services.integrations.connectClever(cli, { districtId, cleverDistrictId: maple.cleverDistrictId });
  const classlink = await t.ctx.services.integrations.connectClassLink(cli, {
    districtId,
    tenantId: maple.classlinkTenantId,
    rosterServerUrl: maple.oneRoster.v1p2.baseUrl.replace(sims.classlink.url, classlinkProxy.url),
    oneRosterVersion: '1.2',
    clientId: maple.oneRoster.v1p2.clientId,
    clientSecret: maple.oneRoster.v1p2.clientSecret,
  });
  integrations = { clever, classlink };
  await t.ctx.services.operator.createLicense(cli, { districtId, schoolId: null, name: 'Maple license', seats: 50, startsOn: '2026-01-01', endsOn: '2027-12-31' });
  secrets.push(maple.cleverDistrictToken, maple.oneRoster.v1p2.clientSecret, maple.oneRoster.v1p1.consumerSecret);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
  await cleverProxy?.close();
  await classlinkProxy?.close();
  await sims?.close();
});

/** A teacher of the district on its license, linked to the provider, signed in with a password. */
async function teacher(person: SimUserInfo, provider: 'clever' | 'classlink'): Promise<{ user: User; browser: TestBrowser }> {
  const user = await makeUser(t.ctx, { email: person.email!, name: `${person.givenName} ${person.familyName}` });
  await t.ctx.store.identities.link(user.id, provider, provider === 'clever' ? maple.cleverDistrictId : maple.classlinkTenantId, provider === 'clever' ? person.cleverId : person.oneRosterSourcedId, new Date());
  const license = (await t.ctx.store.licenses.list({ districtIds: [districtId] }))[0]!;
  const [member] = await t.ctx.store.licenses.insertMembers(license.id, [{ email: user.email!, userId: user.id }], null, new Date());
  await t.ctx.store.licenses.accept(member!.id, user.id, new Date());
  const browser = new TestBrowser(app);
  expect((await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD })).status).toBe(200);
  browsers.push(browser);
  return { user, browser };
}

async function importSections(browser: TestBrowser, provider: 'clever' | 'classlink', teacherEmail: string, count: number): Promise<string[]> {
  const chosen = maple.sections.filter((s) => s.teacherEmails[0] === teacherEmail && !s.ended && s.studentCount > 0).slice(0, count);
  const imported = await browser.post('/api/rostering/import', {
    sections: chosen.map((s) => ({ integrationId: integrations[provider].id, externalId: provider === 'clever' ? s.cleverId : s.sourcedId })),
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  return (imported.body.imported as { classId: string }[]).map((c) => c.classId);
}

/** Every row of every application table as text, and the job queue's payloads. */
async function dumpDatabase(): Promise<string> {
  const db = t.ctx.database.db;
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ r: string }>`select t::text as r from ${sql.table(table_name)} t`.execute(db);
    parts.push(...rows.rows.map((r) => r.r));
  }
  const jobs = await sql<{ r: string }>`select coalesce(data::text, '') || ' ' || coalesce(output::text, '') as r from pgboss.job`.execute(db);
  parts.push(...jobs.rows.map((r) => r.r));
  return parts.join('\n');
}

let cleverClasses: string[] = [];
let classlinkClasses: string[] = [];
/** The teacher who imported cleverClasses, signed in. */
let cleverTeacherBrowser: TestBrowser;

describe(`provider-only fields are never stored, and nothing personal is logged (${engine})`, () => {
  it('imports, syncs and signs in through a provider that over-shares, and keeps only what Rollcall needs', async () => {
    const cleverTeacher = maple.teachers[0]!;
    const classlinkTeacher = maple.teachers[1]!;
    const a = await teacher(cleverTeacher, 'clever');
    const b = await teacher(classlinkTeacher, 'classlink');
    expect((await a.browser.get('/api/rostering/sections')).status).toBe(200);
    expect((await b.browser.get('/api/rostering/sections')).status).toBe(200);
    cleverClasses = await importSections(a.browser, 'clever', cleverTeacher.email!, 2);
    cleverTeacherBrowser = a.browser;
    classlinkClasses = await importSections(b.browser, 'classlink', classlinkTeacher.email!, 2);
    for (const id of [...cleverClasses, ...classlinkClasses]) expect((await (id === classlinkClasses[0] || id === classlinkClasses[1] ? b : a).browser.get(`/api/classes/${id}`)).status).toBe(200);

    // Test connection, a full reconciliation, changes at the provider, and delta syncs on both.
    for (const i of Object.values(integrations)) expect((await t.ctx.services.integrations.test({ kind: 'cli' }, i.id)).ok).toBe(true);
    for (const i of Object.values(integrations)) expect((await t.ctx.services.syncEngine.run(i.id, { kind: 'full', trigger: 'full' })).status).toBe('succeeded');
    const section = maple.sections.find((s) => s.teacherEmails[0] === cleverTeacher.email && !s.ended && s.studentCount > 0)!;
    sims.changes.addStudentToSection({ section: section.cleverId, newStudent: { givenName: 'Noor', familyName: 'Haddad-Okafor', email: 'noor.haddad-okafor@students.maple.example', grade: '09' } });
    sims.changes.renameUser({ user: maple.students[3]!.cleverId, familyName: 'Valderrama-Quist' });
    for (const i of Object.values(integrations)) {
      const delta = await t.ctx.services.syncEngine.run(i.id, { kind: 'delta', trigger: 'delta' });
      expect(['succeeded', 'held'], JSON.stringify(delta)).toContain(delta.status);
    }
    expect((await a.browser.post(`/api/classes/${cleverClasses[0]}/sync`)).status).toBe(200);

    // Sign-ins: a Clever student from the button, a ClassLink student from LaunchPad, a Clever teacher from the portal.
    const student = maple.students[5]!;
    const clever = new RedirectBrowser(app, APP);
    const start = new URL((await clever.get('/auth/clever/start')).location!);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...start.searchParams, ['user', student.cleverId]]), redirect: 'manual' });
    expect(new URL((await clever.follow(posted.headers.get('location')!)).url).pathname).toBe('/student');
    const launchpad = new RedirectBrowser(app, APP);
    expect(new URL((await launchpad.follow(`${sims.classlink.url}/sim/launchpad?client_id=rc-cl&user=${maple.students[6]!.classlinkUserId}`)).url).pathname).toBe('/student');
    const portal = new RedirectBrowser(app, APP);
    expect(new URL((await portal.follow(`${sims.clever.url}/sim/portal?client_id=rc&user=${maple.teachers[2]!.cleverId}`)).url).pathname).toBe('/classes');
    browsers.push(clever, launchpad, portal);
    for (const browser of [clever, launchpad, portal]) expect((await browser.session()).user).not.toBeNull();
    expect((await a.browser.get('/api/diagnosis')).status).toBe(200);

    // The proxy really did over-share, on every path that returns a person.
    expect(cleverProxy.decorated.clever).toBeGreaterThan(50);
    expect(classlinkProxy.decorated.oneRoster).toBeGreaterThan(50);
    expect(classlinkProxy.decorated.classlinkInfo).toBeGreaterThanOrEqual(1);
    const providerOnly = [...cleverProxy.values, ...classlinkProxy.values];
    expect(providerOnly.length).toBeGreaterThan(500);

    // …and none of it is anywhere in the database (case-insensitively: a mapper could have lower-cased it).
    const dump = (await dumpDatabase()).toLowerCase();
    expect(dump).toContain(student.givenName.toLowerCase()); // the dump does hold what we do keep
    const stored = providerOnly.filter((v) => dump.includes(v.toLowerCase()));
    console.log(`privacy (${engine}): ${providerOnly.length} provider-only values sent (passwords, phones, SMS, dates of birth, demographics, ids, usernames, middle names, addresses); ${stored.length} stored`);
    expect(stored.slice(0, 20)).toEqual([]);
  }, 120_000);

  it("a student's own class list holds each class's name and teachers, not its size; the teacher's holds the size", async () => {
    const roster = await t.ctx.store.roster.roster(cleverClasses[0]!);
    // The last on the roster: the deletion tests below look for students who never signed in from the top.
    const enrolled = roster[roster.length - 1]!;
    const identity = (await t.ctx.store.identities.forUser(enrolled.id)).find((i) => i.provider === 'clever')!;
    const browser = new RedirectBrowser(app, APP);
    const start = new URL((await browser.get('/auth/clever/start')).location!);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...start.searchParams, ['user', identity.externalId]]), redirect: 'manual' });
    expect(new URL((await browser.follow(posted.headers.get('location')!)).url).pathname).toBe('/student');
    browsers.push(browser);

    const mine = await browser.get('/api/classes');
    expect(mine.status).toBe(200);
    const listed = JSON.parse(mine.body).classes.find((c: { id: string }) => c.id === cleverClasses[0]);
    expect(listed).toMatchObject({ name: expect.any(String), teachers: [`${maple.teachers[0]!.givenName} ${maple.teachers[0]!.familyName}`], studentCount: null });
    const taught = (await cleverTeacherBrowser.get('/api/classes')).body.classes.find((c: { id: string }) => c.id === cleverClasses[0]);
    expect(taught.studentCount).toBe(await t.ctx.store.roster.activeCount(cleverClasses[0]!));
    expect(taught.studentCount).toBeGreaterThan(0);
    // Support staff looking at the student see the sizes.
    const operator = await t.ctx.services.support.userDetail({ kind: 'cli' }, enrolled.id);
    expect(operator.classes.find((c) => c.id === cleverClasses[0])?.studentCount).toBe(taught.studentCount);
  });

  it('nothing personal or secret was logged during the whole run', async () => {
    const names: string[] = [];
    for (const p of [...maple.students, ...maple.teachers]) names.push(`${p.givenName} ${p.familyName}`, p.familyName);
    names.push('Noor Haddad-Okafor', 'Haddad-Okafor', 'Valderrama-Quist');
    for (const b of browsers) {
      if (b instanceof TestBrowser) secrets.push(...b.cookies.values());
      else {
        for (const jar of b.jars.values()) secrets.push(...jar.values());
        for (const visited of b.visited) for (const key of ['code', 'state']) secrets.push(new URL(visited).searchParams.get(key) ?? '');
      }
    }
    const lines = t.logs.lines;
    expect(lines.length).toBeGreaterThan(25); // the scan saw the run: one line per request, plus jobs and syncs
    const findings = scanLogs(lines, { names, secrets: [...secrets, ...cleverProxy.values, ...classlinkProxy.values] });
    console.log(`log scan (${engine}): ${lines.length} log lines, ${names.length} names and ${secrets.length + cleverProxy.values.size + classlinkProxy.values.size} secrets and provider-only values looked for; ${findings.length} findings`);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe(`a district's export and deletion requests about a student (${engine})`, () => {
  /** Runs `rollcall students …` in this process against the test database. */
  async function rollcall(...args: string[]): Promise<{ out: string; err: string; code: number; error?: AppError }> {
    let out = '';
    let err = '';
    let code = 0;
    const io: StudentCommandIo = { run: (work) => work(t.ctx), out: (s) => (out += s), err: (s) => (err += s), exitCode: (c) => (code = c) };
    const program = new Command().exitOverride();
    registerStudentCommands(program, io);
    try {
      await program.parseAsync(['node', 'rollcall', 'students', ...args]);
    } catch (error) {
      if (error instanceof AppError) return { out, err, code: 2, error };
      throw error;
    }
    return { out, err, code };
  }

  /**
   * A student on an imported Clever class with an email and a name no other
   * account shares, who has not signed in (so their sessions are the test's).
   */
  async function pickStudent() {
    const db = t.ctx.database.db;
    const roster = await t.ctx.store.roster.roster(cleverClasses[0]!);
    for (const entry of roster) {
      const user = (await t.ctx.store.accounts.findById(entry.id))!;
      if (!user.email || user.name === DELETED_STUDENT_NAME || user.lastSignInAt) continue;
      const twins = await db.selectFrom('users').select('id').where((eb) => eb.or([eb('email', '=', user.email), eb('name', '=', user.name)])).execute();
      const sessions = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      const identity = (await t.ctx.store.identities.forUser(user.id)).find((i) => i.provider === 'clever');
      if (twins.length === 1 && sessions.length === 0 && identity) return { user, externalId: identity.externalId, sim: maple.students.find((x) => x.cleverId === identity.externalId)! };
    }
    throw new Error('no suitable student on the class');
  }

  const activeCount = (classId: string) => t.ctx.store.roster.activeCount(classId);

  it('exports everything Rollcall holds about a student, by provider id or email, as JSON and as text, and audits it with ids only', async () => {
    const { user, externalId } = await pickStudent();
    await t.ctx.services.sessions.start(user);
    const json = await rollcall('export', '--district', maple.name, '--student', externalId, '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.district).toEqual({ id: districtId, name: maple.name });
    expect(report.students).toHaveLength(1);
    const s = report.students[0];
    expect(s.account).toMatchObject({ id: user.id, name: user.name, email: user.email });
    expect(s.identities).toEqual([expect.objectContaining({ provider: 'clever', tenantKey: maple.cleverDistrictId, externalId })]);
    expect(s.enrollments.map((e: { classId: string }) => e.classId)).toContain(cleverClasses[0]);
    expect(s.enrollments.find((e: { classId: string }) => e.classId === cleverClasses[0])).toMatchObject({ status: 'active', teachers: [`${maple.teachers[0]!.givenName} ${maple.teachers[0]!.familyName}`] });
    expect(s.rosterHistory).toContainEqual(expect.objectContaining({ classId: cleverClasses[0], change: 'joined', trigger: 'import' }));
    expect(s.sessions).toHaveLength(1);
    expect(JSON.stringify(s.sessions)).not.toMatch(/"id"|token/i);

    const text = await rollcall('export', '--district', districtId, '--student', user.email!.toUpperCase());
    expect(text.code).toBe(0);
    expect(text.out).toContain(`name        ${user.name}`);
    expect(text.out).toContain(`Clever ${maple.cleverDistrictId} / ${externalId}`);
    expect(text.out).toMatch(/Roster history \(\d+\)/);

    const audit = await t.ctx.store.audit.list({ districtId });
    const exported = audit.filter((e) => e.action === 'student.exported' && e.target_id === user.id);
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(exported)).not.toContain(user.name);
    expect(JSON.stringify(exported)).not.toContain(user.email!);
  });

  it('refuses unknown students, another district’s students and non-operators, plainly', async () => {
    const { externalId } = await pickStudent();
    const unknown = await rollcall('export', '--district', maple.name, '--student', 'no-such-student-id');
    expect(unknown.error?.code).toBe('not_found');
    expect(unknown.error?.message).toContain(`A student of ${maple.name}`);
    const other = await t.ctx.services.operator.createDistrict({ kind: 'cli' }, 'Some Other District');
    expect((await rollcall('export', '--district', other.name, '--student', externalId)).error?.code).toBe('not_found');
    expect((await rollcall('export', '--district', 'Nowhere At All', '--student', externalId)).error?.code).toBe('not_found');
    const teacherUser = await makeUser(t.ctx, { name: 'Curious Teacher' });
    const actor = await t.ctx.store.accounts.loadActor(teacherUser);
    await expect(t.ctx.services.privacy.exportStudent(actor, { district: maple.name, student: externalId })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('deletes personal data but keeps the class whole: counts, enrollments, history, other students', async () => {
    const { user, externalId, sim } = await pickStudent();
    await t.ctx.services.sessions.start(user);
    const classIds = (await t.ctx.store.classes.listForStudent(user.id, { sizes: false })).map((c) => c.id);
    expect(classIds.length).toBeGreaterThan(0);
    const counts = await Promise.all(classIds.map(activeCount));
    const db = t.ctx.database.db;
    const rowsOf = async (table: 'enrollments' | 'roster_changes') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()).n);
    const [enrollments, history] = [await rowsOf('enrollments'), await rowsOf('roster_changes')];
    const othersBefore = await db.selectFrom('users').selectAll().where('id', '<>', user.id).orderBy('id').execute();
    const classesBefore = await db.selectFrom('classes').selectAll().orderBy('id').execute();

    // Without --yes: shows what would go, deletes nothing.
    const before = await databaseFingerprint(t.ctx);
    const dry = await rollcall('delete', '--district', maple.name, '--student', externalId);
    expect(dry.code).toBe(1);
    expect(dry.err).toMatch(/Nothing was deleted.*--yes/);
    const after = await databaseFingerprint(t.ctx);
    expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' }); // only the preview's audit entry was added

    const done = await rollcall('delete', '--district', maple.name, '--student', externalId, '--yes', '--json');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out).students).toEqual([{ userId: user.id, identitiesRemoved: 1, sessionsEnded: 1, enrollmentsKept: enrollments, historyKept: history }]);

    const row = (await db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow())!;
    expect(row).toMatchObject({ name: DELETED_STUDENT_NAME, email: null, grade: null, role: 'student', last_sign_in_at: null });
    expect(await t.ctx.store.identities.forUser(user.id)).toEqual([]);
    expect(Number((await db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()).n)).toBe(0);
    expect(await Promise.all(classIds.map(activeCount))).toEqual(counts);
    expect([await rowsOf('enrollments'), await rowsOf('roster_changes')]).toEqual([enrollments, history]);
    expect(await db.selectFrom('users').selectAll().where('id', '<>', user.id).orderBy('id').execute()).toEqual(othersBefore);
    expect(await db.selectFrom('classes').selectAll().orderBy('id').execute()).toEqual(classesBefore);
    // The teacher's roster shows the anonymised student in place.
    const roster = await t.ctx.store.roster.roster(classIds[0]!);
    expect(roster.find((r) => r.id === user.id)?.name).toBe(DELETED_STUDENT_NAME);

    const audit = (await t.ctx.store.audit.list({ districtId })).filter((e) => e.action === 'student.deleted' && e.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(user.name);
    expect(JSON.stringify(audit)).not.toContain(user.email!);
    // Nothing is left to find by the provider id or the old email under this account.
    expect((await rollcall('export', '--district', maple.name, '--student', externalId)).error?.code).toBe('not_found');
    const dump = (await dumpDatabase()).toLowerCase();
    expect(dump).not.toContain(user.name.toLowerCase());

    // A later sign-in with Clever makes a fresh account; the deleted one stays anonymous.
    const browser = new RedirectBrowser(app, APP);
    const start = new URL((await browser.get('/auth/clever/start')).location!);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...start.searchParams, ['user', sim.cleverId]]), redirect: 'manual' });
    await browser.follow(posted.headers.get('location')!);
    const fresh = (await browser.session()).user!;
    expect(fresh.id).not.toBe(user.id);
    expect(fresh.name).toBe(`${sim.givenName} ${sim.familyName}`);
    expect((await db.selectFrom('users').select('name').where('id', '=', user.id).executeTakeFirstOrThrow()).name).toBe(DELETED_STUDENT_NAME);
  });

  it('the next sync keeps the count: the provider’s student joins as the fresh account, the anonymised one leaves', async () => {
    const classId = cleverClasses[0]!;
    const count = await activeCount(classId);
    const browser = new TestBrowser(app);
    expect((await browser.post('/api/auth/signin', { email: maple.teachers[0]!.email, password: PASSWORD })).status).toBe(200);
    const synced = await browser.post(`/api/classes/${classId}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body.run.counts).toMatchObject({ enrolled: 1, removed: 1 });
    expect(await activeCount(classId)).toBe(count);
  });

  it('deleting by email removes every account the student has in the district (one per rostering service)', async () => {
    const db = t.ctx.database.db;
    // A student both imports rostered: a Clever account and a ClassLink account with the same email.
    const dual = await sql<{ email: string }>`select email from users where role = 'student' and email is not null group by email having count(*) > 1 limit 1`.execute(db);
    expect(dual.rows.length, 'the Clever and ClassLink imports share a student').toBe(1);
    const email = dual.rows[0]!.email;
    const accounts = await db.selectFrom('users').select('id').where('email', '=', email).execute();
    const exported = JSON.parse((await rollcall('export', '--district', maple.name, '--student', email, '--json')).out);
    expect(exported.students.map((x: { account: { id: string } }) => x.account.id).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(new Set(exported.students.flatMap((x: { identities: { provider: string }[] }) => x.identities.map((i) => i.provider)))).toEqual(new Set(['clever', 'classlink']));
    const done = await rollcall('delete', '--district', maple.name, '--student', email, '--yes');
    expect(done.code).toBe(0);
    expect(done.out).toContain(`Deleted the personal data of ${accounts.length} student accounts in ${maple.name}`);
    expect(await db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
    expect(await db.selectFrom('identities').select('id').where('user_id', 'in', accounts.map((a) => a.id)).execute()).toEqual([]);
  });
});
