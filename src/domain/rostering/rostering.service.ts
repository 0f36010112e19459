import type { Store } from '../../db/store.ts';
import { AppError, forbidden } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { mapLimit, withTimeout } from '../../lib/concurrency.ts';
import { ProviderError, type CanonicalPerson, type CanonicalSection, type RosterProvider } from '../../providers/roster-provider.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import type { IntegrationsService } from '../integrations/integrations.service.ts';
import type { Integration } from '../integrations/integrations.types.ts';
import { explainProviderError } from '../integrations/provider-errors.ts';
import type { License } from '../licenses/licenses.types.ts';
import { sectionFields, termEnded, uniqueStudents } from './roster-mapping.ts';

export type SectionState = 'importable' | 'imported' | 'co-teacher' | 'term-ended';

export interface SectionRow {
  readonly integrationId: string;
  readonly provider: Integration['provider'];
  readonly section: CanonicalSection;
  readonly schoolName: string | null;
  readonly coTeachers: string[];
  readonly studentCount: number | null;
  readonly state: SectionState;
  readonly classId: string | null;
  readonly termEnded: boolean;
}

export interface RosteringAccess {
  readonly integration: Integration;
  readonly teacherExternalId: string;
  readonly license: License;
}

export interface ImportedClass {
  readonly classId: string;
  readonly name: string;
  readonly created: boolean;
  readonly joined: boolean;
  readonly students: number;
}

export interface SectionRef {
  readonly integrationId: string;
  readonly externalId: string;
}

/** Imports bigger than this continue as a background job with visible progress. */
export const BACKGROUND_IMPORT = { sections: 4, students: 600 } as const;

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/**
 * "Add from Rostering Service": the live section list and the chosen, immediate,
 * duplicate-free import. The provider is asked before any transaction; each
 * class is then written in one short transaction.
 */
export class RosteringService {
  constructor(private readonly deps: { store: Store; clock: Clock; integrations: IntegrationsService; providerTimeoutMs: number }) {}

  /** Read fresh on every call: the option appears as soon as its conditions hold, no re-login. */
  async access(actor: Actor): Promise<{ accesses: RosteringAccess[]; reason: string | null }> {
    const { store, clock } = this.deps;
    if (actor.user.role !== 'teacher') return { accesses: [], reason: 'Only teachers import classes.' };
    const identities = await store.identities.forUser(actor.user.id);
    if (identities.length === 0) return { accesses: [], reason: 'Your account is not connected to Clever or ClassLink yet.' };
    const accesses: RosteringAccess[] = [];
    let reason = 'Your district has no active rostering integration.';
    for (const identity of identities) {
      const integration = await store.integrations.findByTenant(identity.provider, identity.tenantKey);
      if (!integration || integration.status === 'disabled') continue;
      const license = await store.licenses.activeMembershipIn(actor.user.id, integration.districtId, today(clock));
      if (!license) {
        reason = 'You are not on an active license for your school, or have not accepted its invitation.';
        continue;
      }
      accesses.push({ integration, teacherExternalId: identity.externalId, license });
    }
    return { accesses, reason: accesses.length > 0 ? null : reason };
  }

