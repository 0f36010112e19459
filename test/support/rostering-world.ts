import type { FastifyInstance } from 'fastify';
import { startSimulators, type DistrictSpec, type RunningSimulators, type SimDistrictInfo, type SimUserInfo } from '../../sim/index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';
import type { Integration } from '../../src/domain/integrations/integrations.types.ts';
import { createTestContext, type TestContext } from './context.ts';
import { PASSWORD, makeUser } from './factories.ts';
import { TestBrowser } from './http.ts';

export const APP = 'http://rollcall.test';

/**
 * Simulators + a Rollcall context + app, with every simulated district
 * integrated with both providers (ClassLink on OneRoster 1.1 or 1.2).
 */
export async function startRosteringWorld(options: { districts?: DistrictSpec[]; env?: Record<string, string>; oneRosterVersion?: '1.1' | '1.2' } = {}) {
  const sims: RunningSimulators = await startSimulators({
    districts: options.districts ?? [{ kind: 'demo' }, { kind: 'generated', students: 200, seed: 5, name: 'Other Valley USD' }],
    cleverClient: { clientId: 'rc', clientSecret: 'rc-secret', redirectUris: [`${APP}/auth/clever/callback`] },
    classlinkClient: { clientId: 'rc-cl', clientSecret: 'rc-cl-secret', redirectUris: [`${APP}/auth/classlink/callback`] },
  });
  const t: TestContext = await createTestContext({
    PUBLIC_URL: APP,
    SIGNIN_RATE_LIMIT: '10000',
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: sims.clever.url,
    CLEVER_CLIENT_ID: 'rc',
    CLEVER_CLIENT_SECRET: 'rc-secret',
    CLASSLINK_LAUNCHPAD_URL: sims.classlink.url,
    CLASSLINK_API_URL: sims.classlink.url,
    CLASSLINK_CLIENT_ID: 'rc-cl',
    CLASSLINK_CLIENT_SECRET: 'rc-cl-secret',
    ...options.env,
  });
  const app: FastifyInstance = await buildApp(t.ctx);
  const cli = { kind: 'cli' } as const;
  const version = options.oneRosterVersion ?? '1.1';
  const districts: {
    info: SimDistrictInfo;
    district: { id: string; name: string };
    license: Awaited<ReturnType<typeof t.ctx.services.operator.createLicense>>;
    integrations: Record<'clever' | 'classlink', Integration>;
  }[] = [];
  for (const info of sims.districts) {
    const district = await t.ctx.services.operator.createDistrict(cli, info.name);
    const clever = await t.ctx.services.integrations.connectClever(cli, { districtId: district.id, cleverDistrictId: info.cleverDistrictId });
    const creds = version === '1.1' ? { clientId: info.oneRoster.v1p1.consumerKey, clientSecret: info.oneRoster.v1p1.consumerSecret } : { clientId: info.oneRoster.v1p2.clientId, clientSecret: info.oneRoster.v1p2.clientSecret };
    const classlink = await t.ctx.services.integrations.connectClassLink(cli, {
      districtId: district.id,
      tenantId: info.classlinkTenantId,
      rosterServerUrl: version === '1.1' ? info.oneRoster.v1p1.baseUrl : info.oneRoster.v1p2.baseUrl,
      oneRosterVersion: version,
      ...creds,
    });
    await t.ctx.services.integrations.refreshSchools(clever);
    const license = await t.ctx.services.operator.createLicense(cli, { districtId: district.id, schoolId: null, name: `${info.name} license`, seats: 50, startsOn: '2026-01-01', endsOn: '2027-12-31' });
    districts.push({ info, district, license, integrations: { clever, classlink } as Record<'clever' | 'classlink', Integration> });
  }

  /** A teacher of the simulated district, on the license, linked to the provider (as after one sign-in). */
  async function teacher(d: (typeof districts)[number], person: SimUserInfo, provider: 'clever' | 'classlink'): Promise<{ user: User; browser: TestBrowser }> {
    const existing = person.email ? await t.ctx.store.accounts.findLoginByEmail(person.email) : undefined;
    const user = existing ?? (await makeUser(t.ctx, { email: person.email ?? undefined, name: `${person.givenName} ${person.familyName}` }));
    const externalId = provider === 'clever' ? person.cleverId : person.oneRosterSourcedId;
    const tenantKey = provider === 'clever' ? d.info.cleverDistrictId : d.info.classlinkTenantId;
    await t.ctx.store.identities.link(user.id, provider, tenantKey, externalId, new Date());
    const already = (await t.ctx.store.licenses.listMembers(d.license.id)).find((m) => m.email === user.email);
    if (!already) {
      const [member] = await t.ctx.store.licenses.insertMembers(d.license.id, [{ email: user.email!, userId: user.id }], null, new Date());
      await t.ctx.store.licenses.accept(member!.id, user.id, new Date());
    }
    const browser = new TestBrowser(app);
    const signin = await browser.post('/api/auth/signin', { email: user.email, password: PASSWORD });
    if (signin.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(signin.body)}`);
    return { user, browser };
  }

  return {
    sims,
    t,
    app,
    districts,
    teacher,
    async stop() {
      await app.close();
      await t.close();
      await sims.close();
    },
  };
}

export type RosteringWorld = Awaited<ReturnType<typeof startRosteringWorld>>;

export function sectionKey(provider: 'clever' | 'classlink', s: { cleverId: string; sourcedId: string }) {
  return provider === 'clever' ? s.cleverId : s.sourcedId;
}

export function studentKey(provider: 'clever' | 'classlink', s: SimUserInfo) {
  return provider === 'clever' ? s.cleverId : s.oneRosterSourcedId;
}
