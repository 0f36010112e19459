import { describe, expect, it } from 'vitest';
import { removalNeedsApproval, sameSectionFields, termEnded, uniqueStudents } from './roster-mapping.ts';

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
  it('tells section fields apart by every field, the term\'s included, and a missing term from an empty one', () => {
    const base = { name: 'Algebra I', schoolId: 's1', courseName: 'Algebra', subject: 'math', period: '2', term: { name: 'Fall', startDate: '2026-08-20', endDate: '2026-12-20' }, termExternalId: 't1' };
    expect(sameSectionFields(base, { ...base, term: { ...base.term } })).toBe(true);
    const changes = [{ name: 'Algebra II' }, { schoolId: null }, { courseName: null }, { subject: 'science' }, { period: '3' }, { termExternalId: 't2' }, { term: null }, { term: { ...base.term, name: 'Spring' } }, { term: { ...base.term, startDate: '2026-08-21' } }, { term: { ...base.term, endDate: null } }];
    for (const change of changes) {
      expect(sameSectionFields(base, { ...base, ...change }), JSON.stringify(change)).toBe(false);
      expect(sameSectionFields({ ...base, ...change }, base), JSON.stringify(change)).toBe(false);
    }
    const noTerm = { ...base, term: null, termExternalId: null };
    expect(sameSectionFields(noTerm, { ...noTerm })).toBe(true);
    expect(sameSectionFields(noTerm, { ...noTerm, term: { name: '', startDate: null, endDate: null } })).toBe(false);
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
