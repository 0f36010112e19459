import type { CanonicalSection, ChangeRecord } from '../providers/roster-provider.ts';
import type { StudentInput } from '../domain/rostering/roster.repository.ts';
import { uniqueStudents } from '../domain/rostering/roster-mapping.ts';
import { mapLimit } from '../lib/concurrency.ts';
import { bump, checkArchives, resolveStudents, applyChanges, sectionChanges, type RunContext } from './sync-steps.ts';
import { checkRemovals, groupByClass } from './plan.ts';
import type { Pair } from './sync.repository.ts';

/** Persons the provider did not send with the change, fetched one by one: bounded per page. */
const MAX_PERSON_LOOKUPS = 500;

/**
 * A delta run: the provider's change feed from the saved cursor, one page at a
 * time. Each page is planned against the database and applied with its cursor
 * in the same transactions, so a run that dies resumes at the last page it
 * committed and never skips a change.
 */
export async function runDelta(ctx: RunContext, startCursor: string): Promise<{ pendingRemovals: Pair[]; pendingArchives: string[]; reasons: string[] }> {
  const { provider } = ctx;
  const pendingRemovals: Pair[] = [];
  const pendingArchives: string[] = [];
  const reasons: string[] = [];
  let pages = 0;
  // OneRoster sends a new student's record on a users page and the enrollment on a later page.
  const described = new Map<string, StudentInput>();
  for await (const page of provider.changesSince(startCursor)) {
    pages++;
    ctx.counts.changes = (ctx.counts.changes ?? 0) + page.changes.length;
    ctx.warnings.push(...page.warnings.slice(0, 50));
    const held = await applyPage(ctx, page.changes, page.cursor, described);
    pendingRemovals.push(...held.removals);
    pendingArchives.push(...held.archives);
    reasons.push(...held.reasons);
    ctx.options.onProgress?.({ phase: 'changes', done: pages });
  }
  return { pendingRemovals, pendingArchives, reasons };
}

