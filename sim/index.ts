import type { AddressInfo } from 'node:net';
import { createChangeApi, type ChangeApi } from './change-api.ts';
import { createClassLinkSimulator } from './classlink/server.ts';
import { createCleverSimulator } from './clever/server.ts';
import { ChangeEngine } from './generator/changes.ts';
import { mapleGroveConfig } from './generator/demo.ts';
import { SimDistrict } from './generator/district.ts';
import { resolveGeneratedSpec, type DistrictConfig, type DistrictSpec } from './generator/spec.ts';
import { districtInfo, type SimDistrictInfo } from './info.ts';
import type { RosterTenant } from './oneroster/server.ts';
import { rosterBaseUrl } from './oneroster/server.ts';
import { createClock } from './shared/clock.ts';
import { FaultRegistry, type ActiveFault, type FaultKind, type FaultOptions } from './shared/faults.ts';
import { hexDigest } from './shared/hash.ts';
import type { ProviderName, SimClient } from './shared/types.ts';

/**
 * Rollcall's provider simulators: a Clever simulator and a ClassLink
 * simulator (LaunchPad + per-tenant OneRoster Roster Servers) serving the
 * same generated districts. A development and test tool; src/ never imports it.
 */
export type { SimClient, ProviderName } from './shared/types.ts';
export type { DistrictSpec, WellKnownPerson } from './generator/spec.ts';
export type { FaultKind, FaultOptions, ActiveFault } from './shared/faults.ts';
export type { ChangeApi, ChangeResult } from './change-api.ts';
export type { SimDistrictInfo, SimUserInfo, SimSectionInfo } from './info.ts';
export type { NewPerson, ChangeKind } from './generator/changes.ts';
export { MAPLE_GROVE_TEACHERS, MAPLE_GROVE_ADMIN } from './generator/demo.ts';

export interface SimulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral. */
  cleverPort?: number;
  classlinkPort?: number;
  /** Fallback seed for generated districts without their own. */
  seed?: number;
  /** Default: [the demo district "Maple Grove Unified"]. */
  districts?: DistrictSpec[];
  cleverClient?: SimClient;
  classlinkClient?: SimClient;
  clock?: () => Date;
  /** Clever requests per minute per bearer token. Default 1200. */
  rateLimitPerMinute?: number;
  /** Issue Clever id_tokens (OIDC enabled for the app). Default true. */
  cleverOidc?: boolean;
  logger?: boolean;
}

export interface CleverControl {
  setOidcEnabled(enabled: boolean): void;
  setRateLimit(perMinute: number): void;
  resetRateLimits(): void;
  /** Forget every simulated browser session (next authorize shows the login page). */
  logoutAll(): void;
  /** Move simulator time (code expiry, rate windows, event retention). Shared with ClassLink. */
  advanceClock(ms: number): void;
}

export interface ClassLinkControl {
  logoutAll(): void;
  /** Invalidate every OneRoster 1.2 bearer token (clients must fetch new ones). */
  expireRosterTokens(): void;
  advanceClock(ms: number): void;
}

export interface FaultApi {
  inject(provider: ProviderName, fault: FaultKind, options?: FaultOptions): void;
  /** Remove pending faults (and restore credentials) for one provider or both. */
  clear(provider?: ProviderName): void;
  /** Undo 'revoked-credentials'. */
  restore(provider: ProviderName): void;
  active(provider: ProviderName): readonly ActiveFault[];
}

export interface RunningSimulators {
  clever: { url: string; control: CleverControl };
  classlink: {
    url: string;
    launchpadUrl: string;
    apiUrl: string;
    rosterServerUrl(tenantId: string, version: '1.1' | '1.2'): string;
    control: ClassLinkControl;
  };
  districts: SimDistrictInfo[];
  changes: ChangeApi;
  faults: FaultApi;
  /** Simulator time (injectable clock plus any advanceClock). */
  now(): Date;
  close(): Promise<void>;
}

export const DEFAULT_CLEVER_CLIENT: SimClient = {
  clientId: 'rollcall-clever-demo',
  clientSecret: 'clever-demo-secret',
  redirectUris: ['http://localhost:3000/auth/clever/callback'],
};

export const DEFAULT_CLASSLINK_CLIENT: SimClient = {
  clientId: 'rollcall-classlink-demo',
  clientSecret: 'classlink-demo-secret',
  redirectUris: ['http://localhost:3000/auth/classlink/callback'],
};

export function districtConfig(spec: DistrictSpec, seed: number, ordinal: number): DistrictConfig {
  return spec.kind === 'demo' ? mapleGroveConfig(spec.seed) : resolveGeneratedSpec(spec, seed, ordinal);
}

