import { describe, expect, it } from 'vitest';
import { signInErrorMessage } from './signin-errors.ts';

describe('signInErrorMessage', () => {
  it('names the provider and the cause', () => {
    expect(signInErrorMessage('district_not_integrated', 'clever')).toMatch(/not connected Rollcall to Clever/);
    expect(signInErrorMessage('missing_identity', 'classlink')).toMatch(/ClassLink did not tell us/);
  });
  it('has a generic message for unknown reasons and none without a reason', () => {
    expect(signInErrorMessage('something_new', 'clever')).toMatch(/could not be completed/);
    expect(signInErrorMessage(null, null)).toBeNull();
  });
});
