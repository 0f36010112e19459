import { describe, expect, it } from 'vitest';
import { countsSummary, durationMs, explainRun, pendingArchives, pendingRemovals } from './run-text.ts';

describe('sync runs in plain words', () => {
  it('summarises counts, skipping zeros and unknown keys', () => {
    expect(countsSummary({ enrolled: 12, removed: 1, updated: 0, fetched: 40, created: 1 })).toBe('1 student account created, 12 joined, 1 left');
    expect(countsSummary({})).toBe('no changes');
    expect(countsSummary({ archived: 2, enrolled: 'x' })).toBe('2 classes archived');
  });

  it('measures duration only for finished runs', () => {
    expect(durationMs(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:02.5Z'))).toBe(2500);
    expect(durationMs(new Date(), null)).toBeNull();
  });

  it('reads pending removals in both shapes the engine stores', () => {
    expect(pendingRemovals({ pendingRemovals: ['u1', { classId: 'c1', userId: 'u2' }, 3, null] })).toEqual([
      { userId: 'u1', classId: null },
      { userId: 'u2', classId: 'c1' },
    ]);
    expect(pendingRemovals({})).toEqual([]);
    expect(pendingArchives({ pendingArchives: ['c1', 2] })).toEqual(['c1']);
  });

  it('explains held, failed and warned runs; says nothing about clean ones', () => {
    expect(explainRun({ status: 'held', error: null, warningCount: 0, details: { pendingRemovals: ['a', 'b'], pendingArchives: ['c'] } })).toMatch(
      /^Held for review: 2 students would leave and 1 class would be archived at once.*Approve to apply it, or reject/,
    );
    expect(explainRun({ status: 'failed', error: 'The provider did not answer.', warningCount: 0, details: {} })).toBe('The provider did not answer.');
    expect(explainRun({ status: 'failed', error: null, warningCount: 0, details: {} })).toMatch(/without recording why/);
    expect(explainRun({ status: 'succeeded', error: null, warningCount: 3, details: {} })).toMatch(/^3 records were skipped/);
    expect(explainRun({ status: 'succeeded', error: null, warningCount: 0, details: {} })).toBeNull();
  });
});
