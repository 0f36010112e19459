import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { makeUser } from '../support/factories.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';

const APP = 'http://rollcall.test';
let sims: RunningSimulators;
let t: TestContext;
let app: FastifyInstance;
let maple: SimDistrictInfo;
let other: SimDistrictInfo;
let mapleId: string;

beforeAll(async () => {
  sims = await startSimulators({
    districts: [{ kind: 'demo' }, { kind: 'generated', students: 60, seed: 7, name: 'Other Valley USD' }],
    cleverClient: { clientId: 'rc-test', clientSecret: 'rc-test-secret', redirectUris: [`${APP}/auth/clever/callback`] },
    classlinkClient: { clientId: 'rc-test-cl', clientSecret: 'rc-test-cl-secret', redirectUris: [`${APP}/auth/classlink/callback`] },
  });
  [maple, other] = sims.districts as [SimDistrictInfo, SimDistrictInfo];
  t = await createTestContext({
    PUBLIC_URL: APP,
    SIGNIN_RATE_LIMIT: '1000',
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: sims.clever.url,
    CLEVER_CLIENT_ID: 'rc-test',
    CLEVER_CLIENT_SECRET: 'rc-test-secret',
    CLASSLINK_LAUNCHPAD_URL: sims.classlink.launchpadUrl,
    CLASSLINK_API_URL: sims.classlink.apiUrl,
    CLASSLINK_CLIENT_ID: 'rc-test-cl',
    CLASSLINK_CLIENT_SECRET: 'rc-test-cl-secret',
  });
  app = await buildApp(t.ctx);
  const cli = { kind: 'cli' } as const;
  mapleId = (await t.ctx.services.operator.createDistrict(cli, 'Maple Grove Unified')).id;
  await t.ctx.services.integrations.connectClever(cli, { districtId: mapleId, cleverDistrictId: maple.cleverDistrictId });
  await t.ctx.services.integrations.connectClassLink(cli, {
    districtId: mapleId,
    tenantId: maple.classlinkTenantId,
    rosterServerUrl: sims.classlink.url + `/roster/${maple.classlinkTenantId}`,
    oneRosterVersion: '1.1',
    clientId: maple.oneRoster.v1p1.consumerKey,
    clientSecret: maple.oneRoster.v1p1.consumerSecret,
  });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  await sims?.close();
});

/** Signs in at the simulator (its login form), then starts our button flow. */
async function cleverButton(browser: RedirectBrowser, cleverUserId: string) {
  const start = await browser.get('/auth/clever/start');
  expect(start.status).toBe(302);
  expect(start.location).toContain(`${sims.clever.url}/oauth/authorize`);
  const authorize = new URL(start.location!);
  expect(authorize.searchParams.get('state')).toBeTruthy();
  // The simulated Clever login page posts the chosen user; reproduce that post.
  const form = new URLSearchParams([...authorize.searchParams, ['user', cleverUserId]]);
  const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  return browser.follow(posted.headers.get('location')!);
}

