import { describe, expect, it } from 'vitest';
import { removalNeedsApproval, termEnded, uniqueStudents } from './roster-mapping.ts';

const person = (externalId: string, over: Record<string, unknown> = {}) => ({
  externalId,
  roles: ['student' as const],
  givenName: 'Zoë',
  familyName: "O'Brien",
  email: null,
  grade: '7',
  schoolIds: [],
  active: true,
  ...over,
});

describe('roster mapping', () => {
  it('dedupes students by id, keeps unicode names, drops malformed emails and non-students', () => {
    const out = uniqueStudents([person('a'), person('a', { givenName: 'Zoe' }), person('b', { email: 'not an email' }), person('c', { roles: ['teacher'] }), person('d', { email: 'D@X.org' })]);
    expect(out.map((s) => s.externalId)).toEqual(['a', 'b', 'd']);
    expect(out[0]!.name).toBe("Zoe O'Brien");
    expect(out[1]!.email).toBeNull();
    expect(out[2]!.email).toBe('d@x.org');
  });
  it('names a student with no name rather than failing', () => {
    expect(uniqueStudents([person('x', { givenName: ' ', familyName: '' })])[0]!.name).toBe('Unnamed student');
  });
  it('knows when a term ended', () => {
    expect(termEnded({ term: { externalId: 't', name: 'T', startDate: '2025-08-01', endDate: '2026-06-01' } }, '2026-11-28')).toBe(true);
    expect(termEnded({ term: { externalId: 't', name: 'T', startDate: null, endDate: null } }, '2026-11-28')).toBe(false);
    expect(termEnded({ term: null }, '2026-11-28')).toBe(false);
  });
  it('holds removals that empty a class or drop too large a share of it', () => {
    const limits = { maxShare: 0.3, minClassSize: 5 };
    expect(removalNeedsApproval(20, 0, limits)).toBe(false);
    expect(removalNeedsApproval(20, 6, limits)).toBe(false);
    expect(removalNeedsApproval(20, 7, limits)).toBe(true);
    expect(removalNeedsApproval(4, 3, limits)).toBe(false);
    expect(removalNeedsApproval(3, 3, limits)).toBe(true);
  });
});
