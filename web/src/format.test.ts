import { describe, expect, it } from 'vitest';
import { addedNotice, formatDates, formatTerm, lastSyncedText, periodLabel, timeAgo } from './format.ts';

const now = Date.parse('2025-09-10T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const MIN = 60_000;

describe('timeAgo', () => {
  it('says "just now" for under 45 seconds, and for a time slightly in the future', () => {
    expect(timeAgo(ago(0), now)).toBe('just now');
    expect(timeAgo(ago(44_000), now)).toBe('just now');
    expect(timeAgo(ago(-30_000), now)).toBe('just now');
  });

  it('counts minutes, hours and days, singular and plural', () => {
    expect(timeAgo(ago(45_000), now)).toBe('1 minute ago');
    expect(timeAgo(ago(MIN + 59_000), now)).toBe('1 minute ago');
    expect(timeAgo(ago(5 * MIN), now)).toBe('5 minutes ago');
    expect(timeAgo(ago(59 * MIN), now)).toBe('59 minutes ago');
    expect(timeAgo(ago(60 * MIN), now)).toBe('1 hour ago');
    expect(timeAgo(ago(23 * 60 * MIN), now)).toBe('23 hours ago');
    expect(timeAgo(ago(24 * 60 * MIN), now)).toBe('yesterday');
    expect(timeAgo(ago(3 * 24 * 60 * MIN), now)).toBe('3 days ago');
  });

  it('gives the date after a month, and leaves nonsense as it is', () => {
    expect(timeAgo('2025-07-01T08:00:00Z', now)).toBe(`on ${new Date('2025-07-01T00:00:00Z').toLocaleDateString(undefined, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' })}`);
    expect(timeAgo('not a date', now)).toBe('not a date');
  });

  it('uses the current time by default', () => {
    expect(timeAgo(new Date(Date.now() - 2 * MIN).toISOString())).toBe('2 minutes ago');
  });
});

describe('class wording', () => {
  it('says when a class last synced, or that it has not', () => {
    expect(lastSyncedText(ago(5 * MIN), now)).toBe('Last synced 5 minutes ago');
    expect(lastSyncedText(null, now)).toBe('Not synced yet');
  });

  it('formats terms with and without dates', () => {
    const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
    expect(formatTerm({ name: 'Fall 2025', startDate: '2025-08-01', endDate: '2025-12-19' })).toBe(
      `Fall 2025 (${day('2025-08-01')} – ${day('2025-12-19')})`,
    );
    expect(formatTerm({ name: 'Year', startDate: null, endDate: null })).toBe('Year');
    expect(formatDates('2025-08-01', null)).toBe(`from ${day('2025-08-01')}`);
    expect(formatDates(null, '2025-12-19')).toBe(`until ${day('2025-12-19')}`);
  });

  it('reads bare period numbers as "Period N"', () => {
    expect(periodLabel('3')).toBe('Period 3');
    expect(periodLabel('P3')).toBe('P3');
    expect(periodLabel('Block A')).toBe('Block A');
  });

  it('names the classes that were added', () => {
    expect(addedNotice(['Algebra I – P1', 'Biology – P3'])).toBe('Added 2 classes: Algebra I – P1, Biology – P3.');
    expect(addedNotice(['Algebra I – P1'])).toBe('Added 1 class: Algebra I – P1.');
    expect(addedNotice([])).toBe('No classes were added.');
  });
});
