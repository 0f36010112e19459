import type { Store } from '../../db/store.ts';
import { forbidden, notFound, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { withTimeout } from '../../lib/concurrency.ts';
import { ProviderError } from '../../providers/roster-provider.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import type { IntegrationsService } from '../integrations/integrations.service.ts';
import { explainProviderError } from '../integrations/provider-errors.ts';
import { removalNeedsApproval, sectionFields, uniqueStudents } from '../rostering/roster-mapping.ts';
import { classPolicy } from './classes.policy.ts';
import type { ClassRecord, ClassSummary } from './classes.types.ts';

export interface SyncNowResult {
  readonly status: 'succeeded' | 'held' | 'failed';
  readonly counts: { enrolled: number; removed: number; restored: number; updated: number };
  readonly message: string;
}

export const DEFAULT_CLASS_REMOVAL_LIMITS = { maxShare: 0.3, minClassSize: 5 };

export class ClassesService {
  constructor(private readonly deps: { store: Store; clock: Clock; integrations: IntegrationsService; providerTimeoutMs: number }) {}

  async listMine(actor: Actor): Promise<ClassSummary[]> {
    const { classes } = this.deps.store;
    return actor.user.role === 'student' ? classes.listForStudent(actor.user.id, { sizes: false }) : classes.listForTeacher(actor.user.id);
  }

  /** A manual class: never touched by rostering. */
  async createManual(actor: Actor, rawName: string): Promise<ClassSummary> {
    if (actor.user.role !== 'teacher') throw forbidden('Only teachers create classes.');
    const name = rawName.trim().replace(/\s+/g, ' ');
    if (!name) throw validationError('name', 'Give the class a name.');
    if (name.length > 300) throw validationError('name', 'Use at most 300 characters.');
    const { store, clock } = this.deps;
    const id = await store.transaction(async (tx) => {
      const id = await tx.classes.createManual({ name, createdBy: actor.user.id, districtId: actor.user.districtId }, clock.now());
      await tx.classes.addTeacher(id, actor.user.id, clock.now());
      return id;
    });
    return (await store.classes.listForTeacher(actor.user.id)).find((c) => c.id === id)!;
  }

  private async load(actor: Actor, classId: string): Promise<{ klass: ClassRecord; isTeacher: boolean }> {
    const klass = await this.deps.store.classes.findById(classId);
    if (!klass) throw notFound('Class');
    const isTeacher = await this.deps.store.classes.isTeacher(classId, actor.user.id);
    // Another district's class is "not found", not "forbidden": no existence leaks.
    if (!classPolicy.canView(actor, klass, isTeacher)) throw notFound('Class');
    return { klass, isTeacher };
  }

  async details(actor: Actor, classId: string) {
    const { klass, isTeacher } = await this.load(actor, classId);
    const { store } = this.deps;
    const [teachers, students, history, integration] = await Promise.all([
      store.classes.teachersOf([classId]),
      store.roster.roster(classId),
      store.roster.history(classId),
      klass.integrationId ? store.integrations.findById(klass.integrationId) : Promise.resolve(undefined),
    ]);
    return {
      klass,
      integration,
      teachers: teachers.map(({ id, name }) => ({ id, name })),
      students,
      history,
      abilities: { sync: classPolicy.canSync(actor, klass, isTeacher), remove: classPolicy.canRemove(actor, klass, isTeacher) },
    };
  }

  /** "Remove from Rollcall": archived with its roster and history; a re-import restores it. */
  async remove(actor: Actor, classId: string): Promise<void> {
    const { klass, isTeacher } = await this.load(actor, classId);
    if (!classPolicy.canRemove(actor, klass, isTeacher)) throw forbidden('Only this class’s teachers can remove it.');
    const { store, clock } = this.deps;
    await store.transaction(async (tx) => {
      await tx.classes.archive(classId, `Removed from Rollcall by ${actor.user.name}`, clock.now());
      await tx.audit.record({ actorUserId: actor.user.id, districtId: klass.districtId, action: 'class.removed', targetType: 'class', targetId: classId });
    });
  }

  /**
   * "Sync now": re-reads this section from the provider and applies joins,
   * departures (soft removals) and renames; a deleted section archives the
   * class; an unusual share of departures is held, not applied.
   */
  async syncNow(actor: Actor, classId: string): Promise<SyncNowResult> {
    const { klass, isTeacher } = await this.load(actor, classId);
    if (!classPolicy.canSync(actor, klass, isTeacher)) throw forbidden('Only this class’s teachers can sync it, and only rostered classes sync.');
    const { store, clock } = this.deps;
    const integration = (await store.integrations.findById(klass.integrationId!))!;
    const provider = await this.deps.integrations.provider(integration);
    const zero = { enrolled: 0, removed: 0, restored: 0, updated: 0 };
    const started = clock.now();
    let section, people;
    try {
      const limit = <T,>(p: Promise<T>) => withTimeout(p, this.deps.providerTimeoutMs, () => new ProviderError('unavailable', 'no answer in time'));
      section = await limit(provider.section(klass.externalId!));
      people = section && section.status === 'active' ? await limit(provider.studentsOfSection(klass.externalId!)) : [];
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const message = explainProviderError(error);
      await store.syncRuns.finish(
        await store.syncRuns.create({ integrationId: integration.id, classId, requestedBy: actor.user.id, trigger: 'sync_now', status: 'running' }, started),
        { status: 'failed', counts: {}, error: message },
        clock.now(),
      );
      return { status: 'failed', counts: zero, message };
    }

    if (!section || section.status === 'deleted') {
      await store.transaction(async (tx) => {
        await tx.classes.archive(classId, 'The section was deleted at the rostering service', clock.now());
        const runId = await tx.syncRuns.create({ integrationId: integration.id, classId, requestedBy: actor.user.id, trigger: 'sync_now', status: 'running' }, started);
        await tx.syncRuns.finish(runId, { status: 'succeeded', counts: { archived: 1 } }, clock.now());
      });
      return { status: 'succeeded', counts: zero, message: 'This section no longer exists at the rostering service, so the class was archived. Its roster and history are kept.' };
    }

    const students = uniqueStudents(people);
    const mapping = (await store.integrations.schoolMappings(integration.id)).find((m) => m.externalId === section.schoolId);
    return store.transaction(async (tx) => {
      const now = clock.now();
      await tx.roster.lockTenant(integration.provider, integration.tenantKey);
      const upserted = await tx.roster.upsertStudents({ provider: integration.provider, tenantKey: integration.tenantKey, districtId: integration.districtId }, students);
      const keep = [...upserted.userIds.values()];
      const runId = await tx.syncRuns.create({ integrationId: integration.id, classId, requestedBy: actor.user.id, trigger: 'sync_now', status: 'running' }, started);
      await tx.classes.updateSectionFields(classId, sectionFields(section, mapping?.schoolId ?? klass.schoolId), now);
      const { enrolled, restored } = await tx.roster.enroll(classId, keep, runId, now);
      const leaving = await tx.roster.activeNotIn(classId, keep);
      const active = await tx.roster.activeCount(classId);
      const counts = { enrolled, restored, updated: upserted.updated, removed: 0 };
      if (removalNeedsApproval(active, leaving.length, DEFAULT_CLASS_REMOVAL_LIMITS)) {
        await tx.syncRuns.finish(runId, { status: 'held', counts: { ...counts, held: leaving.length }, details: { pendingRemovals: leaving.map((l) => ({ classId, userId: l.userId })) } }, now);
        await tx.classes.markSynced([classId], now);
        return {
          status: 'held' as const,
          counts,
          message: `${leaving.length} of ${active} students would leave this class at once, which is unusual, so nobody was removed. A district administrator can review it. Joins and changes were applied.`,
        };
      }
      counts.removed = await tx.roster.removeMissing(classId, keep, 'No longer in the section at the rostering service', runId, now);
      await tx.classes.markSynced([classId], now);
      await tx.syncRuns.finish(runId, { status: 'succeeded', counts }, now);
      const parts = [
        counts.enrolled && `${counts.enrolled} joined`,
        counts.restored && `${counts.restored} returned`,
        counts.removed && `${counts.removed} left`,
        counts.updated && `${counts.updated} updated`,
      ].filter(Boolean);
      return { status: 'succeeded' as const, counts, message: parts.length ? `Synced: ${parts.join(', ')}.` : 'Synced: the roster was already up to date.' };
    });
  }
}

