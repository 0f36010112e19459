import type { CanonicalSection } from '../providers/roster-provider.ts';
import { studentDigest, uniqueStudents } from '../domain/rostering/roster-mapping.ts';
import type { StudentInput } from '../domain/rostering/roster.repository.ts';
import { bump, checkArchives, sectionChanges, type RunContext } from './sync-steps.ts';
import { readAhead } from '../lib/concurrency.ts';
import { checkRemovals, chunk } from './plan.ts';
import { KnownStudents } from './known-students.ts';
import { RosterBook } from './roster-book.ts';
import { rosterSums, type Pair } from './sync.repository.ts';

export interface HeldWork {
  pendingRemovals: Pair[];
  pendingArchives: string[];
  reasons: string[];
}

/**
 * A full reconciliation, streamed so memory stays flat as districts grow:
 *
 * 1. sections, page by page, into a compact roster book (no page is kept);
 * 2. which rostered students Rollcall already knows, looked up page by page
 *    while (1) reads on;
 * 3. the classes, in batches of one transaction each (field changes, joins and
 *    returns of known students, teachers; a roster that already matches is not
 *    sent), while at the same time
 * 4. the students are fetched page by page (read ahead): created, or updated
 *    when their record changed, each write overlapping the next pages' fetch;
 *    new students then join their classes;
 * 5. classes with an account of another role on the roster, last;
 * 6. the removal limits against the whole integration's picture, then the
 *    departures and archives that pass, with the cursor in the last transaction.
 *
 * Departures are collected by (3) and (5) but never applied before the
 * district-wide count is known. A run that dies anywhere keeps the old cursor:
 * the next run starts over and finds what earlier batches committed already
 * done (every write is idempotent). A no-change run writes no roster rows.
 */