describe(`Log in with Clever and ClassLink against the simulators (${engine})`, () => {
  it('signs a student in with Clever from our button: account created just in time, lands on their classes', async () => {
    const student = maple.students[0]!;
    const browser = new RedirectBrowser(app, APP);
    const landed = await cleverButton(browser, student.cleverId);
    expect(new URL(landed.url).pathname).toBe('/student');
    const { user } = await browser.session();
    expect(user).toMatchObject({ role: 'student', name: `${student.givenName} ${student.familyName}` });
    const identity = await t.ctx.store.identities.find('clever', maple.cleverDistrictId, student.cleverId);
    expect(identity?.userId).toBe(user!.id);
  });

  it('restarts a Clever Portal launch (code, no state) with our own state and lands signed in', async () => {
    const teacher = maple.teachers[1]!;
    const browser = new RedirectBrowser(app, APP);
    const landed = await browser.follow(`${sims.clever.url}/sim/portal?client_id=rc-test&user=${teacher.cleverId}`);
    expect(new URL(landed.url).pathname).toBe('/classes');
    const callbacks = browser.visited.filter((u) => u.includes('/auth/clever/callback'));
    expect(callbacks).toHaveLength(2);
    expect(new URL(callbacks[0]!).searchParams.has('state')).toBe(false); // the portal's code was not used…
    expect(new URL(callbacks[1]!).searchParams.get('state')).toBeTruthy(); // …ours was
    expect((await browser.session()).user?.role).toBe('teacher');
  });

  it('links a teacher whose verified email account is on a license in the district', async () => {
    const teacher = maple.teachers[2]!;
    const existing = await makeUser(t.ctx, { email: teacher.email!, name: 'Existing Account' });
    const license = await t.ctx.services.operator.createLicense({ kind: 'cli' }, { districtId: mapleId, schoolId: null, name: 'MG', seats: 10, startsOn: '2026-01-01', endsOn: '2027-12-31' });
    const [member] = await t.ctx.store.licenses.insertMembers(license.id, [{ email: teacher.email!, userId: existing.id }], null, new Date());
    await t.ctx.store.licenses.accept(member!.id, existing.id, new Date());
    const browser = new RedirectBrowser(app, APP);
    await cleverButton(browser, teacher.cleverId);
    expect((await browser.session()).user?.id).toBe(existing.id);
  });

  it('signs a teacher and a student in with ClassLink (OIDC, PKCE) and from a LaunchPad launch', async () => {
    const teacher = maple.teachers[3]!;
    const browser = new RedirectBrowser(app, APP);
    const start = await browser.get('/auth/classlink/start');
    const authorize = new URL(start.location!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const form = new URLSearchParams([...authorize.searchParams, ['user', `${maple.classlinkTenantId}:${teacher.oneRosterSourcedId}`]]);
    const posted = await fetch(`${sims.classlink.url}/oauth2/v2/auth`, { method: 'POST', body: form, redirect: 'manual' });
    const landed = await browser.follow(posted.headers.get('location')!);
    expect(new URL(landed.url).pathname).toBe('/classes');
    const identity = await t.ctx.store.identities.find('classlink', maple.classlinkTenantId, teacher.oneRosterSourcedId);
    expect(identity?.userId).toBe((await browser.session()).user?.id);

    const student = maple.students[4]!;
    const launch = new RedirectBrowser(app, APP);
    const fromLaunchPad = await launch.follow(`${sims.classlink.url}/sim/launchpad?client_id=rc-test-cl&user=${student.classlinkUserId}`);
    expect(new URL(fromLaunchPad.url).pathname).toBe('/student');
    expect((await launch.session()).user?.role).toBe('student');
  });

  it('refuses a wrong state, a reused code and a district that is not integrated, changing nothing', async () => {
    const users = async () => Number((await t.ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await users();

    const browser = new RedirectBrowser(app, APP);
    const start = await browser.get('/auth/clever/start');
    const authorize = new URL(start.location!);
    authorize.searchParams.set('state', 'attacker-chosen-state');
    const form = new URLSearchParams([...authorize.searchParams, ['user', maple.students[7]!.cleverId]]);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const refused = await browser.follow(posted.headers.get('location')!);
    expect(refused.url).toContain('/signin?error=state_mismatch');

    // A code can be used once: replaying the callback URL is refused.
    const ok = new RedirectBrowser(app, APP);
    await cleverButton(ok, maple.students[8]!.cleverId);
    const callback = ok.visited.find((u) => u.includes('/auth/clever/callback'))!;
    const replay = await ok.follow(callback);
    expect(replay.url).toMatch(/error=state_mismatch|error=code_rejected/);

    const afterGood = await users();
    const stranger = new RedirectBrowser(app, APP);
    const notIntegrated = await cleverButton(stranger, other.students[0]!.cleverId);
    expect(notIntegrated.url).toContain('/signin?error=district_not_integrated');
    expect(await users()).toBe(afterGood);
    expect(afterGood).toBe(before + 1); // only the one good sign-in created an account
    expect((await stranger.session()).user).toBeNull();
  });

  it('a provider sign-in on a browser where someone else is signed in replaces them instead of merging', async () => {
    const browser = new RedirectBrowser(app, APP);
    await cleverButton(browser, maple.teachers[4]!.cleverId);
    const first = (await browser.session()).user!;
    await cleverButton(browser, maple.students[9]!.cleverId);
    const second = (await browser.session()).user!;
    expect(second.id).not.toBe(first.id);
    expect(second.role).toBe('student');
    expect(await t.ctx.store.identities.forUser(first.id)).toHaveLength(1);
  });

  it('shows a clear refusal when the provider is down at sign-in', async () => {
    const browser = new RedirectBrowser(app, APP);
    const start = await browser.get('/auth/clever/start');
    const form = new URLSearchParams([...new URL(start.location!).searchParams, ['user', maple.students[10]!.cleverId]]);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    sims.faults.inject('clever', 'server-error', { count: 5 });
    const landed = await browser.follow(posted.headers.get('location')!);
    sims.faults.clear('clever');
    expect(landed.url).toMatch(/\/signin\?error=(provider_unavailable|code_rejected)/);
    expect((await browser.session()).user).toBeNull();
  });
});

describe(`provider sign-in refusals and secrets (${engine})`, () => {
  it('refuses a code issued to another client', async () => {
    // A code minted for the simulator's other client cannot be redeemed with ours.
    const foreign = await startSimulators({
      cleverClient: { clientId: 'someone-else', clientSecret: 'x', redirectUris: [`${APP}/auth/clever/callback`] },
    });
    try {
      const browser = new RedirectBrowser(app, APP);
      const start = await browser.get('/auth/clever/start');
      const state = new URL(start.location!).searchParams.get('state')!;
      const form = new URLSearchParams({ client_id: 'someone-else', redirect_uri: `${APP}/auth/clever/callback`, response_type: 'code', state, user: foreign.districts[0]!.students[0]!.cleverId });
      const posted = await fetch(`${foreign.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
      const landed = await browser.follow(posted.headers.get('location')!);
      expect(landed.url).toContain('/signin?error=code_rejected');
      expect((await browser.session()).user).toBeNull();
    } finally {
      await foreign.close();
    }
  });

  it('refuses sign-in while our client credentials are revoked at the provider', async () => {
    const browser = new RedirectBrowser(app, APP);
    const start = await browser.get('/auth/clever/start');
    const form = new URLSearchParams([...new URL(start.location!).searchParams, ['user', maple.students[11]!.cleverId]]);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    sims.faults.inject('clever', 'revoked-credentials');
    try {
      const landed = await browser.follow(posted.headers.get('location')!);
      expect(landed.url).toContain('/signin?error=code_rejected');
    } finally {
      sims.faults.restore('clever');
    }
  });

  it('keeps integration credentials unreadable in the database and out of the logs', async () => {
    const rows = await t.ctx.database.db.selectFrom('integrations').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(maple.cleverDistrictToken);
    expect(dump).not.toContain(maple.oneRoster.v1p1.consumerSecret);
    expect(t.logs.text).not.toContain(maple.cleverDistrictToken);
    expect(t.logs.text).not.toContain(maple.oneRoster.v1p1.consumerSecret);
    expect(t.logs.text).not.toContain('rc-test-secret');
    // …yet they still work: Test connection reads the district through them.
    for (const integration of await t.ctx.store.integrations.list()) {
      const result = await t.ctx.services.integrations.test({ kind: 'cli' }, integration.id);
      expect(result).toMatchObject({ ok: true, report: { district: { name: 'Maple Grove Unified' } } });
    }
  });

  it('reports revoked roster credentials on Test connection and marks the integration for attention', async () => {
    const [integration] = (await t.ctx.store.integrations.list()).filter((i) => i.provider === 'clever');
    sims.faults.inject('clever', 'revoked-credentials');
    try {
      const result = await t.ctx.services.integrations.test({ kind: 'cli' }, integration!.id);
      expect(result).toMatchObject({ ok: false, kind: 'auth' });
      expect((await t.ctx.store.integrations.findById(integration!.id))?.status).toBe('needs_attention');
    } finally {
      sims.faults.restore('clever');
    }
    expect((await t.ctx.services.integrations.test({ kind: 'cli' }, integration!.id)).ok).toBe(true);
    expect((await t.ctx.store.integrations.findById(integration!.id))?.status).toBe('active');
  });
});
