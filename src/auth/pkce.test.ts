import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { pkceChallenge } from './classlink-signin.ts';

describe('PKCE S256 challenge', () => {
  it('is the RFC 7636 example value', () => {
    // RFC 7636, appendix B.
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('matches what openid-client computes for random verifiers', async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = oidc.randomPKCECodeVerifier();
      expect(pkceChallenge(verifier)).toBe(await oidc.calculatePKCECodeChallenge(verifier));
    }
  });
});