  private async requireAccess(actor: Actor): Promise<RosteringAccess[]> {
    const { accesses, reason } = await this.access(actor);
    if (accesses.length === 0) throw new AppError('forbidden', `Add from Rostering Service is not available: ${reason}`, [], 'rostering_unavailable');
    return accesses;
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(work(), this.deps.providerTimeoutMs, () => new ProviderError('unavailable', `no answer within ${this.deps.providerTimeoutMs / 1000} s`));
    } catch (error) {
      if (error instanceof ProviderError) {
        if (error.kind === 'not_found') return [] as T; // the provider does not know this teacher: no sections
        throw new AppError('provider_unavailable', explainProviderError(error));
      }
      throw error;
    }
  }

  /** Every section the provider says this teacher teaches, with where each stands in Rollcall. */
  async listSections(actor: Actor): Promise<{ license: License; providers: Integration['provider'][]; rows: SectionRow[] }> {
    const accesses = await this.requireAccess(actor);
    const rows: SectionRow[] = [];
    for (const access of accesses) {
      const provider = await this.deps.integrations.provider(access.integration);
      const sections = (await this.call(() => provider.sectionsForTeacher(access.teacherExternalId))).filter((s) => s.status === 'active');
      rows.push(...(await this.describe(actor, access, provider, sections)));
    }
    return { license: accesses[0]!.license, providers: [...new Set(accesses.map((a) => a.integration.provider))], rows };
  }

  private async describe(actor: Actor, access: RosteringAccess, provider: RosterProvider, sections: CanonicalSection[]): Promise<SectionRow[]> {
    const { store, clock } = this.deps;
    const { integration } = access;
    const existing = await store.classes.findBySections(integration.id, sections.map((s) => s.externalId));
    const myClasses = new Set((await store.classes.teachersOf(existing.map((c) => c.id))).filter((t) => t.id === actor.user.id).map((t) => t.classId));
    const schools = new Map((await store.integrations.schoolMappings(integration.id)).map((m) => [m.externalId, m.name]));
    const names = await this.teacherNames(provider, integration, sections, access.teacherExternalId);
    const counts = await mapLimit(sections, 4, async (s) =>
      s.studentIds !== null ? s.studentIds.length : (await this.call(() => provider.studentsOfSection(s.externalId))).length,
    );
    return sections.map((section, i) => {
      const klass = existing.find((c) => c.externalId === section.externalId && c.archivedAt === null);
      const ended = termEnded(section, today(clock));
      const state: SectionState = klass ? (myClasses.has(klass.id) ? 'imported' : 'co-teacher') : ended ? 'term-ended' : 'importable';
      return {
        integrationId: integration.id,
        provider: integration.provider,
        section,
        schoolName: section.schoolId ? (schools.get(section.schoolId) ?? null) : null,
        coTeachers: section.teacherIds.filter((id) => id !== access.teacherExternalId).map((id) => names.get(id) ?? 'Another teacher'),
        studentCount: counts[i] ?? null,
        state,
        classId: klass?.id ?? null,
        termEnded: ended,
      };
    });
  }

  /** Co-teachers' names: Rollcall's own accounts first, the provider only for the rest. */
  private async teacherNames(provider: RosterProvider, integration: Integration, sections: CanonicalSection[], me: string): Promise<Map<string, string>> {
    const ids = [...new Set(sections.flatMap((s) => s.teacherIds))].filter((id) => id !== me);
    const names = new Map<string, string>();
    await mapLimit(ids, 4, async (id) => {
      const identity = await this.deps.store.identities.find(integration.provider, integration.tenantKey, id);
      const user = identity && (await this.deps.store.accounts.findById(identity.userId));
      if (user) return names.set(id, user.name);
      const person = await this.call(() => provider.person(id)).catch(() => null);
      if (person) names.set(id, `${person.givenName} ${person.familyName}`.trim());
    });
    return names;
  }

  /**
   * Accepts only sections the provider says *this* teacher teaches, in *their*
   * district; anything else refuses the whole request before any change.
   */
  private async authorize(actor: Actor, refs: readonly SectionRef[]): Promise<{ access: RosteringAccess; provider: RosterProvider; section: CanonicalSection }[]> {
    if (refs.length === 0) throw new AppError('validation_failed', 'Check at least one class to import.', [{ field: 'sections', message: 'Check at least one class to import.' }]);
    const accesses = await this.requireAccess(actor);
    const chosen: { access: RosteringAccess; provider: RosterProvider; section: CanonicalSection }[] = [];
    const byIntegration = new Map<string, { access: RosteringAccess; provider: RosterProvider; sections: CanonicalSection[] }>();
    for (const ref of refs) {
      let entry = byIntegration.get(ref.integrationId);
      if (!entry) {
        const access = accesses.find((a) => a.integration.id === ref.integrationId);
        if (!access) throw forbidden('You can only import sections from your own district’s rostering service.');
        const provider = await this.deps.integrations.provider(access.integration);
        const sections = await this.call(() => provider.sectionsForTeacher(access.teacherExternalId));
        entry = { access, provider, sections };
        byIntegration.set(ref.integrationId, entry);
      }
      const section = entry.sections.find((s) => s.externalId === ref.externalId && s.status === 'active');
      if (!section) throw forbidden('You can only import sections in which the rostering service lists you as a teacher. Nothing was imported.');
      if (!chosen.some((c) => c.access.integration.id === ref.integrationId && c.section.externalId === ref.externalId)) {
        chosen.push({ access: entry.access, provider: entry.provider, section });
      }
    }
    return chosen;
  }

  /** Runs the import now, or queues it when it is large; returns what it did or the run to watch. */
  async requestImport(actor: Actor, refs: readonly SectionRef[]): Promise<{ imported: ImportedClass[] } | { runId: string }> {
    const chosen = await this.authorize(actor, refs);
    const students = chosen.reduce((n, c) => n + (c.section.studentIds?.length ?? 0), 0);
    if (chosen.length > BACKGROUND_IMPORT.sections || students > BACKGROUND_IMPORT.students) {
      const { store, clock } = this.deps;
      const runId = await store.transaction(async (tx) => {
        const id = await tx.syncRuns.create(
          { integrationId: chosen[0]!.access.integration.id, classId: null, requestedBy: actor.user.id, trigger: 'import', status: 'queued', total: chosen.length, details: { sections: refs } },
          clock.now(),
        );
        await tx.enqueue('rostering.import', { runId: id });
        return id;
      });
      return { runId };
    }
    return { imported: await this.importChosen(actor, chosen, null) };
  }

  /** The background half of a large import (a job handler). Re-checks authorization: time has passed. */
  async runImportJob(runId: string): Promise<void> {
    const { store, clock } = this.deps;
    const run = await store.syncRuns.findById(runId);
    if (!run || run.status === 'succeeded' || !run.requestedBy) return;
    const user = await store.accounts.findById(run.requestedBy);
    if (!user) return;
    const actor = await store.accounts.loadActor(user);
    try {
      await store.syncRuns.progress(runId, 0, 'running');
      const chosen = await this.authorize(actor, (run.details.sections as SectionRef[]) ?? []);
      const imported = await this.importChosen(actor, chosen, runId);
      await store.syncRuns.finish(runId, { status: 'succeeded', counts: { classes: imported.length, students: imported.reduce((n, c) => n + c.students, 0) }, details: { ...run.details, imported } }, clock.now());
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'The import failed unexpectedly.';
      await store.syncRuns.finish(runId, { status: 'failed', counts: {}, error: message }, clock.now());
      if (!(error instanceof AppError)) throw error;
    }
  }

  /** The import's job gave up (dead letter): a run still queued or running is marked failed. */
  async endAbandonedImport(runId: string): Promise<void> {
    const run = await this.deps.store.syncRuns.findById(runId);
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return;
    const error = 'The import was interrupted. The classes it finished are imported; import the others again.';
    await this.deps.store.syncRuns.finish(runId, { status: 'failed', counts: {}, error }, this.deps.clock.now());
  }

  private async importChosen(actor: Actor, chosen: { access: RosteringAccess; provider: RosterProvider; section: CanonicalSection }[], runId: string | null): Promise<ImportedClass[]> {
    // Every roster is fetched before the first write: a provider failure imports nothing.
    const rosters = await mapLimit(chosen, 4, (c) => this.call(() => c.provider.studentsOfSection(c.section.externalId)));
    const imported: ImportedClass[] = [];
    for (const [i, c] of chosen.entries()) {
      imported.push(await this.writeSection(actor, c.access, c.section, rosters[i]!, runId));
      if (runId) await this.deps.store.syncRuns.progress(runId, i + 1);
    }
    return imported;
  }

  private async writeSection(actor: Actor, access: RosteringAccess, section: CanonicalSection, people: CanonicalPerson[], parentRunId: string | null): Promise<ImportedClass> {
    const { store, clock } = this.deps;
    const { integration } = access;
    const now = clock.now();
    const students = uniqueStudents(people);
    const mapping = (await store.integrations.schoolMappings(integration.id)).find((m) => m.externalId === section.schoolId);
    return store.transaction(async (tx) => {
      await tx.roster.lockTenant(integration.provider, integration.tenantKey);
      const { userIds, created, updated } = await tx.roster.upsertStudents({ provider: integration.provider, tenantKey: integration.tenantKey, districtId: integration.districtId }, students);
      const klass = await tx.classes.upsertFromSection(
        { integrationId: integration.id, externalId: section.externalId, districtId: integration.districtId, source: integration.provider, createdBy: actor.user.id, fields: sectionFields(section, mapping?.schoolId ?? null) },
        now,
      );
      const joined = await tx.classes.addTeacher(klass.id, actor.user.id, now);
      const runId = await tx.syncRuns.create({ integrationId: integration.id, classId: klass.id, requestedBy: actor.user.id, trigger: 'import', status: 'running', details: parentRunId ? { parentRunId } : {} }, now);
      const counts = await tx.roster.enroll(klass.id, [...userIds.values()], runId, now);
      await tx.classes.markSynced([klass.id], now);
      await tx.syncRuns.finish(runId, { status: 'succeeded', counts: { fetched: people.length, created, updated, ...counts } }, now);
      await tx.audit.record({
        actorUserId: actor.user.id,
        districtId: integration.districtId,
        action: klass.created ? 'class.imported' : 'class.joined',
        targetType: 'class',
        targetId: klass.id,
        details: { provider: integration.provider, students: userIds.size, restored: klass.restored },
      });
      return { classId: klass.id, name: sectionFields(section, null).name, created: klass.created, joined: joined && !klass.created, students: userIds.size };
    });
  }
}
