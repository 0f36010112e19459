import type { Store } from '../../db/store.ts';
import { notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { withTimeout } from '../../lib/concurrency.ts';
import { ProviderError, type CanonicalSection, type ProviderKind } from '../../providers/roster-provider.ts';
import type { Actor, User } from '../accounts/accounts.types.ts';
import { normalizeEmail } from '../accounts/email-address.ts';
import type { IntegrationsService } from '../integrations/integrations.service.ts';
import type { Integration } from '../integrations/integrations.types.ts';
import { explainProviderError } from '../integrations/provider-errors.ts';
import { licensePolicy } from '../licenses/licenses.policy.ts';
import { assemble, checkSections, evaluateWithoutDistrict, notATeacher, pickDistrict, type Evaluated } from './diagnosis-checks.ts';
import type { DiagnosedSection, Diagnosis, DistrictFacts, LiveOutcome, SubjectFacts } from './diagnosis.types.ts';
import { diagnosisPolicy, type SubjectScope } from './diagnostics.policy.ts';

/** The live provider call is bounded: a slow provider is its own answer, not a hung page. */
export const DIAGNOSIS_PROVIDER_TIMEOUT_MS = 8_000;

interface Gathered {
  readonly facts: SubjectFacts;
  readonly scope: SubjectScope;
  readonly integrations: ReadonlyMap<string, Integration>;
}

const toSection = (provider: ProviderKind, s: CanonicalSection): DiagnosedSection => ({
  provider,
  externalId: s.externalId,
  name: s.name,
  term: s.term?.name || null,
  period: s.period,
  subject: s.subject,
  studentCount: s.studentIds ? s.studentIds.length : null,
});

/**
 * "Why can't I see Add from Rostering Service?": runs PRODUCT.md's checks in
 * order for one teacher, reading everything fresh (nothing is cached in a
 * session), and asks the provider live, time-limited, only when checks 1–4 pass.
 */
export class DiagnosisService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      integrations: IntegrationsService;
      timeoutMs: number;
      /** Providers whose sign-in is configured (a "Connect …" button can work). */
      connectable: readonly ProviderKind[];
    },
  ) {}

  /** The signed-in person's own diagnosis. */
  async forSelf(actor: Actor): Promise<Diagnosis> {
    const gathered = await this.gather(actor.user, actor.user.email, true);
    return this.run(actor.user, gathered);
  }

  /** Someone else's: support, their license admin, or their district's admin; anyone else gets "not found". */
  async forUser(actor: Actor, userId: string): Promise<Diagnosis> {
    const user = await this.deps.store.accounts.findById(userId);
    if (!user) throw notFound('User');
    const gathered = await this.gather(user, user.email, actor.user.id === user.id);
    if (!diagnosisPolicy.canDiagnose(actor, gathered.scope)) throw notFound('User');
    return this.run(user, this.within(actor, user.id, gathered));
  }

  /**
   * An administrator sees the person only as far as their own districts go:
   * a teacher's other districts (licenses, admins, providers) stay private.
   */
  private within(actor: Actor, subjectId: string | null, gathered: Gathered): Gathered {
    const allowed = diagnosisPolicy.visibleDistricts(actor, subjectId);
    if (allowed === 'all') return gathered;
    return { ...gathered, facts: { ...gathered.facts, districts: gathered.facts.districts.filter((d) => allowed.includes(d.district.id)) } };
  }

  /** A license member's, from the license page: works before they have an account. */
  async forMember(actor: Actor, licenseId: string, memberId: string): Promise<Diagnosis> {
    const { store } = this.deps;
    const license = await store.licenses.findById(licenseId);
    if (!license || !licensePolicy.canView(actor, license)) throw notFound('License');
    const member = await store.licenses.findMember(memberId);
    if (!member || member.licenseId !== license.id || member.removedAt) throw notFound('Member');
    const user = member.userId ? await store.accounts.findById(member.userId) : undefined;
    if (user) return this.run(user, this.within(actor, user.id, await this.gather(user, user.email, actor.user.id === user.id)));
    return this.run(null, this.within(actor, null, await this.gather(null, member.email, false)));
  }

  /** Support (CLI): every teacher account with this email, or the pending invitation when none exists yet. */
  async forEmail(rawEmail: string): Promise<Diagnosis[]> {
    const email = normalizeEmail(rawEmail);
    const { store } = this.deps;
    const accounts = await store.accounts.findStaffByEmail(email);
    if (accounts.length > 0) return Promise.all(accounts.map(async (u) => this.run(u, await this.gather(u, u.email, false))));
    const gathered = await this.gather(null, email, false);
    if (gathered.facts.districts.length === 0) throw notFound(`A user or invitation for ${email}`);
    return [await this.run(null, gathered)];
  }

  /** Support (web and CLI) with the operator's authority already checked. */
  async forUserId(userId: string): Promise<Diagnosis> {
    const user = await this.deps.store.accounts.findById(userId);
    if (!user) throw notFound('User');
    return this.run(user, await this.gather(user, user.email, false));
  }

  private async gather(user: User | null, email: string | null, forSelf: boolean): Promise<Gathered> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const [memberships, identities] = await Promise.all([
      store.diagnostics.membershipsOf(user?.id ?? null, email),
      user ? store.identities.forUser(user.id) : Promise.resolve([]),
    ]);
    const identityIntegrations = await Promise.all(identities.map((i) => store.integrations.findByTenant(i.provider, i.tenantKey)));
    const districtIds = [
      ...new Set([
        ...memberships.map((m) => m.districtId),
        ...identityIntegrations.flatMap((i) => (i ? [i.districtId] : [])),
        ...(user?.districtId ? [user.districtId] : []),
      ]),
    ];
    const integrations = new Map<string, Integration>();
    const districts: DistrictFacts[] = [];
    for (const districtId of districtIds) {
      const [district, list, licenseAdmins, districtAdmins] = await Promise.all([
        store.districts.findById(districtId),
        store.integrations.list({ districtIds: [districtId] }),
        store.diagnostics.licenseAdminsIn(districtId),
        store.diagnostics.districtAdminsOf(districtId),
      ]);
      if (!district) continue;
      for (const i of list) integrations.set(i.id, i);
      districts.push({
        district: { id: district.id, name: district.name },
        integrations: list.map((i) => ({ id: i.id, provider: i.provider, tenantKey: i.tenantKey, status: i.status, statusReason: i.statusReason })),
        memberships: memberships.filter((m) => m.districtId === districtId),
        licenseAdmins,
        districtAdmins,
        identities: identities
          .filter((id) => list.some((i) => i.provider === id.provider && i.tenantKey === id.tenantKey))
          .map((id) => ({ provider: id.provider, tenantKey: id.tenantKey, externalId: id.externalId, lastSignInAt: id.lastSignInAt })),
      });
    }
    const facts: SubjectFacts = {
      user: user && { id: user.id, name: user.name, email: user.email, role: user.role, hasPassword: user.hasPassword },
      email,
      hasAnyIdentity: identities.length > 0,
      districts,
      today: now.toISOString().slice(0, 10),
      now,
      connectable: this.deps.connectable,
      forSelf,
    };
    const current = memberships.filter((m) => m.removedAt === null);
    const scope: SubjectScope = {
      userId: user?.id ?? null,
      licenseIds: current.map((m) => m.licenseId),
      // A removed membership no longer ties a person to a district's administrators.
      districtIds: [
        ...new Set([
          ...current.map((m) => m.districtId),
          ...identityIntegrations.flatMap((i) => (i ? [i.districtId] : [])),
          ...(user?.districtId ? [user.districtId] : []),
        ]),
      ],
    };
    return { facts, scope, integrations };
  }

  private async run(user: User | null, { facts, integrations }: Gathered): Promise<Diagnosis> {
    const subject = { userId: user?.id ?? null, name: user?.name ?? null, email: user?.email ?? facts.email, role: user?.role ?? null };
    const checkedAt = this.deps.clock.now();
    if (user && user.role !== 'teacher') return { subject, district: null, ...notATeacher(user.role), checkedAt };
    const picked = pickDistrict(facts);
    if (!picked) return { subject, district: null, ...assemble(evaluateWithoutDistrict(facts), facts.forSelf), checkedAt };
    let checks: Evaluated[] = picked.checks;
    let sections: DiagnosedSection[] | undefined;
    const staticOk = checks.filter((c) => c.id !== 'sections').every((c) => c.outcome.status === 'pass');
    if (staticOk) {
      const live = await this.live(picked.district, integrations);
      const outcome = checkSections(picked.district, live);
      checks = checks.map((c) => (c.id === 'sections' ? { id: c.id, outcome } : c));
      if (outcome.status === 'pass') sections = outcome.sections;
    }
    return { subject, district: picked.district.district, ...assemble(checks, facts.forSelf), ...(sections ? { sections } : {}), checkedAt };
  }

  /** Asks each linked provider, in parallel and time-limited, for the sections this teacher teaches. */
  private async live(d: DistrictFacts, integrations: ReadonlyMap<string, Integration>): Promise<LiveOutcome[]> {
    const { timeoutMs } = this.deps;
    const pairs = d.identities.flatMap((identity) => {
      const fact = d.integrations.find((i) => i.provider === identity.provider && i.tenantKey === identity.tenantKey && i.status !== 'disabled');
      const integration = fact && integrations.get(fact.id);
      return integration ? [{ identity, integration }] : [];
    });
    return Promise.all(
      pairs.map(async ({ identity, integration }): Promise<LiveOutcome> => {
        const provider = integration.provider;
        try {
          const adapter = await this.deps.integrations.provider(integration);
          const sections = await withTimeout(adapter.sectionsForTeacher(identity.externalId), timeoutMs, () => new ProviderError('unavailable', `no answer within ${Math.round(timeoutMs / 100) / 10} s`));
          return { provider, kind: 'sections', sections: sections.filter((s) => s.status === 'active').map((s) => toSection(provider, s)) };
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          if (error.kind === 'not_found') return { provider, kind: 'sections', sections: [] }; // the provider does not know them as a teacher
          const message = explainProviderError(error);
          return error.kind === 'auth' || error.kind === 'not_permitted' ? { provider, kind: 'refused', message } : { provider, kind: 'unreachable', message };
        }
      }),
    );
  }
}