export async function fullSync(ctx: RunContext): Promise<HeldWork> {
  const { store, clock } = ctx.deps;
  const { provider, integration, counts } = ctx;
  const dryRun = !!ctx.options.dryRun;
  const progress = ctx.options.onProgress ?? (() => undefined);
  // "Now" before reading anything: changes made while we read are replayed by the next delta.
  const cursor = provider.capabilities.changeFeed === 'none' ? null : await provider.currentCursor();
  const classes = await store.sync.importedClasses(integration.id);
  const classIndex = new Map(classes.map((c, i) => [c.externalId, i] as const));
  const book = new RosterBook(classes.length);
  // Looked up page by page while the rosters are read, so the run does not wait for it afterwards.
  const identities = new KnownStudents(book, (ids) => store.sync.knownIdentities(integration.provider, integration.tenantKey, ids));
  // The latest listing of each imported section, without its student list (the book has that).
  const sectionOf: (CanonicalSection | undefined)[] = new Array(classes.length);
  const inline = provider.capabilities.inlineSectionStudents;

  // 1. Sections.
  let seen = 0;
  for await (const page of provider.allSections()) {
    seen += page.length;
    for (const s of page) {
      const i = classIndex.get(s.externalId);
      if (i === undefined) continue;
      sectionOf[i] = s.studentIds === null ? s : { ...s, studentIds: null };
      // A missing students field never empties a class.
      if (inline) book.setRoster(i, s.status === 'active' ? s.studentIds : null);
    }
    identities.catchUp();
    progress({ phase: 'sections', done: seen });
    await ctx.renew();
  }
  bump(counts, 'fetchedSections', seen);
  const trustworthy = seen > 0 || classes.length === 0;
  if (!trustworthy) ctx.warnings.push('The provider returned no sections at all: nothing was removed or archived.');
  const isActive = (i: number) => sectionOf[i]?.status === 'active';

  if (!inline) {
    let n = 0;
    for await (const page of provider.allStudentEnrollments()) {
      for (const e of page) {
        const i = classIndex.get(e.sectionId);
        if (i !== undefined && isActive(i)) book.addPair(i, e.personId);
      }
      identities.catchUp(2000);
      n += page.length;
      progress({ phase: 'enrollments', done: n });
      await ctx.renew();
    }
    book.close((i) => trustworthy && isActive(i));
  }

  // 2. Who Rollcall knows already: their classes are reconciled (3) while the students are fetched.
  const needed = book.needed();
  // The students' pages start arriving while the last identity lookups finish.
  const studentPages = neededIsEmpty(needed) ? null : readAhead(provider.allStudents(), 4);
  try {
    await identities.settle();
    const studentCount = book.students.length;
    const { userOf, known } = identities;
    // Classes with an account in another role on the roster wait until the students are read (5).
    const postponed = new Uint8Array(classes.length);
    for (let c = 0; c < classes.length; c++) {
      const roster = book.rosterOf(c);
      if (roster) for (const s of roster) if (known[s] === 2) postponed[c] = 1;
    }

    // Teachers with Rollcall accounts, looked up once: most of a district's teachers have none.
    const teacherIds = new Set<string>();
    for (const s of sectionOf) if (s?.status === 'active') for (const t of s.teacherIds) teacherIds.add(t);
    const teacherOf = new Map<string, string>();
    for (const ids of chunk([...teacherIds], 5000)) for (const [k, v] of await store.sync.knownUsers(integration.provider, integration.tenantKey, ids, 'teacher')) teacherOf.set(k, v);
    teacherIds.clear();

    const schoolMap = new Map((await store.integrations.schoolMappings(integration.id)).map((m) => [m.externalId, m.schoolId]));
    const sections = new Map<string, CanonicalSection>();
    for (const [i, s] of sectionOf.entries()) if (s) sections.set(classes[i]!.externalId, s);
    const planned = sectionChanges(ctx, classes, sections, schoolMap, { missingMeansDeleted: trustworthy });
    sections.clear();
    const fieldsOf = new Map(planned.fields.map((f) => [f.id, f.fields] as const));
    const gone: Pair[] = [];
    const sizes = new Map<string, number>();
    let total = 0;
    const batchSize = ctx.deps.classBatch ?? 500;
    let batchesDone = 0;
    let stop = false;

    /** Reconciles these classes (indexes) with the students whose accounts are known now. */
    const reconcileClasses = async (picked: readonly number[]) => {
      const classIds: string[] = [];
      /** The provider's roster of each class that has one, as user ids of known students. */
      const wantOf = new Map<string, string[]>();
      const teachers: Pair[] = [];
      const fields: { id: string; fields: NonNullable<ReturnType<typeof fieldsOf.get>> }[] = [];
      let standIns = 0;
      for (const i of picked) {
        const id = classes[i]!.id;
        classIds.push(id);
        const roster = book.rosterOf(i);
        if (roster) {
          const want: string[] = [];
          for (const s of roster) {
            const userId = userOf[s];
            if (userId !== undefined) want.push(userId);
            else if (dryRun && described[s] === 1) standIns++;
          }
          wantOf.set(id, want);
        }
        const section = sectionOf[i];
        if (section?.status === 'active') {
          for (const t of section.teacherIds) {
            const userId = teacherOf.get(t);
            if (userId !== undefined) teachers.push({ classId: id, userId });
          }
        }
        const f = fieldsOf.get(id);
        if (f) fields.push({ id, fields: f });
      }
      const work = async (tx: typeof store) => {
        const now = clock.now();
        if (!dryRun) await tx.sync.updateClassFields(fields, now);
        // Rosters that already match (same students by count and two id sums) are not sent: a quiet night writes and ships almost nothing.
        const have = await tx.sync.activeRosterSums(classIds);
        const pairClass: string[] = [];
        const pairUser: string[] = [];
        const changed: string[] = [];
        let unchanged = 0;
        for (const id of classIds) {
          const current = have.get(id) ?? { n: 0, a: 0, b: 0 };
          const want = wantOf.get(id);
          const wanted = want && rosterSums(new Set(want));
          if (!wanted || (wanted.n === current.n && wanted.a === current.a && wanted.b === current.b)) {
            unchanged += current.n;
            continue;
          }
          changed.push(id);
          for (const userId of want) {
            pairClass.push(id);
            pairUser.push(userId);
          }
        }
        const r = await tx.sync.reconcileRosters({ classIds: changed, pairClass, pairUser }, ctx.runId, now, dryRun);
        return { ...r, active: r.active + unchanged, teachers: dryRun ? 0 : await tx.sync.addTeachersMany(teachers, now) };
      };
      const r = dryRun ? await work(store) : await store.transaction(work);
      bump(counts, 'enrolled', dryRun ? r.wouldEnroll : r.enrolled);
      bump(counts, 'restored', r.restored);
      bump(counts, 'teachersAdded', r.teachers);
      return { r, standIns };
    };
    const record = (r: Awaited<ReturnType<typeof reconcileClasses>>['r']) => {
      total += r.active;
      gone.push(...r.gone);
      for (const [k, v] of r.sizes) sizes.set(k, v);
    };

    // 3. Classes in batches, one transaction each: fields, joins and returns, teachers; departures collected, not applied.
    const described = new Uint8Array(studentCount);
    const reconcileKnown = async () => {
      for (let from = 0; from < classes.length && !stop; from += batchSize) {
        const picked: number[] = [];
        for (let c = from; c < Math.min(classes.length, from + batchSize); c++) if (postponed[c] === 0) picked.push(c);
        if (picked.length === 0) continue;
        const { r } = await reconcileClasses(picked);
        record(r);
        if (!dryRun) await store.syncRuns.progress(ctx.runId, ++batchesDone, 'running');
        progress({ phase: 'apply', done: batchesDone });
        await ctx.renew();
      }
    };
    const known3 = reconcileKnown();
    // A failure on either side stops the other at its next step; the first failure is the run's.
    known3.catch(() => (stop = true));

    // 4. Students on a roster, page by page: created or updated; new ones join their classes once (3) is done.
    const byStudent = book.classesByStudent();
    let fetchedStudents = 0;
    const studentsPhase = async () => {
      if (!studentPages) return;
      let n = 0;
      let writing: Promise<void> = Promise.resolve();
      // Keyed by external id: a student listed twice is written once per statement, the later record winning.
      let batch = new Map<string, StudentInput>();
      const flush = (students: Map<string, StudentInput>) => writeStudents(ctx, [...students.values()], { book, userOf, known, described, postponed, byStudent, classes, after: known3 });
      // Never leave a write running behind a run that has stopped.
      const settle = () => writing.catch(() => undefined);
      try {
        for await (const page of studentPages) {
          if (stop) return await settle();
          const mine = uniqueStudents(
            page.filter((p) => {
              const i = book.indexOf(p.externalId);
              return i !== undefined && needed[i] === 1;
            }),
          );
          for (const s of mine) {
            const i = book.indexOf(s.externalId)!;
            if (described[i] === 0) fetchedStudents++;
            described[i] = 1;
          }
          for (const s of mine) {
            const i = book.indexOf(s.externalId)!;
            // Unchanged since stored, or since listed earlier in this run (whose write, pending or done, stands).
            // A student listed twice with different records gets the later one, even if it is the stored one.
            if (known[i] === 1 && !identities.setDigest(i, studentDigest(s))) continue;
            batch.delete(s.externalId);
            batch.set(s.externalId, s);
          }
          n += page.length;
          progress({ phase: 'students', done: n });
          if (batch.size >= Math.min(ctx.deps.studentBatch ?? 5000, 2000)) {
            // One write in flight while the next pages are fetched.
            await writing;
            writing = flush(batch);
            writing.catch(() => undefined);
            batch = new Map();
          }
          await ctx.renew();
        }
      } catch (error) {
        await settle();
        throw error;
      }
      await writing;
      await flush(batch);
    };
    const students = studentsPhase();
    students.catch(() => (stop = true));
    const failure = (await Promise.allSettled([known3, students])).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    bump(counts, 'fetchedStudents', fetchedStudents);
    // Reported even when every record was unchanged and nothing was written.
    bump(counts, 'created', 0);
    bump(counts, 'updated', 0);
    let missing = 0;
    for (let i = 0; i < studentCount; i++) if (needed[i] === 1 && described[i] === 0 && known[i] !== 1) missing++;
    if (missing > 0) ctx.warnings.push(`${missing} enrolled student record(s) were not shared by the provider and were skipped.`);

    // 5. The postponed classes, now that every described student has an account.
    const waiting: number[] = [];
    for (let c = 0; c < classes.length; c++) if (postponed[c] === 1) waiting.push(c);
    for (const picked of chunk(waiting, batchSize)) {
      const { r, standIns } = await reconcileClasses(picked);
      record(r);
      if (dryRun) bump(counts, 'enrolled', standIns);
      if (!dryRun) await store.syncRuns.progress(ctx.runId, ++batchesDone, 'running');
      await ctx.renew();
    }

    // 6. The removal limits see every departure of the run before any is applied.
    const removals = checkRemovals(gone, sizes, total, ctx.limits);
    const archives = checkArchives(planned.archives, classes.length);
    const held: HeldWork = { pendingRemovals: removals.held, pendingArchives: archives.held, reasons: [...removals.reasons, ...(archives.reason ? [archives.reason] : [])] };
    if (dryRun) {
      bump(counts, 'removed', removals.apply.length);
      bump(counts, 'archived', archives.apply.length);
      return held;
    }
    bump(counts, 'removed', 0);
    bump(counts, 'archived', 0);
    const removalBatches = chunk(removals.apply, (ctx.deps.classBatch ?? 500) * 30);
    if (removalBatches.length === 0) removalBatches.push([]);
    // A run that saw no sections reconciled nothing: it keeps the old cursor, so the next delta still replays what changed meanwhile.
    const saveCursor = cursor !== null && trustworthy;
    for (const [i, batch] of removalBatches.entries()) {
      const last = i === removalBatches.length - 1;
      await store.transaction(async (tx) => {
        const now = clock.now();
        bump(counts, 'removed', await tx.sync.removeMany(batch, 'No longer in the section at the rostering service', ctx.runId, now));
        if (!last) return;
        for (const reason of new Set(archives.apply.map((a) => a.reason))) {
          bump(counts, 'archived', await tx.sync.archiveMany(archives.apply.filter((a) => a.reason === reason).map((a) => a.id), reason, now));
        }
        if (saveCursor) await tx.sync.saveCursor(integration.id, cursor, 'full', now);
      });
      await ctx.renew();
    }
    if (cursor === null && trustworthy) await store.sync.markRun(integration.id, 'full', clock.now());
    // A district's first sync multiplies the tables it writes; the next delta may run before autovacuum has told the planner.
    if ((counts.created ?? 0) + (counts.enrolled ?? 0) >= 5000) await store.sync.refreshStatistics();
    return held;
  } finally {
    studentPages?.close();
  }
}

