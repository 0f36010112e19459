import { describe, expect, it } from 'vitest';
import { isValidEmail, parseEmailList } from './email-address.ts';

describe('parseEmailList', () => {
  it('splits commas, semicolons, spaces and newlines, and reads "Name <email>"', () => {
    const parsed = parseEmailList('A@X.org, b@x.org;c@x.org\n  Dee Dee <D@x.org>\n\n e@x.org f@x.org');
    expect(parsed.map((p) => p.email)).toEqual(['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org', 'e@x.org', 'f@x.org']);
  });
  it('keeps what was typed so an error can name it', () => {
    expect(parseEmailList('Bad Address')).toEqual([
      { raw: 'Bad', email: 'bad' },
      { raw: 'Address', email: 'address' },
    ]);
  });
  it('returns nothing for blank text', () => {
    expect(parseEmailList(' \n ,; ')).toEqual([]);
  });
});

describe('isValidEmail', () => {
  it.each(['t@school.org', 'first.last+tag@sub.district.k12.us'])('accepts %s', (e) => expect(isValidEmail(e)).toBe(true));
  it.each(['', 'no-at', 'a@', '@b.org', 'a b@c.org', `${'x'.repeat(250)}@c.org`])('rejects %s', (e) => expect(isValidEmail(e)).toBe(false));
});
