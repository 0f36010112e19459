import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import { freePort } from '../../test/support/processes.ts';
import { startServer } from './server.ts';

/**
 * A Rollcall server wired to both simulators, with "Maple Grove Unified"
 * (Clever + ClassLink) and a second generated district (Clever) integrated.
 */
export async function startWorld() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sims: RunningSimulators = await startSimulators({
    districts: [{ kind: 'demo' }, { kind: 'generated', students: 80, seed: 11, name: 'Other Valley USD' }],
    cleverClient: { clientId: 'e2e-clever', clientSecret: 'e2e-clever-secret', redirectUris: [`${url}/auth/clever/callback`] },
    classlinkClient: { clientId: 'e2e-classlink', clientSecret: 'e2e-classlink-secret', redirectUris: [`${url}/auth/classlink/callback`] },
  });
  const server = await startServer({
    PORT: String(port),
    PUBLIC_URL: url,
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: sims.clever.url,
    CLEVER_CLIENT_ID: 'e2e-clever',
    CLEVER_CLIENT_SECRET: 'e2e-clever-secret',
    CLASSLINK_LAUNCHPAD_URL: sims.classlink.launchpadUrl,
    CLASSLINK_API_URL: sims.classlink.apiUrl,
    CLASSLINK_CLIENT_ID: 'e2e-classlink',
    CLASSLINK_CLIENT_SECRET: 'e2e-classlink-secret',
  }, port);
  const [maple, other] = sims.districts as [SimDistrictInfo, SimDistrictInfo];
  const { services } = server.t.ctx;
  const cli = { kind: 'cli' } as const;
  const mapleDistrict = await services.operator.createDistrict(cli, maple.name);
  const otherDistrict = await services.operator.createDistrict(cli, other.name);
  await services.integrations.connectClever(cli, { districtId: mapleDistrict.id, cleverDistrictId: maple.cleverDistrictId });
  await services.integrations.connectClassLink(cli, {
    districtId: mapleDistrict.id,
    tenantId: maple.classlinkTenantId,
    rosterServerUrl: maple.oneRoster.v1p1.baseUrl,
    oneRosterVersion: '1.1',
    clientId: maple.oneRoster.v1p1.consumerKey,
    clientSecret: maple.oneRoster.v1p1.consumerSecret,
  });
  await services.integrations.connectClever(cli, { districtId: otherDistrict.id, cleverDistrictId: other.cleverDistrictId });
  return {
    sims,
    server,
    url,
    maple,
    other,
    mapleDistrict,
    otherDistrict,
    async stop() {
      await server.stop();
      await sims.close();
    },
  };
}
