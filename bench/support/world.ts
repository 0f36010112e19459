import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startSimulators, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import type { Actor } from '../../src/domain/accounts/accounts.types.ts';
import type { Integration } from '../../src/domain/integrations/integrations.types.ts';
import type { License } from '../../src/domain/licenses/licenses.types.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { mapLimit } from '../../src/lib/concurrency.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import type { CanonicalPerson, CanonicalSection, RosterProvider } from '../../src/providers/roster-provider.ts';
import { sectionFields, uniqueStudents } from '../../src/domain/rostering/roster-mapping.ts';
import type { BenchDatabase } from './database.ts';

/**
 * What every bench shares: the simulators on this machine (ephemeral ports, no
 * rate limit in the way), a Rollcall configuration pointing at them, and a
 * district integrated with both Clever and ClassLink (OneRoster 1.1).
 */

export const CLIENTS = {
  clever: { clientId: 'rollcall-bench', clientSecret: 'rollcall-bench-secret' },
  classlink: { clientId: 'rollcall-bench-cl', clientSecret: 'rollcall-bench-cl-secret' },
} as const;

/**
 * A free port below the kernel's ephemeral range (32768+), so that servers
 * started later on port 0 (the simulators, outgoing connections) cannot take
 * it before the process it is meant for listens on it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Simulators whose OAuth clients accept a callback at each of `origins` (Rollcall, the floor). */
export async function startBenchSimulators(origins: readonly string[], students: number, seed = 9): Promise<RunningSimulators> {
  return startSimulators({
    districts: [{ kind: 'generated', students, seed, name: 'Bench Valley USD', messy: false }],
    cleverClient: { ...CLIENTS.clever, redirectUris: origins.map((o) => `${o}/auth/clever/callback`) },
    classlinkClient: { ...CLIENTS.classlink, redirectUris: origins.map((o) => `${o}/auth/classlink/callback`) },
    rateLimitPerMinute: 10_000_000,
  });
}

/** The environment a Rollcall process (or context) needs to use the simulators. */
export function rollcallEnv(sims: RunningSimulators, publicUrl: string, key: Buffer): Record<string, string> {
  return {
    NODE_ENV: 'development',
    PUBLIC_URL: publicUrl,
    ROLLCALL_DEMO: 'false',
    ROLLCALL_ENCRYPTION_KEY: key.toString('base64'),
    SIGNIN_RATE_LIMIT: '100000',
    CLEVER_AUTH_URL: sims.clever.url,
    CLEVER_API_URL: sims.clever.url,
    CLEVER_CLIENT_ID: CLIENTS.clever.clientId,
    CLEVER_CLIENT_SECRET: CLIENTS.clever.clientSecret,
    CLASSLINK_LAUNCHPAD_URL: sims.classlink.url,
    CLASSLINK_API_URL: sims.classlink.url,
    CLASSLINK_CLIENT_ID: CLIENTS.classlink.clientId,
    CLASSLINK_CLIENT_SECRET: CLIENTS.classlink.clientSecret,
  };
}

export const newKey = (): Buffer => randomBytes(32);

