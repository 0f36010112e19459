/**
 * Plain-language text about sync runs for district IT: what a run did and,
 * when something went wrong or is waiting, what it means and what to do.
 */

export const TRIGGER_LABEL: Record<string, string> = {
  import: 'Import',
  sync_now: 'Sync now',
  delta: 'Delta sync',
  full: 'Full sync',
  schedule: 'Scheduled sync',
};

const COUNT_WORDS: [key: string, one: string, many: string][] = [
  ['created', 'student account created', 'student accounts created'],
  ['enrolled', 'joined', 'joined'],
  ['restored', 'returned', 'returned'],
  ['removed', 'left', 'left'],
  ['updated', 'updated', 'updated'],
  ['archived', 'class archived', 'classes archived'],
  ['classes', 'class', 'classes'],
  ['held', 'removal held', 'removals held'],
];

/** "12 joined, 1 left, 2 updated" — or "no changes". */
export function countsSummary(counts: Readonly<Record<string, unknown>>): string {
  const parts = COUNT_WORDS.flatMap(([key, one, many]) => {
    const n = counts[key];
    return typeof n === 'number' && n > 0 ? [`${n} ${n === 1 ? one : many}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

export function durationMs(startedAt: Date, finishedAt: Date | null): number | null {
  return finishedAt ? Math.max(0, finishedAt.getTime() - startedAt.getTime()) : null;
}

export interface PendingRemoval {
  readonly userId: string;
  readonly classId: string | null;
}

/**
 * The removals a held run waits on, from details.pendingRemovals: user ids
 * (a class's Sync now) or { classId, userId } pairs (an integration sync).
 */
export function pendingRemovals(details: Readonly<Record<string, unknown>>): PendingRemoval[] {
  const raw = details.pendingRemovals;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v): PendingRemoval[] => {
    if (typeof v === 'string') return [{ userId: v, classId: null }];
    if (v && typeof v === 'object' && typeof (v as { userId?: unknown }).userId === 'string') {
      const classId = (v as { classId?: unknown }).classId;
      return [{ userId: (v as { userId: string }).userId, classId: typeof classId === 'string' ? classId : null }];
    }
    return [];
  });
}

/** Class ids a held run would archive (details.pendingArchives). */
export function pendingArchives(details: Readonly<Record<string, unknown>>): string[] {
  const raw = details.pendingArchives;
  return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
}

/** Why a run looks the way it does, in words a district's IT person can act on; null when there is nothing to say. */
export function explainRun(run: { status: string; error: string | null; warningCount: number; details: Readonly<Record<string, unknown>> }): string | null {
  switch (run.status) {
    case 'held': {
      const n = pendingRemovals(run.details).length;
      const a = pendingArchives(run.details).length;
      const what = [n > 0 ? `${n === 1 ? '1 student' : `${n} students`} would leave` : '', a > 0 ? `${a === 1 ? '1 class' : `${a} classes`} would be archived` : '']
        .filter(Boolean)
        .join(' and ');
      return `Held for review: ${what || 'this run would remove students'} at once, which is unusual (for example an empty answer from a misconfigured rostering service), so nothing was removed. Approve to apply it, or reject to keep everyone.`;
    }
    case 'failed':
      return run.error ?? 'The sync stopped without recording why. The next run will try again; if it keeps failing, contact Rollcall support.';
    case 'rejected':
      return 'An administrator rejected this run’s removals: nobody was removed.';
    case 'approved':
      return 'An administrator approved this run’s removals.';
    case 'skipped':
      return 'Skipped: another sync of this integration was already running.';
    case 'queued':
    case 'running':
      return null;
    default:
      return run.warningCount > 0
        ? `${run.warningCount === 1 ? '1 record was' : `${run.warningCount} records were`} skipped because the rostering service sent data Rollcall could not read; everything else was applied.`
        : null;
  }
}
