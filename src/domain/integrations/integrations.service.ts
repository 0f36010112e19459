import type { Store } from '../../db/store.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { AppError, conflict, forbidden, notFound, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { ProviderError, type ConnectionReport, type RosterProvider } from '../../providers/roster-provider.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import type { OperatorContext } from '../districts/operator.service.ts';
import type { ClassLinkSettings, CleverSettings, Integration, IntegrationCredentials, SchoolMapping } from './integrations.types.ts';
import { explainProviderError } from './provider-errors.ts';

/** Builds an adapter for one integration (wired in the composition root). */
export type ProviderFactory = (integration: Integration, credentials: IntegrationCredentials) => RosterProvider;

/** Finds the district-app token Clever issued for a connected district (the token listing). */
export interface CleverTokenDirectory {
  findDistrictToken(cleverDistrictId: string): Promise<string | undefined>;
}

export type TestResult = { ok: true; report: ConnectionReport } | { ok: false; kind: string; message: string };

const isOperator = (ctx: OperatorContext) => 'kind' in ctx || ctx.isOperator;

export class IntegrationsService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      secrets: SecretBox;
      providers: ProviderFactory;
      cleverTokens: CleverTokenDirectory;
      allowHttpRosterServers: boolean;
    },
  ) {}

  private requireOperator(ctx: OperatorContext): void {
    if (!isOperator(ctx)) throw forbidden('Only Rollcall operators can connect integrations.');
  }

  async connectClever(ctx: OperatorContext, input: { districtId: string; cleverDistrictId: string }): Promise<Integration> {
    this.requireOperator(ctx);
    const cleverDistrictId = input.cleverDistrictId.trim();
    if (!/^[0-9a-f]{24}$/.test(cleverDistrictId)) throw validationError('cleverDistrictId', 'A Clever district id is 24 lowercase hexadecimal characters (from the Clever dashboard).');
    let token: string | undefined;
    try {
      token = await this.deps.cleverTokens.findDistrictToken(cleverDistrictId);
    } catch (error) {
      throw new AppError('provider_unavailable', `Could not read Clever's list of connected districts: ${explainProviderError(error)}`);
    }
    if (!token) {
      throw validationError('cleverDistrictId', 'Clever has no connection between this district and Rollcall. The district must add Rollcall in its Clever dashboard first.');
    }
    const settings: CleverSettings = { cleverDistrictId };
    return this.save(ctx, input.districtId, 'clever', cleverDistrictId, settings, { provider: 'clever', districtToken: token });
  }

  async connectClassLink(
    ctx: OperatorContext,
    input: { districtId: string; tenantId: string; rosterServerUrl: string; oneRosterVersion: string; clientId: string; clientSecret: string },
  ): Promise<Integration> {
    this.requireOperator(ctx);
    const tenantId = input.tenantId.trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw validationError('tenantId', 'Enter the ClassLink tenant id (letters, digits, - or _).');
    if (input.oneRosterVersion !== '1.1' && input.oneRosterVersion !== '1.2') throw validationError('oneRosterVersion', 'Choose OneRoster 1.1 or 1.2.');
    let url: URL;
    try {
      url = new URL(input.rosterServerUrl.trim());
    } catch {
      throw validationError('rosterServerUrl', 'Enter the Roster Server address, like https://district-tx-v2.rosterserver.com');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.deps.allowHttpRosterServers)) throw validationError('rosterServerUrl', 'The Roster Server address must use https.');
    if (url.search || url.hash) throw validationError('rosterServerUrl', 'Enter the server address without a query string.');
    const rosterServerUrl = url.toString().replace(/\/+$/, '').replace(/\/ims\/oneroster.*$/, '');
    if (!input.clientId.trim()) throw validationError('clientId', 'Enter the Roster Server key (client id).');
    if (!input.clientSecret) throw validationError('clientSecret', 'Enter the Roster Server secret.');
    const settings: ClassLinkSettings = { tenantId, rosterServerUrl, oneRosterVersion: input.oneRosterVersion };
    return this.save(ctx, input.districtId, 'classlink', tenantId, settings, { provider: 'classlink', clientId: input.clientId.trim(), clientSecret: input.clientSecret });
  }

  private async save(
    ctx: OperatorContext,
    districtId: string,
    provider: 'clever' | 'classlink',
    tenantKey: string,
    settings: CleverSettings | ClassLinkSettings,
    credentials: IntegrationCredentials,
  ): Promise<Integration> {
    const { store, clock, secrets } = this.deps;
    if (!(await store.districts.findById(districtId))) throw notFound('District');
    const sealed = secrets.seal(JSON.stringify(credentials));
    const existing = await store.integrations.findByTenant(provider, tenantKey);
    if (existing && existing.districtId !== districtId) {
      throw conflict(`This ${provider === 'clever' ? 'Clever district' : 'ClassLink tenant'} is already connected to ${existing.districtName}.`, provider === 'clever' ? 'cleverDistrictId' : 'tenantId');
    }
    try {
      const id = await store.transaction(async (tx) => {
        const id = existing ? existing.id : await tx.integrations.create({ districtId, provider, tenantKey, settings, credentialsSealed: sealed });
        if (existing) await tx.integrations.updateConnection(id, { settings, credentialsSealed: sealed }, clock.now());
        await tx.audit.record({
          actorUserId: 'kind' in ctx ? null : ctx.user.id,
          districtId,
          action: existing ? 'integration.updated' : 'integration.connected',
          targetType: 'integration',
          targetId: id,
          details: { provider },
        });
        return id;
      });
      return (await store.integrations.findById(id))!;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('This integration was just connected by someone else.');
      throw error;
    }
  }

  canView(actor: Actor, integration: Integration): boolean {
    return actor.isOperator || actor.districtAdminOf.some((d) => d.id === integration.districtId);
  }

  async list(ctx: OperatorContext): Promise<Integration[]> {
    if (isOperator(ctx)) return this.deps.store.integrations.list();
    const actor = ctx as Actor;
    return this.deps.store.integrations.list({ districtIds: actor.districtAdminOf.map((d) => d.id) });
  }

  async get(ctx: OperatorContext, id: string): Promise<Integration> {
    const integration = await this.deps.store.integrations.findById(id);
    if (!integration || !(isOperator(ctx) || this.canView(ctx as Actor, integration))) throw notFound('Integration');
    return integration;
  }

  /** Decrypts the credentials and builds the adapter; nothing secret leaves this call. */
  async provider(integration: Integration): Promise<RosterProvider> {
    const sealed = await this.deps.store.integrations.sealedCredentials(integration.id);
    if (!sealed) throw notFound('Integration');
    const credentials = JSON.parse(this.deps.secrets.open(sealed)) as IntegrationCredentials;
    return this.deps.providers(integration, credentials);
  }

  /** Calls the provider and reports counts or the exact failure; revoked credentials mark it for attention. */
  async test(ctx: OperatorContext, id: string): Promise<TestResult> {
    const integration = await this.get(ctx, id);
    const { store, clock } = this.deps;
    let result: TestResult;
    try {
      const report = await (await this.provider(integration)).testConnection();
      result = { ok: true, report };
      if (integration.status === 'needs_attention') await store.integrations.setStatus(id, 'active', null, clock.now());
      await this.refreshSchools(integration);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      result = { ok: false, kind: error.kind, message: explainProviderError(error) };
      if (error.kind === 'auth') await store.integrations.setStatus(id, 'needs_attention', result.message, clock.now());
    }
    await store.transaction(async (tx) => {
      await tx.integrations.recordTest(id, result as unknown as Record<string, unknown>, clock.now());
      // A test can change the status (revoked credentials mark it for attention), so it is an admin action on record.
      await tx.audit.record({
        actorUserId: 'kind' in ctx ? null : ctx.user.id,
        districtId: integration.districtId,
        action: 'integration.tested',
        targetType: 'integration',
        targetId: id,
        details: { provider: integration.provider, ok: result.ok, ...(result.ok ? {} : { kind: result.kind }) },
      });
    });
    return result;
  }

  /**
   * Keeps the provider's schools mapped to Rollcall schools: existing mappings
   * stay; a new provider school is matched by name, or created in the district.
   */
  async refreshSchools(integration: Integration): Promise<SchoolMapping[]> {
    const { store, clock } = this.deps;
    const provider = await this.provider(integration);
    const [remote, current, local] = await Promise.all([
      provider.schools(),
      store.integrations.schoolMappings(integration.id),
      store.districts.listSchools([integration.districtId]),
    ]);
    const byExternal = new Map(current.map((m) => [m.externalId, m]));
    const mappings: SchoolMapping[] = [];
    await store.transaction(async (tx) => {
      for (const school of remote) {
        const known = byExternal.get(school.externalId);
        let schoolId = known?.schoolId ?? null;
        if (!known) {
          schoolId =
            local.find((s) => s.name.trim().toLowerCase() === school.name.trim().toLowerCase())?.id ??
            (await tx.districts.createSchool(integration.districtId, school.name.slice(0, 200) || 'Unnamed school')).id;
        }
        mappings.push({ externalId: school.externalId, name: school.name, schoolId });
      }
      await tx.integrations.upsertSchoolMappings(integration.id, mappings, clock.now());
    });
    return store.integrations.schoolMappings(integration.id);
  }

  async setSchoolMapping(ctx: OperatorContext, id: string, externalId: string, schoolId: string | null): Promise<SchoolMapping[]> {
    this.requireOperator(ctx);
    const integration = await this.get(ctx, id);
    const { store, clock } = this.deps;
    const mappings = await store.integrations.schoolMappings(id);
    const mapping = mappings.find((m) => m.externalId === externalId);
    if (!mapping) throw notFound('Provider school');
    if (schoolId) {
      const school = await store.districts.findSchool(schoolId);
      if (!school || school.districtId !== integration.districtId) throw validationError('schoolId', 'That school is not in this district.');
    }
    await store.transaction(async (tx) => {
      await tx.integrations.upsertSchoolMappings(id, [{ ...mapping, schoolId }], clock.now());
      await tx.audit.record({
        actorUserId: 'kind' in ctx ? null : ctx.user.id,
        districtId: integration.districtId,
        action: 'integration.school_mapped',
        targetType: 'integration',
        targetId: id,
        details: { provider: integration.provider, externalId, schoolId },
      });
    });
    return store.integrations.schoolMappings(id);
  }
}