function neededIsEmpty(needed: Uint8Array): boolean {
  return !needed.includes(1);
}

interface StudentWriteState {
  readonly book: RosterBook;
  readonly userOf: (string | undefined)[];
  readonly known: Uint8Array;
  readonly described: Uint8Array;
  readonly postponed: Uint8Array;
  readonly byStudent: { offsets: Int32Array; classes: Int32Array };
  readonly classes: readonly { id: string }[];
  /** Joins wait for the reconciliation of known students, so it never sees them half-way. */
  readonly after: Promise<void>;
}

/**
 * Creates or updates students (in `studentBatch` statements), then enrolls the
 * ones Rollcall did not know in their classes. A dry run only counts.
 */
async function writeStudents(ctx: RunContext, students: readonly StudentInput[], st: StudentWriteState): Promise<void> {
  const { store, clock } = ctx.deps;
  const { integration } = ctx;
  if (students.length === 0) return;
  if (ctx.options.dryRun) {
    let creates = 0;
    let joins = 0;
    for (const s of students) {
      const i = st.book.indexOf(s.externalId)!;
      if (st.known[i] !== 0) continue;
      st.known[i] = 3; // counted once, however often the provider lists the student
      creates++;
      for (let k = st.byStudent.offsets[i]!; k < st.byStudent.offsets[i + 1]!; k++) if (st.postponed[st.byStudent.classes[k]!] === 0) joins++;
    }
    bump(ctx.counts, 'created', creates);
    bump(ctx.counts, 'enrolled', joins);
    return;
  }
  const pairClass: string[] = [];
  const pairUser: string[] = [];
  for (const batch of chunk(students, ctx.deps.studentBatch ?? 5000)) {
    const result = await store.transaction(async (tx) => {
      await tx.roster.lockTenant(integration.provider, integration.tenantKey);
      return tx.roster.upsertStudents({ provider: integration.provider, tenantKey: integration.tenantKey, districtId: integration.districtId }, batch);
    });
    bump(ctx.counts, 'created', result.created);
    bump(ctx.counts, 'updated', result.updated);
    for (const [externalId, userId] of result.userIds) {
      const i = st.book.indexOf(externalId)!;
      if (st.known[i] === 1) continue;
      st.userOf[i] = userId;
      if (st.known[i] !== 0) continue;
      for (let k = st.byStudent.offsets[i]!; k < st.byStudent.offsets[i + 1]!; k++) {
        const c = st.byStudent.classes[k]!;
        if (st.postponed[c] === 1) continue;
        pairClass.push(st.classes[c]!.id);
        pairUser.push(userId);
      }
    }
  }
  if (pairClass.length === 0) return;
  await st.after;
  for (let from = 0; from < pairClass.length; from += 20_000) {
    const added = await store.transaction((tx) => tx.sync.enrollPairs({ classIds: pairClass.slice(from, from + 20_000), userIds: pairUser.slice(from, from + 20_000) }, ctx.runId, clock.now()));
    bump(ctx.counts, 'enrolled', added.enrolled);
    bump(ctx.counts, 'restored', added.restored);
  }
}
