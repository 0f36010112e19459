// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { afterSignIn, homePath, safeReturnTo, signInPath } from './navigation.ts';
import { makeUser } from './test-utils.tsx';

describe('safeReturnTo', () => {
  it.each([
    ['/classes', '/classes'],
    ['/invitations/abc?x=1#top', '/invitations/abc?x=1#top'],
    ['/licenses/12', '/licenses/12'],
    ['/%0a', '/%0a'],
  ])('keeps the same-site path %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'classes',
    '//evil.example/x',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' /classes',
    'https://evil.example/',
    'javascript:alert(1)',
    `/${'a'.repeat(2001)}`,
  ])('refuses %j', (input) => {
    expect(safeReturnTo(input)).toBeNull();
  });
});

describe('where people land', () => {
  it('sends each role home', () => {
    expect(homePath(null)).toBe('/signin');
    expect(homePath(makeUser())).toBe('/classes');
    expect(homePath(makeUser({ role: 'student', email: null }))).toBe('/student');
    expect(homePath(makeUser({ role: 'operator' }))).toBe('/operator');
  });

  it('follows a safe returnTo after sign-in, otherwise goes home', () => {
    expect(afterSignIn(makeUser(), '/invitations/t1')).toBe('/invitations/t1');
    expect(afterSignIn(makeUser(), '//evil.example')).toBe('/classes');
    expect(afterSignIn(makeUser({ role: 'operator' }), null)).toBe('/operator');
  });

  it('builds sign-in links that carry only safe paths', () => {
    expect(signInPath('/invitations/t1')).toBe('/signin?returnTo=%2Finvitations%2Ft1');
    expect(signInPath('//evil.example')).toBe('/signin');
    expect(signInPath('/')).toBe('/signin');
  });
});
