import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';

const reason = (password: string, email?: string) => {
  try {
    checkPasswordStrength(password, { email });
    return undefined;
  } catch (error) {
    return (error as AppError).fields[0]?.message;
  }
};

describe('password rules', () => {
  it('accepts a long passphrase', () => expect(reason('purple giraffe on a bicycle')).toBeUndefined());
  it('refuses short, repetitive, common and email-derived passwords with a reason', () => {
    expect(reason('short')).toMatch(/at least 10/);
    expect(reason('aaaaaaaaaaaa')).toMatch(/too easy/);
    expect(reason('mypassword123')).toMatch(/too common/);
    expect(reason('jsmith-is-great', 'jsmith@school.org')).toMatch(/email/);
  });
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('purple giraffe on a bicycle');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'purple giraffe on a bicycle')).toBe(true);
    expect(await verifyPassword(hash, 'purple giraffe on a bicycle!')).toBe(false);
    expect(await verifyPassword(undefined, 'anything at all')).toBe(false);
  });
});
