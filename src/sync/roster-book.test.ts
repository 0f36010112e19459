import { describe, expect, it } from 'vitest';
import { RosterBook } from './roster-book.ts';

const ids = (book: RosterBook, c: number) => {
  const roster = book.rosterOf(c);
  return roster === null ? null : [...roster].map((s) => book.students[s]).sort();
};

describe('RosterBook', () => {
  it('keeps the latest listing of a class, and null as "no roster known"', () => {
    const book = new RosterBook(3);
    book.setRoster(0, ['a', 'b']);
    book.setRoster(1, ['b', 'c']);
    book.setRoster(0, ['c']);
    book.setRoster(2, ['a']);
    book.setRoster(2, null);
    expect(ids(book, 0)).toEqual(['c']);
    expect(ids(book, 1)).toEqual(['b', 'c']);
    expect(ids(book, 2)).toBeNull();
    // 'a' was only on rosters that were replaced: nobody needs it any more.
    expect([...book.needed()].map((n, i) => (n ? book.students[i] : null)).filter(Boolean).sort()).toEqual(['b', 'c']);
  });

  it('groups enrollment pairs by class; only complete classes get a (possibly empty) roster', () => {
    const book = new RosterBook(4);
    book.addPair(2, 'x');
    book.addPair(0, 'y');
    book.addPair(2, 'y');
    book.addPair(3, 'z');
    book.close((c) => c !== 3);
    expect(ids(book, 0)).toEqual(['y']);
    expect(ids(book, 1)).toEqual([]);
    expect(ids(book, 2)).toEqual(['x', 'y']);
    expect(ids(book, 3)).toBeNull();
  });

  it('indexes classes by student', () => {
    const book = new RosterBook(3);
    book.setRoster(0, ['a', 'b']);
    book.setRoster(2, ['b']);
    const { offsets, classes } = book.classesByStudent();
    const of = (id: string) => {
      const s = book.indexOf(id)!;
      return [...classes.subarray(offsets[s]!, offsets[s + 1]!)].sort();
    };
    expect(of('a')).toEqual([0]);
    expect(of('b')).toEqual([0, 2]);
  });

  it('grows past its first buffer', () => {
    const book = new RosterBook(2);
    const many = Array.from({ length: 40_000 }, (_, i) => `s${i}`);
    book.setRoster(0, many);
    book.setRoster(1, many.slice(0, 10));
    expect(book.rosterOf(0)!.length).toBe(40_000);
    expect(ids(book, 1)).toEqual(many.slice(0, 10).sort());
  });
});
