import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, checkRemovals, groupByClass } from './plan.ts';

const set = (...ids: string[]) => new Set(ids);
/** Each class's active count and their total, as the sync repository reports them. */
const sizesOf = (current: ReadonlyMap<string, ReadonlySet<string>>) => ({ sizes: new Map([...current].map(([k, v]) => [k, v.size])), total: [...current.values()].reduce((n, v) => n + v.size, 0) });

describe('checkRemovals', () => {
  const current = new Map([['c1', set('1', '2', '3', '4', '5', '6', '7', '8', '9', '10')], ['c2', set('a', 'b')], ...Array.from({ length: 20 }, (_, i) => [`k${i}`, set(...'abcdefghij'.split('').map((c) => `${i}${c}`))] as const)]);
  it('applies ordinary departures', () => {
    const d = checkRemovals([{ classId: 'c1', userId: '1' }], sizesOf(current).sizes, sizesOf(current).total, DEFAULT_LIMITS);
    expect(d.apply).toHaveLength(1);
    expect(d.held).toEqual([]);
  });
  it('holds a class losing more than 30 %, or emptied', () => {
    const d = checkRemovals(['1', '2', '3', '4'].map((u) => ({ classId: 'c1', userId: u })).concat([{ classId: 'c2', userId: 'a' }, { classId: 'c2', userId: 'b' }]), sizesOf(current).sizes, sizesOf(current).total, DEFAULT_LIMITS);
    expect(groupByClass(d.held).get('c1')?.size).toBe(4);
    expect(groupByClass(d.held).get('c2')?.size).toBe(2);
    expect(d.apply).toEqual([]);
  });
  it('holds everything above 10 % of the district', () => {
    // 24 of 212 enrollments (11 %), though no single class loses more than 20 %.
    const removes = Array.from({ length: 12 }, (_, i) => [{ classId: `k${i}`, userId: `${i}a` }, { classId: `k${i}`, userId: `${i}b` }]).flat();
    const d = checkRemovals(removes, sizesOf(current).sizes, sizesOf(current).total, DEFAULT_LIMITS);
    expect(d.apply).toEqual([]);
    expect(d.held).toHaveLength(24);
    expect(d.reasons[0]).toMatch(/above the 10 % limit/);
  });
});
