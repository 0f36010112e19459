import type { AppContext } from '../context.ts';
import { hashPassword } from '../domain/accounts/passwords.ts';
import { demoClients } from '../config/config.ts';

const DEMO_DISTRICT = 'Maple Grove Unified';
const DEMO_PASSWORD = 'maple grove demo';
const OPERATOR_EMAIL = 'support@rollcall.demo';

interface DemoPerson {
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string | null;
}

/**
 * The one-command demo: starts the Clever and ClassLink simulators in this
 * process, and seeds "Maple Grove Unified" once (a second start keeps the
 * data, refreshing only the integrations' credentials). Development only.
 */
export async function startDemo(ctx: AppContext): Promise<() => Promise<void>> {
  // The simulators are a development tool: loaded only here and by `rollcall sim`.
  const sim = await import('../../sim/index.ts');
  const { config } = ctx;
  const sims = await sim.startSimulators({
    cleverPort: config.sim.cleverPort,
    classlinkPort: config.sim.classlinkPort,
    cleverClient: { ...demoClients.clever, redirectUris: [config.providers.clever.redirectUri] },
    classlinkClient: { ...demoClients.classlink, redirectUris: [config.providers.classlink.redirectUri] },
  });
  const maple = sims.districts[0]!;
  const cli = { kind: 'cli' } as const;
  const { store, services } = ctx;

  let district = await store.districts.findByName(DEMO_DISTRICT);
  const firstRun = !district;
  district ??= await services.operator.createDistrict(cli, DEMO_DISTRICT);
  await services.integrations.connectClever(cli, { districtId: district.id, cleverDistrictId: maple.cleverDistrictId });
  await services.integrations.connectClassLink(cli, {
    districtId: district.id,
    tenantId: maple.classlinkTenantId,
    rosterServerUrl: maple.oneRoster.v1p1.baseUrl,
    oneRosterVersion: '1.1',
    clientId: maple.oneRoster.v1p1.consumerKey,
    clientSecret: maple.oneRoster.v1p1.consumerSecret,
  });

  if (firstRun) {
    // Schools come from the provider, mapped automatically by the integration.
    const [cleverIntegration] = (await store.integrations.list({ districtIds: [district.id] })).filter((i) => i.provider === 'clever');
    const schools = await services.integrations.refreshSchools(cleverIntegration!);
    const high = schools.find((s) => /High/.test(s.name)) ?? schools[0]!;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const now = ctx.clock.now();
    const admin = sim.MAPLE_GROVE_ADMIN as DemoPerson;
    await store.accounts.create({ role: 'operator', name: 'Rollcall Support', email: OPERATOR_EMAIL, passwordHash, emailVerifiedAt: now });
    const license = await services.operator.createLicense(cli, {
      districtId: district.id,
      schoolId: high.schoolId,
      name: 'Maple Grove High 2026–27',
      seats: 25,
      startsOn: `${now.getUTCFullYear()}-01-01`,
      endsOn: `${now.getUTCFullYear() + 1}-12-31`,
    });
    const adminUser = await store.accounts.create({ role: 'teacher', name: `${admin.givenName} ${admin.familyName}`, email: admin.email, passwordHash, emailVerifiedAt: now });
    await store.licenses.addAdmin(license.id, adminUser.id);
    await store.accounts.addDistrictAdmin(district.id, adminUser.id);
    // Ms. Rivera has an email account already on the license: her first Clever sign-in links to it.
    const teachers = sim.MAPLE_GROVE_TEACHERS as readonly DemoPerson[];
    const rivera = teachers[0]!;
    const riveraUser = await store.accounts.create({ role: 'teacher', name: `${rivera.givenName} ${rivera.familyName}`, email: rivera.email, passwordHash, emailVerifiedAt: now });
    const rows = await store.licenses.insertMembers(
      license.id,
      teachers.map((t) => ({ email: t.email!, userId: t === rivera ? riveraUser.id : null })),
      adminUser.id,
      now,
    );
    await store.licenses.accept(rows[0]!.id, riveraUser.id, now);
    for (const row of rows.slice(1)) await store.enqueue('email.invitation', { memberId: row.id });
  }

  const url = config.publicUrl;
  const teacher = maple.teachers[0]!;
  const student = maple.students[0]!;
  process.stdout.write(
    [
      '',
      `Demo district "${DEMO_DISTRICT}" is ready${firstRun ? ' (seeded now)' : ''}. Everything runs on this machine; nothing reaches Clever or ClassLink.`,
      '',
      `  Operator (support)   ${OPERATOR_EMAIL} / ${DEMO_PASSWORD}            ${url}/signin`,
      `  License admin        ${(sim.MAPLE_GROVE_ADMIN as DemoPerson).email} / ${DEMO_PASSWORD}`,
      `  Teacher (email)      ${(sim.MAPLE_GROVE_TEACHERS[0] as DemoPerson).email} / ${DEMO_PASSWORD}   or "Log in with Clever" as ${teacher.givenName} ${teacher.familyName}`,
      `  Invited teachers     their invitation emails are at ${url}/dev/mail`,
      `  Student              "Log in with Clever" or "Log in with ClassLink" on ${url}/signin, e.g. ${student.givenName} ${student.familyName}`,
      `  Clever Portal        ${sims.clever.url}/sim/portal (launch Rollcall as anyone in the district)`,
      `  ClassLink LaunchPad  ${sims.classlink.url}/sim/launchpad`,
      '',
    ].join('\n') + '\n',
  );
  return () => sims.close();
}
