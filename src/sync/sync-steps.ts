import type { CanonicalSection, RosterProvider } from '../providers/roster-provider.ts';
import type { Integration } from '../domain/integrations/integrations.types.ts';
import { sameSectionFields, sectionFields, termEnded } from '../domain/rostering/roster-mapping.ts';
import type { StudentInput } from '../domain/rostering/roster.repository.ts';
import type { Clock } from '../lib/clock.ts';
import { chunk, type SafetyLimits } from './plan.ts';
import type { ImportedClass, Pair } from './sync.repository.ts';
import type { SyncCounts, SyncDeps, SyncKind, SyncOptions } from './sync-engine.ts';

/** The steps full and delta runs share: resolving students, planning section changes, applying in batches. */

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/** Everything a sync run works with once the provider has been read. */
export interface RunContext {
  readonly deps: SyncDeps;
  readonly integration: Integration;
  readonly provider: RosterProvider;
  readonly runId: string;
  readonly options: SyncOptions;
  readonly warnings: string[];
  readonly counts: SyncCounts;
  readonly limits: SafetyLimits;
  readonly renew: () => Promise<void>;
}

export const bump = (counts: SyncCounts, key: string, n: number) => {
  counts[key] = (counts[key] ?? 0) + n;
};

/**
 * Creates or updates the students, in batches; returns external id → user id
 * for everyone known. `alreadyKnown`: the caller's lookup of `needed`'s student accounts.
 */
export async function resolveStudents(ctx: RunContext, needed: ReadonlySet<string>, details: ReadonlyMap<string, StudentInput>, alreadyKnown: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const { store } = ctx.deps;
  const { integration } = ctx;
  const neededList = [...needed];
  const known = new Map(alreadyKnown);
  const missing = neededList.filter((id) => !known.has(id) && !details.has(id));
  if (missing.length > 0) ctx.warnings.push(`${missing.length} enrolled student record(s) were not shared by the provider and were skipped.`);
  const toWrite = neededList.map((id) => details.get(id)).filter((s): s is StudentInput => s !== undefined);
  if (ctx.options.dryRun) {
    bump(ctx.counts, 'created', toWrite.filter((s) => !known.has(s.externalId)).length);
    // A dry run cannot enrol people who do not exist yet; give them stand-in ids so the plan counts them.
    for (const s of toWrite) if (!known.has(s.externalId)) known.set(s.externalId, `dry:${s.externalId}`);
    return known;
  }
  for (const batch of chunk(toWrite, ctx.deps.studentBatch ?? 5000)) {
    const result = await store.transaction(async (tx) => {
      await tx.roster.lockTenant(integration.provider, integration.tenantKey);
      return tx.roster.upsertStudents({ provider: integration.provider, tenantKey: integration.tenantKey, districtId: integration.districtId }, batch);
    });
    for (const [k, v] of result.userIds) known.set(k, v);
    bump(ctx.counts, 'created', result.created);
    bump(ctx.counts, 'updated', result.updated);
    await ctx.renew();
  }
  return known;
}

export interface ClassChanges {
  fields: { id: string; fields: ReturnType<typeof sectionFields> }[];
  adds: Pair[];
  removes: Pair[];
  archives: { id: string; reason: string }[];
  teachers: Pair[];
}

/** Applies changes in per-batch transactions; the cursor is written with the last batch. */
export async function applyChanges(ctx: RunContext, changes: ClassChanges, cursor: { value: string; kind: SyncKind } | null): Promise<void> {
  const { store, clock } = ctx.deps;
  if (ctx.options.dryRun) {
    bump(ctx.counts, 'enrolled', changes.adds.length);
    bump(ctx.counts, 'removed', changes.removes.length);
    bump(ctx.counts, 'archived', changes.archives.length);
    return;
  }
  const classIds = [
    ...new Set([...changes.fields.map((f) => f.id), ...changes.adds.map((p) => p.classId), ...changes.removes.map((p) => p.classId), ...changes.archives.map((a) => a.id), ...changes.teachers.map((p) => p.classId)]),
  ];
  const batches = chunk(classIds, ctx.deps.classBatch ?? 250);
  if (batches.length === 0) batches.push([]);
  for (const [i, batch] of batches.entries()) {
    const inBatch = new Set(batch);
    const last = i === batches.length - 1;
    await store.transaction(async (tx) => {
      const now = clock.now();
      await tx.sync.updateClassFields(changes.fields.filter((f) => inBatch.has(f.id)), now);
      const added = await tx.sync.enrollMany(changes.adds.filter((p) => inBatch.has(p.classId)), ctx.runId, now);
      bump(ctx.counts, 'enrolled', added.enrolled);
      bump(ctx.counts, 'restored', added.restored);
      bump(ctx.counts, 'removed', await tx.sync.removeMany(changes.removes.filter((p) => inBatch.has(p.classId)), 'No longer in the section at the rostering service', ctx.runId, now));
      bump(ctx.counts, 'teachersAdded', await tx.sync.addTeachersMany(changes.teachers.filter((p) => inBatch.has(p.classId)), now));
      for (const reason of new Set(changes.archives.map((a) => a.reason))) {
        bump(ctx.counts, 'archived', await tx.sync.archiveMany(changes.archives.filter((a) => a.reason === reason && inBatch.has(a.id)).map((a) => a.id), reason, now));
      }
      if (last && cursor) await tx.sync.saveCursor(ctx.integration.id, cursor.value, cursor.kind, now);
    });
    await store.syncRuns.progress(ctx.runId, i + 1, 'running');
    ctx.options.onProgress?.({ phase: 'apply', done: i + 1, total: batches.length });
    await ctx.renew();
  }
}

/** Plans what the provider's sections mean for the imported classes. */
export function sectionChanges(
  ctx: RunContext,
  classes: readonly ImportedClass[],
  sections: ReadonlyMap<string, CanonicalSection>,
  schoolMap: ReadonlyMap<string, string | null>,
  options: { missingMeansDeleted: boolean },
): { fields: ClassChanges['fields']; archives: ClassChanges['archives'] } {
  const fields: ClassChanges['fields'] = [];
  const archives: ClassChanges['archives'] = [];
  for (const c of classes) {
    const section = sections.get(c.externalId);
    if (!section) {
      if (options.missingMeansDeleted) archives.push({ id: c.id, reason: 'The section is no longer shared by the rostering service' });
      continue;
    }
    if (section.status === 'deleted') {
      archives.push({ id: c.id, reason: 'The section was deleted at the rostering service' });
      continue;
    }
    if (termEnded(section, today(ctx.deps.clock))) {
      archives.push({ id: c.id, reason: `The term ${section.term?.name ?? ''} ended`.trim() });
      continue;
    }
    const next = sectionFields(section, section.schoolId ? (schoolMap.get(section.schoolId) ?? c.fields.schoolId) : c.fields.schoolId);
    if (!sameSectionFields(next, c.fields)) fields.push({ id: c.id, fields: next });
  }
  return { fields, archives };
}

/** Holds archives when an unusual number of classes would go at once (a sharing change, a broken feed). */
export function checkArchives(archives: ClassChanges['archives'], total: number): { apply: ClassChanges['archives']; held: string[]; reason?: string } {
  if (archives.length > Math.max(3, Math.ceil(total * 0.1))) {
    return { apply: [], held: archives.map((a) => a.id), reason: `${archives.length} of ${total} classes would be archived at once` };
  }
  return { apply: archives, held: [] };
}

