import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, hashToken, randomToken } from './crypto.ts';
import { InvitationTokens } from '../domain/licenses/invitation-token.ts';

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('district-secret-123');
    expect(sealed).not.toContain('district-secret-123');
    expect(box.open(sealed)).toBe('district-secret-123');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });
  it('refuses a tampered envelope or another key', () => {
    const key = randomBytes(32);
    const sealed = new SecretBox(key).seal('x');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('y').toString('base64url');
    expect(() => new SecretBox(key).open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});

describe('tokens', () => {
  it('are random and stored as hashes', () => {
    const a = randomToken();
    expect(a).not.toBe(randomToken());
    expect(hashToken(a)).not.toContain(a);
    expect(hashToken(a)).toBe(hashToken(a));
  });
  it('invitation links carry a MAC that rejects forgeries', () => {
    const tokens = new InvitationTokens(randomBytes(32));
    const good = tokens.mint();
    expect(tokens.isAuthentic(good)).toBe(true);
    expect(tokens.isAuthentic(`${good}x`)).toBe(false);
    expect(tokens.isAuthentic(good.split('.')[0]!)).toBe(false);
    expect(new InvitationTokens(randomBytes(32)).isAuthentic(good)).toBe(false);
  });
});
