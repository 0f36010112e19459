import { describe, expect, it } from 'vitest';
import { firstGrade, normalizeGrade } from '../../src/providers/grades.ts';

describe('grade normalisation', () => {
  it.each([
    ['Kindergarten', 'K'],
    ['KG', 'K'],
    ['01', '1'],
    ['1', '1'],
    ['09', '9'],
    ['13', '13'],
    ['PreKindergarten', 'PK'],
    ['PK', 'PK'],
    ['TransitionalKindergarten', 'PK'],
    ['Preschool', 'PK'],
    ['PR', 'PK'],
    ['Ungraded', 'Other'],
    ['UG', 'Other'],
    ['PostGraduate', 'Other'],
    ['InfantToddler', 'Other'],
    ['Other', 'Other'],
    ['', null],
    ['14', null],
    ['Senior', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeGrade(input)).toBe(expected);
  });

  it('takes the first recognizable grade of a OneRoster list', () => {
    expect(firstGrade(['', 'x', '10', '11'])).toBe('10');
    expect(firstGrade([])).toBeNull();
    expect(normalizeGrade(null)).toBeNull();
  });
});
