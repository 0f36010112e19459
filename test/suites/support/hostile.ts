import fc from 'fast-check';

/**
 * Strings providers really send, and the ones that break naive code: empty
 * and blank, right-to-left overrides, zero-width characters, a byte-order
 * mark, NUL and other control characters, lone UTF-16 surrogates (invalid in
 * UTF-8 and in PostgreSQL text), combining marks, emoji, prototype keys and
 * very long values.
 */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n ',
  'Renée',
  'Zoë O\u2019Brien-Smith',
  '\u202Eevil\u202C',
  'א\u200Fb',
  'zero\u200Bwidth\u200D',
  '\uFEFFbom',
  'nul\u0000byte',
  '\u0007bell\u001B[31m',
  'lone\uD800high',
  'lone\uDC00low',
  '\uDBFF',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '李小龍',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  "Robert'); DROP TABLE students;--",
  'x'.repeat(5_000),
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

/** Any string, biased towards the troublesome ones. */
export const hostileString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
    { weight: 2, arbitrary: fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), loneSurrogate, control), { maxLength: 8 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
  );

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text PostgreSQL keeps exactly as sent: no NUL, no lone surrogate. */
export const storableText = (s: string) => !s.includes('\u0000') && !LONE_SURROGATE.test(s);

/** A string for an id: usually plausible, sometimes odd (unicode, markup, prototype names), always a usable key. */
export const idString: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/) }, { weight: 1, arbitrary: hostileString(12).filter((s) => s.trim() !== '' && s.length <= 300 && storableText(s)) });

/** Strings that cannot be ids: PostgreSQL refuses NUL and would rewrite a lone surrogate. */
export const UNSTORABLE_IDS: readonly string[] = ['a\u0000b', '\u0000', '\uD800', 'x\uDC00y', 'stu-1\uDBFF'];
/** Longer than a key column holds (identities.external_id: 300): not a record's own id. */
export const TOO_LONG_ID = 'i'.repeat(301);

/** Object.prototype's own keys now, to prove later that nothing was added to it. */
export function prototypeFingerprint(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort(), ({} as Record<string, unknown>)['polluted'], ({} as Record<string, unknown>)['isAdmin']]);
}
