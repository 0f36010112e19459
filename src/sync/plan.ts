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

/** Pairs grouped by class. */
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