async function applyPage(
  ctx: RunContext,
  changes: readonly ChangeRecord[],
  cursor: string,
  described: Map<string, StudentInput>,
): Promise<{ removals: Pair[]; archives: string[]; reasons: string[] }> {
  const { store } = ctx.deps;
  const { integration, provider } = ctx;
  // Only the classes this page touches: a delta's cost follows its changes, not the district.
  const touched = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'section') touched.add(change.section.externalId);
    else if (change.kind === 'enrollment' && change.role === 'student') touched.add(change.sectionId);
  }
  const classes = await store.sync.importedClasses(integration.id, [...touched]);
  const byExternal = new Map(classes.map((c) => [c.externalId, c]));

  const people = new Map<string, StudentInput>();
  const deletedPeople = new Set<string>();
  const sections = new Map<string, CanonicalSection>();
  // Per (section, person): the newest record wins; a tie keeps the student (a wrong removal is worse than a late one).
  const latest = new Map<string, { sectionId: string; personId: string; active: boolean; at: number }>();
  const endedTerms = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'person') {
      if (change.action === 'delete') deletedPeople.add(change.person.externalId);
      else for (const s of uniqueStudents([change.person])) people.set(s.externalId, s);
    } else if (change.kind === 'section') {
      if (byExternal.has(change.section.externalId)) sections.set(change.section.externalId, change.action === 'delete' ? { ...change.section, status: 'deleted' } : change.section);
    } else if (change.kind === 'enrollment') {
      if (change.role !== 'student' || !byExternal.has(change.sectionId)) continue;
      const key = `${change.sectionId}|${change.personId}`;
      const at = change.at ? Date.parse(change.at) || 0 : 0;
      const active = change.action === 'upsert';
      const seen = latest.get(key);
      if (!seen || at > seen.at || (at === seen.at && active)) latest.set(key, { sectionId: change.sectionId, personId: change.personId, active, at });
    } else if (change.kind === 'term' && change.action === 'upsert' && change.term.endDate && change.term.endDate < ctx.deps.clock.now().toISOString().slice(0, 10)) {
      endedTerms.add(change.term.externalId);
    }
  }

  const enrollAdds = [...latest.values()].filter((e) => e.active);
  const enrollDeletes = [...latest.values()].filter((e) => !e.active);

  // Known students' renames and email/grade changes (no new accounts for people outside imported classes).
  if (!ctx.options.dryRun) ctx.counts.updated = (ctx.counts.updated ?? 0) + (await store.sync.updateKnownStudents(integration.provider, integration.tenantKey, [...people.values()]));

  // Desired full rosters from sections that carry their students; single enrollment changes otherwise.
  const enrolledIn = new Set([...enrollAdds, ...enrollDeletes].map((e) => e.sectionId));
  const affected = classes.filter((c) => sections.has(c.externalId) || enrolledIn.has(c.externalId));
  const current = groupByClass(await store.sync.activeEnrollments(affected.map((c) => c.id)));
  const wantedExt = new Set<string>();
  for (const s of sections.values()) if (s.status === 'active' && s.studentIds) for (const id of s.studentIds) wantedExt.add(id);
  for (const e of enrollAdds) wantedExt.add(e.personId);

  // Details for students we may have to create: from this run's pages, else one lookup each (bounded).
  for (const [id, s] of people) described.set(id, s);
  for (const id of wantedExt) if (!people.has(id) && described.has(id)) people.set(id, described.get(id)!);
  const known = await store.sync.knownUsers(integration.provider, integration.tenantKey, [...wantedExt], 'student');
  const unknown = [...wantedExt].filter((id) => !known.has(id) && !people.has(id));
  if (unknown.length > MAX_PERSON_LOOKUPS) ctx.warnings.push(`${unknown.length - MAX_PERSON_LOOKUPS} new students were left for the nightly full reconciliation.`);
  const fetched = await mapLimit(unknown.slice(0, MAX_PERSON_LOOKUPS), 4, (id) => provider.person(id));
  for (const s of uniqueStudents(fetched.filter((p) => p !== null))) people.set(s.externalId, s);
  const userOf = await resolveStudents(ctx, wantedExt, people, known);

  const adds: Pair[] = [];
  const removes: Pair[] = [];
  for (const s of sections.values()) {
    const klass = byExternal.get(s.externalId)!;
    if (s.status !== 'active' || s.studentIds === null) continue;
    const want = new Set(s.studentIds.map((id) => userOf.get(id)).filter((u): u is string => !!u));
    const have = current.get(klass.id) ?? new Set();
    for (const u of want) if (!have.has(u)) adds.push({ classId: klass.id, userId: u });
    for (const u of have) if (!want.has(u)) removes.push({ classId: klass.id, userId: u });
  }
  for (const e of enrollAdds) {
    const userId = userOf.get(e.personId);
    const classId = byExternal.get(e.sectionId)!.id;
    if (userId && !current.get(classId)?.has(userId)) adds.push({ classId, userId });
  }
  await refreshReturning(ctx, adds, userOf, people, MAX_PERSON_LOOKUPS - Math.min(unknown.length, MAX_PERSON_LOOKUPS));
  const deletedUsers = await store.sync.knownUsers(integration.provider, integration.tenantKey, [...deletedPeople, ...enrollDeletes.map((e) => e.personId)], 'student');
  for (const e of enrollDeletes) {
    const userId = deletedUsers.get(e.personId);
    const classId = byExternal.get(e.sectionId)!.id;
    if (userId && current.get(classId)?.has(userId)) removes.push({ classId, userId });
  }
  if (deletedPeople.size > 0) {
    const gone = [...deletedPeople].map((id) => deletedUsers.get(id)).filter((u): u is string => !!u);
    removes.push(...(await store.sync.activeEnrollmentsOfUsersIn(integration.id, gone)));
  }
  // Per-class limits against each class's size; the district-wide share against all of the integration's enrollments.
  const unique = dedupe(removes);
  const { sizes, total } = unique.length > 0 ? await store.sync.activeCounts(integration.id, [...new Set(unique.map((p) => p.classId))]) : { sizes: new Map<string, number>(), total: 0 };
  const decision = checkRemovals(unique, sizes, total, ctx.limits);

  const schoolMap = new Map((await store.integrations.schoolMappings(integration.id)).map((m) => [m.externalId, m.schoolId]));
  const planned = sectionChanges(ctx, classes.filter((c) => sections.has(c.externalId)), sections, schoolMap, { missingMeansDeleted: false });
  for (const termId of endedTerms) for (const id of await store.sync.classesOfTerm(integration.id, termId)) planned.archives.push({ id, reason: 'The term ended' });
  const archives = checkArchives(planned.archives, planned.archives.length > 0 ? await store.sync.countImportedClasses(integration.id) : 0);
  const teacherIds = [...new Set([...sections.values()].flatMap((s) => s.teacherIds))];
  const teachersKnown = await store.sync.knownUsers(integration.provider, integration.tenantKey, teacherIds, 'teacher');
  const teachers = [...sections.values()].filter((s) => s.status === 'active').flatMap((s) => s.teacherIds.map((t) => teachersKnown.get(t)).filter((u): u is string => !!u).map((userId) => ({ classId: byExternal.get(s.externalId)!.id, userId })));

  await applyChanges(ctx, { fields: planned.fields, adds: dedupe(adds), removes: decision.apply, archives: archives.apply, teachers }, { value: cursor, kind: 'delta' });
  return { removals: decision.held, archives: archives.held, reasons: [...decision.reasons, ...(archives.reason ? [archives.reason] : [])] };
}

/**
 * A full run refreshes only the students on a roster, so one who had left every
 * class may have been renamed since: when they come back, their record is read
 * again (bounded) before they rejoin, unless this run already described them.
 */
async function refreshReturning(ctx: RunContext, adds: readonly Pair[], userOf: ReadonlyMap<string, string>, people: ReadonlyMap<string, StudentInput>, budget: number): Promise<void> {
  if (ctx.options.dryRun || adds.length === 0 || budget <= 0) return;
  const { store } = ctx.deps;
  const { integration, provider } = ctx;
  const externalOf = new Map<string, string>();
  for (const [externalId, userId] of userOf) if (!people.has(externalId)) externalOf.set(userId, externalId);
  const candidates = [...new Set(adds.map((p) => p.userId).filter((u) => externalOf.has(u)))];
  if (candidates.length === 0) return;
  const stillEnrolled = new Set((await store.sync.activeEnrollmentsOfUsersIn(integration.id, candidates)).map((p) => p.userId));
  const returning = candidates.filter((u) => !stillEnrolled.has(u)).map((u) => externalOf.get(u)!);
  if (returning.length === 0) return;
  const fetched = await mapLimit(returning.slice(0, budget), 4, (id) => provider.person(id));
  const fresh = uniqueStudents(fetched.filter((p) => p !== null));
  bump(ctx.counts, 'updated', await store.sync.updateKnownStudents(integration.provider, integration.tenantKey, fresh));
}

function dedupe(pairs: Pair[]): Pair[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const key = `${p.classId}|${p.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