/** A Rollcall context in this process on the bench database (seeding, or the server under test itself). */
export async function benchContext(db: BenchDatabase, env: Record<string, string>, key: Buffer, options: { supervise?: boolean } = {}): Promise<AppContext> {
  const config = loadConfig({ ...env, ...db.env, LOG_LEVEL: 'warn' });
  return createContext(config, { logger: createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn', process.stderr), target: db.target, masterKey: key, supervise: options.supervise ?? false });
}

export interface SeededDistrict {
  readonly info: SimDistrictInfo;
  readonly districtId: string;
  readonly license: License;
  readonly integrations: { readonly clever: Integration; readonly classlink: Integration };
}

const cli = { kind: 'cli' } as const;

/** The district, its two integrations (Clever; ClassLink on OneRoster 1.1), its schools and a district license. */
export async function seedDistrict(ctx: AppContext, info: SimDistrictInfo): Promise<SeededDistrict> {
  const { operator, integrations } = ctx.services;
  const district = await operator.createDistrict(cli, info.name);
  const clever = await integrations.connectClever(cli, { districtId: district.id, cleverDistrictId: info.cleverDistrictId });
  const classlink = await integrations.connectClassLink(cli, {
    districtId: district.id,
    tenantId: info.classlinkTenantId,
    rosterServerUrl: info.oneRoster.v1p1.baseUrl,
    oneRosterVersion: '1.1',
    clientId: info.oneRoster.v1p1.consumerKey,
    clientSecret: info.oneRoster.v1p1.consumerSecret,
  });
  await integrations.refreshSchools(clever);
  const year = new Date().getUTCFullYear();
  const license = await operator.createLicense(cli, { districtId: district.id, schoolId: null, name: 'Bench license', seats: 100_000, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
  return { info, districtId: district.id, license, integrations: { clever, classlink } };
}

/** A teacher account linked to `externalId` at the integration's provider and on the license (as after one sign-in and an accepted invitation). */
export async function linkedTeacher(ctx: AppContext, district: SeededDistrict, integration: Integration, externalId: string): Promise<Actor> {
  const { store } = ctx;
  const now = new Date();
  const email = `t-${integration.provider}-${externalId.toLowerCase().replace(/[^a-z0-9]/g, '')}@bench.test`;
  const identity = await store.identities.find(integration.provider, integration.tenantKey, externalId);
  const existing = identity && (await store.accounts.findById(identity.userId));
  if (existing) return store.accounts.loadActor(existing);
  const user = await store.accounts.create({ role: 'teacher', name: `Teacher ${externalId.slice(-6)}`, email, passwordHash: null, emailVerifiedAt: now });
  await store.identities.link(user.id, integration.provider, integration.tenantKey, externalId, now);
  const [member] = await store.licenses.insertMembers(district.license.id, [{ email, userId: user.id }], null, now);
  await store.licenses.accept(member!.id, user.id, now);
  return store.accounts.loadActor(user);
}

/** The integration's adapter built here without the client-side rate limit (seeding only: the simulator allows it). */
export function unthrottled(district: SeededDistrict, integration: Integration, sims: RunningSimulators): RosterProvider {
  const http = { requestsPerMinute: null };
  const { info } = district;
  return integration.provider === 'clever'
    ? createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: info.cleverDistrictToken, http })
    : createRosterProvider({ kind: 'classlink', serverUrl: info.oneRoster.v1p1.baseUrl, version: '1.1', clientId: info.oneRoster.v1p1.consumerKey, clientSecret: info.oneRoster.v1p1.consumerSecret, http });
}

/**
 * A district at the start of a school year: every section imported (by its
 * first teacher), every student with an account, an identity and enrollments.
 * Written straight through the repositories, as an import writes them, because
 * Rollcall's own import paces itself to the provider's documented rate limit
 * (1,200 calls a minute per district token), which would make set-up minutes long.
 */
export async function importEverything(ctx: AppContext, district: SeededDistrict, integration: Integration, sims: RunningSimulators): Promise<number> {
  const provider = unthrottled(district, integration, sims);
  const people = new Map<string, CanonicalPerson>();
  for await (const page of provider.allStudents()) for (const p of page) people.set(p.externalId, p);
  const sections: CanonicalSection[] = [];
  for await (const page of provider.allSections()) sections.push(...page.filter((s) => s.status === 'active' && s.teacherIds.length > 0));
  const scope = { provider: integration.provider, tenantKey: integration.tenantKey, districtId: integration.districtId };
  await mapLimit(sections, 4, async (section) => {
    const roster = section.studentIds !== null ? section.studentIds.map((id) => people.get(id)).filter((p): p is CanonicalPerson => p !== undefined) : await provider.studentsOfSection(section.externalId);
    const teacher = await linkedTeacher(ctx, district, integration, section.teacherIds[0]!);
    const now = new Date();
    await ctx.store.transaction(async (tx) => {
      await tx.roster.lockTenant(integration.provider, integration.tenantKey);
      const { userIds } = await tx.roster.upsertStudents(scope, uniqueStudents(roster));
      const klass = await tx.classes.upsertFromSection(
        { integrationId: integration.id, externalId: section.externalId, districtId: integration.districtId, source: integration.provider, createdBy: teacher.user.id, fields: sectionFields(section, null) },
        now,
      );
      await tx.classes.addTeacher(klass.id, teacher.user.id, now);
      await tx.roster.enroll(klass.id, [...userIds.values()], null, now);
    });
  });
  return sections.length;
}

/** Every active section at the provider, grouped by its first teacher's external id. */
export async function sectionsByTeacher(provider: RosterProvider): Promise<Map<string, CanonicalSection[]>> {
  const byTeacher = new Map<string, CanonicalSection[]>();
  for await (const page of provider.allSections()) {
    for (const section of page) {
      const teacher = section.teacherIds[0];
      if (section.status === 'active' && teacher) byTeacher.set(teacher, [...(byTeacher.get(teacher) ?? []), section]);
    }
  }
  return byTeacher;
}

/** The external ids of every student at the integration's provider. */
export async function studentIds(district: SeededDistrict, integration: Integration, sims: RunningSimulators): Promise<string[]> {
  const provider = unthrottled(district, integration, sims);
  const ids: string[] = [];
  for await (const page of provider.allStudents()) for (const person of page) ids.push(person.externalId);
  return ids;
}
