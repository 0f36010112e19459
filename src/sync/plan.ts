import type { Pair } from './sync.repository.ts';

export interface SafetyLimits {
  /** Hold a class's removals above this share of its active students… */
  readonly classMaxShare: number;
  /** …when the class has at least this many students. */
  readonly classMinSize: number;
  /** Hold every removal when the run would remove more than this share of the integration's active enrollments. */
  readonly integrationMaxShare: number;
}

export const DEFAULT_LIMITS: SafetyLimits = { classMaxShare: 0.3, classMinSize: 5, integrationMaxShare: 0.1 };

export interface RosterPlan {
  readonly adds: Pair[];
  readonly removes: Pair[];
}

/**
 * Desired rosters (from the provider) against current active enrollments.
 * Only classes whose provider roster is known completely may lose students.
 */
export function planRosters(desired: ReadonlyMap<string, ReadonlySet<string>>, current: ReadonlyMap<string, ReadonlySet<string>>, complete: ReadonlySet<string>): RosterPlan {
  const adds: Pair[] = [];
  const removes: Pair[] = [];
  for (const [classId, want] of desired) {
    const have = current.get(classId);
    for (const userId of want) if (!have?.has(userId)) adds.push({ classId, userId });
  }
  for (const [classId, have] of current) {
    if (!complete.has(classId)) continue;
    const want = desired.get(classId) ?? new Set<string>();
    for (const userId of have) if (!want.has(userId)) removes.push({ classId, userId });
  }
  return { adds, removes };
}

export interface SafetyDecision {
  /** Removals that may be applied now. */
  readonly apply: Pair[];
  /** Removals waiting for an administrator. */
  readonly held: Pair[];
  readonly reasons: string[];
}

/**
 * The removal safety check. An empty or gutted class (e.g. a truncated or
 * misconfigured provider response) or an unusual share of the whole
 * integration is held, never applied.
 */
export function checkRemovals(removes: readonly Pair[], sizes: ReadonlyMap<string, number>, totalActive: number, limits: SafetyLimits): SafetyDecision {
  if (removes.length === 0) return { apply: [], held: [], reasons: [] };
  const reasons: string[] = [];
  if (totalActive > 0 && removes.length / totalActive > limits.integrationMaxShare) {
    reasons.push(`${removes.length} of ${totalActive} enrollments (${Math.round((100 * removes.length) / totalActive)} %) would be removed, above the ${Math.round(limits.integrationMaxShare * 100)} % limit for a district`);
    return { apply: [], held: [...removes], reasons };
  }
  const byClass = new Map<string, Pair[]>();
  for (const pair of removes) (byClass.get(pair.classId) ?? byClass.set(pair.classId, []).get(pair.classId)!).push(pair);
  const apply: Pair[] = [];
  const held: Pair[] = [];
  for (const [classId, pairs] of byClass) {
    const size = sizes.get(classId) ?? 0;
    const emptied = pairs.length >= size;
    const tooMany = size >= limits.classMinSize && pairs.length / size > limits.classMaxShare;
    if (emptied || tooMany) {
      held.push(...pairs);
      reasons.push(`${pairs.length} of ${size} students would leave one class at once`);
    } else apply.push(...pairs);
  }
  return { apply, held, reasons };
}

/** Class sizes and their total, from current rosters. */
export function sizesOf(current: ReadonlyMap<string, ReadonlySet<string>>): { sizes: Map<string, number>; total: number } {
  const sizes = new Map([...current].map(([k, v]) => [k, v.size] as const));
  return { sizes, total: [...sizes.values()].reduce((a, b) => a + b, 0) };
}

export function groupByClass(pairs: Iterable<Pair>): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const { classId, userId } of pairs) (map.get(classId) ?? map.set(classId, new Set()).get(classId)!).add(userId);
  return map;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
