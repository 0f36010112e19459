// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { parseEmails } from './emails.ts';
import { linkParts } from './format.ts';

describe('parseEmails', () => {
  it('splits on commas, semicolons, spaces and new lines', () => {
    const r = parseEmails('a@x.org, b@x.org;c@x.org d@x.org\ne@x.org\r\n\n');
    expect(r.emails).toEqual(['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org', 'e@x.org']);
    expect(r.invalid).toEqual([]);
  });

  it('reads "Name <email>" and keeps the name out', () => {
    const r = parseEmails('Ada Lovelace <ada@x.org>, "Turing, Alan" <alan@x.org>\nGrace Hopper <grace@x.org> bob@x.org');
    expect(r.emails).toEqual(['ada@x.org', 'alan@x.org', 'grace@x.org', 'bob@x.org']);
    expect(r.invalid).toEqual([]);
  });

  it('flags what is not an email and repeats, case-insensitively', () => {
    const r = parseEmails('ada@x.org nope ADA@x.org, half@, @x.org, c@d');
    expect(r.emails).toEqual(['ada@x.org']);
    expect(r.duplicates).toEqual(['ADA@x.org']);
    expect(r.invalid).toEqual(['nope', 'half@', '@x.org', 'c@d']);
  });

  it('returns nothing for blank text', () => {
    expect(parseEmails('  \n , ; ')).toEqual({ emails: [], invalid: [], duplicates: [] });
  });
});

describe('linkParts', () => {
  it('turns URLs into links and leaves trailing punctuation as text', () => {
    const parts = linkParts('Open http://localhost:3000/verify-email?token=abc. Or (https://x.test/a).');
    expect(parts).toEqual([
      { kind: 'text', text: 'Open ' },
      { kind: 'link', href: 'http://localhost:3000/verify-email?token=abc' },
      { kind: 'text', text: '. Or (' },
      { kind: 'link', href: 'https://x.test/a' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('leaves text without links alone', () => {
    expect(linkParts('no links here')).toEqual([{ kind: 'text', text: 'no links here' }]);
  });
});