function tenantFor(d: SimDistrict): RosterTenant {
  const tenantId = String(2001 + d.ordinal);
  const h = (salt: number, n: number) => hexDigest(n, d.config.seed, d.ordinal, salt);
  return {
    tenantId,
    district: d,
    v11: { consumerKey: `or11-${tenantId}-${h(0x11, 8)}`, consumerSecret: h(0x12, 32) },
    v12: { clientId: `or12-${tenantId}-${h(0x13, 8)}`, clientSecret: h(0x14, 32) },
  };
}

function urlOf(host: string, address: AddressInfo): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${address.port}`;
}

export async function startSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const host = options.host ?? '127.0.0.1';
  const clock = createClock(options.clock);
  const seed = options.seed ?? 1;
  const specs = options.districts ?? [{ kind: 'demo' }];
  const districts = specs.map((spec, i) => new SimDistrict(i, districtConfig(spec, seed, i), clock.now()));
  const tenants = districts.map(tenantFor);
  const faults: Record<ProviderName, FaultRegistry> = { clever: new FaultRegistry(), classlink: new FaultRegistry() };
  const engine = new ChangeEngine(clock);
  const infos = () => districts.map((d, i) => districtInfo(d, tenants[i]!, clever.ctx.ids, cleverTokenOf(d), classlinkUrl));
  // The control routes need these lazily: they exist once both servers are built.
  let changes: ChangeApi | undefined;
  const control = {
    districts: () => infos(),
    applyChange: (body: Record<string, unknown>) => changes!.apply(body),
    history: () => changes!.history(),
  };

  const clever = await createCleverSimulator({
    clock,
    districts,
    clients: [options.cleverClient ?? DEFAULT_CLEVER_CLIENT],
    faults: faults.clever,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1200,
    oidc: options.cleverOidc ?? true,
    logger: options.logger ?? false,
    control,
  });
  const cleverTokenOf = (d: SimDistrict) => [...clever.ctx.districtTokens.entries()].find(([, x]) => x === d)?.[0] ?? '';
  engine.addObserver(clever.ctx.events);
  changes = createChangeApi(engine, districts, tenants, clever.ctx.ids, clever.ctx.events);

  const classlink = await createClassLinkSimulator({
    clock,
    tenants,
    clients: [options.classlinkClient ?? DEFAULT_CLASSLINK_CLIENT],
    faults: faults.classlink,
    logger: options.logger ?? false,
    control,
  });

  await clever.app.listen({ host, port: options.cleverPort ?? 0 });
  let classlinkUrl = '';
  try {
    await classlink.app.listen({ host, port: options.classlinkPort ?? 0 });
  } catch (err) {
    await clever.app.close();
    throw err;
  }
  const cleverUrl = urlOf(host, clever.app.server.address() as AddressInfo);
  classlinkUrl = urlOf(host, classlink.app.server.address() as AddressInfo);
  clever.ctx.baseUrl = cleverUrl;
  classlink.setBaseUrl(classlinkUrl);

  return {
    clever: {
      url: cleverUrl,
      control: {
        setOidcEnabled: (enabled) => {
          clever.ctx.oidcEnabled = enabled;
        },
        setRateLimit: (perMinute) => {
          clever.ctx.rateLimiter.perMinute = perMinute;
        },
        resetRateLimits: () => clever.ctx.rateLimiter.reset(),
        logoutAll: () => clever.ctx.sessions.clear(),
        advanceClock: (ms) => clock.advance(ms),
      },
    },
    classlink: {
      url: classlinkUrl,
      launchpadUrl: classlinkUrl,
      apiUrl: classlinkUrl,
      rosterServerUrl: (tenantId, version) => rosterBaseUrl(classlinkUrl, tenantId, version),
      control: {
        logoutAll: () => classlink.logoutAll(),
        expireRosterTokens: () => classlink.expireRosterTokens(),
        advanceClock: (ms) => clock.advance(ms),
      },
    },
    get districts() {
      return infos();
    },
    changes,
    faults: {
      inject: (provider, fault, opts) => faults[provider].inject(fault, opts),
      clear: (provider) => {
        if (provider === undefined || provider === 'clever') faults.clever.clear();
        if (provider === undefined || provider === 'classlink') faults.classlink.clear();
      },
      restore: (provider) => faults[provider].restore(),
      active: (provider) => faults[provider].active(),
    },
    now: () => clock.now(),
    close: async () => {
      await Promise.all([clever.app.close(), classlink.app.close()]);
    },
  };
}
