import { hmac, randomToken, safeEqual } from '../../lib/crypto.ts';

/**
 * Invitation links carry "<random>.<mac>". The MAC (keyed from the master key)
 * rejects forged or truncated links before any lookup; the database holds
 * only a hash of the whole token, which makes the link single-use.
 */
export class InvitationTokens {
  constructor(private readonly key: Buffer) {}

  mint(): string {
    const nonce = randomToken(24);
    return `${nonce}.${hmac(this.key, `invitation:${nonce}`).slice(0, 22)}`;
  }

  isAuthentic(token: string): boolean {
    const [nonce, mac, extra] = token.split('.');
    if (!nonce || !mac || extra !== undefined || nonce.length > 64) return false;
    return safeEqual(mac, hmac(this.key, `invitation:${nonce}`).slice(0, 22));
  }
}
